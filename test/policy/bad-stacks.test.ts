import * as assert from "assert";
import { checkResources, fromMockedResources } from "../../policy/api";
import { runProgram } from "../../lib/plan/run";
import * as endpointName from "./bad-stacks/endpoint-name";
import * as flexSiteConfig from "./bad-stacks/flex-site-config";
import * as functionBeforeCode from "./bad-stacks/function-before-code";
import * as globalNames from "./bad-stacks/global-names";
import * as logicAppBatching from "./bad-stacks/logic-app-batching";
import * as sharedKeyStorage from "./bad-stacks/shared-key-storage";
import * as topicLock from "./bad-stacks/topic-lock";
import * as v1Drift from "./bad-stacks/v1-drift";
import * as webhookPlaceholder from "./bad-stacks/webhook-placeholder";

/** Programs declaring raw azure-native resources the way users write them, one deploy-time pitfall each. */
const STACKS = { endpointName, flexSiteConfig, functionBeforeCode, globalNames, logicAppBatching, sharedKeyStorage, topicLock, v1Drift, webhookPlaceholder };

describe("policy pack: bad stacks users write themselves (raw azure-native resources on the mock engine)", function () {
  this.timeout(60_000);
  for (const [file, stack] of Object.entries(STACKS)) {
    it(`${file}: ${stack.expected.policy} catches ${stack.expected.resource} at level ${stack.expected.level}`, async () => {
      const run = await runProgram(stack.program, { stack: `bad-${file}` });
      const violations = await checkResources(fromMockedResources(run.resources));
      const hit = violations.filter((v) => v.policyName === stack.expected.policy);
      assert.ok(hit.length >= 1, `not caught; got:\n${violations.map((v) => `${v.policyName} ${v.resourceName}`).join("\n")}`);
      assert.ok(hit.some((v) => v.resourceName === stack.expected.resource), JSON.stringify(hit));
      assert.ok(hit.every((v) => v.enforcementLevel === stack.expected.level), JSON.stringify(hit));
    });
  }

  it("functionBeforeCode: the blob dropped in the Flex container is also reported (advisory)", async () => {
    const run = await runProgram(functionBeforeCode.program, { stack: "bad-function-flex" });
    const hit = (await checkResources(fromMockedResources(run.resources))).filter((v) => v.policyName === functionBeforeCode.alsoExpected.policy);
    assert.deepStrictEqual(hit.map((v) => [v.resourceName, v.enforcementLevel]), [[functionBeforeCode.alsoExpected.resource, functionBeforeCode.alsoExpected.level]]);
  });

  it("the Flex pitfall comes from the SDK itself: the declared siteConfig had no netFrameworkVersion", async () => {
    const run = await runProgram(flexSiteConfig.program, { stack: "bad-flex-sdk" });
    const app = run.resources.find((r) => r.name === "orders-func");
    assert.strictEqual((app?.inputs.siteConfig as { netFrameworkVersion?: string }).netFrameworkVersion, "v4.6");
  });
});
