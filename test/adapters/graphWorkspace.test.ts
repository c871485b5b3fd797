import { expect } from 'chai';
import { GraphWorkspace, type GraphWorkspaceSettings } from '../../adapters/graph/graphWorkspace.js';
import { createGraphClient, localTokens, type AccessTokenSource } from '../../adapters/graph/graphClient.js';
import { LocalTeams } from '../../local/localTeams.js';
import { LOCAL } from '../../local/defaults.js';
import { NameTakenError, PermanentError, TransientError } from '../../models/support/errors.js';
import { ALEX, OUTSIDER } from '../helpers/people.js';
import { failureOf } from '../helpers/failure.js';

// Proves GraphWorkspace speaks Graph correctly to the Graph stand-in and turns its failures into the domain's error types.
describe('GraphWorkspace against the Graph stand-in', () => {
  let local: LocalTeams;
  beforeEach(async () => {
    local = await LocalTeams.start({ teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizers: [LOCAL.meetingOrganizerId] });
  });
  afterEach(() => local.stop());

  const workspace = (settings: Partial<GraphWorkspaceSettings> = {}, tokens: AccessTokenSource = localTokens, timeoutMs?: number) =>
    new GraphWorkspace(createGraphClient(local.graph.url, tokens, timeoutMs), { teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizerId: LOCAL.meetingOrganizerId, graphBaseUrl: 'https://graph.microsoft.com', botAppId: local.world.botAppId, ...settings });
  const fail = failureOf;
  const meetingSpec = (externalId = 'incident-42') => ({ subject: 'INC-42 bridge', externalId, startsAt: new Date('2026-05-01T12:00:00Z'), endsAt: new Date('2026-05-01T13:00:00Z') });

  it('creates a standard channel and finds it again by name, with its description', async () => {
    const ws = workspace();
    const created = await ws.createChannel({ displayName: 'inc-42-checkout-500s', description: 'marker:42' });
    const stored = local.world.channels.get(created.id)!;
    expect(stored).to.deep.include({ displayName: 'inc-42-checkout-500s', description: 'marker:42', membershipType: 'standard' });
    expect(created).to.deep.equal({ id: stored.id, name: 'inc-42-checkout-500s', webUrl: stored.webUrl });
    expect(await ws.findChannelByName('inc-42-checkout-500s')).to.deep.equal({ ...created, description: 'marker:42' });
    expect(await ws.findChannelByName('inc-43-nothing-here')).to.equal(undefined);
    // An apostrophe must be doubled in the OData filter, or Graph refuses the query.
    expect(await ws.findChannelByName("it's not there")).to.equal(undefined);
  });

  it('says NameTakenError for a used (or recently deleted) name, and PermanentError for an invalid one', async () => {
    const ws = workspace();
    const first = await ws.createChannel({ displayName: 'inc-1-search', description: '' });
    expect(await fail(ws.createChannel({ displayName: 'INC-1-Search', description: '' }))).to.be.instanceOf(NameTakenError);
    local.world.channels.get(first.id)!.deleted = true;
    expect(await fail(ws.createChannel({ displayName: 'inc-1-search', description: '' }))).to.be.instanceOf(NameTakenError);
    const invalid = await fail(ws.createChannel({ displayName: 'inc-2: a/b', description: '' }));
    expect(invalid).to.be.instanceOf(PermanentError).and.not.to.be.instanceOf(NameTakenError);
    expect(invalid.message).to.contain('HTTP 400');
  });

  it('creates the bridge as a calendar event with a Teams meeting, in one call, once per external id', async () => {
    const ws = workspace();
    const meeting = await ws.createMeeting(meetingSpec());
    expect(meeting.via).to.equal('calendarEvent');
    expect(local.world.meetings.get(meeting.id)).to.deep.include({ via: 'calendarEvent', organizerId: LOCAL.meetingOrganizerId, subject: 'INC-42 bridge', externalId: 'incident-42', joinWebUrl: meeting.joinUrl });
    expect(local.graph.requests.map((r) => r.path)).to.deep.equal([`/v1.0/users/${LOCAL.meetingOrganizerId}/events`], 'the join link comes with the event: the card needs nothing more');
    expect((local.graph.requests[0]!.body as Record<string, unknown>)).to.deep.include({ isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness', transactionId: 'incident-42' });
    expect((await ws.createMeeting(meetingSpec())).id).to.equal(meeting.id, 'the transaction id keeps it idempotent');
  });

  it('finds the online meeting behind the event by its join link (its own id, its chat); without the access policy, says what to set up', async () => {
    const meeting = await workspace().createMeeting(meetingSpec());
    const found = await workspace().findOnlineMeeting(meeting.joinUrl);
    const stored = local.world.meetings.get(meeting.id)!;
    expect(found).to.deep.equal({ onlineMeetingId: stored.onlineMeetingId, chatId: `19:meeting_${meeting.id}@thread.v2` });
    expect(await workspace().findOnlineMeeting(`${meeting.joinUrl}x`)).to.equal(undefined);
    const refused = await workspace({ meetingOrganizerId: 'organizer-without-policy' }).findOnlineMeeting(meeting.joinUrl);
    expect(refused).to.have.property('refused').that.contains('OnlineMeetings.ReadWrite.All');
  });

  it('refuses to create a meeting without an organizer; Graph unavailable is a TransientError', async () => {
    const none = await fail(workspace({ meetingOrganizerId: undefined }).createMeeting(meetingSpec()));
    expect(none).to.be.instanceOf(PermanentError);
    expect((none as PermanentError).hint).to.contain('MEETING_ORGANIZER_ID');
    expect(local.graph.requests).to.have.length(0);
    local.graph.faults.add({ method: 'POST', path: /\/events$/, status: 503 });
    expect(await fail(workspace().createMeeting(meetingSpec()))).to.be.instanceOf(TransientError);
  });

  it('pins the tab in a channel and finds it by entity id; an app missing from the team is a PermanentError with a hint', async () => {
    const ws = workspace();
    const channel = await ws.createChannel({ displayName: 'inc-5-tabs', description: '' });
    const spec = { channelId: channel.id, displayName: 'Incident', entityId: 'incident-5', contentUrl: 'https://room.example/tab/5', websiteUrl: 'https://room.example/tab/5?web' };
    const tab = await ws.addTab(spec);
    const [stored] = local.world.channels.get(channel.id)!.tabs;
    expect(stored).to.deep.include({ id: tab.id, displayName: 'Incident', teamsAppId: LOCAL.appCatalogId, webUrl: tab.webUrl });
    expect(stored!.configuration).to.deep.equal({ entityId: 'incident-5', contentUrl: spec.contentUrl, websiteUrl: spec.websiteUrl });
    expect(await ws.findTab(channel.id, 'incident-5')).to.deep.equal({ id: tab.id, webUrl: tab.webUrl, contentUrl: spec.contentUrl });
    expect(await ws.findTab(channel.id, 'incident-6')).to.equal(undefined);
    const missing = await fail(workspace({ appCatalogId: 'not-installed' }).addTab(spec));
    expect(missing).to.be.instanceOf(PermanentError);
    expect((missing as PermanentError).hint).to.contain('TEAMS_APP_CATALOG_ID');
  });

  it('installs the app in the meeting chat and pins the tab there; an earlier install (409) is fine', async () => {
    const ws = workspace();
    const meeting = { ...(await ws.createMeeting(meetingSpec())), chatId: `19:meeting_${(await ws.createMeeting(meetingSpec())).id}@thread.v2` };
    const spec = { chatId: meeting.chatId!, displayName: 'Incident', entityId: 'incident-42', contentUrl: 'https://room.example/tab/42', websiteUrl: 'https://room.example/tab/42' };
    const tab = await ws.addMeetingTab(spec);
    const chat = local.world.chats.get(meeting.chatId!)!;
    expect([...chat.installedApps]).to.deep.equal([LOCAL.appCatalogId]);
    expect(chat.tabs.map((t) => t.id)).to.deep.equal([tab.id]);
    expect(await ws.findMeetingTab(meeting.chatId!, 'incident-42')).to.deep.equal({ id: tab.id, webUrl: tab.webUrl, contentUrl: spec.contentUrl });
    expect(await ws.findMeetingTab(meeting.chatId!, 'incident-7')).to.equal(undefined);
    await ws.addMeetingTab({ ...spec, entityId: 'incident-42-again' });
    expect(chat.tabs).to.have.length(2, 'the second install answered 409 and the tab was still pinned');
  });

  it('finds a card the bot posted by incident and verb, ignoring people’s messages and other verbs', async () => {
    const channel = await workspace().createChannel({ displayName: 'inc-8-cards', description: '' });
    const card = { type: 'AdaptiveCard', actions: [{ type: 'Action.Execute', verb: 'ack', data: { incidentId: 'i-8', v: 1 } }] };
    const post = (id: string, byBot: boolean) =>
      local.world.activities.push({ id, conversationId: `${channel.id};messageid=${id}`, type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }], byBot, from: byBot ? undefined : { id: ALEX.id }, createdAt: new Date().toISOString(), version: 1 });
    post('100', true);
    post('101', false);
    // Another app's post of the same card (a forwarding bot, say) is not the one incident-room posted.
    local.world.activities.push({ id: '102', conversationId: `${channel.id};messageid=102`, type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { ...card, actions: [{ type: 'Action.Execute', verb: 'resolve', data: { incidentId: 'i-8', v: 1 } }] } }], byApp: '99999999-aaaa-bbbb-cccc-000000000000', createdAt: new Date().toISOString(), version: 1 });
    const ws = workspace();
    expect(await ws.findPostedCard({ channelId: channel.id }, 'i-8', 'ack')).to.equal('100');
    expect(await ws.findPostedCard({ channelId: channel.id }, 'i-8', 'resolve')).to.equal(undefined);
    expect(await ws.findPostedCard({ channelId: channel.id }, 'i-9', 'ack')).to.equal(undefined);
    const elsewhere = await fail(ws.findPostedCard({ channelId: channel.id, teamId: 'another-team' }, 'i-8', 'ack'));
    expect(elsewhere).to.be.instanceOf(PermanentError);
    expect(local.graph.requests.at(-1)!.path).to.equal(`/v1.0/teams/another-team/channels/${encodeURIComponent(channel.id)}/messages`);
  });

  it('finds the card under later messages: Graph pages with @odata.nextLink and returns card JSON re-serialised (pretty-printed)', async () => {
    const channel = await workspace().createChannel({ displayName: 'inc-10-busy', description: '' });
    const card = { type: 'AdaptiveCard', actions: [{ type: 'Action.Execute', verb: 'ack', data: { incidentId: 'i-10', v: 1 } }] };
    const push = (id: string, byBot: boolean, content: object) =>
      local.world.activities.push({ id, conversationId: `${channel.id};messageid=${id}`, type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }], byBot, from: byBot ? undefined : { id: ALEX.id }, createdAt: new Date().toISOString(), version: 1 });
    push('200', true, card);
    for (let i = 0; i < 70; i++) push(`3${String(i).padStart(2, '0')}`, false, { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: `chatter ${i}` }] });
    expect(await workspace().findPostedCard({ channelId: channel.id }, 'i-10', 'ack')).to.equal('200');
    const pages = local.graph.requests.filter((r) => r.path.endsWith('/messages'));
    expect(pages.length, 'followed @odata.nextLink').to.equal(2);
  });

  it('updates the channel description (at most 1024 characters), checks membership and archives once or twice', async () => {
    const ws = workspace();
    const channel = await ws.createChannel({ displayName: 'inc-9-topic', description: '' });
    await ws.updateChannelDescription(channel.id, 'Checkout 500s · SRE: Alex');
    expect(local.world.channels.get(channel.id)!.description).to.equal('Checkout 500s · SRE: Alex');
    await ws.updateChannelDescription(channel.id, 'x'.repeat(2000));
    expect(local.world.channels.get(channel.id)!.description).to.have.length(1024);
    expect(await fail(ws.updateChannelDescription('19:gone@thread.tacv2', 'topic'))).to.be.instanceOf(PermanentError);

    expect(await ws.isTeamMember(ALEX.aadObjectId)).to.equal(true);
    expect(await ws.isTeamMember(OUTSIDER.aadObjectId)).to.equal(false);

    await ws.archiveChannel(channel.id);
    expect(local.world.channels.get(channel.id)!.archived).to.equal(true);
    await ws.archiveChannel(channel.id);
    expect(local.graph.requests.filter((r) => r.path.endsWith('/archive')).map((r) => r.body)).to.deep.equal([
      { shouldSetSpoSiteReadOnlyForMembers: true },
      { shouldSetSpoSiteReadOnlyForMembers: true },
    ]);
  });

  describe('Graph failures become the domain’s errors', () => {
    const create = (ws = workspace()) => ws.createChannel({ displayName: 'inc-10-errors', description: '' });

    it('403 is a PermanentError naming the permission to grant', async () => {
      local.graph.faults.add({ method: 'POST', path: /\/channels$/, status: 403, code: 'Forbidden', message: 'Missing role' });
      const error = await fail(create());
      expect(error).to.be.instanceOf(PermanentError);
      expect(error.message).to.contain('HTTP 403').and.to.contain('Missing role');
      expect((error as PermanentError).hint).to.contain('Channel.Create');
    });

    it('429 is a TransientError carrying Retry-After', async () => {
      local.graph.faults.add({ method: 'POST', path: /\/channels$/, status: 429, retryAfterSeconds: 7 });
      const error = await fail(create());
      expect(error).to.be.instanceOf(TransientError);
      expect((error as TransientError).retryAfterMs).to.equal(7000);
      expect(await create()).to.have.property('id', local.world.channelNamed('inc-10-errors')!.id);
    });

    for (const status of [500, 502, 503, 504]) {
      it(`${status} is a TransientError`, async () => {
        local.graph.faults.add({ method: 'GET', path: /\/members$/, status });
        const error = await fail(workspace().isTeamMember(ALEX.aadObjectId));
        expect(error).to.be.instanceOf(TransientError);
        expect(error.message).to.contain(`HTTP ${status}`);
      });
    }

    it('a reset connection and a hung call are TransientErrors', async () => {
      local.graph.faults.add({ method: 'GET', path: /\/tabs$/, status: 'reset' });
      expect(await fail(workspace().findTab('19:general@thread.tacv2', 'x'))).to.be.instanceOf(TransientError);
      local.graph.faults.add({ method: 'GET', path: /\/tabs$/, status: 503, delayMs: 1000 });
      expect(await fail(workspace({}, localTokens, 100).findTab('19:general@thread.tacv2', 'x'))).to.be.instanceOf(TransientError);
    });

    it('a rejected token (401) is a PermanentError pointing at the app credentials', async () => {
      const error = await fail(create(workspace({}, async () => '')));
      expect(error).to.be.instanceOf(PermanentError);
      expect((error as PermanentError).hint).to.contain('MICROSOFT_APP_ID');
      expect(local.world.channelNamed('inc-10-errors')).to.equal(undefined);
    });
  });
});
