/**
 * Property-based tests over every way in: chat commands, card action data, tab API bodies and
 * query strings, webhook bodies, the message extension. Whatever arrives, the app answers (no
 * crash, no 500 for the caller's mistake), stores nothing it should not, and never lets user
 * data act as a MongoDB operator or as markup.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { expect } from 'chai';
import { LOCAL } from '../../local/defaults.js';
import { ALEX, provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';
import type { Incident } from '../../models/incident/incident.js';
import { signedInAs } from '../helpers/tabApi.js';

/** Strings people and attackers type: unicode, markup, Mongo operators, huge numbers, flags. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.constantFrom(
    '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{"$gt":""}', '$where', '{"$where":"sleep(1000)"}',
    '[click](javascript:alert(1))', '<at>everyone</at>', 'INC-99999999999999999999', '--sev', '--sev P9 --sev P0', '\u0000\u202e', '🔥'.repeat(300),
  ),
);
const operator = fc.constantFrom({ $gt: '' }, { $ne: null }, { $where: 'sleep(100)' }, { $regex: '.*' }, ['$in', 1], { __proto__: { polluted: 1 } });
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), operator, fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.jsonValue({ maxDepth: 2 }), operator), { maxKeys: 8 }));

const RUNS = 40;

describe('fuzzing every entry point', function () {
  this.timeout(120_000);
  let t: TestApp;
  let incident: Incident;
  let commands: string[];

  before(async () => {
    t = await startTestApp();
    await t.message('declare Checkout API returns 500s --sev P2');
    [incident] = (await provisioned(t)) as [Incident];
    commands = ['declare', 'ack', 'status', 'sev', 'role', 'update', 'summary', 'page', 'resolve', 'close', 'list', 'info', 'help', 'oncall', 'metrics', 'escalate', 'nonsense'];
  });
  after(async () => {
    await t.close();
  });

  async function incidentCount(): Promise<number> {
    return t.app.database.connection.collection('incidents').countDocuments();
  }

  it('chat commands: any text after the mention gets an answer, never a server error', async () => {
    const declaresBefore = await incidentCount();
    let declares = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commands), hostileText, fc.boolean(), async (command, rest, inChannel) => {
        if (command === 'declare' && rest.trim()) declares++;
        const response = await t.message(`${command} ${rest}`, inChannel ? { conversationId: incident.channel!.id } : {});
        expect(response.status, `${command} ${JSON.stringify(rest)}`).to.be.oneOf([200, 201]);
      }),
      { numRuns: RUNS },
    );
    // Declares with a usable title may create incidents; nothing else does.
    expect(await incidentCount()).to.be.at.most(declaresBefore + declares);
    expect((await fetch(`${t.app.url}/healthz`)).status).to.equal(200);
  });

  it('card actions: any verb with any data is refused or done, never a server error, never an operator', async () => {
    const verbs = fc.oneof(fc.constantFrom('ack', 'takeRole', 'assignRole', 'status', 'severity', 'update', 'summary', 'escalate', 'resolve', 'close', 'follow', 'unfollow', 'refresh', 'declare', 'editSummary', 'publicStatus'), fc.string({ maxLength: 20 }));
    const data = fc.oneof(
      anyJson,
      fc.record({ incidentId: fc.oneof(fc.constant(incident.id), fc.stringMatching(/^[0-9a-f]{24}$/), operator, fc.string()), v: fc.oneof(fc.integer(), fc.string(), operator) }),
      fc.record({ incidentId: fc.constant(incident.id), statusTo: hostileText, severityTo: hostileText, updateText: hostileText, role: hostileText, person: fc.oneof(hostileText, operator) }),
    );
    await fc.assert(
      fc.asyncProperty(verbs, data, async (verb, value) => {
        const answer = await t.invoke(verb, value as Record<string, unknown>);
        expect(answer.status, `${verb} ${JSON.stringify(value)}`).to.be.oneOf([200, 400]);
      }),
      { numRuns: RUNS * 2 },
    );
    const after = (await t.app.database.store.findById(incident.id))!;
    expect(after.tenantId).to.equal(incident.tenantId);
    // No key anywhere in the record is an operator (a person's text may well start with "$": it is kept as typed).
    const keys = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap(keys) : value && typeof value === 'object' && !(value instanceof Date) ? Object.entries(value).flatMap(([k, v]) => [k, ...keys(v)]) : []);
    expect(keys(after).filter((k) => k.startsWith('$'))).to.deep.equal([]);
  });

  it('tab API: any body and query string answers 2xx/4xx, and operators in ids or queries match nothing', async () => {
    const base = `${t.app.url}/tab/api/incidents/${incident.id}`;
    // Signed in (as Teams SSO signs a member in), so every request reaches the routes themselves.
    const alex = await signedInAs(t.app);
    const requests = fc.oneof(
      fc.record({ method: fc.constant('POST'), path: fc.constantFrom('/actions', '/notes', '/postmortem/publish'), body: anyJson }),
      fc.record({ method: fc.constant('PUT'), path: fc.constantFrom('/postmortem', '/checklist/call', '/checklist/%24where'), body: anyJson }),
      fc.record({ method: fc.constant('GET'), path: fc.constantFrom('/events', '/live', '/export/csv', '/export/%24gt', '/postmortem/versions/abc', '/transcript'), query: fc.array(fc.tuple(fc.constantFrom('order', 'kind', 'kind[$ne]', 'cursor', 'limit', 'since', 'kind[]', '__proto__[x]', 'q', 'from', 'q[$regex]'), hostileText), { maxLength: 4 }) }),
    );
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        const query = 'query' in request ? `?${new URLSearchParams(request.query).toString()}` : '';
        const response = await fetch(`${base}${request.path}${query}`, {
          method: request.method,
          headers: { 'Content-Type': 'application/json', ...alex },
          body: 'body' in request ? JSON.stringify(request.body) : undefined,
        });
        expect(response.status, `${request.method} ${request.path}${query} ${JSON.stringify('body' in request ? request.body : '')}`).to.be.within(200, 499);
        await response.arrayBuffer();
      }),
      { numRuns: RUNS * 2 },
    );
    for (const id of ['%7B%22%24ne%22%3Anull%7D', '%24where', '[$ne]=1', '000000000000000000000000']) {
      expect((await fetch(`${t.app.url}/tab/api/incidents/${id}`, { headers: alex })).status, id).to.equal(404);
    }
    expect((await fetch(`${base}/events?kind[$ne]=x`, { headers: alex })).status).to.equal(400);
  });

  it('alert webhooks: any JSON answers 2xx/4xx; malformed JSON and oversized bodies are 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('generic', 'alertmanager', 'grafana'), anyJson, async (source, body) => {
        const response = await fetch(`${t.app.url}/api/alerts/${source}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${LOCAL.alertSecret}` },
          body: JSON.stringify(body),
        });
        expect(response.status, `${source} ${JSON.stringify(body)}`).to.be.within(200, 499);
        await response.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
    const post = (body: string) => fetch(`${t.app.url}/api/alerts/generic`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${LOCAL.alertSecret}` }, body });
    expect((await post('{"title": ')).status).to.equal(400);
    expect((await post(JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) }))).status).to.equal(413);
  });

  it('the bot endpoint: malformed activities and oversized bodies are 4xx, and the app stays up', async () => {
    const post = (body: string) => fetch(`${t.app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    await fc.assert(
      fc.asyncProperty(anyJson, async (body) => {
        const response = await post(JSON.stringify(body));
        expect(response.status, JSON.stringify(body)).to.be.within(200, 499);
        await response.arrayBuffer();
      }),
      { numRuns: RUNS },
    );
    expect((await post('{"type":')).status).to.be.within(400, 499);
    expect((await post(JSON.stringify({ type: 'message', text: 'x'.repeat(1024 * 1024) }))).status).to.equal(413);
    expect((await fetch(`${t.app.url}/healthz`)).status).to.equal(200);
  });

  it('message extension: any submitted data declares only with a valid form, and answers a dialog or a message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson, fc.record({ title: hostileText, severity: hostileText, quote: anyJson })), async (data) => {
        const answer = await t.send({
          type: 'invoke',
          name: 'composeExtension/submitAction',
          id: randomUUID(),
          from: ALEX,
          value: { commandId: 'declareIncident', commandContext: 'message', data, messagePayload: { id: String(Math.random()), body: { contentType: 'html', content: '<p>hi</p>' } } },
        });
        expect(answer.status, JSON.stringify(data)).to.be.oneOf([200, 400]);
      }),
      { numRuns: RUNS },
    );
  });

  it('user text never reaches the tab page or a card as markup', async () => {
    const before = await incidentCount();
    await t.message('declare markup-test <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> --sev P3');
    const all = await provisioned(t, before + 1);
    const hostile = all.find((i) => i.title.startsWith('markup-test'))!;
    const page = await (await fetch(`${t.app.url}/tab/incidents/${hostile.id}`)).text();
    expect(page).to.not.contain('<script>alert(1)</script>').and.not.contain('onerror=alert');
    const card = JSON.stringify(t.local.world.cardsIn(hostile.channel!.id)[0]!.card);
    expect(card).to.not.contain('<script>');
    // Every piece of syntax is escaped (the colon too), so the text shows as typed and is no link.
    expect(card).to.contain('\\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\)').and.not.match(/[^\\]\]\(javascript:/);
  });
});
