import * as assert from "assert";
import { SimulatedDefinition, simulateWorkflow } from "../../lib/simulate";
import { sampleEvents, SAMPLE_WORKSPACE_ID } from "../../lib/events";

const SCHEMA = "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#";

function definition(actions: Record<string, unknown>, extra: Partial<SimulatedDefinition> = {}): SimulatedDefinition {
  return {
    $schema: SCHEMA,
    contentVersion: "1.0.0.0",
    parameters: { workspaceId: { type: "String", defaultValue: "" } },
    triggers: { manual: { type: "Request", kind: "Http", inputs: { schema: { type: "array" } } } },
    actions,
    outputs: {},
    ...extra,
  };
}

const summary = (r: ReturnType<typeof simulateWorkflow>) => r.actions.map((a) => `${a.path}:${a.status}`);

describe("simulateWorkflow", () => {
  it("runs actions in runAfter order and skips those whose runAfter isn't satisfied", () => {
    const r = simulateWorkflow(
      definition({
        Third: { type: "Compose", inputs: "@concat(outputs('First'), outputs('Second'))", runAfter: { Second: ["Succeeded"] } },
        First: { type: "Compose", inputs: "a", runAfter: {} },
        Second: { type: "Compose", inputs: "b", runAfter: { First: ["Succeeded"] } },
        On_failure: { type: "Compose", inputs: "never", runAfter: { Third: ["Failed"] } },
        After_skip: { type: "Compose", inputs: "skipped too", runAfter: { On_failure: ["Succeeded"] } },
        After_skip_ok: { type: "Compose", inputs: "runs", runAfter: { On_failure: ["Skipped"] } },
      }),
      { body: [] },
    );
    assert.deepStrictEqual(summary(r), [
      "First:Succeeded",
      "Second:Succeeded",
      "Third:Succeeded",
      "On_failure:Skipped",
      "After_skip:Skipped",
      "After_skip_ok:Succeeded",
    ]);
    assert.strictEqual(r.actions[2].outputs, "ab");
    assert.deepStrictEqual(r.response, { statusCode: 202 });
    assert.strictEqual(r.status, "Succeeded");
  });

  it("If runs one branch, records the other as Skipped; Response sets the answer", () => {
    const r = simulateWorkflow(
      definition({
        Check: {
          type: "If",
          expression: "@equals(first(triggerBody())?['eventType'], 'Microsoft.EventGrid.SubscriptionValidationEvent')",
          actions: {
            Validate: { type: "Response", inputs: { statusCode: 200, body: { validationResponse: "@first(triggerBody())?['data']?['validationCode']" } } },
          },
          else: { actions: { Accept: { type: "Response", inputs: { statusCode: 200 } } } },
          runAfter: {},
        },
      }),
      { body: [{ eventType: "Microsoft.EventGrid.SubscriptionValidationEvent", data: { validationCode: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" } }] },
    );
    assert.deepStrictEqual(r.response, { statusCode: 200, body: { validationResponse: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" } });
    assert.deepStrictEqual(summary(r), ["Check:Succeeded", "Check/Validate:Succeeded", "Check/else/Accept:Skipped"]);
    assert.deepStrictEqual(r.actions[0].inputs, { expression: true });
  });

  it("Foreach iterates sequentially with items('Loop'), a failing iteration fails the loop, a handler runs after it", () => {
    const events = sampleEvents();
    const r = simulateWorkflow(
      definition({
        Loop: {
          type: "Foreach",
          foreach: "@triggerBody()",
          actions: { Subject: { type: "Compose", inputs: "@items('Loop').subject", runAfter: {} } },
          runAfter: {},
        },
        Done: { type: "Response", inputs: { statusCode: 200, body: "@length(triggerBody())" }, runAfter: { Loop: ["Succeeded", "Failed"] } },
      }),
      { body: [events[0], { id: "malformed" }, events[1]] },
    );
    assert.deepStrictEqual(summary(r), [
      "Loop:Failed",
      "Loop[0]/Subject:Succeeded",
      "Loop[1]/Subject:Failed",
      "Loop[2]/Subject:Succeeded",
      "Done:Succeeded",
    ]);
    assert.strictEqual(r.actions[1].outputs, "models/sklearn_regression_model:20");
    assert.match(r.actions[2].error ?? "", /InvalidTemplate: property 'subject' doesn't exist/);
    assert.deepStrictEqual(r.actions[2].iteration, [1]);
    assert.deepStrictEqual(r.response, { statusCode: 200, body: 3 });
    assert.strictEqual(r.status, "Succeeded", "the loop's failure is handled by Done's runAfter");
  });

  it("a Scope isolates a failure that a sibling handles; variables collect it", () => {
    const r = simulateWorkflow(
      definition({
        Init: { type: "InitializeVariable", inputs: { variables: [{ name: "failed", type: "array" }] }, runAfter: {} },
        Loop: {
          type: "Foreach",
          foreach: "@triggerBody()",
          actions: {
            Try: { type: "Scope", actions: { Read: { type: "Compose", inputs: "@item().data.runId", runAfter: {} } }, runAfter: {} },
            Catch: { type: "AppendToArrayVariable", inputs: { name: "failed", value: "@item()?['id']" }, runAfter: { Try: ["Failed", "TimedOut"] } },
          },
          runAfter: { Init: ["Succeeded"] },
        },
        Reply: { type: "Response", inputs: { statusCode: 200, body: { failedEventIds: "@variables('failed')" } }, runAfter: { Loop: ["Succeeded", "Failed"] } },
      }),
      { body: [{ id: "a", data: { runId: "r1" } }, { id: "b", data: {} }] },
    );
    assert.deepStrictEqual(r.response, { statusCode: 200, body: { failedEventIds: ["b"] } });
    const loop = r.actions.find((a) => a.name === "Loop");
    assert.strictEqual(loop?.status, "Succeeded");
    assert.deepStrictEqual(
      r.actions.filter((a) => a.name === "Try").map((a) => a.status),
      ["Succeeded", "Failed"],
    );
  });

  it("Http records evaluated inputs, takes its answer from httpResponses and fails on 4xx/5xx", () => {
    const seen: string[] = [];
    const r = simulateWorkflow(
      definition({
        Call: {
          type: "Http",
          inputs: { method: "POST", uri: "https://example.com/@{parameters('workspaceId')}", body: { n: "@length(triggerBody())" } },
          runAfter: {},
        },
        Status: { type: "Compose", inputs: "@outputs('Call')['statusCode']", runAfter: { Call: ["Failed"] } },
      }),
      { body: [1, 2] },
      {
        parameters: { workspaceId: { value: "ws" } },
        httpResponses: (name, inputs) => {
          seen.push(`${name}:${JSON.stringify(inputs)}`);
          return { statusCode: 503 };
        },
      },
    );
    // Logic Apps' Default retry policy resends a 503 four times: five requests in all.
    assert.deepStrictEqual(seen, Array(5).fill('Call:{"method":"POST","uri":"https://example.com/ws","body":{"n":2}}'));
    assert.deepStrictEqual(summary(r), ["Call:Failed", "Status:Succeeded"]);
    assert.strictEqual(r.actions[0].attempts, 5);
    assert.strictEqual(r.actions[1].outputs, 503);
  });

  it("a Response that is skipped answers 502; Terminate stops the run", () => {
    const skipped = simulateWorkflow(
      definition({
        Fail: { type: "Compose", inputs: "@json('{}').x", runAfter: {} },
        Reply: { type: "Response", inputs: { statusCode: 200 }, runAfter: { Fail: ["Succeeded"] } },
      }),
      { body: [] },
    );
    assert.strictEqual(skipped.response?.statusCode, 502);
    assert.strictEqual(skipped.status, "Failed");
    const terminated = simulateWorkflow(
      definition({
        Stop: { type: "Terminate", inputs: { runStatus: "Cancelled" }, runAfter: {} },
        Never: { type: "Compose", inputs: "x", runAfter: { Stop: ["Succeeded"] } },
      }),
      { body: [] },
    );
    assert.deepStrictEqual(summary(terminated), ["Stop:Succeeded"]);
    assert.strictEqual(terminated.status, "Cancelled");
  });

  it("applies definition parameter defaults, overrides them with the Workflow resource's parameters, and evaluates outputs", () => {
    const def = definition(
      { Echo: { type: "Compose", inputs: "@parameters('workspaceId')", runAfter: {} } },
      { outputs: { workspace: { type: "String", value: "@outputs('Echo')" } } },
    );
    assert.deepStrictEqual(simulateWorkflow(def, { body: [] }).outputs, { workspace: "" });
    assert.deepStrictEqual(simulateWorkflow(def, { body: [] }, { parameters: { workspaceId: { type: "String", value: SAMPLE_WORKSPACE_ID } } }).outputs, {
      workspace: SAMPLE_WORKSPACE_ID,
    });
  });

  it("rejects definitions Logic Apps would reject, naming the problem", () => {
    assert.throws(() => simulateWorkflow(definition({ X: { type: "Switch", runAfter: {} } }), { body: [] }), /actions\.X: action type "Switch" is not supported/);
    assert.throws(() => simulateWorkflow(definition({ X: { type: "Compose", inputs: "@nope()", runAfter: {} } }), { body: [] }), /actions\.X\.inputs: unknown function 'nope' at position 1/);
    assert.throws(() => simulateWorkflow(definition({ X: { type: "Compose", inputs: 1, runAfter: { Y: ["Succeeded"] } } }), { body: [] }), /runAfter names 'Y'/);
    assert.throws(
      () => simulateWorkflow(definition({}, { triggers: { manual: { type: "Request", kind: "Http", splitOn: "@triggerBody()" } } }), { body: [] }),
      /splitOn/,
    );
    assert.throws(() => simulateWorkflow(definition({}), { body: [] }, { parameters: { other: { value: 1 } } }), /parameter 'other' is not declared/);
  });

  it("rejects a Response or Terminate inside a Foreach or Until loop, nested branches included (Logic Apps rule)", () => {
    const respond = { type: "Response", kind: "Http", inputs: { statusCode: 200 }, runAfter: {} };
    const loop = (inner: Record<string, unknown>) =>
      definition({ Loop: { type: "Foreach", foreach: "@triggerBody()", actions: inner, runtimeConfiguration: { concurrency: { repetitions: 1 } }, runAfter: {} } });
    assert.throws(
      () => simulateWorkflow(loop({ Answer: respond }), { body: [1] }),
      /actions\.Loop\.actions\.Answer: a Response action can't be inside a Foreach or Until loop \(here 'Loop'\)/,
    );
    assert.throws(
      () => simulateWorkflow(loop({ Check: { type: "If", expression: "@true", actions: {}, else: { actions: { Stop: { type: "Terminate", inputs: { runStatus: "Failed" }, runAfter: {} } } }, runAfter: {} } }), { body: [1] }),
      /actions\.Loop\.actions\.Check\.else\.actions\.Stop: a Terminate action can't be inside a Foreach or Until loop/,
    );
    assert.throws(
      () => simulateWorkflow(definition({ Poll: { type: "Until", expression: "@true", limit: { count: 1 }, actions: { Group: { type: "Scope", actions: { Answer: respond }, runAfter: {} } }, runAfter: {} } }), { body: [] }),
      /Poll\.actions\.Group\.actions\.Answer: a Response action can't be inside a Foreach or Until loop \(here 'Poll'\)/,
    );
    // Outside loops (If and Scope branches) a Response is fine.
    const ok = simulateWorkflow(definition({ Group: { type: "Scope", actions: { Check: { type: "If", expression: "@true", actions: { Answer: respond }, runAfter: {} } }, runAfter: {} } }), { body: [] });
    assert.strictEqual(ok.response?.statusCode, 200);
  });
});

describe("simulateWorkflow: Http retry policies", () => {
  const call = (retryPolicy?: unknown) => ({
    $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
    contentVersion: "1.0.0.0",
    triggers: { manual: { type: "Request", kind: "Http" } },
    actions: { Call: { type: "Http", inputs: { method: "GET", uri: "https://svc.example/", ...(retryPolicy ? { retryPolicy } : {}) }, runAfter: {} } },
  });
  const attemptsSeen = (retryPolicy: unknown, status: number): number => {
    let n = 0;
    simulateWorkflow(call(retryPolicy), { body: [] }, { httpResponses: () => (n++, { statusCode: status }) });
    return n;
  };
  it("resends 408, 429 and 5xx per the policy: default 4 retries, none 0, fixed/exponential their count", () => {
    assert.strictEqual(attemptsSeen(undefined, 429), 5);
    assert.strictEqual(attemptsSeen({ type: "none" }, 503), 1);
    assert.strictEqual(attemptsSeen({ type: "fixed", count: 2, interval: "PT5S" }, 408), 3);
    assert.strictEqual(attemptsSeen({ type: "exponential", count: 7, interval: "PT7S" }, 500), 8);
  });
  it("does not resend 2xx or non-retryable 4xx", () => {
    assert.strictEqual(attemptsSeen(undefined, 202), 1);
    assert.strictEqual(attemptsSeen(undefined, 400), 1);
    assert.strictEqual(attemptsSeen(undefined, 403), 1);
  });
});
