import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { checkResources, fromMockedResources } from "../../policy/api";
import { MockedResource } from "../../lib/plan/mocks";
import * as endpointName from "./bad-stacks/endpoint-name";
import * as flexSiteConfig from "./bad-stacks/flex-site-config";
import * as functionBeforeCode from "./bad-stacks/function-before-code";
import * as globalNames from "./bad-stacks/global-names";
import * as logicAppBatching from "./bad-stacks/logic-app-batching";
import * as sharedKeyStorage from "./bad-stacks/shared-key-storage";
import * as topicLock from "./bad-stacks/topic-lock";
import * as v1Drift from "./bad-stacks/v1-drift";
import * as webhookPlaceholder from "./bad-stacks/webhook-placeholder";

/**
 * Runs a bad-stack program on the plan's mock engine in a child process (the test process keeps its
 * own global mocks for the other suites) and returns what it registered.
 */
function runIsolated(file: string): MockedResource[] {
  const moduleFile = path.join(__dirname, "bad-stacks", `${file}.js`);
  const runner = path.resolve(__dirname, "..", "..", "lib", "plan", "run.js");
  const script = `require(${JSON.stringify(runner)}).runProgram(require(${JSON.stringify(moduleFile)}).program, { stack: "bad" }).then((r) => process.stdout.write(JSON.stringify(r.resources)), (e) => { console.error(e); process.exit(1); })`;
  const out = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.strictEqual(out.status, 0, out.stderr);
  return JSON.parse(out.stdout) as MockedResource[];
}

const FILES: Record<string, string> = {
  endpointName: "endpoint-name",
  flexSiteConfig: "flex-site-config",
  functionBeforeCode: "function-before-code",
  globalNames: "global-names",
  logicAppBatching: "logic-app-batching",
  sharedKeyStorage: "shared-key-storage",
  topicLock: "topic-lock",
  v1Drift: "v1-drift",
  webhookPlaceholder: "webhook-placeholder",
};

/** Programs declaring raw azure-native resources the way users write them, one deploy-time pitfall each. */
const STACKS = { endpointName, flexSiteConfig, functionBeforeCode, globalNames, logicAppBatching, sharedKeyStorage, topicLock, v1Drift, webhookPlaceholder };

describe("policy pack: bad stacks users write themselves (raw azure-native resources on the mock engine)", function () {
  this.timeout(60_000);
  for (const [file, stack] of Object.entries(STACKS)) {
    it(`${file}: ${stack.expected.policy} catches ${stack.expected.resource} at level ${stack.expected.level}`, async () => {
      const violations = await checkResources(fromMockedResources(runIsolated(FILES[file])));
      const hit = violations.filter((v) => v.policyName === stack.expected.policy);
      assert.ok(hit.length >= 1, `not caught; got:\n${violations.map((v) => `${v.policyName} ${v.resourceName}`).join("\n")}`);
      assert.ok(hit.some((v) => v.resourceName === stack.expected.resource), JSON.stringify(hit));
      assert.ok(hit.every((v) => v.enforcementLevel === stack.expected.level), JSON.stringify(hit));
    });
  }

  it("functionBeforeCode: the blob dropped in the Flex container is also reported (advisory)", async () => {
    const hit = (await checkResources(fromMockedResources(runIsolated(FILES.functionBeforeCode)))).filter((v) => v.policyName === functionBeforeCode.alsoExpected.policy);
    assert.deepStrictEqual(hit.map((v) => [v.resourceName, v.enforcementLevel]), [[functionBeforeCode.alsoExpected.resource, functionBeforeCode.alsoExpected.level]]);
  });

  it("the Flex pitfall comes from the SDK itself: the declared siteConfig had no netFrameworkVersion", async () => {
    const app = runIsolated(FILES.flexSiteConfig).find((r) => r.name === "orders-func");
    assert.strictEqual((app?.inputs.siteConfig as { netFrameworkVersion?: string }).netFrameworkVersion, "v4.6");
  });
});
