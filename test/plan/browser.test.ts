import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BrowserContext, chromium, Page } from "playwright-core";

const root = path.resolve(__dirname, "..", "..", "..");
const cli = path.join(root, "dist", "lib", "plan", "cli.js");
const CHROMIUM = "/usr/bin/chromium";
/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

interface PlanJson {
  outputs: Record<string, unknown>;
  resources: unknown[];
  routing: { delivered: { subscription: string }[] }[];
}

describe("offline plan report in a real browser (headless Chromium)", function () {
  this.timeout(180_000);
  let context: BrowserContext | undefined;
  let page: Page;
  let plan: PlanJson;
  const errors: string[] = [];
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "plan-chromium-"));

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package (apt-get install -y chromium) before the tests.`);
      console.log(`      (skipped: ${CHROMIUM} is not installed; \`apt-get install -y chromium\` to run this check)`);
      this.skip();
    }
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-report-"));
    const run = spawnSync(process.execPath, [cli, "--program", path.join(root, "dist", "examples", "focused", "two-workspaces"), "--out", out], { encoding: "utf8", timeout: 120_000 });
    assert.strictEqual(run.status, 0, run.stdout + run.stderr);
    plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as PlanJson;
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, offline: true });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (err) => errors.push(err.message));
    // The report is self-contained: anything but the file itself is a defect.
    await page.route("**/*", (route) => (route.request().url().startsWith("file://") ? route.continue() : (errors.push(`request to ${route.request().url()}`), route.abort())));
    await page.goto(`file://${path.join(out, "report.html")}`, { waitUntil: "load" });
  });

  after(async () => {
    await context?.close();
    fs.rmSync(profile, { recursive: true, force: true });
  });

  it("renders without script errors or outside requests", async () => {
    assert.strictEqual(await page.title(), "aml-event-workflows offline plan");
    assert.deepStrictEqual(errors, []);
  });

  it("shows the routing map: the SVG is visible, has a real size and names every subscription", async () => {
    const map = page.locator(".map svg");
    assert.ok(await map.isVisible(), "the map is not visible");
    const box = await map.boundingBox();
    assert.ok(box !== null && box.width > 200 && box.height > 100, `map box ${JSON.stringify(box)}`);
    const text = (await map.textContent()) ?? "";
    for (const name of ["stream-to-event-hub", "ml-dev-email-run-status", "ml-prod-deployer-model-registered"]) assert.ok(text.includes(name), `${name} is not on the map`);
  });

  it("has one routing row per event, one resource row per resource and one row per stack output", async () => {
    assert.strictEqual(await page.locator("table.routing tr").count(), plan.routing.length + 1);
    assert.strictEqual(await page.locator("table.resources tr").count(), plan.resources.length + 1);
    assert.strictEqual(await page.locator("table.outputs tr").count(), Object.keys(plan.outputs).length + 1);
    const subscriptions = plan.resources.filter((r) => (r as { type: string }).type === "azure-native:eventgrid:SystemTopicEventSubscription").length;
    assert.strictEqual(await page.locator("table.subscriptions tr").count(), subscriptions + 1);
    assert.ok(((await page.locator("table.subscriptions").textContent()) ?? "").includes('data.runStatus is one of ["failed"]'));
    const delivered = await page.locator("table.routing tr td:nth-child(2) li:not(.bad)").count();
    assert.strictEqual(delivered, plan.routing.reduce((n, r) => n + r.delivered.length, 0));
    assert.ok(await page.locator("table.routing").isVisible());
  });
});
