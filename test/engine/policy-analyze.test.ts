/**
 * Live stacks with the real CLI: a stack deployed by `pulumi up` (offline providers, no policy pack) is
 * checked from its state by `pulumi policy analyze --policy-pack policy` (CLI v3.248.0 has it: no program
 * run, no provider calls) and by the export recipe `pulumi stack export | node dist/policy/live.js -`;
 * both must find the same violations. Needs the CLI from `bash scripts/pulumi-cli.sh` (skipped with a
 * notice locally when absent; a failure under CI=true).
 */
import * as assert from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeWithPack, checkResources, fromStackExport } from "../../policy/api";
import { PulumiEnv, POLICY_FLAGS, REPO, usePulumiEnv } from "./cli";

interface AnalyzeEvent {
  policyEvent?: { resourceUrn?: string; policyName: string; enforcementLevel: string; message: string };
  policyRemediationEvent?: { resourceUrn: string; policyName: string; before?: Record<string, unknown>; after?: Record<string, unknown> };
  summaryEvent?: { result: string };
}

const events = (stdout: string): AnalyzeEvent[] => stdout.split("\n").filter((l) => l.trim().startsWith("{")).map((l) => JSON.parse(l) as AnalyzeEvent);
const key = (level: string, policy: string, urnOrName: string) => `${level} ${policy} ${urnOrName.split("::").pop()}`;
const EXPECTED = [
  "mandatory delivery-webhook-https http-alerts",
  "mandatory delivery-dead-letter-required run-failed",
  "advisory filter-monitor-breach-reachable drift-breach",
  "advisory rbac-custom-role-assignable-scope acs-sender-role",
];

describe("live stacks with the real CLI: pulumi policy analyze and the export recipe", function () {
  this.timeout(240_000);
  let env: PulumiEnv;
  let dir: string;

  usePulumiEnv(async (e) => {
    env = e;
    dir = await env.project("live-stack", "test/engine/programs/live-stack");
    await env.ok(["up", "--yes", "--skip-preview"], dir);
  });

  it("pulumi policy analyze checks the deployed state: exit non-zero, each violation at its level", async () => {
    const r = await env.run(["policy", "analyze", ...POLICY_FLAGS(), "--json"], dir);
    assert.notStrictEqual(r.code, 0, "a mandatory violation fails the analysis");
    const all = events(r.stdout);
    const found = all.flatMap((e) => (e.policyEvent ? [key(e.policyEvent.enforcementLevel, e.policyEvent.policyName, e.policyEvent.resourceUrn ?? "(stack)")] : []));
    for (const expected of EXPECTED) assert.ok(found.includes(expected), `missing ${expected} in:\n${found.join("\n")}`);
    assert.strictEqual(all.find((e) => e.summaryEvent)?.summaryEvent?.result, "failed");
  });

  it("the export recipe finds exactly what pulumi policy analyze finds, and live.js exits 1", async () => {
    const exported = (await env.ok(["stack", "export"], dir)).stdout;
    const analyzed = events((await env.run(["policy", "analyze", ...POLICY_FLAGS(), "--json"], dir)).stdout)
      .flatMap((e) => (e.policyEvent ? [key(e.policyEvent.enforcementLevel, e.policyEvent.policyName, e.policyEvent.resourceUrn ?? "(stack)")] : []));
    const config = JSON.parse(fs.readFileSync(path.join(REPO, "policy", "policy-config.json"), "utf8")) as Record<string, unknown>;
    const recipe = (await checkResources(fromStackExport(exported), config)).map((v) => key(v.enforcementLevel, v.policyName, v.urn ?? v.resourceName));
    assert.deepStrictEqual([...new Set(recipe)].sort(), [...new Set(analyzed)].sort());
    const live = spawnSync(process.execPath, [path.join(REPO, "dist", "policy", "live.js"), "-", path.join(REPO, "policy", "policy-config.json")], { input: exported, encoding: "utf8", timeout: 60_000 });
    assert.strictEqual(live.status, 1, live.stderr);
    assert.match(live.stdout, /\[mandatory\] delivery-webhook-https {2}\(http-alerts\)/);
  });

  it("at level remediate, analyze reports the dead-letter remediation on the stack's one container, as the in-process harness does", async () => {
    const configFile = path.join(env.root, "remediate.json");
    fs.writeFileSync(configFile, JSON.stringify({ "delivery-dead-letter-required": "remediate" }));
    const r = await env.run(["policy", "analyze", "--policy-pack", path.join(REPO, "policy"), "--policy-pack-config", configFile, "--json"], dir);
    const remediated = events(r.stdout).flatMap((e) => (e.policyRemediationEvent ? [e.policyRemediationEvent] : []));
    assert.deepStrictEqual(remediated.map((e) => `${e.policyName} ${e.resourceUrn.split("::").pop()}`), ["delivery-dead-letter-required run-failed"], r.stdout + r.stderr);
    const exported = (await env.ok(["stack", "export"], dir)).stdout;
    const harness = await analyzeWithPack(fromStackExport(exported), { "delivery-dead-letter-required": "remediate" });
    assert.deepStrictEqual(harness.remediations.map((x) => `${x.policyName} ${x.resourceName}`), ["delivery-dead-letter-required run-failed"]);
    const dl = harness.remediations[0].properties.deadLetterWithResourceIdentity as { deadLetterDestination: { blobContainerName: string } };
    assert.strictEqual(dl.deadLetterDestination.blobContainerName, "deadletter");
    assert.strictEqual(remediated[0].before?.deadLetterWithResourceIdentity, undefined);
    assert.deepStrictEqual(remediated[0].after, harness.remediations[0].properties, "the engine's remediated inputs equal the harness's");
  });
});
