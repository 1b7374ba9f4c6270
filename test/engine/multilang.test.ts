/**
 * The multi-language surface, with the real Pulumi CLI: the source-based component package in plugin/
 * (schema from Pulumi's component analyzer, compared with a snapshot), the upgrade of a stack created
 * with EventHubStream's old token, and YAML programs using `aml-events:index:EventHubStream`.
 */
import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { POLICY_FLAGS, PulumiEnv, README_POLICY_FLAGS, REPO, usePulumiEnv } from "./cli";
import { platformPreview } from "./fixtures";
import { packageVersion } from "./providers/urn";
import { cacheRoot, declared, policyVerdict, PreviewJson, pulumiPython, sdkgen, skipWithout, yamlHost } from "./toolchain";

const PLUGIN = path.join(REPO, "plugin");
const SNAPSHOT = path.join(REPO, "test", "engine", "schemas", "aml-events.json");

interface SchemaProperty { description?: string; $ref?: string; type?: string }
interface PackageSchema {
  name: string;
  resources: Record<string, { isComponent?: boolean; inputProperties: Record<string, SchemaProperty>; properties: Record<string, SchemaProperty> }>;
  types: Record<string, { properties?: Record<string, SchemaProperty>; enum?: { value: string | number }[] }>;
  dependencies?: unknown[];
}
function stateUrns(exported: string): string[] {
  return (JSON.parse(exported) as { deployment: { resources?: { urn: string }[] } }).deployment.resources?.map((r) => r.urn) ?? [];
}

describe("multi-language component package (real Pulumi CLI)", function () {
  this.timeout(240_000);
  let env: PulumiEnv;
  usePulumiEnv((e) => {
    env = e;
  });

  it("pulumi package get-schema plugin: the eight components under aml-events:index, plain-data args with enums, descriptions from doc comments, equal to the snapshot", async () => {
    const r = { stdout: await pluginSchema() };
    const schema = JSON.parse(r.stdout) as PackageSchema;
    assert.strictEqual(schema.name, "aml-events");
    assert.deepStrictEqual(Object.keys(schema.resources).sort(), ["DriftRetrainTrigger", "EmailAlerts", "EventHubStream", "MlEventWorkflows", "ModelDeployer", "ModelMonitor", "Observability", "WorkspaceEvents"].map((c) => `aml-events:index:${c}`));
    for (const resource of Object.values(schema.resources)) assert.strictEqual(resource.isComponent, true);
    const stream = schema.resources["aml-events:index:EventHubStream"];
    assert.strictEqual(stream.inputProperties.workspace.$ref, "#/types/aml-events:index:WorkspaceSource");
    assert.match(stream.inputProperties.existingEventHubId.description ?? "", /ARM id of an existing event hub/);
    assert.match(schema.types["aml-events:index:WorkspaceSource"].properties?.workspaceId.description ?? "", /ARM id of the Azure Machine Learning workspace/);
    assert.deepStrictEqual(Object.keys(stream.properties).sort(), ["eventHubId", "namespaceId", "subscriptionName"]);
    // The unions became plain data: enums for the literal unions, one object per former union.
    const composite = schema.resources["aml-events:index:MlEventWorkflows"];
    assert.strictEqual(composite.inputProperties.deadLetter.$ref, "#/types/aml-events:index:DeadLetterSettings");
    assert.strictEqual(composite.inputProperties.streaming.$ref, "#/types/aml-events:index:StreamingOptions");
    assert.deepStrictEqual(schema.types["aml-events:index:DeadLetterMode"].enum?.map((e) => e.value), ["create", "default", "none"]);
    assert.deepStrictEqual(schema.types["aml-events:index:EmailTransportKind"].enum?.map((e) => e.value), ["communicationServices", "existingCommunicationServices", "office365"]);
    assert.strictEqual(schema.types["aml-events:index:EmailAlertRule"].properties?.eventType.$ref, "#/types/aml-events:index:AmlEventType");
    assert.match(schema.types["aml-events:index:ExistingRetrainPipeline"].properties?.factoryId.description ?? "", /ARM id of the Data Factory/);
    // No TypeScript-only type leaked: nothing untyped, no doc link printed as an object, no resource output.
    assert.doesNotMatch(r.stdout, /pulumi\.json#\/Any/);
    assert.doesNotMatch(r.stdout, /\[object Object\]/);
    assert.deepStrictEqual(Object.keys(schema.resources["aml-events:index:WorkspaceEvents"].properties).sort(), ["deadLetterContainerId", "location", "resourceGroupName", "systemTopicId", "systemTopicName", "topicPrincipalId", "workspaceId"]);
    assert.strictEqual(schema.dependencies, undefined, "no resource outputs, so no SDK depends on azure-native's schema");
    // ModelMonitor takes plain data: a signal is one object with a kind enum; Observability's watched topic is named.
    const monitor = schema.resources["aml-events:index:ModelMonitor"];
    assert.deepStrictEqual(Object.keys(monitor.properties).sort(), ["monitorName", "scheduleId", "signalIds", "signalNames"]);
    assert.deepStrictEqual(schema.types["aml-events:index:MonitorSignalKind"].enum?.map((e) => e.value), ["dataDrift", "predictionDrift", "dataQuality"]);
    assert.strictEqual(schema.resources["aml-events:index:Observability"].inputProperties.systemTopic.$ref, "#/types/aml-events:index:WatchedSystemTopic");
    if (process.env.AML_EVENTS_UPDATE_SNAPSHOTS) fs.writeFileSync(SNAPSHOT, `${JSON.stringify(schema, null, 2)}\n`);
    assert.deepStrictEqual(schema, JSON.parse(fs.readFileSync(SNAPSHOT, "utf8")), "schema changed: review, then refresh with AML_EVENTS_UPDATE_SNAPSHOTS=1");
  });

  it("a stack created with the old token aml-events:streaming:EventHubStream upgrades without replacements (and would not without the alias)", async () => {
    const dir = await env.project("stream-upgrade", "test/engine/programs/stream-upgrade");
    await env.ok(["config", "set", "phase", "legacy"], dir);
    await env.ok(["up", "--yes", "--skip-preview"], dir);
    const before = stateUrns((await env.ok(["stack", "export"], dir)).stdout);
    const legacy = before.filter((u) => u.includes("aml-events:streaming:EventHubStream"));
    assert.ok(legacy.length >= 4, `the legacy stream and its children (namespace, suffix, hub) are in state:\n${legacy.join("\n")}`);

    // The control: the same change of token without the alias replaces the stream and every child.
    await env.ok(["config", "set", "phase", "unaliased"], dir);
    const control = JSON.parse((await env.ok(["preview", "--json"], dir)).stdout) as PreviewJson;
    assert.ok(control.changeSummary.create >= 4 && control.changeSummary.delete >= 4, `without the alias: ${JSON.stringify(control.changeSummary)}`);

    await env.ok(["config", "set", "phase", "current"], dir);
    const preview = JSON.parse((await env.ok(["preview", "--json", "--show-sames"], dir)).stdout) as PreviewJson;
    const changed = preview.steps.filter((s) => s.op !== "same");
    assert.deepStrictEqual(changed, [], "the alias carries every resource over: no create, delete, replace or update");
    assert.ok(preview.steps.some((s) => s.urn.endsWith("aml-events:index:EventHubStream::stream")), `the preview sees the new token:\n${preview.steps.map((s) => s.urn).join("\n")}`);
    assert.deepStrictEqual(Object.keys(preview.changeSummary), ["same"]);

    await env.ok(["up", "--yes", "--skip-preview"], dir);
    const after = stateUrns((await env.ok(["stack", "export"], dir)).stdout);
    assert.deepStrictEqual(after.filter((u) => u.includes("aml-events:streaming:")), [], "no old token left in state");
    assert.strictEqual(after.length, before.length, "same number of resources before and after the upgrade");
  });

  it("ModelMonitor: a stack holding the old token aml-events:retraining:ModelMonitor upgrades with no change; the package's plain-data twin declares the same", async () => {
    const dir = await env.project("monitor-upgrade", "test/engine/programs/monitor-upgrade");
    await env.ok(["config", "set", "phase", "legacy"], dir);
    await env.ok(["up", "--yes", "--skip-preview"], dir);
    assert.ok(stateUrns((await env.ok(["stack", "export"], dir)).stdout).some((u) => u.includes("aml-events:retraining:ModelMonitor::monitor")));
    for (const phase of ["current", "plain"]) {
      await env.ok(["config", "set", "phase", phase], dir);
      const preview = JSON.parse((await env.ok(["preview", "--json", "--show-sames"], dir)).stdout) as PreviewJson;
      assert.deepStrictEqual(preview.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn}`), [], `${phase}: the alias carries the monitor and its Schedule over unchanged`);
      assert.ok(preview.steps.some((s) => s.urn.endsWith("aml-events:index:ModelMonitor::monitor")), `${phase}: the preview sees the new token`);
      if (phase === "current") await env.ok(["up", "--yes", "--skip-preview"], dir);
    }
  });

  it("examples/yaml, the platform in Pulumi YAML, previews with the policy pack: the same resources and verdict as examples/platform", async function () {
    const host = yamlHost();
    if (host === undefined) {
      console.log("\n  NOTICE Pulumi's YAML language host is not built; run `bash scripts/pulumi-yaml.sh` (about 4 minutes, cached by version); skipping.");
      this.skip();
    }
    fs.symlinkSync(host, path.join(env.hostBin, "pulumi-language-yaml"));
    const dir = path.join(env.root, "yaml");
    fs.mkdirSync(dir);
    const yaml = fs.readFileSync(path.join(REPO, "examples", "yaml", "Pulumi.yaml"), "utf8");
    assert.match(yaml, /aml-events: \.\.\/\.\.\/plugin/);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml.replaceAll("../../plugin", PLUGIN));
    await env.ok(["stack", "init", "dev"], dir);
    const fromYaml = JSON.parse((await env.ok(["preview", "--json", ...POLICY_FLAGS()], dir)).stdout) as PreviewJson;
    const twin = await platformPreview(env);
    assert.strictEqual(twin.code, 0, `the platform's preview failed:\n${twin.stdout}\n${twin.stderr}`);
    const fromTs = JSON.parse(twin.stdout) as PreviewJson;
    const resources = declared(fromYaml);
    for (const t of ["aml-events:index:MlEventWorkflows::platform", "aml-events:index:EventHubStream::platform-stream", "azure-native:eventhub:EventHub::platform-stream-hub", "azure-native:eventgrid:SystemTopic::platform-topic"]) {
      assert.ok(resources.some((r) => r.startsWith(t)), `the YAML program declares ${t}:\n${resources.join("\n")}`);
    }
    assert.deepStrictEqual(resources, declared(fromTs));
    assert.deepStrictEqual(policyVerdict(fromYaml), policyVerdict(fromTs));
  });
  /** `pulumi package get-schema plugin` as it prints today (run once, shared by the tests below). */
  function pluginSchema(): Promise<string> {
    return env.once("plugin-schema", async () => (await env.ok(["package", "get-schema", PLUGIN], env.root)).stdout);
  }

  /** The package's schema as `pulumi package get-schema plugin` prints it today, in a file. */
  async function schemaFile(): Promise<string> {
    const file = path.join(env.root, "aml-events.schema.json");
    if (!fs.existsSync(file)) fs.writeFileSync(file, await pluginSchema());
    return file;
  }

  /**
   * The generated Python SDK, pip-installed offline as `pulumi package add` installs it (the SDK reads its
   * version from its metadata). Cached outside the repository by the schema's hash and the generator and
   * Python it was made with: a changed schema makes a new one, an unchanged one is not generated again.
   */
  async function pythonSdk(python: string, generator: string): Promise<string> {
    const schema = await schemaFile();
    const key = createHash("sha256").update(fs.readFileSync(schema)).update(`\0${generator}\0${python}`).digest("hex").slice(0, 16);
    const site = path.join(cacheRoot(), "sdk-python", key, "site-packages");
    if (fs.existsSync(site)) return site;
    const work = fs.mkdtempSync(path.join(env.root, "sdk-python-"));
    execFileSync(generator, ["-language", "python", "-schema", schema, "-out", path.join(work, "sdk")]);
    execFileSync(python, ["-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "--target", path.join(work, "site"), path.join(work, "sdk")], { stdio: "pipe" });
    fs.mkdirSync(path.dirname(site), { recursive: true });
    // A rename is atomic: a concurrent run sees no half-installed SDK (if it won the race, keep its copy).
    try {
      fs.renameSync(path.join(work, "site"), site);
    } catch (e) {
      if (!fs.existsSync(site)) throw e;
    }
    return site;
  }

  /** A copy of examples/python (its Pulumi.yaml pointing at plugin/) whose `__main__.py` is `main`, with a stack named `name`. */
  async function pythonProject(name: string, main: string): Promise<string> {
    const dir = path.join(env.root, name);
    fs.mkdirSync(dir);
    const project = fs.readFileSync(path.join(REPO, "examples", "python", "Pulumi.yaml"), "utf8");
    assert.match(project, /aml-events: \.\.\/\.\.\/plugin/);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), project.replaceAll("../../plugin", PLUGIN));
    fs.writeFileSync(path.join(dir, "__main__.py"), main);
    await env.ok(["stack", "init", name], dir);
    return dir;
  }

  /** `pulumi preview` of a Python project through Pulumi's Python SDK (test/engine/python/preview_inline.py), with the policy pack. */
  function previewPython(python: string, site: string, dir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const runner = path.join(REPO, "test", "engine", "python", "preview_inline.py");
    const flags = POLICY_FLAGS();
    return new Promise((resolve, reject) => {
      const child = spawn(python, [runner, dir, path.basename(dir), "--policy-pack", flags[1], "--policy-pack-config", flags[3]], { env: { ...env.env(dir), PYTHONPATH: site } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
      child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
  }

  it("examples/python, the platform in Python (the generated Python SDK, run by Pulumi's Python SDK), previews with the policy pack: the same resources and verdict as examples/platform", async function () {
    const python = skipWithout(this, pulumiPython(), "Pulumi's Python SDK environment", "pulumi-python.sh");
    const site = await pythonSdk(python, skipWithout(this, sdkgen(), "sdkgen", "pulumi-sdkgen.sh"));
    const dir = await pythonProject("python", fs.readFileSync(path.join(REPO, "examples", "python", "__main__.py"), "utf8"));
    // The on-call webhook subscription too: TypeScript adds it with events.subscribe, Python as plain data.
    const webhook = ["config", "set", "--secret", "platform:failureWebhookUrl", "https://hooks.contoso.com/aml/run-failed"];
    await env.ok(webhook, dir);
    const twin = await env.repoProject("python-twin");
    await env.ok(webhook, twin);
    // The two previews are independent (two stacks): they run at the same time.
    const [run, ts] = await Promise.all([previewPython(python, site, dir), env.ok(["preview", "--json", ...README_POLICY_FLAGS], twin)]);
    assert.strictEqual(run.status, 0, run.stderr);
    const fromPython = JSON.parse(run.stdout) as PreviewJson;
    const fromTs = JSON.parse(ts.stdout) as PreviewJson;
    const resources = declared(fromPython);
    for (const t of ["aml-events:index:MlEventWorkflows::platform", "aml-events:index:EmailAlerts::platform-email", "aml-events:index:DriftRetrainTrigger::platform-retrain", "aml-events:index:ModelDeployer::platform-deployer", "aml-events:index:EventHubStream::platform-stream", "azure-native:logic:Workflow::platform-email", "azure-native:eventgrid:SystemTopicEventSubscription::platform-run-failed-oncall"]) {
      assert.ok(resources.some((r) => r.startsWith(t)), `the Python platform declares ${t}:\n${resources.join("\n")}`);
    }
    assert.deepStrictEqual(resources, declared(fromTs));
    assert.deepStrictEqual(policyVerdict(fromPython), policyVerdict(fromTs));
  });

  it("a Python program with a bad argument fails the preview with the component's message: the argument, the value and the fix", async function () {
    const python = skipWithout(this, pulumiPython(), "Pulumi's Python SDK environment", "pulumi-python.sh");
    const site = await pythonSdk(python, skipWithout(this, sdkgen(), "sdkgen", "pulumi-sdkgen.sh"));
    const dir = await pythonProject("python-bad", [
      "import pulumi_aml_events as aml",
      "",
      "aml.EmailAlerts(",
      '    "alerts",',
      '    workspace=aml.WorkspaceSourceArgs(workspace_id="/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-demo", resource_group_name="rg-ml", location="westeurope"),',
      '    recipients=["ml-oncall@contoso.com"],',
      '    email=aml.EmailTransportArgs(kind=aml.EmailTransportKind.OFFICE365, host_name="acs-prod.europe.communication.azure.com"),',
      ")",
      "",
    ].join("\n"));
    const run = await previewPython(python, site, dir);
    assert.notStrictEqual(run.status, 0, "the preview fails");
    // The engine's diagnostics arrive JSON-escaped (once or twice, through the Automation API's error text).
    let text = `${run.stdout}\n${run.stderr}`;
    for (let i = 0; i < 3; i++) text = text.replace(/\\+"/g, '"').replace(/\\+n/g, "\n");
    assert.match(text, /EmailAlerts\("alerts"\):\nemail\.hostName is set but email\.kind is "office365"; hostName belongs to kind "existingCommunicationServices": drop it or change the kind\./);
  });

  it("the Go SDK generated from the schema compiles against Pulumi's Go SDK (offline, from the module cache)", async function () {
    const generator = skipWithout(this, sdkgen(), "sdkgen", "pulumi-sdkgen.sh");
    const out = path.join(env.root, "sdk-go");
    execFileSync(generator, ["-language", "go", "-schema", await schemaFile(), "-out", out]);
    const pkgDir = path.join(out, "amlevents");
    const source = fs.readFileSync(path.join(pkgDir, "eventHubStream.go"), "utf8");
    assert.match(source, /RegisterRemoteComponentResource\("aml-events:index:EventHubStream"/);
    const importPath = /"([^"]+)\/internal"/.exec(source)?.[1] ?? "";
    fs.writeFileSync(path.join(pkgDir, "go.mod"), `module ${importPath}\n\ngo 1.24\n\nrequire github.com/pulumi/pulumi/sdk/v3 v${packageVersion("@pulumi/pulumi")}\n`);
    // Offline: every module comes from the cache scripts/pulumi-sdkgen.sh warmed.
    execFileSync("go", ["build", "./..."], { cwd: pkgDir, env: { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off", GOSUMDB: "off" }, stdio: "pipe" });
    execFileSync("go", ["vet", "./..."], { cwd: pkgDir, env: { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off", GOSUMDB: "off" }, stdio: "pipe" });
  });
});
