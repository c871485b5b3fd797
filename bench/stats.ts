/** Small helpers the benchmarks share: timing a call repeatedly and reading percentiles. */

/** The value below which p% of the samples fall (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Milliseconds taken by each of `runs` sequential calls. */
export async function timeCalls(runs: number, call: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  return samples;
}

export const ms = (value: number, digits = 1) => `${value.toFixed(digits)} ms`;
