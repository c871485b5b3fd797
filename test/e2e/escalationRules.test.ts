import { expect } from 'chai';
import { movableClock } from '../helpers/clock.js';
import { cardText, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';

describe('escalation rules: long P1s and data loss become P0', () => {
  let room: IncidentRoom;
  afterEach(async () => {
    await room.close();
  });

  it('suggest mode: the card offers "Raise to P0" once a P1 passes the limit, and changes nothing by itself', async () => {
    const clock = movableClock();
    room = await openIncidentRoom({ ESCALATION_P1_MAX_MINUTES: '30' }, 'Payments failing --sev P1', { clock });
    expect(cardText((await room.click('refresh')).value)).not.to.contain('Raise to P0');
    clock.advanceMinutes(45);
    const card = cardText((await room.click('refresh')).value);
    expect(card).to.contain('should probably be **P0**').and.contain('it has been a P1 for 45 minutes (the limit is 30)').and.contain('"severityTo":"P0"');
    expect((await room.incident()).severity).to.equal('P1');
  });

  it('force mode: a P1 past the limit is raised to P0 once, by incident-room, when the card is next looked at', async () => {
    const clock = movableClock();
    room = await openIncidentRoom({ ESCALATION_P1_MAX_MINUTES: '30', ESCALATION_MODE: 'force' }, 'Payments failing --sev P1', { clock });
    clock.advanceMinutes(31);
    await Promise.all([room.click('refresh'), room.click('refresh')]);
    const incident = await room.incident();
    expect(incident.severity).to.equal('P0');
    const raises = (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'severity_changed');
    expect(raises).to.have.length(1);
    expect(raises[0]!.actor).to.deep.include({ kind: 'system' });
    expect(raises[0]!.payload.reason).to.contain('P1 for 31 minutes');
  });

  it('force mode: reporting data loss in the summary makes it P0 at once', async () => {
    room = await openIncidentRoom({ ESCALATION_MODE: 'force' }, 'Orders missing --sev P2');
    const response = await room.click('summary', { environment: 'Production', type: 'Self', dataLoss: 'true' });
    expect(cardText(response.value)).to.contain('data loss was reported, so it is now P0');
    expect(await room.incident()).to.include({ severity: 'P0', dataLoss: true });
  });

  it('suggest mode: data loss is flagged on the card with the raise offered', async () => {
    room = await openIncidentRoom({}, 'Orders missing --sev P2');
    const response = await room.click('summary', { environment: 'Production', type: 'Self', dataLoss: 'true' });
    expect(cardText(response.value)).to.contain('data loss or corruption was reported').and.contain('Raise to P0');
    expect((await room.incident()).severity).to.equal('P2');
  });
});
