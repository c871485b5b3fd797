import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { SAMPLE_PEOPLE } from '../../local/world/people.js';
import { movableClock } from '../helpers/clock.js';
import { ALEX, cardText, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

const emailOf = (person: { id: string }) => SAMPLE_PEOPLE.find((p) => p.id === person.id)!.email;

/**
 * The post-mortem review in Outlook: once resolved, `review` (or the tab's button) finds the first
 * working hour before the post-mortem is due when most role holders are free (free/busy through
 * Graph's getSchedule), puts it in the asker's calendar with a Teams meeting and everyone invited,
 * shows it on the card and the timeline; asked again, moves it.
 */
describe('the post-mortem review, scheduled in Outlook', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  const clock = movableClock();

  beforeEach(async () => {
    // Monday 2026-12-07 08:40 UTC, whatever today is: the free/busy below is that day's.
    clock.advanceMinutes((Date.parse('2026-12-07T08:40:00Z') - clock.now().getTime()) / 60_000);
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P2', { clock, timers: false });
    await room.click('ack');
    await room.click('takeRole', { role: 'commander' });
    await room.say('role sme', { mentions: [MEGAN] });
    await room.say('role tech', { mentions: [LEE] });
  });
  afterEach(() => room.close());
  const resolve = () => room.click('resolve');

  it('is refused before the incident is resolved, and says when it can be', async () => {
    expect((await room.say('review')).text).to.contain('is triage: the review is scheduled once it is resolved');
    expect([...room.t.local.world.meetings.values()].filter((m) => m.subject.includes('review'))).to.deep.equal([]);
  });

  it('finds the first hour everyone is free (Megan is busy until 11:00), invites every role holder, and shows it on the card and timeline', async () => {
    await resolve();
    room.t.local.world.calendars.set(emailOf(MEGAN).toLowerCase(), [{ start: new Date('2026-12-07T08:00:00Z'), end: new Date('2026-12-07T11:00:00Z'), status: 'busy' }]);
    const answer = await room.say('review');
    expect(answer.text).to.contain('post-mortem review is set for 2026-12-07 11:00 UTC with Alex Wilber, Lee Gu, Megan Bowen');

    const [event] = [...room.t.local.world.meetings.values()].filter((m) => m.subject.startsWith('INC-1 post-mortem review'));
    expect(event).to.deep.include({ organizerId: ALEX.aadObjectId, via: 'calendarEvent', startDateTime: '2026-12-07T11:00:00.000' });
    expect(event!.attendees).to.have.members([emailOf(ALEX), emailOf(MEGAN), emailOf(LEE)]);
    expect(event!.body).to.contain('Blameless review of INC-1').and.contain('open it in Teams');

    const incident = await room.incident();
    expect(incident.review).to.deep.include({ eventId: event!.id, organizerId: ALEX.aadObjectId });
    const card = room.t.local.world.cardsIn(incident.channel!.id).find((c) => c.activity.id === incident.card!.activityId)!;
    expect(cardText([{ content: card.card }])).to.contain('Review').and.contain('in Outlook');
    const events = (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'review_scheduled');
    expect(events.map((e) => e.actor.name)).to.deep.equal(['Alex Wilber']);
  });

  it('a retried request (the same message again) neither moves the review nor records it twice', async () => {
    await resolve();
    const id = randomUUID();
    await room.say('review', { id });
    const [event] = [...room.t.local.world.meetings.values()].filter((m) => m.subject.includes('post-mortem review'));
    const start = event!.startDateTime;
    expect((await room.say('review', { id })).text).to.contain('That was done already');
    expect(event!.startDateTime).to.equal(start);
    const kinds = (await room.t.app.database.store.listEvents((await room.incident()).id)).map((e) => e.kind).filter((k) => k.startsWith('review_'));
    expect(kinds).to.deep.equal(['review_scheduled']);
  });

  it('asked again, moves the same event to the next free hour, naming who is busy when nobody finds a common one', async () => {
    await resolve();
    await room.say('review');
    const [first] = [...room.t.local.world.meetings.values()].filter((m) => m.subject.includes('post-mortem review'));
    // Lee is away for the rest of the window: the review moves to the next hour the others are free, and says Lee is busy.
    room.t.local.world.calendars.set(emailOf(LEE).toLowerCase(), [{ start: new Date('2026-12-07T00:00:00Z'), end: new Date('2026-12-31T00:00:00Z'), status: 'oof' }]);
    const moved = await room.say('review');
    expect(moved.text).to.contain('post-mortem review is moved to').and.contain('busy then: Lee Gu');
    const all = [...room.t.local.world.meetings.values()].filter((m) => m.subject.includes('post-mortem review'));
    expect(all).to.have.length(1);
    expect(all[0]!.id).to.equal(first!.id);
    expect(Date.parse(`${all[0]!.startDateTime}Z`)).to.be.greaterThan(Date.parse('2026-12-07T09:00:00Z'));
    expect((await room.t.app.database.store.listEvents((await room.incident()).id)).map((e) => e.kind)).to.include('review_moved');
  });

  it('from the tab too; without Calendars.ReadWrite it says which permission to grant, and nothing is sent', async () => {
    await resolve();
    const api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
    room.t.local.graph.granted.delete('Calendars.ReadWrite');
    const refused = await api.post('/postmortem/review', { key: randomUUID() });
    expect(refused.status).to.equal(502);
    expect(refused.body.error).to.contain('Calendars.ReadWrite').and.contain('Nothing was sent');
    room.t.local.graph.granted.add('Calendars.ReadWrite');
    const scheduled = await api.post('/postmortem/review', { key: randomUUID() });
    expect(scheduled.status, JSON.stringify(scheduled.body)).to.equal(200);
    expect(scheduled.body.outcome).to.equal('scheduled');
    // Someone with no role on the incident may not put it in their calendar.
    const outsider = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app, SAMPLE_PEOPLE[4]!));
    const denied = await outsider.post('/postmortem/review', { key: randomUUID() });
    expect(denied.status).to.equal(409);
  });
});
