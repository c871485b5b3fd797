/**
 * "Add to timeline" (issue 23): a message action on a message of the incident's conversation —
 * its channel, a thread reply, the bridge's meeting chat — keeps it on the timeline as a key
 * message, once; outside an incident's conversation it says so; the post-mortem draft lists it.
 */
import { expect } from 'chai';
import { cardProblems } from '../helpers/cards.js';
import { cardText } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { provisioned, startTestApp, TENANT, type TestApp } from '../helpers/testApp.js';
import { ALEX, LEE, MEGAN } from '../helpers/people.js';
import type { Incident } from '../../models/incident/incident.js';

/** A message as Teams puts it in composeExtension invokes (messagePayload: Graph's chatMessage shape). */
function payload(id: string, fields: { html: string; replyToId?: string; link?: string; attachments?: object[]; by?: { id: string; name: string } } ) {
  return {
    id,
    replyToId: fields.replyToId ?? null,
    createdDateTime: '2026-11-23T09:58:00.000Z',
    lastModifiedDateTime: null,
    deleted: false,
    messageType: 'message',
    importance: 'normal',
    locale: 'en-us',
    linkToMessage: fields.link ?? `https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/${id}`,
    from: { user: { id: fields.by?.id ?? MEGAN.aadObjectId, displayName: fields.by?.name ?? MEGAN.name, userIdentityType: 'aadUser' }, application: null, device: null },
    body: { contentType: 'html', content: fields.html },
    attachments: fields.attachments ?? [],
    mentions: [],
    reactions: [],
  };
}

describe('"Add to timeline": key messages on the incident timeline (end to end)', () => {
  let t: TestApp;
  let incident: Incident;
  before(async () => {
    t = await startTestApp();
    await t.message('declare Checkout API returns 500s --sev P1');
    incident = (await provisioned(t))[0]!;
  });
  after(async () => {
    await t.close();
  });

  const inChannel = (root: string) => ({ conversation: { id: `${incident.channel!.id};messageid=${root}`, tenantId: TENANT, conversationType: 'channel', isGroup: true }, channelData: { tenant: { id: TENANT }, channel: { id: incident.channel!.id } } });
  const invoke = (name: 'fetchTask' | 'submitAction', where: object, message: object, data?: object, from = ALEX) =>
    t.send({ type: 'invoke', name: `composeExtension/${name}`, from, ...where, value: { commandId: 'addToTimeline', commandContext: 'message', context: { theme: 'default' }, messagePayload: message, ...(data ? { data } : {}) } });
  const keyMessages = async () => (await tabApi(t.app.url, incident.id, signedInAs(t.app)).get('/events?order=asc&kinds=key_message')).body.events;

  it('from a channel message: the dialog shows it and asks why it matters; submitting keeps author, time, text (files as links), link and note', async () => {
    const message = payload('1732350000123', {
      html: '<p>Rolled back <b>v42</b>: errors are <i>dropping</i></p><p><img src="https://graph.microsoft.com/v1.0/teams/x/channels/y/messages/1/hostedContents/abc/$value" alt="image"></p>',
      attachments: [{ id: 'f1', contentType: 'reference', contentUrl: 'https://contoso.sharepoint.com/sites/inc/Shared%20Documents/errors.png', name: 'errors.png' }],
    });
    const fetched = await invoke('fetchTask', inChannel(message.id), message);
    expect(fetched.status).to.equal(200);
    expect(fetched.body.task.type).to.equal('continue');
    const card = fetched.body.task.value.card.content;
    expect(cardProblems(card)).to.deep.equal([]);
    expect(cardText(card)).to.contain('Add this message to the INC-1 timeline').and.contain('Megan Bowen').and.contain('2026-11-23 09:58 UTC');
    expect(card.body.find((e: any) => e.id === 'note')).to.include({ type: 'Input.Text', isMultiline: true });

    const added = await invoke('submitAction', inChannel(message.id), message, { note: 'The moment the rollback took' });
    expect(added.body.task).to.deep.equal({ type: 'message', value: "Alex Wilber added Megan Bowen's message to the INC-1 timeline." });
    const [entry] = await keyMessages();
    expect(entry.actor).to.equal('Alex Wilber');
    expect(entry.link).to.equal(message.linkToMessage);
    expect(entry.text).to.contain('added a key message by Megan Bowen, written 2026-11-23 09:58 UTC: Rolled back v42: errors are dropping');
    expect(entry.text).to.contain('[image: https://graph.microsoft.com/v1.0/teams/x/channels/y/messages/1/hostedContents/abc/$value]');
    expect(entry.text).to.contain('[file: errors.png] https://contoso.sharepoint.com/sites/inc/Shared%20Documents/errors.png');
    expect(entry.text).to.contain('why it matters, says Alex Wilber: The moment the rollback took');
    // On the timeline at the time it was written (the story's order), not when it was marked key.
    expect(entry.at).to.equal('2026-11-23T09:58:00.000Z');
  });

  it('one entry per message: a second add finds the first and says who added it; a new note replaces the old one, credited', async () => {
    const message = payload('1732350000123', { html: '<p>Rolled back <b>v42</b>: errors are <i>dropping</i></p>' });
    const again = await invoke('submitAction', inChannel(message.id), message, {}, LEE);
    expect(again.body.task.value).to.match(/^This message is already on the INC-1 timeline \(added by Alex Wilber, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.$/);
    const reopened = await invoke('fetchTask', inChannel(message.id), message, undefined, MEGAN);
    expect(cardText(reopened.body.task.value.card.content)).to.contain('Already on the INC-1 timeline: added by Alex Wilber');
    expect(reopened.body.task.value.card.content.body.find((e: any) => e.id === 'note').value).to.equal('The moment the rollback took');

    const renoted = await invoke('submitAction', inChannel(message.id), message, { note: 'Rollback confirmed by the error rate' }, MEGAN);
    expect(renoted.body.task.value).to.contain('already on the INC-1 timeline').and.contain('its note is now yours');
    const entries = await keyMessages();
    expect(entries).to.have.length(1);
    expect(entries[0].actor, 'still credited to who added it').to.equal('Alex Wilber');
    expect(entries[0].text).to.contain('why it matters, says Megan Bowen: Rollback confirmed by the error rate');
  });

  it('from a reply in a thread of the incident channel', async () => {
    const reply = payload('1732350000999', { html: '<p>Seeing the same in EU-West</p>', replyToId: '1732350000123', by: { id: LEE.aadObjectId, name: LEE.name } });
    const answer = await invoke('submitAction', inChannel('1732350000123'), reply, {});
    expect(answer.body.task.value).to.equal(`Alex Wilber added ${LEE.name}'s message to the INC-1 timeline.`);
    const entries = await keyMessages();
    expect(entries.map((e: any) => e.text).join('\n')).to.contain('Seeing the same in EU-West');
  });

  it('from the bridge\'s meeting chat', async () => {
    const chatId = incident.meeting!.chatId!;
    const inMeeting = { conversation: { id: chatId, tenantId: TENANT, conversationType: 'groupChat', isGroup: true }, channelData: { tenant: { id: TENANT } } };
    const message = payload('1732350001500', { html: '<p>Payments team confirms the fix</p>', link: `https://teams.microsoft.com/l/message/${encodeURIComponent(chatId)}/1732350001500` });
    const fetched = await invoke('fetchTask', inMeeting, message);
    expect(fetched.body.task.type).to.equal('continue');
    const answer = await invoke('submitAction', inMeeting, message, { note: '' });
    expect(answer.body.task.value).to.contain('to the INC-1 timeline');
    const entries = await keyMessages();
    expect(entries.find((e: any) => e.text.includes('Payments team confirms the fix')).link).to.equal(message.linkToMessage);
  });

  it('outside any incident\'s conversation: a clear answer, nothing added', async () => {
    const general = { conversation: { id: '19:general@thread.tacv2;messageid=42', tenantId: TENANT, conversationType: 'channel', isGroup: true } };
    const message = payload('42', { html: '<p>Lunch?</p>' });
    for (const name of ['fetchTask', 'submitAction'] as const) {
      const answer = await invoke(name, general, message, name === 'submitAction' ? { note: 'x' } : undefined);
      expect(answer.body.task.type).to.equal('message');
      expect(answer.body.task.value).to.contain('is not in an incident\'s conversation').and.contain('nothing was added');
    }
    expect((await keyMessages()).map((e: any) => e.text).join()).not.to.contain('Lunch');
  });

  it('from a private incident\'s group chat, for its members; to anyone else the incident does not exist', async () => {
    await t.message('declare Payroll export leaks salaries --private');
    const [, secret] = await provisioned(t, 2);
    const inChat = { conversation: { id: secret!.chat!.id, tenantId: TENANT, conversationType: 'groupChat', isGroup: true }, channelData: { tenant: { id: TENANT } } };
    const message = payload('1732350002000', { html: '<p>The export job ran as the wrong user</p>', by: { id: ALEX.aadObjectId, name: ALEX.name } });
    const added = await invoke('submitAction', inChat, message, { note: 'the cause' });
    expect(added.body.task.value).to.equal("Alex Wilber added Alex Wilber's message to the INC-2 timeline.");
    const stranger = await invoke('submitAction', inChat, payload('1732350002001', { html: '<p>x</p>' }), {}, LEE);
    expect(stranger.body.task.value).to.equal('There is no such incident, or it is private and you are not one of its members. Nothing was changed.');
    const events = (await tabApi(t.app.url, secret!.id, signedInAs(t.app)).get('/events?kinds=key_message')).body.events;
    expect(events.map((e: any) => e.text)).to.have.length(1);
  });

  it('the post-mortem draft lists the key messages in its timeline excerpt, at the time they were written', async () => {
    const draft = (await tabApi(t.app.url, incident.id, signedInAs(t.app)).get('/postmortem')).body;
    const timeline: string = (draft.content ?? draft.draft ?? draft).timeline;
    expect(timeline).to.contain('2026-11-23 09:58 UTC — Megan Bowen — key message: “Rolled back v42: errors are dropping');
    expect(timeline).to.contain('(added by Alex Wilber; why it matters (Megan Bowen): Rollback confirmed by the error rate)');
    expect(timeline.indexOf('key message'), 'written before the incident was declared, so first').to.be.below(timeline.indexOf('declared'));
  });
});
