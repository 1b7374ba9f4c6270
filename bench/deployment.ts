/**
 * Model deployer packaging figures: the esbuild bundle against the dependencies it replaces, and
 * the cold start cost of loading it: the entry `index.js` (what the worker loads at start to register
 * the function) and, separately, the entry plus `runtime.js` (what the first invocation adds).
 */
import { spawnSync } from "child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import { Clocks, median, roundRatios } from "./stats";
import { BenchFigure } from "./types";

const ROOT = path.resolve(__dirname, "..", "..");
const APP_DIR = path.join(ROOT, "dist", "lib", "deployment", "function-app");
const BUNDLE = path.join(APP_DIR, "index.js");
const RUNTIME = path.join(APP_DIR, "runtime.js");
const ZIP = path.join(ROOT, "dist", "lib", "deployment", "function-app.zip");
const UNBUNDLED = path.join(ROOT, "dist", "lib", "deployment", "handler", "index.js");
/** The handler's direct runtime dependencies. */
const HANDLER_DEPS = ["@azure/functions", "@azure/identity", "@azure/arm-machinelearning", "@azure/eventgrid", "@azure/storage-blob", "@azure/storage-queue"];

function dirStats(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "node_modules") continue; // nested packages are counted through the dependency walk
      const s = dirStats(full);
      bytes += s.bytes;
      files += s.files;
    } else if (entry.isFile()) {
      bytes += statSync(full).size;
      files += 1;
    }
  }
  return { bytes, files };
}

/** Walks the runtime dependency closure of `roots` as npm installed it (nested node_modules first). */
function dependencyClosure(roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = roots.map((name) => ({ name, from: ROOT }));
  while (queue.length > 0) {
    const { name, from } = queue.shift() as { name: string; from: string };
    let dir: string | undefined;
    for (let d = from; ; d = path.dirname(d)) {
      const candidate = path.join(d, "node_modules", name);
      if (existsSync(path.join(candidate, "package.json"))) {
        dir = candidate;
        break;
      }
      if (d === ROOT || path.dirname(d) === d) break;
    }
    if (dir === undefined || seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir });
  }
  return [...seen];
}

/** Appended to every measured script: the child writes the CPU time it used (user + system, every thread, µs) to fd 3. */
const REPORT_CPU = `;{const u=process.cpuUsage();require("fs").writeSync(3,String(u.user+u.system))}`;

/**
 * Runs `node -e <script>` in a fresh process: its wall time as seen from here and the CPU time the child
 * used from its start to the end of the script (it reports that itself), in ms.
 */
function spawnMs(script: string): Clocks {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-e", script + REPORT_CPU], { stdio: ["ignore", "ignore", "ignore", "pipe"], cwd: ROOT });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = Number(String(r.output[3] ?? "")) / 1000;
  if (r.status !== 0 || !(cpu > 0)) throw new Error(`node -e ${JSON.stringify(script)} exited with ${r.status} (CPU report ${JSON.stringify(String(r.output[3] ?? ""))})`);
  return { wall, cpu };
}

/**
 * Fresh `node -e <script>` processes, `rounds` interleaved rounds with the order rotating each round (so
 * drift on a shared machine hits every script alike); per script the median CPU and wall time, and each
 * round's CPU ratio to the first script.
 */
function interleavedMs(scripts: readonly string[], rounds: number): { medians: Clocks[]; ratios: string[][] } {
  const times: Clocks[][] = scripts.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < scripts.length; i++) {
      const k = (i + r) % scripts.length;
      times[k].push(spawnMs(scripts[k]));
    }
  }
  const cpu = (t: Clocks[]) => t.map((x) => x.cpu);
  return {
    medians: times.map((t) => ({ cpu: median(cpu(t)), wall: median(t.map((x) => x.wall)) })),
    ratios: times.map((t) => roundRatios(cpu(t), cpu(times[0])).split(", ")),
  };
}

/** Bundle size vs the unbundled dependencies, and cold `require` time of the bundle vs an empty Node.js start. */
export async function run(): Promise<BenchFigure[]> {
  if (!existsSync(BUNDLE)) {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "bundle-handler.mjs"), "--quiet"], { stdio: "inherit", cwd: ROOT });
    if (r.status !== 0) throw new Error("scripts/bundle-handler.mjs failed; run `npm run build` first.");
  }
  const bundleBytes = statSync(BUNDLE).size;
  const zipBytes = statSync(ZIP).size;
  const packages = dependencyClosure(HANDLER_DEPS);
  const deps = packages.map(dirStats).reduce((a, b) => ({ bytes: a.bytes + b.bytes, files: a.files + b.files }), { bytes: 0, files: 0 });

  const runs = 15;
  const requireBundle = `require(${JSON.stringify(BUNDLE)})`;
  const requireBoth = `${requireBundle};require(${JSON.stringify(RUNTIME)})`;
  // Warm the file cache once so the figures compare module loading, not disk reads.
  for (const script of [requireBundle, requireBoth]) spawnMs(script);
  const { medians, ratios } = interleavedMs(["", requireBundle, requireBoth], runs);
  const [empty, bundled, both] = medians;
  const runtimeBytes = statSync(RUNTIME).size;
  const figures: BenchFigure[] = [
    { name: "deployer entry (index.js, minified: registration + @azure/functions)", value: bundleBytes, unit: "bytes" },
    { name: "deployer runtime (runtime.js, minified: loaded on first invocation)", value: runtimeBytes, unit: "bytes" },
    { name: "deployer package (released-package.zip)", value: zipBytes, unit: "bytes" },
    {
      name: `unbundled dependencies (${packages.length} packages, ${deps.files} files)`,
      value: deps.bytes,
      unit: "bytes",
      note: HANDLER_DEPS.join(", ") + " and their runtime dependencies",
    },
    { name: "bundle size (both files) vs unbundled dependencies", value: Number(((bundleBytes + runtimeBytes) / deps.bytes).toFixed(4)), unit: "x", note: "target < 0.1" },
    { name: `cold \`node -e ""\` (median of ${runs}, interleaved)`, value: Number(empty.cpu.toFixed(1)), unit: "ms", note: `CPU of the child; wall ${empty.wall.toFixed(1)}` },
    { name: `cold require of the entry (median of ${runs}, interleaved)`, value: Number(bundled.cpu.toFixed(1)), unit: "ms", note: `CPU of the child; wall ${bundled.wall.toFixed(1)}` },
    { name: "cold require of the entry vs empty Node.js start", value: Number((bundled.cpu / empty.cpu).toFixed(2)), unit: "x", note: `target <= 2; CPU time; per round ${ratios[1].join(", ")}; wall ${(bundled.wall / empty.wall).toFixed(2)}` },
    { name: "entry + runtime.js (first invocation) vs empty Node.js start", value: Number((both.cpu / empty.cpu).toFixed(2)), unit: "x", note: `CPU time; per round ${ratios[2].join(", ")}; wall ${(both.wall / empty.wall).toFixed(2)}` },
  ];
  if (existsSync(UNBUNDLED)) {
    const unbundled = median(Array.from({ length: 7 }, () => spawnMs(`require(${JSON.stringify(UNBUNDLED)})`).cpu));
    figures.push(
      { name: "cold require of the unbundled entry (tsc output + node_modules)", value: Number(unbundled.toFixed(1)), unit: "ms", note: "CPU of the child, median of 7, after the interleaved rounds" },
      { name: "cold require: bundled entry vs unbundled entry", value: Number((bundled.cpu / unbundled).toFixed(2)), unit: "x", note: "CPU time" },
    );
  }
  return figures;
}
