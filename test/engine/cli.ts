/**
 * Runs the real Pulumi CLI offline for the engine tests: a file backend, a passphrase secrets
 * provider, its own PULUMI_HOME with the offline provider plugins installed, no update checks and no
 * plugin downloads. The CLI comes from `bash scripts/pulumi-cli.sh` (AML_EVENTS_PULUMI_BIN or the cache).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageVersion } from "./providers/urn";
import { RoleDefinitionPeer, startRoleDefinitionPeer } from "./roleDefinitionPeer";
import { compileCacheEnv } from "./compileCache";

export const REPO = path.resolve(__dirname, "..", "..", "..");
const DIST = path.join(REPO, "dist");

/** The `pulumi` binary to use, or undefined when it has not been built. */
export function pulumiBinary(): string | undefined {
  const version = packageVersion("@pulumi/pulumi");
  const cache = process.env.AML_EVENTS_CACHE || path.join(os.homedir(), ".cache", "aml-event-workflows");
  const candidates = [process.env.AML_EVENTS_PULUMI_BIN, path.join(cache, "pulumi-cli", `v${version}`, "bin")].filter((c): c is string => !!c);
  for (const c of candidates) {
    const bin = fs.existsSync(c) && fs.statSync(c).isDirectory() ? path.join(c, "pulumi") : c;
    if (fs.existsSync(bin)) return bin;
  }
  return undefined;
}

/**
 * The CLI, or a skip with a visible notice (a failure under CI=true, so CI cannot skip silently).
 */
export function requireCli(ctx: Mocha.Context): string {
  const bin = pulumiBinary();
  if (bin !== undefined) return bin;
  const message = "real-engine tests: Pulumi CLI not found; build it with `bash scripts/pulumi-cli.sh` (or set AML_EVENTS_PULUMI_BIN)";
  if (process.env.CI) throw new Error(`${message}. CI must provide it (.ci/run runs the script before npm test).`);
  console.log(`\n  NOTICE ${message}; skipping.`);
  ctx.skip();
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function script(file: string, target: string): void {
  fs.writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${target}" "$@"\n`, { mode: 0o755 });
}

/**
 * What every CLI operation of the tests runs with to spend less CPU, none of it changing what an operation
 * does or leaves in the state:
 * - `PULUMI_SKIP_CHECKPOINTS`: the file backend writes the whole state after every step of an update (and
 *   verifies its integrity each time), quadratic in the stack's size; with it only the final state is saved
 *   (Pulumi's env.SkipCheckpoints, "Skip saving state checkpoints and only save the final deployment",
 *   sdk/go/common/env/env.go at v3.248.0, read by backend/snapshot.go and backend/journal.go, which then
 *   switch to their `unsafeServiceLoop`). No test interrupts an update, so no test reads an intermediate one.
 * - `PULUMI_DIY_BACKEND_DISABLE_CHECKPOINT_BACKUPS`: no copy of the previous state under the home's
 *   backups/ folder before each update (backend/diy/state.go `backupStack`); no test reads one.
 * - the V8 code cache of compileCache.ts for every Node process the CLI starts (the program, the policy
 *   pack, the provider plugins, the language host), all of which load @pulumi/pulumi and TypeScript.
 */
export function fastCliEnv(): Record<string, string> {
  return { PULUMI_SKIP_CHECKPOINTS: "true", PULUMI_DIY_BACKEND_DISABLE_CHECKPOINT_BACKUPS: "true", ...compileCacheEnv() };
}

/** How a {@link PulumiEnv} keeps the offline provider's ARM state. */
export interface PulumiEnvOptions {
  /**
   * One ARM state file per project folder (`armState(dir)`) instead of one for the whole environment
   * (`<root>/fake-arm.json`), so that stacks of different test files sharing the environment cannot see
   * (or lock) each other's resources. Default: one file for the environment.
   */
  readonly armStatePerProject?: boolean;
}

/** One offline Pulumi environment (home, backend, plugins) in a temporary folder. */
export class PulumiEnv {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "aml-events-engine-"));
  readonly home = path.join(this.root, "home");
  readonly backend = path.join(this.root, "backend");
  readonly hostBin = path.join(this.root, "bin");
  /** Answers the custom-role replication wait of `pulumi up` (started with the first run). */
  private roles?: RoleDefinitionPeer;
  private rolesStarting?: Promise<RoleDefinitionPeer>;
  private readonly stacks = new Set<string>();
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(readonly pulumi: string, private readonly extraEnv: Record<string, string> = {}, private readonly options: PulumiEnvOptions = {}) {
    for (const d of [this.home, this.backend, this.hostBin]) fs.mkdirSync(d, { recursive: true });
    script(path.join(this.hostBin, "pulumi-language-nodejs"), path.join(DIST, "test", "engine", "languageHost.js"));
    script(path.join(this.hostBin, "pulumi-resource-pulumi-nodejs"), require.resolve("@pulumi/pulumi/cmd/dynamic-provider"));
  }

  /** The offline provider's ARM state file for the project in `dir` (see {@link PulumiEnvOptions}). */
  armState(dir?: string): string {
    return this.options.armStatePerProject && dir !== undefined ? path.join(dir, ".fake-arm.json") : path.join(this.root, "fake-arm.json");
  }

  /**
   * The result of `make`, computed once per environment under `key` and shared by every caller (and every
   * test file using the shared environment): for an expensive, read-only fixture such as a preview's JSON.
   */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (p === undefined) {
      p = make();
      p.catch(() => undefined); // awaited by the callers; a failure is theirs to report
      this.memo.set(key, p);
    }
    return p;
  }

  /** The process environment of the CLI, with the ARM state of the project in `dir`. */
  env(dir?: string): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: `${this.hostBin}${path.delimiter}${path.dirname(this.pulumi)}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: this.home,
      PULUMI_BACKEND_URL: `file://${this.backend}`,
      PULUMI_CONFIG_PASSPHRASE: "engine-tests-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      AML_EVENTS_FAKE_ARM_STATE: this.armState(dir),
      // The deployer's code publish reads its ARM token at run time (lib/deployment/publish.ts, ARM_TOKEN_ENV).
      AML_EVENTS_ARM_TOKEN: "engine-test-arm-token-7f3a9c",
      // The custom-role replication wait reads role definitions there (lib/rbac/roleReplication.ts).
      ...(this.roles ? { AML_EVENTS_ARM_ENDPOINT: this.roles.base } : {}),
      ...fastCliEnv(),
      ...this.extraEnv,
    };
  }

  /** Runs `pulumi <args>` (always `--non-interactive`). */
  async run(args: string[], cwd: string): Promise<CliResult> {
    this.roles = await (this.rolesStarting ??= startRoleDefinitionPeer());
    return new Promise((resolve, reject) => {
      const child = spawn(this.pulumi, [...args, "--non-interactive"], { cwd, env: this.env(cwd) });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
      child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }

  /** Like run, failing with the CLI's output when it exits non-zero. */
  async ok(args: string[], cwd: string): Promise<CliResult> {
    const r = await this.run(args, cwd);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  /** Installs the offline azure-native and random provider plugins at the versions our SDKs request. */
  async installProviders(): Promise<void> {
    for (const [name, file, pkg] of [["azure-native", "azureNative.js", "@pulumi/azure-native"], ["random", "random.js", "@pulumi/random"]]) {
      const dir = path.join(this.root, "plugins", name);
      fs.mkdirSync(dir, { recursive: true });
      script(path.join(dir, `pulumi-resource-${name}`), path.join(DIST, "test", "engine", "providers", file));
      const version = packageVersion(pkg);
      await this.ok(["plugin", "install", "resource", name, version, "--file", dir], this.root);
    }
  }

  /**
   * A project folder whose program is the compiled `program` (relative to dist/), with its stack
   * initialised; the folder lives under dist/ so node resolves the repository's node_modules.
   */
  async project(name: string, program: string, stack = "engine"): Promise<string> {
    this.claim(name, stack);
    const dir = path.join(DIST, ".engine", `${path.basename(this.root)}-${name}`);
    fs.mkdirSync(dir, { recursive: true });
    const main = path.relative(dir, path.join(DIST, program));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: ${main}/index.js\n`);
    await this.ok(["stack", "init", stack], dir);
    return dir;
  }

  /**
   * The repository's own project (its Pulumi.yaml verbatim) in a scratch folder of its own that links dist/,
   * policy/ and node_modules/, so the README's commands run as written without touching the checkout.
   */
  async repoProject(stack = "engine"): Promise<string> {
    this.claim("aml-event-workflows", stack);
    // One folder per stack: the CLI keeps the selected stack per folder, so operations on different stacks
    // can run at the same time without switching each other's stack.
    const dir = path.join(this.root, `repo-${stack}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    for (const link of ["dist", "policy", "node_modules", "package.json"]) fs.symlinkSync(path.join(REPO, link), path.join(dir, link));
    await this.ok(["stack", "init", stack], dir);
    return dir;
  }

  /** Refuses a project/stack pair already used in this environment (the file backend keys stacks by both). */
  private claim(project: string, stack: string): void {
    const key = `${project}/${stack}`;
    if (this.stacks.has(key)) {
      throw new Error(`stack ${key} is already used in this Pulumi environment (shared by the real-engine test files of the process); give the project or stack another name`);
    }
    this.stacks.add(key);
  }

  dispose(): void {
    void this.roles?.close();
    fs.rmSync(this.root, { recursive: true, force: true });
    for (const d of fs.existsSync(path.join(DIST, ".engine")) ? fs.readdirSync(path.join(DIST, ".engine")) : []) {
      if (d.startsWith(path.basename(this.root))) fs.rmSync(path.join(DIST, ".engine", d), { recursive: true, force: true });
    }
  }
}

/** The policy pack flags of the README's recipe, for a project run from the repository root. */
export const README_POLICY_FLAGS = ["--policy-pack", "policy", "--policy-pack-config", "policy/policy-config.json"];

/** The same flags for a project elsewhere (the focused examples). */
export const POLICY_FLAGS = (repo = REPO): string[] => ["--policy-pack", path.join(repo, "policy"), "--policy-pack-config", path.join(repo, "policy", "policy-config.json")];

let shared: Promise<PulumiEnv> | undefined;

/**
 * The process's one offline Pulumi environment (home, file backend, the offline provider plugins installed),
 * created on first use and removed when the process exits. Every real-engine test file of a mocha process
 * (or of one worker, under `--parallel`) shares it: the plugin installs run once, and fixtures made with
 * `env.once` are computed once. Each file still uses its own projects and stacks (names are checked), and
 * each project folder keeps its own ARM state.
 */
export function sharedPulumiEnv(pulumi: string): Promise<PulumiEnv> {
  shared ??= (async () => {
    const env = new PulumiEnv(pulumi, {}, { armStatePerProject: true });
    process.once("exit", () => env.dispose());
    await env.installProviders();
    return env;
  })();
  return shared;
}

/**
 * The hooks of a real-engine suite: the shared offline Pulumi environment ({@link sharedPulumiEnv}; the CLI,
 * else a notice-and-skip, a failure under CI), handed to `ready` before the first test.
 */
export function usePulumiEnv(ready: (env: PulumiEnv) => void | Promise<void>): void {
  before(async function () {
    await ready(await sharedPulumiEnv(requireCli(this)));
  });
}

/**
 * Runs `jobs` (thunks) at most `limit` at a time and returns their promises at once, in order: independent
 * CLI operations of one file (previews of different projects, offline plans) overlap, and each test awaits
 * its own. Every promise is marked handled, so one failing before its test awaits it cannot crash the run.
 */
export function concurrently<T>(jobs: readonly (() => Promise<T>)[], limit = 2): Promise<T>[] {
  let next = 0;
  const slots: Promise<void>[] = [];
  const results = jobs.map(() => {
    let settle!: { resolve: (v: T) => void; reject: (e: unknown) => void };
    const p = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
    p.catch(() => undefined);
    return { p, settle };
  });
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      await jobs[i]().then(results[i].settle.resolve, results[i].settle.reject);
    }
  };
  for (let w = 0; w < Math.min(limit, jobs.length); w++) slots.push(worker());
  return results.map((r) => r.p);
}
