/**
 * Declare-to-card latency with 100 ms injected on every Graph call, as a multiple of one Graph
 * round trip. The saga runs channel ∥ meeting, then tab ∥ card ∥ broadcast the moment Graph
 * answers for the channel, then the card update the moment the tab answers: the first card should
 * land after ~1 round trip (target ≤ 1.2×) and the card with its links after ~2 (target ≤ 2.2×);
 * doing the five Graph/connector steps one after another would be ~5×.
 */
import { randomUUID } from 'node:crypto';
import { createGraphClient, localTokens } from '../adapters/graph/graphClient.js';
import { toBot } from '../local/teamsActivities.js';
import { BENCH_PERSON, startBenchApp } from './benchApp.js';

const LATENCY_MS = 100;
const RUNS = 12;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Polls without a timer's granularity; gives up loudly rather than spinning forever. */
async function until<T>(what: string, check: () => T | undefined): Promise<T> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`bench: gave up waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export async function benchDeclare(): Promise<void> {
  const bench = await startBenchApp();
  const { app, local } = bench;
  const { config } = app;
  try {
    local.graph.faults.latencyMs = LATENCY_MS;
    const graph = createGraphClient(local.graph.url, localTokens);
    const trips: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await graph.api(`/teams/${config.teamId}/channels`).get();
      trips.push(performance.now() - start);
    }
    const roundTrip = median(trips);

    const firstCard: number[] = [];
    const completeCard: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const title = `Bench outage ${i} ${randomUUID().slice(0, 6)}`;
      const start = performance.now();
      const response = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(bench.activity({ type: 'message', id: randomUUID(), from: BENCH_PERSON, ...toBot(`declare ${title} --sev P1`) })),
      });
      if (response.status !== 200) throw new Error(`declare answered ${response.status}`);
      const channel = await until('the channel', () => local.world.liveChannels().find((c) => c.description?.includes(title)));
      await until('the first card', () => (local.world.cardsIn(channel.id).length > 0 ? true : undefined));
      firstCard.push(performance.now() - start);
      await until('the card with meeting and tab links', () => {
        const card = JSON.stringify(local.world.cardsIn(channel.id)[0]?.card ?? '');
        return card.includes('Join the bridge') && card.includes('Timeline, checklist') ? true : undefined;
      });
      completeCard.push(performance.now() - start);
      await app.runner.drain();
    }
    const first = median(firstCard);
    const complete = median(completeCard);
    console.log(`declare → card, ${LATENCY_MS} ms injected per Graph call, median of ${RUNS}`);
    console.log(`  one Graph round trip        ${roundTrip.toFixed(0)} ms`);
    console.log(`  declare → first card        ${first.toFixed(0)} ms = ${(first / roundTrip).toFixed(2)}× round trip (target ≤ 1.2×)`);
    console.log(`  declare → card with links   ${complete.toFixed(0)} ms = ${(complete / roundTrip).toFixed(2)}× round trip (target ≤ 2.2×; sequential ≈ 5×)`);
  } finally {
    await bench.close();
  }
}
