/**
 * Small statistics and clocks shared by the bench modules.
 *
 * Why CPU time: on a shared machine, wall time includes every moment this process was runnable but not
 * scheduled, so it measures the neighbours' load as much as our code. The CPU time of a process (user +
 * system, `process.cpuUsage()`, getrusage) counts only the time it actually ran, which for a single-threaded
 * JavaScript workload is the work itself. The in-process ratios are therefore taken on CPU time; wall time
 * is printed beside them.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** CPU time (user + system, every thread) this process has used so far, in milliseconds. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Wall-clock milliseconds since an arbitrary origin (process.hrtime). */
export function wallMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** What one timed run took: wall time and CPU time, in milliseconds. */
export interface Clocks {
  /** Elapsed wall time. */
  readonly wall: number;
  /** CPU time used meanwhile (of this process, or of this process and its waited-for children: the caller says). */
  readonly cpu: number;
}

/** Runs `fn` once and returns its wall time and this process's CPU time meanwhile. */
export async function clocked(fn: () => Promise<unknown>): Promise<Clocks> {
  const [w, c] = [wallMs(), cpuMs()];
  await fn();
  return { wall: wallMs() - w, cpu: cpuMs() - c };
}

let ticksPerSecond: number | undefined;

/**
 * CPU time (user + system) of this process's children that have ended and been waited for, including
 * what they counted for their own waited-for children, in milliseconds (Linux: `cutime` + `cstime` of
 * /proc/self/stat, in clock ticks, usually 10 ms). Undefined where /proc is not available.
 */
export function childrenCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync("/proc/self/stat", "utf8");
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces, inside parentheses): state is field 3, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  ticksPerSecond ??= clockTicks();
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
}

function clockTicks(): number {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/**
 * Runs `fn` once (it starts child processes and waits for them) and returns its wall time and the CPU
 * time of this process and of the children that ended meanwhile; without /proc, `cpu` is the wall time.
 */
export async function clockedTree(fn: () => Promise<unknown>): Promise<Clocks> {
  const before = childrenCpuMs();
  const own = await clocked(fn);
  const after = childrenCpuMs();
  return { wall: own.wall, cpu: before === undefined || after === undefined ? own.wall : own.cpu + (after - before) };
}

/** Per-round ratios `a[i] / b[i]`, formatted for a figure's note with `digits` decimals. */
export function roundRatios(a: readonly number[], b: readonly number[], digits = 2): string {
  return a.map((x, i) => (x / b[i]).toFixed(digits)).join(", ");
}

/**
 * Collects garbage now when node runs with --expose-gc (`npm run bench` does), so a measurement does not
 * pay for collecting what the one before it left behind.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
