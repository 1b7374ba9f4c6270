/**
 * Model deployer packaging figures: the esbuild bundle against the dependencies it replaces, and
 * the cold start cost of loading it: the entry `index.js` (what the worker loads at start to register
 * the function) and, separately, the entry plus `runtime.js` (what the first invocation adds).
 */
import { spawnSync } from "child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import { median } from "./stats";
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

function spawnMs(script: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-e", script], { stdio: "ignore", cwd: ROOT });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node -e ${JSON.stringify(script)} exited with ${r.status}`);
  return ms;
}

/**
 * Fresh `node -e <script>` processes, `rounds` interleaved rounds with the order rotating each round (so
 * drift on a shared machine hits every script alike); per script the median, and each round's ratio to the first.
 */
function interleavedMs(scripts: readonly string[], rounds: number): { medians: number[]; ratios: string[][] } {
  const times: number[][] = scripts.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < scripts.length; i++) {
      const k = (i + r) % scripts.length;
      times[k].push(spawnMs(scripts[k]));
    }
  }
  return { medians: times.map(median), ratios: times.map((t) => t.map((ms, r) => (ms / times[0][r]).toFixed(2))) };
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
    { name: `cold \`node -e ""\` (median of ${runs}, interleaved)`, value: Number(empty.toFixed(1)), unit: "ms" },
    { name: `cold require of the entry (median of ${runs}, interleaved)`, value: Number(bundled.toFixed(1)), unit: "ms" },
    { name: "cold require of the entry vs empty Node.js start", value: Number((bundled / empty).toFixed(2)), unit: "x", note: `target <= 2; per round ${ratios[1].join(", ")}` },
    { name: "entry + runtime.js (first invocation) vs empty Node.js start", value: Number((both / empty).toFixed(2)), unit: "x", note: `per round ${ratios[2].join(", ")}` },
  ];
  if (existsSync(UNBUNDLED)) {
    const unbundled = median(Array.from({ length: 7 }, () => spawnMs(`require(${JSON.stringify(UNBUNDLED)})`)));
    figures.push(
      { name: "cold require of the unbundled entry (tsc output + node_modules)", value: Number(unbundled.toFixed(1)), unit: "ms", note: "median of 7, after the interleaved rounds" },
      { name: "cold require: bundled entry vs unbundled entry", value: Number((bundled / unbundled).toFixed(2)), unit: "x" },
    );
  }
  return figures;
}
