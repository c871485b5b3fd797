/**
 * Private incidents (issue 22): declared with --private, they live in a group chat incident-room
 * makes with their members, with the app installed there, the card posted and the tab pinned; no
 * channel and no broadcast. When Teams refuses the chat, the card goes to each member's personal
 * chat with the bot and the reporter is told why; never a channel.
 */
import { expect } from 'chai';
import { ALEX, eventually, provisioned, startTestApp, TENANT, type TestApp } from '../helpers/testApp.js';
import { MEGAN } from '../helpers/people.js';
import { mentionOf } from '../../local/teamsActivities.js';
import { cardText } from '../helpers/incidentRoom.js';
import { TeamsWorld } from '../../local/world/teamsWorld.js';
import { LOCAL } from '../../local/defaults.js';

describe('private incidents: a group chat, not a channel (end to end)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('declare --private makes a group chat with the reporter, installs the app, posts the card and pins the tab there; no channel, no broadcast', async () => {
    const channelsBefore = t.local.world.liveChannels().length;
    await t.message('declare Payroll export leaks salaries --sev P1 --private');
    const [incident] = await provisioned(t);
    expect(incident).to.include({ private: true, title: 'Payroll export leaks salaries' });
    expect(incident!.members!.map((m) => m.id)).to.deep.equal([ALEX.id]);
    expect(incident!.channel).to.equal(undefined);
    expect(t.local.world.liveChannels()).to.have.length(channelsBefore, 'no channel made');

    const chat = t.local.world.chats.get(incident!.chat!.id)!;
    expect(chat).to.deep.include({ chatType: 'group', topic: 'INC-1 Payroll export leaks salaries' });
    expect(chat.members!.map((m) => [m.userId, m.roles])).to.deep.equal([[ALEX.aadObjectId, ['owner']]]);
    expect([...chat.installedApps]).to.deep.equal([LOCAL.appCatalogId]);
    expect(chat.tabs.map((tab) => tab.configuration.entityId)).to.deep.equal([incident!.id]);
    expect(incident!.tab!.id).to.equal(chat.tabs[0]!.id);

    const cards = t.local.world.cardsIn(chat.id);
    expect(cards).to.have.length(1);
    expect(cardText(cards[0]!.card)).to.contain('Payroll export leaks salaries').and.contain(incident!.meeting!.joinUrl);
    expect(incident!.card).to.include({ conversationId: chat.id, activityId: cards[0]!.activity.id });

    expect(incident!.provisioning.steps.broadcast.status).to.equal('skipped');
    expect(t.local.world.activitiesIn(LOCAL.broadcastChannelId), 'nothing in the broadcast channel').to.have.length(0);
    const everywhereElse = t.local.world.activities.filter((a) => a.conversationId !== chat.id && JSON.stringify(a).includes('Payroll'));
    // Only the reporter's own command and the answer to it (in the conversation they typed it in) name it.
    expect(everywhereElse.every((a) => a.conversationId.startsWith('19:general'))).to.equal(true);
    const answer = await eventually(() => t.local.world.activitiesIn('19:general@thread.tacv2').find((a) => a.byBot && JSON.stringify(a).includes('private group chat')));
    expect(JSON.stringify(answer)).to.contain(incident!.chat!.webUrl).and.not.contain('Payroll', 'the answer in the channel names no title');
  });

  it('a type that is private by default (the built-in Security) is private without --private; its broadcast is one line without title', async () => {
    await t.message('declare Admin account phished --type security --field vector=Phishing');
    const [incident] = await provisioned(t);
    expect(incident).to.include({ private: true, type: 'security' });
    expect(incident!.channel).to.equal(undefined);
    expect(t.local.world.chats.get(incident!.chat!.id)).to.exist;
    // The Security type broadcasts a redacted line: severity, no title, no link to a room nobody else may enter.
    const broadcast = await eventually(() => t.local.world.activitiesIn(LOCAL.broadcastChannelId)[0]);
    const text = JSON.stringify(broadcast);
    expect(text).to.contain('A private incident is in progress, severity P1').and.not.contain('phished').and.not.contain(incident!.chat!.id);
  });

  it('changed later to a type that is private by default, a channel incident’s broadcast becomes the redacted line, and updates stop going there', async () => {
    await t.message('declare Strange logins on the admin console --sev P2');
    const [incident] = await provisioned(t);
    const root = () => t.local.world.activities.find((a) => a.id === incident!.broadcast!.activityId)!;
    expect(JSON.stringify(root().attachments)).to.contain('Strange logins');
    const inChannel = `${incident!.channel!.id};messageid=${incident!.card!.activityId}`;
    await t.message('type security', { conversationId: inChannel });
    await eventually(() => (JSON.stringify(root().attachments).includes('A private incident is in progress') ? true : undefined));
    expect(JSON.stringify(root().attachments)).to.not.contain('Strange logins');
    const repliesBefore = t.local.world.activitiesIn(LOCAL.broadcastChannelId).length;
    await t.message('update Sessions revoked for the admin accounts', { conversationId: inChannel });
    await eventually(() => t.local.world.activitiesIn(incident!.channel!.id).find((a) => JSON.stringify(a).includes('Sessions revoked')));
    await t.app.actions.drain();
    expect(t.local.world.activitiesIn(LOCAL.broadcastChannelId)).to.have.length(repliesBefore);
    // It stays in its channel (Teams cannot take back what the channel has read); the card says which type it now is.
    expect((await t.app.database.store.findById(incident!.id))!.type).to.equal('security');
  });

  it('the declare form’s Private toggle declares a private incident (and off, a public one)', async () => {
    const form = await t.invoke('declare', { title: 'Salary sheet shared', severity: 'P2', private: 'true' });
    expect(form.status).to.equal(200);
    await t.invoke('declare', { title: 'Checkout slow', severity: 'P3', private: 'false' });
    const [secret, open] = await provisioned(t, 2);
    expect(secret).to.include({ title: 'Salary sheet shared', private: true });
    expect(secret!.chat, 'a group chat').to.exist;
    expect(open).to.include({ title: 'Checkout slow' });
    expect(open!.private).to.equal(undefined);
    expect(open!.channel, 'a channel').to.exist;
  });

  it('when Teams refuses the chat, the card goes to each member’s personal chat, the reason is on the timeline and the reporter is told', async () => {
    t.local.graph.faults.add({ method: 'POST', path: /^\/v1\.0\/chats$/, status: 403, code: 'Forbidden', message: 'The tenant allows no more chats for this app.' });
    await t.message('declare Board minutes exposed --private');
    const [incident] = await provisioned(t);
    expect(incident!.chat).to.equal(undefined);
    expect(incident!.chatFallback!.reason).to.contain('403');
    expect(incident!.channel).to.equal(undefined);
    const personal = TeamsWorld.personalChatOf(ALEX.aadObjectId);
    const cards = t.local.world.cardsIn(personal);
    expect(cards.map((c) => cardText(c.card)).join(' ')).to.contain('Board minutes exposed');
    expect(t.local.world.activitiesIn(LOCAL.broadcastChannelId)).to.have.length(0);
    const timeline = await t.app.database.store.listEvents(incident!.id);
    expect(timeline.map((e) => e.kind)).to.include('chat_fallback');
    const answer = await eventually(() => t.local.world.activitiesIn('19:general@thread.tacv2').find((a) => a.byBot && JSON.stringify(a).includes('could not be made')));
    expect(JSON.stringify(answer)).to.contain('never posted in a channel');

    // Commands work from the reporter's personal chat; an invited member gets the card there too, and both copies are redrawn.
    const say = (text: string, mentions: typeof MEGAN[] = []) =>
      t.send({ type: 'message', from: ALEX, conversation: { id: personal, tenantId: TENANT, conversationType: 'personal' }, text: `${text}${mentions.map((p) => ` <at>${p.name}</at>`).join('')}`, entities: mentions.map(mentionOf) });
    await say('invite INC-1', [MEGAN]);
    await t.app.actions.drain();
    const megansChat = TeamsWorld.personalChatOf(MEGAN.aadObjectId);
    const megansCard = await eventually(() => t.local.world.cardsIn(megansChat).find((c) => cardText(c.card).includes('Board minutes exposed')));
    expect((await t.app.database.store.findById(incident!.id))!.personalCards).to.have.length(1);
    await say('sev P0 INC-1');
    await t.app.actions.drain();
    await eventually(() => t.local.world.activities.find((a) => a.id === megansCard.activity.id)!.version > 1, 10_000, 'Megan’s copy redrawn');
    await eventually(() => t.local.world.activities.find((a) => a.id === cards[0]!.activity.id)!.version > 1, 10_000, 'Alex’s copy redrawn');
    expect(t.local.world.activitiesIn(LOCAL.broadcastChannelId)).to.have.length(0);
  });
});
