/**
 * Card action → refreshed card: the latency of an `ack`/`update` invoke through /api/messages
 * (CloudAdapter, zod, optimistic write, card render), as a ratio to a bare restify echo route in
 * the same process and run, and the throughput of one process (one core) under concurrent clicks.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { pino } from 'pino';
import { cardAction, toBot } from '../local/teamsActivities.js';
import type { Incident } from '../models/incident/incident.js';
import { BENCH_PERSON, BENCH_TENANT, startBenchApp } from './benchApp.js';
import { percentile, timeCalls } from './stats.js';

const WARMUP = 50;
const SAMPLES = 300;
const THROUGHPUT_CLICKS = 600;
const CONCURRENCY = 16;

export async function benchCardAction(): Promise<void> {
  const bench = await startBenchApp();
  const { app, local } = bench;
  const echo = restify.createServer({ log: pino({ level: 'silent' }) as never });
  echo.use(restify.plugins.bodyParser({ mapParams: false }));
  echo.post('/echo', async (req, res) => {
    res.send(200, req.body);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/echo`;
  try {
    const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.text());
    await post(`${app.url}/api/messages`, bench.activity({ type: 'message', id: randomUUID(), from: BENCH_PERSON, ...toBot('declare Bench incident --sev P2') }));
    const [incident] = (await bench.provisioned(1)) as [Incident];
    const click = (verb: string, data: Record<string, unknown>) =>
      bench.activity({
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: randomUUID(),
        from: BENCH_PERSON,
        replyToId: incident.card!.activityId,
        conversation: { id: `${incident.channel!.id};messageid=${incident.card!.activityId}`, tenantId: BENCH_TENANT, conversationType: 'channel' },
        value: cardAction(verb, { incidentId: incident.id, ...data }),
      });
    const body = click('update', { updateText: 'x' });
    await timeCalls(WARMUP, () => post(echoUrl, body));
    await timeCalls(WARMUP, () => post(`${app.url}/api/messages`, click('update', { updateText: 'warm-up' })));
    await app.actions.drain();

    // Interleave so both see the same machine conditions, each starting from a quiet process (the
    // card refresh for everyone else that follows a change is counted in the throughput figure).
    const echoSamples: number[] = [];
    const actionSamples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await app.actions.drain();
      echoSamples.push(...(await timeCalls(1, () => post(echoUrl, body))));
      actionSamples.push(...(await timeCalls(1, () => post(`${app.url}/api/messages`, click('update', { updateText: `sample ${i}` })))));
    }
    await app.actions.drain();
    const refreshSamples = await timeCalls(SAMPLES, () => post(`${app.url}/api/messages`, click('refresh', {})));
    const quietEcho = await timeCalls(SAMPLES, () => post(echoUrl, body));
    const severitySamples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      severitySamples.push(...(await timeCalls(1, () => post(`${app.url}/api/messages`, click('severity', { severityTo: i % 2 ? 'P2' : 'P3' })))));
      await app.actions.drain();
    }

    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < THROUGHPUT_CLICKS) {
          next++;
          await post(`${app.url}/api/messages`, click('update', { updateText: `load ${next}` }));
        }
      }),
    );
    await app.actions.drain();
    const seconds = (performance.now() - started) / 1000;
    const events = await app.database.store.listEvents(incident.id);
    const applied = events.filter((e) => e.kind === 'update_posted' && String(e.payload.text).startsWith('load ')).length;
    const after = await app.database.store.findById(incident.id);
    const leftInOutbox = after?.outbox?.length ?? 0;
    const posted = new Set(
      local.world.activities.filter((a) => a.conversationId.startsWith(incident.channel!.id)).flatMap((a) => JSON.stringify(a).match(/load \d+/g) ?? []),
    ).size;

    const e50 = percentile([...echoSamples, ...quietEcho], 50);
    const a50 = percentile(actionSamples, 50);
    const r50 = percentile(refreshSamples, 50);
    console.log(`\ncard action → refreshed card, ${SAMPLES} samples each, one process`);
    console.log(`  bare restify echo          p50 ${e50.toFixed(2)} ms  p95 ${percentile([...echoSamples, ...quietEcho], 95).toFixed(2)} ms`);
    console.log(`  refresh (read + render)    p50 ${r50.toFixed(2)} ms  p95 ${percentile(refreshSamples, 95).toFixed(2)} ms  = ${(r50 / e50).toFixed(2)}× echo`);
    const s50 = percentile(severitySamples, 50);
    console.log(`  severity (write + render)  p50 ${s50.toFixed(2)} ms  p95 ${percentile(severitySamples, 95).toFixed(2)} ms  = ${(s50 / e50).toFixed(2)}× echo`);
    console.log(`  update (write + render; the outbox worker posts it after)  p50 ${a50.toFixed(2)} ms  p95 ${percentile(actionSamples, 95).toFixed(2)} ms  = ${(a50 / e50).toFixed(2)}× echo (target ≤ 1.2×)`);
    console.log(`  throughput                 ${(THROUGHPUT_CLICKS / seconds).toFixed(0)} updates/s with ${CONCURRENCY} concurrent clients on one incident; ${applied}/${THROUGHPUT_CLICKS} on the timeline, ${posted} posted in the channel, ${leftInOutbox} left in the outbox`);
  } finally {
    echo.close();
    await bench.close();
  }
}
