import { expect } from 'chai';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';

/** Issue 20, item 13: the channel header says the current severity, and never an internal id. */
describe('the incident channel’s header', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  afterEach(() => room?.close());

  it('follows the severity and the topic, and shows people no internal marker', async () => {
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P1');
    const incident = await room.incident();
    const header = () => room.t.local.world.channels.get(incident.channel!.id)!.description ?? '';
    expect(header()).to.equal('INC-1 (P1): Checkout API returns 500s');
    expect(header()).to.not.match(/incident-room:|Managed by/);
    await room.say('sev P2');
    expect(header()).to.equal('INC-1 (P2): Checkout API returns 500s');
    await room.click('summary', { environment: 'Production', component: 'checkout', probableCause: 'pool exhausted', topicLine: 'Checkout failing for 12% of orders', sreOwner: 'Megan Bowen' });
    expect(header()).to.match(/^INC-1 \(P2\): Checkout failing for 12% of orders \| SRE: Megan Bowen/);
    await room.say('sev P1');
    expect(header(), 'the topic line stays, with the new severity').to.match(/^INC-1 \(P1\): Checkout failing for 12% of orders/);
  });
});
