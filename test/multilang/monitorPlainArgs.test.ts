/**
 * ModelMonitor in the multi-language package (plugin/modelMonitor.ts): its plain-data arguments declare the
 * same Schedule as TypeScript's ModelMonitor with the union forms, under the same token; every misplaced,
 * doubled or misspelt field is refused naming where it belongs. Observability's token is the package's too.
 */
import * as assert from "assert";
import { Observability, OBSERVABILITY_LEGACY_TYPE } from "../../lib/observability/observability";
import { MODEL_MONITOR_LEGACY_TYPE, ModelMonitor, ModelMonitorArgs } from "../../lib/monitoring";
import { ModelMonitor as PortableModelMonitor } from "../../plugin/modelMonitor";
import { modelMonitorArgsFromPlain, ModelMonitorPlainArgs, MonitorSignal } from "../../plugin/monitorArgs";
import { registered, workspaceId } from "../helpers/pulumi";

const inputs = { uri: "azureml://datastores/workspaceblobstore/paths/credit/model_inputs/", type: "uri_folder", windowSize: "P7D" } as const;
const outputs = { uri: "azureml://datastores/workspaceblobstore/paths/credit/model_outputs/", type: "uri_folder", dataContext: "model_outputs" } as const;
const training = { uri: "azureml://datastores/workspaceblobstore/paths/credit/reference/", type: "mltable", dataContext: "training", columns: { target_column: "DEFAULT_NEXT_MONTH" } } as const;

/** The TypeScript form: every union shape once (top features, a metric and `false`, a list, a recurrence). */
function typescriptArgs(ws: string): ModelMonitorArgs {
  return {
    workspaceId: ws,
    monitorName: "credit-default-monitor",
    taskType: "Classification",
    signals: {
      "data-drift": { kind: "dataDrift", productionData: inputs, referenceData: training, features: { top: 10 }, numerical: { metric: "JensenShannonDistance", threshold: 0.01 } },
      "prediction-drift": { kind: "predictionDrift", productionData: outputs, referenceData: training, numerical: false },
      "data-quality": { kind: "dataQuality", productionData: inputs, referenceData: training, features: ["SEX", "AGE"], numerical: [{ metric: "NullValueRate", threshold: 0.05 }] },
    },
    schedule: { frequency: "Day", interval: 1, hours: [3], minutes: [15] },
    alertEmails: ["ml-oncall@contoso.com"],
  };
}

/** The same monitor as plain data, as Python or YAML passes it. */
function plainArgs(ws: string): ModelMonitorPlainArgs {
  return {
    workspaceId: ws,
    monitorName: "credit-default-monitor",
    taskType: "Classification",
    signals: {
      "data-drift": { kind: "dataDrift", productionData: inputs, referenceData: training, topFeatures: 10, numerical: [{ metric: "JensenShannonDistance", threshold: 0.01 }] },
      "prediction-drift": { kind: "predictionDrift", productionData: outputs, referenceData: training, numerical: [] },
      "data-quality": { kind: "dataQuality", productionData: inputs, referenceData: training, features: ["SEX", "AGE"], numerical: [{ metric: "NullValueRate", threshold: 0.05 }] },
    },
    schedule: { frequency: "Day", interval: 1, hours: [3], minutes: [15] },
    alertEmails: ["ml-oncall@contoso.com"],
  };
}

function problemsOf(signal: Partial<MonitorSignal> & Record<string, unknown>, extra: Record<string, unknown> = {}): string[] {
  const args = { ...plainArgs(workspaceId("p")), ...extra, signals: { s: { kind: "dataDrift", productionData: inputs, referenceData: training, ...signal } } } as unknown as ModelMonitorPlainArgs;
  return modelMonitorArgsFromPlain(args).problems;
}

describe("ModelMonitor and Observability in the multi-language package", () => {
  it("plain ModelMonitor args become the TypeScript args of the same monitor", () => {
    const ws = workspaceId("plain");
    const { args, problems } = modelMonitorArgsFromPlain(plainArgs(ws));
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(args, typescriptArgs(ws));
  });

  it("the package's ModelMonitor declares the same Schedule as TypeScript's, under aml-events:index:ModelMonitor", async () => {
    const ws = workspaceId("twin");
    const portable = new PortableModelMonitor("mm-plain", plainArgs(ws));
    new ModelMonitor("mm-ts", typescriptArgs(ws));
    const [plain, ts] = [await registered("mm-plain"), await registered("mm-ts")];
    assert.deepStrictEqual(plain.map((r) => r.type).sort(), ["aml-events:index:ModelMonitor", "azure-native:machinelearningservices:Schedule"]);
    const schedule = (rs: typeof plain) => rs.find((r) => r.type === "azure-native:machinelearningservices:Schedule")?.inputs;
    assert.deepStrictEqual(schedule(plain), schedule(ts));
    assert.deepStrictEqual(portable.signalIds, ["credit-default-monitor_data-drift", "credit-default-monitor_prediction-drift", "credit-default-monitor_data-quality"]);
    assert.strictEqual(ModelMonitor.__type, "aml-events:index:ModelMonitor");
    assert.strictEqual(MODEL_MONITOR_LEGACY_TYPE, "aml-events:retraining:ModelMonitor");
  });

  it("Observability is aml-events:index:Observability, the old token kept as its alias", () => {
    assert.strictEqual(Observability.__type, "aml-events:index:Observability");
    assert.strictEqual(OBSERVABILITY_LEGACY_TYPE, "aml-events:observability:Observability");
  });

  it("refuses doubled, misplaced and misspelt fields, naming the signal, the field and the fix", () => {
    assert.deepStrictEqual(problemsOf({ features: ["AGE"], topFeatures: 5 }), [`signals["s"]: features and topFeatures are both set; give the feature list or the top n, not both.`]);
    assert.deepStrictEqual(problemsOf({ numerical: [{ metric: "JensenShannonDistance", threshold: 0.1 }, { metric: "PopulationStabilityIndex", threshold: 0.2 }] }), [
      `signals["s"].numerical: got 2 metrics; a drift signal takes one per feature type. Keep one, or [] to skip these features.`,
    ]);
    assert.deepStrictEqual(problemsOf({ kind: "predictionDrift", topFeatures: 3 }), [
      `signals["s"]: features and topFeatures belong to kinds "dataDrift" and "dataQuality"; a prediction drift signal compares the model's outputs. Drop them.`,
    ]);
    assert.deepStrictEqual(problemsOf({ numerical: [{ metric: "JensenShannonDistance", treshold: 0.1 } as never] }), [`unknown argument 'signals["s"].numerical[0].treshold'; did you mean 'signals["s"].numerical[0].threshold'?`]);
    assert.deepStrictEqual(problemsOf({}, { schedule: { cron: "15 3 * * *", frequency: "Day" } }), [`schedule: cron is set together with frequency; give a cron, or frequency and interval, not both.`]);
    assert.deepStrictEqual(problemsOf({}, { shedule: {} }), [`unknown argument 'shedule'; did you mean 'schedule'?`]);
    assert.deepStrictEqual(problemsOf({ kind: "modelPerformance" as never }), [`signals["s"].kind: got "modelPerformance"; expected "dataDrift", "predictionDrift" or "dataQuality".`]);
  });

  it("a bad plain monitor fails construction with the component's name; the TypeScript checks still run after conversion", () => {
    const ws = workspaceId("bad");
    assert.throws(() => new PortableModelMonitor("mm-bad", { ...plainArgs(ws), schedule: { cron: "15 3 * * *", interval: 2 } }), /ModelMonitor\("mm-bad"\): schedule: cron is set together with interval/);
    assert.throws(() => new PortableModelMonitor("mm-bad2", { ...plainArgs(ws), signals: { s: { kind: "dataDrift", productionData: inputs, referenceData: training, numerical: [{ metric: "NullValueRate", threshold: 0.1 }] } } }), /ModelMonitor\("mm-bad2"\): signals\["s"\]\.numerical/);
  });
});
