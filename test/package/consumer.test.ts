/**
 * The library as a separate stack installs it: `npm pack`, a fresh project in a temporary folder with
 * its own `@pulumi/pulumi` and `@pulumi/azure-native`, the tarball installed next to them, the
 * composed program (examples/focused/composed-stack, a resource group, an existing Event Hub and a
 * subscription of its own) compiled against the installed typings and planned by the installed
 * `aml-events` bin. Two legs: the oldest versions our peer ranges admit, and the recent SDK of the
 * new-user trial. Runs in CI always; elsewhere only when the npm cache can serve the installs offline.
 */
import * as assert from "assert";
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { caretFloor, PackageManifest } from "./manifest";

const root = path.resolve(__dirname, "..", "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageManifest & { name: string; version: string };
const CI = process.env.CI === "true";
/** The `@pulumi/pulumi` of the new-user trial in issue 14 (its engines ask for Node 22; npm only warns on Node 20). */
export const RECENT_PULUMI = "3.276.0";
const EXAMPLE = path.join(root, "examples", "focused", "composed-stack", "index.ts");

interface Leg {
  readonly name: string;
  readonly pulumi: string;
  readonly azureNative: string;
}

function floorOf(sdk: string): string {
  const floor = caretFloor(manifest.peerDependencies?.[sdk] ?? "");
  assert.ok(floor, `${sdk} has no ^x.y.z peer range`);
  return floor;
}

const LEGS: readonly Leg[] = [
  { name: "oldest supported", pulumi: floorOf("@pulumi/pulumi"), azureNative: floorOf("@pulumi/azure-native") },
  { name: "recent", pulumi: RECENT_PULUMI, azureNative: manifest.devDependencies?.["@pulumi/azure-native"] ?? "" },
];

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: "utf8", timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024 });
}

/** Like {@link run}, without blocking: the two legs' installs (mostly waiting on the disk) overlap. */
function runAsync(command: string, args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, timeout: 10 * 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", (e) => resolve({ status: null, stdout, stderr: `${stderr}\n${e.message}` }));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function output(r: SpawnSyncReturns<string>): string {
  return `${r.stdout}\n${r.stderr}`.slice(-6000);
}

/**
 * The plan as JSON, with the library's own install folder written as `<package>`: the deployer's
 * package path and its dynamic provider's code name files inside whichever copy was loaded.
 */
function readPlan(dir: string, packageRoot: string): unknown {
  const text = fs.readFileSync(path.join(dir, "plan.json"), "utf8");
  const plan = JSON.parse(text.split(fs.realpathSync(packageRoot)).join("<package>")) as { resources?: { type: string; name: string }[] };
  // Dynamic resources register once their provider's code is serialized, which is asynchronous: their place
  // in registration order differs between runs, so the resources are compared as a set (by type and name).
  plan.resources?.sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
  return plan;
}

/** Writes the consumer project: package.json, Pulumi.yaml (main: bin/), tsconfig.json and the program. */
function writeConsumer(dir: string, leg: Leg, tarball: string): void {
  const pkg = {
    name: "consumer-stack",
    version: "1.0.0",
    private: true,
    dependencies: { "@pulumi/pulumi": leg.pulumi, "@pulumi/azure-native": leg.azureNative, [manifest.name]: `file:${tarball}` },
  };
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: consumer-stack\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: bin/\n");
  const tsconfig = { compilerOptions: { target: "ES2022", module: "commonjs", moduleResolution: "node", strict: true, skipLibCheck: true, outDir: "bin", types: [] }, files: ["index.ts"] };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  fs.copyFileSync(EXAMPLE, path.join(dir, "index.ts"));
}

/** Starts a pack folder the way the Pulumi CLI's Node.js host does and asks it for its name over gRPC. */
async function analyzerName(policyDir: string): Promise<string> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [policyDir] });
  const child: ChildProcess = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: policyDir, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
      child.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on("exit", (code) => reject(new Error(`the installed pack exited with ${code}: ${err}`)));
    });
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const info = await new Promise<analyzerpb.AnalyzerInfo>((resolve, reject) => client.getAnalyzerInfo(new Empty(), (e, r) => (e ? reject(e) : resolve(r))));
    client.close();
    return info.getName();
  } finally {
    child.kill();
  }
}

describe("a separate stack installs the packed library (npm pack → npm install → aml-events plan)", function () {
  this.timeout(30 * 60_000);
  let work = "";
  let tarball = "";
  let inRepo: unknown;
  const installs = new Map<Leg, Promise<{ status: number | null; stdout: string; stderr: string }>>();

  before(function () {
    if (process.env.AML_EVENTS_INSIDE_NEWCOMER_TEST) this.skip(); // the fresh-clone test's inner `npm test`: once is enough
    work = fs.mkdtempSync(path.join(os.tmpdir(), "aml-events-consumer-"));
    const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], root);
    assert.strictEqual(pack.status, 0, output(pack));
    tarball = path.join(work, (JSON.parse(pack.stdout) as { filename: string }[])[0].filename);
    const reference = run(process.execPath, [path.join(root, "dist", "lib", "cli", "index.js"), "plan", "--program", path.join(root, "dist", "examples", "focused", "composed-stack"), "--out", path.join(work, "in-repo")], root);
    assert.strictEqual(reference.status, 0, output(reference));
    inRepo = readPlan(path.join(work, "in-repo"), root);
    // Both legs install at the same time; each leg's hook waits for its own.
    for (const leg of LEGS) {
      const dir = path.join(work, `consumer-${leg.pulumi}`);
      fs.mkdirSync(dir);
      writeConsumer(dir, leg, tarball);
      installs.set(leg, runAsync("npm", ["install", "--no-audit", "--no-fund", CI ? "--prefer-offline" : "--offline"], dir));
    }
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  for (const leg of LEGS) {
    describe(`${leg.name}: @pulumi/pulumi ${leg.pulumi}, @pulumi/azure-native ${leg.azureNative}`, () => {
      let dir = "";
      before(async function () {
        const pending = installs.get(leg);
        if (!work || pending === undefined) this.skip();
        dir = path.join(work, `consumer-${leg.pulumi}`);
        const install = await pending;
        if (install.status !== 0) {
          if (CI) assert.fail(`npm install failed:\n${`${install.stdout}\n${install.stderr}`.slice(-6000)}`);
          this.skip(); // offline, and the npm cache cannot serve these versions
        }
      });

      it("npm ls shows one copy of @pulumi/pulumi, the stack's own", () => {
        const ls = run("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], dir);
        assert.strictEqual(ls.status, 0, output(ls));
        const copies = ls.stdout.split("\n").filter((l) => l.trim() !== "");
        assert.deepStrictEqual(copies, [path.join(fs.realpathSync(dir), "node_modules", "@pulumi", "pulumi")]);
        const installed = JSON.parse(fs.readFileSync(path.join(copies[0], "package.json"), "utf8")) as { version: string };
        assert.strictEqual(installed.version, leg.pulumi);
      });

      it("the composed program compiles against the installed package by its name", () => {
        const tsc = run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "."], dir);
        assert.strictEqual(tsc.status, 0, output(tsc));
        assert.match(fs.readFileSync(path.join(dir, "bin", "index.js"), "utf8"), /require\("aml-event-workflows"\)/);
      });

      it("the installed `aml-events plan` plans it from Pulumi.yaml: same resources, policy verdict and routing as in-repo (ModelDeployer finds its packaged Function)", () => {
        const bin = path.join(dir, "node_modules", ".bin", "aml-events");
        const plan = run(bin, ["plan"], dir);
        assert.strictEqual(plan.status, 0, output(plan));
        assert.match(plan.stdout, /Policy pack aml-event-workflows: passed/);
        const consumer = readPlan(path.join(dir, "out"), path.join(dir, "node_modules", "aml-event-workflows")) as { resources: { type: string; name: string }[] };
        assert.ok(consumer.resources.some((r) => r.type === "azure-native:resources:ResourceGroup" && r.name === "rg-ml-events"));
        assert.ok(consumer.resources.some((r) => r.type === "aml-events:index:ModelDeployer"));
        assert.deepStrictEqual(consumer, inRepo);
      });

      it("the installed `aml-events plan` names a missing program and how to fix it", () => {
        const plan = run(path.join(dir, "node_modules", ".bin", "aml-events"), ["plan", "--program", "dist-missing"], dir);
        assert.strictEqual(plan.status, 1);
        assert.match(plan.stderr, /aml-events: --program "dist-missing": no compiled program there .* Compile your program first/);
      });

      it("node_modules/aml-event-workflows/policy starts as a policy pack without an install of its own", async () => {
        const policyDir = path.join(dir, "node_modules", "aml-event-workflows", "policy");
        assert.ok(!fs.existsSync(path.join(policyDir, "node_modules")));
        assert.strictEqual(await analyzerName(policyDir), "aml-event-workflows");
      });
    });
  }
});
