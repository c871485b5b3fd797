/**
 * An alert storm over HTTP: 10,000 alerts with one fingerprint, then 10,000 spread over 50
 * fingerprints, sent concurrently (CONCURRENCY requests in flight, from a worker thread) to
 * /api/alerts/generic.
 * Prints intake rate (alerts answered 202 per second; target ≥ 2,000/s), p50/p99 intake latency,
 * the time until every alert is processed, and how many incidents resulted (must be 1 and 50).
 * Also how much the timeline grew per alert: each incident's alerts fold into one counted entry
 * (the alerts themselves are all kept in `alerts`), so 10,000 alerts add a handful of events.
 */
import { Worker } from 'node:worker_threads';
import { LOCAL } from '../local/defaults.js';
import { startBenchApp } from './benchApp.js';
import { ms, percentile } from './stats.js';

const ALERTS = 10_000;
const CONCURRENCY = 64;

/** Sends the storm from a worker thread and reports what it measured. */
function storm(url: string, fingerprints: number, run: string): Promise<{ latencies: number[]; seconds: number; refused: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./stormSender.mjs', import.meta.url), {
      workerData: { url, fingerprints, run, alerts: ALERTS, concurrency: CONCURRENCY, secret: LOCAL.alertSecret },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

export async function benchAlertStorm(): Promise<void> {
  const bench = await startBenchApp({}, { timers: false });
  const { app } = bench;
  console.log(`\nalert storm (${bench.database}, ${CONCURRENCY} requests in flight):`);
  try {
    for (const [fingerprints, run] of [[1, 'one'], [50, 'fifty']] as const) {
      const before = await app.database.connection.collection('incidents').countDocuments();
      const eventsBefore = await app.database.connection.collection('timeline_events').countDocuments();
      const alertsBefore = await app.database.connection.collection('alerts').countDocuments();
      const { latencies, seconds, refused } = await storm(app.url, fingerprints, run);
      const processStart = performance.now();
      await app.alerts.drain();
      const processed = (performance.now() - processStart) / 1000 + seconds;
      const incidents = (await app.database.connection.collection('incidents').countDocuments()) - before;
      const pending = await app.database.connection.collection('alert_inbox').countDocuments();
      console.log(
        `  ${String(ALERTS)} alerts, ${fingerprints} fingerprint${fingerprints > 1 ? 's' : ''}: ${(ALERTS / seconds).toFixed(0)} alerts/s accepted (target ≥ 2000), ` +
          `intake p50 ${ms(percentile(latencies, 50))} p99 ${ms(percentile(latencies, 99))}; all processed after ${processed.toFixed(1)} s; ` +
          `${incidents} incident${incidents === 1 ? '' : 's'} (expected ${fingerprints}); ${refused} refused; ${pending} unprocessed`,
      );
      // Provisioning adds its own few events per incident meanwhile; what matters is that alerts no longer add one each.
      await app.runner.drain();
      const events = (await app.database.connection.collection('timeline_events').countDocuments()) - eventsBefore;
      const kept = (await app.database.connection.collection('alerts').countDocuments()) - alertsBefore;
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
