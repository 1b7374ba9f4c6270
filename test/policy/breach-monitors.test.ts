/** breach-monitors-declared on what ModelMonitor and DriftRetrainTrigger really register. */
import * as assert from "assert";
import { checkResources, fromMockedResources } from "../../policy/api";
import { breachScopeValuesOf, scopeMatchesSome } from "../../policy/policies/breach-monitors-declared";
import { ModelMonitor, ModelMonitorSource } from "../../lib/monitoring";
import { DriftRetrainTrigger } from "../../lib/retraining";
import { modelMonitorBreachFilter } from "../../lib/monitoring/breachFilter";
import { WorkspaceEvents } from "../../lib/workspace";
import { registered, workspaceId } from "../helpers/pulumi";

const NAME = "breach-monitors-declared";

async function stack(prefix: string, scope: (m: ModelMonitor | undefined) => ModelMonitorSource, declareMonitor = true) {
  const ws = workspaceId(prefix);
  const data = (n: string): string => `${ws}/data/${n}/versions/1`;
  const events = new WorkspaceEvents(`${prefix}-events`, { workspaceId: ws, resourceGroupName: "rg-ml", location: "westeurope" });
  const monitor = declareMonitor
    ? new ModelMonitor(`${prefix}-monitor`, {
        workspaceId: ws,
        monitorName: "pd-model-monitor",
        taskType: "Classification",
        deploymentId: `${ws}/onlineEndpoints/credit/deployments/main`,
        signals: {
          "feature-drift": { kind: "dataDrift", productionData: { uri: data("inputs"), type: "uri_folder", windowSize: "P7D" }, referenceData: { uri: data("reference"), type: "mltable" } },
        },
      })
    : undefined;
  new DriftRetrainTrigger(`${prefix}-retrain`, {
    events,
    modelMonitor: scope(monitor),
    createPipeline: { batchEndpoint: { endpointName: "retrain-credit", region: "westeurope" } },
  });
  return (await checkResources(fromMockedResources(await registered(prefix)))).filter((v) => v.policyName === NAME);
}

describe("breach-monitors-declared", () => {
  it("passes when the trigger takes the monitor itself or its exact names (the schedule is in the stack)", async () => {
    assert.deepStrictEqual(await stack("bmd-ok", (m) => ({ monitors: [m as ModelMonitor] })), []);
    assert.deepStrictEqual(await stack("bmd-names", () => ({ monitorNames: ["pd-model-monitor"], signalNames: ["feature-drift"] })), []);
    assert.deepStrictEqual(await stack("bmd-monitor-only", () => ({ monitorNames: ["PD-Model-Monitor"] })), [], "Event Grid compares ignoring case");
  });

  it("refuses (mandatory) a misspelt monitor or signal, naming the subscription, the value, the declared signals and the fix", async () => {
    const monitor = await stack("bmd-monitor", () => ({ monitorNames: ["pd-monitor"], signalNames: ["feature-drift"] }));
    assert.strictEqual(monitor.length, 1);
    assert.strictEqual(monitor[0].enforcementLevel, "mandatory");
    assert.match(
      monitor[0].message,
      /Subscription \S+ scopes model monitor breaches to "'pd-monitor_feature-drift'", which no ModelMonitor of this program has \(its signals: 'pd-model-monitor_feature-drift'\)\. Fix: pass the monitor to the trigger \(modelMonitor: \{ monitors: \[monitor\] \}\)/,
    );
    const signal = await stack("bmd-signal", () => ({ signalNames: ["feature_drift"] }));
    assert.match(signal[0]?.message ?? "", /"_feature_drift'", which no ModelMonitor/);
  });

  it("leaves a trigger alone when the program declares no monitor (the monitor lives in another stack)", async () => {
    assert.deepStrictEqual(await stack("bmd-none", () => ({ monitorNames: ["pd-monitor"] }), false), []);
  });

  it("reads only the scoping values (not the head fragment) and matches them as Event Grid would", () => {
    const filter = modelMonitorBreachFilter({ monitorNames: ["m1"], signalNames: ["s1", "s2"] });
    assert.deepStrictEqual(breachScopeValuesOf(filter), ["'m1_s1'", "'m1_s2'"]);
    assert.deepStrictEqual(breachScopeValuesOf({ advancedFilters: [{ operatorType: "StringIn", key: "data.runTags.azureml_modelmonitor_threshold_breached", values: ["'x_y'"] }] }), []);
    assert.ok(scopeMatchesSome("'M1_", ["m1_s1"]) && scopeMatchesSome("_s1'", ["m1_s1"]) && !scopeMatchesSome("'m1_s'", ["m1_s1"]) && !scopeMatchesSome("_1_s1'", ["m1_s1"]));
  });
});
