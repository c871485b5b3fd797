import { expect } from 'chai';
import { MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { TENANT } from '../helpers/testApp.js';

/** Issue 20, item 15: the checklist ticks what the record proves, by incident-room, saying why; the rest stay manual. */
describe('the checklist ticks itself', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  afterEach(() => room?.close());

  it('commander assigned, first update, status summary and topic, people on the bridge: ticked by incident-room on the timeline', async () => {
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P2');
    await room.say('role commander me', { from: MEGAN });
    await room.say('update Rolled back the deploy');
    await room.click('summary', { environment: 'Production', topicLine: 'Checkout failing for 12% of orders' });
    const incident = await room.incident();
    const world = room.t.local.world;
    world.meetingEventRoute = { ...world.meetingEventRoute!, tenantId: TENANT };
    const person = world.people.find((p) => p.name === MEGAN.name)!;
    await fetch(`${room.t.local.connector.url}/view/meetings/${encodeURIComponent(incident.meeting!.id)}?as=${encodeURIComponent(person.id)}`);
    await room.t.app.actions.drain();

    const after = await room.incident();
    for (const item of ['roles', 'communicate', 'statement', 'loop', 'call']) {
      expect(after.checklist?.[item], item).to.deep.include({ by: { kind: 'system', id: 'incident-room', name: 'incident-room' } });
    }
    expect(after.checklist?.['stabilise'], 'what the record cannot prove stays for people').to.equal(undefined);
    const ticks = (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'checklist_ticked');
    expect(ticks.map((e) => e.payload.because)).to.include.members(['an Incident Commander was assigned', 'the first update was posted', 'the topic line was written', 'a status summary was posted', 'people joined the bridge']);
    expect(ticks.every((e) => e.actor.kind === 'system')).to.equal(true);

    // Once is enough: a second update ticks nothing again.
    await room.say('update Error rate falling');
    expect((await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'checklist_ticked')).to.have.length(ticks.length);
  });
});
