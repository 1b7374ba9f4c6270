/**
 * The real Pulumi engine on this project, offline: `pulumi preview` with the policy pack on every
 * example, a bad program the pack must stop, and one up / export / preview / destroy cycle against
 * the offline provider plugins. Needs the CLI from `bash scripts/pulumi-cli.sh` (skipped with a
 * notice locally when absent; a failure under CI=true).
 */
import * as assert from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { CliResult, concurrently, PulumiEnv, POLICY_FLAGS, README_POLICY_FLAGS, REPO, usePulumiEnv } from "./cli";
import { platformPreview } from "./fixtures";
import { startFlexPeer } from "./flexPeer";
import { TOKEN_UPGRADES, toLegacyState } from "./legacyTokens";

interface ExportedState {
  deployment: { resources: { urn: string; type: string; outputs: { destination?: { endpointType?: string; endpointUrl?: { ciphertext?: string } } } }[] };
}
interface PreviewStep { op: string; urn: string }
interface PreviewJson { steps: PreviewStep[]; changeSummary: Record<string, number>; diagnostics?: { message: string }[] }

/**
 * The stack as the previous release left it (every component under its old token, imported into the
 * stack) previews with nothing to create, delete, replace or update: the aliases carry every resource
 * over. Then `pulumi up` writes today's tokens.
 */
async function expectUpgradeWithoutChanges(env: PulumiEnv, dir: string, exported: string): Promise<void> {
  const legacy = toLegacyState(exported);
  // The platform holds every multi-language component, so every token is rewritten (nested ones included).
  assert.deepStrictEqual(legacy.replaced, TOKEN_UPGRADES.map(([current]) => current));
  for (const [, old] of TOKEN_UPGRADES) assert.ok(legacy.state.includes(old), `the imported state holds ${old}`);
  const file = path.join(env.root, "legacy-state.json");
  fs.writeFileSync(file, legacy.state);
  await env.ok(["stack", "import", "--file", file], dir);
  const preview = previewJson((await env.ok(["preview", "--json", "--show-sames", ...README_POLICY_FLAGS], dir)).stdout);
  assert.deepStrictEqual(preview.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn}`), [], "the upgrade changes nothing");
  assert.deepStrictEqual(Object.keys(preview.changeSummary), ["same"]);
  await env.ok(["up", "--yes", "--skip-preview", ...README_POLICY_FLAGS], dir);
  const after = (await env.ok(["stack", "export"], dir)).stdout;
  for (const [, old] of TOKEN_UPGRADES) assert.ok(!after.includes(old), `${old} is left in state after the upgrade`);
}

const EXAMPLES = ["examples/platform", "examples/focused/email-only", "examples/focused/existing-resources", "examples/focused/two-workspaces", "examples/focused/composed-stack", "examples/focused/model-monitoring"];

/**
 * `parent type > type::name` of every resource but the stack and providers. Real URNs carry the
 * whole chain of parent types and omit the stack; the mock monitor keeps only the parent's type
 * and includes the stack, so both are reduced to the direct parent's type.
 */
function resourceKeys(urns: string[]): string[] {
  return urns
    .map((urn) => urn.split("::"))
    .map((p) => {
      const chain = p[2].split("$");
      const parent = chain.length > 1 ? chain[chain.length - 2] : "";
      return { type: chain[chain.length - 1], key: `${parent === "pulumi:pulumi:Stack" ? "" : parent} > ${chain[chain.length - 1]}::${p.slice(3).join("::")}` };
    })
    .filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"))
    .map((r) => r.key)
    .sort();
}

const run = promisify(execFile);

/** The offline plan's resources for a compiled example, from `npm start`'s CLI. */
async function offlinePlanUrns(example: string, out: string): Promise<string[]> {
  await run(process.execPath, [path.join(REPO, "dist/lib/plan/cli.js"), "--program", path.join(REPO, "dist", example), "--out", out], { maxBuffer: 64 * 1024 * 1024 });
  const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as { resources: { urn: string }[] };
  return plan.resources.map((r) => r.urn);
}

/**
 * Installs this package as a consumer gets it: `npm pack` (only what package.json "files" ships; no
 * lifecycle scripts: `npm test` has built dist/ already, and `prepare` would rebuild it under the other
 * tests' feet), unpacked into a consumer's node_modules, its dependencies linked from the repository's install.
 */
async function installPackage(root: string): Promise<string> {
  const consumer = path.join(root, "consumer");
  const modules = path.join(consumer, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  const tarball = (await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", root], { cwd: REPO, encoding: "utf8" })).stdout.trim().split("\n").pop() ?? "";
  fs.mkdirSync(path.join(modules, "aml-event-workflows"));
  await run("tar", ["-xzf", path.join(root, tarball), "-C", path.join(modules, "aml-event-workflows"), "--strip-components=1"]);
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
    if (!entry.startsWith(".")) fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(modules, entry));
  }
  return consumer;
}

function resourceUrns(exported: string): string[] {
  return (JSON.parse(exported) as { deployment: { resources?: { urn: string }[] } }).deployment.resources?.map((r) => r.urn) ?? [];
}

function previewJson(stdout: string): PreviewJson {
  return JSON.parse(stdout) as PreviewJson;
}

interface ExampleRun { preview: CliResult; expected: string[] }

/** `pulumi preview --policy-pack` of an example and, at the same time, its offline plan's resource keys. */
async function previewAndPlan(env: PulumiEnv, example: string): Promise<ExampleRun> {
  // examples/platform is the repository's own project: the README's recipe, verbatim (shared with multilang).
  const preview = example === "examples/platform"
    ? platformPreview(env)
    : env.project(path.basename(example), example).then((dir) => env.run(["preview", ...POLICY_FLAGS(), "--json"], dir));
  const [p, urns] = await Promise.all([preview, offlinePlanUrns(example, path.join(env.root, "plan", path.basename(example)))]);
  return { preview: p, expected: resourceKeys(urns) };
}

async function badProgramPreview(env: PulumiEnv): Promise<CliResult> {
  return env.run(["preview", ...POLICY_FLAGS()], await env.project("bad-stack", "test/engine/programs/bad-stack"));
}

async function installedPackPreview(env: PulumiEnv): Promise<CliResult> {
  const consumer = await installPackage(env.root);
  const pack = path.join(consumer, "node_modules", "aml-event-workflows", "policy");
  const dir = await env.repoProject("consumer");
  return env.run(["preview", "--policy-pack", pack, "--policy-pack-config", path.join(REPO, "policy", "policy-config.json")], dir);
}

/** pulumi up with the deployer's code publish answered by a loopback peer, then the checks of the state, upgrade and destroy. */
async function upCycle(env: PulumiEnv): Promise<void> {
  const dir = await env.repoProject("up");
  // The deployer publishes its code through ARM and the app's SCM site: a loopback peer answers both.
  const flex = await startFlexPeer();
  try {
    await env.ok(["config", "set", "platform:armEndpoint", flex.base], dir);
    await env.ok(["config", "set", "platform:scmUrl", flex.base], dir);
    await env.ok(["up", "--yes", "--skip-preview", ...README_POLICY_FLAGS], dir);
  } finally {
    await flex.close();
  }
  assert.ok(flex.seen.includes("POST /api/publish"), "the deployer's code was published through the SCM site");
  assert.ok(flex.seen.some((s) => /^GET .*\/sites\/[^/]+\/functions$/.test(s)), "the deployer waited for its function to be indexed");
  const state = (await env.ok(["stack", "export", "--show-secrets=false"], dir)).stdout;
  assert.doesNotMatch(state, /sig=REDACTED/, "a Logic App callback URL (with its sig) is in plaintext in the state");
  assert.doesNotMatch(state, /"plaintext"/);
  // Every webhook subscription's endpoint URL is stored encrypted, and decrypts to the callback URL.
  const webhooks = (JSON.parse(state) as ExportedState).deployment.resources.filter((r) =>
    r.type === "azure-native:eventgrid:SystemTopicEventSubscription" && r.outputs.destination?.endpointType === "WebHook");
  assert.ok(webhooks.length >= 3, "examples/platform has Logic App webhook subscriptions");
  for (const w of webhooks) assert.ok(typeof w.outputs.destination?.endpointUrl?.ciphertext === "string", `${w.urn}: endpointUrl is not encrypted`);
  assert.match((await env.ok(["stack", "export", "--show-secrets"], dir)).stdout, /sig=REDACTED/);
  const again = await env.run(["preview", "--json", "--expect-no-changes", ...README_POLICY_FLAGS], dir);
  assert.strictEqual(again.code, 0, `second preview shows changes:\n${again.stdout}\n${again.stderr}`);
  assert.deepStrictEqual(Object.keys(previewJson(again.stdout).changeSummary), ["same"]);
  await expectUpgradeWithoutChanges(env, dir, state);
  // The topic's CanNotDelete lock covers its event subscriptions (ARM locks are inherited by child
  // resources; the fake ARM refuses such deletes with ScopeLocked). The lock depends on every
  // subscription, so the engine deletes it first and a plain destroy succeeds.
  assert.ok(resourceUrns(state).some((u) => u.includes("azure-native:authorization:ManagementLockByScope::")), "examples/platform locks its system topic");
  await env.ok(["destroy", "--yes", "--skip-preview"], dir);
  const arm = JSON.parse(fs.readFileSync(env.armState(dir), "utf8")) as { resources: Record<string, unknown> };
  assert.deepStrictEqual(Object.keys(arm.resources), [], "every created ARM resource is deleted");
}

describe("real Pulumi engine (CLI, file backend, offline providers)", function () {
  this.timeout(240_000);
  // The CLI operations of the tests below are independent (each its own stack): they start together, two at
  // a time, the longest (the up cycle) first, and each test awaits and checks its own.
  let up: Promise<void>;
  let examples: Promise<ExampleRun>[];
  let bad: Promise<CliResult>;
  let installed: Promise<CliResult>;
  usePulumiEnv((env) => {
    const [cycle, ...rest] = concurrently<unknown>([
      () => upCycle(env),
      ...EXAMPLES.map((example) => () => previewAndPlan(env, example)),
      () => badProgramPreview(env),
      () => installedPackPreview(env),
    ]);
    up = cycle as Promise<void>;
    examples = rest.slice(0, EXAMPLES.length) as Promise<ExampleRun>[];
    [bad, installed] = rest.slice(EXAMPLES.length) as Promise<CliResult>[];
  });

  EXAMPLES.forEach((example, i) => {
    it(`pulumi preview --policy-pack on ${example}: exit 0, same resources and parents as the offline plan`, async () => {
      const { preview: r, expected } = await examples[i];
      assert.strictEqual(r.code, 0, `preview failed:\n${r.stdout}\n${r.stderr}`);
      const preview = previewJson(r.stdout);
      assert.ok(preview.steps.every((s) => s.op === "create"), "a first preview only creates");
      assert.ok(expected.length > 3, `the offline plan of ${example} declares resources`);
      assert.deepStrictEqual(resourceKeys(preview.steps.map((s) => s.urn)), expected);
    });
  });

  it("a bad program fails the preview (non-zero exit) naming the mandatory policies", async () => {
    const r = await bad;
    assert.notStrictEqual(r.code, 0, "the preview must fail");
    const out = `${r.stdout}\n${r.stderr}`;
    for (const policy of ["rbac-no-privileged-roles", "rbac-single-resource-scope", "delivery-webhook-https", "filter-within-limits",
      "delivery-retry-policy-bounded", "filter-subject-reachable", "eventgrid-one-system-topic-per-source"]) {
      assert.match(out, new RegExp(`mandatory: \\[${policy}\\]|\\[mandatory\\]\\s+${policy}|${policy}`), `missing ${policy} in\n${out}`);
    }
    assert.match(out, /mandatory/);
  });

  it("the policy pack runs from the installed package's path, as a consumer's preview loads it", async () => {
    const r = await installed;
    assert.strictEqual(r.code, 0, `preview with the installed pack failed:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Policies:[\s\S]*aml-event-workflows@v0\.1\.0/);
  });

  it("pulumi up, stack export without plaintext secrets, a second preview without changes, destroy (the lock goes first)", async () => {
    await up;
  });
});
