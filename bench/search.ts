/**
 * The tab's search over a long incident's record (issue 23): a channel conversation of 5,000
 * messages, a two-hour bridge transcript of 20,000 lines and a timeline of 500 events. Prints the
 * search API's latency (through the tab's HTTP API, signed in as the tab is) for phrases that find
 * many, few and no hits, each with its target and its ratio to it. Target: p95 < 100 ms on the
 * embedded database. Runs on MongoDB when MONGODB_URI is set.
 */
import { timelineEvent } from '../models/incident/timeline.js';
import { chatEntryId, searchTextOf } from '../models/record/chatEntries.js';
import { declareOne, startBenchApp, tabSignIn } from './benchApp.js';
import { ms, percentile, timeCalls } from './stats.js';

const CHAT_ENTRIES = 5_000;
const TRANSCRIPT_LINES = 20_000;
const EVENTS = 500;
const SAMPLES = 100;
const TARGET_MS = 100;
const SPEAKERS = ['Alex Wilber', 'Megan Bowen', 'Lee Gu', 'Adele Vance', 'Diego Siciliani', 'Priya Nair'];
const WORDS = ['checkout', 'latency', 'rollback', 'replica', 'dashboard', 'deploy', 'cache', 'queue', 'pager', 'vendor', 'error rate', 'timeout'];
const said = (n: number) => `${WORDS[n % WORDS.length]} looks ${n % 3 ? 'better' : 'worse'} after step ${n}; ${WORDS[(n * 7) % WORDS.length]} next`;
const against = (value: number) => `${ms(value)} = ${(value / TARGET_MS).toFixed(2)}× the target (< ${TARGET_MS} ms)`;

export async function benchSearch(): Promise<void> {
  const bench = await startBenchApp();
  const { app } = bench;
  try {
    const incident = await declareOne(bench, 'Long call, long channel --sev P1');
    const seedStart = performance.now();
    const start = Date.now() - 2 * 3_600_000;
    const { store, record, transcripts } = app.database;
    for (let from = 0; from < EVENTS; from += 250) {
      await Promise.all(Array.from({ length: Math.min(250, EVENTS - from) }, (_, k) => {
        const n = from + k;
        return store.appendEvent(timelineEvent(incident.id, 'note', `bench-${n}`, { at: new Date(start + n * 14_000), actor: { kind: 'user', id: `29:${n % 6}`, name: SPEAKERS[n % 6]! }, payload: { text: `Note ${n}: ${said(n)}` } }));
      }));
    }
    const channel = incident.channel!.id;
    for (let from = 0; from < CHAT_ENTRIES; from += 250) {
      await Promise.all(Array.from({ length: Math.min(250, CHAT_ENTRIES - from) }, (_, k) => {
        const n = from + k;
        const author = { id: `29:${n % 6}`, name: SPEAKERS[n % 6]! };
        const text = `Message ${n}: ${said(n * 3)}`;
        return record.applyChatChange({ kind: 'posted', entry: { id: chatEntryId(incident.tenantId, channel, String(1_700_000_000_000 + n)), incidentId: incident.id, messageId: String(1_700_000_000_000 + n), conversationId: channel, author, at: new Date(start + n * 1_440), text, searchText: searchTextOf(author.name, text) } });
      }));
    }
    // A two-hour call: a line every 0.36 s, as a transcript of that length has.
    await transcripts.saveTranscript(incident.id, 'bench-transcript', Array.from({ length: TRANSCRIPT_LINES }, (_, n) => ({ at: new Date(start + n * 360), speaker: SPEAKERS[(n * 5) % 6], text: `Line ${n}: ${said(n * 11)}` })));
    console.log(`\nsearch bench (${bench.database}): ${EVENTS} events, ${CHAT_ENTRIES} chat entries, a ${TRANSCRIPT_LINES}-line transcript seeded in ${(performance.now() - seedStart).toFixed(0)} ms`);

    const headers = await tabSignIn(bench);
    const search = (phrase: string) => fetch(`${app.url}/tab/api/incidents/${incident.id}/search?q=${encodeURIComponent(phrase)}`, { headers }).then(async (r) => {
      if (!r.ok) throw new Error(`search ${phrase}: HTTP ${r.status} ${await r.text()}`);
      return r.json() as Promise<{ hits: unknown[]; counts: Record<string, number> }>;
    });
    const cases: [string, string][] = [
      ['a common word (100 hits a part)', 'checkout'],
      ['a phrase, few hits', 'after step 3003;'],
      ['a speaker', 'priya nair'],
      ['nothing matches', 'kubernetes'],
    ];
    const worst: number[] = [];
    for (const [name, phrase] of cases) {
      const found = await search(phrase);
      await timeCalls(10, () => search(phrase));
      const times = await timeCalls(SAMPLES, () => search(phrase));
      worst.push(percentile(times, 95));
      const counts = Object.entries(found.counts).map(([part, n]) => `${part} ${n}`).join(', ');
      console.log(`  ${name.padEnd(32)} p50 ${ms(percentile(times, 50)).padStart(9)}  p95 ${against(percentile(times, 95))}  (${counts})`);
    }
    console.log(`  worst search p95 ${against(Math.max(...worst))}`);
  } finally {
    await bench.close();
  }
}
