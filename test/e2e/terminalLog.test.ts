import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../server.js';
import { ROUTE_NOISE } from '../../http/requestLog.js';
import { eventually, provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';

/** What the terminal would show: the lines written, in order. */
function terminal(level: string, format: 'pretty' | 'json' = 'pretty') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, log: createLogger(level, stream, format) };
}

const TIME = '\\d\\d:\\d\\d:\\d\\d';
const NO_INCIDENT = '0123456789abcdef01234567';

/** A request to each route of the noise table, as a browser or probe would make it. */
async function requestEveryNoisyRoute(url: string): Promise<void> {
  for (const key of Object.keys(ROUTE_NOISE)) {
    const [method, route] = key.split(' ') as [string, string];
    const path = route.replace(':id', NO_INCIDENT);
    const response = await fetch(`${url}${path}`, method === 'GET' ? {} : { method, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    await response.arrayBuffer();
  }
}

/** Polling as an open sandbox page, incident tab and My incidents do it, and the probes. */
async function poll(url: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    for (const path of ['/sandbox/api/state', `/tab/api/incidents/${NO_INCIDENT}/live?since=x`, '/tab/api/me/incidents', '/healthz', '/readyz']) await (await fetch(`${url}${path}`)).arrayBuffer();
  }
}

describe('the terminal in local mode: one readable line per event, polling not logged', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('writes nothing while pages and probes poll, and one readable line when someone declares', async () => {
    const out = terminal('info');
    t = await startTestApp({}, { log: out.log, timers: false });
    const before = out.lines.length;
    await poll(t.app.url, 5);
    await requestEveryNoisyRoute(t.app.url);
    // The request line is written once the answer is sent: give it a moment to show up, if it were going to.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(out.lines.slice(before)).to.deep.equal([]);

    await t.message('declare Checkout API returns 500s --sev P1');
    const [incident] = await provisioned(t);
    const declared = await eventually(() => out.lines.find((l) => l.includes('declared')), 2_000, 'the declared line');
    expect(declared).to.match(new RegExp(`^${TIME} INFO: INC-1 Alex Wilber declared the incident as P1: Checkout API returns 500s$`));
    expect(out.lines.some((l) => new RegExp(`^${TIME} INFO: request POST /api/messages → 200 in \\d+ ms$`).test(l))).to.equal(true);

    // People's line breaks do not break the line.
    await t.message('update Rolled back the deploy\nerror rate falling', { conversationId: incident!.channel!.id });
    const update = await eventually(() => out.lines.find((l) => l.includes('posted an update')), 2_000, 'the update line');
    expect(update).to.match(new RegExp(`^${TIME} INFO: INC-1 Alex Wilber posted an update: Rolled back the deploy error rate falling$`));
    await t.app.actions.drain();
    // No JSON on the terminal, no line per war-room step (those are debug), and still no polling.
    expect(out.lines.filter((l) => l.startsWith('{'))).to.deep.equal([]);
    expect(out.lines.filter((l) => /meeting created|tab added|card posted/.test(l))).to.deep.equal([]);
    expect(out.lines.filter((l) => /\/live|\/sandbox\/api\/state|\/healthz/.test(l))).to.deep.equal([]);
  });

  it('logs every route of the noise table at debug, so the table names routes the app really has', async () => {
    const out = terminal('debug');
    t = await startTestApp({}, { log: out.log, timers: false });
    await requestEveryNoisyRoute(t.app.url);
    for (const key of Object.keys(ROUTE_NOISE)) {
      const lines = await eventually(() => {
        const found = out.lines.filter((l) => l.includes(`: request ${key} → `));
        return found.length > 0 ? found : undefined;
      }, 2_000, `the line of ${key}`);
      expect(lines.every((l) => new RegExp(`^${TIME} DEBUG: `).test(l)), key).to.equal(true);
    }
  });

  it('logs polling at info when LOG_POLLING=true', async () => {
    const out = terminal('info');
    t = await startTestApp({ LOG_POLLING: 'true' }, { log: out.log, timers: false });
    await poll(t.app.url, 1);
    await eventually(() => out.lines.find((l) => new RegExp(`^${TIME} INFO: request GET /sandbox/api/state → 200 in \\d+ ms$`).test(l)), 2_000, 'the polling line');
    await eventually(() => out.lines.find((l) => l.includes('INFO: request GET /tab/api/incidents/:id/live → ')), 2_000, 'the tab polling line');
    // Page loads and the sandbox's echo of a message stay at debug: they are not polling.
    await (await fetch(`${t.app.url}/favicon.ico`)).arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(out.lines.filter((l) => l.includes('/favicon.ico'))).to.deep.equal([]);
  });

  it('writes the same events as JSON for log pipelines (LOG_FORMAT=json)', async () => {
    const out = terminal('info', 'json');
    t = await startTestApp({}, { log: out.log, timers: false });
    await t.message('declare Checkout API returns 500s --sev P1');
    await provisioned(t);
    const line = await eventually(() => out.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'declared'), 2_000, 'the declared line');
    expect(line).to.include({ level: 30, incident: 'INC-1', event: 'declared', by: 'Alex Wilber', msg: 'Alex Wilber declared the incident as P1: Checkout API returns 500s' });
    expect(line.incidentId).to.match(/^[0-9a-f]{24}$/);
  });
});
