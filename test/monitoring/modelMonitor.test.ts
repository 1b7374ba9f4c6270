import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { EventGridEvent } from "../../lib/events";
import { monitoringSampleEvents } from "../../lib/events/samples";
import { evaluateFilter } from "../../lib/filters";
import {
  buildMonitorScheduleProperties,
  ModelMonitor,
  ModelMonitorArgs,
  modelMonitorBreachFilter,
  MonitorSignalArgs,
  parseBreachTag,
  validateModelMonitorArgs,
} from "../../lib/monitoring";
import { promiseOf, registered, workspaceId } from "../helpers/pulumi";

const SAMPLE_SIGNAL_ID = "'credit-default-monitor_data-drift-signal'";
const TAG = "azureml_modelmonitor_threshold_breached";

function wsParts(ws: string): { sub: string; rg: string; name: string } {
  const [, , sub, , rg, , , , name] = ws.split("/");
  return { sub, rg, name };
}

function deploymentOf(ws: string, endpoint = "credit-default", deployment = "main"): string {
  return `${ws}/onlineEndpoints/${endpoint}/deployments/${deployment}`;
}

const inputs = { uri: "azureml://datastores/workspaceblobstore/paths/credit/model_inputs/", type: "uri_folder", windowSize: "P7D" } as const;
const outputs = { uri: "azureml://datastores/workspaceblobstore/paths/credit/model_outputs/", type: "uri_folder", windowSize: "P7D", dataContext: "model_outputs" } as const;
const training = { uri: "azureml://datastores/workspaceblobstore/paths/credit/reference/", type: "mltable", dataContext: "training", columns: { target_column: "DEFAULT_NEXT_MONTH" } } as const;
const validation = { uri: "azureml://datastores/workspaceblobstore/paths/credit/validation/", type: "uri_folder", dataContext: "validation" } as const;

/** A realistic three-signal monitor on an online deployment. */
function threeSignals(ws: string, extra: Partial<ModelMonitorArgs> = {}): ModelMonitorArgs {
  return {
    workspaceId: ws,
    monitorName: "credit-default-monitor",
    taskType: "Classification",
    deploymentId: deploymentOf(ws),
    modelId: `${ws}/models/credit-default/versions/3`,
    signals: {
      "data-drift": {
        kind: "dataDrift",
        productionData: inputs,
        referenceData: training,
        features: { top: 10 },
        numerical: { metric: "JensenShannonDistance", threshold: 0.01 },
        categorical: { metric: "PearsonsChiSquaredTest", threshold: 0.02 },
      },
      "prediction-drift": { kind: "predictionDrift", productionData: outputs, referenceData: validation, numerical: false },
      "data-quality": {
        kind: "dataQuality",
        productionData: inputs,
        referenceData: training,
        features: ["SEX", "EDUCATION", "AGE"],
        numerical: [{ metric: "NullValueRate", threshold: 0.05 }],
        categorical: [{ metric: "OutOfBoundsRate", threshold: 0.03 }],
        alertEnabled: false,
      },
    },
    schedule: { frequency: "Day", interval: 1, hours: [3], minutes: [15], timeZone: "W. Europe Standard Time" },
    alertEmails: ["ml-oncall@contoso.com", "ana@contoso.com"],
    displayName: "Credit default monitor",
    tags: { team: "ml-platform" },
    ...extra,
  };
}

const rolling = (uri: string, type: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ inputDataType: "Rolling", jobInputType: type, uri, ...extra, windowOffset: "P0D", windowSize: "P7D" });

describe("ModelMonitor (under mocks)", () => {
  it("declares one Schedule named by the monitor, with the three signals, target, compute, emails and trigger", async () => {
    const ws = workspaceId("mm1");
    const m = new ModelMonitor("mm1", threeSignals(ws));
    const rs = await registered("mm1");
    assert.deepStrictEqual(rs.map((r) => r.type).sort(), ["aml-events:index:ModelMonitor", "azure-native:machinelearningservices:Schedule"]);
    const component = rs.find((r) => r.type === ModelMonitor.__type);
    const schedule = rs.find((r) => r.type === "azure-native:machinelearningservices:Schedule");
    assert.ok(schedule && component);
    assert.strictEqual(schedule.name, "mm1-schedule");
    assert.strictEqual(schedule.parent, component.urn);
    assert.strictEqual(schedule.inputs.name, "credit-default-monitor");
    assert.strictEqual(schedule.inputs.workspaceName, wsParts(ws).name);
    assert.strictEqual(schedule.inputs.resourceGroupName, "rg-ml");
    assert.strictEqual(m.monitorName, "credit-default-monitor");
    assert.deepStrictEqual(m.signalNames, ["data-drift", "prediction-drift", "data-quality"]);
    // Azure ML adds nothing to a signal's name; Microsoft asks for <monitor-name>_<signal> in breach filters.
    assert.deepStrictEqual(m.signalIds, ["credit-default-monitor_data-drift", "credit-default-monitor_prediction-drift", "credit-default-monitor_data-quality"]);
    assert.strictEqual(await promiseOf(m.scheduleId), schedule.id);

    assert.deepStrictEqual(schedule.inputs.properties, {
      action: {
        actionType: "CreateMonitor",
        monitorDefinition: {
          computeConfiguration: { computeType: "ServerlessSpark", instanceType: "Standard_E4s_v3", runtimeVersion: "3.4", computeIdentity: { computeIdentityType: "AmlToken" } },
          monitoringTarget: { taskType: "Classification", deploymentId: deploymentOf(ws), modelId: `${ws}/models/credit-default/versions/3` },
          signals: {
            "credit-default-monitor_data-drift": {
              signalType: "DataDrift",
              features: { filterType: "TopNByAttribution", top: 10 },
              metricThresholds: [
                { dataType: "Numerical", metric: "JensenShannonDistance", threshold: { value: 0.01 } },
                { dataType: "Categorical", metric: "PearsonsChiSquaredTest", threshold: { value: 0.02 } },
              ],
              productionData: rolling("azureml://datastores/workspaceblobstore/paths/credit/model_inputs/", "uri_folder"),
              referenceData: { inputDataType: "Fixed", jobInputType: "mltable", uri: "azureml://datastores/workspaceblobstore/paths/credit/reference/", dataContext: "training", columns: { target_column: "DEFAULT_NEXT_MONTH" } },
              notificationTypes: ["AmlNotification"],
            },
            "credit-default-monitor_prediction-drift": {
              signalType: "PredictionDrift",
              metricThresholds: [{ dataType: "Categorical", metric: "JensenShannonDistance", threshold: { value: 0.1 } }],
              productionData: rolling("azureml://datastores/workspaceblobstore/paths/credit/model_outputs/", "uri_folder", { dataContext: "model_outputs" }),
              referenceData: { inputDataType: "Fixed", jobInputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/credit/validation/", dataContext: "validation" },
              notificationTypes: ["AmlNotification"],
            },
            "credit-default-monitor_data-quality": {
              signalType: "DataQuality",
              features: { filterType: "FeatureSubset", features: ["SEX", "EDUCATION", "AGE"] },
              metricThresholds: [
                { dataType: "Numerical", metric: "NullValueRate", threshold: { value: 0.05 } },
                { dataType: "Categorical", metric: "OutOfBoundsRate", threshold: { value: 0.03 } },
              ],
              productionData: rolling("azureml://datastores/workspaceblobstore/paths/credit/model_inputs/", "uri_folder"),
              referenceData: { inputDataType: "Fixed", jobInputType: "mltable", uri: "azureml://datastores/workspaceblobstore/paths/credit/reference/", dataContext: "training", columns: { target_column: "DEFAULT_NEXT_MONTH" } },
              notificationTypes: [],
            },
          },
          alertNotificationSettings: { emailNotificationSettings: { emails: ["ml-oncall@contoso.com", "ana@contoso.com"] } },
        },
      },
      trigger: { triggerType: "Recurrence", frequency: "Day", interval: 1, schedule: { hours: [3], minutes: [15] }, timeZone: "W. Europe Standard Time" },
      isEnabled: true,
      displayName: "Credit default monitor",
      tags: { team: "ml-platform" },
    });
    assert.deepStrictEqual(schedule.inputs.properties, JSON.parse(JSON.stringify(m.properties)));
  });

  it("applies the documented defaults: component name, daily 03:15 UTC, Standard_E4s_v3 on Spark 3.4, SDK default thresholds", async () => {
    const ws = workspaceId("mm2");
    const m = new ModelMonitor("churn-monitor", {
      workspaceId: ws,
      taskType: "Regression",
      signals: { drift: { kind: "dataDrift", productionData: inputs, referenceData: training }, quality: { kind: "dataQuality", productionData: inputs, referenceData: training } },
    });
    assert.strictEqual(m.monitorName, "churn-monitor");
    const p = m.properties as unknown as { action: { monitorDefinition: Record<string, unknown> }; trigger: unknown; isEnabled: boolean };
    const def = p.action.monitorDefinition as { signals: Record<string, { metricThresholds: unknown; features: unknown }>; monitoringTarget: unknown; alertNotificationSettings?: unknown };
    assert.deepStrictEqual(p.trigger, { triggerType: "Recurrence", frequency: "Day", interval: 1, schedule: { hours: [3], minutes: [15] }, timeZone: "UTC" });
    assert.deepStrictEqual(def.monitoringTarget, { taskType: "Regression" });
    assert.strictEqual(def.alertNotificationSettings, undefined);
    assert.deepStrictEqual(def.signals["churn-monitor_drift"].features, { filterType: "AllFeatures" });
    assert.deepStrictEqual(def.signals["churn-monitor_drift"].metricThresholds, [
      { dataType: "Numerical", metric: "NormalizedWassersteinDistance", threshold: { value: 0.1 } },
      { dataType: "Categorical", metric: "JensenShannonDistance", threshold: { value: 0.1 } },
    ]);
    const rates = ["NullValueRate", "DataTypeErrorRate", "OutOfBoundsRate"];
    assert.deepStrictEqual(def.signals["churn-monitor_quality"].metricThresholds, [
      ...rates.map((metric) => ({ dataType: "Numerical", metric, threshold: { value: 0 } })),
      ...rates.map((metric) => ({ dataType: "Categorical", metric, threshold: { value: 0 } })),
    ]);
    const [schedule] = (await registered("churn-monitor")).filter((r) => r.custom);
    assert.strictEqual(schedule.inputs.name, "churn-monitor");
  });

  it("runs as a user-assigned identity when given one, and takes a cron schedule", () => {
    const ws = workspaceId("mm3");
    const uami = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-monitoring";
    const p = buildMonitorScheduleProperties(threeSignals(ws, { compute: { instanceType: "standard_e8s_v3", userAssignedIdentityId: uami }, schedule: { cron: "15 3 * * 1-5" } })) as unknown as {
      action: { monitorDefinition: { computeConfiguration: unknown } };
      trigger: unknown;
    };
    assert.deepStrictEqual(p.action.monitorDefinition.computeConfiguration, {
      computeType: "ServerlessSpark",
      instanceType: "standard_e8s_v3",
      runtimeVersion: "3.4",
      computeIdentity: { computeIdentityType: "ManagedIdentity", identity: { type: "UserAssigned", userAssignedIdentities: [uami] } },
    });
    assert.deepStrictEqual(p.trigger, { triggerType: "Cron", expression: "15 3 * * 1-5", timeZone: "UTC" });
  });
});

/** Validation: one test per kind of mistake, each checking the message names argument, value and fix. */
describe("ModelMonitor validation", () => {
  const ws = workspaceId("mmv");
  const problems = (extra: Partial<ModelMonitorArgs>, name = "mmv"): string[] => validateModelMonitorArgs(threeSignals(ws, extra), name);
  const signal = (s: Partial<MonitorSignalArgs>): Record<string, MonitorSignalArgs> => ({ drift: { kind: "dataDrift", productionData: inputs, referenceData: training, ...s } as MonitorSignalArgs });

  it("accepts the realistic monitor", () => {
    assert.deepStrictEqual(problems({}), []);
  });

  it("throws a ResourceError naming the component and creates nothing", async () => {
    assert.throws(
      () => new ModelMonitor("mmv-bad", threeSignals(ws, { monitorName: "credit monitor's" })),
      (e: unknown) => e instanceof pulumi.ResourceError && e.message.startsWith(`ModelMonitor("mmv-bad"): monitorName: got "credit monitor's"; expected 1-255 letters`) && e.message.includes('e.g. "credit-monitor-s"'),
    );
    assert.deepStrictEqual((await registered("mmv-bad")).filter((r) => r.custom), []);
  });

  it("monitor name: the component name is checked when monitorName is omitted", () => {
    assert.deepStrictEqual(validateModelMonitorArgs({ ...threeSignals(ws), monitorName: undefined }, "_monitor"), [
      `monitorName (the component name): got "_monitor"; expected 1-255 letters, digits, '-' or '_', starting with a letter or digit (no quotes or spaces: the breach tag quotes '<monitor>_<signal>'). Rename it, e.g. "monitor".`,
    ]);
  });

  it("signal names: none, invalid, case-duplicates, and tags that a parser could not tell apart", () => {
    assert.match(problems({ signals: {} }).join("\n"), /signals: got no signals; expected at least one/);
    assert.match(problems({ signals: { "drift signal": signal({})["drift"] } }).join("\n"), /signals\["drift signal"\]: got "drift signal"; expected 1-255 letters/);
    const d = signal({})["drift"];
    assert.match(problems({ signals: { Drift: d, drift: d } }).join("\n"), /signals: names "Drift" and "drift" differ only in case; Event Grid matches the breach tag ignoring case\. Rename one\./);
    assert.deepStrictEqual(problems({ monitorName: "credit_data", signals: { drift: d, data_drift: d } }), [
      `signals: the breach tag 'credit_data_drift' also ends with '_data_drift', so it cannot be told apart from signal "data_drift". Rename "drift" or "data_drift".`,
    ]);
    assert.deepStrictEqual(problems({ monitorName: "credit", signals: { drift: d, data_drift: d } }), []);
  });

  it("thresholds: out of range for the metric, wrong metric for the data type, nothing to compute", () => {
    assert.deepStrictEqual(problems({ signals: signal({ numerical: { metric: "JensenShannonDistance", threshold: 1.5 } }) }), [
      `signals["drift"].numerical.threshold: got 1.5 for JensenShannonDistance; expected a distance in [0, 1]. Set a threshold in that range.`,
    ]);
    assert.match(problems({ signals: signal({ categorical: { metric: "PearsonsChiSquaredTest", threshold: 0 } }) }).join("\n"), /got 0 for PearsonsChiSquaredTest; expected a p-value in \(0, 1\] \(the signal breaches when the p-value is below it; 0 never breaches\)/);
    assert.match(
      problems({ signals: signal({ numerical: { metric: "PearsonsChiSquaredTest", threshold: 0.05 } as never }) }).join("\n"),
      /signals\["drift"\]\.numerical\.metric: got "PearsonsChiSquaredTest"; expected one of JensenShannonDistance, PopulationStabilityIndex, NormalizedWassersteinDistance, TwoSampleKolmogorovSmirnovTest/,
    );
    assert.match(problems({ signals: signal({ numerical: { metric: "PopulationStabilityIndex", threshold: Number.NaN } }) }).join("\n"), /got null for PopulationStabilityIndex; expected a non-negative number/);
    assert.match(problems({ signals: signal({ numerical: false, categorical: false }) }).join("\n"), /numerical and categorical are both false; the signal would compute nothing/);
    const quality = { kind: "dataQuality", productionData: inputs, referenceData: training } as const;
    assert.deepStrictEqual(problems({ signals: { q: { ...quality, numerical: [{ metric: "NullValueRate", threshold: -0.1 }, { metric: "NullValueRate", threshold: 0.2 }] } } }), [
      `signals["q"].numerical[0].threshold: got -0.1 for NullValueRate; expected a rate in [0, 1]. Set a threshold in that range.`,
      `signals["q"].numerical: metric "NullValueRate" appears twice; give each metric one threshold.`,
    ]);
  });

  it("feature importance ({ top: n }) needs the reference data's target column, in drift and quality signals", () => {
    const noTarget = { ...training, columns: undefined };
    assert.deepStrictEqual(problems({ signals: signal({ features: { top: 10 }, referenceData: noTarget }) }), [
      `signals["drift"].features: got {"top":10} (top features by importance) with referenceData.columns.target_column undefined; feature importance needs the reference (training) data's target column, or every monitor run fails. ` +
        `Add referenceData.columns: { target_column: "<label column>" }, or list the features (or "all") instead of { top: n }.`,
    ]);
    const quality = { kind: "dataQuality", productionData: inputs, referenceData: { ...training, columns: { target_column: "  " } }, features: { top: 5 } } as const;
    assert.match(problems({ signals: { q: quality } }).join("\n"), /signals\["q"\]\.features: got \{"top":5\} .+target_column " {2}"/);
    assert.match(problems({ signals: signal({ features: { top: 3 }, referenceData: { ...training, columns: { label: "DEFAULT_NEXT_MONTH" } } }) }).join("\n"), /target_column undefined/);
    // A named list or "all" needs no target column; a target column makes top-n valid.
    assert.deepStrictEqual(problems({ signals: signal({ features: ["AGE"], referenceData: noTarget }) }), []);
    assert.deepStrictEqual(problems({ signals: signal({ features: "all", referenceData: noTarget }) }), []);
    assert.deepStrictEqual(problems({ signals: signal({ features: { top: 10 } }) }), []);
  });

  it("data: malformed uri, bad type, bad durations, an offset without a window", () => {
    assert.deepStrictEqual(problems({ signals: signal({ productionData: { uri: "./data/prod.csv", type: "uri_file" } }) }), [
      `signals["drift"].productionData.uri: got "./data/prod.csv"; expected a data version's ARM id (${ws}/data/<name>/versions/<version>), an 'azureml://' URI, or an https/abfss/wasbs URL. Register the data as an asset and pass its version's ARM id, ${ws}/data/<name>/versions/<version>.`,
    ]);
    // The SDK's short form is not a REST form: refused with the exact ARM id to use; the ARM id itself passes.
    assert.deepStrictEqual(problems({ signals: signal({ productionData: { uri: "azureml:credit-inputs:4", type: "uri_folder" } }) }), [
      `signals["drift"].productionData.uri: got "azureml:credit-inputs:4"; expected a data version's ARM id (${ws}/data/<name>/versions/<version>), an 'azureml://' URI, or an https/abfss/wasbs URL. 'azureml:<name>:<version>' is the Python SDK's short form, which the REST API does not take; pass "${ws}/data/credit-inputs/versions/4".`,
    ]);
    assert.match(problems({ signals: signal({ productionData: { uri: "azureml:credit-inputs@latest", type: "uri_folder" } }) }).join("\n"), /pass ".+\/data\/credit-inputs\/versions\/<version>" with the version number \('@latest' is resolved by the SDK only\)/);
    assert.deepStrictEqual(problems({ signals: signal({ productionData: { uri: `${ws}/data/credit-inputs/versions/4`, type: "uri_folder" } }) }), []);
    for (const forged of [`${ws}/data/credit-inputs`, "azureml:credit inputs:4", "/subscriptions/x/data/a/versions/1", "azureml:"]) {
      assert.strictEqual(problems({ signals: signal({ productionData: { uri: forged, type: "uri_folder" } }) }).length, 1, forged);
    }
    const p = problems({ signals: signal({ referenceData: { uri: "azureml://datastores/workspaceblobstore/paths/credit/reference/", type: "csv" as never, windowSize: "7 days", windowOffset: "P1D" } }) });
    assert.deepStrictEqual(p, [
      `signals["drift"].referenceData.type: got "csv"; expected "uri_folder", "uri_file" or "mltable".`,
      `signals["drift"].referenceData.windowSize: got "7 days"; expected an ISO 8601 duration such as "P7D" or "PT12H".`,
    ]);
    assert.match(problems({ signals: signal({ referenceData: { uri: "azureml://datastores/workspaceblobstore/paths/credit/reference/", type: "mltable", windowOffset: "P7D" } }) }).join("\n"), /windowOffset: set without windowSize/);
    assert.match(problems({ signals: signal({ features: [] }) }).join("\n"), /signals\["drift"\]\.features: got \[\]; expected a non-empty list of feature names/);
  });

  it("target: deployment must be an online deployment ARM id in the same workspace; model id well-formed; task type", () => {
    assert.match(problems({ deploymentId: "azureml:credit-default:main" }).join("\n"), /deploymentId: got "azureml:credit-default:main"; expected the ARM id of an online deployment, \/subscriptions\/.+\/onlineEndpoints\/<endpoint>\/deployments\/<deployment>\. Use the deployment resource's id\./);
    const other = workspaceId("other");
    assert.match(problems({ deploymentId: deploymentOf(other) }).join("\n"), /deploymentId: got ".+other-\d+\/onlineEndpoints\/credit-default\/deployments\/main"; the deployment is not in the monitor's workspace .+mmv-\d+\. Monitor it from its own workspace\./);
    assert.deepStrictEqual(problems({ deploymentId: deploymentOf(ws.toUpperCase().replace("SUBSCRIPTIONS", "subscriptions")) }).length, 0);
    assert.match(problems({ modelId: "credit-default" }).join("\n"), /modelId: got "credit-default"; expected the model version's ARM id \(.+\/models\/<name>\/versions\/<version>\) or a registry model URI .+ Use the registered model version's id\./);
    assert.match(problems({ modelId: `${other}/models/credit-default/versions/3` }).join("\n"), /modelId: .+ the model is not in the monitor's workspace/);
    assert.match(problems({ taskType: "Forecasting" as never }).join("\n"), /taskType: got "Forecasting"; expected "Classification" or "Regression"\./);
  });

  it("modelId: the REST forms pass; the SDK's short form is refused with the ARM id to use; forged ids are refused", () => {
    assert.deepStrictEqual(problems({ modelId: `${ws}/models/credit-default/versions/3` }), []);
    assert.deepStrictEqual(problems({ modelId: "azureml://registries/shared/models/credit-default/versions/3" }), []);
    assert.deepStrictEqual(problems({ modelId: "azureml:credit-default:3" }), [
      `modelId: got "azureml:credit-default:3"; expected the model version's ARM id (${ws}/models/<name>/versions/<version>) or a registry model URI (azureml://registries/<registry>/models/<name>/versions/<version>). ` +
        `'azureml:<name>:<version>' is the Python SDK's short form, which the SDK turns into the ARM id before it calls the API; pass "${ws}/models/credit-default/versions/3".`,
    ]);
    assert.match(problems({ modelId: "azureml:credit-default@latest" }).join("\n"), /pass ".+\/models\/credit-default\/versions\/<version>" with the version number \('@latest' is resolved by the SDK only\)/);
    for (const forged of [`${ws}/models/credit-default`, "azureml:credit default:3", "azureml://registries/shared/models/credit-default", `${ws}/models/a/versions/1/../../b`, "azureml:"]) {
      assert.strictEqual(problems({ modelId: forged }).length, 1, forged);
    }
  });

  it("signals: a misspelt or foreign key is refused, never dropped; data contexts are Azure ML's and match the signal", () => {
    const drift = signal({ feature: ["AGE"] } as never);
    assert.deepStrictEqual(problems({ signals: drift }), [
      `signals["drift"]: unknown key "feature" for a dataDrift signal; expected only kind, productionData, referenceData, alertEnabled, features, numerical, categorical. Fix the spelling or remove it.`,
    ]);
    // Prediction drift compares outputs: it has no features to choose.
    const prediction = { kind: "predictionDrift", productionData: outputs, referenceData: validation, features: "all" } as never;
    assert.match(problems({ signals: { p: prediction } }).join("\n"), /signals\["p"\]: unknown key "features" for a predictionDrift signal/);
    assert.match(problems({ signals: signal({ referenceData: { ...training, target_column: "Y" } as never }) }).join("\n"), /signals\["drift"\]\.referenceData: unknown key "target_column" for a data input; expected only uri, type, windowSize, windowOffset, dataContext, columns/);
    assert.deepStrictEqual(problems({ signals: signal({ productionData: { ...inputs, dataContext: "model_input" } }) }), [
      `signals["drift"].productionData.dataContext: got "model_input"; expected one of model_inputs, model_outputs, training, test, validation, ground_truth (Azure ML's data contexts). Fix the spelling, or leave it out.`,
    ]);
    assert.deepStrictEqual(problems({ signals: signal({ productionData: { ...inputs, dataContext: "Model_Inputs" } }) }), [], "the SDK's enum ignores case");
    assert.deepStrictEqual(problems({ signals: { p: { kind: "predictionDrift", productionData: { ...outputs, dataContext: "model_inputs" }, referenceData: validation } } }), [
      `signals["p"].productionData.dataContext: got "model_inputs" on a predictionDrift signal; prediction drift compares the model's outputs, so its production data is model_outputs. Point productionData at the model_outputs data and set dataContext "model_outputs" (or leave it out).`,
    ]);
    assert.match(problems({ signals: { q: { kind: "dataQuality", productionData: outputs, referenceData: training } } }).join("\n"), /signals\["q"\]\.productionData\.dataContext: got "model_outputs" on a dataQuality signal; data quality checks the model's inputs/);
    assert.match(problems({ signals: signal({ features: { top: 5 }, referenceData: { ...training, dataContext: "validation" } }) }).join("\n"), /signals\["drift"\]\.referenceData\.dataContext: got "validation" with features \{"top":5\}; feature importance is computed on the training data/);
    assert.match(problems({ signals: signal({ referenceData: { ...training, columns: { target_column: 3 } as never } }) }).join("\n"), /signals\["drift"\]\.referenceData\.columns: got \{"target_column":3\}; expected column roles mapped to column names/);
  });

  it("schedule: ranges, pairing, frequency-specific days, cron fields, start time format", () => {
    assert.deepStrictEqual(problems({ schedule: { frequency: "Day", interval: 0, hours: [24], minutes: [15] } }), [
      `schedule.interval: got 0; expected a positive integer (runs every <interval> <frequency>).`,
      `schedule.hours: got [24]; expected a non-empty list of integers 0-23.`,
    ]);
    assert.match(problems({ schedule: { frequency: "Day", interval: 1, hours: [3] } }).join("\n"), /schedule: hours and minutes go together .+ got hours only/);
    assert.match(problems({ schedule: { frequency: "Day", interval: 1, hours: [3], minutes: [0], weekDays: ["Monday"] } }).join("\n"), /schedule\.weekDays: set with frequency "Day"; week days only apply to frequency "Week"\./);
    assert.match(problems({ schedule: { frequency: "Fortnight" as never, interval: 1 } }).join("\n"), /schedule\.frequency: got "Fortnight"/);
    assert.match(problems({ schedule: { cron: "0 15 3 * * *" } }).join("\n"), /schedule\.cron: got "0 15 3 \* \* \*"; expected five NCronTab fields/);
    assert.match(problems({ schedule: { cron: "15 3 * * *", startTime: "2026-12-01T03:15:00Z" } }).join("\n"), /schedule\.startTime: got "2026-12-01T03:15:00Z"; expected ISO 8601 without a UTC offset/);
  });

  it("compute: unsupported VM size, runtime format, identity id", () => {
    assert.deepStrictEqual(problems({ compute: { instanceType: "Standard_DS3_v2", runtimeVersion: "3", userAssignedIdentityId: "id-monitoring" } }), [
      `compute.instanceType: got "Standard_DS3_v2"; model monitoring runs on Standard_E4s_v3, Standard_E8s_v3, Standard_E16s_v3, Standard_E32s_v3, Standard_E64s_v3. Pick one of those.`,
      `compute.runtimeVersion: got "3"; expected a Spark runtime "major.minor" such as "3.4".`,
      `compute.userAssignedIdentityId: got "id-monitoring"; expected /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.`,
    ]);
  });

  it("emails: malformed, repeated, over Azure's 499-character total", () => {
    assert.deepStrictEqual(problems({ alertEmails: ["ml-oncall@contoso.com", "ana at contoso", "ML-ONCALL@contoso.com"] }), [
      `alertEmails: got "ana at contoso"; expected one email address per entry (name@example.com).`,
      `alertEmails: an address appears twice; list each once.`,
    ]);
    const many = Array.from({ length: 30 }, (_, i) => `data-scientist-${i}@contoso.com`);
    assert.match(problems({ alertEmails: many }).join("\n"), /alertEmails: \d+ characters in total; Azure ML accepts at most 499\. Use a distribution list\./);
  });

  it("workspace id must be an Azure ML workspace ARM id", () => {
    assert.match(problems({ workspaceId: "mlw-prod" }).join("\n"), /workspaceId: got "mlw-prod"; expected \/subscriptions\/<sub>\/resourceGroups\/<rg>\/providers\/Microsoft\.MachineLearningServices\/workspaces\/<name>\./);
  });
});

/** The breach tag text Azure ML would write for `<monitor>_<signal>`, from the sample. */
function breachText(monitor: string, signal: string): string {
  const sample = monitoringSampleEvents()[0].data as { runTags: Record<string, string> };
  const text = sample.runTags[TAG];
  assert.ok(text.includes(SAMPLE_SIGNAL_ID));
  return text.replace(SAMPLE_SIGNAL_ID, `'${monitor}_${signal}'`);
}

function breachEvent(ws: string, text: string, runStatus: string): EventGridEvent {
  const e = monitoringSampleEvents(ws)[0];
  return { ...e, data: { ...(e.data as Record<string, unknown>), runStatus, runTags: { [TAG]: text } } };
}

describe("ModelMonitor breach tag scoping", () => {
  const cases: { monitor: string; signals: string[] }[] = [
    { monitor: "credit-default-monitor", signals: ["data-drift", "prediction-drift", "data-quality"] },
    { monitor: "fraud_detection_model_monitoring", signals: ["advanced_data_drift", "drift", "data_quality"] },
    { monitor: "m1", signals: ["a", "b_a", "c-b_a"] },
  ];
  for (const c of cases) {
    it(`${c.monitor}: every signal's tag parses back to the monitor and signal and matches only its own filter`, () => {
      const ws = workspaceId("mmt");
      const byName = Object.fromEntries(c.signals.map((s) => [s, { kind: "dataDrift", productionData: inputs, referenceData: training } as MonitorSignalArgs]));
      const m = new ModelMonitor(`mmt-${c.signals.length}-${c.monitor.length}`, { workspaceId: ws, monitorName: c.monitor, taskType: "Classification", signals: byName });
      const all = modelMonitorBreachFilter({ monitorNames: [m.monitorName], signalNames: m.signalNames });
      for (const s of m.signalNames) {
        const text = breachText(m.monitorName, s);
        const parsed = parseBreachTag(text, m.signalNames);
        assert.ok(parsed.ok, `parses ${s}`);
        assert.strictEqual(parsed.breach.monitor, c.monitor);
        assert.strictEqual(parsed.breach.signal, s);
        assert.strictEqual(parsed.breach.features.length, 2);
        assert.strictEqual(evaluateFilter(all, breachEvent(ws, text, "Completed")), true, `filter matches ${s} (the tagged run ends Completed)`);
        assert.strictEqual(evaluateFilter(all, breachEvent(ws, text, "Failed")), true, "and a later status change of the tagged run");
        for (const other of m.signalNames.filter((o) => o !== s)) {
          const only = modelMonitorBreachFilter({ monitorNames: [m.monitorName], signalNames: [other] });
          assert.strictEqual(evaluateFilter(only, breachEvent(ws, text, "Failed")), false, `${other}'s filter ignores ${s}`);
        }
        const elsewhere = modelMonitorBreachFilter({ monitorNames: [`${m.monitorName}-staging`], signalNames: m.signalNames });
        assert.strictEqual(evaluateFilter(elsewhere, breachEvent(ws, text, "Failed")), false, "another monitor's filter ignores it");
      }
    });
  }
});

describe("ModelMonitor example of the component reference", () => {
  it("runs as written and yields the breach filter for its monitor and signals", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "..", "docs", "guides", "components.md"), "utf8");
    const block = /### ModelMonitor\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
    assert.ok(block, "the ModelMonitor section has a ts example");
    const ws = workspaceId("mmreadme");
    const run = new Function("ModelMonitor", "modelMonitorBreachFilter", "workspaceId", `${block[1]}\nreturn { monitor, breaches };`) as (
      m: typeof ModelMonitor,
      f: typeof modelMonitorBreachFilter,
      w: string,
    ) => { monitor: ModelMonitor; breaches: ReturnType<typeof modelMonitorBreachFilter> };
    const { monitor, breaches } = run(ModelMonitor, modelMonitorBreachFilter, ws);
    assert.strictEqual(monitor.monitorName, "credit-default-monitor");
    assert.deepStrictEqual(monitor.signalNames, ["data-drift", "prediction-drift", "data-quality"]);
    assert.deepStrictEqual(breaches, modelMonitorBreachFilter({ monitorNames: ["credit-default-monitor"], signalNames: ["data-drift", "prediction-drift", "data-quality"] }));
  });
});
