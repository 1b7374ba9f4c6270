import * as assert from "assert";
import { BREACH_TAG, breachTagFromEventData, parseBreachTag, splitSignalId } from "../../lib/monitoring/breachTag";
import { DRIFT_TWO_FEATURES, MALFORMED, NO_ROWS, PREDICTION_DRIFT } from "./breachTagTable";

describe("retraining: parseBreachTag (model monitoring v2 breach tag)", () => {
  it("parses a data-drift breach with two features, known signal names splitting a monitor name with '_'", () => {
    const r = parseBreachTag(DRIFT_TWO_FEATURES, ["data-drift-signal"]);
    assert.deepStrictEqual(r, {
      ok: true,
      breach: {
        signalId: "credit-default-monitor_data-drift-signal",
        monitor: "credit-default-monitor",
        signal: "data-drift-signal",
        features: [
          { name: "age", metric: "jensen_shannon_distance", value: 0.3127, threshold: 0.1 },
          { name: "credit_limit", metric: "population_stability_index", value: 0.0452, threshold: 0.02 },
        ],
      },
    });
  });

  it("splits at the first '_' without known signal names and reads exponent numbers", () => {
    const r = parseBreachTag(PREDICTION_DRIFT);
    assert.ok(r.ok);
    assert.strictEqual(r.breach.monitor, "churn");
    assert.strictEqual(r.breach.signal, "prediction_drift");
    assert.deepStrictEqual(r.breach.features, [{ name: "prediction", metric: "normalized_wasserstein_distance", value: 0.17, threshold: 0.15 }]);
  });

  it("with known signal names the monitor part may contain '_'", () => {
    assert.deepStrictEqual(splitSignalId("churn_prediction_drift", ["drift", "prediction_drift"]), { monitor: "churn", signal: "prediction_drift" });
    assert.deepStrictEqual(splitSignalId("my_monitor_drift", ["drift"]), { monitor: "my_monitor", signal: "drift" });
  });

  it("a breach head without rows is still a breach, with no features", () => {
    const r = parseBreachTag(NO_ROWS);
    assert.ok(r.ok);
    assert.deepStrictEqual(r.breach.features, []);
    assert.strictEqual(r.breach.signal, "dataquality");
  });

  for (const [name, text, reason] of MALFORMED) {
    it(`rejects ${name} with a reason matching ${reason}`, () => {
      const r = parseBreachTag(text);
      assert.strictEqual(r.ok, false);
      assert.match((r as { reason: string }).reason, reason);
    });
  }
});

describe("retraining: breachTagFromEventData reads either payload casing", () => {
  it("reads camelCase runTags and PascalCase RunTags, ignoring the tag key's case", () => {
    assert.strictEqual(breachTagFromEventData({ runTags: { [BREACH_TAG]: PREDICTION_DRIFT } }), PREDICTION_DRIFT);
    assert.strictEqual(breachTagFromEventData({ RunTags: { AzureML_ModelMonitor_Threshold_Breached: NO_ROWS } }), NO_ROWS);
  });

  it("returns undefined for an ordinary failed training run and for non-object data", () => {
    assert.strictEqual(breachTagFromEventData({ runStatus: "Failed", runTags: { "mlflow.user": "ana" } }), undefined);
    assert.strictEqual(breachTagFromEventData("garbage"), undefined);
    assert.strictEqual(breachTagFromEventData(null), undefined);
  });
});
