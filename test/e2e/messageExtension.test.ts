import { expect } from 'chai';
import { cardProblems } from '../helpers/cards.js';
import { cardText } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { provisioned, startTestApp, TENANT, type TestApp } from '../helpers/testApp.js';

/** A message in a group chat, as Teams puts it in composeExtension invokes (messagePayload). */
const CHAT = '19:8f2c1d0e4b7a4c3e9d1f2a3b4c5d6e7f@thread.v2';
const MESSAGE = {
  id: '1732350000123',
  replyToId: null,
  createdDateTime: '2026-11-23T09:58:00.000Z',
  linkToMessage: `https://teams.microsoft.com/l/message/${CHAT}/1732350000123?context=%7B%22contextType%22%3A%22chat%22%7D`,
  messageType: 'message',
  importance: 'normal',
  locale: 'en-us',
  from: { user: { id: 'a1b2c3d4-0000-0000-0000-00000000beef', displayName: 'Megan Bowen', userIdentityType: 'aadUser' } },
  body: { contentType: 'html', content: '<p>Checkout is <b>throwing 500s</b> for EU users &amp; retries fail</p><p>Started around 09:50, see <a href="https://grafana.example/d/1">dashboard</a></p>' },
  attachments: [],
  mentions: [],
  reactions: [],
};
const IN_CHAT = { conversation: { id: CHAT, tenantId: TENANT, conversationType: 'groupChat' }, channelData: { tenant: { id: TENANT } } };

describe('message extension: "Declare incident" on any Teams message', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const fetchTask = (value: Record<string, unknown> = {}) =>
    t.send({ type: 'invoke', name: 'composeExtension/fetchTask', ...IN_CHAT, value: { commandId: 'declareIncident', commandContext: 'message', context: { theme: 'default' }, messagePayload: MESSAGE, ...value } });
  const submit = (data: unknown, value: Record<string, unknown> = {}) =>
    t.send({ type: 'invoke', name: 'composeExtension/submitAction', ...IN_CHAT, value: { commandId: 'declareIncident', commandContext: 'message', messagePayload: MESSAGE, data, ...value } });

  it('opens the declare form pre-filled with the message text, its author and a link to it', async () => {
    const answer = await fetchTask();
    expect(answer.status).to.equal(200);
    expect(answer.body.task.type).to.equal('continue');
    expect(answer.body.task.value.title).to.equal('Declare an incident');
    const card = answer.body.task.value.card;
    expect(card.contentType).to.equal('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(card.content)).to.deep.equal([]);
    const inputs = Object.fromEntries(card.content.body.filter((e: any) => e.id).map((e: any) => [e.id, e.value]));
    expect(inputs.title).to.equal('Checkout is throwing 500s for EU users & retries fail');
    expect(inputs.description).to.contain('Started around 09:50, see dashboard');
    expect(inputs.description).to.contain('From a message by Megan Bowen: https://teams.microsoft.com/l/message/');
    // In a dialog the form submits with Action.Submit (Action.Execute is for cards in conversations).
    const [action] = card.content.actions;
    expect(action.type).to.equal('Action.Submit');
    expect(action.data.quote).to.deep.include({ id: `${CHAT}:${MESSAGE.id}`, author: 'Megan Bowen', link: MESSAGE.linkToMessage });
  });

  it('declares on submit, links the message on the timeline, and finds the same incident when submitted again', async () => {
    const form = (await fetchTask()).body.task.value.card.content;
    const data = { ...form.actions[0].data, title: 'EU checkout 500s', severity: 'P1', component: 'payments', description: 'Quoted from chat' };
    const answer = await submit(data);
    expect(answer.status).to.equal(200);
    expect(answer.body.task.type).to.equal('continue');
    expect(cardProblems(answer.body.task.value.card.content)).to.deep.equal([]);
    expect(cardText(answer.body.task.value.card.content)).to.contain('INC-1 (P1 Major) declared: EU checkout 500s');

    const [incident] = await provisioned(t);
    expect(incident).to.include({ title: 'EU checkout 500s', severity: 'P1', component: 'payments' });
    expect(incident!.source).to.deep.include({ kind: 'message', key: `teams-message:${CHAT}:${MESSAGE.id}` });
    expect(incident!.source.message).to.deep.equal({ id: `${CHAT}:${MESSAGE.id}`, link: MESSAGE.linkToMessage, author: 'Megan Bowen', excerpt: 'Checkout is throwing 500s for EU users & retries fail Started around 09:50, see dashboard' });

    // The timeline (as the tab shows it) says where it came from and links back.
    const events = (await tabApi(t.app.url, incident!.id, signedInAs(t.app)).get('/events?order=asc')).body.events;
    const declared = events.find((e: any) => e.kind === 'declared');
    expect(declared.text).to.contain('from a message by Megan Bowen');
    expect(declared.link).to.equal(MESSAGE.linkToMessage);

    // Teams retries a slow submit, and a second person may declare from the same message: one incident.
    const again = await submit({ ...data, title: 'Someone else, same message' });
    expect(cardText(again.body.task.value.card.content)).to.contain('This message was already declared as INC-1');
    expect(cardText(again.body.task.value.card.content)).to.contain('Go to the incident channel');
    expect(await t.incidents()).to.have.length(1);
  });

  it('shows the form again, values kept and problems listed, on bad input; nothing is declared', async () => {
    const form = (await fetchTask()).body.task.value.card.content;
    const answer = await submit({ ...form.actions[0].data, title: '   ', severity: 'P9' });
    expect(answer.body.task.type).to.equal('continue');
    const card = answer.body.task.value.card.content;
    expect(cardProblems(card)).to.deep.equal([]);
    const shown = JSON.stringify(card);
    expect(shown).to.contain('a title is required');
    expect(shown).to.contain('unknown severity \\"P9\\"');
    expect(card.actions[0].data.quote.id).to.equal(`${CHAT}:${MESSAGE.id}`);
    expect(await t.incidents()).to.have.length(0);
  });

  it('answers malformed or unknown actions with a message and declares nothing', async () => {
    const wrongTypes = await submit({ title: 42, severity: ['P1'] });
    expect(wrongTypes.body.task).to.deep.include({ type: 'message' });
    expect(wrongTypes.body.task.value).to.match(/title: .*nothing was declared/i);

    const unknown = await fetchTask({ commandId: 'deleteEverything' });
    expect(unknown.body.task).to.deep.equal({ type: 'message', value: 'I don\'t know the action "deleteEverything". Nothing was changed.' });

    const noMessage = await fetchTask({ messagePayload: undefined, commandContext: 'compose' });
    expect(noMessage.body.task.value).to.contain('from the … menu of a message');

    // Without Teams' copy of the message and with a forged link in the form's copy: refused, not stored.
    const forged = await submit({ title: 'x', quote: { id: 'm1', link: 'javascript:alert(1)', excerpt: 'x' } }, { messagePayload: undefined });
    expect(forged.body.task.value).to.match(/quote\.link: is not an https link/);
    expect(await t.incidents()).to.have.length(0);
  });

  it('keeps a message with script out of the form as text only', async () => {
    const answer = await fetchTask({ messagePayload: { ...MESSAGE, id: '2', body: { contentType: 'html', content: '<p>DB down</p><script>alert(1)</script><img src=x onerror=alert(2)>' } } });
    const inputs = answer.body.task.value.card.content.body.filter((e: any) => e.id);
    expect(inputs.find((e: any) => e.id === 'title').value).to.equal('DB down');
    expect(JSON.stringify(inputs)).not.to.match(/<script|onerror|<img/);
  });
});
