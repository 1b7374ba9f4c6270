import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AmlEventType, sampleEvents, SAMPLE_WORKSPACE_ID } from "../../lib/events";

const root = path.resolve(__dirname, "..", "..", "..");
const cli = path.join(root, "dist", "lib", "plan", "cli.js");

interface PlanJson {
  now: string;
  events: { from: string; workspaces: string[]; rejected: { index: number; reason: string }[] };
  outputs: Record<string, unknown>;
  findings: string[];
  resources: { type: string; name: string; urn: string; parent?: string; id?: string; inputs: Record<string, unknown> }[];
  policy: { verdict: { passed: boolean; mandatory: number }; violations: { policyName: string; enforcementLevel: string }[] };
  routing: { event: { eventType: string; subject: string }; unrouted?: string; delivered: { subscription: string; outcome: { summary: string } }[]; skipped: { subscription: string; clause: string }[] }[];
  loop: { causeId: string; startedBy: string; run: { body: Record<string, string> }; outcomes: { subscription: string; outcome: { summary: string } }[] }[];
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
  // The platform's on-call webhook is configured, as a deploying team would (`pulumi config set`).
  const ONCALL = ["--config", "platform:failureWebhookUrl=https://hooks.contoso.com/aml/run-failed"];
  before(() => {
    platform = runCli(ONCALL);
  });

  it("stack config: the on-call subscription exists with platform:failureWebhookUrl set, and is skipped with a warning naming the key without it", () => {
    assert.ok(platform.json.resources.some((r) => r.name === "platform-run-failed-oncall"));
    const bare = runCli([]);
    assert.strictEqual(bare.status, 0, bare.out);
    assert.ok(!bare.json.resources.some((r) => r.name === "platform-run-failed-oncall"));
    assert.match(bare.out, /platform:failureWebhookUrl is not set, so the on-call webhook subscription run-failed-oncall is skipped\. Set it with `pulumi config set --secret platform:failureWebhookUrl/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const bad = spawnSync(process.execPath, [cli, "--out", dir, "--config", "failureWebhookUrl"], { encoding: "utf8", timeout: 120_000 });
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /--config "failureWebhookUrl" is not namespace:key=value/);
  });

  it("shows each workflow's worst-case answer time, below Event Grid's 30 s, in the summary and plan.json", () => {
    const times = (platform.json as unknown as { responseTimes: { workflow: string; boundSeconds: number; withinEventGridWait: boolean }[] }).responseTimes;
    const workflows = platform.json.resources.filter((r) => r.type === "azure-native:logic:Workflow");
    assert.deepStrictEqual(times.map((t) => t.workflow), workflows.map((w) => w.name));
    assert.ok(times.length >= 2, JSON.stringify(times));
    for (const t of times) assert.ok(t.withinEventGridWait && t.boundSeconds > 1 && t.boundSeconds < 30, JSON.stringify(t));
    assert.match(platform.out, /Workflow answer times, worst case from retry policies and timeouts \(\d+\)\n {4}✓ \S+: answers within [\d.]+ s \(Event Grid waits 30 s, then delivers again\)/);
  });

  it("lists a finding for a breach trigger scoped to a monitor the program does not declare (another stack's monitor)", () => {
    const mine = platform.json.findings.filter((f) => / retrains on breaches whose tag text contains /.test(f));
    assert.strictEqual(mine.length, 1, platform.json.findings.join("\n"));
    assert.match(mine[0], /^subscription platform-retrain-breach retrains on breaches whose tag text contains "'credit-default-monitor_", but this program declares no ModelMonitor to check them against: make sure the monitor \(in another stack\) names its signals exactly/);
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

  it("the platform example stays inside its own Azure-managed email domain quota estimate (no quota finding)", () => {
    const text = fs.readFileSync(path.join(platform.dir, "plan.json"), "utf8");
    assert.match(text, /"findings"/);
    assert.doesNotMatch(text, /sends through an Azure-managed domain: the alert rules can send/);
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

  it("routes the eight sample events (five event types, three model monitoring runs) and writes the routing map and report", () => {
    assert.strictEqual(platform.json.routing.length, 8);
    for (const r of platform.json.routing) assert.ok(r.delivered.length + r.skipped.length > 0);
    const svg = fs.readFileSync(path.join(platform.dir, "routing-map.svg"), "utf8");
    assert.match(svg, /^<\?xml[\s\S]*<svg[\s\S]*system topic/);
    const html = fs.readFileSync(path.join(platform.dir, "report.html"), "utf8");
    assert.match(html, /<h2>Routing map<\/h2><div class="map"><svg/);
  });

  it("follows the loop: the sample breach starts one retraining whose registered model the classification rule deploys", () => {
    const loop = platform.json.loop;
    assert.strictEqual(loop.length, 1);
    const [step] = loop;
    assert.strictEqual(step.startedBy, "platform-retrain-breach");
    assert.strictEqual(step.run.body.monitorSignal, "credit-default-monitor_data-drift-signal");
    assert.strictEqual(step.run.body.retrainedModelName, "credit-default");
    const deploy = step.outcomes.find((o) => o.subscription === "platform-deployer-model-registered");
    assert.match(deploy?.outcome.summary ?? "", /^deploy credit-default:next to endpoint contoso-credit-7m3q8/);
    assert.match(platform.out, /The loop: what a retraining registers, and where it goes \(1\)/);
    const html = fs.readFileSync(path.join(platform.dir, "report.html"), "utf8");
    assert.match(html, /<h2>The loop: breach → retrain → deploy \(1\)<\/h2>\n<table class="loop">/);
    assert.match(html, /<td><code>[^<]+<\/code><br>→ platform-retrain-breach<\/td><td>Data Factory pipeline retrain-on-breach with/);
    assert.match(html, /<li><b>platform-deployer-model-registered<\/b>: deploy credit-default:next to endpoint contoso-credit-7m3q8/);
  });

  it("the report gives each rule's conditions in words, not Logic Apps expressions", () => {
    const html = fs.readFileSync(path.join(platform.dir, "report.html"), "utf8");
    const rules = [...html.matchAll(/<li class="rule">([\s\S]*?)<\/li>/g)].map((m) => m[1]);
    assert.ok(rules.length >= 8, `rules: ${rules.length}`);
    for (const rule of rules) assert.doesNotMatch(rule, /items\(|variables\(|coalesce\(|toLower\(|\bcontains\(|\band\(/, rule);
    assert.ok(rules.some((r) => r.includes("data.runTags.azureml_modelmonitor_threshold_breached contains &quot;has failed due to one or more features violating metric thresholds&quot;")), rules.join("\n"));
    assert.ok(rules.some((r) => r.includes("variable breachRunId is set") && r.includes("variable sameBreachRunCount equals 0")), rules.join("\n"));
    assert.ok(rules.some((r) => r.includes("begins with the text &quot;The signal '{variable breachSignal}' has failed due to one or more features violating metric thresholds&quot;")), rules.join("\n"));
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
    assert.match(json.routing[0].unrouted ?? "", /mlw-other is no workspace the program subscribes to \(declared workspaces: .*\/workspaces\/mlw-platform\)/);
  });

  it("plans the events of every declared workspace: two-workspaces routes samples of both, and shows its stack outputs", () => {
    const run = runCli(["--program", path.join(root, "dist", "examples", "focused", "two-workspaces")]);
    assert.strictEqual(run.status, 0, run.out);
    assert.deepStrictEqual(run.json.events.workspaces.map((w) => w.split("/").pop()), ["mlw-prod", "mlw-dev"]);
    const delivered = run.json.routing.flatMap((r) => r.delivered.map((d) => d.subscription));
    assert.ok(delivered.includes("stream-to-event-hub"), run.out);
    assert.ok(delivered.includes("ml-dev-email-run-status"), run.out);
    assert.deepStrictEqual(Object.keys(run.json.outputs), ["prodOutputs", "devOutputs"]);
    assert.match(run.out, /^Events: sample events of mlw-prod, mlw-dev\. Clock \(utcNow\(\) in workflows\): 2026-11-22T09:00:00Z \(set with --now\)\.$/m);
    assert.match(run.out, /^Stack outputs \(2\)\n {4}prodOutputs: \{"workspaceId":"\/subscriptions\//m);
    assert.match(run.out, /^ {4}ml-dev-email-run-status on workspace mlw-dev → Logic App ml-dev-email-workflow\n {8}when event type is RunStatusChanged\n {9}and data\.runStatus is one of \["failed"\]$/m);
    assert.match(fs.readFileSync(path.join(run.dir, "report.html"), "utf8"), /<h2>Stack outputs<\/h2>\n<table class="outputs">.*\n<tr><td>prodOutputs<\/td>/);
  });

  it("plans the usable events of a file with malformed ones, lists each by position, writes the report and exits 2", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "malformed-"));
    const good = sampleEvents()[0];
    const file = path.join(dir, "events.json");
    fs.writeFileSync(file, JSON.stringify([good, { ...good, data: "sklearn_regression_model:20" }, 42, sampleEvents()[4]]));
    const run = runCli(["--events", file]);
    assert.strictEqual(run.status, 2, run.out);
    assert.deepStrictEqual(run.json.routing.map((r) => r.event.eventType), [good.eventType, sampleEvents()[4].eventType]);
    assert.deepStrictEqual(run.json.events.rejected.map((r) => r.index), [1, 2]);
    assert.match(run.out, /✗ event #1: "data" must be a JSON object .*got string "sklearn_regression_model:20"/);
    assert.match(run.out, /2 events → \d+ deliveries \(2 malformed event\(s\) NOT planned\)/);
    assert.doesNotMatch(run.out, /Model: {2}version/);
    assert.match(fs.readFileSync(path.join(run.dir, "report.html"), "utf8"), /<h2>Malformed events \(not planned\)<\/h2>[\s\S]*<tr><td>#2<\/td><td>expected a JSON object/);
  });

  it("exits 2 with one line and no stack when --events is not JSON or --now is not a time", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "unusable-"));
    const file = path.join(dir, "events.json");
    fs.writeFileSync(file, "[{\"eventType\": ");
    for (const [args, message] of [
      [["--events", file], /^aml-events: --events ".*events\.json" could not be read as JSON: /],
      [["--now", "tomorrow"], /^aml-events: --now "tomorrow": expected an ISO 8601 date-time with a time zone/],
    ] as const) {
      const result = spawnSync(process.execPath, [cli, "--out", dir, ...args], { encoding: "utf8", timeout: 60_000 });
      assert.strictEqual(result.status, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  });

  it("redacts secret stack outputs everywhere and uses the clock given with --now", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outputs-"));
    const program = path.join(dir, "index.js");
    fs.writeFileSync(
      program,
      `const pulumi = require(${JSON.stringify(path.join(root, "node_modules", "@pulumi", "pulumi"))});\n` +
        `exports.connection = pulumi.secret("Endpoint=sb://ns/;SharedAccessKey=s3cr3t-value");\n` +
        `exports.region = pulumi.output("westeurope");\n`,
    );
    const run = runCli(["--program", program, "--now", "2026-12-01T08:30:00+01:00"]);
    assert.deepStrictEqual(run.json.outputs, { connection: "[secret]", region: "westeurope" });
    assert.strictEqual(run.json.now, "2026-12-01T08:30:00+01:00");
    assert.match(run.out, /Clock \(utcNow\(\) in workflows\): 2026-12-01T08:30:00\+01:00 \(set with --now\)/);
    assert.match(run.out, /connection: "\[secret\]"/);
    for (const file of fs.readdirSync(run.dir)) assert.doesNotMatch(fs.readFileSync(path.join(run.dir, file), "utf8"), /s3cr3t/, file);
    assert.doesNotMatch(run.out, /s3cr3t/);
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
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace unless AML_EVENTS_DEBUG is set");
    assert.match(result.stderr, /endpointUrl "http:\/\/insecure.example.com" uses http; Event Grid delivers only to https/);
  });

  for (const example of ["email-only", "two-workspaces", "existing-resources", "model-monitoring"]) {
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

  it("plans examples/focused/model-monitoring: the monitor's own breach retrains once, through the batch endpoint, to the deployer rule", () => {
    const run = runCli(["--program", path.join(root, "dist", "examples", "focused", "model-monitoring")]);
    assert.ok(!run.json.findings.some((f) => / retrains on breaches whose tag text contains /.test(f)), "the monitor is declared: the policy checks it, no finding");
    assert.strictEqual(run.status, 0, run.out);
    assert.ok(run.json.resources.some((r) => r.type === "azure-native:machinelearningservices:Schedule" && r.inputs.name === "credit-default-monitor"));
    assert.deepStrictEqual(run.json.loop.map((s) => [s.startedBy, s.run.body.monitorSignal]), [["credit-retrain-breach", "credit-default-monitor_data-drift-signal"]]);
    assert.match(run.out, /pipeline → POST https:\/\/retrain-credit-default\.westeurope\.inference\.ml\.azure\.com\/jobs {2}auth=MSI \(https:\/\/ml\.azure\.com\)/);
    assert.match(run.json.loop[0].outcomes.find((o) => o.subscription === "credit-deployer-model-registered")?.outcome.summary ?? "", /^deploy credit-default:next to endpoint contoso-credit-7m3q8/);
  });

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

  it("builds ids in the explicit provider's subscription and flags a topic whose provider is not its workspace's subscription", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "providers-"));
    const program = path.join(dir, "index.js");
    const teamB = "22222222-2222-2222-2222-222222222222";
    const ws = (sub: string, name: string): string => `/subscriptions/${sub}/resourceGroups/rg-${name}/providers/Microsoft.MachineLearningServices/workspaces/mlw-${name}`;
    fs.writeFileSync(
      program,
      `const { WorkspaceEvents } = require(${JSON.stringify(path.join(root, "dist", "lib"))});\n` +
        `const { Provider } = require(${JSON.stringify(path.join(root, "node_modules", "@pulumi", "azure-native", "provider"))});\n` +
        `const teamB = new Provider("team-b", { subscriptionId: ${JSON.stringify(teamB)} });\n` +
        `new WorkspaceEvents("team-b", { workspaceId: ${JSON.stringify(ws(teamB, "b"))}, resourceGroupName: "rg-b", location: "westeurope" }, { provider: teamB });\n` +
        `new WorkspaceEvents("team-c", { workspaceId: ${JSON.stringify(ws("33333333-3333-3333-3333-333333333333", "c"))}, resourceGroupName: "rg-c", location: "westeurope" }, { provider: teamB });\n`,
    );
    const run = runCli(["--program", program]);
    const topics = run.json.resources.filter((r) => r.type === "azure-native:eventgrid:SystemTopic");
    assert.deepStrictEqual(topics.map((t) => t.id?.split("/")[2]), [teamB, teamB], run.out);
    assert.deepStrictEqual(run.json.findings.length, 1, run.out);
    assert.match(run.json.findings[0], /^system topic team-c\S* would be created in subscription 22222222-.* but its workspace .*mlw-c is in subscription 33333333-3333-3333-3333-333333333333: pass the WorkspaceEvents an azure-native Provider whose subscriptionId is 33333333/);
    assert.match(run.out, /Plan findings \(1\)\n {4}✗ system topic team-c/);
  });

  it("is deterministic: two runs write the same plan.json", () => {
    const again = runCli(ONCALL);
    assert.strictEqual(fs.readFileSync(path.join(again.dir, "plan.json"), "utf8"), fs.readFileSync(path.join(platform.dir, "plan.json"), "utf8"));
  });
});
