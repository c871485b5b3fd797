import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { activity, TENANT } from '../helpers/testApp.js';
import { ALEX, cardText, LEE, MEGAN, OUTSIDER, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';

describe('chat commands mirror the buttons', () => {
  let room: IncidentRoom;
  beforeEach(async () => {
    room = await openIncidentRoom();
  });
  afterEach(async () => {
    await room.close();
  });

  it('ack, status, sev, update, escalate, resolve in the incident channel act on its incident', async () => {
    expect((await room.say('ack')).text).to.contain('Alex Wilber acknowledged INC-1');
    expect((await room.say('status investigating')).text).to.contain('from triage to investigating');
    expect((await room.say('sev p1')).text).to.contain('from P2 to P1');
    // Announced in the channel (and the broadcast thread) once: the announcement is the answer, no second post.
    expect((await room.say('update Rolled back the deploy')).text).to.contain('Rolled back the deploy');
    expect((await room.say('escalate need a DBA')).text).to.contain('level 1');
    expect((await room.say('resolve')).text).to.contain('to resolved');
    const incident = await room.incident();
    expect(incident).to.include({ status: 'resolved', severity: 'P1' });
    expect(incident.lastUpdate!.text).to.equal('Rolled back the deploy');
    expect(incident.milestones.acknowledged && incident.milestones.mitigated && incident.milestones.resolved).to.be.instanceOf(Date);
  });

  it('role with a Teams mention, and `me`', async () => {
    expect((await room.say('role comms', { mentions: [MEGAN] })).text).to.contain('Megan Bowen is now the Communications lead');
    expect((await room.say('role ic me', { from: LEE })).text).to.contain('Lee Gu is now the Incident Commander');
    expect((await room.say('role sme', { mentions: [ALEX] })).text).to.contain('joined INC-1 as an SME');
    const roles = (await room.incident()).roles;
    expect(roles.communications!.id).to.equal(MEGAN.id);
    expect(roles.commander!.id).to.equal(LEE.id);
    expect(roles.smes.map((p) => p.id)).to.deep.equal([ALEX.id]);
    expect((await room.say('role wizard me')).text).to.contain('Which role?');
  });

  it('summary answers with the summary form; info with the card; list with open incidents', async () => {
    const summary = await room.say('summary');
    expect(cardText(summary.card)).to.contain('Status summary for INC-1').and.contain('"dialog":"summary"').and.contain('"task/fetch"');
    const info = await room.say('info');
    expect(cardText(info.card)).to.contain('INC-1').and.contain('Checkout API returns 500s');
    await room.t.message('declare Search is slow', { from: MEGAN });
    const list = await room.say('list all', { conversationId: 'a:personal-alex' });
    expect(cardText(list.card)).to.contain('2 open incidents').and.contain('INC-1').and.contain('INC-2');
  });

  it('close is refused until the milestones and summary exist, then closes', async () => {
    expect((await room.say('close')).text).to.contain('cannot be closed yet');
    await room.say('role ic me');
    await room.click('summary', { environment: 'Production', type: 'Self' });
    await room.say('resolve');
    expect((await room.say('close')).text).to.contain('closed INC-1');
  });

  it('bad arguments get a clear answer and change nothing', async () => {
    const before = (await room.incident()).version;
    expect((await room.say('status exploded')).text).to.contain('Which status?');
    expect((await room.say('sev P9')).text).to.contain('Which severity?');
    expect((await room.say('status closed')).text).to.contain('cannot be closed yet');
    expect((await room.say('update')).text).to.contain('An update needs some text');
    expect((await room.incident()).version).to.equal(before);
  });

  it('from a personal chat, commands name the incident; members may act, others may not', async () => {
    const personal = 'a:personal-chat';
    expect((await room.say('ack', { conversationId: personal })).text).to.contain('Which incident?').and.contain('INC-1 (Checkout API returns 500s)');
    expect((await room.say('status identified INC-1', { conversationId: personal, from: MEGAN })).text).to.contain('from triage to identified');
    const refused = await room.say('status monitoring INC-1', { conversationId: personal, from: OUTSIDER });
    expect(refused.text).to.contain('Only members of the incidents team can move the status');
    expect((await room.say('status resolved INC-1', { conversationId: personal, from: OUTSIDER })).text).to.match(/^Only members of the incidents team \(while nobody commands it\), people holding a role on the incident or incident admins can resolve on INC-1/);
    expect((await room.say('list all', { conversationId: personal, from: OUTSIDER })).text).to.contain('Only members');
    // Their own incidents (followed from the broadcast channel) are theirs to list, member or not.
    expect(cardText((await room.say('list', { conversationId: personal, from: OUTSIDER })).card)).to.contain('You hold no role in an open incident and follow none');
    expect((await room.incident()).status).to.equal('identified');
    expect((await room.say('ack INC-99', { conversationId: personal })).text).to.contain('There is no INC-99');
  });

  it('help and mistyped commands in the incident channel offer calls to action', async () => {
    const help = await room.say('help');
    const json = cardText(help.card);
    for (const cta of ['Become IC', 'Update status', 'Show info', 'Edit summary', 'Escalate']) expect(json).to.contain(cta);
    const typo = await room.say('stauts resolved');
    expect(cardText(typo.card)).to.contain("I don't know “stauts”").and.contain('Did you mean `status`?').and.contain('Become IC');
    // Help reads by what you are doing, not as one wall of commands.
    expect(cardText(typo.card)).to.contain('Declare').and.contain('Run the incident').and.contain('Look things up');
    expect(cardText((await room.say('xyzzy')).card), 'no guess for a word far from every command').to.not.contain('Did you mean');
    const info = await room.click('info');
    expect(cardText(info.value)).to.contain('Checkout API returns 500s');
    const form = await room.click('editSummary');
    expect(cardText(form.value)).to.contain('Status summary for INC-1');
  });

  it('someone joining the incident channel is greeted once with help and calls to action; nobody is messaged when the team grows', async () => {
    const incident = await room.incident();
    const update = (conversationId: string, eventType: string, membersAdded: { id: string; name: string }[], conversationType = 'channel') =>
      fetch(`${room.t.app.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(
          activity(room.t.app, room.t.local, {
            type: 'conversationUpdate',
            id: randomUUID(),
            from: ALEX,
            conversation: { id: conversationId, tenantId: TENANT, conversationType },
            membersAdded,
            channelData: { tenant: { id: TENANT }, eventType, channel: { id: conversationId } },
          }),
        ),
      });
    const posted = async (send: () => Promise<Response>) => {
      const before = room.t.local.world.activities.length;
      await send();
      return room.t.local.world.activities.slice(before);
    };
    const [greeting, ...more] = await posted(() => update(incident.channel!.id, 'channelMemberAdded', [{ id: LEE.id, name: LEE.name }]));
    expect(more).to.have.length(0);
    expect(cardText(greeting?.attachments)).to.contain('Welcome, Lee Gu! This is INC-1').and.contain('Become IC');
    expect(await posted(() => update(incident.channel!.id, 'channelMemberAdded', [{ id: LEE.id, name: LEE.name }])), 'a second join').to.have.length(0);
    const joins = (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'channel_joined');
    expect(joins.map((e) => e.actor.name)).to.deep.equal([LEE.name]);
    // Members added to the team: Microsoft's guidance is not to message anyone.
    expect(await posted(() => update('19:general@thread.tacv2', 'teamMemberAdded', [{ id: MEGAN.id, name: MEGAN.name }]))).to.have.length(0);
    // The app installed for a person: one introduction in that personal chat.
    const intro = await posted(() => update('a:personal-lee', '', [{ id: '28:incident-room', name: 'incident-room' }], 'personal'));
    expect(intro).to.have.length(1);
    expect(cardText(intro[0]!.attachments)).to.contain('I run incidents in Teams');
  });

  it('people talking to each other in the incident channel (no @mention of the bot) get no answer', async () => {
    const incident = await room.incident();
    const before = room.t.local.world.activities.length;
    const answer = await room.t.send({ type: 'message', text: 'ack, I am looking at the dashboards', conversation: { id: `${incident.channel!.id};messageid=${randomUUID()}`, tenantId: TENANT, conversationType: 'channel' } });
    expect(answer.status).to.equal(200);
    expect(room.t.local.world.activities.slice(before)).to.have.length(0);
    expect((await room.incident()).milestones.acknowledged).to.equal(undefined);
  });
});
