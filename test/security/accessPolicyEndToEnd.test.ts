/**
 * The access policy through the real server: a member who is not the commander cannot close or
 * lower severity (and is told who can and how to take over), taking over command is announced to
 * the commander it replaces, the rota is its managers', timings are bounded, importing is the
 * admins'. Local mode names Alex Wilber admin; everyone else has the default policy.
 */
import { expect } from 'chai';
import { ALEX, cardText, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs } from '../helpers/tabApi.js';
import { TENANT } from '../helpers/testApp.js';

describe('security: the access policy, end to end', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  afterEach(() => room?.close());

  it('keeps the commander’s decisions the commander’s, and lets a member take over with a reason that the commander is told', async () => {
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P1');
    expect((await room.say('role commander me', { from: MEGAN })).text).to.contain('Megan Bowen is now the Incident Commander');

    const lower = await room.say('sev P3', { from: LEE });
    expect(lower.text).to.contain('Only the Incident Commander (Megan Bowen) or incident admins can lower the severity on INC-1');
    expect(lower.text).to.contain('`take command <reason>`');
    expect((await room.say('sev P0', { from: LEE })).text, 'raising is anyone’s').to.contain('P0');
    expect((await room.say('role commander me', { from: LEE })).text).to.contain('can hand over command');

    const before = (await room.incident()).version;
    expect((await room.say('take command', { from: LEE })).text).to.contain('Say why you are taking over from Megan Bowen');
    expect((await room.incident()).version, 'a refusal changes nothing').to.equal(before);

    const taken = await room.say('take command Megan is not answering her phone', { from: LEE });
    expect(taken.text, 'announced in the channel').to.contain('Lee Gu is now the Incident Commander (took over from Megan Bowen): Megan is not answering her phone');
    const incident = await room.incident();
    expect(incident.roles.commander?.name).to.equal(LEE.name);
    const events = await room.t.app.database.store.listEvents(incident.id);
    const event = events.find((e) => e.kind === 'command_taken')!;
    expect(event.actor.name).to.equal(LEE.name);
    expect(event.payload).to.deep.include({ reason: 'Megan is not answering her phone' });
    await room.t.app.actions.drain();
    const told = room.t.local.world.notifications.filter((n) => n.userId === MEGAN.aadObjectId && n.activityType === 'commandTaken');
    expect(told, 'Megan hears it in her activity feed').to.have.length(1);
    const posted = room.t.local.world.activitiesIn(incident.channel!.id).map((a) => cardText([a.text, a.attachments]));
    expect(posted.some((text) => text.includes('Lee Gu is now the Incident Commander (took over from Megan Bowen)')), posted.join('\n')).to.equal(true);

    // The new commander may now lower it; Megan no longer may.
    expect((await room.say('sev P2', { from: MEGAN })).text).to.contain('Only the Incident Commander (Lee Gu)');
    expect((await room.say('sev P2', { from: LEE })).text).to.not.contain('Only');
  });

  it('keeps the rota to its managers, and refuses timings that would switch escalation off', async () => {
    room = await openIncidentRoom();
    const refused = await room.say('oncall add', { from: MEGAN, mentions: [LEE] });
    expect(refused.text).to.equal('Only rota managers can change the on-call rota and shifts.');
    expect((await room.say('oncall timing P0 ack=5', { from: LEE })).text).to.equal('Only rota managers can change acknowledgement and update timings.');
    expect((await room.say('oncall', { from: MEGAN })).text, 'reading it is every member’s').to.contain('Rota');
    const bounded = await room.say('oncall timing P0 ack=10080', { from: ALEX });
    expect(bounded.text).to.contain('Those timings are not valid').and.contain('within 60 minutes');
    expect((await room.say('oncall timing P0 ack=5', { from: ALEX })).text).to.contain('P0 timings changed');
  });

  it('keeps importing past incidents to admins', async () => {
    room = await openIncidentRoom({}, 'Checkout API returns 500s');
    const answer = await fetch(`${room.t.app.url}/api/incidents/import`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(await signedInAs(room.t.app, MEGAN)) }, body: JSON.stringify({ format: 'csv', content: 'title,declared\nOld one,2026-01-01T10:00:00Z' }) });
    expect(answer.status).to.equal(403);
    expect(((await answer.json()) as { error: string }).error).to.contain('Only admins can import past incidents').and.contain('Nothing was imported');
  });

  it('refuses a declare from someone outside the incidents team, creating nothing', async () => {
    room = await openIncidentRoom();
    const outsider = { id: '29:mallory', name: 'Mallory', aadObjectId: '99999999-0000-0000-0000-000000000000' };
    const before = await room.t.app.database.store.listOpen(TENANT, 50);
    const answer = await room.say('declare Everything is on fire', { from: outsider, conversationId: 'a:mallory-personal' });
    expect(answer.text).to.contain('Only members of the incidents team can declare an incident').and.contain('Nothing was created');
    expect(await room.t.app.database.store.listOpen(TENANT, 50)).to.have.length(before.length);
  });
});
