/**
 * Starts the policy pack the way the Pulumi CLI does — `@pulumi/pulumi/cmd/run-policy-pack` in the
 * `policy/` folder, which loads `policy/package.json`'s main (the compiled `dist/policy/index.js`)
 * and serves the analyzer on 127.0.0.1 — then plays the engine over gRPC: GetAnalyzerInfo, Configure
 * with a CLI-reconciled config, Analyze per resource, AnalyzeStack.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { checkResources, PolicyPackConfigInput, policies, resolvePolicyConfig } from "../../policy/api";
import { badStack } from "./bad-stack";
import { analyzeRequest, analyzeStackRequest, asEngineMessage, configureRequest, diagnosticsOf, EngineDiagnostic } from "./engine-rpc";

const repo = path.resolve(__dirname, "../../..");

function unary<Req, Resp>(fn: (req: Req, cb: (err: grpc.ServiceError | null, resp: Resp) => void) => unknown, req: Req): Promise<Resp> {
  return new Promise((resolve, reject) => void fn(req, (err, resp) => (err ? reject(err) : resolve(resp))));
}

describe("policy pack served like the Pulumi CLI runs it (gRPC on 127.0.0.1)", function () {
  this.timeout(60000);
  let child: ChildProcess | undefined;
  let client: AnalyzerClient | undefined;

  before(async () => {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [path.join(repo, "policy")] });
    child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: path.join(repo, "policy"), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the pack printed no port within 30 s; stderr: ${stderr}`)), 30000);
      let out = "";
      child?.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child?.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the pack exited with ${code}; stderr: ${stderr}`));
      });
    });
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    child?.kill();
  });

  it("describes the pack: name, version, every policy with its level and config schema", async () => {
    const info = await unary<Empty, analyzerpb.AnalyzerInfo>((r, cb) => client!.getAnalyzerInfo(r, cb), new Empty());
    assert.strictEqual(info.getName(), "aml-event-workflows");
    assert.strictEqual(info.getVersion(), "0.1.0");
    const served = info.getPoliciesList();
    assert.deepStrictEqual(served.map((p) => p.getName()), policies.map((p) => p.name));
    const retry = served.find((p) => p.getName() === "delivery-retry-policy-bounded");
    assert.strictEqual(retry?.getEnforcementlevel(), analyzerpb.EnforcementLevel.MANDATORY);
    assert.ok(retry?.getConfigschema()?.getProperties()?.toJavaScript().maxDeliveryAttempts);
  });

  it("after Configure with a reconciled config, Analyze + AnalyzeStack give exactly what checkResources gives", async () => {
    const config: PolicyPackConfigInput = {
      "delivery-dead-letter-required": "mandatory",
      "delivery-retry-policy-bounded": { maxDeliveryAttempts: 10 },
      "rbac-no-privileged-roles": { allowedRoles: ["Owner"] },
    };
    await unary((r: analyzerpb.ConfigureAnalyzerRequest, cb) => client!.configure(r, cb), configureRequest(resolvePolicyConfig(policies, config)));
    const served: EngineDiagnostic[] = [];
    for (const r of badStack()) {
      const resp = await unary<analyzerpb.AnalyzeRequest, analyzerpb.AnalyzeResponse>((q, cb) => client!.analyze(q, cb), analyzeRequest(r));
      served.push(...diagnosticsOf(resp));
    }
    const stack = await unary<analyzerpb.AnalyzeStackRequest, analyzerpb.AnalyzeResponse>((q, cb) => client!.analyzeStack(q, cb), analyzeStackRequest(badStack()));
    served.push(...diagnosticsOf(stack));
    const ours = await checkResources(badStack(), config);
    const triple = (d: { policyName: string; enforcementLevel: string; message: string }) => [d.policyName, d.enforcementLevel, d.message];
    assert.deepStrictEqual(served.map(triple), ours.map((v) => triple({ ...v, message: asEngineMessage(v) })));
    // the config took effect on both sides
    assert.ok(!served.some((d) => d.policyName === "rbac-no-privileged-roles"));
    assert.strictEqual(served.find((d) => d.policyName === "delivery-dead-letter-required")?.enforcementLevel, "mandatory");
    assert.strictEqual(served.filter((d) => d.policyName === "delivery-retry-policy-bounded").length, 1);
  });
});
