/**
 * Runs the pack through `@pulumi/policy`'s own analyzer functions in process — the code the gRPC
 * server calls for `Analyze` and `AnalyzeStack` — without starting a server or constructing a
 * PolicyPack, and checks that `checkResources` says exactly the same. (The SDK keeps `Configure`
 * private, so in process the analyzer runs with the CLI's default config; pack-process.test.ts
 * covers a non-default config over gRPC against the real pack.)
 */
import * as assert from "assert";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Policies } from "@pulumi/policy";
import { checkResources, POLICY_PACK_NAME, POLICY_PACK_VERSION, PolicyResourceInput, policies, UNKNOWN_VALUE } from "../../policy/api";
import { badStack } from "./bad-stack";
import { analyzeRequest, analyzeStackRequest, asEngineMessage, diagnosticsOf, EngineDiagnostic } from "./engine-rpc";
import { goodStack, roleAssignment, subscription } from "./fixtures";

type Rpc<Req> = (call: { request: Req }, callback: (err: unknown, resp?: analyzerpb.AnalyzeResponse) => void) => void;
interface ServerModule {
  makeAnalyzeRpcFun(name: string, version: string, level: string, policies: Policies): Rpc<analyzerpb.AnalyzeRequest>;
  makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: Policies): Rpc<analyzerpb.AnalyzeStackRequest>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server: ServerModule = require("@pulumi/policy/server");

function call<Req>(rpc: Rpc<Req>, request: Req): Promise<EngineDiagnostic[]> {
  return new Promise((resolve, reject) => rpc({ request }, (err, resp) => (err ? reject(err) : resolve(diagnosticsOf(resp as analyzerpb.AnalyzeResponse)))));
}

/** What the SDK's analyzer reports for a stack: every resource's `Analyze`, then `AnalyzeStack`. */
async function sdkAnalyze(resources: readonly PolicyResourceInput[]): Promise<EngineDiagnostic[]> {
  const analyze = server.makeAnalyzeRpcFun(POLICY_PACK_NAME, POLICY_PACK_VERSION, "advisory", policies);
  const analyzeStack = server.makeAnalyzeStackRpcFun(POLICY_PACK_NAME, POLICY_PACK_VERSION, "advisory", policies);
  const out: EngineDiagnostic[] = [];
  for (const r of resources) out.push(...(await call(analyze, analyzeRequest(r))));
  out.push(...(await call(analyzeStack, analyzeStackRequest(resources))));
  return out;
}

const triple = (d: { policyName: string; enforcementLevel: string; message: string }) => [d.policyName, d.enforcementLevel, d.message];

describe("policy pack through @pulumi/policy's in-process analyzer", () => {
  it("the SDK flags the bad stack exactly as checkResources does", async () => {
    const sdk = await sdkAnalyze(badStack());
    const ours = await checkResources(badStack());
    assert.strictEqual(sdk.length, 15);
    assert.deepStrictEqual(sdk.map(triple), ours.map((v) => triple({ ...v, message: asEngineMessage(v) })));
  });

  it("the SDK passes the good stack", async () => {
    assert.deepStrictEqual(await sdkAnalyze(goodStack()), []);
  });

  it("the SDK turns an unknown value into the same advisory diagnostic", async () => {
    const resources = [roleAssignment("r", "Owner", UNKNOWN_VALUE), subscription("s", { retryPolicy: { maxDeliveryAttempts: UNKNOWN_VALUE } })];
    const sdk = await sdkAnalyze(resources);
    const ours = await checkResources(resources);
    assert.ok(sdk.some((d) => d.enforcementLevel === "advisory" && /^can't run policy 'delivery-retry-policy-bounded'/.test(d.message)));
    assert.deepStrictEqual(sdk.map(triple), ours.map((v) => triple({ ...v, message: asEngineMessage(v) })));
  });
});
