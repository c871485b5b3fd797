/**
 * Soak: two replicas on one database, 50 people clicking card buttons on 20 incidents, spread
 * over both replicas like a load balancer would, while 5% of Graph and connector calls fail
 * (503, 429 with Retry-After, connection resets). A click that gets no answer is retried with
 * the same activity id, as Teams does. Prints requests/s, p50/p99 latency, and the two numbers
 * that must be 0: lost updates (an answered update missing from the timeline or the channel)
 * and duplicated effects (an update twice on the timeline, or posted twice in a channel). The click
 * is answered once the change is stored; the time until the update is in the channel is printed
 * on its own (the outbox worker posts it).
 */
import { randomUUID } from 'node:crypto';
import type { RunningApp } from '../server.js';
import { cardAction, toBot } from '../local/teamsActivities.js';
import { BENCH_TENANT, startBenchApp } from './benchApp.js';
import type { Incident } from '../models/incident/incident.js';
import { percentile } from './stats.js';

const REPLICAS = 2;
const USERS = 50;
const INCIDENTS = 20;
const CLICKS = 2_000;
const FAULT_RATE = 0.05;

export async function benchSoak(): Promise<void> {
  const t = await startBenchApp({ PROVISION_MAX_ATTEMPTS: '8', PROVISION_RETRY_BASE_MS: '10', PROVISION_RETRY_CAP_MS: '40' });
  const replicas: RunningApp[] = [t.app];
  for (let i = 1; i < REPLICAS; i++) replicas.push(await t.replica());
  try {
    const post = (app: RunningApp, body: Record<string, unknown>) =>
      fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(t.activity(body)) });
    for (let i = 0; i < INCIDENTS; i++) await post(replicas[i % REPLICAS]!, { type: 'message', id: randomUUID(), from: { id: '29:soak', name: 'Soak' }, ...toBot(`declare Soak incident ${i} --sev P2`) });
    const incidents = await t.provisioned(INCIDENTS);

    // 5% of every Graph and connector call fails, in three ways.
    for (const standIn of [t.local.graph, t.local.connector]) {
      standIn.faults.add({ path: /^\/(v1\.0|v3)\//, status: 503, chance: FAULT_RATE * 0.6 });
      standIn.faults.add({ path: /^\/(v1\.0|v3)\//, status: 429, retryAfterSeconds: 1, chance: (FAULT_RATE * 0.2) / (1 - FAULT_RATE * 0.6) });
      standIn.faults.add({ path: /^\/(v1\.0|v3)\//, status: 'reset', chance: (FAULT_RATE * 0.2) / (1 - FAULT_RATE * 0.8) });
    }

    const click = (app: RunningApp, incident: Incident, id: string, user: number, text: string) =>
      post(app, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        id,
        from: { id: `29:soak-${user}`, name: `Soak user ${user}` },
        replyToId: incident.card!.activityId,
        conversation: { id: `${incident.channel!.id};messageid=${incident.card!.activityId}`, tenantId: BENCH_TENANT, conversationType: 'channel' },
        value: cardAction('update', { incidentId: incident.id, v: 1, updateText: text }),
      }).then((r) => r.status, () => 0);

    const latencies: number[] = [];
    const answered = new Map<string, string[]>(); // incident id → update texts answered 200
    const clickedAt = new Map<string, number>(); // update text → when its first click was sent (epoch ms)
    let next = 0;
    let retries = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: USERS }, async (_, user) => {
        for (let n = next++; n < CLICKS; n = next++) {
          const incident = incidents[n % INCIDENTS]!;
          const id = randomUUID();
          const text = `soak update ${n} by user ${user}`;
          clickedAt.set(text, Date.now());
          for (let attempt = 0; attempt < 5; attempt++) {
            const app = replicas[Math.floor(Math.random() * REPLICAS)]!;
            const begun = performance.now();
            const status = await click(app, incident, id, user, text);
            latencies.push(performance.now() - begun);
            if (status === 200) {
              answered.set(incident.id, [...(answered.get(incident.id) ?? []), text]);
              break;
            }
            retries++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    // Let the replicas finish what follows each change, then stop the faults and let the sweep finish the rest.
    await Promise.all(replicas.map((r) => r.actions.drain()));
    for (const standIn of [t.local.graph, t.local.connector]) standIn.faults.clear();
    // Retries due later (Retry-After) are the worker's timers' and the sweep's: wait for every outbox to empty.
    for (let waited = 0; waited < 120; waited++) {
      for (const r of replicas) await r.actions.flushAllOutboxes();
      await Promise.all(replicas.map((r) => r.actions.drain()));
      const left = await Promise.all(incidents.map(async (i) => (await t.app.database.store.findById(i.id))?.effects?.length ?? 0));
      if (left.every((n) => n === 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    let lost = 0;
    let duplicated = 0;
    let missingInChannel = 0;
    const timeToPost: number[] = [];
    for (const incident of incidents) {
      const texts = (await t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'update_posted').map((e) => (e.payload as { text: string }).text);
      const counts = new Map<string, number>();
      for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
      const posted = new Map<string, number>();
      for (const card of t.local.world.cardsIn(incident.channel!.id)) {
        const json = JSON.stringify(card.card);
        // Update posts only (📣); the incident card also shows the latest update.
        const found = json.includes('📣') ? /soak update \d+ by user \d+/.exec(json)?.[0] : undefined;
        if (found) posted.set(found, (posted.get(found) ?? 0) + 1);
        if (found && posted.get(found) === 1 && clickedAt.has(found)) timeToPost.push(Date.parse(card.activity.createdAt) - clickedAt.get(found)!);
      }
      for (const text of answered.get(incident.id) ?? []) {
        if (!counts.has(text)) lost++;
        if (!posted.has(text)) missingInChannel++;
      }
      for (const n of counts.values()) duplicated += n - 1;
      for (const n of posted.values()) duplicated += n - 1;
    }
    const total = [...answered.values()].reduce((sum, list) => sum + list.length, 0);
    console.log(`\nSoak: ${REPLICAS} replicas, ${USERS} users, ${INCIDENTS} incidents, ${CLICKS} update clicks, ${FAULT_RATE * 100}% Graph/connector faults`);
    console.log(`  answered ${total} of ${CLICKS} clicks (${retries} retried by the client) in ${seconds.toFixed(1)} s: ${(latencies.length / seconds).toFixed(0)} requests/s`);
    const p99 = percentile(latencies, 99);
    console.log(`  click answered: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target p99 ≤ 100 ms: ${(p99 / 100).toFixed(2)}× the target)`);
    console.log(`  until the update is in the channel: p50 ${percentile(timeToPost, 50).toFixed(0)} ms, p99 ${percentile(timeToPost, 99).toFixed(0)} ms (posted by the outbox worker, through the faults)`);
    console.log(`  lost updates ${lost} (must be 0); duplicated effects ${duplicated} (must be 0); answered updates not in their channel ${missingInChannel}`);
  } finally {
    await t.close();
  }
}

if (process.argv[1]?.endsWith('soak.ts')) await benchSoak();
