#!/usr/bin/env node
// Builds the release files into one folder (default dist/release/, git-ignored), from this checkout only:
//   aml-event-workflows-<v>.tgz             the npm package (`npm pack`): the library, the policy pack, the `aml-events`
//                                           bin, and plugin/ with the lib/ sources Pulumi's component analyzer reads
//                                           (what `pulumi package add <node_modules/aml-event-workflows/plugin>` needs)
//   aml-events-<v>.schema.json              the package schema (Pulumi's analyzer, as `pulumi package get-schema plugin`
//                                           prints it) with plugin/sdk-languages.json merged into its `language`
//                                           section (the Go import path; the analyzer writes example.com otherwise)
//   pulumi_aml_events-<v>-py3-none-any.whl  the Python SDK generated from that schema (Pulumi's own generator, sdkgen)
//   go/amlevents/                           the Go module generated from it: module <go importBasePath>, go.mod, go.sum
//   release.json                            every file above with its sha256
// Deterministic: npm pack fixes timestamps, the wheel is built with SOURCE_DATE_EPOCH, files are written sorted.
// The schema, wheel and Go module are cached under ${AML_EVENTS_CACHE:-~/.cache/aml-event-workflows}/release/
// by version and the tarball's sha256 (the tarball holds every source the schema comes from).
//
//   npm run release                         # builds first (npm run build)
//   node scripts/release.mjs --skip-build --out <dir>
// Needs the cached tools of scripts/pulumi-python.sh and scripts/pulumi-sdkgen.sh (run here; idempotent) and go.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Zip timestamps of the wheel (1980-01-01, the earliest a zip stores), so equal sources give equal bytes. */
const SOURCE_DATE_EPOCH = "315532800";

const log = (m) => process.stderr.write(`[release] ${m}\n`);
const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20, ...opts });

function parseArgs(argv) {
  const opts = { out: join(root, "dist", "release"), build: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--skip-build") opts.build = false;
    else if (argv[i] === "--out" && argv[i + 1]) opts.out = resolve(argv[++i]);
    else throw new Error(`unknown argument ${JSON.stringify(argv[i])}; use --skip-build and --out <dir>`);
  }
  return opts;
}

/** The last line a cache script prints (its binary or interpreter). */
const cachedTool = (script) => run("bash", [join("scripts", script)]).trim().split("\n").pop();

/** The version, the same in package.json and plugin/package.json (the schema takes the plugin's). */
function releaseVersion() {
  const version = readJson(join(root, "package.json")).version;
  const plugin = readJson(join(root, "plugin", "package.json")).version;
  if (plugin !== version) throw new Error(`plugin/package.json has version ${plugin} but package.json ${version}; set both to the release version.`);
  return version;
}

function pack(out) {
  const [report] = JSON.parse(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", out]));
  return join(out, report.filename);
}

/** Keys Pulumi's engine leaves out when empty as it re-serialises a provider's schema (Go `omitempty`). */
const OMITTED_WHEN_EMPTY = new Set(["required", "requiredInputs", "dependencies", "properties", "inputProperties"]);

/**
 * The schema in the form `pulumi package get-schema` prints: the analyzer's `optional: true` markers dropped
 * (the `required` lists say the same), empty lists and maps and undefined values left out, `config: {}`.
 */
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).filter(([k, v]) => {
    if (v === undefined || (k === "optional" && v === true)) return false;
    return !(OMITTED_WHEN_EMPTY.has(k) && (Array.isArray(v) ? v.length === 0 : typeof v === "object" && Object.keys(v).length === 0));
  });
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}

/** Per-language settings of the generated SDKs (plugin/sdk-languages.json), e.g. the Go module's import path. */
const SDK_LANGUAGES = readJson(join(root, "plugin", "sdk-languages.json"));
const GO_IMPORT_PATH = SDK_LANGUAGES.go.importBasePath;

/** The schema as the plugin's host serves it: Pulumi's analyzer over plugin/index.ts, then the SDK settings. */
function schemaOf(version) {
  const require = createRequire(join(root, "package.json"));
  const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer");
  const { generateSchema } = require("@pulumi/pulumi/provider/experimental/schema");
  const pluginDir = join(root, "plugin");
  const pkg = readJson(join(pluginDir, "package.json"));
  const names = Object.keys(require(join(root, "dist", "plugin", "index.js"))).sort();
  const { components, typeDefinitions, dependencies } = new Analyzer(pluginDir, pkg.name, pkg, new Set(names)).analyze();
  const schema = { ...canonical(generateSchema(pkg.name, version, pkg.description, components, typeDefinitions, dependencies, undefined)), config: {} };
  for (const [language, settings] of Object.entries(SDK_LANGUAGES)) schema.language[language] = { ...schema.language[language], ...settings };
  return schema;
}

function pythonWheel(schemaFile, work, sdkgen) {
  const python = cachedTool("pulumi-python.sh");
  const sdk = join(work, "sdk-python");
  run(sdkgen, ["-language", "python", "-schema", schemaFile, "-out", sdk]);
  const wheels = join(work, "wheel");
  run(python, ["-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheels, sdk], { env: { ...process.env, SOURCE_DATE_EPOCH } });
  const [wheel] = readdirSync(wheels).filter((f) => f.endsWith(".whl"));
  if (!wheel) throw new Error(`pip wheel wrote no wheel into ${wheels}`);
  return join(wheels, wheel);
}

/**
 * The generated Go SDK as a module of its own: go.mod at the import path; `go build` (offline, from the module
 * cache scripts/pulumi-sdkgen.sh warmed) proves it compiles and writes go.sum.
 */
function goModule(schemaFile, work, sdkgen, pulumiVersion) {
  const gen = join(work, "sdk-go");
  run(sdkgen, ["-language", "go", "-schema", schemaFile, "-out", gen]);
  const mod = join(gen, "amlevents");
  writeFileSync(join(mod, "go.mod"), `module ${GO_IMPORT_PATH}\n\ngo 1.24\n\nrequire github.com/pulumi/pulumi/sdk/v3 v${pulumiVersion}\n`);
  run("go", ["build", "./..."], { cwd: mod, env: { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off", GOSUMDB: "off", GOTOOLCHAIN: "local" } });
  return mod;
}

/** Schema, wheel and Go module for this tarball, from the cache or built into it. */
function generated(tarball, version) {
  const cacheRoot = process.env.AML_EVENTS_CACHE || join(homedir(), ".cache", "aml-event-workflows");
  const work = join(cacheRoot, "release", `${version}-${sha256(tarball).slice(0, 16)}`);
  const done = join(work, "done.json");
  if (existsSync(done)) {
    log(`reusing ${work}`);
    return readJson(done);
  }
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const schemaFile = join(work, `aml-events-${version}.schema.json`);
  writeFileSync(schemaFile, `${JSON.stringify(schemaOf(version), null, 2)}\n`);
  const sdkgen = join(cachedTool("pulumi-sdkgen.sh"), "sdkgen");
  const pulumiVersion = readJson(join(root, "node_modules", "@pulumi", "pulumi", "package.json")).version;
  const result = { schema: schemaFile, wheel: pythonWheel(schemaFile, work, sdkgen), go: goModule(schemaFile, work, sdkgen, pulumiVersion) };
  writeFileSync(done, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

function listFiles(dir, base = dir) {
  return readdirSync(dir).sort().flatMap((f) => (statSync(join(dir, f)).isDirectory() ? listFiles(join(dir, f), base) : [relative(base, join(dir, f))]));
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const version = releaseVersion();
  if (opts.build) run("npm", ["run", "build"], { stdio: "inherit" });
  rmSync(opts.out, { recursive: true, force: true });
  mkdirSync(opts.out, { recursive: true });
  const tarball = pack(opts.out);
  const { schema, wheel, go } = generated(tarball, version);
  cpSync(schema, join(opts.out, `aml-events-${version}.schema.json`));
  cpSync(wheel, join(opts.out, wheel.split("/").pop()));
  cpSync(go, join(opts.out, "go", "amlevents"), { recursive: true });
  const files = Object.fromEntries(listFiles(opts.out).map((f) => [f, sha256(join(opts.out, f))]));
  writeFileSync(join(opts.out, "release.json"), `${JSON.stringify({ version, goImportPath: GO_IMPORT_PATH, files }, null, 2)}\n`);
  log(`release ${version} in ${opts.out}: ${Object.keys(files).length} files`);
  process.stdout.write(`${opts.out}\n`);
}

try {
  main();
} catch (err) {
  log(err instanceof Error ? err.message : String(err));
  if (err && typeof err === "object" && "stderr" in err && err.stderr) process.stderr.write(String(err.stderr));
  process.exitCode = 1;
}
