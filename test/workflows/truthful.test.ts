import * as assert from "assert";
import { AmlEventType, sampleEvents, SAMPLE_WORKSPACE_ID } from "../../lib/events";
import { simulateWorkflow } from "../../lib/simulate";
import { ARM_AUDIENCE, eventExpr, eventGridDefinition, managedIdentityHttpAction, rejectEventAction, SKELETON_ACTIONS, WorkflowDefinition } from "../../lib/workflows";

const params = { workspaceId: { value: SAMPLE_WORKSPACE_ID } };
const [, , runCompleted] = sampleEvents();

/** A handler with one Http call, and a permanent rejection when the run id is "poison". */
function build(): WorkflowDefinition {
  return eventGridDefinition({
    handledEventTypes: [AmlEventType.RunCompleted],
    handler: {
      Is_poison: {
        type: "If",
        expression: `@equals(string(${eventExpr(["data", "runId"])}), 'poison')`,
        actions: { Reject_poison: rejectEventAction() },
        else: {
          actions: {
            Call_service: managedIdentityHttpAction({ method: "POST", uri: "https://svc.example/x", audience: ARM_AUDIENCE, body: `@${eventExpr(["id"])}` }),
          },
        },
        runAfter: {},
      },
    },
  });
}

function deliver(body: unknown, answer: (attempt: number) => number = () => 200) {
  const calls: number[] = [];
  const r = simulateWorkflow(build(), { body }, {
    parameters: params,
    httpResponses: (_name, _inputs, attempt) => {
      calls.push(attempt);
      return { statusCode: answer(attempt), headers: {} };
    },
  });
  return { r, calls, status: r.response?.statusCode, body: r.response?.body as Record<string, unknown> };
}

describe("eventGridDefinition: truthful answers", () => {
  it("answers 200 when the call succeeded, and 200 when the event is deliberately skipped (foreign topic, unhandled type)", () => {
    assert.strictEqual(deliver([runCompleted]).status, 200);
    const foreign = deliver([{ ...runCompleted, topic: SAMPLE_WORKSPACE_ID.replace("mlw-platform", "mlw-other") }]);
    assert.deepStrictEqual([foreign.status, foreign.calls], [200, []]);
    const other = deliver([sampleEvents()[0]]);
    assert.deepStrictEqual([other.status, other.calls], [200, []]);
  });

  it("answers 429 when the call was still throttled after the action's 4 retries, with the event id", () => {
    const d = deliver([runCompleted], () => 429);
    assert.deepStrictEqual(d.calls, [1, 2, 3, 4, 5]);
    assert.strictEqual(d.status, 429);
    assert.deepStrictEqual(d.body, { received: 1, failedEventIds: [runCompleted.id], throttledEventIds: [runCompleted.id], rejectedEventIds: [] });
  });

  for (const code of [500, 503, 504, 408, 401, 403, 404]) {
    it(`answers a retryable 503 (never 401/403, which Event Grid dead-letters at once) when the call ends in ${code}`, () => {
      const d = deliver([runCompleted], () => code);
      assert.strictEqual(d.status, 503);
      assert.deepStrictEqual(d.body.failedEventIds, [runCompleted.id]);
      assert.strictEqual(d.calls.length, code === 401 || code === 403 || code === 404 ? 1 : 5);
    });
  }

  it("answers 200 when a retry of the action's policy succeeds (503 then 200)", () => {
    const d = deliver([runCompleted], (attempt) => (attempt === 1 ? 503 : 200));
    assert.deepStrictEqual([d.status, d.calls], [200, [1, 2]]);
  });

  const malformed: [string, unknown][] = [
    ["no id", { ...runCompleted, id: undefined }],
    ["empty eventType", { ...runCompleted, eventType: "" }],
    ["data a string", { ...runCompleted, data: "not an object" }],
    ["data an array", { ...runCompleted, data: [1, 2] }],
    ["data missing", { ...runCompleted, data: undefined }],
    ["an event that is a string", "garbage"],
    ["an event that is a number", 42],
    ["an event that is null", null],
  ];
  for (const [label, event] of malformed) {
    it(`answers 400 for a malformed event (${label}) without calling anything`, () => {
      const d = deliver([event]);
      assert.deepStrictEqual([d.status, d.calls], [400, []]);
      assert.strictEqual((d.body.rejectedEventIds as unknown[]).length, 1);
      assert.ok(d.r.actions.some((a) => a.name === SKELETON_ACTIONS.rejectMalformed && a.status === "Succeeded"));
    });
  }

  for (const body of [{ not: "an array" }, "text", 7, null]) {
    it(`answers 400 for a body that is not an array (${JSON.stringify(body)})`, () => {
      const d = deliver(body);
      assert.deepStrictEqual([d.status, d.calls, d.body.received], [400, [], 0]);
    });
  }

  it("answers 400 when the handler declares the event permanent (rejectEventAction)", () => {
    const poison = { ...runCompleted, id: "7c2b9d1e-0000-4000-8000-00000000beef", data: { ...(runCompleted.data as object), runId: "poison" } };
    const d = deliver([poison]);
    assert.deepStrictEqual([d.status, d.calls], [400, []]);
    assert.deepStrictEqual(d.body.rejectedEventIds, [poison.id]);
  });

  it("with a batch (only when batching is configured), a retryable failure wins over a malformed event", () => {
    const second = { ...runCompleted, id: "second" };
    const d = deliver([runCompleted, "garbage", second], (attempt) => (attempt < 10 ? 503 : 200));
    assert.strictEqual(d.status, 503);
    assert.deepStrictEqual(d.body.failedEventIds, [runCompleted.id, second.id]);
    assert.deepStrictEqual(d.body.rejectedEventIds, ["(no id)"]);
  });
});
