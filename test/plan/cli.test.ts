import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AmlEventType, sampleEvents, SAMPLE_WORKSPACE_ID } from "../../lib/events";

const root = path.resolve(__dirname, "..", "..", "..");
const cli = path.join(root, "dist", "lib", "plan", "cli.js");

interface PlanJson {
  resources: { type: string; name: string; urn: string; parent?: string; inputs: Record<string, unknown> }[];
  policy: { verdict: { passed: boolean; mandatory: number }; violations: { policyName: string; enforcementLevel: string }[] };
  routing: { event: { eventType: string }; delivered: { subscription: string; outcome: { summary: string } }[]; skipped: { subscription: string; clause: string }[] }[];
}

function runCli(args: string[]): { out: string; dir: string; json: PlanJson; status: number | null } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
  const result = spawnSync(process.execPath, [cli, "--out", dir, ...args], { encoding: "utf8", timeout: 120_000 });
  const json = JSON.parse(fs.readFileSync(path.join(dir, "plan.json"), "utf8")) as PlanJson;
  return { out: result.stdout + result.stderr, dir, json, status: result.status };
}

describe("offline plan (CLI, end to end on the mock engine)", function () {
  this.timeout(180_000);
  let platform: ReturnType<typeof runCli>;
  before(() => {
    platform = runCli([]);
  });

  it("plans the platform example: one system topic, every subscription dead-lettered with bounded retry", () => {
    const { json } = platform;
    assert.strictEqual(json.resources.filter((r) => r.type === "azure-native:eventgrid:SystemTopic").length, 1);
    const subs = json.resources.filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription");
    assert.ok(subs.length >= 3, `expected at least 3 subscriptions, got ${subs.length}`);
    for (const s of subs) {
      assert.ok(s.inputs.deadLetterWithResourceIdentity, `${s.name} has no dead-letter`);
      const retry = s.inputs.retryPolicy as { maxDeliveryAttempts: number };
      assert.ok(retry.maxDeliveryAttempts >= 1 && retry.maxDeliveryAttempts <= 30);
    }
    for (const r of json.resources) assert.match(r.urn, /^urn:pulumi:plan::aml-event-workflows::/);
  });

  it("redacts secrets: no callback signature or webhook URL reaches plan.json", () => {
    const text = fs.readFileSync(path.join(platform.dir, "plan.json"), "utf8");
    assert.doesNotMatch(text, /sig=(?!\[secret\])/);
    assert.doesNotMatch(text, /aml\/run-failed/);
  });

  it("passes every mandatory policy and prints the verdict", () => {
    assert.strictEqual(platform.json.policy.verdict.mandatory, 0, platform.out);
    assert.strictEqual(platform.status, 0, platform.out);
    assert.match(platform.out, /Policy pack aml-event-workflows: passed/);
  });

  it("routes the five sample events and writes the routing map and report", () => {
    assert.strictEqual(platform.json.routing.length, 5);
    for (const r of platform.json.routing) assert.ok(r.delivered.length + r.skipped.length > 0);
    const svg = fs.readFileSync(path.join(platform.dir, "routing-map.svg"), "utf8");
    assert.match(svg, /^<\?xml[\s\S]*<svg[\s\S]*system topic/);
    const html = fs.readFileSync(path.join(platform.dir, "report.html"), "utf8");
    assert.match(html, /<h2>Routing map<\/h2><div class="map"><svg/);
  });

  it("accepts other events (--events) in CloudEvents form and a foreign workspace's event reaches nothing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "events-"));
    const foreign = { ...sampleEvents()[0], topic: SAMPLE_WORKSPACE_ID.replace("mlw-platform", "mlw-other") };
    const cloud = { specversion: "1.0", id: "c1", source: SAMPLE_WORKSPACE_ID, subject: "models/churn:7", type: AmlEventType.ModelRegistered, time: "2026-11-22T08:00:00Z", data: { modelName: "churn", modelVersion: "7", modelTags: { stage: "production" }, modelProperties: {} } };
    const file = path.join(dir, "events.json");
    fs.writeFileSync(file, JSON.stringify([foreign, cloud]));
    const { json } = runCli(["--events", file]);
    assert.strictEqual(json.routing.length, 2);
    assert.deepStrictEqual(json.routing[0].delivered, []);
    assert.deepStrictEqual(json.routing[0].skipped, []);
    assert.ok(json.routing[1].delivered.length > 0);
  });

  it("fails with a clear message on a program that throws at construction", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-"));
    const program = path.join(dir, "index.js");
    const lib = path.join(root, "dist", "lib");
    fs.writeFileSync(
      program,
      `const { WorkspaceEvents, WebhookDestination } = require(${JSON.stringify(lib)});\n` +
        `const ev = new WorkspaceEvents("bad", { workspaceId: ${JSON.stringify(SAMPLE_WORKSPACE_ID)}, resourceGroupName: "rg", location: "westeurope" });\n` +
        `ev.subscribe("hook", { destination: new WebhookDestination({ endpointUrl: "http://insecure.example.com" }) });\n`,
    );
    const result = spawnSync(process.execPath, [cli, "--program", program, "--out", dir], { encoding: "utf8", timeout: 60_000 });
    assert.strictEqual(result.status, 1);
    assert.match(result.stderr, /endpointUrl "http:\/\/insecure.example.com" uses http; Event Grid delivers only to https/);
  });

  for (const example of ["email-only", "two-workspaces", "existing-resources"]) {
    it(`plans examples/focused/${example} and it passes every mandatory policy`, () => {
      const run = runCli(["--program", path.join(root, "dist", "examples", "focused", example)]);
      assert.strictEqual(run.status, 0, run.out);
      assert.strictEqual(run.json.policy.verdict.mandatory, 0, run.out);
      assert.ok(run.json.resources.some((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription"));
      for (const r of run.json.resources.filter((x) => x.type === "azure-native:storage:StorageAccount")) {
        assert.strictEqual(r.inputs.allowSharedKeyAccess, false, `${r.name}: no shared keys`);
      }
    });
  }

  it("the platform plan has no shared keys and shows the deployer's code deployment, queue and poison alert", () => {
    const accounts = platform.json.resources.filter((r) => r.type === "azure-native:storage:StorageAccount");
    assert.ok(accounts.length > 0);
    for (const r of accounts) assert.strictEqual(r.inputs.allowSharedKeyAccess, false, `${r.name}: no shared keys`);
    for (const type of ["pulumi-nodejs:dynamic:Resource", "azure-native:storage:Queue", "azure-native:monitor:ScheduledQueryRule"]) {
      assert.ok(platform.json.resources.some((r) => r.type === type), `${type} in the plan`);
    }
    assert.ok(!platform.json.resources.some((r) => r.type === "azure-native:storage:Blob"), "no key-based blob upload");
    const queued = platform.json.routing.flatMap((r) => r.delivered).find((d) => d.subscription.endsWith("deployer-model-registered"));
    assert.match(queued?.outcome.summary ?? "", /^deploy sklearn_regression_model:20 to endpoint /, "the plan follows the queue to the deployer's decision");
  });

  it("is deterministic: two runs write the same plan.json", () => {
    const again = runCli([]);
    assert.strictEqual(fs.readFileSync(path.join(again.dir, "plan.json"), "utf8"), fs.readFileSync(path.join(platform.dir, "plan.json"), "utf8"));
  });
});
