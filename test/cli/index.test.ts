import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SUBCOMMANDS } from "../../lib/cli";
import { defaultProgram, resolveProgram } from "../../lib/plan/cli";

const root = path.resolve(__dirname, "..", "..", "..");
const bin = path.join(root, "dist", "lib", "cli", "index.js");

function amlEvents(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
}

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe("aml-events (the package's bin)", function () {
  this.timeout(180_000);

  it("dispatches to every registered subcommand, each with its own help", () => {
    const help = amlEvents(["--help"], root);
    assert.strictEqual(help.status, 0, help.stderr);
    const names = SUBCOMMANDS.map((build) => build().name());
    assert.ok(names.includes("plan"));
    for (const name of names) {
      assert.match(help.stdout, new RegExp(`^  ${name} `, "m"));
      const sub = amlEvents([name, "--help"], root);
      assert.strictEqual(sub.status, 0, sub.stderr);
      assert.match(sub.stdout, new RegExp(`^Usage: aml-events ${name} `, "m"));
    }
  });

  it("prints the package version", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    assert.strictEqual(amlEvents(["--version"], root).stdout.trim(), manifest.version);
  });

  it("rejects an unknown subcommand or option with exit 1 and says which", () => {
    const unknown = amlEvents(["plna"], root);
    assert.strictEqual(unknown.status, 1);
    assert.match(unknown.stderr, /unknown command 'plna'/);
    const option = amlEvents(["plan", "--progam", "x"], root);
    assert.strictEqual(option.status, 1);
    assert.match(option.stderr, /unknown option '--progam'/);
  });

  it("`plan` with no options plans the program Pulumi.yaml names in the working directory and writes ./out there", () => {
    const cwd = tmp("aml-events-cwd-");
    fs.mkdirSync(path.join(cwd, "build"));
    fs.writeFileSync(
      path.join(cwd, "build", "index.js"),
      `const { AmlEventType, WorkspaceEvents, WebhookDestination, SAMPLE_WORKSPACE_ID } = require(${JSON.stringify(path.join(root, "dist", "lib"))});\n` +
        `const ev = new WorkspaceEvents("mine", { workspaceId: SAMPLE_WORKSPACE_ID, resourceGroupName: "rg", location: "westeurope" });\n` +
        `ev.subscribe("hook", { destination: new WebhookDestination({ endpointUrl: "https://hooks.contoso.com/aml" }), filter: { includedEventTypes: [AmlEventType.RunCompleted] } });\n`,
    );
    fs.writeFileSync(path.join(cwd, "Pulumi.yaml"), "name: mine\nruntime: nodejs\nmain: build/  # compiled by tsc\n");
    const run = amlEvents(["plan"], cwd);
    assert.strictEqual(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const plan = JSON.parse(fs.readFileSync(path.join(cwd, "out", "plan.json"), "utf8")) as { resources: { type: string; name: string }[] };
    assert.deepStrictEqual(
      plan.resources.filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription").map((r) => r.name),
      ["mine-hook"],
    );
  });

  it("`plan` in a folder without a compiled program says what to do, with no stack trace", () => {
    const cwd = tmp("aml-events-empty-");
    const run = amlEvents(["plan"], cwd);
    assert.strictEqual(run.status, 1);
    assert.match(run.stderr, /^aml-events: --program ".*aml-events-empty-[^"]*": no compiled program there \(expected a \.js file, or a folder with index\.js or a package\.json "main"\)\. Compile your program first/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

describe("plan defaults (pure)", () => {
  it("takes main from Pulumi.yaml (quoted or not, comments ignored), else the folder itself", () => {
    const cwd = tmp("aml-events-defaults-");
    assert.strictEqual(defaultProgram(cwd), cwd);
    fs.writeFileSync(path.join(cwd, "Pulumi.yaml"), "name: x\nruntime: nodejs\n");
    assert.strictEqual(defaultProgram(cwd), cwd);
    fs.writeFileSync(path.join(cwd, "Pulumi.yaml"), "name: x\nruntime:\n  name: nodejs\nmain: \"dist/app/\" # compiled\n");
    assert.strictEqual(defaultProgram(cwd), path.join(cwd, "dist", "app"));
    fs.writeFileSync(path.join(cwd, "Pulumi.yaml"), "name: x\nmain: bin/index.js\n");
    assert.strictEqual(defaultProgram(cwd), path.join(cwd, "bin", "index.js"));
  });

  it("the repository's own Pulumi.yaml makes `npm start` plan examples/platform", () => {
    assert.strictEqual(defaultProgram(root), path.join(root, "dist", "examples", "platform", "index.js"));
    assert.strictEqual(resolveProgram(defaultProgram(root)), path.join(root, "dist", "examples", "platform", "index.js"));
  });

  it("a missing program is a usage error naming the path", () => {
    assert.throws(() => resolveProgram("/nowhere/app"), (err: Error) => err.name === "UsageError" && err.message.startsWith('--program "/nowhere/app": no compiled program there'));
  });
});
