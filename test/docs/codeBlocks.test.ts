/**
 * Every code block of the README and the guides under docs/ is checked: TypeScript compiled against the
 * package, Python byte-compiled, Go parsed, YAML parsed (a Pulumi YAML program's component properties
 * checked against the package schema), shell lines checked against the commands, scripts, npm scripts
 * and `aml-events` subcommands and options that exist. Every relative link resolves.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import { createRequire } from "module";
import * as path from "path";
import { Command } from "commander";
import { amlEventsCommand } from "../../lib/cli/index";
import { anchors, CodeBlock, codeBlocks, docFiles, readDoc, relativeLinks, ROOT } from "./markdown";

const all = (): CodeBlock[] => docFiles().flatMap(codeBlocks);
const where = (b: CodeBlock): string => `${b.file}:${b.line}`;
/** Loads a module at run time (the built package; js-yaml, which has no types here). */
const load = createRequire(__filename);
const ofLang = (...langs: string[]): CodeBlock[] => all().filter((b) => langs.includes(b.lang));

/** Languages a block may declare, and the one each is checked as. */
const CHECKED_AS: Record<string, string> = { ts: "ts", typescript: "ts", python: "python", go: "go", yaml: "yaml", bash: "shell", sh: "shell", text: "text" };

describe("docs: code blocks", () => {
  it("every block names a language that is checked (text only for diagrams and sample output)", () => {
    const blocks = all();
    assert.ok(blocks.length >= 15, `found ${blocks.length} code blocks`);
    for (const b of blocks) assert.ok(CHECKED_AS[b.lang], `${where(b)}: code block language ${JSON.stringify(b.lang)} is not checked; use one of ${Object.keys(CHECKED_AS).join(", ")}`);
    for (const b of ofLang("text")) assert.doesNotMatch(b.code, /^\s*(npm|npx|pulumi|aml-events|node) /m, `${where(b)}: a command in a text block escapes the checks; mark it bash`);
  });

  it("TypeScript blocks compile against the built package", function () {
    this.timeout(120_000);
    const blocks = ofLang("ts", "typescript");
    assert.ok(blocks.length >= 4, `TypeScript blocks: ${blocks.length}`);
    const errors = compileTypeScript(blocks);
    assert.deepStrictEqual(errors, [], errors.join("\n"));
  });

  it("Python blocks byte-compile", function () {
    const blocks = ofLang("python");
    assert.ok(blocks.length >= 1);
    const python = spawnSync("python3", ["--version"]);
    if (python.status !== 0) this.skip();
    for (const b of blocks) {
      const run = spawnSync("python3", ["-c", "import sys; compile(sys.stdin.read(), sys.argv[1], 'exec')", where(b)], { input: b.code, encoding: "utf8" });
      assert.strictEqual(run.status, 0, `${where(b)}: ${run.stderr}`);
    }
  });

  it("Go blocks parse (gofmt)", function () {
    const blocks = ofLang("go");
    assert.ok(blocks.length >= 1);
    if (spawnSync("gofmt", ["-h"]).error) this.skip();
    for (const b of blocks) {
      const run = spawnSync("gofmt", ["-e"], { input: b.code, encoding: "utf8" });
      assert.strictEqual(run.status, 0, `${where(b)}: ${run.stderr}`);
      assert.strictEqual(run.stdout.trimEnd(), b.code.trimEnd(), `${where(b)}: not gofmt-formatted`);
    }
  });

  it("Go blocks compile against the Go SDK Pulumi's generator writes from the package schema (offline)", function () {
    this.timeout(600_000);
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> }).packages["node_modules/@pulumi/pulumi"].version;
    const generator = path.join(process.env.AML_EVENTS_CACHE ?? path.join(os.homedir(), ".cache", "aml-event-workflows"), "pulumi-sdkgen", `v${version}`, "bin", "sdkgen");
    if (!fs.existsSync(generator) || spawnSync("go", ["version"]).error) {
      console.log("\n  NOTICE sdkgen or go is missing; run `bash scripts/pulumi-sdkgen.sh`; skipping.");
      this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-go-"));
    // The schema as released: the snapshot with plugin/sdk-languages.json (the Go import path) merged in.
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "engine", "schemas", "aml-events.json"), "utf8")) as { language: Record<string, object> };
    const languages = JSON.parse(fs.readFileSync(path.join(ROOT, "plugin", "sdk-languages.json"), "utf8")) as Record<string, object>;
    for (const [language, settings] of Object.entries(languages)) schema.language[language] = { ...schema.language[language], ...settings };
    fs.writeFileSync(path.join(dir, "schema.json"), JSON.stringify(schema));
    spawnSync(generator, ["-language", "go", "-schema", path.join(dir, "schema.json"), "-out", path.join(dir, "sdk")], { stdio: "pipe" });
    const sdk = path.join(dir, "sdk", "amlevents");
    const importPath = /"([^"]+)\/internal"/.exec(fs.readFileSync(path.join(sdk, "eventHubStream.go"), "utf8"))?.[1] ?? "";
    fs.writeFileSync(path.join(sdk, "go.mod"), `module ${importPath}\n\ngo 1.24\n\nrequire github.com/pulumi/pulumi/sdk/v3 v${version}\n`);
    const env = { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off", GOSUMDB: "off" };
    ofLang("go").forEach((b, i) => {
      const app = path.join(dir, `app${i}`);
      fs.mkdirSync(app);
      fs.writeFileSync(path.join(app, "main.go"), b.code);
      fs.writeFileSync(path.join(app, "go.mod"), `module app\n\ngo 1.24\n\nrequire (\n\tgithub.com/pulumi/pulumi/sdk/v3 v${version}\n\t${importPath} v0.0.0\n)\n\nreplace ${importPath} => ${sdk}\n`);
      const build = spawnSync("go", ["build", "./..."], { cwd: app, env, encoding: "utf8", timeout: 500_000 });
      assert.strictEqual(build.status, 0, `${where(b)}: ${build.stderr}`);
    });
  });

  it("YAML blocks parse; Pulumi YAML programs use only component types and properties the package has", () => {
    const blocks = ofLang("yaml");
    assert.ok(blocks.length >= 1);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "engine", "schemas", "aml-events.json"), "utf8")) as { resources: Record<string, { inputProperties: Record<string, unknown> }> };
    for (const b of blocks) {
      let doc: unknown;
      assert.doesNotThrow(() => (doc = loadYaml(b.code)), `${where(b)} is not valid YAML`);
      const resources = (doc as { resources?: Record<string, { type?: string; properties?: Record<string, unknown> }> } | undefined)?.resources ?? {};
      for (const [name, r] of Object.entries(resources)) {
        if (!r.type?.startsWith("aml-events:")) continue;
        const component = schema.resources[r.type];
        assert.ok(component, `${where(b)}: ${name} has type ${r.type}, which the package does not have`);
        for (const key of Object.keys(r.properties ?? {})) assert.ok(key in component.inputProperties, `${where(b)}: ${r.type} has no property ${key}`);
      }
    }
  });

  it("shell lines run commands, scripts and options that exist", () => {
    const blocks = ofLang("bash", "sh");
    assert.ok(blocks.length >= 5);
    const problems = blocks.flatMap((b) => shellLines(b.code).flatMap((line) => shellProblems(line).map((p) => `${where(b)}: ${line}\n  ${p}`)));
    assert.deepStrictEqual(problems, [], problems.join("\n"));
  });

  it("a command the shell check refuses is caught: unknown command, script, subcommand and option", () => {
    assert.notDeepStrictEqual(shellProblems("nmp install"), []);
    assert.notDeepStrictEqual(shellProblems("npm run no-such-script"), []);
    assert.notDeepStrictEqual(shellProblems("npx aml-events plna"), []);
    assert.notDeepStrictEqual(shellProblems("npx aml-events plan --programme x"), []);
    assert.notDeepStrictEqual(shellProblems("bash scripts/no-such.sh"), []);
    assert.notDeepStrictEqual(shellProblems("npm start -- --evnts e.json"), []);
    assert.deepStrictEqual(shellProblems("npm start -- --events e.json"), []);
  });
});

describe("docs: links", () => {
  it("every relative link names a file that exists, and an anchor that file has", () => {
    const problems: string[] = [];
    for (const { file, target } of docFiles().flatMap(relativeLinks)) {
      const [rel, anchor] = target.split("#");
      const dest = rel === "" ? file : path.normalize(path.join(path.dirname(file), rel));
      if (!fs.existsSync(path.join(ROOT, dest))) problems.push(`${file}: link to ${target}: ${dest} does not exist`);
      else if (anchor && dest.endsWith(".md") && !anchors(dest).has(anchor)) problems.push(`${file}: link to ${target}: ${dest} has no heading #${anchor}`);
    }
    assert.deepStrictEqual(problems, [], problems.join("\n"));
  });

  it("the README stays short and links every guide under docs/", () => {
    const readme = readDoc("README.md");
    assert.ok(readme.split("\n").length <= 250, `README.md has ${readme.split("\n").length} lines; move detail into a guide under docs/`);
    const linked = new Set(relativeLinks("README.md").map((l) => path.normalize(l.target.split("#")[0])));
    for (const file of docFiles().filter((f) => f.startsWith(`docs${path.sep}`))) assert.ok(linked.has(file), `README.md does not link ${file}`);
  });

  it("the Registry pages have Pulumi's front matter and the example in TypeScript, Python, Go and YAML", () => {
    for (const file of ["docs/_index.md", "docs/installation-configuration.md"]) {
      const front = /^---\n([\s\S]*?)\n---\n/.exec(readDoc(file))?.[1] ?? "";
      for (const key of ["title", "meta_desc"]) assert.match(front, new RegExp(`^${key}: \\S`, "m"), `${file} front matter lacks ${key}`);
      assert.match(front, /^layout: package$/m, `${file} front matter lacks layout: package`);
    }
    const index = readDoc("docs/_index.md");
    assert.match(index, /\{\{< chooser language "typescript,python,go,yaml" >\}\}/);
    const langs = codeBlocks("docs/_index.md").map((b) => b.lang);
    assert.deepStrictEqual(langs, ["typescript", "python", "go", "yaml"]);
  });
});

/** Compiles every block as its own module; returns `file:line: message` for each error. */
function compileTypeScript(blocks: CodeBlock[]): string[] {
  const dir = path.join(ROOT, "dist", ".doc-blocks");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const exported = Object.keys(load(path.join(ROOT, "dist", "lib")) as object);
  const offsets: number[] = [];
  const files = blocks.map((b, i) => {
    // A fragment (no import of its own) gets the package names it uses, and what its ts-context declares.
    const declared = new Set([...b.context.matchAll(/declare const (\w+)/g)].map((m) => m[1]));
    const used = /^import /m.test(b.code) ? [] : exported.filter((name) => !declared.has(name) && new RegExp(`\\b${name}\\b`).test(`${b.context}\n${b.code}`));
    const header = [used.length > 0 ? `import { ${used.join(", ")} } from "aml-event-workflows";` : "", b.context, "export {};"].join("\n");
    offsets.push(header.split("\n").length);
    const name = `block-${i}.ts`;
    fs.writeFileSync(path.join(dir, name), `${header}\n${b.code}\n`);
    return name;
  });
  const tsconfig = {
    compilerOptions: {
      target: "ES2022", module: "commonjs", moduleResolution: "node", lib: ["ES2022"], types: ["node"], strict: true, noEmit: true,
      skipLibCheck: true, esModuleInterop: true, baseUrl: ".",
      paths: { "aml-event-workflows": [path.join(ROOT, "dist", "lib", "index.d.ts")], "aml-event-workflows/policy": [path.join(ROOT, "dist", "policy", "api.d.ts")] },
    },
    files,
  };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  const run = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", dir], { encoding: "utf8", timeout: 110_000 });
  if (run.status === 0) return [];
  const errors = run.stdout.split("\n").filter((l) => l.trim() !== "").map((line) => {
    const m = /(?:^|\/)block-(\d+)\.ts\((\d+),\d+\): (.*)$/.exec(line);
    if (!m) return line;
    const b = blocks[Number(m[1])];
    return `${b.file}:${b.line + Number(m[2]) - offsets[Number(m[1])]}: ${m[3]}`;
  });
  return errors.length > 0 ? errors : [`tsc failed: ${run.stderr}`];
}

/** js-yaml, which the Pulumi SDK (a peer dependency) depends on. */
function loadYaml(text: string): unknown {
  const yaml = load("js-yaml") as { load(text: string): unknown };
  return yaml.load(text);
}

/** The commands of a shell block: comments dropped, continuations joined, one entry per line. */
function shellLines(code: string): string[] {
  return code
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

const COMMANDS = new Set(["npm", "npx", "pulumi", "node", "cd", "aml-events", "az", "pip", "python3", "go", "bash", "git", "curl", "export"]);

/** What is wrong with one shell line: a command, script, npm script, subcommand or option that does not exist. */
function shellProblems(line: string): string[] {
  const captured = /^[A-Z_]+=\$\((.*)\)$/.exec(line);
  if (captured) return shellProblems(captured[1]);
  const words = line.replace(/^[A-Z_]+=("[^"]*"|\S+)\s*/, "").split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) return [];
  const [cmd, ...rest] = words;
  if (!COMMANDS.has(cmd)) return [`${cmd} is not a command the docs expect (${[...COMMANDS].join(", ")})`];
  switch (cmd) {
    case "npm": return npmProblems(rest);
    case "npx": return rest[0] === "aml-events" ? cliProblems(rest.slice(1)) : rest[0] === "tsc" ? [] : [`npx ${rest[0]}: not a binary this package or its dev tools provide`];
    case "aml-events": return cliProblems(rest);
    case "bash": return rest[0] && !fs.existsSync(path.join(ROOT, rest[0])) ? [`${rest[0]} does not exist`] : [];
    case "node": return rest[0] && rest[0].startsWith("dist/") && !fs.existsSync(path.join(ROOT, rest[0])) ? [`${rest[0]} is not built`] : [];
    case "cd": return rest[0] && !rest[0].includes("<") && !fs.existsSync(path.join(ROOT, rest[0])) ? [`cd ${rest[0]}: no such folder in the repository`] : [];
    default: return [];
  }
}

function npmProblems(args: string[]): string[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const sub = args[0];
  if (sub === "run") return args[1] in scripts ? [] : [`npm run ${args[1]}: package.json has no such script`];
  if (sub === "start") {
    const dash = args.indexOf("--");
    return dash < 0 ? [] : cliProblems(["plan", ...args.slice(dash + 1)]);
  }
  if (sub === "test" || sub === "bench") return sub in scripts ? [] : [`npm ${sub}: no such script`];
  return ["ci", "install", "pack", "ls", "i"].includes(sub) ? [] : [`npm ${sub}: not an npm command the docs expect`];
}

/** `aml-events` arguments: each subcommand must exist, each `--flag` must be an option of the command chain. */
function cliProblems(args: string[]): string[] {
  let command: Command = amlEventsCommand();
  const chain = [command];
  for (const word of args) {
    if (word.startsWith("-")) continue;
    const sub = command.commands.find((c) => c.name() === word);
    if (sub) {
      command = sub;
      chain.push(sub);
    } else if (chain.length === 1) return [`aml-events ${word}: no such subcommand (${command.commands.map((c) => c.name()).join(", ")})`];
  }
  const known = new Set(["--help", "--version", ...chain.flatMap((c) => c.options.map((o) => o.long ?? ""))]);
  return args.filter((w) => w.startsWith("--")).map((w) => w.split("=")[0]).filter((flag) => !known.has(flag)).map((flag) => `${flag} is not an option of aml-events ${chain.slice(1).map((c) => c.name()).join(" ")}`);
}
