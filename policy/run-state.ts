/**
 * State a policy keeps for the length of one policy run. The Pulumi engine starts a fresh analyzer
 * process for every preview or update and hands it the stack's resources one by one in registration
 * order, so module state lives exactly one run there; the in-process harness calls {@link startRun}
 * before each run to give policies the same fresh start.
 */

const resets: (() => void)[] = [];

/** A getter for per-run state, created by `create` at load and again at every {@link startRun}. */
export function perRun<T>(create: () => T): () => T {
  let value = create();
  resets.push(() => {
    value = create();
  });
  return () => value;
}

/** Starts a new run: every policy's per-run state is created afresh. */
export function startRun(): void {
  for (const reset of resets) reset();
}
