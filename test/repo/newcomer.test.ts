import * as assert from "assert";
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..", "..");
const INSIDE = "AML_EVENTS_INSIDE_NEWCOMER_TEST";

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Clones the repository (its committed HEAD) into a temporary folder and runs the README's two
 * commands there, as a newcomer on a fresh machine would: install and `npm start` for real, `npm test` as a
 * dry run (the suite itself runs once, in the outer `npm test`). Runs in CI always; elsewhere only when the
 * install can be served from the local npm cache (skipped offline). The inner dry run skips this test.
 */
describe("a newcomer's path: fresh clone, the README's two commands", function () {
  this.timeout(30 * 60_000);
  let clone = "";

  before(function () {
    if (process.env[INSIDE]) this.skip();
    if (run("git", ["rev-parse", "--is-inside-work-tree"], root).status !== 0) this.skip();
    clone = fs.mkdtempSync(path.join(os.tmpdir(), "aml-event-workflows-clone-"));
    const cloned = run("git", ["clone", "--quiet", "--depth", "1", `file://${root}`, clone], os.tmpdir());
    assert.strictEqual(cloned.status, 0, cloned.stderr);
    const ci = process.env.CI === "true";
    const install = run("npm", ["ci", "--no-audit", "--no-fund", ...(ci ? [] : ["--offline"])], clone);
    if (install.status !== 0) {
      if (ci) assert.fail(`npm ci failed in a fresh clone:\n${install.stdout}\n${install.stderr}`);
      this.skip(); // offline and the cache can't serve the lockfile
    }
  });

  after(() => {
    if (clone) fs.rmSync(clone, { recursive: true, force: true });
  });

  it("`npm start` shows the plan, the policy verdict and writes the routing map", () => {
    const start = run("npm", ["start"], clone);
    assert.strictEqual(start.status, 0, `${start.stdout}\n${start.stderr}`);
    assert.match(start.stdout, /Resources \(\d+\)/);
    assert.match(start.stdout, /Routing of 8 event\(s\)/);
    assert.match(start.stdout, /Policy pack aml-event-workflows: passed/);
    for (const file of ["plan.json", "routing-map.svg", "report.html"]) assert.ok(fs.existsSync(path.join(clone, "out", file)), `out/${file} missing`);
  });

  it("`npm test` (the README's test command, the one CI runs) loads every test file of the clone, without running the suite again", () => {
    // CI runs `.ci/run` (npm ci, lint, `npm test`) on a fresh clone already; running the suite a second
    // time inside the suite only doubled its wall time. `mocha --dry-run` loads every compiled test file
    // and lists its tests without running one, so a missing or unresolvable file still fails here.
    const scripts = (JSON.parse(fs.readFileSync(path.join(clone, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    assert.match(fs.readFileSync(path.join(clone, ".ci", "run"), "utf8"), /^npm test$/m, ".ci/run runs `npm test`");
    // `npm test` is the build, then mocha. `npm start` above has just built this clone, so the dry run
    // runs the script's mocha command as written (a third build would find nothing to do, slowly).
    const [build, mocha] = scripts.test.split(" && ");
    assert.strictEqual(build, "npm run build", "`npm test` builds first");
    assert.match(mocha, /^mocha\b/, "then runs mocha");
    const dry = run("sh", ["-c", `npx --no-install ${mocha} --dry-run --reporter dot`], clone, { [INSIDE]: "1" });
    const output = `${dry.stdout}\n${dry.stderr}`;
    assert.strictEqual(dry.status, 0, output.slice(-4000));
    const passing = /(\d+) passing/.exec(output);
    assert.ok(passing && Number(passing[1]) > 1000, `the dry run lists the suite's tests:\n${output.slice(-2000)}`);
    assert.doesNotMatch(output, /\d+ failing/);
  });
});
