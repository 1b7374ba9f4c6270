/**
 * Model deployer packaging figures: the esbuild bundle against the dependencies it replaces, and
 * the cold start cost of loading it.
 */
import { spawnSync } from "child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import { BenchFigure } from "./types";

const ROOT = path.resolve(__dirname, "..", "..");
const APP_DIR = path.join(ROOT, "dist", "lib", "deployment", "function-app");
const BUNDLE = path.join(APP_DIR, "index.js");
const ZIP = path.join(ROOT, "dist", "lib", "deployment", "function-app.zip");
const UNBUNDLED = path.join(ROOT, "dist", "lib", "deployment", "handler", "index.js");
/** The handler's direct runtime dependencies. */
const HANDLER_DEPS = ["@azure/functions", "@azure/identity", "@azure/arm-machinelearning", "@azure/eventgrid"];

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

function medianMs(args: readonly string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [...args], { stdio: "ignore", cwd: ROOT });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${r.status}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
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

  const runs = 7;
  const requireBundle = `require(${JSON.stringify(BUNDLE)})`;
  // Warm the file cache once so the figures compare module loading, not disk reads.
  medianMs(["-e", requireBundle], 1);
  const empty = medianMs(["-e", ""], runs);
  const bundled = medianMs(["-e", requireBundle], runs);
  const figures: BenchFigure[] = [
    { name: "deployer bundle (index.js, minified, one file)", value: bundleBytes, unit: "bytes" },
    { name: "deployer package (released-package.zip)", value: zipBytes, unit: "bytes" },
    {
      name: `unbundled dependencies (${packages.length} packages, ${deps.files} files)`,
      value: deps.bytes,
      unit: "bytes",
      note: HANDLER_DEPS.join(", ") + " and their runtime dependencies",
    },
    { name: "bundle size vs unbundled dependencies", value: Number((bundleBytes / deps.bytes).toFixed(4)), unit: "x", note: "target < 0.1" },
    { name: "cold require of the bundle (median of 7)", value: Number(bundled.toFixed(1)), unit: "ms" },
    { name: "cold `node -e \"\"` (median of 7)", value: Number(empty.toFixed(1)), unit: "ms" },
    { name: "cold require of the bundle vs empty Node.js start", value: Number((bundled / empty).toFixed(2)), unit: "x" },
  ];
  if (existsSync(UNBUNDLED)) {
    const unbundled = medianMs(["-e", `require(${JSON.stringify(UNBUNDLED)})`], runs);
    figures.push(
      { name: "cold require of the unbundled handler (tsc output + node_modules)", value: Number(unbundled.toFixed(1)), unit: "ms" },
      { name: "cold require: bundle vs unbundled", value: Number((bundled / unbundled).toFixed(2)), unit: "x" },
    );
  }
  return figures;
}
