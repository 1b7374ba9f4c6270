import * as assert from "assert";
import { EventGridEvent, monitoringSampleEvents, SAMPLE_WORKSPACE_ID } from "../../lib/events";
import {
  BREACH_ACTIONS,
  buildBreachRetrainDefinition,
  buildDriftRetrainDefinition,
  DEFAULT_PARAMETER_MAPPING,
  BreachRetrainDefinitionOptions,
  createRunUrl,
  DriftRetrainWorkflow,
  queryPipelineRunsUrl,
  RecentPipelineRun,
  RETRAIN_ACTIONS,
  simulateRetrain,
  workflowParameterValues,
} from "../../lib/retraining";
import { DEFAULT_BREACH_MAPPING } from "../../lib/monitoring/breachFields";
import { modelMonitorBreachFilter } from "../../lib/monitoring/breachFilter";
import { simulateWorkflow } from "../../lib/simulate";
import { actionNestingDepth } from "../../lib/workflows";
import { rng } from "../helpers/rng";

const FACTORY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform";
const CREATE_RUN = createRunUrl(FACTORY, "retrain-on-breach");
const MSI = { type: "ManagedServiceIdentity", audience: "https://management.azure.com/" };
const SIGNAL = "credit-default-monitor_data-drift-signal";
const NOW = "2026-12-04T06:20:00Z";

function workflow(options: Partial<BreachRetrainDefinitionOptions> = {}): DriftRetrainWorkflow {
  return {
    definition: buildBreachRetrainDefinition({ mapping: DEFAULT_BREACH_MAPPING, runIdParameter: "monitorRunId", ...options }),
    parameters: workflowParameterValues({
      workspaceId: SAMPLE_WORKSPACE_ID,
      createRunUri: CREATE_RUN,
      queryPipelineRunsUri: queryPipelineRunsUrl(FACTORY),
      pipelineName: "retrain-on-breach",
    }),
  };
}

const [breach, laterFailed, failedTraining] = monitoringSampleEvents();
const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** The documentation's casing: PascalCase `data` keys (tag names inside `RunTags` stay as written). */
function pascalCase(event: EventGridEvent): EventGridEvent {
  return { ...event, data: Object.fromEntries(Object.entries(event.data as Record<string, unknown>).map(([k, v]) => [pascal(k), v])) };
}
function withData(event: EventGridEvent, patch: Record<string, unknown>): EventGridEvent {
  return { ...event, data: { ...(event.data as Record<string, unknown>), ...patch } };
}
const breachData = breach.data as { runId: string; runTags: Record<string, string> };
const expectedBody = { monitorSignal: SIGNAL, breachEventId: breach.id, monitorRunId: breachData.runId };
const earlierRun = (runId: string, monitorRunId: string, status = "Succeeded", runStart = "2026-12-04T06:15:00Z"): RecentPipelineRun => ({
  runId,
  pipelineName: "retrain-on-breach",
  status,
  runStart,
  parameters: { monitorSignal: SIGNAL, breachEventId: "earlier", monitorRunId },
});
const composeInputs = (sim: ReturnType<typeof simulateRetrain>, name: string): Record<string, unknown> | undefined =>
  sim.result.actions.find((a) => a.name === name && a.status === "Succeeded")?.inputs as Record<string, unknown> | undefined;

describe("retraining: model monitoring (v2) breach workflow, simulated", () => {
  const plain = workflow();

  it("a breach in the real camelCase payload starts exactly one run with the parsed parameters", () => {
    const sim = simulateRetrain(plain, [breach], { now: NOW, runId: "9a1f0c3e-7b2d-4e5f-8a6b-1c2d3e4f5a6b" });
    assert.deepStrictEqual(sim.calls, [{ method: "POST", uri: CREATE_RUN, headers: { "Content-Type": "application/json" }, body: expectedBody, authentication: MSI }]);
    assert.deepStrictEqual(sim.runIds, ["9a1f0c3e-7b2d-4e5f-8a6b-1c2d3e4f5a6b"]);
  });

  it("a breach in the documentation's PascalCase payload starts the same run", () => {
    assert.deepStrictEqual(simulateRetrain(plain, [pascalCase(breach)], { now: NOW }).calls.map((c) => c.body), [expectedBody]);
  });

  it("the breach sample is a Completed run (as Azure reports it); a tagged run retrains whatever its status, when first seen", () => {
    assert.strictEqual((breach.data as { runStatus: string }).runStatus, "Completed");
    for (const runStatus of ["Completed", "Failed", "Running", "Finalizing"]) {
      assert.deepStrictEqual(simulateRetrain(plain, [withData(breach, { runStatus })], { now: NOW }).calls.map((c) => c.body), [expectedBody], runStatus);
    }
  });

  it("the same tagged run's later Failed, Running and redelivered events start nothing more once its breach started a run", () => {
    const started = [earlierRun("5e0c1d2a-0000-4000-8000-000000000007", breachData.runId)];
    for (const event of [laterFailed, withData(breach, { runStatus: "Running" }), breach, pascalCase(laterFailed)]) {
      const sim = simulateRetrain(plain, [event], { now: NOW, recentRuns: started });
      assert.deepStrictEqual(sim.calls, [], String((event.data as Record<string, unknown>).runStatus ?? (event.data as Record<string, unknown>).RunStatus));
      assert.strictEqual(composeInputs(sim, BREACH_ACTIONS.skipRepeated)?.sameBreachRunCount, 1);
    }
    assert.strictEqual(simulateRetrain(plain, [breach, laterFailed, withData(breach, { runStatus: "Running" })], { now: NOW }).calls.length, 1, "one delivery batch");
  });

  it("a Completed run without the tag starts nothing", () => {
    const untagged = withData(breach, { runTags: { "mlflow.user": "ana" } });
    const sim = simulateRetrain(plain, [untagged, pascalCase(untagged)], { now: NOW });
    assert.deepStrictEqual(sim.calls, []);
    assert.match(String(composeInputs(sim, BREACH_ACTIONS.skipNotBreach)?.reason), /no model monitor breach tag/);
  });

  it("an ordinary failed training run starts nothing, and says it carries no breach tag", () => {
    const sim = simulateRetrain(plain, [failedTraining, pascalCase(failedTraining)], { now: NOW });
    assert.deepStrictEqual(sim.calls, []);
    assert.match(String(composeInputs(sim, BREACH_ACTIONS.skipNotBreach)?.reason), /no model monitor breach tag/);
  });

  it("a redelivered breach whose monitor run already started a pipeline run starts nothing (any status of that run)", () => {
    for (const status of ["InProgress", "Succeeded", "Failed"]) {
      const sim = simulateRetrain(plain, [breach], { now: NOW, recentRuns: [earlierRun("5e0c1d2a-0000-4000-8000-000000000001", breachData.runId.toUpperCase(), status)] });
      assert.deepStrictEqual(sim.calls, [], status);
      assert.strictEqual(composeInputs(sim, BREACH_ACTIONS.skipRepeated)?.sameBreachRunCount, 1, status);
    }
  });

  it("a flap (Failed → Completed → Failed: a new event id, the same monitor run) found on a later page starts nothing", () => {
    const flap = { ...breach, id: "6f1d2c8e-3b4a-4e59-8c71-0a9b2d3e4f99" };
    const others = [1, 2, 3].map((i) => earlierRun(`r-${i}`, `other-monitor-run-${i}`));
    const sim = simulateRetrain(plain, [flap], { now: NOW, runPages: [others, [...others, earlierRun("r-match", breachData.runId)]] });
    assert.deepStrictEqual(sim.calls, []);
    assert.strictEqual(sim.result.actions.filter((a) => a.name === RETRAIN_ACTIONS.queryRuns).length, 2);
  });

  it("the same breach twice in one delivery starts one run", () => {
    assert.strictEqual(simulateRetrain(plain, [breach, breach], { now: NOW }).calls.length, 1);
  });

  it("scoped to monitors and signals: another signal's breach is skipped, the listed one starts", () => {
    const other = workflow({ monitor: { monitorNames: ["credit-default-monitor"], signalNames: ["prediction-drift"] } });
    assert.deepStrictEqual(simulateRetrain(other, [breach], { now: NOW }).calls, []);
    assert.match(String(composeInputs(simulateRetrain(other, [breach], { now: NOW }), BREACH_ACTIONS.skipNotBreach)?.reason), /does not listen to/);
    const listed = workflow({ monitor: { monitorNames: ["Credit-Default-Monitor"], signalNames: ["prediction-drift", "data-drift-signal"] } });
    assert.strictEqual(simulateRetrain(listed, [pascalCase(breach)], { now: NOW }).calls.length, 1);
  });

  it("a malformed breach (no '<monitor>_<signal>', or no runId) is rejected with a reason, never started", () => {
    const noSignal = withData(breach, {
      runTags: { azureml_modelmonitor_threshold_breached: "The signal 'monitoronly' has failed due to one or more features violating metric thresholds." },
    });
    const noRunId = withData(breach, { runId: undefined });
    for (const event of [noSignal, noRunId]) {
      const sim = simulateRetrain(plain, [event], { now: NOW });
      assert.deepStrictEqual(sim.calls, []);
      assert.match(String(composeInputs(sim, BREACH_ACTIONS.rejectMalformed)?.reason), /can never be handled/);
    }
  });

  it("answers truthfully: a malformed breach 400 (dead-lettered at once), a failed createRun 503 after one attempt, then the redelivery finds the run", () => {
    const noSignal = withData(breach, { runTags: { azureml_modelmonitor_threshold_breached: "The signal 'monitoronly' has failed due to one or more features violating metric thresholds." } });
    assert.strictEqual(simulateRetrain(plain, [noSignal], { now: NOW }).result.response?.statusCode, 400);
    const lost = simulateWorkflow(plain.definition, { body: [breach] }, {
      parameters: plain.parameters,
      now: NOW,
      httpResponses: (a) => (a === RETRAIN_ACTIONS.start ? { statusCode: 503, body: {} } : { statusCode: 200, body: { value: [] } }),
    });
    assert.strictEqual(lost.response?.statusCode, 503);
    assert.strictEqual(lost.actions.filter((a) => a.name === RETRAIN_ACTIONS.start).length, 1, "createRun is not retried in the action");
    const again = simulateRetrain(plain, [breach], { now: NOW, recentRuns: [earlierRun("created-before-the-503", breachData.runId)] });
    assert.deepStrictEqual([again.calls.length, again.result.response?.statusCode], [0, 200]);
  });

  it("cool-down per signal: a live run of the same signal inside the window holds it; a failed or older one does not", () => {
    const cooled = workflow({ coolDown: { hours: 24, parameter: "monitorSignal" } });
    const recent = earlierRun("r-live", "another-monitor-run", "Succeeded", "2026-12-03T20:00:00Z");
    const sim = simulateRetrain(cooled, [breach], { now: NOW, recentRuns: [recent] });
    assert.deepStrictEqual(sim.calls, []);
    assert.match(String(composeInputs(sim, BREACH_ACTIONS.skipRepeated)?.reason), /within the last 24 hours/);
    assert.strictEqual(simulateRetrain(cooled, [breach], { now: NOW, recentRuns: [{ ...recent, status: "Failed" }] }).calls.length, 1);
    assert.strictEqual(simulateRetrain(cooled, [breach], { now: NOW, recentRuns: [{ ...recent, runStart: "2026-12-02T06:00:00Z" }] }).calls.length, 1);
  });
});

const HEAD = "has failed due to one or more features violating metric thresholds.";
const forged = (tag: string, runId = "forged-run-1"): EventGridEvent => withData(breach, { runId, runTags: { azureml_modelmonitor_threshold_breached: tag } });

describe("retraining: a trigger given the ModelMonitor itself", () => {
  it("retrains exactly on that monitor's <monitor>_<signal> ids, not on another monitor's nor on a forged mention", () => {
    const monitor = { monitorName: "credit-default-monitor", signalNames: ["data-drift-signal", "prediction-drift"] };
    const wf = workflow({ monitor: { monitors: [monitor] } });
    assert.strictEqual(simulateRetrain(wf, [breach], { now: NOW }).calls.length, 1);
    const other = forged(`The signal 'credit-default-monitor-staging_data-drift-signal' ${HEAD} 'credit-default-monitor_data-drift-signal'`);
    assert.deepStrictEqual(simulateRetrain(wf, [other], { now: NOW }).calls, []);
    assert.deepStrictEqual((modelMonitorBreachFilter({ monitors: [monitor] }).advancedFilters?.[1] as { values?: unknown } | undefined)?.values, ["'credit-default-monitor_data-drift-signal'", "'credit-default-monitor_prediction-drift'"]);
    assert.throws(() => modelMonitorBreachFilter({ monitors: [monitor], monitorNames: ["credit-default-monitor"] }), /give the monitors .* or the names, not both/);
    assert.throws(() => modelMonitorBreachFilter({ monitors: [] }), /modelMonitor\.monitors: got an empty list/);
  });
});

describe("retraining: forged breach tags, simulated with the real definition", () => {
  const scoped = workflow({ monitor: { monitorNames: ["credit-default-monitor"], signalNames: ["data-drift-signal"] }, coolDown: { hours: 24, parameter: "monitorSignal" } });
  const unscoped = workflow({ coolDown: { hours: 24, parameter: "monitorSignal" } });

  it("the listed scope named elsewhere in the text, while the parsed signal is another, starts nothing", () => {
    const tag = `The signal 'attacker_signal' ${HEAD} see 'credit-default-monitor_data-drift-signal' ['{"group":"x"}']`;
    const sim = simulateRetrain(scoped, [forged(tag)], { now: NOW });
    assert.deepStrictEqual(sim.calls, []);
    assert.deepStrictEqual(composeInputs(sim, BREACH_ACTIONS.skipNotBreach)?.monitorSignal, "attacker_signal");
    assert.match(String(composeInputs(sim, BREACH_ACTIONS.skipNotBreach)?.reason), /does not listen to/);
  });

  it("a real head placed after other text, or a signal id with control characters, quotes, backslashes or spaces, is rejected (400), never started", () => {
    const tags = [
      `Note: The signal 'credit-default-monitor_data-drift-signal' ${HEAD}`,
      `The signal 'credit-default-monitor_data-drift-signal\b' ${HEAD}`,
      `The signal 'credit-default-monitor_data\u0008-drift-signal' ${HEAD}`,
      `The signal 'credit-default-monitor_data-drift-signal"},"x":"y' ${HEAD}`,
      `The signal 'credit-default-monitor_data-drift-signal x' ${HEAD}`,
      `The signal 'a_\u0000\u001f\u007f' ${HEAD}`,
    ];
    for (const tag of tags) {
      for (const wf of [scoped, unscoped]) {
        const sim = simulateRetrain(wf, [forged(tag)], { now: NOW });
        assert.deepStrictEqual(sim.calls, [], JSON.stringify(tag));
        assert.strictEqual(sim.result.response?.statusCode, 400, JSON.stringify(tag));
        assert.match(String(composeInputs(sim, BREACH_ACTIONS.rejectMalformed)?.monitorSignal), /^[A-Za-z0-9._~-]*$/, "no unsafe text is echoed as the signal");
      }
    }
  });

  it("cannot bypass the cool-down: case variants and new run ids of the cooled signal are held; monitorSignal is always the parsed id", () => {
    const live = earlierRun("r-live", "another-monitor-run", "InProgress", "2026-12-04T05:00:00Z");
    const variants = [`The signal 'CREDIT-DEFAULT-MONITOR_data-drift-signal' ${HEAD}`, `  The signal 'credit-default-monitor_DATA-DRIFT-SIGNAL' ${HEAD} 'x_y'`];
    variants.forEach((tag, i) => {
      for (const wf of [scoped, unscoped]) assert.deepStrictEqual(simulateRetrain(wf, [forged(tag, `forged-run-${i}`)], { now: NOW, recentRuns: [live] }).calls, [], tag);
    });
    const free = simulateRetrain(unscoped, [forged(`The signal 'other-monitor_sig' ${HEAD} 'credit-default-monitor_data-drift-signal'`)], { now: NOW, recentRuns: [live] });
    assert.deepStrictEqual(free.calls.map((c) => (c.body as Record<string, unknown>).monitorSignal), ["other-monitor_sig"]);
  });
});

/** A Data Factory that remembers the runs it started and pages `queryPipelineRuns` two runs at a time. */
class FakeFactory {
  readonly runs: { runId: string; pipelineName: string; status: string; runStart: string; parameters: Record<string, string> }[] = [];
  /** Faults: throttles before doing anything, or creates the run and loses the answer (503). */
  constructor(private readonly random: () => number = () => 1) {}
  answer(action: string, inputs: unknown): { statusCode: number; body: unknown } {
    const body = (inputs as { body?: Record<string, unknown> }).body ?? {};
    const roll = this.random();
    if (roll < 0.1) return { statusCode: 429, body: { error: { code: "TooManyRequests" } } };
    if (action === RETRAIN_ACTIONS.start) {
      const run = { runId: `run-${this.runs.length + 1}`, pipelineName: "retrain-on-breach", status: "InProgress", runStart: NOW, parameters: body as Record<string, string> };
      this.runs.push(run);
      if (roll < 0.25) return { statusCode: 503, body: { error: { code: "ServiceUnavailable" } } };
      return { statusCode: 200, body: { runId: run.runId } };
    }
    const page = typeof body.continuationToken === "string" ? Number(body.continuationToken) : 0;
    const value = this.runs.slice(page * 2, page * 2 + 2);
    return { statusCode: 200, body: (page + 1) * 2 < this.runs.length ? { value, continuationToken: String(page + 1) } : { value } };
  }
}

describe("retraining: breach workflow soak (seeded: duplicates, flaps, reordering, non-breaches, throttling, lost createRun answers)", () => {
  for (const seed of [1, 2, 5, 22]) {
    it(`seed ${seed}: exactly one pipeline run per breached monitor run, none for anything else`, () => {
      const random = rng(seed);
      const wf = workflow();
      const factory = new FakeFactory(rng(seed + 1));
      const breaches = Array.from({ length: 12 }, (_, i) => withData({ ...breach, id: `breach-${i}` }, { runId: `monitor-run-${i}` }));
      const deliveries: EventGridEvent[] = [];
      for (const b of breaches) {
        const copies = 1 + Math.floor(random() * 3); // redeliveries
        for (let c = 0; c < copies; c++) deliveries.push(random() < 0.5 ? b : pascalCase(b));
        if (random() < 0.4) deliveries.push({ ...b, id: `${b.id}-flap` }); // a new event for the same monitor run
        if (random() < 0.4) deliveries.push(withData({ ...laterFailed, id: `${b.id}-failed` }, { runId: (b.data as { runId: string }).runId })); // a later status change
        if (random() < 0.3) deliveries.push({ ...failedTraining, id: `${b.id}-training` });
      }
      for (let i = deliveries.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
      }
      const answers: number[] = [];
      for (const event of deliveries) {
        // Event Grid redelivers on 429/5xx (bounded here), and stops on 2xx or 400.
        for (let attempt = 1; attempt <= 30; attempt++) {
          const result = simulateWorkflow(wf.definition, { body: [event] }, { parameters: wf.parameters, now: NOW, httpResponses: (a, inputs) => factory.answer(a, inputs) });
          const status = result.response?.statusCode ?? 0;
          answers.push(status);
          if (status === 200 || status === 400) break;
          assert.ok(status === 429 || status === 503, `delivery of ${event.id} answered ${status}`);
        }
      }
      assert.ok(answers.some((a) => a === 503) && answers.some((a) => a === 429), "the soak met lost answers and throttling");
      const started = factory.runs.map((r) => r.parameters.monitorRunId).sort();
      assert.deepStrictEqual(started, breaches.map((b) => (b.data as { runId: string }).runId).sort());
      assert.ok(deliveries.length > breaches.length * 2, `the soak delivered ${deliveries.length} events`);
    });
  }
});

describe("retraining: workflows stay within Logic Apps' allowed nesting depth for actions (8), with one level free", () => {
  // Microsoft Learn, "Limits and configuration for Azure Logic Apps", definition limits. Every variant: test/workflows/limits.test.ts.
  it("the breach workflow (with cool-down) and the legacy drift workflow (filters and cool-down) nest at most 7 deep", () => {
    const breachWf = buildBreachRetrainDefinition({ mapping: DEFAULT_BREACH_MAPPING, runIdParameter: "monitorRunId", coolDown: { hours: 6, parameter: "monitorSignal" } });
    const legacy = buildDriftRetrainDefinition({ mapping: DEFAULT_PARAMETER_MAPPING, driftMonitorNames: ["m"], minimumDriftCoefficient: 0.3, coolDown: { hours: 6, parameter: "dataDriftId" } });
    assert.deepStrictEqual([actionNestingDepth(breachWf.actions), actionNestingDepth(legacy.actions)], [7, 7]);
  });
});
