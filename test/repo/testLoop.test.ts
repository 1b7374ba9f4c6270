import * as assert from "assert";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..", "..");

interface MochaConfig { spec?: string[]; ignore?: string[]; require: string[]; timeout: number; parallel?: boolean; jobs?: number }

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as T;
}

/** Every test source under test/, relative to test/ with the compiled name (`plan/cli.test.js`). */
function testFiles(dir = path.join(root, "test"), prefix = ""): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(path.join(dir, e.name), `${prefix}${e.name}/`)
      : e.name.endsWith(".test.ts") ? [`${prefix}${e.name.replace(/\.ts$/, ".js")}`] : []);
}

function ignored(file: string, patterns: string[]): boolean {
  return patterns.some((p) => {
    const rel = p.replace(/^dist\/test\//, "");
    return rel.endsWith("/**") ? file.startsWith(rel.slice(0, -2)) : file === rel;
  });
}

const ALL = "dist/test/**/*.test.js";

/** What makes a test file too slow or too heavy for the inner loop: processes, engines, browsers, Azurite. */
const HEAVY = /usePulumiEnv|requireCli|startAzurite|azurite|playwright|chromium|spawnSync?\(|execFileSync?\(|child_process/;

describe("the test loop: `npm test` runs everything, `npm run test:quick` the in-process part", () => {
  const quick = readJson<MochaConfig>(".mocharc.quick.json");
  const full = readJson<MochaConfig>(".mocharc.json");
  // The config `npm test` runs with computes its spec from dist/test (the slowest files first).
  const everything = createRequire(__filename)(path.join(root, ".mocharc.full.js")) as MochaConfig;
  const scripts = readJson<{ scripts: Record<string, string> }>("package.json").scripts;

  it("both scripts build first and run mocha over the compiled test files; each with its own config and the same setup", () => {
    assert.strictEqual(scripts.test, "npm run build && mocha --config .mocharc.full.js");
    assert.strictEqual(scripts["test:quick"], "npm run build && mocha --config .mocharc.quick.json");
    assert.deepStrictEqual([quick.require, quick.timeout], [full.require, full.timeout]);
    assert.deepStrictEqual([everything.require, everything.timeout], [full.require, full.timeout]);
    assert.deepStrictEqual(quick.spec, [ALL]);
    assert.strictEqual(everything.ignore, undefined, "`npm test` leaves no test file out");
    assert.strictEqual(full.ignore, undefined);
  });

  it("`npm test` runs every test file exactly once, two at a time, the slowest first", () => {
    const spec = (everything.spec ?? []).map((f) => f.replace(/^dist\/test\//, ""));
    assert.deepStrictEqual(spec.filter((f, i) => spec.indexOf(f) !== i), [], "no file twice");
    assert.deepStrictEqual(testFiles().filter((f) => !spec.includes(f)), [], "every test file");
    assert.deepStrictEqual([everything.parallel, everything.jobs], [true, 2]);
    assert.strictEqual(spec[0], "engine/engine.test.js", "the slowest file starts first");
  });

  it("the shared .mocharc.json names no spec, so `npx mocha dist/test/<area>/<file>.test.js` runs that file alone", () => {
    // Mocha appends the files on its command line to a config's spec rather than replacing it.
    assert.strictEqual(full.spec, undefined);
  });

  it("every file the quick loop leaves out exists (no stale entry hides a renamed file)", () => {
    const files = testFiles();
    for (const p of quick.ignore ?? []) {
      assert.ok(files.some((f) => ignored(f, [p])), `.mocharc.quick.json ignores ${p}, which matches no test file`);
    }
  });

  it("every test file that starts a process, the real engine, a browser or Azurite is left out of the quick loop", () => {
    const heavy = testFiles().filter((f) => f !== "repo/testLoop.test.js" && HEAVY.test(fs.readFileSync(path.join(root, "test", f.replace(/\.js$/, ".ts")), "utf8")));
    assert.ok(heavy.length >= 10, `the heavy files are found (${heavy.join(", ")})`);
    assert.deepStrictEqual(heavy.filter((f) => !ignored(f, quick.ignore ?? [])), []);
  });

  it("the quick loop still runs most of the suite's files", () => {
    const files = testFiles();
    const kept = files.filter((f) => !ignored(f, quick.ignore ?? []));
    assert.ok(kept.length >= files.length * 0.7, `${kept.length} of ${files.length} files in the quick loop`);
  });
});
