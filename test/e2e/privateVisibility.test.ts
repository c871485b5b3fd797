/**
 * Nothing of a private incident leaks to someone who is not its member (or an incident admin):
 * one test per read surface, each against the running app with the local Teams. Alex (local
 * mode's admin) reports it; Megan, in the incidents team, is not a member; Lee gets invited.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ALEX, cardText, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { TeamsWorld } from '../../local/world/teamsWorld.js';
import { provisioned, tenantConfigFile } from '../helpers/testApp.js';
import { LOCAL } from '../../local/defaults.js';

const TITLE = 'Payroll export leaks salaries';

describe('private incidents: invisible to non-members on every surface (end to end)', () => {
  let room: IncidentRoom;
  beforeEach(async () => {
    room = await openIncidentRoom({}, `${TITLE} --sev P1 --private`);
  });
  afterEach(() => room.close());

  const general = () => `19:general@thread.tacv2;messageid=${randomUUID()}`;
  const chatId = async () => (await room.incident()).chat!.id;
  const tabAs = async (person: { aadObjectId: string }) => tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app, person));

  it('chat `list all`: a non-member’s list leaves it out; a member’s shows it', async () => {
    const megans = await room.say('list all', { from: MEGAN, conversationId: general() });
    expect(megans.card, 'Megan got a list').to.exist;
    expect(JSON.stringify(megans)).to.not.contain(TITLE).and.not.contain('INC-1');
    // Its member asking in a channel (others read the answer) does not get it named there either; in their personal chat, yes.
    const inChannel = await room.say('list all', { from: ALEX, conversationId: general() });
    expect(JSON.stringify(inChannel)).to.not.contain(TITLE);
    const alexs = await room.say('list all', { from: ALEX, conversationId: TeamsWorld.personalChatOf(ALEX.aadObjectId) });
    expect(JSON.stringify(alexs)).to.contain(TITLE);
  });

  it('`info INC-1` by a member outside its chat: told to ask there, with nothing of it said in the channel', async () => {
    const inChannel = await room.say('info INC-1', { from: ALEX, conversationId: general() });
    expect(inChannel.text).to.equal('INC-1 is private: ask in its chat, or in your personal chat with me.');
    const personal = await room.say('info INC-1', { from: ALEX, conversationId: TeamsWorld.personalChatOf(ALEX.aadObjectId) });
    expect(JSON.stringify(personal.card)).to.contain(TITLE);
  });

  it('`info INC-1`: a non-member hears it does not exist, exactly as for a number never used', async () => {
    const hidden = await room.say('info INC-1', { from: MEGAN, conversationId: general() });
    const never = await room.say('info INC-99', { from: MEGAN, conversationId: general() });
    expect(hidden.text).to.equal('There is no INC-1.');
    expect(never.text).to.equal('There is no INC-99.');
    // And a change typed by a non-member names nothing either.
    expect((await room.say('ack INC-1', { from: MEGAN, conversationId: general() })).text).to.equal('There is no INC-1.');
    expect((await room.incident()).milestones.acknowledged).to.equal(undefined);
  });

  it('card actions: a non-member clicking a button of its card is refused without details, and nothing changes', async () => {
    const before = await room.incident();
    for (const verb of ['ack', 'info', 'refresh', 'resolve']) {
      const answer = await room.click(verb, {}, { from: MEGAN, conversationId: await chatId() });
      expect(JSON.stringify(answer), verb).to.not.contain(TITLE);
      expect(JSON.stringify(answer), verb).to.contain('cannot find');
    }
    expect((await room.incident()).version).to.equal(before.version);
  });

  it('the tab API by id (the incident, its timeline, its post-mortem): 404 for a non-member, as for an unknown id', async () => {
    const megan = await tabAs(MEGAN);
    for (const path of ['', '/events', '/postmortem']) {
      const answer = await megan.get(path);
      expect(answer.status, path || '/').to.equal(404);
      expect(answer.text).to.not.contain(TITLE);
    }
    const alex = await tabAs(ALEX);
    expect((await alex.get('')).body.incident.title).to.equal(TITLE);
  });

  it('exports: the timeline export answers 404 to a non-member', async () => {
    const megan = await tabAs(MEGAN);
    for (const format of ['csv', 'json']) {
      const answer = await megan.get(`/export/${format}`);
      expect(answer.status, format).to.equal(404);
      expect(answer.text).to.not.contain(TITLE);
    }
    expect((await (await tabAs(ALEX)).get('/export/csv')).text).to.contain(TITLE);
  });

  it('follow: a non-member cannot follow it (refused without details), so no update reaches them', async () => {
    const answer = await room.click('follow', {}, { from: MEGAN, conversationId: await chatId() });
    expect(JSON.stringify(answer)).to.not.contain(TITLE);
    expect((await room.incident()).followers ?? []).to.have.length(0);
  });

  it('My incidents: someone removed from it no longer finds it there, though they followed it', async () => {
    await room.say('invite', { from: ALEX, conversationId: await chatId(), mentions: [MEGAN] });
    await room.click('follow', {}, { from: MEGAN, conversationId: await chatId() });
    const mine = async () => (await fetch(`${room.t.app.url}/tab/api/me/incidents`, { headers: await signedInAs(room.t.app, MEGAN) })).text();
    expect(await mine()).to.contain(TITLE);
    await room.say('remove', { from: ALEX, conversationId: await chatId(), mentions: [MEGAN] });
    expect(await mine()).to.not.contain(TITLE);
    const personal = await room.say('list', { from: MEGAN, conversationId: TeamsWorld.personalChatOf(MEGAN.aadObjectId) });
    expect(JSON.stringify(personal)).to.not.contain(TITLE);
  });

  it('metrics JSON and CSV: a non-member sees it only as a count, never its title', async () => {
    const headers = await signedInAs(room.t.app, MEGAN);
    const json = await fetch(`${room.t.app.url}/api/metrics`, { headers });
    const report = await json.json();
    expect(report.incidents).to.equal(1);
    expect(JSON.stringify(report)).to.not.contain(TITLE);
    const csv = await (await fetch(`${room.t.app.url}/api/metrics.csv`, { headers })).text();
    expect(csv).to.not.contain(TITLE);
  });

  it('a type whose private incidents are hidden from others’ metrics: left out of a non-member’s metrics (JSON, CSV, chat), counted for an incident admin', async () => {
    await room.close();
    room = await openIncidentRoom({ TENANT_CONFIG_FILE: tenantConfigFile({ default: { types: { security: { privateInMetrics: 'hidden' } }, access: { admins: [`user:${LOCAL.adminAadObjectId}`] } } }) }, 'Admin account phished --type security');
    await room.t.message('declare Checkout slow --sev P3', { from: ALEX });
    await provisioned(room.t, 2);
    const metricsAs = async (person: { aadObjectId: string }) => (await fetch(`${room.t.app.url}/api/metrics`, { headers: await signedInAs(room.t.app, person) })).json();
    const megans = await metricsAs(MEGAN);
    expect(megans.incidents, 'Megan: the public one only').to.equal(1);
    expect(megans.byType.map((t: { type: string }) => t.type)).to.not.include('security');
    const csv = await (await fetch(`${room.t.app.url}/api/metrics.csv`, { headers: await signedInAs(room.t.app, MEGAN) })).text();
    expect(csv).to.not.match(/^type,security,/m);
    const card = await room.say('metrics', { from: MEGAN, conversationId: general() });
    // The chat card's facts are Markdown: "1 (P3: 1)", escaped.
    expect(JSON.stringify(card.card)).to.contain(JSON.stringify({ title: 'Incidents', value: '1 \\(P3\\: 1\\)' }).slice(1, -1));
    expect((await metricsAs(ALEX)).incidents, 'Alex, an incident admin: both').to.equal(2);
  });

  it('its meeting admits its members only: they are its attendees, the lobby keeps the rest out, and invite and remove follow', async () => {
    const incident = await room.incident();
    const meeting = () => room.t.local.world.meetings.get(incident.meeting!.id)!;
    expect(meeting()).to.deep.include({ attendees: [ALEX.aadObjectId], lobbyScope: 'invited' });
    await room.say('invite', { from: ALEX, conversationId: await chatId(), mentions: [LEE] });
    await room.t.app.actions.drain();
    expect(meeting().attendees).to.deep.equal([ALEX.aadObjectId, LEE.aadObjectId]);
    await room.say('remove', { from: ALEX, conversationId: await chatId(), mentions: [LEE] });
    await room.t.app.actions.drain();
    expect(meeting().attendees).to.deep.equal([ALEX.aadObjectId]);
  });

  it('invite and remove: the person joins and leaves the chat, sees it and then does not, each change credited on the timeline', async () => {
    const lee = await tabAs(LEE);
    expect((await lee.get('')).status).to.equal(404);
    await room.say('invite', { from: ALEX, conversationId: await chatId(), mentions: [LEE] });
    let incident = await room.incident();
    expect(incident.members!.map((m) => m.id)).to.deep.equal([ALEX.id, LEE.id]);
    const chat = room.t.local.world.chats.get(incident.chat!.id)!;
    expect(chat.members!.map((m) => m.userId)).to.include(LEE.aadObjectId);
    expect((await lee.get('')).status).to.equal(200);

    // A second invite is refused and changes nothing; a non-member cannot invite themselves in.
    expect((await room.say('invite', { from: ALEX, conversationId: await chatId(), mentions: [LEE] })).text).to.contain('already a member');
    expect((await room.say('invite INC-1', { from: MEGAN, conversationId: general(), mentions: [MEGAN] })).text).to.equal('There is no INC-1.');

    await room.say('remove', { from: ALEX, conversationId: await chatId(), mentions: [LEE] });
    incident = await room.incident();
    expect(incident.members!.map((m) => m.id)).to.deep.equal([ALEX.id]);
    expect(chat.members!.map((m) => m.userId)).to.not.include(LEE.aadObjectId);
    expect((await lee.get('')).status).to.equal(404);

    const events = await room.t.app.database.store.listEvents(incident.id);
    const changes = events.filter((e) => e.kind === 'member_invited' || e.kind === 'member_removed');
    expect(changes.map((e) => [e.kind, e.actor.id, (e.payload.person as { id: string }).id])).to.deep.equal([
      ['member_invited', ALEX.id, LEE.id],
      ['member_removed', ALEX.id, LEE.id],
    ]);
  });

  it('Invite with a person picked from the directory whom the chat does not know yet: found in the incidents team', async () => {
    const incident = await room.incident();
    // Teams answers the member lookup only for people in the conversation.
    room.t.local.connector.faults.add({ method: 'GET', path: /\/v3\/conversations\/[^/]+\/members\//, status: 404, code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.', times: 5 });
    const answer = await room.click('invite', { member: LEE.aadObjectId }, { from: ALEX, conversationId: incident.chat!.id });
    expect(JSON.stringify(answer)).to.contain(`${LEE.name} is now a member`);
    const member = (await room.incident()).members!.find((m) => m.aadObjectId === LEE.aadObjectId)!;
    expect(member).to.deep.include({ name: LEE.name, id: `aad:${LEE.aadObjectId}` });
    expect(room.t.local.world.chats.get(incident.chat!.id)!.members!.map((m) => m.userId)).to.include(LEE.aadObjectId);
  });

  it('an update goes to its chat, and never to the broadcast channel', async () => {
    const incident = await room.incident();
    await room.say('update Salaries file pulled from the share', { from: ALEX, conversationId: incident.chat!.id });
    await room.t.app.actions.drain();
    const inChat = room.t.local.world.activitiesIn(incident.chat!.id).filter((a) => JSON.stringify(a).includes('Salaries file pulled'));
    expect(inChat.some((a) => a.byBot), 'the update posted in the chat').to.equal(true);
    const elsewhere = room.t.local.world.activities.filter((a) => a.byBot && a.conversationId !== incident.chat!.id && JSON.stringify(a).includes('Salaries file pulled'));
    expect(elsewhere).to.have.length(0);
  });

  it('a role given to someone outside it makes them a member, in the chat too', async () => {
    await room.say('role sme', { from: ALEX, conversationId: await chatId(), mentions: [LEE] });
    const incident = await room.incident();
    expect(incident.roles.smes.map((p) => p.id)).to.deep.equal([LEE.id]);
    expect(incident.members!.map((m) => m.id)).to.deep.equal([ALEX.id, LEE.id]);
    expect(room.t.local.world.chats.get(incident.chat!.id)!.members!.map((m) => m.userId)).to.include(LEE.aadObjectId);
    expect((await (await tabAs(LEE)).get('')).status).to.equal(200);
  });

  it('the card in the chat shows its members and the Invite and Remove buttons; a member clicks Invite with a picked person', async () => {
    const incident = await room.incident();
    const card = room.t.local.world.cardsIn(incident.chat!.id).at(-1)!.card;
    expect(cardText(card)).to.contain('Private').and.contain(ALEX.name);
    expect(JSON.stringify(card)).to.contain('"verb":"invite"').and.contain('"verb":"removeMember"');
    const answer = await room.click('invite', { member: LEE.id }, { from: ALEX, conversationId: incident.chat!.id });
    expect(JSON.stringify(answer)).to.contain('is now a member');
    expect((await room.incident()).members!.map((m) => m.id)).to.include(LEE.id);
  });
});
