/**
 * Metrics over 100,000 generated incidents (two years, every severity and five components),
 * stored the way an older release left them (no metrics rows): prints how long building the rows
 * takes once (the migration), then how long a report takes for 12 months in UTC and in
 * America/New_York and for 24 months (target ≤ 1 s, with the ratio), and what keeping one row
 * current costs a write. On the embedded server, or on real MongoDB when MONGODB_URI is set.
 */
import { Types } from 'mongoose';
import { deterministicId } from '../models/support/ids.js';
import { openDatabase } from '../models/mongo/database.js';
import { startEmbeddedMongo } from '../models/mongo/embedded.js';
import { SEVERITIES } from '../models/incident/severity.js';
import { ms, percentile, timeCalls } from './stats.js';

const INCIDENTS = 100_000;
const TENANT = 'bench-tenant';
const MIN = 60_000;

export async function benchMetrics(): Promise<void> {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo();
  const uri = process.env.MONGODB_URI ? `${process.env.MONGODB_URI.replace(/\/?(\?|$)/, `/incident-room-bench-${Date.now()}$1`)}` : embedded!.uri;
  const db = await openDatabase(uri);
  try {
    const now = Date.now();
    const span = 2 * 365 * 86_400_000;
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const seedStart = performance.now();
    for (let from = 0; from < INCIDENTS; from += 5_000) {
      const docs = Array.from({ length: Math.min(5_000, INCIDENTS - from) }, (_, k) => {
        const n = from + k;
        const declared = new Date(now - Math.floor(rnd() * span));
        const ack = rnd() < 0.9 ? new Date(declared.getTime() + Math.floor(1 + rnd() * 30) * MIN) : undefined;
        const mitigated = rnd() < 0.85 ? new Date(declared.getTime() + Math.floor(10 + rnd() * 300) * MIN) : undefined;
        const resolved = mitigated && rnd() < 0.9 ? new Date(mitigated.getTime() + Math.floor(rnd() * 600) * MIN) : undefined;
        return {
          _id: new Types.ObjectId(deterministicId('bench-incident', String(n))),
          tenantId: TENANT,
          number: n + 1,
          title: `Incident ${n}`,
          severity: SEVERITIES[n % 4],
          component: ['payments', 'search', 'auth', 'checkout', 'email'][n % 5],
          status: resolved ? 'resolved' : 'investigating',
          version: 1,
          milestones: { declared, started: declared, acknowledged: ack, mitigated, resolved },
        };
      });
      await db.connection.collection('incidents').insertMany(docs, { ordered: false });
    }
    console.log(`\nmetrics bench (${process.env.MONGODB_URI ? 'MongoDB at MONGODB_URI' : 'embedded CongoDB'}): ${INCIDENTS} incidents seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const backfillStart = performance.now();
    const built = await db.metrics.backfill(TENANT);
    console.log(`  metrics rows built for ${built} incidents in ${((performance.now() - backfillStart) / 1000).toFixed(1)} s (the migration, once per tenant)`);
    for (const [months, timeZone] of [[12, 'UTC'], [12, 'America/New_York'], [24, 'UTC'], [24, 'Asia/Kolkata']] as const) {
      const to = new Date(now);
      const from = new Date(now - months * 30.4 * 86_400_000);
      let incidents = 0;
      const runs: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < 5; i++) {
        const [wall, used] = [performance.now(), process.cpuUsage()];
        incidents = (await db.metrics.metrics({ tenantId: TENANT, from, to, timeZone }, to)).incidents;
        const { user, system } = process.cpuUsage(used);
        runs.push(performance.now() - wall);
        cpu.push((user + system) / 1000);
      }
      // CPU time of this process (the embedded server runs in it too): what the wall time is when the machine is not shared.
      console.log(`  ${months} months, ${timeZone.padEnd(16)} ${incidents} incidents in the period: median ${ms(percentile(runs, 50))}, worst ${ms(Math.max(...runs))} = ${(Math.max(...runs) / 1000).toFixed(2)}× the target (≤ 1 s); CPU median ${ms(percentile(cpu, 50))}`);
    }
    const sample = (await db.store.findByNumber(TENANT, 1))!;
    let version = sample.version;
    const upkeep = await timeCalls(50, async () => {
      const mark = await db.store.metricsRows.mark(sample.id);
      // A newer version each time, so every refresh really rewrites the day.
      await db.store.metricsRows.refresh({ ...sample, version: ++version, severity: version % 2 ? 'P0' : 'P1' });
      await db.store.metricsRows.unmark(sample.id, mark);
    });
    console.log(`  keeping one incident's row current (mark, refresh, unmark) adds p50 ${ms(percentile(upkeep, 50))} to a milestone or severity change`);
    try {
      const explain = (await db.connection.db!.command({
        explain: { aggregate: 'metrics_days', pipeline: [{ $match: { tenantId: TENANT, day: { $lte: Math.floor(now / 86_400_000) } } }, { $count: 'n' }], cursor: {} },
        verbosity: 'queryPlanner',
      })) as Record<string, any>;
      const plan = JSON.stringify(explain.stages?.[0]?.$cursor?.queryPlanner?.winningPlan ?? explain.queryPlanner?.winningPlan ?? explain);
      const index = /"indexName":"([^"]+)"/.exec(plan)?.[1];
      console.log(`  the day rows' read uses: ${index ? `index ${index}` : /COLLSCAN/.test(plan) ? 'a collection scan' : 'no plan reported (the embedded server always scans)'}`);
    } catch (error) {
      console.log(`  the day rows' read plan: explain not available here (${(error as Error).message.slice(0, 80)}); the embedded server always scans`);
    }
  } finally {
    if (process.env.MONGODB_URI) await db.connection.dropDatabase().catch(() => undefined);
    await db.close();
    await embedded?.stop();
  }
}

if (process.argv[1]?.endsWith('metrics.ts')) {
  await benchMetrics();
  process.exit(0);
}
