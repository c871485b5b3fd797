/**
 * The alert storm's sender, run in a process of its own so the load generator shares neither the
 * server's event loop nor its CPU account (a monitor fleet is not inside incident-room either).
 * node:http with keep-alive sockets, not fetch: fetch costs several times more CPU per request,
 * and on two cores the sender, not the server, was what the storm measured (the sender's thread
 * 96% busy, the server's event loop half idle).
 */
import { Agent, request } from 'node:http';

const { url, fingerprints, run, alerts, concurrency, secret } = JSON.parse(process.argv[2]);
const target = new URL('/api/alerts/generic', url);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
/** Answers per second of the storm, to show its shape (what slows it, and when). */
const perSecond = [];
let next = 0;
let refused = 0;

/** One POST; resolves with the status once the answer has been read to its end. */
const post = (body) =>
  new Promise((resolve, reject) => {
    const req = request(
      { agent, hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Authorization: `Bearer ${secret}` } },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });

const started = performance.now();
const worker = async () => {
  for (let n = next++; n < alerts; n = next++) {
    const body = JSON.stringify({ title: `Payments timeouts ${run} ${n % fingerprints}`, fingerprint: `${run}-fp-${n % fingerprints}`, id: `${run}-${n}`, severity: 'critical', description: `sample ${n}` });
    const start = performance.now();
    const status = await post(body);
    latencies.push(performance.now() - start);
    const second = Math.floor((performance.now() - started) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
    if (status !== 202) refused++;
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
agent.destroy();
process.send({ latencies, perSecond: Array.from(perSecond, (n) => n ?? 0), seconds: (performance.now() - started) / 1000, refused }, () => process.exit(0));
