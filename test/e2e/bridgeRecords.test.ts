/**
 * The bridge on the record, end to end against local Teams: the meeting's start and end from
 * Teams' events, then its transcript and recording fetched by a durable job in virtual time
 * (the clock is moved and the timers run, as a poll would).
 */
import { expect } from 'chai';
import { ALEX, LEE, MEGAN, cardText, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { TENANT } from '../helpers/testApp.js';
import { movableClock } from '../helpers/clock.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import type { FakeMeeting } from '../../local/world/teamsWorld.js';

describe('the bridge: start, end, transcript and recording', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let clock: ReturnType<typeof movableClock>;
  afterEach(() => room?.close());

  const open = async () => {
    clock = movableClock();
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P2', { clock, timers: false });
    const { world } = room.t.local;
    world.meetingEventRoute = { ...world.meetingEventRoute!, tenantId: TENANT };
    world.recordsDelayMs = 3_600_000; // made ready by hand below
    const incident = await room.incident();
    return { incident, meeting: world.meetings.get(incident.meeting!.id)! };
  };
  const join = async (meeting: FakeMeeting, name: string) => {
    const { world, connector } = room.t.local;
    const person = world.people.find((p) => p.name === name)!;
    expect((await fetch(`${connector.url}/view/meetings/${encodeURIComponent(meeting.id)}?as=${encodeURIComponent(person.id)}`)).status).to.equal(200);
    await room.t.app.actions.drain();
  };
  const end = async (meeting: FakeMeeting) => {
    const answer = await fetch(`${room.t.local.connector.url}/view/meetings/${encodeURIComponent(meeting.id)}/end`, { method: 'POST' });
    expect(await answer.json()).to.deep.equal({ ended: true, delivered: 'delivered' });
    await room.t.app.actions.drain();
  };
  const later = async (minutes: number) => {
    clock.advanceMinutes(minutes);
    await room.t.app.jobs.runDue();
    await room.t.app.actions.drain();
  };
  const fetches = async (id: string) => (await room.t.app.database.jobs.pendingJobs(id)).filter((j) => j.kind === 'bridge_records');
  const kinds = async (id: string) => (await room.t.app.database.store.listEvents(id)).map((e) => e.kind);
  const ready = (meeting: FakeMeeting) => [...(meeting.transcripts ?? []), ...(meeting.recordings ?? [])].forEach((r) => (r.ready = true));

  it('is a calendar event whose online meeting is found off the card’s path; start and end land on the timeline with who attended', async () => {
    const { incident, meeting } = await open();
    expect(incident.meeting).to.deep.include({ via: 'calendarEvent', onlineMeetingId: meeting.onlineMeetingId, chatId: `19:meeting_${meeting.id}@thread.v2` });
    expect(meeting.onlineMeetingId).to.not.equal(meeting.id, 'Graph gives the online meeting its own id');
    await join(meeting, MEGAN.name);
    await join(meeting, LEE.name);
    await end(meeting);
    const events = await room.t.app.database.store.listEvents(incident.id);
    expect(events.filter((e) => e.kind === 'meeting_started')).to.have.length(1);
    const ended = events.find((e) => e.kind === 'meeting_ended')!;
    expect(ended.payload.attended).to.deep.equal([MEGAN.name, LEE.name]);
    const after = await room.incident();
    expect(after.bridge).to.deep.include({ records: 'fetching', attended: [MEGAN.name, LEE.name] });
    expect(cardText(room.t.local.world.cardsIn(after.channel!.id)[0]!.card)).to.contain('Transcript').and.to.contain('waiting for Teams');
  });

  it('redelivered start and end events record nothing twice and schedule one fetch', async () => {
    const { incident, meeting } = await open();
    const chatId = incident.meeting!.chatId!;
    const lifecycle = (name: 'Start' | 'End', id: string, at: string) =>
      room.t.send({
        type: 'event', id, name: `application/vnd.microsoft.meeting${name}`, from: { id: '29:system' },
        conversation: { id: chatId, conversationType: 'groupChat', tenantId: TENANT, isGroup: true },
        channelData: { tenant: { id: TENANT }, meeting: { id: 'MCMxOTptZWV0aW5n' } },
        value: { Id: 'MCMxOTptZWV0aW5n', JoinUrl: meeting.joinWebUrl, Title: meeting.subject, MeetingType: 'Scheduled', [name === 'Start' ? 'StartTime' : 'EndTime']: at },
      });
    const start = new Date().toISOString();
    const stop = new Date(Date.now() + 60_000).toISOString();
    for (const id of ['s-1', 's-1', 's-2']) expect((await lifecycle('Start', id, start)).status).to.equal(200);
    for (const id of ['e-1', 'e-1', 'e-2']) expect((await lifecycle('End', id, stop)).status).to.equal(200);
    await room.t.app.actions.drain();
    const all = await kinds(incident.id);
    expect(all.filter((k) => k === 'meeting_started')).to.have.length(1);
    expect(all.filter((k) => k === 'meeting_ended')).to.have.length(1);
    expect(await fetches(incident.id)).to.have.length(1);
    // A value Teams would never send is refused plainly, and nothing is recorded.
    expect((await lifecycle('End', 'e-3', 'not a time')).status).to.equal(400);
  });

  it('asks Graph again while the transcript is not there (404 / empty), then stores it, shows it in the tab and links it in the post-mortem draft', async () => {
    const { incident, meeting } = await open();
    await join(meeting, MEGAN.name);
    await join(meeting, ALEX.name);
    await end(meeting);
    await later(3);
    expect(await kinds(incident.id)).to.not.include('transcript_attached');
    const asked = room.t.local.graph.requests.filter((r) => r.path.endsWith('/transcripts')).length;
    expect(asked).to.equal(1);
    expect(await fetches(incident.id)).to.have.length(1);
    ready(meeting);
    await later(10);
    const after = await room.incident();
    expect(await kinds(incident.id)).to.include.members(['transcript_attached', 'recording_attached']);
    expect(after.bridge!.records).to.equal('attached');
    expect(after.bridge!.transcripts![0]!.lines).to.equal(6);
    expect(await fetches(incident.id)).to.deep.equal([], 'done: no more polling');

    const api = tabApi(room.t.app.url, incident.id, signedInAs(room.t.app));
    const transcript = await api.get('/transcript');
    expect(transcript.status).to.equal(200);
    expect(transcript.body.status).to.contain('attached (6 lines');
    expect(transcript.body.lines).to.have.length(6);
    expect(transcript.body.lines.map((l: { speaker: string }) => l.speaker)).to.include.members([MEGAN.name, ALEX.name]);
    const start = new Date(meeting.startedAt!).getTime();
    expect(new Date(transcript.body.lines[0].at).getTime()).to.be.greaterThan(start, 'absolute times: the meeting start plus the cue offset');
    expect(transcript.body.recordings[0].url).to.match(/\/recordings\/[^/]+\/content$/);
    // The tab's one search finds what was said, by its speaker, at its time.
    const found = await api.get('/search?q=ROLLING%20back');
    expect(found.body.hits.filter((h: { source: string }) => h.source === 'transcript').map((h: { text: string }) => h.text)).to.deep.equal(['Rolling back the deploy now, it should take a couple of minutes.']);
    const fromMinute = await api.get(`/transcript?from=${encodeURIComponent(transcript.body.lines[3].at)}&limit=2`);
    expect(fromMinute.body.lines.map((l: { at: string }) => l.at)).to.deep.equal([transcript.body.lines[3].at, transcript.body.lines[4].at]);
    expect((await api.get('/transcript?limit=0')).status).to.equal(400);

    const draft = (await api.get('/postmortem')).body;
    const timeline = JSON.stringify(draft);
    expect(timeline).to.contain('Transcript of the bridge: 6 lines').and.to.contain('Recording of the bridge: ');

    // Running the job again (a crash after the write, say) stores nothing twice.
    await room.t.app.jobs.runDue();
    expect((await kinds(incident.id)).filter((k) => k === 'transcript_attached')).to.have.length(1);
  });

  it('says plainly what is missing when Graph refuses the transcript (403), once, and stops asking', async () => {
    const { incident, meeting } = await open();
    room.t.local.graph.granted.delete('OnlineMeetingTranscript.Read.All');
    await join(meeting, MEGAN.name);
    await end(meeting);
    ready(meeting);
    await later(3);
    await later(60);
    await later(600);
    const after = await room.incident();
    expect(after.bridge!.records).to.equal('unavailable');
    expect(after.bridge!.reason).to.contain('OnlineMeetingTranscript.Read.All').and.to.contain('access policy');
    expect(room.t.local.graph.requests.filter((r) => r.path.endsWith('/transcripts'))).to.have.length(1, 'one 403, no retry loop');
    expect(await fetches(incident.id)).to.deep.equal([]);
    expect((await kinds(incident.id)).filter((k) => k === 'transcript_unavailable')).to.have.length(1);
    expect(cardText(room.t.local.world.cardsIn(after.channel!.id)[0]!.card)).to.contain('not available').and.to.contain('OnlineMeetingTranscript.Read.All');
    const tab = await tabApi(room.t.app.url, incident.id, signedInAs(room.t.app)).get('/transcript');
    expect(tab.body.status).to.match(/^not available: .*OnlineMeetingTranscript\.Read\.All/);
  });

  it('without the access policy for the organizer, the refusal names the policy', async () => {
    const { incident, meeting } = await open();
    await join(meeting, MEGAN.name);
    await end(meeting);
    room.t.local.world.meetingOrganizers.clear();
    await later(3);
    const after = await room.incident();
    expect(after.bridge!.records).to.equal('unavailable');
    expect(after.bridge!.reason).to.contain('access policy');
    expect(await fetches(incident.id)).to.deep.equal([]);
  });

  it('gives up, saying so, when Teams makes no transcript within the give-up time', async () => {
    const { incident, meeting } = await open();
    meeting.transcribed = false;
    await join(meeting, MEGAN.name);
    await end(meeting);
    for (let i = 0; i < 12; i++) await later(180);
    const after = await room.incident();
    expect(after.bridge!.records).to.equal('unavailable');
    expect(after.bridge!.reason).to.contain('within 24 hours');
    expect(await fetches(incident.id)).to.deep.equal([]);
    const asked = room.t.local.graph.requests.filter((r) => r.path.endsWith('/transcripts')).length;
    expect(asked).to.be.below(15, 'backoff: a handful of calls over a day');
  });
});
