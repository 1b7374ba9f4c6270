/**
 * The real engine against the offline plan on examples/platform: wall time of `pulumi preview` with
 * the policy pack (file backend, offline provider plugins) over the wall time of `npm start`'s plan
 * of the same program, both as fresh processes, medians of five interleaved rounds. Plus the CLI's cold build
 * time as recorded by scripts/pulumi-cli.sh. Only when the CLI has been built.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PulumiEnv, pulumiBinary, README_POLICY_FLAGS, REPO } from "../test/engine/cli";
import { MockedResource } from "../lib/plan/mocks";
import { runProgram } from "../lib/plan/run";
import { compositeProgram } from "./composite";
import { median } from "./stats";
import { BenchFigure } from "./types";

/** Wall time of each side over `rounds` rounds, the order alternating each round (drift on a shared machine hits both). */
async function interleavedWall(rounds: number, sides: readonly (() => Promise<void>)[]): Promise<number[][]> {
  const times: number[][] = sides.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < sides.length; i++) {
      const k = (i + r) % sides.length;
      const start = process.hrtime.bigint();
      await sides[k]();
      times[k].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return times;
}

function buildSeconds(bin: string): BenchFigure {
  const file = path.join(path.dirname(path.dirname(bin)), "build-seconds");
  if (!fs.existsSync(file)) return { name: "Pulumi CLI cold build (scripts/pulumi-cli.sh)", value: 0, unit: "s", note: "not recorded: the cache predates timing" };
  return { name: "Pulumi CLI cold build (scripts/pulumi-cli.sh)", value: Number(fs.readFileSync(file, "utf8").trim()), unit: "s", note: "recorded when the cache was built" };
}

/**
 * `pulumi preview` of the composite at `count` workspaces against the same resources declared directly
 * (bench/programs/scale), interleaved, median of `rounds` each. Opt-in (`--preview`): minutes per round;
 * BENCH_PREVIEW_ROUNDS sets the rounds (default 1).
 */
async function scalePreview(env: PulumiEnv, count: number, rounds: number): Promise<BenchFigure[]> {
  const recorded = path.join(env.root, "recorded.json");
  const resources: MockedResource[] = (await runProgram(compositeProgram(count), { stack: "bench" })).resources;
  fs.writeFileSync(recorded, JSON.stringify(resources));
  Object.assign(process.env, { AML_BENCH_WORKSPACES: String(count), AML_BENCH_RECORDED: recorded });
  const composite = await env.project("scale-composite", "bench/programs/scale");
  const direct = await env.project("scale-direct", "bench/programs/scale");
  const times = { composite: [] as number[], direct: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? (["composite", "direct"] as const) : (["direct", "composite"] as const)) {
      process.env.AML_BENCH_SCALE_MODE = side;
      const start = process.hrtime.bigint();
      await env.ok(["preview", "--json"], side === "composite" ? composite : direct);
      times[side].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const c = median(times.composite);
  const d = median(times.direct);
  const ratios = times.composite.map((ms, i) => (ms / times.direct[i]).toFixed(2)).join(", ");
  return [
    { name: `pulumi preview, composite at ${count} workspaces`, value: Math.round(c), unit: "ms", note: `median of ${rounds}` },
    { name: `pulumi preview, same resources declared directly`, value: Math.round(d), unit: "ms", note: `median of ${rounds}` },
    { name: `pulumi preview composite vs direct, ${count} workspaces`, value: c / d, unit: "x", note: `target <= 1.15; per round ${ratios}` },
  ];
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
    const [plans, previews] = await interleavedWall(rounds, sides);
    const [plan, preview] = [median(plans), median(previews)];
    const ratios = previews.map((ms, i) => (ms / plans[i]).toFixed(2)).join(", ");
    return [
      { name: "offline plan of examples/platform (npm start, one process)", value: Math.round(plan), unit: "ms", note: `median of ${rounds}, interleaved` },
      { name: "pulumi preview --policy-pack of examples/platform", value: Math.round(preview), unit: "ms", note: `median of ${rounds}, interleaved` },
      { name: "pulumi preview vs offline plan (wall time)", value: preview / plan, unit: "x", note: `target <= 3; after one warm-up run each; per round ${ratios}` },
      buildSeconds(bin),
      ...(process.argv.includes("--preview") ? await scalePreview(env, 50, Number(process.env.BENCH_PREVIEW_ROUNDS ?? 1)) : [{ name: "pulumi preview at 50 workspaces", value: 0, unit: "ms", note: "skipped: add --preview (npm run bench -- --preview)" }]),
    ];
  } finally {
    env.dispose();
  }
}
