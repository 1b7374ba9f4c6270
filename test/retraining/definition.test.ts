import * as assert from "assert";
import { documentedSampleEvents, EventGridEvent, SAMPLE_WORKSPACE_ID, sampleEvents, SUBSCRIPTION_VALIDATION_EVENT } from "../../lib/events";
import { simulateWorkflow } from "../../lib/simulate";
import {
  buildDriftRetrainDefinition,
  coolDownMinutes,
  createRunUrl,
  DEFAULT_PARAMETER_MAPPING,
  DriftRetrainDefinitionOptions,
  DriftRetrainWorkflow,
  previewRetrainCall,
  queryPipelineRunsUrl,
  RecentPipelineRun,
  RETRAIN_ACTIONS,
  retrainConditionExpr,
  simulateRetrain,
  workflowParameterValues,
} from "../../lib/retraining";
import { MAX_RUN_PAGES, RUN_HISTORY_ACTIONS } from "../../lib/retraining/runHistory";

const FACTORY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform";
const CREATE_RUN =
  "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform/pipelines/retrain-on-drift/createRun?api-version=2018-06-01";
const QUERY_RUNS =
  "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform/queryPipelineRuns?api-version=2018-06-01";
const MSI = { type: "ManagedServiceIdentity", audience: "https://management.azure.com/" };
const DRIFT_ID = "01d29aa4-e6a4-470a-9ef3-66660d21f8ef";

/** The body createRun gets for the sample drift event under the default mapping. */
const SAMPLE_BODY = {
  dataDriftId: DRIFT_ID,
  dataDriftName: "myDriftMonitor",
  runId: "01d29aa4-e6a4-470a-9ef3-66660d21f8ef_1571590300380",
  baseDatasetId: "3c56d136-0f64-4657-a0e8-5162089a88a3",
  targetDatasetId: "d7e74d2e-c972-4266-b5fb-6c9c182d2a74",
  driftCoefficient: 0.8350349068479208,
  startTime: "2019-07-04T00:00:00+00:00",
  endTime: "2019-07-05T00:00:00+00:00",
};

function workflow(options: Partial<DriftRetrainDefinitionOptions> = {}): DriftRetrainWorkflow {
  return {
    definition: buildDriftRetrainDefinition({ mapping: DEFAULT_PARAMETER_MAPPING, ...options }),
    parameters: workflowParameterValues({
      workspaceId: SAMPLE_WORKSPACE_ID,
      createRunUri: createRunUrl(FACTORY, "retrain-on-drift"),
      queryPipelineRunsUri: queryPipelineRunsUrl(FACTORY),
      pipelineName: "retrain-on-drift",
    }),
  };
}

const realDrift = (): EventGridEvent => sampleEvents()[3];
const documentedDrift = (): EventGridEvent => documentedSampleEvents()[3];
function withData(event: EventGridEvent, patch: Record<string, unknown>): EventGridEvent {
  return { ...event, data: { ...(event.data as Record<string, unknown>), ...patch } };
}
function without(event: EventGridEvent, key: string): EventGridEvent {
  const data = { ...(event.data as Record<string, unknown>) };
  delete data[key];
  return { ...event, data };
}

const filtered = workflow({ driftMonitorNames: ["myDriftMonitor", "churnMonitor"], minimumDriftCoefficient: 0.5 });
const coolDown = workflow({ driftMonitorNames: ["myDriftMonitor"], minimumDriftCoefficient: 0.5, coolDown: { hours: 24, parameter: "dataDriftId" } });

describe("retraining: workflow definition, simulated", () => {
  it("starts the pipeline for the real (camelCase) sample: exact createRun request and the run id in the outputs", () => {
    const sim = simulateRetrain(filtered, [realDrift()], { runId: "2f7fdb90-5df1-4b8e-ac2f-064cfa58202b" });
    assert.deepStrictEqual(sim.calls, [
      { method: "POST", uri: CREATE_RUN, headers: { "Content-Type": "application/json" }, body: SAMPLE_BODY, authentication: MSI },
    ]);
    assert.deepStrictEqual(sim.runIds, ["2f7fdb90-5df1-4b8e-ac2f-064cfa58202b"]);
    assert.deepStrictEqual(sim.result.response, {
      statusCode: 200,
      headers: { "Content-Type": "application/json" },
      body: { received: 1, failedEventIds: [], throttledEventIds: [], rejectedEventIds: [] },
    });
    assert.strictEqual(sim.result.status, "Succeeded");
  });

  it("reads the documented (PascalCase) payload to the same request", () => {
    assert.deepStrictEqual(previewRetrainCall(filtered, documentedDrift()), {
      method: "POST",
      uri: CREATE_RUN,
      headers: { "Content-Type": "application/json" },
      body: SAMPLE_BODY,
      authentication: MSI,
    });
  });

  const skipped: { label: string; event: () => EventGridEvent }[] = [
    { label: "coefficient below the minimum (real casing)", event: () => withData(realDrift(), { driftCoefficient: 0.49 }) },
    { label: "coefficient below the minimum (documented casing)", event: () => withData(documentedDrift(), { DriftCoefficient: 0.2 }) },
    { label: "no coefficient at all", event: () => without(realDrift(), "driftCoefficient") },
    { label: "a monitor that is not listed", event: () => withData(realDrift(), { dataDriftName: "pricingMonitor" }) },
  ];
  for (const c of skipped) {
    it(`makes no call for ${c.label}, and says why`, () => {
      const sim = simulateRetrain(filtered, [c.event()]);
      assert.deepStrictEqual(sim.calls, []);
      assert.deepStrictEqual(sim.runIds, []);
      const skip = sim.result.actions.find((a) => a.name === RETRAIN_ACTIONS.skipThreshold);
      assert.strictEqual(skip?.status, "Succeeded");
      const start = sim.result.actions.find((a) => a.name === RETRAIN_ACTIONS.start);
      assert.strictEqual(start?.status, "Skipped");
    });
  }

  it("accepts a coefficient exactly at the minimum and monitor names in any case (as Event Grid's filter does)", () => {
    const atMinimum = previewRetrainCall(filtered, withData(realDrift(), { driftCoefficient: 0.5, dataDriftName: "CHURNMONITOR" }));
    assert.deepStrictEqual(atMinimum?.body, { ...SAMPLE_BODY, driftCoefficient: 0.5, dataDriftName: "CHURNMONITOR" });
  });

  it("ignores an event from another workspace (foreign topic) without calling Data Factory", () => {
    const foreign = sampleEvents(SAMPLE_WORKSPACE_ID.replace("mlw-platform", "mlw-other"))[3];
    const sim = simulateRetrain(filtered, [foreign]);
    assert.deepStrictEqual(sim.calls, []);
    assert.strictEqual(sim.result.actions.find((a) => a.name === "Ignore_event")?.status, "Succeeded");
    assert.strictEqual(sim.result.actions.find((a) => a.name === RETRAIN_ACTIONS.check)?.status, "Skipped");
  });

  it("ignores other AML event types delivered to it", () => {
    const sim = simulateRetrain(filtered, sampleEvents().filter((e) => !e.eventType.endsWith("DatasetDriftDetected")));
    assert.deepStrictEqual(sim.calls, []);
    assert.strictEqual(sim.result.actions.filter((a) => a.name === "Ignore_event" && a.status === "Succeeded").length, 4);
  });

  it("answers the validation handshake and calls nothing", () => {
    const validation: EventGridEvent = {
      id: "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
      topic: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml-platform/providers/Microsoft.EventGrid/systemTopics/ws-topic",
      subject: "",
      eventType: SUBSCRIPTION_VALIDATION_EVENT,
      eventTime: "2018-01-25T22:12:19.4556811Z",
      data: { validationCode: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", validationUrl: "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/x/validate?id=512d38b6&t=2018-04-26T20:30:54.4538837Z" },
      dataVersion: "1",
      metadataVersion: "1",
    };
    const sim = simulateRetrain(coolDown, [validation]);
    assert.deepStrictEqual(sim.result.response, {
      statusCode: 200,
      headers: { "Content-Type": "application/json" },
      body: { validationResponse: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" },
    });
    assert.deepStrictEqual(sim.calls, []);
    assert.ok(sim.result.actions.every((a) => a.type !== "Http" || a.status === "Skipped"));
  });

  it("without filters, retrains on every drift event of the workspace (no threshold check in the definition)", () => {
    const open = workflow();
    assert.ok(!JSON.stringify(open.definition).includes(RETRAIN_ACTIONS.check));
    assert.deepStrictEqual(previewRetrainCall(open, withData(realDrift(), { driftCoefficient: 0.01 }))?.body, { ...SAMPLE_BODY, driftCoefficient: 0.01 });
  });

  it("maps parameters as configured, envelope fields included", () => {
    const custom = workflow({ mapping: { monitor: "dataDriftName", score: "driftCoefficient", eventId: "id", window_end: "endTime" } });
    assert.deepStrictEqual(previewRetrainCall(custom, documentedDrift())?.body, {
      monitor: "myDriftMonitor",
      score: 0.8350349068479208,
      eventId: "831e1650-001e-001b-66ab-eeb76e069634",
      window_end: "2019-07-05T00:00:00+00:00",
    });
  });

  it("records a failed createRun as a failed event and answers 503 so Event Grid redelivers it (403 while the role propagates)", () => {
    const result = simulateWorkflow(filtered.definition, { body: [realDrift()] }, {
      parameters: filtered.parameters,
      now: "2019-07-05T01:00:00Z",
      httpResponses: () => ({ statusCode: 403, body: { error: { code: "AuthorizationFailed" } } }),
    });
    assert.strictEqual(result.actions.find((a) => a.name === RETRAIN_ACTIONS.start)?.status, "Failed");
    assert.strictEqual(result.actions.find((a) => a.name === RETRAIN_ACTIONS.recordRunId)?.status, "Skipped");
    assert.strictEqual(result.response?.statusCode, 503);
    assert.deepStrictEqual(result.response?.body, { received: 1, failedEventIds: ["831e1650-001e-001b-66ab-eeb76e069634"], throttledEventIds: [], rejectedEventIds: [] });
    assert.deepStrictEqual(result.outputs, { runIds: [] });
  });
});

describe("retraining: cool-down, simulated against Data Factory's queryPipelineRuns", () => {
  const NOW = "2019-07-05T06:00:00Z";
  const run = (id: string, dataDriftId: string): RecentPipelineRun => ({
    runId: id,
    pipelineName: "retrain-on-drift",
    status: "Succeeded",
    parameters: { ...Object.fromEntries(Object.entries(SAMPLE_BODY).map(([k, v]) => [k, String(v)])), dataDriftId },
  });

  it("queries runs of the pipeline updated in the last N hours that did not fail or get cancelled (exact request)", () => {
    const sim = simulateRetrain(coolDown, [realDrift()], { now: NOW });
    const query = sim.result.actions.find((a) => a.name === RETRAIN_ACTIONS.queryRuns);
    assert.deepStrictEqual(query?.inputs, {
      method: "POST",
      uri: QUERY_RUNS,
      headers: { "Content-Type": "application/json" },
      body: {
        lastUpdatedAfter: "2019-07-04T06:00:00.0000000Z",
        lastUpdatedBefore: "2019-07-05T06:00:00.0000000Z",
        filters: [
          { operand: "PipelineName", operator: "Equals", values: ["retrain-on-drift"] },
          { operand: "Status", operator: "NotIn", values: ["Failed", "Cancelled"] },
        ],
        orderBy: [{ orderBy: "RunStart", order: "DESC" }],
        continuationToken: null,
      },
      authentication: MSI,
      retryPolicy: { type: "none" },
    });
  });

  it("starts a run when no recent run belongs to this monitor (another monitor's run doesn't count)", () => {
    const sim = simulateRetrain(coolDown, [realDrift()], { now: NOW, recentRuns: [run("16ac5348-ff82-4f95-a80d-638c1d47b721", "7f1c2b3a-0000-4000-8000-000000000001")] });
    assert.deepStrictEqual(sim.calls.map((c) => [c.method, c.uri, c.body, c.authentication]), [["POST", CREATE_RUN, SAMPLE_BODY, MSI]]);
  });

  it("skips the run while the cool-down is active (monitor ids compared ignoring case), and says why", () => {
    const sim = simulateRetrain(coolDown, [realDrift()], { now: NOW, recentRuns: [run("16ac5348-ff82-4f95-a80d-638c1d47b721", DRIFT_ID.toUpperCase())] });
    assert.deepStrictEqual(sim.calls, []);
    assert.deepStrictEqual(sim.runIds, []);
    const skip = sim.result.actions.find((a) => a.name === RETRAIN_ACTIONS.skipCoolDown);
    assert.deepStrictEqual(skip?.inputs, {
      reason: "a run of this drift monitor started within the last 24 hours (cool-down)",
      monitor: DRIFT_ID,
      recentRunCount: 1,
    });
  });

  it("reads every page of queryPipelineRuns: a run of this monitor on the third page still holds the cool-down", () => {
    const others = (page: number): RecentPipelineRun[] =>
      [1, 2, 3].map((i) => run(`0000000${page}-0000-4000-8000-00000000000${i}`, `7f1c2b3a-0000-4000-8000-00000000000${i}`));
    const pages = [others(1), others(2), [...others(3), run("16ac5348-ff82-4f95-a80d-638c1d47b721", DRIFT_ID)]];
    const sim = simulateRetrain(coolDown, [realDrift()], { now: NOW, runPages: pages });
    assert.deepStrictEqual(sim.calls, []);
    const queries = sim.result.actions.filter((a) => a.name === RETRAIN_ACTIONS.queryRuns);
    assert.deepStrictEqual(
      queries.map((q) => (q.inputs as { body: { continuationToken: unknown } }).body.continuationToken),
      [null, "page-1", "page-2"],
    );
    const skip = sim.result.actions.find((a) => a.name === RETRAIN_ACTIONS.skipCoolDown);
    assert.strictEqual((skip?.inputs as { recentRunCount: unknown }).recentRunCount, 1);
    // The same history on one page decides the same way; without the match on page three, the run starts.
    assert.strictEqual(simulateRetrain(coolDown, [realDrift()], { now: NOW, recentRuns: pages.flat() }).calls.length, 0);
    assert.strictEqual(simulateRetrain(coolDown, [realDrift()], { now: NOW, runPages: [others(1), others(2), others(3)] }).calls.length, 1);
  });

  it("fails the event (503, redelivered) when pages remain after the read bound, instead of deciding on part of the history", () => {
    const others = (page: number): RecentPipelineRun[] => [run(`0000000${page % 10}-0000-4000-8000-000000000001`, "7f1c2b3a-0000-4000-8000-000000000001")];
    const endless = Array.from({ length: MAX_RUN_PAGES + 1 }, (_, i) => others(i));
    const sim = simulateRetrain(coolDown, [realDrift()], { now: NOW, runPages: endless });
    assert.deepStrictEqual(sim.calls, []);
    assert.strictEqual(sim.result.actions.filter((a) => a.name === RETRAIN_ACTIONS.queryRuns).length, MAX_RUN_PAGES);
    assert.strictEqual(sim.result.actions.find((a) => a.name === RUN_HISTORY_ACTIONS.failIncomplete)?.status, "Failed");
    assert.strictEqual(sim.result.response?.statusCode, 503);
    // Exactly the bound's worth of pages still decides (and starts the run).
    assert.strictEqual(simulateRetrain(coolDown, [realDrift()], { now: NOW, runPages: endless.slice(0, MAX_RUN_PAGES) }).calls.length, 1);
  });

  it("starts one run per monitor per delivery even before Data Factory lists the first", () => {
    const second = { ...realDrift(), id: "831e1650-001e-001b-66ab-eeb76e069699" };
    const other = withData({ ...realDrift(), id: "831e1650-001e-001b-66ab-eeb76e069700" }, { dataDriftId: "7f1c2b3a-0000-4000-8000-000000000001" });
    const sim = simulateRetrain(coolDown, [realDrift(), second, other], { now: NOW });
    assert.deepStrictEqual(sim.calls.map((c) => (c.body as { dataDriftId: string }).dataDriftId), [DRIFT_ID, "7f1c2b3a-0000-4000-8000-000000000001"]);
    assert.strictEqual(sim.runIds.length, 2);
  });

  it("keys the cool-down on dataDriftName when only the name is mapped", () => {
    const byName = workflow({ mapping: { monitor: "dataDriftName", score: "driftCoefficient" }, coolDown: { hours: 6, parameter: "monitor" } });
    const recent: RecentPipelineRun = { runId: "r1", pipelineName: "retrain-on-drift", status: "InProgress", parameters: { monitor: "MyDriftMonitor", score: "0.9" } };
    assert.strictEqual(previewRetrainCall(byName, documentedDrift(), { now: NOW, recentRuns: [recent] }), undefined);
    assert.deepStrictEqual(previewRetrainCall(byName, documentedDrift(), { now: NOW })?.body, { monitor: "myDriftMonitor", score: 0.8350349068479208 });
  });
});

describe("retraining: definition pieces", () => {
  const conditions: [string, Parameters<typeof retrainConditionExpr>[0], string | undefined][] = [
    ["no filters", {}, undefined],
    [
      "monitor names only (lower-cased, quotes escaped)",
      { driftMonitorNames: ["Churn", "it's"] },
      "contains(createArray('churn', 'it''s'), toLower(string(coalesce(items('For_each_event')?['data']?['dataDriftName'], items('For_each_event')?['data']?['DataDriftName']))))",
    ],
    [
      "coefficient only",
      { minimumDriftCoefficient: 1 },
      "greaterOrEquals(float(coalesce(coalesce(items('For_each_event')?['data']?['driftCoefficient'], items('For_each_event')?['data']?['DriftCoefficient']), -1)), 1.0)",
    ],
  ];
  for (const [label, input, expected] of conditions) {
    it(`retrainConditionExpr: ${label}`, () => assert.strictEqual(retrainConditionExpr(input), expected));
  }

  it("retrainConditionExpr: both filters are AND'ed", () => {
    assert.strictEqual(
      retrainConditionExpr({ driftMonitorNames: ["a"], minimumDriftCoefficient: 0.3 }),
      `and(${retrainConditionExpr({ driftMonitorNames: ["a"] })}, ${retrainConditionExpr({ minimumDriftCoefficient: 0.3 })})`,
    );
    assert.strictEqual(retrainConditionExpr({ minimumDriftCoefficient: 0.3 })?.endsWith(", -1)), 0.3)"), true);
  });

  const minutes: [number, number][] = [
    [24, 1440],
    [0.5, 30],
    [1.01, 61],
    [0.001, 1],
  ];
  for (const [hours, expected] of minutes) {
    it(`coolDownMinutes(${hours}) = ${expected}`, () => assert.strictEqual(coolDownMinutes(hours), expected));
  }

  it("declares the runIds output, the Data Factory parameters and only the variables it uses", () => {
    const plain = workflow().definition;
    assert.deepStrictEqual(plain.outputs, { runIds: { type: "Array", value: "@variables('retrainRunIds')" } });
    assert.deepStrictEqual(Object.keys(plain.parameters), ["workspaceId", "createRunUri", "queryPipelineRunsUri", "pipelineName"]);
    assert.deepStrictEqual(Object.keys(plain.actions), ["Initialize_failed_events", "Initialize_throttled_events", "Initialize_rejected_events", "Initialize_retrain_run_ids", "Is_validation_handshake"]);
    assert.deepStrictEqual(Object.keys(coolDown.definition.actions), [
      "Initialize_failed_events",
      "Initialize_throttled_events",
      "Initialize_rejected_events",
      "Initialize_retrain_run_ids",
      "Initialize_started_monitors",
      "Initialize_recent_runs",
      "Initialize_run_page_token",
      "Is_validation_handshake",
    ]);
    assert.deepStrictEqual(coolDown.definition.actions.Is_validation_handshake.runAfter, { Initialize_run_page_token: ["Succeeded"] });
  });
});
