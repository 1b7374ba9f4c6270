import * as assert from "assert";
import {
  BATCH_ACTIVITIES,
  BATCH_ENDPOINT_AUDIENCE,
  batchInvocationUrl,
  batchRetrainPipelineActivities,
  BatchRetrainOptions,
  previewBatchInvocation,
  untilTimeout,
} from "../../lib/retraining";
import { simulatePipeline } from "../../lib/simulate";
import { AML_JOBS_API_VERSION } from "../../lib/retraining/batchPipeline";
import { FAKE_WORKSPACE_ID, FakeEndpointScenario, startFakeBatchEndpoint } from "../helpers/fakeBatchEndpoint";
import { rng } from "../helpers/rng";

const URL_WE = "https://retrain-ep.westeurope.inference.ml.azure.com/jobs";
/** The breach parameters the monitoring route passes, as Data Factory pipeline parameters. */
const BREACH = {
  monitorSignal: "credit-monitor_data_drift",
  breachEventId: "5f1c2a9e-7b7d-4d35-9d0e-0a1f3c9e2b11",
  monitorRunId: "credit-monitor-20261201-0300_1733022000",
};
const OPTIONS: BatchRetrainOptions = {
  endpoint: { endpointName: "retrain-ep", region: "westeurope", deploymentName: "retrain-pipeline-v3", experimentName: "retrain-on-breach" },
  inputs: { monitor_signal: "monitorSignal", breach_event_id: "breachEventId", monitor_run_id: "monitorRunId" },
  workspaceId: FAKE_WORKSPACE_ID,
  pollIntervalSeconds: 120,
  timeoutMinutes: 60,
};

function pipelineOf(options: BatchRetrainOptions) {
  const built = batchRetrainPipelineActivities(options);
  const parameters = Object.fromEntries(Object.values(options.inputs).map((p) => [p, { type: "String" }]));
  return { activities: built.activities, variables: built.variables, parameters };
}

async function runAgainst(scenario: FakeEndpointScenario, options: BatchRetrainOptions = OPTIONS) {
  const endpoint = await startFakeBatchEndpoint(scenario);
  try {
    const result = await simulatePipeline(pipelineOf(options), { parameters: BREACH, http: endpoint.http });
    return { result, received: endpoint.received };
  } finally {
    await endpoint.close();
  }
}

describe("retraining: v2 batch endpoint pipeline (builder)", () => {
  it("builds invoke (MSI, ml.azure.com) → set job name → Until(Wait, poll, set status) → IfCondition(Fail) after the loop either way", () => {
    const { activities, variables } = batchRetrainPipelineActivities(OPTIONS);
    assert.deepStrictEqual(
      activities.map((a) => `${String(a.name)}:${String(a.type)}`),
      ["InvokeBatchEndpoint:WebActivity", "SetBatchJobName:SetVariable", "WaitForBatchJob:Until", "CheckBatchJobOutcome:IfCondition"],
    );
    const invoke = activities[0] as unknown as Record<string, unknown>;
    assert.strictEqual(invoke.method, "POST");
    assert.strictEqual(invoke.url, URL_WE);
    assert.deepStrictEqual(invoke.authentication, { type: "MSI", resource: "https://ml.azure.com" });
    assert.deepStrictEqual(invoke.headers, { "Content-Type": "application/json", "azureml-model-deployment": "retrain-pipeline-v3" });
    assert.strictEqual(invoke.turnOffAsync, true);
    const until = activities[2] as unknown as Record<string, unknown>;
    assert.strictEqual(until.timeout, "0.01:00:00");
    assert.deepStrictEqual(until.expression, {
      type: "Expression",
      // ADF's or() takes two arguments: membership in the terminal statuses instead.
      value: "@contains(createArray('Completed', 'Failed', 'Canceled'), variables('batchJobStatus'))",
    });
    const inner = until.activities as Record<string, unknown>[];
    assert.deepStrictEqual(inner.map((a) => a.name), ["WaitBeforePoll", "PollBatchJob", "SetBatchJobStatus"]);
    assert.strictEqual(inner[0].waitTimeInSeconds, 120);
    assert.deepStrictEqual(inner[1].policy, { retry: 3, retryIntervalInSeconds: 30, timeout: "0.00:10:00" });
    assert.deepStrictEqual(activities[3].dependsOn, [{ activity: "WaitForBatchJob", dependencyConditions: ["Completed"] }]);
    assert.deepStrictEqual(variables, { batchJobName: { type: "String", defaultValue: "" }, batchJobStatus: { type: "String", defaultValue: "NotStarted" } });
  });

  it("invocation URL: given (trailing slash dropped) or built from endpoint name and region; timeouts in d.hh:mm:ss", () => {
    assert.strictEqual(batchInvocationUrl({ invocationUrl: `${URL_WE}/` }), URL_WE);
    assert.strictEqual(batchInvocationUrl({ endpointName: "Retrain-EP", region: "WestEurope" }), URL_WE);
    assert.deepStrictEqual([untilTimeout(60), untilTimeout(1440), untilTimeout(10080), untilTimeout(95)], ["0.01:00:00", "1.00:00:00", "7.00:00:00", "0.01:35:00"]);
  });

  it("previewBatchInvocation: the exact request for the breach parameters, literal inputs, experiment, deployment header, audience", () => {
    const preview = previewBatchInvocation(OPTIONS, BREACH);
    assert.strictEqual(preview.method, "POST");
    assert.strictEqual(preview.url, URL_WE);
    assert.deepStrictEqual(preview.authentication, { type: "MSI", resource: BATCH_ENDPOINT_AUDIENCE });
    assert.deepStrictEqual(preview.headers, { "Content-Type": "application/json", "azureml-model-deployment": "retrain-pipeline-v3" });
    assert.deepStrictEqual(preview.json, {
      properties: {
        InputData: {
          monitor_signal: { JobInputType: "Literal", Value: BREACH.monitorSignal },
          breach_event_id: { JobInputType: "Literal", Value: BREACH.breachEventId },
          monitor_run_id: { JobInputType: "Literal", Value: BREACH.monitorRunId },
        },
        properties: { experimentName: "retrain-on-breach" },
      },
    });
  });

  it("previewBatchInvocation: values with quotes, backslashes, newlines and tabs stay one JSON string each", () => {
    const nasty = { ...BREACH, monitorSignal: 'sig "a"\\b\nline2\tx\r' };
    const preview = previewBatchInvocation(OPTIONS, nasty);
    const input = (preview.json as { properties: { InputData: Record<string, { Value: unknown }> } }).properties.InputData.monitor_signal;
    assert.strictEqual(input.Value, nasty.monitorSignal);
  });

  it("previewBatchInvocation: without a deployment name sends no routing header and no experiment", () => {
    const preview = previewBatchInvocation({ endpoint: { invocationUrl: URL_WE }, inputs: { monitor_signal: "monitorSignal" } }, BREACH);
    assert.deepStrictEqual(preview.headers, { "Content-Type": "application/json" });
    assert.deepStrictEqual(preview.json, { properties: { InputData: { monitor_signal: { JobInputType: "Literal", Value: BREACH.monitorSignal } } } });
  });

  it("previewBatchInvocation: a missing parameter is an error naming it", () => {
    assert.throws(() => previewBatchInvocation(OPTIONS, { monitorSignal: "x" }), /"breachEventId", "monitorRunId" have no value/);
  });
});

describe("retraining: v2 batch endpoint pipeline (simulated against a loopback batch endpoint)", () => {
  it("job completes → run Succeeded, exactly one invoke with the breach parameters and the ml.azure.com audience, polls the job by name", async () => {
    const { result, received } = await runAgainst({ statuses: ["Queued", "Running", "Running", "Completed"] });
    assert.strictEqual(result.status, "Succeeded", JSON.stringify(result.error));
    const posts = received.filter((r) => r.method === "POST");
    assert.strictEqual(posts.length, 1);
    assert.strictEqual(posts[0].headers.authorization, "Bearer token-for:https://ml.azure.com");
    assert.strictEqual(posts[0].headers["azureml-model-deployment"], "retrain-pipeline-v3");
    assert.deepStrictEqual(JSON.parse(posts[0].body), previewBatchInvocation(OPTIONS, BREACH).json);
    // The status through ARM's documented "Jobs - Get" with an ARM token, not the scoring URI.
    const gets = received.filter((r) => r.method === "GET");
    assert.deepStrictEqual(gets.map((r) => r.path), Array(4).fill(`${FAKE_WORKSPACE_ID}/jobs/batchjob-0001?api-version=${AML_JOBS_API_VERSION}`));
    for (const g of gets) assert.strictEqual(g.headers.authorization, "Bearer token-for:https://management.azure.com/");
    assert.strictEqual(result.variables.batchJobStatus, "Completed");
    assert.strictEqual(result.durationSeconds, 4 * 120);
    assert.deepStrictEqual(
      result.activities.filter((a) => a.name === BATCH_ACTIVITIES.check || a.name === BATCH_ACTIVITIES.fail).map((a) => `${a.name}:${a.status}`),
      ["CheckBatchJobOutcome:Succeeded"],
    );
  });

  for (const final of ["Failed", "Canceled"]) {
    it(`job ends ${final} → run Failed with a message naming the job and its status`, async () => {
      const { result } = await runAgainst({ statuses: ["Running", final] });
      assert.strictEqual(result.status, "Failed");
      assert.strictEqual(result.error?.errorCode, "BatchJobNotCompleted");
      assert.strictEqual(result.error?.target, BATCH_ACTIVITIES.fail);
      assert.match(result.error?.message ?? "", new RegExp(`job batchjob-0001 at ${URL_WE.replace(/\./g, "\\.")} ended ${final}`));
    });
  }

  it("job never finishes → the Until times out after the configured minutes and the run fails naming the job", async () => {
    const { result, received } = await runAgainst({ statuses: ["Running"] }, { ...OPTIONS, timeoutMinutes: 30, pollIntervalSeconds: 300 });
    assert.strictEqual(result.status, "Failed");
    assert.strictEqual(result.error?.errorCode, "BatchJobNotFinished");
    assert.match(result.error?.message ?? "", /job batchjob-0001 .* did not finish within 30 minutes .*last status Running/);
    assert.strictEqual(received.filter((r) => r.method === "GET").length, 6);
    assert.strictEqual(result.durationSeconds, 1800);
  });

  it("429 and 503 on polls are retried by the poll's retry policy; the run still succeeds", async () => {
    // Requests: 0 POST, 1 GET (429), 2 GET retry (Running), 3 GET (503), 4 GET (503), 5 GET retry (Completed).
    const { result, received } = await runAgainst({ statuses: ["Running", "Completed"], faults: { 1: 429, 3: 503, 4: 503 } });
    assert.strictEqual(result.status, "Succeeded", JSON.stringify(result.error));
    assert.strictEqual(received.length, 6);
    const polls = result.activities.filter((a) => a.name === BATCH_ACTIVITIES.poll);
    assert.deepStrictEqual(polls.map((p) => p.attempts), [2, 3]);
    assert.strictEqual(result.durationSeconds, 2 * 120 + 3 * 30);
  });

  it("polls failing beyond the retry policy fail the run with the timeout/poll message", async () => {
    const { result } = await runAgainst({ statuses: ["Running"], faults: { 1: 500, 2: 500, 3: 500, 4: 500 } });
    assert.strictEqual(result.status, "Failed");
    assert.strictEqual(result.error?.errorCode, "BatchJobNotFinished");
    assert.match(result.error?.message ?? "", /could not be polled/);
  });

  it("a refused invoke (401, wrong audience) fails the run at the invoke, before any poll", async () => {
    const { result, received } = await runAgainst({ statuses: ["Completed"], audience: "https://management.azure.com/" });
    assert.strictEqual(result.status, "Failed");
    assert.strictEqual(result.error?.target, "InvokeBatchEndpoint");
    assert.match(result.error?.message ?? "", /HttpStatusCode - '401'/);
    assert.strictEqual(received.length, 1);
  });

  it("seeded soak: random status scripts and 429/5xx faults; outcome always follows the job's final status or the retry budget", async () => {
    for (const seed of [11, 23, 37, 41, 59]) {
      const next = rng(seed);
      const running = Math.floor(next() * 6);
      const final = ["Completed", "Failed", "Canceled"][Math.floor(next() * 3)];
      const faults: Record<number, number> = {};
      for (let i = 1; i < 30; i++) if (next() < 0.25) faults[i] = [429, 500, 503][Math.floor(next() * 3)];
      const statuses = [...Array.from({ length: running }, () => (next() < 0.5 ? "Queued" : "Running")), final];
      const { result, received } = await runAgainst({ statuses, faults });
      const exhausted = result.activities.some((a) => a.name === BATCH_ACTIVITIES.poll && a.status === "Failed");
      const expected = exhausted || final !== "Completed" ? "Failed" : "Succeeded";
      assert.strictEqual(result.status, expected, `seed ${seed}: ${JSON.stringify({ statuses, faults, error: result.error })}`);
      assert.ok(received.filter((r) => r.method === "POST").length <= 1, `seed ${seed}: at most one invoke`);
      if (!exhausted) assert.strictEqual(result.variables.batchJobStatus, final, `seed ${seed}`);
    }
  });
});
