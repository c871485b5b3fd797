/**
 * Metrics over 100,000 generated incidents (two years, every severity and five components):
 * prints how long the three pipelines take together for 12 and 24 months, in UTC and in a
 * time zone, on the embedded server, or on real MongoDB when MONGODB_URI is set (target < 1 s
 * there), and which index the period match uses (real MongoDB's explain).
 */
import { Types } from 'mongoose';
import { deterministicId } from '../models/support/ids.js';
import { openDatabase } from '../models/mongo/database.js';
import { startEmbeddedMongo } from '../models/mongo/embedded.js';
import { SEVERITIES } from '../models/incident/severity.js';
import { ms } from './stats.js';

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
          milestones: { declared, started: declared, acknowledged: ack, mitigated, resolved },
        };
      });
      await db.connection.collection('incidents').insertMany(docs, { ordered: false });
    }
    console.log(`\nmetrics bench (${process.env.MONGODB_URI ? 'MongoDB at MONGODB_URI' : 'embedded CongoDB'}): ${INCIDENTS} incidents seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const target = process.env.MONGODB_URI ? ' (target < 1 s)' : ' (the 1 s target applies to real MongoDB)';
    for (const [months, timeZone] of [[12, 'UTC'], [24, 'UTC'], [12, 'America/New_York']] as const) {
      const to = new Date(now);
      const from = new Date(now - months * 30.4 * 86_400_000);
      const runs: number[] = [];
      let incidents = 0;
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        incidents = (await db.metrics.metrics({ tenantId: TENANT, from, to, timeZone }, to)).incidents;
        runs.push(performance.now() - start);
      }
      console.log(`  ${months} months, ${timeZone.padEnd(16)} ${incidents} incidents in the period: best ${ms(Math.min(...runs))}, worst ${ms(Math.max(...runs))}${target}`);
    }
    try {
      const explain = (await db.connection.db!.command({
        explain: { aggregate: 'incidents', pipeline: [{ $match: { tenantId: TENANT, 'milestones.declared': { $gte: new Date(now - span / 2) } } }, { $count: 'n' }], cursor: {} },
        verbosity: 'queryPlanner',
      })) as Record<string, any>;
      const plan = JSON.stringify(explain.stages?.[0]?.$cursor?.queryPlanner?.winningPlan ?? explain.queryPlanner?.winningPlan ?? explain);
      const index = /"indexName":"([^"]+)"/.exec(plan)?.[1];
      console.log(`  period match uses: ${index ? `index ${index}` : /COLLSCAN/.test(plan) ? 'a collection scan' : 'no plan reported (the embedded server always scans)'}`);
    } catch (error) {
      console.log(`  period match plan: explain not available here (${(error as Error).message.slice(0, 80)}); the embedded server always scans`);
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
