/**
 * Consumers of the release files only (`node scripts/release.mjs`), in clean folders outside the repository:
 * a TypeScript stack installs the npm tarball (`npm ci --offline` from the npm cache), a Python stack installs
 * the SDK wheel into its own virtual environment, and a YAML stack names the installed package's plugin/.
 * Each previews the platform (examples/platform, examples/python, examples/yaml) with the real Pulumi CLI, the
 * file backend, the offline providers and the installed policy pack; they declare the same resources and get
 * the same verdict, and the installed `aml-events plan --engine-output` gives the same plan for each preview.
 * The components run in Node.js whatever the program's language: the Python and YAML stacks reach them
 * through the TypeScript consumer's install of the tarball (what `pulumi package add` would point at).
 */
import * as assert from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiEnv, REPO, requireCli } from "../engine/cli";
import { packageVersion } from "../engine/providers/urn";
import { declared, policyVerdict, PreviewJson, pulumiPython, sdkgen, yamlHost } from "../engine/toolchain";
import { consumerLock, Lockfile, PackedManifest } from "./consumerLock";

const SNAPSHOT = path.join(REPO, "test", "engine", "schemas", "aml-events.json");
const GO_IMPORT_PATH = (JSON.parse(fs.readFileSync(path.join(REPO, "plugin", "sdk-languages.json"), "utf8")) as { go: { importBasePath: string } }).go.importBasePath;
/** The SDKs the TypeScript consumer installs next to the tarball: the versions this repository locks. */
const SDKS = ["@pulumi/pulumi", "@pulumi/azure-native", "@pulumi/random"];

interface Release { dir: string; version: string; files: Record<string, string> }
interface Consumers { work: string; release: Release; env: PulumiEnv; modules: string; python: string; previews: Record<string, PreviewJson> }

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(cmd, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

/** Runs a process to its end; resolves with its output, rejects with it when the exit code is not 0. */
function runAsync(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}\n${out.slice(-4000)}\n${err.slice(-4000)}`))));
  });
}

function release(out: string): Release {
  sh(process.execPath, [path.join(REPO, "scripts", "release.mjs"), "--skip-build", "--out", out], REPO);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "release.json"), "utf8")) as Omit<Release, "dir">;
  return { dir: out, ...manifest };
}

/** The TypeScript consumer's folder: package.json and a lockfile naming the tarball, installed offline. */
function installTarball(dir: string, rel: Release): string {
  fs.mkdirSync(dir, { recursive: true });
  const tarball = path.join(rel.dir, `aml-event-workflows-${rel.version}.tgz`);
  const packed = JSON.parse(sh("tar", ["xzOf", tarball, "package/package.json"], dir)) as PackedManifest;
  const repoLock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8")) as Lockfile;
  const integrity = `sha512-${createHash("sha512").update(fs.readFileSync(tarball)).digest("base64")}`;
  const sdks = Object.fromEntries(SDKS.map((s) => [s, packageVersion(s)]));
  const { dependencies, lock } = consumerLock(repoLock, sdks, packed, { path: path.relative(dir, tarball), integrity });
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "consumer", version: "1.0.0", private: true, dependencies }, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  sh("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], dir);
  return path.join(dir, "node_modules");
}

/** A virtual environment of its own that sees the cached Pulumi Python SDK (a .pth file), with the wheel pip-installed into it. */
function installWheel(venv: string, rel: Release, basePython: string): string {
  fs.mkdirSync(path.dirname(venv), { recursive: true });
  sh(basePython, ["-m", "venv", "--without-pip", venv], path.dirname(venv));
  const python = path.join(venv, "bin", "python");
  const purelib = (py: string) => sh(py, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], venv).trim();
  fs.writeFileSync(path.join(purelib(python), "aml-events-pulumi-base.pth"), `${purelib(basePython)}\n`);
  const wheel = Object.keys(rel.files).find((f) => f.endsWith(".whl")) ?? "";
  sh(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index", path.join(rel.dir, wheel)], venv);
  return python;
}

/** A project folder `<root>/platform` (the same project name for all three), its Pulumi.yaml from `yaml`. */
function project(root: string, yaml: string, plugin: string): string {
  const dir = path.join(root, "platform");
  fs.mkdirSync(dir, { recursive: true });
  const text = yaml.replace(/^name: .*$/m, "name: platform").replaceAll("../../plugin", plugin);
  assert.match(text, /^name: platform$/m);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), text);
  return dir;
}

function typescriptProject(root: string): string {
  const dir = project(root, "name: x\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: bin/\n", "");
  fs.copyFileSync(path.join(REPO, "examples", "platform", "index.ts"), path.join(dir, "index.ts"));
  const tsconfig = { compilerOptions: { target: "ES2022", module: "commonjs", moduleResolution: "node", strict: true, skipLibCheck: true, outDir: "bin", types: [] }, files: ["index.ts"] };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  sh(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "."], dir);
  return dir;
}

/** The three previews, concurrently: TypeScript and YAML through the CLI, Python through its Automation API. */
async function previews(c: Omit<Consumers, "previews">): Promise<Record<string, PreviewJson>> {
  const pack = path.join(c.modules, "aml-event-workflows", "policy");
  const flags = ["--policy-pack", pack, "--policy-pack-config", path.join(pack, "policy-config.json")];
  const plugin = path.join(c.modules, "aml-event-workflows", "plugin");
  const ts = typescriptProject(path.join(c.work, "typescript"));
  const yaml = project(path.join(c.work, "yaml"), fs.readFileSync(path.join(REPO, "examples", "yaml", "Pulumi.yaml"), "utf8"), plugin);
  const py = project(path.join(c.work, "python"), fs.readFileSync(path.join(REPO, "examples", "python", "Pulumi.yaml"), "utf8"), plugin);
  fs.copyFileSync(path.join(REPO, "examples", "python", "__main__.py"), path.join(py, "__main__.py"));
  for (const [dir, stack] of [[ts, "typescript"], [yaml, "yaml"]]) await c.env.ok(["stack", "init", stack], dir);
  const runner = path.join(REPO, "test", "engine", "python", "preview_inline.py");
  const [fromTs, fromYaml, fromPython] = await Promise.all([
    c.env.ok(["preview", "--json", ...flags], ts).then((r) => r.stdout),
    c.env.ok(["preview", "--json", ...flags], yaml).then((r) => r.stdout),
    runAsync(c.python, [runner, py, "python", ...flags], py, c.env.env()),
  ]);
  return { typescript: JSON.parse(fromTs) as PreviewJson, yaml: JSON.parse(fromYaml) as PreviewJson, python: JSON.parse(fromPython) as PreviewJson };
}

/**
 * `value` with every list sorted by its elements' canonical JSON: the engine registers a component's children in
 * an order that differs between language hosts, and the plan lists resources and grants in that order.
 */
function unordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unordered).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unordered(v)]));
}

/** plan.json of the installed `aml-events plan --engine-output`, without what depends on the stack's name and the clock. */
function plan(c: Consumers, language: string): Record<string, unknown> {
  const input = path.join(c.work, `${language}.preview.json`);
  fs.writeFileSync(input, JSON.stringify(c.previews[language]));
  const out = path.join(c.work, `${language}-plan`);
  sh(path.join(c.modules, ".bin", "aml-events"), ["plan", "--engine-output", input, "--out", out], c.work);
  const text = fs.readFileSync(path.join(out, "plan.json"), "utf8").replaceAll(`urn:pulumi:${language}::`, "urn:pulumi:<stack>::");
  const json = JSON.parse(text) as Record<string, unknown>;
  delete json.now;
  delete json.outputs;
  return unordered(json) as Record<string, unknown>;
}

describe("consumers of the release files (npm tarball, Python wheel, YAML) preview the platform alike", function () {
  this.timeout(15 * 60_000);
  let c: Consumers | undefined;
  let started = 0;
  let work = "";
  let env: PulumiEnv | undefined;

  before(async function () {
    started = Date.now();
    const cli = requireCli(this);
    const host = yamlHost();
    const basePython = pulumiPython();
    if (host === undefined || basePython === undefined || sdkgen() === undefined) {
      const message = "release consumers: the YAML host, the Python environment and sdkgen are needed (bash scripts/pulumi-yaml.sh, pulumi-python.sh, pulumi-sdkgen.sh)";
      if (process.env.CI) throw new Error(message);
      console.log(`\n  NOTICE ${message}; skipping.`);
      this.skip();
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "aml-events-release-"));
    env = new PulumiEnv(cli);
    fs.symlinkSync(host, path.join(env.hostBin, "pulumi-language-yaml"));
    const rel = release(path.join(work, "release"));
    const modules = installTarball(path.join(work, "typescript"), rel);
    await env.installProviders();
    const partial = { work, release: rel, env: env as PulumiEnv, modules, python: installWheel(path.join(work, "python", "venv"), rel, basePython) };
    c = { ...partial, previews: await previews(partial) };
  });

  after(() => {
    if (c) console.log(`\n  release consumers: ${((Date.now() - started) / 1000).toFixed(0)} s for release, installs and three previews`);
    env?.dispose();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("the release folder lists every file with its sha256; the schema is `pulumi package get-schema plugin`'s (the snapshot) with the Go import path", () => {
    const rel = (c as Consumers).release;
    for (const [file, sum] of Object.entries(rel.files)) assert.strictEqual(createHash("sha256").update(fs.readFileSync(path.join(rel.dir, file))).digest("hex"), sum, file);
    assert.ok(rel.files[`aml-event-workflows-${rel.version}.tgz`] && rel.files[`pulumi_aml_events-${rel.version}-py3-none-any.whl`] && rel.files["go/amlevents/go.mod"]);
    const schema = JSON.parse(fs.readFileSync(path.join(rel.dir, `aml-events-${rel.version}.schema.json`), "utf8")) as { language: { go: Record<string, unknown> } };
    assert.strictEqual(schema.language.go.importBasePath, GO_IMPORT_PATH);
    delete schema.language.go.importBasePath;
    assert.deepStrictEqual(schema, JSON.parse(fs.readFileSync(SNAPSHOT, "utf8")));
    assert.match(fs.readFileSync(path.join(rel.dir, "go", "amlevents", "go.mod"), "utf8"), new RegExp(`^module ${GO_IMPORT_PATH}$`, "m"));
  });

  it("a second release of the same checkout is byte for byte the same", () => {
    const again = release(path.join((c as Consumers).work, "release-again"));
    assert.deepStrictEqual(again.files, (c as Consumers).release.files);
  });

  it("the npm tarball installed offline holds the plugin (PulumiPlugin.yaml, index.ts and the lib sources), one @pulumi/pulumi", () => {
    const pkg = path.join((c as Consumers).modules, "aml-event-workflows");
    for (const f of ["plugin/PulumiPlugin.yaml", "plugin/package.json", "plugin/index.ts", "plugin/tsconfig.json", "dist/plugin/index.js", "lib/index.ts", "policy/policy-config.json"]) assert.ok(fs.existsSync(path.join(pkg, f)), f);
    assert.ok(!fs.existsSync(path.join(pkg, "node_modules", "@pulumi", "pulumi")), "the consumer's @pulumi/pulumi is the only copy");
  });

  it("the Python SDK comes from the wheel installed in the consumer's own environment", () => {
    const where = sh((c as Consumers).python, ["-c", "import pulumi_aml_events, sys; print(pulumi_aml_events.__file__); print(sys.prefix)"], (c as Consumers).work).trim().split("\n");
    assert.ok(where[0].startsWith(where[1]), `pulumi_aml_events is installed in the consumer's venv: ${where.join(" ")}`);
  });

  it("TypeScript, Python and YAML declare the same resources and get the same policy verdict (the platform passes: no policy message)", () => {
    const { typescript, python, yaml } = (c as Consumers).previews;
    const resources = declared(typescript);
    for (const t of ["aml-events:index:MlEventWorkflows::platform", "aml-events:index:EmailAlerts::platform-email", "aml-events:index:EventHubStream::platform-stream", "azure-native:eventgrid:SystemTopic::platform-topic"]) {
      assert.ok(resources.some((r) => r.startsWith(t)), `the platform declares ${t}:\n${resources.join("\n")}`);
    }
    assert.deepStrictEqual(declared(python), resources);
    assert.deepStrictEqual(declared(yaml), resources);
    assert.deepStrictEqual(policyVerdict(python), policyVerdict(typescript));
    assert.deepStrictEqual(policyVerdict(yaml), policyVerdict(typescript));
  });

  it("the installed `aml-events plan --engine-output` gives each preview the same plan: subscriptions, routing, loop, readiness, permissions, verdict", () => {
    const fromTs = plan(c as Consumers, "typescript");
    assert.ok(Array.isArray(fromTs.subscriptions) && fromTs.subscriptions.length >= 5, "the platform's subscriptions are planned");
    assert.ok(Array.isArray(fromTs.routing) && fromTs.routing.length > 0, "the sample events are routed");
    assert.deepStrictEqual(plan(c as Consumers, "python"), fromTs);
    assert.deepStrictEqual(plan(c as Consumers, "yaml"), fromTs);
  });

  it("the release script refuses an unknown argument, naming it and the ones it takes", () => {
    assert.throws(() => sh(process.execPath, [path.join(REPO, "scripts", "release.mjs"), "--skip-bulid"], REPO), /unknown argument "--skip-bulid"; use --skip-build and --out <dir>/);
  });
});
