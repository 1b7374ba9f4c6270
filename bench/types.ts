import { cpuMs, median } from "./stats";

/** One figure printed by `npm run bench`. Ratios compare two measurements taken in the same run. */
export interface BenchFigure {
  /** What was measured, e.g. `filter evaluation (5 filters) vs JSON.parse`. */
  readonly name: string;
  /** The number. */
  readonly value: number;
  /** Its unit: `x` for ratios, `ops/s`, `ms`, `bytes`, `µs/resource`, … */
  readonly unit: string;
  /** Optional target or context, e.g. `target < 0.5`. */
  readonly note?: string;
}

/** A bench module: `bench/<area>.ts` exports `run` returning its figures. */
export type BenchModule = () => Promise<BenchFigure[]>;

/**
 * Runs `fn` repeatedly for about `ms` milliseconds of CPU time and returns CPU nanoseconds per call (median
 * of 5 rounds). CPU time, not wall time, so a neighbour's load does not count (see bench/stats.ts).
 */
export function timePerCall(fn: () => unknown, ms = 200): number {
  let iterations = 1;
  for (;;) {
    const start = cpuMs();
    for (let i = 0; i < iterations; i++) fn();
    if (cpuMs() - start >= ms / 10) break;
    iterations *= 2;
  }
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = cpuMs();
    for (let i = 0; i < iterations; i++) fn();
    rounds.push(((cpuMs() - start) * 1e6) / iterations);
  }
  return median(rounds);
}
