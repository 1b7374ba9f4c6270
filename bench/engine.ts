/**
 * The real engine against the offline plan on examples/platform: `pulumi preview` with the policy pack
 * (file backend, offline provider plugins) against `npm start`'s plan of the same program, both as fresh
 * processes, medians of five interleaved rounds. Compared on the CPU time of the whole process tree (the
 * CLI, its plugins and language host; /proc/self/stat's children's times, bench/stats.ts), wall time beside it. Plus the CLI's cold build
 * time as recorded by scripts/pulumi-cli.sh. Only when the CLI has been built.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiEnv, pulumiBinary, README_POLICY_FLAGS, REPO } from "../test/engine/cli";
import { MockedResource } from "../lib/plan/mocks";
import { runProgram } from "../lib/plan/run";
import { compositeProgram } from "./composite";
import { Clocks, clockedTree, median, roundRatios } from "./stats";
import { BenchFigure } from "./types";

/**
 * Wall time and CPU time (this process and every child process it waited for) of each side over `rounds`
 * rounds, the order alternating each round (drift on a shared machine hits both).
 */
async function interleaved(rounds: number, sides: readonly (() => Promise<void>)[]): Promise<Clocks[][]> {
  const times: Clocks[][] = sides.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < sides.length; i++) {
      const k = (i + r) % sides.length;
      times[k].push(await clockedTree(sides[k]));
    }
  }
  return times;
}

const cpuOf = (xs: readonly Clocks[]): number[] => xs.map((x) => x.cpu);
const wallOf = (xs: readonly Clocks[]): number[] => xs.map((x) => x.wall);

/** The three figures of a comparison of `a` against `b`: each side's median CPU time, and their ratio (CPU, with wall beside it). */
function comparison(a: { name: string; runs: Clocks[] }, b: { name: string; runs: Clocks[] }, ratio: { name: string; target: string }): BenchFigure[] {
  const rounds = a.runs.length;
  const wallRatio = median(wallOf(a.runs)) / median(wallOf(b.runs));
  return [
    { name: a.name, value: Math.round(median(cpuOf(a.runs))), unit: "ms", note: `CPU of the process tree, median of ${rounds}, interleaved; wall ${median(wallOf(a.runs)).toFixed(0)}` },
    { name: b.name, value: Math.round(median(cpuOf(b.runs))), unit: "ms", note: `CPU of the process tree, median of ${rounds}, interleaved; wall ${median(wallOf(b.runs)).toFixed(0)}` },
    {
      name: ratio.name,
      value: median(cpuOf(a.runs)) / median(cpuOf(b.runs)),
      unit: "x",
      note: `${ratio.target}; CPU time; per round ${roundRatios(cpuOf(a.runs), cpuOf(b.runs))}; wall ${wallRatio.toFixed(3)} (per round ${roundRatios(wallOf(a.runs), wallOf(b.runs))})`,
    },
  ];
}

function buildSeconds(bin: string): BenchFigure {
  const file = path.join(path.dirname(path.dirname(bin)), "build-seconds");
  if (!fs.existsSync(file)) return { name: "Pulumi CLI cold build (scripts/pulumi-cli.sh)", value: 0, unit: "s", note: "not recorded: the cache predates timing" };
  return { name: "Pulumi CLI cold build (scripts/pulumi-cli.sh)", value: Number(fs.readFileSync(file, "utf8").trim()), unit: "s", note: "recorded when the cache was built" };
}

/**
 * `pulumi preview` of the composite at `count` workspaces against the same resources declared directly
 * (bench/programs/scale), interleaved, median of `rounds` each. Opt-in (`--preview`): minutes per round;
 * BENCH_PREVIEW_ROUNDS sets the rounds (default 1), BENCH_PREVIEW_WORKSPACES the count (default 50: the
 * engine starts a Node.js process per dynamic-provider instance, four a workspace, about 100 MB each).
 */
async function scalePreview(env: PulumiEnv, count: number, rounds: number): Promise<BenchFigure[]> {
  const recorded = path.join(env.root, "recorded.json");
  const resources: MockedResource[] = (await runProgram(compositeProgram(count), { stack: "bench" })).resources;
  fs.writeFileSync(recorded, JSON.stringify(resources));
  Object.assign(process.env, { AML_BENCH_WORKSPACES: String(count), AML_BENCH_RECORDED: recorded });
  const composite = await env.project("scale-composite", "bench/programs/scale");
  const direct = await env.project("scale-direct", "bench/programs/scale");
  const preview = (side: "composite" | "direct") => async () => {
    process.env.AML_BENCH_SCALE_MODE = side;
    await env.ok(["preview", "--json"], side === "composite" ? composite : direct);
  };
  const [c, d] = await interleaved(rounds, [preview("composite"), preview("direct")]);
  return comparison(
    { name: `pulumi preview, composite at ${count} workspaces`, runs: c },
    { name: `pulumi preview, same resources declared directly`, runs: d },
    { name: `pulumi preview composite vs direct, ${count} workspaces`, target: "target <= 1.15" },
  );
}

export async function run(): Promise<BenchFigure[]> {
  const bin = pulumiBinary();
  if (bin === undefined) {
    console.log("  (Pulumi CLI not built: `bash scripts/pulumi-cli.sh` adds the real-engine figures)");
    return [];
  }
  const env = new PulumiEnv(bin);
  try {
    await env.installProviders();
    const dir = await env.repoProject("bench");
    const out = path.join(env.root, "plan");
    const rounds = 5;
    const sides = [
      async () => {
        execFileSync(process.execPath, [path.join(REPO, "dist/lib/plan/cli.js"), "--program", path.join(REPO, "dist/examples/platform"), "--out", out], { stdio: "ignore" });
      },
      async () => {
        await env.ok(["preview", ...README_POLICY_FLAGS, "--json"], dir);
      },
    ];
    // Warm caches on both sides before timing: the first preview of a fresh environment also loads the
    // plugins from a cold page cache and writes the stack's first checkpoint; the first plan reads the
    // compiled program cold. Neither is what a user waits for on the second run, so neither is counted.
    for (const side of sides) await side();
    const [plans, previews] = await interleaved(rounds, sides);
    return [
      ...comparison(
        { name: "pulumi preview --policy-pack of examples/platform", runs: previews },
        { name: "offline plan of examples/platform (npm start, one process)", runs: plans },
        { name: "pulumi preview vs offline plan", target: "target <= 3; after one warm-up run each" },
      ),
      buildSeconds(bin),
      ...(process.argv.includes("--preview") ? await scalePreview(env, Number(process.env.BENCH_PREVIEW_WORKSPACES ?? 50), Number(process.env.BENCH_PREVIEW_ROUNDS ?? 1)) : [{ name: "pulumi preview at 50 workspaces", value: 0, unit: "ms", note: "skipped: add --preview (npm run bench -- --preview)" }]),
    ];
  } finally {
    env.dispose();
  }
}
