import * as assert from "assert";
import * as fs from "fs";
import { spawnSync } from "child_process";
import * as path from "path";
import { analyzeWithPack, checkResources, fromStackExport, POLICY_AREAS, policies, StackExportError, UNKNOWN_VALUE } from "../../policy/api";
import { functionApp, subscription } from "./fixtures";

const exportPath = path.resolve(__dirname, "..", "..", "..", "test", "policy", "data", "stack-export.json");
const exported = (): unknown => JSON.parse(fs.readFileSync(exportPath, "utf8"));
const logicAppUrl = "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=REDACTED";

describe("policy pack on a live stack (pulumi stack export)", () => {
  it("reads custom resources with their inputs, parent and dependencies; skips the stack, providers and pending deletions", () => {
    const resources = fromStackExport(exported());
    assert.deepStrictEqual(
      resources.map((r) => r.name),
      ["mlw-prod-events", "run-failed-oncall", "drift-alerts", "topic-lock"],
    );
    const oncall = resources[1];
    assert.strictEqual(oncall.type, "azure-native:eventgrid:SystemTopicEventSubscription");
    assert.deepStrictEqual(oncall.dependencies, ["urn:pulumi:prod::aml-events::azure-native:eventgrid:SystemTopic::mlw-prod-events"]);
    // A secret exported without --show-secrets can't be read: it becomes the engine's unknown value.
    assert.strictEqual((oncall.props.destination as { endpointUrl: unknown }).endpointUrl, UNKNOWN_VALUE);
    assert.deepStrictEqual(fromStackExport(fs.readFileSync(exportPath, "utf8")), resources, "JSON text is accepted too");
  });

  it("decodes secrets exported with --show-secrets", () => {
    const doc = exported() as { deployment: { resources: { inputs?: { destination?: { endpointUrl?: unknown } } }[] } };
    const url = doc.deployment.resources[3].inputs!.destination!;
    url.endpointUrl = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify("https://example.com/hook") };
    const oncall = fromStackExport(doc).find((r) => r.name === "run-failed-oncall")!;
    assert.strictEqual((oncall.props.destination as { endpointUrl: unknown }).endpointUrl, "https://example.com/hook");
  });

  it("checkResources takes the export and catches each pitfall at its level", async () => {
    const violations = await checkResources(exported() as { deployment: unknown });
    const got = violations.map((v) => `${v.enforcementLevel} ${v.policyName} ${v.resourceName}`);
    for (const expected of [
      "mandatory delivery-webhook-https drift-alerts",
      "mandatory delivery-retry-policy-bounded drift-alerts",
      "advisory filter-v1-drift-retired drift-alerts",
      "advisory deploy-lock-after-subscriptions topic-lock",
    ]) {
      assert.ok(got.includes(expected), `missing ${expected} in:\n${got.join("\n")}`);
    }
    const secret = violations.filter((v) => v.resourceName === "run-failed-oncall" && v.policyName === "delivery-webhook-https");
    assert.strictEqual(secret.length, 1);
    assert.match(secret[0].message, /^can't run policy 'delivery-webhook-https' .* during preview/);
    assert.strictEqual(secret[0].enforcementLevel, "advisory");
  });

  it("rejects a document that isn't a stack export, saying what it expected", () => {
    assert.throws(() => fromStackExport({ resources: [] }), (e: Error) => e instanceof StackExportError && /Found no deployment\.resources array \(keys: resources\)\. Expected the output of `pulumi stack export`/.test(e.message));
    assert.throws(() => fromStackExport({ deployment: { resources: [{ type: "x" }] } }), /Resource #0 has no string urn\/type/);
    assert.throws(() => fromStackExport(null), /Got null/);
  });
});

describe("policy pack remediation (level remediate)", () => {
  const http = subscription("s", { destination: { endpointType: "WebHook", endpointUrl: "http://hooks.contoso.com/aml?x=1" } });

  it("is off by default: nothing is changed and the violation stands", async () => {
    const result = await analyzeWithPack([http]);
    assert.deepStrictEqual(result.remediations, []);
    assert.ok(result.violations.some((v) => v.policyName === "delivery-webhook-https" && v.enforcementLevel === "mandatory"));
  });

  it("upgrades an otherwise identical http:// webhook URL to https://, and validation then sees the fixed props", async () => {
    const result = await analyzeWithPack([http], { "delivery-webhook-https": "remediate" });
    assert.strictEqual(result.remediations.length, 1);
    assert.strictEqual((result.remediations[0].properties.destination as { endpointUrl: string }).endpointUrl, "https://hooks.contoso.com/aml?x=1");
    assert.ok(!result.violations.some((v) => v.policyName === "delivery-webhook-https"));
  });

  it("leaves a URL with an explicit port alone (reported as mandatory, like the engine does after remediation)", async () => {
    const ported = subscription("s", { destination: { endpointType: "WebHook", endpointUrl: "http://hooks.contoso.com:8080/aml" } });
    const result = await analyzeWithPack([ported], { "delivery-webhook-https": "remediate" });
    assert.deepStrictEqual(result.remediations, []);
    assert.strictEqual(result.violations.find((v) => v.policyName === "delivery-webhook-https")?.enforcementLevel, "mandatory");
  });

  it("clamps retry values to the configured bounds, never adding a retry policy", async () => {
    const over = subscription("s", { retryPolicy: { maxDeliveryAttempts: 45, eventTimeToLiveInMinutes: 2880 } });
    const result = await analyzeWithPack([over], { "delivery-retry-policy-bounded": { enforcementLevel: "remediate", maxDeliveryAttempts: 10 } });
    assert.deepStrictEqual(result.remediations[0].properties.retryPolicy, { maxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 1440 });
    assert.ok(!result.violations.some((v) => v.policyName === "delivery-retry-policy-bounded"));
    const none = subscription("s", { retryPolicy: undefined });
    assert.deepStrictEqual((await analyzeWithPack([none], { "delivery-retry-policy-bounded": "remediate" })).remediations, []);
  });

  it("sets maxEventsPerBatch to 1 on Logic App webhooks and drops Flex-rejected siteConfig properties", async () => {
    const batched = subscription("s", { destination: { endpointType: "WebHook", endpointUrl: logicAppUrl, maxEventsPerBatch: 10 } });
    const flex = functionApp("flex", { functionAppConfig: { runtime: { name: "node", version: "20" } }, siteConfig: { minTlsVersion: "1.2", netFrameworkVersion: "v4.6" } });
    const result = await analyzeWithPack([batched, flex], { "delivery-logic-app-batching": "remediate", "deploy-flex-site-config": "remediate" });
    assert.deepStrictEqual(result.remediations.map((r) => r.policyName), ["delivery-logic-app-batching", "deploy-flex-site-config"]);
    assert.strictEqual((result.remediations[0].properties.destination as { maxEventsPerBatch: number }).maxEventsPerBatch, 1);
    assert.deepStrictEqual(result.remediations[1].properties.siteConfig, { minTlsVersion: "1.2" });
    assert.ok(!result.violations.some((v) => ["delivery-logic-app-batching", "deploy-flex-site-config"].includes(v.policyName)));
  });

  it("a remediation reading a value unknown during preview reports it can't run (advisory) and changes nothing", async () => {
    const unknown = subscription("s", { destination: { endpointType: "WebHook", endpointUrl: UNKNOWN_VALUE } });
    const result = await analyzeWithPack([unknown], { "delivery-webhook-https": "remediate" });
    assert.deepStrictEqual(result.remediations, []);
    assert.ok(result.violations.some((v) => v.enforcementLevel === "advisory" && /^can't run remediation 'delivery-webhook-https'/.test(v.message)));
  });
});

describe("policy pack metadata", () => {
  it("every policy carries severity, areas, remediation steps and the Microsoft page it rests on", () => {
    for (const p of policies) {
      assert.ok(p.severity, `${p.name} has no severity`);
      assert.ok(p.tags && p.tags.length > 0 && p.tags.every((t) => (POLICY_AREAS as readonly string[]).includes(t)), `${p.name} has tags ${JSON.stringify(p.tags)}`);
      assert.ok(p.remediationSteps && p.remediationSteps.length > 20, `${p.name} has no remediation steps`);
      assert.match(p.url ?? "", /^https:\/\/learn\.microsoft\.com\//, `${p.name} links no Microsoft Learn page`);
    }
  });

  it("every deploy-readiness rule is tagged so", () => {
    const tagged = policies.filter((p) => p.tags?.includes("deploy-readiness")).map((p) => p.name);
    for (const name of ["deploy-flex-code-deployed", "deploy-function-destination-after-code", "deploy-flex-site-config", "deploy-webhook-validatable-host", "deploy-lock-after-subscriptions", "deploy-global-name-suffix", "deploy-online-endpoint-name", "filter-v1-drift-retired", "delivery-logic-app-batching", "hardening-storage-shared-key", "filter-monitor-breach-reachable", "email-managed-domain-quota"]) {
      assert.ok(tagged.includes(name), `${name} isn't tagged deploy-readiness`);
    }
  });
});

describe("policy/live.js (checking a live stack from the command line)", () => {
  const cli = path.resolve(__dirname, "..", "..", "policy", "live.js");
  const run = (args: string[], input?: string) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", input, timeout: 60_000 });

  it("reads the export from a file or stdin, prints the verdict and fails on mandatory violations", () => {
    const fromFile = run([exportPath]);
    assert.strictEqual(fromFile.status, 1, fromFile.stderr);
    assert.match(fromFile.stdout, /\[mandatory\] delivery-webhook-https {2}\(drift-alerts\)/);
    assert.match(fromFile.stdout, /Policy pack aml-event-workflows: FAILED — \d+ mandatory/);
    const fromStdin = run(["-"], fs.readFileSync(exportPath, "utf8"));
    assert.strictEqual(fromStdin.stdout, fromFile.stdout);
  });

  it("exits 2 with a clear message on a file that isn't a stack export", () => {
    const bad = run(["-"], JSON.stringify({ resources: [] }));
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /Found no deployment\.resources array/);
  });
});
