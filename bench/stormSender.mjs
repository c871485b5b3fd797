/**
 * The alert storm's sender, run in a worker thread so the load generator does not share the
 * server's event loop (a monitor fleet is not inside incident-room either).
 */
import { parentPort, workerData } from 'node:worker_threads';

const { url, fingerprints, run, alerts, concurrency, secret } = workerData;
const latencies = [];
let next = 0;
let refused = 0;
const started = performance.now();
const worker = async () => {
  for (let n = next++; n < alerts; n = next++) {
    const body = JSON.stringify({ title: `Payments timeouts ${run} ${n % fingerprints}`, fingerprint: `${run}-fp-${n % fingerprints}`, id: `${run}-${n}`, severity: 'critical', description: `sample ${n}` });
    const start = performance.now();
    const response = await fetch(`${url}/api/alerts/generic`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` }, body });
    await response.arrayBuffer();
    latencies.push(performance.now() - start);
    if (response.status !== 202) refused++;
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
parentPort.postMessage({ latencies, seconds: (performance.now() - started) / 1000, refused });
