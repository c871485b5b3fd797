import { expect } from 'chai';
import type { Markdown } from '../../models/support/markdown.js';
import { dedupKeyFor, PagerDutyPager } from '../../adapters/pagerDuty.js';
import { PagerDutyStandIn } from '../../local/standins/pagerDutyStandIn.js';
import { LOCAL } from '../../local/defaults.js';
import type { Incident, Person } from '../../models/incident/incident.js';
import type { Clock } from '../../models/ports/clock.js';
import type { PageRequest } from '../../models/ports/pager.js';
import { PermanentError, TransientError } from '../../models/support/errors.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { LEE, MEGAN } from '../helpers/people.js';
import { failureOf } from '../helpers/failure.js';

// Proves PagerDutyPager sends Events API v2 triggers, acknowledgements and resolutions the PagerDuty stand-in accepts, retrying throttling and outages.
describe('PagerDutyPager against the PagerDuty stand-in', () => {
  let pd: PagerDutyStandIn;
  let sleeps: number[];
  let notices: { incident: Incident; text: string; mentions: readonly Person[] }[];
  beforeEach(async () => {
    pd = new PagerDutyStandIn(LOCAL.pagerDuty.routingKey);
    await pd.start();
    sleeps = [];
    notices = [];
  });
  afterEach(() => pd.stop());

  const clock: Clock = { now: () => new Date(), sleep: async (ms) => void sleeps.push(ms) };
  // The notice's words as written (Markdown escapes aside).
  const messenger = { postNotice: async (incident: Incident, text: Markdown, mentions: readonly Person[] = []) => void notices.push({ incident, text: text.unescaped, mentions }) };
  const pager = (routingKey: string = LOCAL.pagerDuty.routingKey, eventsUrl = `${pd.url}/`) => new PagerDutyPager({ eventsUrl, routingKey }, messenger, clock, () => 0.5);
  const channel = { id: '19:inc42@thread.tacv2', name: 'inc-42-checkout', webUrl: 'https://teams.example/c/42' };
  const incident = sampleIncident({ channel, component: 'payments-api' });
  const request = (fields: Partial<PageRequest> = {}): PageRequest => ({ incident, people: [LEE], level: 0, label: 'primary on-call', dedupKey: 'unused', link: channel.webUrl, ...fields });
  const enqueued = () => pd.requests.filter((r) => r.path === '/v2/enqueue').map((r) => r.body as Record<string, any>);
  const fail = failureOf;

  it('pages, acknowledges and resolves through an incident type\'s own service when it names a routing key', async () => {
    const security = new PagerDutyStandIn('security-service-key');
    await security.start();
    try {
      const own = new PagerDutyPager({ eventsUrl: `${security.url}/`, routingKey: LOCAL.pagerDuty.routingKey, routingKeyFor: (i) => (i.type === 'security' ? 'security-service-key' : undefined) }, messenger, clock, () => 0.5);
      const typed = { ...incident, type: 'security', paging: { level: 0, label: 'security on-call', people: [LEE], at: new Date() } };
      await own.page(request({ incident: typed }));
      await own.acknowledge(typed);
      await own.resolve(typed);
      const sent = security.requests.filter((r) => r.path === '/v2/enqueue').map((r) => r.body as Record<string, any>);
      expect(sent.map((b) => [b.routing_key, b.event_action])).to.deep.equal([['security-service-key', 'trigger'], ['security-service-key', 'acknowledge'], ['security-service-key', 'resolve']]);
      expect(security.incidents.get(dedupKeyFor(incident.id, 0))!.status).to.equal('resolved');
    } finally {
      await security.stop();
    }
  });

  it('triggers a PagerDuty incident per escalation level with a dedup key, and tells the channel', async () => {
    await pager().page(request());
    const key = dedupKeyFor(incident.id, 0);
    expect(key).to.equal(`incident-room:${incident.id}:level-0`);
    const page = pd.incidents.get(key)!;
    expect(page).to.deep.include({ status: 'triggered', severity: 'critical', summary: 'INC-42 P1: Checkout API returns 500s', actions: ['trigger'] });
    expect(page.links).to.deep.equal([{ href: channel.webUrl, text: 'INC-42 channel in Teams' }]);
    expect(page.customDetails).to.deep.equal({ incident: 'INC-42', level: 1, target: 'primary on-call', oncall: [LEE.name], status: 'triage' });
    expect(enqueued()[0]).to.deep.include({ routing_key: LOCAL.pagerDuty.routingKey, event_action: 'trigger', dedup_key: key, client: 'incident-room' });
    expect(enqueued()[0]!.payload).to.deep.include({ source: 'incident-room', component: 'payments-api', group: 'INC-42', class: 'escalation level 1' });
    expect(notices).to.have.length(1);
    expect(notices[0]!.text).to.contain('Paged through PagerDuty (primary on-call, level 1)');
    expect(notices[0]!.mentions).to.deep.equal([LEE]);

    await pager().page(request({ people: [MEGAN], level: 1, label: 'secondary on-call' }));
    expect(pd.incidents.get(dedupKeyFor(incident.id, 1))).to.deep.include({ status: 'triggered' });
    expect(pd.incidents.size).to.equal(2);
  });

  it('pages once when the same level is triggered again (a retried timer), and maps every severity', async () => {
    await pager().page(request());
    await pager().page(request());
    expect(pd.incidents.size).to.equal(1);
    expect(pd.incidents.get(dedupKeyFor(incident.id, 0))!.actions).to.deep.equal(['trigger', 'trigger']);

    const severities = { P0: 'critical', P1: 'critical', P2: 'error', P3: 'warning' } as const;
    for (const [severity, expected] of Object.entries(severities)) {
      const other = sampleIncident({ id: `${severity.toLowerCase()}`.padEnd(24, '0'), severity: severity as Incident['severity'] });
      await pager().page(request({ incident: other }));
      expect(pd.incidents.get(dedupKeyFor(other.id, 0))!.severity).to.equal(expected);
    }
  });

  it('says nothing in Teams when the incident has no channel, and sends no link when there is none', async () => {
    const homeless = sampleIncident();
    await pager().page(request({ incident: homeless, link: undefined }));
    expect(pd.incidents.get(dedupKeyFor(homeless.id, 0))!.links).to.deep.equal([]);
    expect(notices).to.deep.equal([]);
  });

  it('acknowledges and resolves every level paged so far, and nothing when nobody was paged', async () => {
    const paged = { ...incident, paging: { level: 1, label: 'secondary on-call', people: [MEGAN], at: new Date() } };
    await pager().page(request());
    await pager().page(request({ level: 1, label: 'secondary on-call' }));
    await pager().acknowledge(paged);
    expect([0, 1].map((level) => pd.incidents.get(dedupKeyFor(incident.id, level))!.status)).to.deep.equal(['acknowledged', 'acknowledged']);
    await pager().resolve(paged);
    expect([0, 1].map((level) => pd.incidents.get(dedupKeyFor(incident.id, level))!.actions)).to.deep.equal([
      ['trigger', 'acknowledge', 'resolve'],
      ['trigger', 'acknowledge', 'resolve'],
    ]);
    expect(enqueued().slice(2).map((e) => Object.keys(e).sort())).to.deep.equal(Array(4).fill(['dedup_key', 'event_action', 'routing_key']));

    const before = pd.requests.length;
    await pager().acknowledge(sampleIncident());
    await pager().resolve(sampleIncident());
    expect(pd.requests.length).to.equal(before);
  });

  it('retries 429 and 503 with jittered backoff (Retry-After when given), and pages once', async () => {
    pd.faults.add({ path: /\/v2\/enqueue/, status: 429, retryAfterSeconds: 3, times: 1 });
    pd.faults.add({ path: /\/v2\/enqueue/, status: 429, times: 1 });
    pd.faults.add({ path: /\/v2\/enqueue/, status: 503, times: 1 });
    await pager().page(request());
    expect(enqueued()).to.have.length(4);
    expect(pd.incidents.get(dedupKeyFor(incident.id, 0))!.actions).to.deep.equal(['trigger']);
    // Half-jitter with random() = 0.5 over 500 ms doubling: 3 s (Retry-After), then 750 ms, then 1.5 s.
    expect(sleeps).to.deep.equal([3000, 750, 1500]);
    expect(notices).to.have.length(1);
  });

  it('does not hold the paging timer for a long Retry-After: the durable job retries later, told how long to wait', async () => {
    pd.faults.add({ path: /\/v2\/enqueue/, status: 429, retryAfterSeconds: 3600, times: 1 });
    const error = await fail(pager().page(request()));
    expect(error).to.be.instanceOf(TransientError);
    expect((error as TransientError).retryAfterMs).to.equal(3_600_000);
    expect(sleeps, 'no hour-long sleep inside the timer').to.deep.equal([]);
  });

  it('retries a reset connection too, and gives up with a TransientError after 4 attempts', async () => {
    pd.faults.add({ path: /\/v2\/enqueue/, status: 'reset', times: 1 });
    await pager().acknowledge({ ...incident, paging: { level: 0, label: 'primary on-call', people: [LEE], at: new Date() } });
    expect(enqueued()).to.have.length(2);

    pd.faults.add({ path: /\/v2\/enqueue/, status: 500, times: 10 });
    const error = await fail(pager().page(request()));
    expect(error).to.be.instanceOf(TransientError);
    expect(error.message).to.contain('HTTP 500');
    expect(enqueued()).to.have.length(2 + 4);
    expect(notices).to.deep.equal([], 'no "paged" notice for a page that did not go out');
  });

  it('does not retry what PagerDuty refuses: a wrong routing key is a PermanentError with a hint', async () => {
    const error = await fail(pager('not-the-routing-key').page(request()));
    expect(error).to.be.instanceOf(PermanentError);
    expect(error.message).to.contain('Invalid routing key');
    expect((error as PermanentError).hint).to.contain('PAGERDUTY_ROUTING_KEY');
    expect(enqueued()).to.have.length(1);
    expect(sleeps).to.deep.equal([]);
    expect(pd.incidents.size).to.equal(0);
  });
});
