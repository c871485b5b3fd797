import { expect } from 'chai';
import { GraphCalendar } from '../../adapters/graph/graphCalendar.js';
import { createGraphClient, localTokens } from '../../adapters/graph/graphClient.js';
import { LocalTeams } from '../../local/localTeams.js';
import { LOCAL } from '../../local/defaults.js';
import { SAMPLE_PEOPLE } from '../../local/world/people.js';
import { PermanentError } from '../../models/support/errors.js';
import { failureOf } from '../helpers/failure.js';

/** The Calendar port through the Graph stand-in, and the stand-in's rules from Learn (getSchedule, Create event, Update event). */
describe('calendars through Graph: free/busy, the review event, moving it', () => {
  let local: LocalTeams;
  let calendar: GraphCalendar;
  const [alex, megan] = SAMPLE_PEOPLE;
  const organizer = alex!.aadObjectId;
  const start = new Date('2026-12-07T08:00:00Z');
  const end = new Date('2026-12-07T10:00:00Z');
  const raw = (path: string, body: unknown) => fetch(`${local.graph.url}/v1.0${path}`, { method: 'POST', body: JSON.stringify(body), headers: { Authorization: 'Bearer local', 'Content-Type': 'application/json' } });

  beforeEach(async () => {
    local = await LocalTeams.start({ teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizers: [LOCAL.meetingOrganizerId] });
    calendar = new GraphCalendar(createGraphClient(local.graph.url, localTokens), LOCAL.teamId);
  });
  afterEach(() => local.stop());

  it('finds mailboxes among the team’s members, and reads free/busy per interval (tentative is 1, busy 2), unknown mailboxes as unreadable', async () => {
    expect([...(await calendar.emailsOf([alex!.aadObjectId, megan!.aadObjectId, 'not-a-member']))]).to.deep.equal([[alex!.aadObjectId, alex!.email], [megan!.aadObjectId, megan!.email]]);
    local.world.calendars.set(megan!.email, [{ start: new Date('2026-12-07T08:30:00Z'), end: new Date('2026-12-07T09:00:00Z'), status: 'tentative' }, { start: new Date('2026-12-07T09:30:00Z'), end: new Date('2026-12-07T10:00:00Z'), status: 'busy' }]);
    const views = await calendar.freeBusy(organizer, [alex!.email, megan!.email, 'nobody@contoso.example'], start, end, 30);
    expect(views).to.deep.equal([{ person: alex!.email, view: '0000' }, { person: megan!.email, view: '0102' }, { person: 'nobody@contoso.example', view: undefined }]);
  });

  it('refuses what getSchedule refuses: no schedules, an interval outside 5–1440, an end before the start', async () => {
    const path = `/users/${organizer}/calendar/getSchedule`;
    const times = { startTime: { dateTime: '2026-12-07T08:00:00', timeZone: 'UTC' }, endTime: { dateTime: '2026-12-07T10:00:00', timeZone: 'UTC' } };
    expect((await raw(path, { ...times, schedules: [] })).status).to.equal(400);
    expect((await raw(path, { ...times, schedules: [alex!.email], availabilityViewInterval: 2 })).status).to.equal(400);
    expect((await raw(path, { schedules: [alex!.email], startTime: times.endTime, endTime: times.startTime })).status).to.equal(400);
    expect((await raw(path, { ...times, schedules: [alex!.email] })).status).to.equal(200);
  });

  it('creates the event once per key (a retry finds it), moves it, and a missing permission is a PermanentError naming it', async () => {
    const spec = { subject: 'INC-7 post-mortem review', body: '<p>x</p>', start, end: new Date('2026-12-07T09:00:00Z'), attendees: [{ name: megan!.name, email: megan!.email }], key: 'incident-room-review-7' };
    const created = await calendar.createEvent(organizer, spec);
    expect(await calendar.createEvent(organizer, spec)).to.deep.equal(created);
    expect(created.webLink).to.be.a('string');
    // The review now counts as busy time for Megan.
    expect((await calendar.freeBusy(organizer, [megan!.email], start, end, 30))[0]!.view).to.equal('2200');
    await calendar.moveEvent(organizer, created.id, new Date('2026-12-07T09:00:00Z'), new Date('2026-12-07T10:00:00Z'));
    expect((await calendar.freeBusy(organizer, [megan!.email], start, end, 30))[0]!.view).to.equal('0022');
    // Another user's calendar does not have it.
    expect(await failureOf(calendar.moveEvent(megan!.aadObjectId, created.id, start, end))).to.be.instanceOf(PermanentError);
    local.graph.granted.delete('Calendars.ReadWrite');
    const refused = await failureOf(calendar.freeBusy(organizer, [megan!.email], start, end, 30));
    expect(refused).to.be.instanceOf(PermanentError);
    expect((refused as Error).message).to.contain('Calendars.ReadWrite');
  });
});
