import * as assert from "assert";
import { analyzeFilter, evaluateFilter, filterErrors } from "../../lib/filters";
import { monitoringSampleEvents } from "../../lib/events/samples";
import { modelMonitorBreachFilter } from "../../lib/monitoring/breachFilter";
import { breachTagFromEventData, parseBreachTag } from "../../lib/monitoring/breachTag";
import { DRIFT_TWO_FEATURES, PREDICTION_DRIFT } from "./breachTagTable";

function runEvent(id: string, runStatus: string, runTags: Record<string, string>): unknown {
  return {
    id,
    topic: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod",
    subject: "experiments/0f4c7a52-6b0e-4d4b-9bd5-1f0a3c9c2d11/runs/credit-default-monitor-20261204",
    eventType: "Microsoft.MachineLearningServices.RunStatusChanged",
    eventTime: "2026-12-04T06:12:44Z",
    dataVersion: "2",
    metadataVersion: "1",
    data: { experimentName: "azureml-monitoring", runId: `run-${id}`, runStatus, runType: "azureml.PipelineRun", runTags },
  };
}
const TAG = "azureml_modelmonitor_threshold_breached";

describe("retraining: modelMonitorBreachFilter (v2 RunStatusChanged subscription)", () => {
  it("delivers a tagged run whatever its status (Completed as Azure reports it, Failed, Running), never an untagged run", () => {
    const f = modelMonitorBreachFilter();
    assert.deepStrictEqual(filterErrors(analyzeFilter(f)), []);
    assert.ok(!(f.advancedFilters ?? []).some((a) => /runStatus/i.test(a.key)), "no runStatus condition (Microsoft's guide filters on the tag alone)");
    for (const status of ["Completed", "Failed", "Running"]) assert.strictEqual(evaluateFilter(f, runEvent(status, status, { [TAG]: DRIFT_TWO_FEATURES })), true, status);
    assert.strictEqual(evaluateFilter(f, runEvent("c", "Failed", { "mlflow.user": "ana" })), false);
    assert.strictEqual(evaluateFilter(f, runEvent("d", "Completed", {})), false);
  });

  it("scopes to <monitor>_<signal> with a second StringContains", () => {
    const f = modelMonitorBreachFilter({ monitorNames: ["credit-default-monitor"], signalNames: ["data-drift-signal"] });
    assert.deepStrictEqual(f.advancedFilters?.[1], {
      operatorType: "StringContains",
      key: `data.runTags.${TAG}`,
      values: ["'credit-default-monitor_data-drift-signal'"],
    });
    assert.strictEqual(evaluateFilter(f, runEvent("a", "Completed", { [TAG]: DRIFT_TWO_FEATURES })), true);
    assert.strictEqual(evaluateFilter(f, runEvent("b", "Completed", { [TAG]: PREDICTION_DRIFT })), false);
    const bySignal = modelMonitorBreachFilter({ signalNames: ["prediction_drift"] });
    assert.strictEqual(evaluateFilter(bySignal, runEvent("c", "Failed", { [TAG]: PREDICTION_DRIFT })), true);
    assert.strictEqual(evaluateFilter(bySignal, runEvent("d", "Failed", { [TAG]: DRIFT_TWO_FEATURES })), false);
  });

  it("rejects bad names and too many combinations, naming the argument and the value", () => {
    assert.throws(() => modelMonitorBreachFilter({ monitorNames: [] }), /modelMonitor\.monitorNames: got an empty list/);
    assert.throws(() => modelMonitorBreachFilter({ signalNames: ["drift's"] }), /modelMonitor\.signalNames: got "drift's"; expected/);
    const many = Array.from({ length: 5 }, (_, i) => `m${i}`);
    assert.throws(() => modelMonitorBreachFilter({ monitorNames: many, signalNames: many }), /25 monitor×signal combinations.*Split/);
  });
});

describe("retraining: the monitoring sample events", () => {
  it("both tagged samples (Completed, then Failed) pass the breach filter, the untagged run does not; the tag parses to two features", () => {
    const [breach, laterFailed, trainingFailure] = monitoringSampleEvents();
    const f = modelMonitorBreachFilter({ monitorNames: ["credit-default-monitor"] });
    assert.deepStrictEqual([breach, laterFailed, trainingFailure].map((e) => evaluateFilter(f, e)), [true, true, false]);
    assert.deepStrictEqual([breach, laterFailed].map((e) => (e.data as { runStatus: string }).runStatus), ["Completed", "Failed"]);
    const parsed = parseBreachTag(breachTagFromEventData(breach.data), ["data-drift-signal"]);
    assert.ok(parsed.ok);
    assert.strictEqual(parsed.breach.monitor, "credit-default-monitor");
    assert.deepStrictEqual(parsed.breach.features.map((x) => x.name), ["age", "credit_limit"]);
    assert.strictEqual(breachTagFromEventData(trainingFailure.data), undefined);
  });
});
