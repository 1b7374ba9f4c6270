/**
 * The operations and cost estimate of examples/platform through the plan's CLI (`npm start`): the
 * terminal section, plan.json and report.html carry it, its per-event Logic App executions add up to
 * what the plan's own simulated deliveries ran, and bad rate or price files fail with exit 2.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OperationsEstimate } from "../../lib/estimate";

const root = path.resolve(__dirname, "..", "..", "..");

function plan(out: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [path.join(root, "dist/lib/plan/cli.js"), "--program", path.join(root, "dist/examples/platform"), "--out", out, ...args], { encoding: "utf8", cwd: root, timeout: 120_000 });
}

interface PlanJson {
  estimate: OperationsEstimate;
  routing: { delivered: { outcome: { usage?: { executions: number } } }[] }[];
}

describe("operations estimate of examples/platform (the plan's CLI)", function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-events-estimate-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("prints the estimate with the price table's date and sources, and writes it to plan.json and report.html", () => {
    const r = plan(path.join(dir, "default"));
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /Operations and cost estimate \(per month; prices of \d{4}-\d{2}-\d{2}, East US, USD/);
    assert.match(r.stdout, /mlw-platform: \$\d+\.\d\d before free grants/);
    assert.match(r.stdout, /eventGridOperations: \$0\.60 per 1,000,000 operations \(100,000 free a month\) — https:\/\/azure\.microsoft\.com\/pricing\/details\/event-grid\//);
    const json = JSON.parse(fs.readFileSync(path.join(dir, "default", "plan.json"), "utf8")) as PlanJson;
    const ws = json.estimate.workspaces[0];
    assert.ok(ws.perMonth.eventGridPublish > 0 && ws.perMonth.logicAppActions > 0 && ws.perMonth.emails > 0 && ws.perMonth.activityRuns > 0, JSON.stringify(ws.perMonth));
    // Per event kind, the estimate's executions are the plan's own simulated runs of the sample events.
    const sampled = ws.kinds.filter((k) => !k.kind.includes("non-final"));
    const predicted = sampled.reduce((s, k) => s + (k.perEvent.logicAppActions + k.perEvent.logicAppConnectorActions) * k.events, 0);
    const simulated = json.routing.reduce((s, r) => s + r.delivered.reduce((t, d) => t + (d.outcome.usage?.executions ?? 0), 0), 0);
    assert.ok(simulated > 0);
    assert.strictEqual(Math.round(predicted), simulated);
    assert.match(fs.readFileSync(path.join(dir, "default", "report.html"), "utf8"), /<h2>Operations and cost estimate<\/h2>[\s\S]*<table class="prices">/);
  });

  it("--rates and --prices change the figures; a misspelt rate or a bad price fails with exit 2 naming the file and the key", () => {
    const rates = path.join(dir, "rates.json");
    fs.writeFileSync(rates, JSON.stringify({ workspaces: { "mlw-platform": { registrationsPerDay: 1 } } }));
    const prices = path.join(dir, "prices.json");
    fs.writeFileSync(prices, JSON.stringify({ asOf: "2027-01-01", region: "West Europe, EUR", prices: { emails: { usd: 0.001 } } }));
    const r = plan(path.join(dir, "rated"), "--rates", rates, "--prices", prices);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /prices of 2027-01-01, West Europe, EUR/);
    assert.match(r.stdout, /- ModelRegistered: 30\.4\/month/);
    fs.writeFileSync(rates, JSON.stringify({ default: { runsPerHuor: 1 } }));
    const bad = plan(path.join(dir, "bad"), "--rates", rates);
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /--rates ".*rates\.json": default\.runsPerHuor is not a rate; use one of runsPerHour/);
    fs.writeFileSync(prices, JSON.stringify({ prices: { emails: { usd: "free" } } }));
    const badPrice = plan(path.join(dir, "bad2"), "--prices", prices);
    assert.strictEqual(badPrice.status, 2);
    assert.match(badPrice.stderr, /--prices: prices\.emails\.usd is "free"/);
  });
});
