/**
 * A Node.js language host for the Pulumi CLI (`pulumi-language-nodejs`), for the real-engine tests.
 * Pulumi's own host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not
 * served by the Go module proxy the project's machines reach, so this one speaks the same
 * LanguageRuntime gRPC protocol (the proto shipped in @pulumi/pulumi) and starts the SDK's own entry
 * points: `@pulumi/pulumi/cmd/run` for programs, `cmd/run-policy-pack` for policy packs and
 * `cmd/dynamic-provider` for dynamic providers. Dependencies are never installed (npm ci did that).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as langrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as langproto from "@pulumi/pulumi/proto/language_pb";
import * as pluginproto from "@pulumi/pulumi/proto/plugin_pb";
import { packageVersion } from "./providers/urn";

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => void;

/** The SDK entry point `cmd` resolved from `dir`, as a consumer's program would resolve @pulumi/pulumi. */
function sdkCommand(dir: string, cmd: string): string {
  return require.resolve(`@pulumi/pulumi/cmd/${cmd}`, { paths: [dir] });
}

function runArgs(req: langproto.RunRequest): string[] {
  const info = req.getInfo();
  const dir = info?.getProgramDirectory() || req.getPwd();
  const entry = info?.getEntryPoint() || req.getProgram() || ".";
  const args = [
    sdkCommand(dir, "run"),
    `--monitor=${req.getMonitorAddress()}`,
    `--engine=${engineAddress}`,
    `--project=${req.getProject()}`,
    `--stack=${req.getStack()}`,
    `--pwd=${dir}`,
    `--parallel=${req.getParallel()}`,
    `--organization=${req.getOrganization()}`,
    `--root-directory=${info?.getRootDirectory() || req.getPwd()}`,
  ];
  if (req.getDryrun()) args.push("--dry-run");
  return [...args, entry, ...req.getArgsList()];
}

function configEnv(req: langproto.RunRequest): Record<string, string> {
  const config: Record<string, string> = {};
  req.getConfigMap().forEach((v: string, k: string) => (config[k] = v));
  return { PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()) };
}

const run: Unary<langproto.RunRequest, langproto.RunResponse> = (call, cb) => {
  const req = call.request;
  const dir = req.getInfo()?.getProgramDirectory() || req.getPwd();
  if (process.env.AML_EVENTS_LANGHOST_DEBUG) process.stderr.write(`language host: run ${runArgs(req).join(" ")}\n`);
  const child = spawn(process.execPath, runArgs(req), { cwd: dir, env: { ...process.env, ...configEnv(req) }, stdio: ["ignore", "inherit", "inherit"] });
  child.on("error", (err) => cb(null, new langproto.RunResponse().setError(String(err))));
  child.on("exit", (code) => {
    const resp = new langproto.RunResponse();
    // The SDK reports its own errors through the engine and exits 32 to say so ("bail").
    if (code === 32) resp.setBail(true);
    else if (code !== 0) resp.setError(`Program exited with non-zero exit code: ${code}`);
    cb(null, resp);
  });
};

/**
 * The command of a plugin: a policy pack (`kind` analyzer), a source-based component package (a folder
 * with PulumiPlugin.yaml: the SDK's `cmd/run-plugin` loads its package.json main and hosts the exported
 * components), or the dynamic provider.
 */
function pluginCommand(req: langproto.RunPluginRequest, dir: string): string[] {
  if (req.getKind() === "analyzer") return [sdkCommand(dir, "run-policy-pack"), ...req.getArgsList(), dir];
  if (fs.existsSync(path.join(dir, "PulumiPlugin.yaml"))) return [sdkCommand(dir, "run-plugin"), dir, ...req.getArgsList()];
  return [sdkCommand(dir, "dynamic-provider"), ...req.getArgsList()];
}

/** Runs a plugin (see {@link pluginCommand}), streaming its output back to the engine. */
function runPlugin(call: grpc.ServerWritableStream<langproto.RunPluginRequest, langproto.RunPluginResponse>): void {
  const req = call.request;
  const dir = req.getInfo()?.getProgramDirectory() || req.getPwd();
  const analyzer = req.getKind() === "analyzer";
  const program = pluginCommand(req, dir);
  if (process.env.AML_EVENTS_LANGHOST_DEBUG) process.stderr.write(`language host: runPlugin kind=${req.getKind()} dir=${dir} pwd=${req.getPwd()} ${program.join(" ")}\n`);
  const env: Record<string, string> = { ...process.env } as Record<string, string>;
  for (const kv of req.getEnvList()) {
    const i = kv.indexOf("=");
    env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  const child = spawn(process.execPath, program, { cwd: analyzer ? dir : req.getPwd() || dir, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (b: Buffer) => call.write(new langproto.RunPluginResponse().setStdout(b)));
  child.stderr.on("data", (b: Buffer) => call.write(new langproto.RunPluginResponse().setStderr(b)));
  child.on("exit", (code) => {
    call.write(new langproto.RunPluginResponse().setExitcode(code ?? 1));
    call.end();
  });
  call.on("cancelled", () => child.kill());
}

const empty = <Res>(make: () => Res): Unary<unknown, Res> => (_call, cb) => cb(null, make());

let engineAddress = process.argv.filter((a) => !a.startsWith("-"))[2] ?? "";

const handlers = {
  handshake: ((call, cb) => {
    engineAddress = call.request.getEngineAddress() || engineAddress;
    cb(null, new langproto.LanguageHandshakeResponse());
  }) as Unary<langproto.LanguageHandshakeRequest, langproto.LanguageHandshakeResponse>,
  getPluginInfo: empty(() => new pluginproto.PluginInfo().setVersion(packageVersion("@pulumi/pulumi"))),
  getRequiredPlugins: empty(() => new langproto.GetRequiredPluginsResponse()),
  getRequiredPackages: empty(() => new langproto.GetRequiredPackagesResponse()),
  getProgramDependencies: empty(() => new langproto.GetProgramDependenciesResponse()),
  about: empty(() => new langproto.AboutResponse().setExecutable(process.execPath).setVersion(process.version)),
  installDependencies: (call: grpc.ServerWritableStream<unknown, langproto.InstallDependenciesResponse>) => call.end(),
  run,
  runPlugin,
};

const server = new grpc.Server();
server.addService(langrpc.LanguageRuntimeService, handlers as unknown as grpc.UntypedServiceImplementation);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  process.stdout.write(`${port}\n`);
});
