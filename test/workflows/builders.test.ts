import * as assert from "assert";
import { AmlEventType, documentedSampleEvents, sampleEvents, SAMPLE_WORKSPACE_ID, SUBSCRIPTION_VALIDATION_EVENT } from "../../lib/events";
import { evaluateExpression, simulateWorkflow } from "../../lib/simulate";
import {
  dataFieldExpr,
  EVENT_TRIGGER_NAME,
  eventExpr,
  eventGridDefinition,
  managedIdentityHttpAction,
  oneOfIgnoringCase,
  SKELETON_ACTIONS,
  WorkflowDefinition,
} from "../../lib/workflows";

const handler = {
  Note_run: { type: "Compose" as const, inputs: `@${dataFieldExpr("runId")}`, runAfter: {} },
};

function build(): WorkflowDefinition {
  return eventGridDefinition({ handledEventTypes: [AmlEventType.RunCompleted, AmlEventType.RunStatusChanged], handler });
}

const params = { workspaceId: { value: SAMPLE_WORKSPACE_ID } };

describe("eventGridDefinition", () => {
  it("has the documented layout, a Request trigger without splitOn, and stable key order", () => {
    const d = build();
    assert.deepStrictEqual(Object.keys(d), ["$schema", "contentVersion", "parameters", "triggers", "actions", "outputs"]);
    assert.deepStrictEqual(Object.keys(d.triggers), [EVENT_TRIGGER_NAME]);
    assert.strictEqual("splitOn" in d.triggers[EVENT_TRIGGER_NAME], false);
    assert.deepStrictEqual(Object.keys(d.actions), [SKELETON_ACTIONS.initialize, SKELETON_ACTIONS.initializeThrottled, SKELETON_ACTIONS.initializeRejected, SKELETON_ACTIONS.handshake]);
    assert.strictEqual(JSON.stringify(build()), JSON.stringify(d));
  });

  it("answers the validation handshake with 200 and the code", () => {
    const r = simulateWorkflow(
      build(),
      {
        body: [
          {
            id: "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
            topic: SAMPLE_WORKSPACE_ID,
            subject: "",
            data: { validationCode: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", validationUrl: "https://rp-eastus2.eventgrid.azure.net/..." },
            eventType: SUBSCRIPTION_VALIDATION_EVENT,
            eventTime: "2018-01-25T22:12:19.4556811Z",
            metadataVersion: "1",
            dataVersion: "1",
          },
        ],
      },
      { parameters: params },
    );
    assert.deepStrictEqual(r.response, {
      statusCode: 200,
      headers: { "Content-Type": "application/json" },
      body: { validationResponse: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" },
    });
    assert.deepStrictEqual(
      r.actions.map((a) => `${a.path}:${a.status}`).slice(0, 5),
      ["Initialize_failed_events:Succeeded", "Initialize_throttled_events:Succeeded", "Initialize_rejected_events:Succeeded", "Is_validation_handshake:Succeeded", "Is_validation_handshake/Answer_validation:Succeeded"],
    );
    assert.strictEqual(r.actions.filter((a) => a.name === "Note_run" && a.status !== "Skipped").length, 0);
  });

  for (const [label, events] of [
    ["real camelCase events", sampleEvents()],
    ["documented PascalCase events", documentedSampleEvents()],
  ] as const) {
    it(`runs the handler only for handled types from the workspace (${label})`, () => {
      const r = simulateWorkflow(build(), { body: events }, { parameters: params });
      const notes = r.actions.filter((a) => a.name === "Note_run" && a.status === "Succeeded");
      assert.deepStrictEqual(
        notes.map((a) => a.outputs),
        ["AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5", "AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5"],
      );
      assert.deepStrictEqual(
        notes.map((a) => a.iteration),
        [[2], [4]],
      );
      assert.deepStrictEqual(r.response?.body, { received: 5, failedEventIds: [], throttledEventIds: [], rejectedEventIds: [] });
      assert.strictEqual(r.response?.statusCode, 200);
    });
  }

  it("compares the topic ignoring case and ignores other workspaces", () => {
    const [, , runCompleted] = sampleEvents();
    const upper = { ...runCompleted, topic: SAMPLE_WORKSPACE_ID.toUpperCase() };
    const foreign = { ...runCompleted, id: "foreign", topic: SAMPLE_WORKSPACE_ID.replace("mlw-platform", "mlw-other") };
    const r = simulateWorkflow(build(), { body: [upper, foreign] }, { parameters: params });
    assert.deepStrictEqual(
      r.actions.filter((a) => a.name === "Note_run").map((a) => `${a.iteration}:${a.status}`),
      ["0:Succeeded", "1:Skipped"],
    );
    const ignored = r.actions.find((a) => a.name === SKELETON_ACTIONS.ignore && a.status === "Succeeded");
    assert.strictEqual((ignored?.outputs as { id: string }).id, "foreign");
  });

  it("isolates an event whose handler fails: the others run, its id is reported, Event Grid gets a retryable 503", () => {
    const [, , runCompleted, , runStatusChanged] = sampleEvents();
    const malformed = { ...runCompleted, id: "malformed", data: { runId: ["not", "text"] } };
    const strict = eventGridDefinition({
      handledEventTypes: [AmlEventType.RunCompleted, AmlEventType.RunStatusChanged],
      handler: { Read_run: { type: "Compose", inputs: `@substring(${eventExpr(["data", "runId"])}, 0, 3)`, runAfter: {} } },
    });
    const r = simulateWorkflow(strict, { body: [runCompleted, malformed, runStatusChanged] }, { parameters: params });
    assert.deepStrictEqual(
      r.actions.filter((a) => a.name === "Read_run").map((a) => a.status),
      ["Succeeded", "Failed", "Succeeded"],
    );
    assert.deepStrictEqual(r.response, {
      statusCode: 503,
      headers: { "Content-Type": "application/json" },
      body: { received: 3, failedEventIds: ["malformed"], throttledEventIds: [], rejectedEventIds: [] },
    });
  });

  it("rejects an empty list of event types and invalid templates in the handler", () => {
    assert.throws(() => eventGridDefinition({ handledEventTypes: [], handler }), /handledEventTypes is empty/);
    assert.throws(
      () => eventGridDefinition({ handledEventTypes: [AmlEventType.RunCompleted], handler: { Bad: { type: "Compose", inputs: "@toLowr('x')", runAfter: {} } } }),
      /Bad\.inputs: unknown function 'toLowr' at position 1 in template "@toLowr\('x'\)"/,
    );
  });
});

describe("managedIdentityHttpAction", () => {
  it("builds an Http action with MSI authentication and a fixed key order", () => {
    const a = managedIdentityHttpAction({
      method: "POST",
      uri: "https://example.communication.azure.com/emails:send?api-version=2023-03-31",
      audience: "https://communication.azure.com",
      body: { x: 1 },
      disableAsyncPattern: true,
    });
    assert.deepStrictEqual(a, {
      type: "Http",
      inputs: {
        method: "POST",
        uri: "https://example.communication.azure.com/emails:send?api-version=2023-03-31",
        body: { x: 1 },
        authentication: { type: "ManagedServiceIdentity", audience: "https://communication.azure.com" },
      },
      operationOptions: "DisableAsyncPattern",
      runAfter: {},
    });
    assert.deepStrictEqual(Object.keys(a.inputs), ["method", "uri", "body", "authentication"]);
  });
});

describe("oneOfIgnoringCase", () => {
  it("builds a case-insensitive membership test with escaped literals", () => {
    assert.strictEqual(oneOfIgnoringCase(["Failed", "it's"], "item()?['s']"), "contains(createArray('failed', 'it''s'), toLower(string(item()?['s'])))");
    assert.throws(() => oneOfIgnoringCase([], "item()"), /values is empty/);
  });

  const cases: [unknown, boolean][] = [
    ["FAILED", true],
    ["canceled", true],
    ["Running", false],
    [null, false],
    [3, false],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} is ${expected ? "" : "not "}one of Failed, Canceled`, () => {
      assert.strictEqual(evaluateExpression(`@${oneOfIgnoringCase(["Failed", "Canceled"], "item()")}`, { item: value }), expected);
    });
  }
});
