import { expect } from 'chai';
import type { CloudAdapter } from 'botbuilder';
import { createAdapter } from '../../bot/adapter.js';
import { ConnectorMessenger } from '../../bot/connectorMessenger.js';
import { LocalTeams } from '../../local/localTeams.js';
import { LOCAL } from '../../local/defaults.js';
import { TeamsWorld, type FakeActivity } from '../../local/world/teamsWorld.js';
import type { ConversationAddress, Incident } from '../../models/incident/incident.js';
import { TenantProfiles } from '../../models/incident/tenantProfile.js';
import type { Clock } from '../../models/ports/clock.js';
import type { ConversationStore } from '../../models/ports/conversationStore.js';
import { PermanentError, TransientError } from '../../models/support/errors.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { ALEX, LEE, MEGAN } from '../helpers/people.js';
import { failureOf } from '../helpers/failure.js';
import { cardText } from '../helpers/incidentRoom.js';
import { md } from '../../models/support/markdown.js';

// Proves ConnectorMessenger posts, threads, updates and mentions through the connector stand-in as Teams expects.
describe('ConnectorMessenger against the connector stand-in', () => {
  let local: LocalTeams;
  let known: Map<string, string>;
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  /** The service URLs the bot has learned, by tenant (the app keeps them in the database). */
  const conversations: ConversationStore = {
    remember: async (address: ConversationAddress) => void known.set(address.tenantId, address.serviceUrl),
    serviceUrlFor: async (tenantId: string) => known.get(tenantId),
  };
  /** Stands in for the card builder: the version shows which rendering reached Teams. */
  const cards = { incident: (incident: Incident) => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `card v${incident.version}` }] }) };

  const messenger = (options: { fallbackServiceUrl?: string; adapter?: CloudAdapter; broadcastChannelId?: string } = {}) =>
    new ConnectorMessenger(
      {
        adapter: options.adapter ?? createAdapter({}, silent),
        botAppId: '',
        conversations,
        fallbackServiceUrl: options.fallbackServiceUrl ?? `${local.connector.url}/`,
        broadcastChannelId: 'broadcastChannelId' in options ? options.broadcastChannelId : LOCAL.broadcastChannelId,
        profiles: TenantProfiles.builtIn,
      },
      cards,
    );
  const channelPosts = () => local.connector.requests.filter((r) => r.method === 'POST' && r.path === '/v3/conversations');
  const inChannel = (channelId: string): FakeActivity[] => local.world.activitiesIn(channelId);
  const content = (activity: FakeActivity | undefined) => activity?.attachments?.[0]?.content as { body: { text?: string }[] } | undefined;
  const texts = (activity: FakeActivity | undefined) => cardText(content(activity)?.body ?? []);
  const fail = failureOf;

  let incident: Incident;
  beforeEach(async () => {
    known = new Map();
    local = await LocalTeams.start({ teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizers: [] });
    const channel = local.world.createChannel({ displayName: 'inc-42-checkout', membershipType: 'standard' });
    incident = sampleIncident({ channel: { id: channel.id, name: channel.displayName, webUrl: channel.webUrl } });
  });
  afterEach(() => local.stop());

  it('posts the incident card as a new thread in the incident channel and updates it in place', async () => {
    const ms = messenger();
    const ref = await ms.postIncidentCard(incident);
    const [root] = inChannel(incident.channel!.id);
    expect(ref).to.deep.equal({ conversationId: `${incident.channel!.id};messageid=${root!.id}`, activityId: root!.id, serviceUrl: `${local.connector.url}/` });
    expect(root).to.deep.include({ byBot: true, replyToId: undefined, version: 1 });
    expect(root!.attachments![0]!.contentType).to.equal('application/vnd.microsoft.card.adaptive');
    expect(texts(root)).to.contain('card v1');

    await ms.updateIncidentCard({ ...incident, version: 2, card: ref });
    expect(inChannel(incident.channel!.id)).to.have.length(1);
    expect(root).to.deep.include({ version: 2 });
    expect(texts(root)).to.contain('card v2');
    expect(await ms.rootMessage(incident.tenantId, incident.channel!.id, root!.id)).to.deep.equal(ref);
  });

  it('posts to the service URL learned for the tenant rather than the fallback', async () => {
    known.set(incident.tenantId, `${local.connector.url}/`);
    const ref = await messenger({ fallbackServiceUrl: 'http://127.0.0.1:9/' }).postIncidentCard(incident);
    expect(ref.serviceUrl).to.equal(`${local.connector.url}/`);
    expect(inChannel(incident.channel!.id)).to.have.length(1);
  });

  it('broadcasts the incident in the company-wide channel and updates that root', async () => {
    const ms = messenger();
    const ref = await ms.postBroadcast(incident);
    const [root] = inChannel(LOCAL.broadcastChannelId);
    expect(ref.activityId).to.equal(root!.id);
    expect(texts(root)).to.contain('INC-42 · P1 · triage').and.to.contain('Checkout API returns 500s');
    await ms.updateBroadcast({ ...incident, status: 'identified', broadcast: ref });
    expect(root!.version).to.equal(2);
    expect(texts(root)).to.contain('INC-42 · P1 · identified');
    expect(inChannel(LOCAL.broadcastChannelId)).to.have.length(1);
  });

  it('posts an update in the incident channel and as a threaded reply under the broadcast, each carrying its marker', async () => {
    const ms = messenger();
    const broadcast = await ms.postBroadcast(incident);
    await ms.postUpdateInChannel({ ...incident, broadcast }, md`Rolled back payments-api 1.42`, MEGAN, 'delivery-channel-1');
    await ms.replyInBroadcast({ ...incident, broadcast }, md`Rolled back payments-api 1.42`, MEGAN, 'delivery-broadcast-1');
    const [update] = inChannel(incident.channel!.id);
    expect(update!.replyToId).to.equal(undefined);
    expect(texts(update)).to.contain('Rolled back payments-api 1.42').and.to.contain(`by ${MEGAN.name}`);
    expect((content(update)!.body[0] as { id?: string }).id).to.equal('delivery-channel-1');
    const replies = inChannel(LOCAL.broadcastChannelId).filter((a) => a.replyToId === broadcast.activityId);
    expect(replies).to.have.length(1);
    expect(replies[0]!.conversationId).to.equal(broadcast.conversationId);
    expect(texts(replies[0])).to.contain('Rolled back payments-api 1.42');
    expect((content(replies[0])!.body[0] as { id?: string }).id).to.equal('delivery-broadcast-1');
  });

  it('lets the connector client absorb a single throttled send (Retry-After: 0) before the messenger sees it', async () => {
    const ms = messenger();
    await ms.postBroadcast(incident);
    local.connector.faults.add({ method: 'POST', path: /^\/v3\/conversations$/, status: 429, retryAfterSeconds: 0, times: 1 });
    await ms.postUpdateInChannel(incident, md`Still rolling back`, ALEX, 'm1');
    expect(inChannel(incident.channel!.id)).to.have.length(1);
    expect(channelPosts()).to.have.length(3, 'the broadcast, the throttled post and its retry');
  });

  it('sends an update once and reports a failure for the outbox to retry: throttled or unavailable as refused, a 500 as maybe landed', async () => {
    const ms = messenger();
    // The connector client tries 4 times per send; then the messenger reports, without retrying itself.
    local.connector.faults.add({ method: 'POST', path: /^\/v3\/conversations$/, status: 429, retryAfterSeconds: 0, times: 4 });
    const throttled = await fail(ms.postUpdateInChannel(incident, md`Still rolling back`, ALEX, 'm1'));
    expect(throttled).to.be.instanceOf(TransientError);
    expect((throttled as TransientError).refused).to.equal(true);
    expect(channelPosts()).to.have.length(4);
    local.connector.faults.clear();
    local.connector.faults.add({ method: 'POST', path: /^\/v3\/conversations$/, status: 503, retryAfterSeconds: 0, times: 100 });
    const unavailable = await fail(ms.postUpdateInChannel(incident, md`Still broken`, ALEX, 'm2'));
    expect(unavailable.message).to.contain('HTTP 503');
    expect((unavailable as TransientError).refused).to.equal(true);
    local.connector.faults.clear();
    local.connector.faults.add({ method: 'POST', path: /^\/v3\/conversations$/, status: 500, times: 100 });
    const maybe = await fail(ms.postUpdateInChannel(incident, md`Still broken`, ALEX, 'm3'));
    expect(maybe).to.be.instanceOf(TransientError);
    expect((maybe as TransientError).refused).to.equal(false);
    expect(inChannel(incident.channel!.id)).to.have.length(0);
  });

  it('posts a notice that @mentions people (the mention text is in the message), or to the broadcast channel without a channel', async () => {
    const ms = messenger();
    await ms.postNotice(incident, md`Still unacknowledged after 15 minutes.`, [LEE, { id: '29:odd', name: 'Ann <Ops> & Co' }]);
    const [notice] = inChannel(incident.channel!.id);
    expect(notice!.text).to.equal(`<at>${LEE.name}</at> <at>Ann Ops  Co</at> Still unacknowledged after 15 minutes.`);
    expect(notice!.entities).to.deep.equal([
      { type: 'mention', text: `<at>${LEE.name}</at>`, mentioned: { id: LEE.id, name: LEE.name } },
      { type: 'mention', text: '<at>Ann Ops  Co</at>', mentioned: { id: '29:odd', name: 'Ann <Ops> & Co' } },
    ]);
    expect(notice!.attachments).to.equal(undefined);

    await ms.postNotice({ ...incident, channel: undefined }, md`No channel could be created.`);
    expect(inChannel(LOCAL.broadcastChannelId).map((a) => a.text)).to.deep.equal(['No channel could be created.']);
  });

  it('mentions only by ids Teams accepts: a tab user by their Entra id, someone Teams cannot notify by name only', async () => {
    const ms = messenger();
    const fromTab = { id: `aad:${MEGAN.aadObjectId}`, name: MEGAN.name };
    const pagerDuty = { id: 'pagerduty:P123', name: 'Riley (via PagerDuty)' };
    await ms.postNotice(incident, md`Please post an update.`, [fromTab, pagerDuty]);
    const [notice] = inChannel(incident.channel!.id);
    // Someone named without a mention is escaped like any name (the parentheses stay, escaped).
    expect(notice!.text).to.equal(`<at>${MEGAN.name}</at> Riley \\(via PagerDuty\\) Please post an update.`);
    expect(notice!.entities).to.deep.equal([{ type: 'mention', text: `<at>${MEGAN.name}</at>`, mentioned: { id: MEGAN.aadObjectId, name: MEGAN.name } }]);
  });

  it('the connector stand-in refuses mention ids Teams refuses, and ignores mentions whose text is not in the message', async () => {
    const post = (entities: unknown[]) =>
      fetch(`${local.connector.url}/v3/conversations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ isGroup: true, channelData: { channel: { id: incident.channel!.id } }, activity: { type: 'message', text: '<at>Lee</at> hello', entities } }),
      });
    for (const id of ['aad:0000', 'local-dev-user', '28:bot', '']) {
      const refused = await post([{ type: 'mention', text: '<at>Lee</at>', mentioned: { id, name: 'Lee' } }]);
      expect(refused.status, id).to.equal(400);
      expect((await refused.json()).error.code).to.equal('BadArgument');
    }
    for (const id of [LEE.id, LEE.aadObjectId, 'lee@contoso.example']) expect((await post([{ type: 'mention', text: '<at>Lee</at>', mentioned: { id, name: 'Lee' } }])).status, id).to.equal(201);
    expect((await post([{ type: 'mention', text: '<at>Someone else</at>', mentioned: { id: LEE.id, name: 'x' } }])).status).to.equal(201);
    const last = inChannel(incident.channel!.id).at(-1)!;
    expect(last.entities).to.deep.equal([]);
  });

  it('sends a personal message in the 1:1 chat, by Teams id or by Entra id', async () => {
    const ms = messenger();
    await ms.sendPersonal(incident.tenantId, LEE, md`INC-42 was resolved.`);
    await ms.sendPersonal(incident.tenantId, { id: `aad:${MEGAN.aadObjectId}`, name: MEGAN.name, aadObjectId: MEGAN.aadObjectId }, md`INC-42 has an update.`);
    const created = local.connector.requests.filter((r) => r.path === '/v3/conversations').map((r) => (r.body as { members: { id: string }[] }).members[0]!.id);
    expect(created).to.deep.equal([LEE.id, MEGAN.aadObjectId]);
    expect(local.world.activities.filter((a) => a.conversationId === TeamsWorld.personalChatOf(LEE.aadObjectId)).map((a) => a.text)).to.deep.equal(['INC-42 was resolved.']);
    expect(local.world.activities.filter((a) => a.conversationId === TeamsWorld.personalChatOf(MEGAN.aadObjectId)).map((a) => a.text)).to.deep.equal(['INC-42 has an update.']);
  });

  it('turns connector refusals into PermanentErrors with hints', async () => {
    const ms = messenger();
    local.world.personalAppMissing.add(LEE.aadObjectId);
    const personal = await fail(ms.sendPersonal(incident.tenantId, LEE, md`hello`));
    expect(personal).to.be.instanceOf(PermanentError);
    expect(personal.message).to.contain('HTTP 403');

    local.world.channels.get(incident.channel!.id)!.archived = true;
    const archived = await fail(ms.postIncidentCard(incident));
    expect(archived).to.be.instanceOf(PermanentError);
    expect((archived as PermanentError).hint).to.contain('Install the incident-room app');

    const missing = await fail(ms.updateIncidentCard({ ...incident, card: { conversationId: `${incident.channel!.id};messageid=1`, activityId: '1', serviceUrl: '' } }));
    expect(missing).to.be.instanceOf(PermanentError);
    expect(missing.message).to.contain('HTTP 404');

    const noBroadcast = await fail(messenger({ broadcastChannelId: undefined }).postBroadcast(incident));
    expect(noBroadcast).to.be.instanceOf(PermanentError);
    expect((noBroadcast as PermanentError).hint).to.contain('BROADCAST_CHANNEL_ID');
  });
});
