/**
 * An alert storm over HTTP: 10,000 alerts with one fingerprint, then 10,000 spread over 50
 * fingerprints, sent concurrently (CONCURRENCY requests in flight, from a process of its own) to
 * /api/alerts/generic, processed by the same process as it goes (the embedded database too).
 * Prints the intake rate (alerts answered 202 per second) with its target and ratio, p50/p99
 * intake latency, the time until every alert is processed, how many incidents resulted (must be
 * 1 and 50), the server's CPU per alert (the figure that moves least with other load on the
 * machine) and how many alerts were accepted in each second — the storm's shape: slower while the
 * war rooms of its new incidents are built in the same process, then intake alone.
 * Also how much the timeline grew per alert: each incident's alerts fold into one counted entry
 * (the alerts themselves are all kept in `alerts`), so 10,000 alerts add a handful of events.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LOCAL } from '../local/defaults.js';
import { startBenchApp } from './benchApp.js';
import { ms, percentile } from './stats.js';

const ALERTS = 10_000;
const CONCURRENCY = 64;
const TARGET_PER_SECOND = 2_000;

interface Storm {
  readonly latencies: number[];
  /** Alerts answered in each second of the storm (the last one partial). */
  readonly perSecond: number[];
  readonly seconds: number;
  readonly refused: number;
}

/** Sends the storm from a process of its own and reports what it measured. */
function storm(url: string, fingerprints: number, run: string): Promise<Storm> {
  return new Promise((resolve, reject) => {
    const sender = fork(fileURLToPath(new URL('./stormSender.mjs', import.meta.url)), [JSON.stringify({ url, fingerprints, run, alerts: ALERTS, concurrency: CONCURRENCY, secret: LOCAL.alertSecret })], { execArgv: [] });
    sender.once('message', (result) => resolve(result as Storm));
    sender.once('error', reject);
    sender.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`the storm sender exited with ${code}`))));
  });
}

export async function benchAlertStorm(): Promise<void> {
  const bench = await startBenchApp({}, { timers: false });
  const { app } = bench;
  const db = app.database.connection;
  console.log(`\nalert storm (${bench.database}, ${CONCURRENCY} requests in flight, processed in the same process):`);
  try {
    for (const [fingerprints, run] of [[1, 'one'], [50, 'fifty']] as const) {
      const before = await db.collection('incidents').countDocuments();
      const eventsBefore = await db.collection('timeline_events').countDocuments();
      const alertsBefore = await db.collection('alerts').countDocuments();
      const loop = performance.eventLoopUtilization();
      const cpu = process.cpuUsage();
      const { latencies, perSecond, seconds, refused } = await storm(app.url, fingerprints, run);
      const processStart = performance.now();
      await app.alerts.drain();
      const processed = (performance.now() - processStart) / 1000 + seconds;
      const busy = performance.eventLoopUtilization(loop);
      const used = process.cpuUsage(cpu);
      const incidents = (await db.collection('incidents').countDocuments()) - before;
      const pending = await db.collection('alert_inbox').countDocuments();
      const rate = ALERTS / seconds;
      console.log(
        `  ${String(ALERTS)} alerts, ${fingerprints} fingerprint${fingerprints > 1 ? 's' : ''}: ${rate.toFixed(0)} alerts/s accepted (target ≥ ${TARGET_PER_SECOND}, ${(rate / TARGET_PER_SECOND).toFixed(2)}× target), ` +
          `intake p50 ${ms(percentile(latencies, 50))} p99 ${ms(percentile(latencies, 99))}; all processed after ${processed.toFixed(1)} s; ` +
          `${incidents} incident${incidents === 1 ? '' : 's'} (expected ${fingerprints}); ${refused} refused; ${pending} unprocessed`,
      );
      console.log(
        `    server: ${((used.user + used.system) / ALERTS).toFixed(0)} µs of CPU per alert until all were processed (intake, processing, war rooms, stand-ins and the database: all in this process); ` +
          `event loop ${(busy.utilization * 100).toFixed(0)}% busy; accepted in each second: ${perSecond.join(', ')}`,
      );
      // Provisioning adds its own few events per incident meanwhile; what matters is that alerts no longer add one each.
      await app.runner.drain();
      const events = (await db.collection('timeline_events').countDocuments()) - eventsBefore;
      const kept = (await db.collection('alerts').countDocuments()) - alertsBefore;
      console.log(
        `    timeline: +${events} events for ${ALERTS} alerts (${(events / ALERTS).toFixed(4)} events per alert, ${(events / Math.max(incidents, 1)).toFixed(1)} per incident); ` +
          `${kept} alerts kept in the alerts collection`,
      );
    }
    await app.runner.drain();
  } finally {
    await bench.close();
  }
}

if (process.argv[1]?.endsWith('alert-storm.ts')) {
  await benchAlertStorm();
  process.exit(0);
}
