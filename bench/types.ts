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

/** Runs `fn` repeatedly for about `ms` milliseconds and returns nanoseconds per call (median of 5 rounds). */
export function timePerCall(fn: () => unknown, ms = 200): number {
  let iterations = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (elapsed >= ms / 10) break;
    iterations *= 2;
  }
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    rounds.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  rounds.sort((a, b) => a - b);
  return rounds[2];
}
