/**
 * The plan of engine output: `pulumi stack export` and `pulumi preview --json` of the platform give the
 * same plan (subscriptions, routing outcomes, loop, policy verdict) as the platform run on the mocks —
 * with secrets exported as ciphertext, ids missing in a preview, and unknown values. Bad input is refused.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { engineOutputProblem, runFromEngineOutput } from "../../lib/plan/engineInput";
import { MockedResource } from "../../lib/plan/mocks";
import { createPlan, createPlanFromEngineOutput, Plan } from "../../lib/plan/plan";
import { mockEngine } from "../setup";
import { planGist as gist } from "./gist";

const root = path.resolve(__dirname, "..", "..", "..");
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const STACK_URN = "urn:pulumi:dev::aml-event-workflows::pulumi:pulumi:Stack::aml-event-workflows-dev";

const ciphertext = (value: unknown) => ({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: `v1:${Buffer.from(JSON.stringify(value)).toString("base64")}` });

/** The mock run's resources as `pulumi stack export` writes them; webhook URLs as ciphertext (no --show-secrets). */
function stackExport(raw: readonly MockedResource[], outputs: Record<string, unknown>): unknown {
  const secretUrl = (inputs: Record<string, unknown>) => {
    const dest = inputs.destination as Record<string, unknown> | undefined;
    return dest?.endpointUrl === undefined ? inputs : { ...inputs, destination: { ...dest, endpointUrl: ciphertext(dest.endpointUrl) } };
  };
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-12-01T00:00:00Z" },
      resources: [
        { urn: STACK_URN, custom: false, type: "pulumi:pulumi:Stack", outputs },
        { urn: "urn:pulumi:dev::aml-event-workflows::pulumi:providers:azure-native::default", custom: true, id: "p1", type: "pulumi:providers:azure-native", inputs: {} },
        ...raw.map((r) => ({ urn: r.urn, custom: r.custom, ...(r.id ? { id: r.id } : {}), type: r.type, parent: r.parent ?? STACK_URN, inputs: secretUrl(r.inputs), outputs: secretUrl(r.state), dependencies: r.dependencies })),
      ],
    },
  };
}

/** The same resources as `pulumi preview --json` steps of a first preview: no ids, Azure-computed outputs unknown. */
function previewJson(raw: readonly MockedResource[]): unknown {
  return {
    steps: [
      { op: "create", urn: STACK_URN, newState: { urn: STACK_URN, type: "pulumi:pulumi:Stack", custom: false } },
      ...raw.map((r) => ({ op: "create", urn: r.urn, newState: { urn: r.urn, type: r.type, custom: r.custom, id: "", parent: r.parent, inputs: r.inputs, outputs: { ...r.inputs, principalId: UNKNOWN }, dependencies: r.dependencies } })),
    ],
    changeSummary: { create: raw.length + 1 },
  };
}

describe("plan of engine output (stack export, preview JSON)", function () {
  this.timeout(120_000);
  let fromProgram: Plan;
  before(async () => {
    fromProgram = await createPlan({ program: path.join(root, "dist", "examples", "platform") });
  });
  // The plan ran the platform on its own mocks; the other test files share the setup's engine.
  after(() => mockEngine.reinstall());

  it("a stack export with secret webhook URLs gives the platform's plan: subscriptions, routing, loop and verdict", async () => {
    const doc = stackExport(fromProgram.raw, fromProgram.outputs);
    const plan = await createPlanFromEngineOutput(doc);
    assert.ok(fromProgram.loop && fromProgram.loop.length === 1, "the platform's plan has its loop");
    assert.deepStrictEqual(gist(plan), gist(fromProgram));
    assert.ok(plan.subscriptions.some((s) => s.target.startsWith("Logic App ")), "a webhook subscription with a secret URL still finds its Logic App");
  });

  it("a preview (ids rebuilt from inputs, unknown values dropped) gives the same plan", async () => {
    const plan = await createPlanFromEngineOutput(previewJson(fromProgram.raw));
    assert.deepStrictEqual(gist(plan), gist(fromProgram));
    const run = runFromEngineOutput(previewJson(fromProgram.raw));
    assert.strictEqual(run.kind, "preview");
    assert.ok(run.resources.every((r) => r.state.principalId !== UNKNOWN), "unknown outputs are left out");
    // An unknown list element (printed as null by a preview) stays unknown for the policies, not null.
    const scoped = runFromEngineOutput({ steps: [{ op: "create", newState: { urn: "urn:pulumi:dev::p::azure-native:authorization:RoleDefinition::r", type: "azure-native:authorization:RoleDefinition", custom: true, inputs: { assignableScopes: [null], roleName: UNKNOWN } } }] });
    assert.deepStrictEqual(scoped.resources[0].inputs, { assignableScopes: [UNKNOWN], roleName: UNKNOWN });
    assert.ok(run.resources.filter((r) => r.custom).every((r) => r.id?.startsWith("/subscriptions/")), "every custom resource has an ARM id");
  });

  it("a first preview's workflow parameters computed from ids Azure assigns (printed as one unknown) plan with each parameter unknown, not a crash", async () => {
    const doc = previewJson(fromProgram.raw) as { steps: { newState: { type: string; inputs?: Record<string, unknown> } }[] };
    const workflows = doc.steps.filter((s) => s.newState.type === "azure-native:logic:Workflow" && s.newState.inputs?.parameters !== undefined);
    assert.ok(workflows.length > 0, "the platform has workflows with parameters");
    for (const w of workflows) (w.newState.inputs as Record<string, unknown>).parameters = UNKNOWN;
    const plan = await createPlanFromEngineOutput(doc);
    assert.deepStrictEqual(gist(plan).subscriptions, gist(fromProgram).subscriptions);
    assert.strictEqual(plan.routing.length, fromProgram.routing.length, "every sample event is still routed");
  });

  it("stack outputs keep secrets redacted; plaintext secrets (--show-secrets) are read", () => {
    const doc = { deployment: { resources: [{ urn: STACK_URN, type: "pulumi:pulumi:Stack", custom: false, outputs: { key: ciphertext("k"), url: "u" } }, { urn: "urn:pulumi:dev::p::azure-native:logic:Workflow::wf", type: "azure-native:logic:Workflow", custom: true, id: "/x", inputs: { workflowName: { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify("la-1") } } }] } };
    const run = runFromEngineOutput(doc);
    assert.deepStrictEqual(run.outputs, { key: "[secret]", url: "u" });
    assert.deepStrictEqual(run.resources.map((r) => [r.name, r.inputs.workflowName, r.secretPaths]), [["wf", "la-1", ["workflowName"]]]);
  });

  it("refuses anything else with the two forms it reads, and the CLI exits 2 naming the file", () => {
    for (const bad of [null, [], { resources: [] }, { deployment: {} }, "text"]) assert.match(engineOutputProblem(bad) ?? "", /neither `pulumi stack export` .* nor `pulumi preview --json`/);
    assert.strictEqual(engineOutputProblem({ steps: [] }), undefined);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-output-"));
    const file = path.join(dir, "bad.json");
    fs.writeFileSync(file, JSON.stringify({ resources: [] }));
    const run = spawnSync(process.execPath, [path.join(root, "dist", "lib", "cli", "index.js"), "plan", "--engine-output", file, "--out", dir], { encoding: "utf8", timeout: 60_000 });
    assert.strictEqual(run.status, 2, run.stderr);
    assert.match(run.stderr, /--engine-output ".*bad\.json": the engine output is neither/);
    const both = spawnSync(process.execPath, [path.join(root, "dist", "lib", "cli", "index.js"), "plan", "--engine-output", file, "--program", "x"], { encoding: "utf8", timeout: 60_000 });
    assert.strictEqual(both.status, 2);
    assert.match(both.stderr, /drop --program and --config/);
  });
});
