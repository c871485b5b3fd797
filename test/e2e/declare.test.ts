import { expect } from 'chai';
import { ALEX, eventually, provisioned, startTestApp, TENANT, type TestApp } from '../helpers/testApp.js';
import { cardText } from '../helpers/incidentRoom.js';
import { signedInAs } from '../helpers/tabApi.js';

describe('declare in Teams opens the war room (end to end through /api/messages)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates the channel, meeting, tab and card, answers the reporter, and stores the record and timeline', async () => {
    const response = await t.message('declare Checkout API returns 500s --sev P1 --component payments');
    expect(response.status).to.equal(200);
    const [incident] = await provisioned(t);

    // The record
    expect(incident).to.include({ tenantId: TENANT, number: 1, title: 'Checkout API returns 500s', severity: 'P1', status: 'triage', component: 'payments' });
    expect(incident!.reporter).to.deep.include({ id: ALEX.id, name: ALEX.name });
    for (const step of ['channel', 'meeting', 'tab', 'card', 'reporter', 'cardLinks'] as const) {
      expect(incident!.provisioning.steps[step].status, step).to.equal('done');
    }

    // 1. the channel, named from the pattern, in the incidents team
    const channel = t.local.world.channelNamed('inc-1-checkout-api-returns-500s');
    expect(channel, 'channel in the stand-in').to.exist;
    expect(channel!.membershipType).to.equal('standard');
    expect(incident!.channel).to.deep.equal({ id: channel!.id, name: channel!.displayName, webUrl: channel!.webUrl });

    // 2. the meeting, with its join link recorded
    const meetings = [...t.local.world.meetings.values()];
    expect(meetings).to.have.length(1);
    expect(incident!.meeting!.joinUrl).to.equal(meetings[0]!.joinWebUrl);
    expect(meetings[0]!.externalId).to.equal(incident!.id);

    // 3. the tab in that channel, pointing at this incident
    expect(channel!.tabs).to.have.length(1);
    expect(channel!.tabs[0]!.configuration.entityId).to.equal(incident!.id);
    expect(channel!.tabs[0]!.configuration.contentUrl).to.match(new RegExp(`/tab/incidents/${incident!.id}$`));
    const tabPage = await fetch(channel!.tabs[0]!.configuration.contentUrl.replace('localhost', '127.0.0.1'));
    expect(tabPage.status).to.equal(200);
    // The page is a shell (Teams loads it without credentials); the incident comes from the tab API.
    expect(await tabPage.text()).to.contain(incident!.id).and.contain('/tab/client.js');
    const tabData = await (await fetch(`${t.app.url}/tab/api/incidents/${incident!.id}`, { headers: await signedInAs(t.app) })).json();
    expect(tabData.incident).to.include({ label: 'INC-1', title: 'Checkout API returns 500s' });

    // 4. the card in the channel, updated with the meeting and tab links
    const cards = t.local.world.cardsIn(channel!.id);
    expect(cards).to.have.length(1);
    const cardJson = cardText(cards[0]!.card);
    for (const expected of ['INC-1', 'Checkout API returns 500s', 'P1', 'triage', ALEX.name, incident!.meeting!.joinUrl, incident!.tab!.webUrl]) {
      expect(cardJson).to.contain(expected);
    }
    expect(incident!.card).to.include({ activityId: cards[0]!.activity.id });

    // 5. the reporter's answer, in the conversation where they declared, links to the channel
    const replies = t.local.world.activitiesIn('19:general@thread.tacv2');
    expect(replies).to.have.length(1);
    expect(JSON.stringify(replies[0]!.attachments)).to.contain(channel!.webUrl);

    // The timeline
    const kinds = (await t.app.database.store.listEvents(incident!.id)).map((e) => e.kind);
    expect(kinds).to.include.members(['declared', 'channel_created', 'meeting_created', 'tab_added', 'card_posted', 'reporter_notified']);
    expect(kinds[0]).to.equal('declared');
    expect(new Set(kinds).size).to.equal(kinds.length);
  });

  it('a retried activity (same id) does not create a second incident', async () => {
    await Promise.all([t.message('declare Disk full on db-3', { id: 'activity-42' }), t.message('declare Disk full on db-3', { id: 'activity-42' })]);
    await t.message('declare Disk full on db-3', { id: 'activity-42' });
    await provisioned(t);
    await t.app.runner.drain();
    expect(await t.incidents()).to.have.length(1);
    expect(t.local.world.liveChannels().filter((c) => c.displayName.startsWith('inc-'))).to.have.length(1);
    expect(t.local.graph.channelCreations()).to.have.length(1);
  });

  it('concurrent declares get distinct, sequential numbers', async () => {
    const titles = Array.from({ length: 8 }, (_, i) => `Outage number ${i}`);
    const responses = await Promise.all(titles.map((title) => t.message(`declare ${title}`)));
    expect(responses.map((r) => r.status)).to.deep.equal(titles.map(() => 200));
    const incidents = await provisioned(t, titles.length);
    expect(incidents.map((i) => i.number).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(incidents.map((i) => i.channel!.name)).size).to.equal(titles.length);
  });

  it('completes after Graph answers 429 with Retry-After, honouring the wait', async () => {
    t.local.graph.faults.add({ method: 'POST', path: /\/channels$/, status: 429, retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    await t.message('declare Search is slow --sev P2');
    const [incident] = await provisioned(t);
    expect(incident!.channel).to.exist;
    expect(incident!.provisioning.steps.channel).to.include({ status: 'done', attempts: 2 });
    const creations = t.local.graph.channelCreations();
    expect(creations).to.have.length(2);
    // The retry waited for the server's Retry-After (1 s), not our 10 ms test backoff.
    expect(creations[1]!.at - creations[0]!.at).to.be.at.least(950);
    expect(started).to.be.below(creations[1]!.at);
  });

  it('retries 5xx and connection resets, then completes', async () => {
    t.local.graph.faults.add({ method: 'POST', path: /\/tabs$/, status: 503, times: 1 });
    t.local.graph.faults.add({ method: 'POST', path: /\/users\/[^/]+\/events$/, status: 'reset', times: 1 });
    await t.message('declare Queue backlog growing');
    const [incident] = await provisioned(t);
    expect(incident!.provisioning.steps.tab).to.include({ status: 'done', attempts: 2 });
    expect(incident!.provisioning.steps.meeting).to.include({ status: 'done', attempts: 2 });
    expect(t.local.world.liveChannels().flatMap((c) => c.tabs)).to.have.length(1);
  });

  it('a lost response to channel creation adopts the channel instead of making a second one', async () => {
    t.local.graph.faults.add({ method: 'POST', path: /\/channels$/, status: 'drop-response', times: 1 });
    await t.message('declare Login page blank');
    const [incident] = await provisioned(t);
    const channels = t.local.world.liveChannels().filter((c) => c.displayName.startsWith('inc-'));
    expect(channels.map((c) => c.displayName)).to.deep.equal(['inc-1-login-page-blank']);
    expect(incident!.channel!.id).to.equal(channels[0]!.id);
    const created = (await t.app.database.store.listEvents(incident!.id)).find((e) => e.kind === 'channel_created');
    expect(created!.payload).to.include({ adopted: true });
  });

  it('a name taken by someone else\'s channel gets the next free name, not their channel', async () => {
    t.local.world.createChannel({ displayName: 'inc-1-disk-full', description: 'made by hand', membershipType: 'standard' });
    const deleted = t.local.world.createChannel({ displayName: 'inc-1-disk-full-2', membershipType: 'standard' });
    deleted.deleted = true; // Teams keeps names of channels deleted in the last 30 days
    await t.message('declare Disk full');
    const [incident] = await provisioned(t);
    expect(incident!.channel!.name).to.equal('inc-1-disk-full-3');
    expect(t.local.world.channelNamed('inc-1-disk-full')!.description).to.equal('made by hand');
    expect(t.local.world.channels.get(incident!.channel!.id)!.tabs).to.have.length(1);
  });

  it('the war room opens even when the "declaring…" reply to the reporter fails', async () => {
    // The first post into the reporter's conversation (the immediate reply) is refused; the reporter step answers later.
    t.local.connector.faults.add({ method: 'POST', path: /\/activities/, status: 403, times: 1 });
    await t.message('declare Checkout API returns 500s --sev P1');
    const [incident] = await provisioned(t);
    expect(incident!.provisioning.steps.channel.status).to.equal('done');
    expect(incident!.provisioning.steps.reporter.status).to.equal('done');
    expect(t.local.world.activitiesIn('19:general@thread.tacv2')).to.have.length(1);
  });

  it('a meeting that cannot be created leaves a usable incident and says why on the card', async () => {
    t.local.world.meetingOrganizers.clear();
    t.local.graph.faults.add({ method: 'POST', path: /\/events$/, status: 403, code: 'ErrorAccessDenied', message: 'Access is denied.', times: 1 });
    await t.message('declare Payments delayed --sev P1');
    const [incident] = await provisioned(t);
    expect(incident!.provisioning.steps.meeting.status).to.equal('failed');
    expect(incident!.provisioning.steps.meeting.hint).to.contain('Calendars.ReadWrite');
    expect(incident!.channel).to.exist;
    expect(incident!.tab).to.exist;
    const card = cardText(t.local.world.cardsIn(incident!.channel!.id)[0]!.card);
    expect(card).to.contain('Meeting failed').and.contain('Calendars.ReadWrite');
    const kinds = (await t.app.database.store.listEvents(incident!.id)).map((e) => e.kind);
    expect(kinds).to.include('provisioning_failed');
  });

  it('falls back to a calendar event meeting when the organizer has no access policy', async () => {
    t.local.world.meetingOrganizers.clear();
    await t.message('declare Emails bouncing');
    const [incident] = await provisioned(t);
    expect(incident!.meeting!.via).to.equal('calendarEvent');
    expect([...t.local.world.meetings.values()][0]!.externalId).to.equal(incident!.id);
  });
});
