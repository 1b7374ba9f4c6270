/**
 * The example profiles (examples/profiles: defaults, waf-aligned, max) deployed twice with the real
 * Pulumi CLI and the offline providers, as Azure Verified Modules test every module (SNFR7): a preview
 * with the policy pack, `pulumi up`, `pulumi preview --expect-no-changes`, a second `pulumi up` that
 * changes nothing, then `pulumi destroy` leaving nothing in the fake ARM. One engine set-up for the file,
 * one stack per profile. Needs the CLI from `bash scripts/pulumi-cli.sh` (skipped with a notice locally
 * when absent; a failure under CI=true).
 */
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CliResult, PulumiEnv, REPO, requireCli } from "./cli";
import { startFlexPeer } from "./flexPeer";
import { deterministicGuid } from "../../lib/rbac/guid";

/** Each profile and the policy config its preview and deployments run with. */
export const PROFILES: readonly { readonly name: string; readonly config: string }[] = [
  { name: "defaults", config: "policy/policy-config.json" },
  { name: "waf-aligned", config: "policy/config/waf-aligned.json" },
  { name: "max", config: "policy/policy-config.json" },
];

interface ChangeSummary {
  changeSummary: Record<string, number>;
}

const packFlags = (config: string): string[] => ["--policy-pack", path.join(REPO, "policy"), "--policy-pack-config", path.join(REPO, config)];

/** The change summary of a `--json` preview; fails with the CLI's output when it isn't JSON. */
function summary(r: CliResult): Record<string, number> {
  try {
    return (JSON.parse(r.stdout) as ChangeSummary).changeSummary;
  } catch {
    assert.fail(`not a JSON preview:\n${r.stdout}\n${r.stderr}`);
  }
}

function expectExit(r: CliResult, code: number, what: string): void {
  assert.strictEqual(r.code, code, `${what} exited ${r.code}:\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-3000)}`);
}

/** The fake ARM's resources left after a destroy. */
function armLeft(env: PulumiEnv): string[] {
  const file = path.join(env.root, "fake-arm.json");
  if (!fs.existsSync(file)) return [];
  return Object.keys((JSON.parse(fs.readFileSync(file, "utf8")) as { resources: Record<string, unknown> }).resources);
}

/** What each step of a profile's cycle answered, in order. */
interface Cycle {
  readonly steps: { readonly what: string; readonly result: CliResult }[];
  readonly armLeft: string[];
  readonly seconds: number;
}

/**
 * One profile's cycle in its own stack, every step run even after a failure so that the destroy always
 * happens. The deployer publishes its code through ARM and the app's SCM site: a loopback peer answers both.
 */
async function deployTwice(env: PulumiEnv, profile: { name: string; config: string }): Promise<Cycle> {
  const started = Date.now();
  const dir = await env.project(`profile-${profile.name}`, `examples/profiles/${profile.name}`, profile.name);
  const flags = packFlags(profile.config);
  const steps: Cycle["steps"][number][] = [];
  const peer = await startFlexPeer();
  try {
    await env.ok(["config", "set", "profile:armEndpoint", peer.base], dir);
    await env.ok(["config", "set", "profile:scmUrl", peer.base], dir);
    for (const [what, args] of [
      ["preview --policy-pack", ["preview", "--json", ...flags]],
      ["up", ["up", "--yes", "--skip-preview", ...flags]],
      ["preview --expect-no-changes", ["preview", "--json", "--expect-no-changes", ...flags]],
      ["second up", ["up", "--yes", "--skip-preview", "--expect-no-changes", ...flags]],
    ] as const) {
      steps.push({ what, result: await env.run([...args], dir) });
    }
  } finally {
    await peer.close();
  }
  steps.push({ what: "destroy", result: await env.run(["destroy", "--yes", "--skip-preview"], dir) });
  return { steps, armLeft: armLeft(env), seconds: (Date.now() - started) / 1000 };
}

/** The public-network properties of a planned resource that has them (the profile policy's six types). */
const PUBLIC_KEYS = ["publicNetworkAccess", "publicNetworkAccessForIngestion", "publicNetworkAccessForQuery"];
const PUBLIC_TYPES = ["storage:StorageAccount", "eventhub:Namespace", "datafactory:Factory", "web:WebApp", "operationalinsights:Workspace", "applicationinsights:Component"].map((t) => `azure-native:${t}`);

interface PlanJson {
  resources: { type: string; name: string; inputs: Record<string, unknown> }[];
  policy: { verdict: { mandatory: number; advisory: number } };
}

/** The offline plan of a compiled profile under `config` (from `npm start`'s CLI), and its exit code. */
function plan(profile: string, config: string): { json: PlanJson & { policy: { violations?: { policyName: string; enforcementLevel: string }[] } }; status: number } {
  const out = fs.mkdtempSync(path.join(REPO, "dist", ".profile-plan-"));
  try {
    const args = [path.join(REPO, "dist/lib/plan/cli.js"), "--program", path.join(REPO, "dist/examples/profiles", profile), "--policy-config", path.join(REPO, config), "--out", out];
    const run = spawnSync(process.execPath, args, { encoding: "utf8" });
    return { json: JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as never, status: run.status ?? 1 };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

describe("the profiles' offline plans under the waf-aligned policy config", function () {
  this.timeout(120_000);
  it("defaults fails it: public network access, diagnostics and the topic lock are mandatory there", () => {
    const { json, status } = plan("defaults", "policy/config/waf-aligned.json");
    assert.strictEqual(status, 1);
    const names = new Set((json.policy.violations ?? []).filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policyName));
    for (const p of ["profile-public-network-access-disabled", "profile-diagnostics-configured", "profile-system-topic-locked"]) assert.ok(names.has(p), `${p} among ${[...names].join(", ")}`);
  });

  it("max passes it (every resource private or exempt by Azure, watched and locked)", () => {
    const { json, status } = plan("max", "policy/config/waf-aligned.json");
    assert.strictEqual(status, 0);
    assert.strictEqual(json.policy.verdict.mandatory, 0);
  });

  it("waf-aligned has public network access Disabled on every resource whose service lets it be turned off, and passes it", () => {
    const { json: wafPlan, status } = plan("waf-aligned", "policy/config/waf-aligned.json");
    assert.strictEqual(status, 0);
    const closable = wafPlan.resources.filter((r) => PUBLIC_TYPES.includes(r.type) && (r.type !== "azure-native:web:WebApp" || String(r.inputs.kind).includes("functionapp")));
    assert.deepStrictEqual(closable.map((r) => r.type).sort(), [...PUBLIC_TYPES.filter((t) => !t.includes("operationalinsights")), "azure-native:storage:StorageAccount"].sort(), "the profile creates each closable type (its Log Analytics workspace is the platform's)");
    for (const r of closable) {
      const open = PUBLIC_KEYS.filter((k) => k in r.inputs && r.inputs[k] !== "Disabled");
      assert.deepStrictEqual(open, [], `${r.name}: public network access left on`);
      assert.ok(PUBLIC_KEYS.some((k) => r.inputs[k] === "Disabled"), `${r.name}: public network access not set`);
    }
    assert.deepStrictEqual(wafPlan.policy.verdict, { ...wafPlan.policy.verdict, mandatory: 0, advisory: 0 });
    // The retraining factory acts as the workload identity: no system identity, one credential naming it.
    const factory = wafPlan.resources.find((r) => r.type === "azure-native:datafactory:Factory");
    assert.strictEqual((factory?.inputs.identity as { type?: string } | undefined)?.type, "UserAssigned");
    const credentials = wafPlan.resources.filter((r) => r.type === "azure-native:datafactory:CredentialOperation");
    assert.deepStrictEqual(credentials.map((r) => String((r.inputs.properties as { resourceId?: string }).resourceId).split("/").pop()), ["id-ml-workload"]);
  });

  it("waf-aligned: the deployer's Function App acts as the workload identity (no system identity) in every setting and grant", () => {
    const { json: wafPlan } = plan("waf-aligned", "policy/config/waf-aligned.json");
    const app = wafPlan.resources.find((r) => r.type === "azure-native:web:WebApp" && r.name === "waf-deployer-app");
    assert.ok(app, "the deployer's Function App");
    const identity = app.inputs.identity as { type: string; userAssignedIdentities: string[] };
    assert.strictEqual(identity.type, "UserAssigned");
    const [workload] = identity.userAssignedIdentities;
    assert.match(workload, /\/userAssignedIdentities\/id-ml-workload$/);
    const settings = Object.fromEntries((app.inputs.siteConfig as { appSettings: { name: string; value: string }[] }).appSettings.map((s) => [s.name, s.value]));
    const clientId = settings.AZURE_CLIENT_ID;
    assert.match(clientId, /^[0-9a-f-]{36}$/);
    assert.strictEqual(settings.AzureWebJobsStorage__credential, "managedidentity");
    assert.strictEqual(settings.AzureWebJobsStorage__clientId, clientId);
    assert.strictEqual(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING, `Authorization=AAD;ClientId=${clientId}`);
    const deployment = app.inputs.functionAppConfig as { deployment: { storage: { authentication: unknown } } };
    assert.deepStrictEqual(deployment.deployment.storage.authentication, { type: "UserAssignedIdentity", userAssignedIdentityResourceId: workload });
    // The deployer's own grants (the topic's queue-sender grant names the topic's system identity).
    const own = ["aml-data-scientist", "storage-owner", "queue-contributor", "poison-queue-contributor", "metrics-publisher"].map((g) => `waf-deployer-${g}`);
    const grants = wafPlan.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment" && own.includes(r.name));
    assert.strictEqual(grants.length, own.length, grants.map((g) => g.name).join(", "));
    const principals = new Set(grants.map((g) => g.inputs.principalId));
    // The offline provider answers getUserAssignedIdentity with ids derived from the identity's id (lib/plan/armResponses.ts).
    assert.deepStrictEqual([...principals], [deterministicGuid("principal", workload.toLowerCase())], "every deployer grant names the workload identity's principal");
    assert.strictEqual(clientId, deterministicGuid("client", workload.toLowerCase()));
    const topicGrant = wafPlan.resources.find((r) => r.name === "waf-deployer-model-registered-queue-sender");
    assert.ok(topicGrant && !principals.has(topicGrant.inputs.principalId), "the topic keeps delivering with its own (system) identity");
  });
});

describe("example profiles deployed twice (real CLI, file backend, offline providers)", function () {
  this.timeout(600_000);
  // One offline environment per profile (its own backend and fake ARM), all set up once and run side by side.
  const envs: PulumiEnv[] = [];
  let cycles: Promise<Cycle[]>;
  before(async function () {
    const bin = requireCli(this);
    envs.push(...PROFILES.map(() => new PulumiEnv(bin)));
    await Promise.all(envs.map((e) => e.installProviders()));
    const started = Date.now();
    cycles = Promise.all(PROFILES.map((p, i) => deployTwice(envs[i], p)));
    await cycles.then((all) => console.log(`      (${PROFILES.length} profiles deployed twice in ${((Date.now() - started) / 1000).toFixed(1)} s: ${all.map((c, i) => `${PROFILES[i].name} ${c.seconds.toFixed(1)} s`).join(", ")})`));
  });
  after(() => envs.forEach((e) => e.dispose()));

  PROFILES.forEach((profile, i) => {
    it(`${profile.name}: preview with the pack, up, preview --expect-no-changes, a second up that changes nothing, destroy`, async () => {
      const cycle = (await cycles)[i];
      for (const step of cycle.steps) expectExit(step.result, 0, `pulumi ${step.what}`);
      const [preview, , again, second] = cycle.steps.map((s) => s.result);
      assert.deepStrictEqual(Object.keys(summary(preview)), ["create"], "a first preview only creates");
      assert.deepStrictEqual(Object.keys(summary(again)), ["same"], "the preview after up changes nothing");
      assert.doesNotMatch(second.stdout, /\d+ to (create|update|replace|delete)/, "the second up changes nothing");
      assert.match(second.stdout, /Resources:\s+\d+ unchanged\s*$/m, "the second up reports every resource unchanged");
      assert.deepStrictEqual(cycle.armLeft, [], "every created ARM resource is deleted");
    });
  });
});
