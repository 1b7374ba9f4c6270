/**
 * A V8 code cache for the Node processes the real Pulumi CLI starts in the tests (the program, the policy
 * pack, the offline provider plugins, the dynamic-resource provider, the language host), preloaded with
 * `node --require` through NODE_OPTIONS (`fastCliEnv` in cli.ts). Every one of them loads
 * @pulumi/pulumi, whose entry points load the 9 MB TypeScript compiler; compiling those files was an eighth (the
 * program) to two fifths (the dynamic provider) of each process's CPU time (docs/testing.md). Node 22's `module.enableCompileCache` does this
 * natively; on Node 20 a `vm.Script` takes V8's `cachedData` and can produce it (Node's documentation of
 * `vm.Script`: `cachedData`, `cachedDataRejected`, `createCachedData()`).
 *
 * Every CommonJS file is cached, keyed by its path, size and modification time (a rebuild or reinstall
 * changes them; hashing each file's content instead cost about a tenth of what the cache saves), in a folder per Node
 * version (`AML_EVENTS_COMPILE_CACHE`). V8 also checks the data against the source's length, its own
 * version and flags, and rejects a mismatch (`cachedDataRejected`): the file is then compiled as usual and
 * the entry rewritten. Without the variable, or on a Node without `USE_MAIN_CONTEXT_DEFAULT_LOADER` (needed for a
 * cached file's `import()`), nothing is installed.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

type ModuleFn = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => unknown;

/** The CommonJS loader's internals this file wraps (stable since Node 12; `Module.wrap` is documented). */
interface Loader {
  prototype: { _compile(this: Module, content: string, filename: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: Module, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: Module): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<NodeModule>;
}

const loader = Module as unknown as Loader;

/** The `require` a module's code receives, bound to `mod` as Node's own is. */
function requireFor(mod: Module): NodeJS.Require {
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) => loader._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, mod);
  req.resolve = resolve;
  // As Node's own makeRequireFunction does: this file's `require.main` was fixed before the main module loaded.
  req.main = process.mainModule;
  req.extensions = loader._extensions;
  req.cache = loader._cache;
  return req;
}

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes `data` atomically; a concurrent writer of the same entry wins or loses the rename, both are valid. */
function writeCache(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

const TEMP = `${fs.realpathSync(os.tmpdir())}${path.sep}`;

/**
 * The cache entry of `filename`; undefined (not cached) when it cannot be stat'ed, or when it lives in the
 * temporary folder (the fresh clone's and the consumers' installs: new paths every run, which would only
 * grow the cache).
 */
function entry(root: string, filename: string): string | undefined {
  if (filename.startsWith(TEMP) || filename.startsWith(os.tmpdir())) return undefined;
  try {
    const stat = fs.statSync(filename);
    return path.join(root, `${crypto.createHash("sha256").update(`${filename}\0${stat.size}\0${stat.mtimeMs}`).digest("hex")}.v8`);
  } catch {
    return undefined;
  }
}

/**
 * Runs `make` without Node 20's one ExperimentalWarning for `USE_MAIN_CONTEXT_DEFAULT_LOADER` (the loader
 * Node uses for a CommonJS file's `import()` anyway), which would otherwise land on the stderr of every
 * process the tests read; any other warning passes.
 */
function quietly<T>(make: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!String(warning instanceof Error ? warning.message : warning).includes("USE_MAIN_CONTEXT_DEFAULT_LOADER")) (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emit;
  }
}

/** Compiles every CommonJS file through a `vm.Script` with the cached data of `root`. */
export function installCompileCache(root: string): void {
  fs.mkdirSync(root, { recursive: true });
  const compile = loader.prototype._compile;
  loader.prototype._compile = function (this: Module, content: string, filename: string): unknown {
    const file = entry(root, filename);
    if (file === undefined) return compile.call(this, content, filename);
    const cachedData = readCache(file);
    // A hashbang is only valid at the very start of a script: the wrapper moves it, so it becomes a comment.
    const source = content.startsWith("#!") ? `//${content.slice(2)}` : content;
    const script = quietly(() => new vm.Script(loader.wrap(source), { filename, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }));
    const fn = script.runInThisContext({ displayErrors: true }) as ModuleFn;
    const result = fn.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
    // After the module ran, the data also holds the functions its loading compiled.
    if (cachedData === undefined || script.cachedDataRejected === true) writeCache(file, script.createCachedData());
    return result;
  };
}

/**
 * The variables that make a child process use the cache: `AML_EVENTS_COMPILE_CACHE` (the folder; under
 * the tools' cache, `AML_EVENTS_CACHE` or ~/.cache/aml-event-workflows) and NODE_OPTIONS with this file
 * preloaded (appended to `existing`, once). None when `AML_EVENTS_COMPILE_CACHE=off`.
 */
export function compileCacheEnv(existing = process.env.NODE_OPTIONS ?? ""): Record<string, string> {
  if (process.env.AML_EVENTS_COMPILE_CACHE === "off") return {};
  const preload = `--require ${JSON.stringify(__filename)}`;
  const cache = process.env.AML_EVENTS_COMPILE_CACHE || path.join(process.env.AML_EVENTS_CACHE || path.join(os.homedir(), ".cache", "aml-event-workflows"), "node-compile-cache");
  return { AML_EVENTS_COMPILE_CACHE: cache, NODE_OPTIONS: existing.includes(preload) ? existing : `${existing} ${preload}`.trim() };
}

const root = process.env.AML_EVENTS_COMPILE_CACHE;
if (root && root !== "off" && typeof vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER === "symbol") installCompileCache(path.join(root, `${process.version}-${process.arch}`));
