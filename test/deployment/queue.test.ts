import * as assert from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { DEPLOYER_MAX_DEQUEUE_COUNT, DEPLOYER_QUEUE_NAME } from "../../lib/deployment/constants";
import { parseQueueMessage } from "../../lib/deployment/handler/deployer";
import { planModelDeployment } from "../../lib/deployment/decision";
import { SAMPLE_WORKSPACE_ID, sampleEvents } from "../../lib/events";

const root = join(__dirname, "..", "..", "..");

describe("deployer queue path (Event Grid → storage queue → queue-triggered function)", () => {
  const event = sampleEvents().find((e) => e.eventType.endsWith("ModelRegistered"));
  const rules = [{ models: ["sklearn_regression_model"], tags: { type: ["Regression"] }, endpointName: "ep-regression" }];

  it("reads the event from an object, a JSON string or a Base64 string, whichever the queue delivered", () => {
    const json = JSON.stringify(event);
    for (const message of [event, json, Buffer.from(json).toString("base64"), ` ${json}\n`]) {
      assert.deepStrictEqual(parseQueueMessage(message), event);
      const decision = planModelDeployment(parseQueueMessage(message), { workspaceId: SAMPLE_WORKSPACE_ID, rules });
      assert.strictEqual(decision.action, "deploy");
    }
  });

  it("passes anything else through so the decision explains why it is not an event", () => {
    assert.strictEqual(parseQueueMessage("not json, not base64!"), "not json, not base64!");
    const decision = planModelDeployment(parseQueueMessage("not json, not base64!"), { workspaceId: SAMPLE_WORKSPACE_ID, rules });
    assert.strictEqual(decision.action, "ignore");
    assert.match((decision as { reason: string }).reason, /not an event/);
  });

  it("packages host.json with a timeout covering deployments, one message at a time, and poison after the documented attempts", () => {
    const host = JSON.parse(readFileSync(join(root, "dist", "lib", "deployment", "function-app", "host.json"), "utf8"));
    assert.strictEqual(host.functionTimeout, "00:30:00");
    assert.deepStrictEqual(host.extensions.queues, { batchSize: 1, newBatchThreshold: 0, maxDequeueCount: DEPLOYER_MAX_DEQUEUE_COUNT, visibilityTimeout: "00:05:00", messageEncoding: "none" });
    const bundle = readFileSync(join(root, "dist", "lib", "deployment", "function-app", "index.js"), "utf8");
    assert.ok(bundle.includes(`"${DEPLOYER_QUEUE_NAME}"`), "the bundle registers the queue trigger on the deployer's queue");
  });
});
