/**
 * Soak: two replicas on one database, 50 people clicking card buttons on 20 incidents, spread
 * over both replicas like a load balancer would, each pausing 1–3 s between clicks as people do
 * (then, for capacity, all 50 clicking as fast as answers come), while 5% of Graph and connector calls fail
 * (503, 429 with Retry-After, connection resets). A click that gets no answer is retried with
 * the same activity id, as Teams does. Prints requests/s, p50/p99 latency, and the two numbers
 * that must be 0: lost updates (an answered update missing from the timeline or the channel)
 * and duplicated effects (an update twice on the timeline, or posted twice in a channel). The click
 * is answered once the change is stored; the time until the update is in the channel is printed
 * on its own (the outbox worker posts it). The embedded database runs in a process of its own, as
 * MongoDB does in production (in this process its scans added their own blocking to the tail).
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RunningApp } from '../server.js';
import { cardAction, toBot } from '../local/teamsActivities.js';
import { BENCH_PERSON, BENCH_TENANT, startBenchApp } from './benchApp.js';
import type { Incident } from '../models/incident/incident.js';
import { percentile } from './stats.js';

const REPLICAS = 2;
const USERS = 50;
const INCIDENTS = 20;
const CLICKS = 2_000;
/** The first this many clicks come at people's pace; the rest as fast as the replicas answer. */
const PACED_CLICKS = 1_000;
const THINK_MS = [1_000, 3_000] as const;
const FAULT_RATE = 0.05;

export async function benchSoak(): Promise<void> {
  // The database in its own process, as in production: the click's tail is then the app's event loop, not the embedded server's scans.
  const t = await startBenchApp({ PROVISION_MAX_ATTEMPTS: '8', PROVISION_RETRY_BASE_MS: '10', PROVISION_RETRY_CAP_MS: '40' }, {}, { databaseProcess: true });
  const replicas: RunningApp[] = [t.app];
  for (let i = 1; i < REPLICAS; i++) replicas.push(await t.replica());
  try {
    const post = (app: RunningApp, body: Record<string, unknown>) =>
      fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(t.activity(body)) });
    for (let i = 0; i < INCIDENTS; i++) await post(replicas[i % REPLICAS]!, { type: 'message', id: randomUUID(), from: BENCH_PERSON, ...toBot(`declare Soak incident ${i} --sev P2`) });
    const incidents = await t.provisioned(INCIDENTS);

    // 5% of every Graph and connector call fails, in three ways.
    for (const standIn of [t.local.graph, t.local.connector]) {
      standIn.faults.add({ path: /^\/(v1\.0|v3)\//, status: 503, chance: FAULT_RATE * 0.6 });
      standIn.faults.add({ path: /^\/(v1\.0|v3)\//, status: 429, retryAfterSeconds: 1, chance: (FAULT_RATE * 0.2) / (1 - FAULT_RATE * 0.6) });
      standIn.faults.add({ path: /^\/(v1\.0|v3)\//, status: 'reset', chance: (FAULT_RATE * 0.2) / (1 - FAULT_RATE * 0.8) });
    }

    // Each person's card shows the version their last answer carried (Teams replaces the clicked card with it).
    const seen = new Map<string, number>();
    const click = (app: RunningApp, incident: Incident, id: string, user: number, text: string) =>
      post(app, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        id,
        // Members of the incidents team (the access policy lets members post updates), 50 sessions among them.
        from: { ...t.local.world.people[user % t.local.world.people.length], id: `29:soak-${user}`, name: `Soak user ${user}` },
        replyToId: incident.card!.activityId,
        conversation: { id: `${incident.channel!.id};messageid=${incident.card!.activityId}`, tenantId: BENCH_TENANT, conversationType: 'channel' },
        value: cardAction('update', { incidentId: incident.id, v: seen.get(`${user}:${incident.id}`) ?? incident.version, updateText: text }),
      }).then(
        async (r) => {
          const version = /"v":(\d+)/.exec(await r.text())?.[1];
          if (version) seen.set(`${user}:${incident.id}`, Number(version));
          return r.status;
        },
        () => 0,
      );

    const latencies: number[] = [];
    const saturated: number[] = [];
    const answered = new Map<string, string[]>(); // incident id → update texts answered 200
    const clickedAt = new Map<string, number>(); // update text → when its first click was sent (epoch ms)
    let retries = 0;
    // The replicas, stand-ins and clients share one event loop here: how long it was blocked explains the tail.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    /** 50 people clicking clicks [from, to), pausing between clicks when `think` says so. */
    const phase = (from: number, to: number, think: boolean, into: number[]) => {
      let next = from;
      return Promise.all(
        Array.from({ length: USERS }, async (_, user) => {
          for (let n = next++; n < to; n = next++) {
            if (think) await new Promise((resolve) => setTimeout(resolve, THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0])));
            const incident = incidents[n % INCIDENTS]!;
            const id = randomUUID();
            const text = `soak update ${n} by user ${user}`;
            clickedAt.set(text, Date.now());
            for (let attempt = 0; attempt < 5; attempt++) {
              const app = replicas[Math.floor(Math.random() * REPLICAS)]!;
              const begun = performance.now();
              const status = await click(app, incident, id, user, text);
              into.push(performance.now() - begun);
              if (status === 200) {
                answered.set(incident.id, [...(answered.get(incident.id) ?? []), text]);
                break;
              }
              retries++;
            }
          }
        }),
      );
    };
    await phase(0, PACED_CLICKS, true, latencies);
    const pacedSeconds = (performance.now() - started) / 1000;
    await phase(PACED_CLICKS, CLICKS, false, saturated);
    const seconds = (performance.now() - started) / 1000;
    loop.disable();

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
    console.log(`  answered ${total} of ${CLICKS} clicks (${retries} retried by the client) in ${seconds.toFixed(1)} s`);
    const p99 = percentile(latencies, 99);
    console.log(`  at people's pace (${PACED_CLICKS} clicks, ${(latencies.length / pacedSeconds).toFixed(0)} requests/s): click answered p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target p99 ≤ 100 ms: ${(p99 / 100).toFixed(2)}× the target)`);
    console.log(`  as fast as answered (${CLICKS - PACED_CLICKS} clicks, ${(saturated.length / (seconds - pacedSeconds)).toFixed(0)} requests/s, the capacity of one process on this machine): p50 ${percentile(saturated, 50).toFixed(1)} ms, p99 ${percentile(saturated, 99).toFixed(1)} ms`);
    console.log(`  the app's event loop (both replicas, the stand-ins, the clients; the database has its own process) was blocked: p50 ${(loop.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`);
    console.log(`  until the update is in the channel: p50 ${percentile(timeToPost, 50).toFixed(0)} ms, p99 ${percentile(timeToPost, 99).toFixed(0)} ms (posted by the outbox worker, through the faults)`);
    console.log(`  lost updates ${lost} (must be 0); duplicated effects ${duplicated} (must be 0); answered updates not in their channel ${missingInChannel}`);
  } finally {
    await t.close();
  }
}

if (process.argv[1]?.endsWith('soak.ts')) await benchSoak();
