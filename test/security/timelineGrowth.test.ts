import { get } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { LOCAL } from '../../local/defaults.js';
import { provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

/**
 * Security review, item 9: unbounded timeline growth and exports. Every distinct alert was its
 * own timeline event (10,000 alerts → 10,008 events) and an export read the whole timeline into
 * memory before sending a byte. Now repeated alerts fold into one counted entry (every alert
 * still kept in `alerts`), and exports stream from a cursor with bounded memory.
 */

// A real collection before each measurement, so the figures are what the export holds, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Download {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly bytes: number;
  readonly chunks: number;
  readonly lines: number;
  readonly head: string;
  readonly tail: string;
  /** Highest resident set size seen while the answer arrived, over the RSS just before the request. */
  readonly rssGrowth: number;
  /** The formula-looking lines seen on the way (for the CSV injection check, without keeping the body). */
  readonly matching: string[];
}

/**
 * Reads an export as it arrives, keeping only its head, tail and line count (the test must not
 * hold the body itself, or it would measure its own copy), sampling RSS while it comes in.
 */
function download(url: string, match: RegExp, headers: Record<string, string>): Promise<Download> {
  gc();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sample = () => (peak = Math.max(peak, process.memoryUsage.rss()));
  const sampler = setInterval(sample, 2);
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      let bytes = 0;
      let chunks = 0;
      let lines = 0;
      let head = '';
      let tail = '';
      let partial = '';
      const matching: string[] = [];
      res.setEncoding('utf8');
      res.on('data', (part: string) => {
        sample();
        chunks++;
        bytes += Buffer.byteLength(part);
        if (head.length < 4096) head += part.slice(0, 4096 - head.length);
        tail = (tail + part).slice(-4096);
        const split = (partial + part).split('\n');
        partial = split.pop()!;
        lines += split.length;
        for (const line of split) if (match.test(line) && matching.length < 10) matching.push(line);
      });
      res.on('end', () => {
        clearInterval(sampler);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, chunks, lines: lines + (partial ? 1 : 0), head, tail, rssGrowth: peak - before, matching });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('security: timeline and export growth (item 9)', function () {
  this.timeout(180_000);
  let t: TestApp;
  afterEach(() => t?.close());

  const post = (body: unknown) =>
    fetch(`${t.app.url}/api/alerts/generic`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${LOCAL.alertSecret}` }, body: JSON.stringify(body) });
  const settle = async () => {
    await t.app.alerts.drain();
    await t.app.actions.drain();
  };

  it('folds 2,500 alerts of one incident into one counted timeline entry, keeps every alert, and a retried notification counts nothing twice', async () => {
    t = await startTestApp({}, { timers: false });
    const ALERTS = 2_500;
    const notification = (from: number) => ({
      alerts: Array.from({ length: 100 }, (_, k) => ({ title: `Payments timeouts (sample ${from + k})`, fingerprint: 'payments-timeouts', id: `storm-${from + k}`, severity: 'critical' })),
    });
    for (let from = 0; from < ALERTS; from += 500) {
      const answers = await Promise.all([0, 100, 200, 300, 400].map((k) => post(notification(from + k))));
      expect(answers.map((a) => a.status)).to.deep.equal([202, 202, 202, 202, 202]);
    }
    await settle();
    const [incident] = await provisioned(t);
    expect(await t.incidents()).to.have.length(1);
    // Retried notifications (the monitor did not see our 202): the same alert ids, counted once.
    await post(notification(0));
    await post(notification(ALERTS - 100));
    await settle();

    const events = await t.app.database.store.listEvents(incident!.id);
    const alertEntries = events.filter((e) => e.kind === 'alert_received');
    expect(alertEntries, 'one folded alert entry').to.have.length(1);
    expect(events.length, 'the timeline stays the usual few events').to.be.below(25);
    const entry = alertEntries[0]!;
    expect(entry.payload).to.deep.include({ count: ALERTS, title: `Payments timeouts (sample ${ALERTS - 1})`, status: 'firing' });
    expect(new Date(entry.payload.firstSeen as Date).getTime()).to.be.at.most(new Date(entry.payload.lastSeen as Date).getTime());
    expect(await t.app.database.connection.collection('alerts').countDocuments(), 'every alert kept in its own collection').to.equal(ALERTS);

    // The tab and the post-mortem draft read it as one line with the count.
    const api = tabApi(t.app.url, incident!.id, signedInAs(t.app));
    const page = (await api.get('/events?kinds=alert_received')).body;
    expect(page.total).to.equal(1);
    expect(page.events[0].text).to.match(new RegExp(`^alert received ×${ALERTS}: Payments timeouts \\(sample ${ALERTS - 1}\\) \\(first \\d\\d:\\d\\d, last \\d\\d:\\d\\d UTC\\)$`));
    const draft = (await api.get('/postmortem')).body;
    expect(draft.content.timeline).to.contain(`alert received ×${ALERTS}`);
  });

  it('streams a 20,000-event export as it reads it (chunked, bounded memory), with the content and CSV guards intact', async () => {
    t = await startTestApp({}, { timers: false });
    await post({ title: 'Long incident', fingerprint: 'long', id: 'long-1' });
    await settle();
    const [incident] = await provisioned(t);
    const EVENTS = 20_000;
    const filler = 'checked the dashboards, the error budget and the deploy log; nothing conclusive yet. '.repeat(8);
    const start = Date.now() - EVENTS * 1000;
    const collection = t.app.database.connection.collection('timeline_events');
    for (let from = 0; from < EVENTS; from += 1000) {
      await collection.insertMany(
        Array.from({ length: 1000 }, (_, k) => {
          const n = from + k;
          const hostile = n === EVENTS / 2;
          return {
            _id: new Types.ObjectId(),
            incidentId: new Types.ObjectId(incident!.id),
            at: new Date(start + n * 1000),
            actor: { kind: 'user', id: `29:${n % 7}`, name: hostile ? '+Mallory' : `Responder ${n % 7}` },
            kind: 'note',
            payload: { text: hostile ? '=HYPERLINK("http://evil.example","click")' : `note ${n}: ${filler}` },
            recordedAt: new Date(),
          };
        }) as never[],
      );
    }
    // Counted in the collection: the events went in around the store, so the counts it keeps do not know them.
    const total = await collection.countDocuments({ incidentId: new Types.ObjectId(incident!.id) });
    expect(total).to.be.above(EVENTS);
    const url = (format: string) => `${t.app.url}/tab/api/incidents/${incident!.id}/export/${format}`;
    const alex = await signedInAs(t.app);

    const csv = await download(url('csv'), /Mallory/, alex);
    expect(csv.status).to.equal(200);
    expect(csv.headers['transfer-encoding'], 'sent as it is produced').to.equal('chunked');
    expect(csv.headers['content-length']).to.equal(undefined);
    expect(csv.lines, 'header + every event').to.equal(total + 1);
    expect(csv.head.split('\r\n')[0]).to.equal('time_utc,actor,kind,description,incident_type,incident_fields');
    expect(csv.matching).to.have.length(1);
    expect(csv.matching[0]).to.match(/^[^,]+,"'\+Mallory",note,"noted: =HYPERLINK\(""http:\/\/evil.example"",""click""\)",Service outage,\r$/);

    const json = await download(url('json'), /"kind": "note"/, alex);
    const md = await download(url('md'), /^\| /, alex);
    const answers = [['csv', csv], ['json', json], ['md', md]] as const;
    for (const [name, answer] of answers) console.log(`      ${name}: ${(answer.bytes / 1e6).toFixed(1)} MB in ${answer.chunks} chunks, RSS growth ${(answer.rssGrowth / 1e6).toFixed(1)} MB`);
    for (const [name, answer] of answers) {
      expect(answer.headers['transfer-encoding'], name).to.equal('chunked');
      expect(answer.chunks, `${name} arrives in pieces`).to.be.above(20);
      // Bounded: well under the export's own size (which was held several times over before).
      expect(answer.rssGrowth, `${name} RSS growth (export is ${(answer.bytes / 1e6).toFixed(1)} MB)`).to.be.below(Math.min(answer.bytes / 2, 40e6));
    }
    expect(json.head).to.match(/^\{\n {2}"incident": \{\n {4}"id": "[0-9a-f]{24}",\n {4}"label": "INC-1"/);
    expect(json.tail).to.match(/\n {4}\}\n {2}\]\n\}$/);
    expect(md.head).to.match(/^# INC-1: Long incident\n/);
    expect(md.tail).to.contain(`${total} events`);

    // A client that leaves part-way: the server stops reading (its cursor is closed) and serves the next one whole.
    await new Promise<void>((resolve) => {
      const req = get(url('json'), (res) => res.once('data', () => (req.destroy(), resolve())));
      req.on('error', () => undefined);
    });
    expect((await download(url('csv'), /Mallory/, alex)).lines).to.equal(total + 1);
  });
});
