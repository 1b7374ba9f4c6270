import * as assert from "assert";
import { coolDownParameter, validateDriftRetrainTriggerArgs } from "../../lib/retraining/validate";
import { DriftRetrainTriggerArgs } from "../../lib/retraining/types";
import type { WorkspaceEvents } from "../../lib/workspace";

/** Validation never touches the events component beyond checking it is there. */
const events = {} as WorkspaceEvents;
const FACTORY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform";
const base: DriftRetrainTriggerArgs = { events, existingPipeline: { factoryId: FACTORY, pipelineName: "retrain-on-drift" } };
const create = { mlPipelineId: "5adc0a4f-e025-04a5-86f0-9a4fcbb241f9", experimentName: "retrain-on-drift" };

describe("retraining: validateDriftRetrainTriggerArgs", () => {
  it("accepts realistic arguments (existing pipeline, created pipeline)", () => {
    assert.deepStrictEqual(validateDriftRetrainTriggerArgs(base), []);
    assert.deepStrictEqual(
      validateDriftRetrainTriggerArgs({
        events,
        driftMonitorNames: ["myDriftMonitor"],
        minimumDriftCoefficient: 0.3,
        coolDownHours: 24,
        createPipeline: { ...create, copy: { sourceDatasetName: "ServingData", sinkDatasetName: "TrainingData", format: "Parquet" } },
      }),
      [],
    );
    assert.deepStrictEqual(
      validateDriftRetrainTriggerArgs({ events, existingPipeline: { factoryName: "adf-platform", resourceGroupName: "rg-data", pipelineName: "p" } }),
      [],
    );
  });

  // Each case: the arguments, and fragments every message must contain (argument, value, fix).
  const cases: { label: string; args: DriftRetrainTriggerArgs; expect: string[] }[] = [
    { label: "coefficient above 1", args: { ...base, minimumDriftCoefficient: 1.5 }, expect: ["minimumDriftCoefficient 1.5", "from 0 to 1"] },
    { label: "coefficient below 0", args: { ...base, minimumDriftCoefficient: -0.1 }, expect: ["minimumDriftCoefficient -0.1", "from 0 to 1"] },
    { label: "coefficient NaN", args: { ...base, minimumDriftCoefficient: NaN }, expect: ["minimumDriftCoefficient NaN", "from 0 to 1"] },
    { label: "cool-down zero", args: { ...base, coolDownHours: 0 }, expect: ["coolDownHours 0", "positive number of hours"] },
    { label: "cool-down negative", args: { ...base, coolDownHours: -6 }, expect: ["coolDownHours -6", "positive"] },
    { label: "cool-down infinite", args: { ...base, coolDownHours: Infinity }, expect: ["coolDownHours Infinity", "positive"] },
    { label: "cool-down beyond ADF run history", args: { ...base, coolDownHours: 2000 }, expect: ["coolDownHours 2000", "45 days", "at most 1080"] },
    { label: "empty monitor list", args: { ...base, driftMonitorNames: [] }, expect: ["driftMonitorNames is empty", "omit driftMonitorNames"] },
    { label: "blank monitor name", args: { ...base, driftMonitorNames: ["myDriftMonitor", " "] }, expect: ['driftMonitorNames[1] " "', "monitor's name"] },
    { label: "duplicate monitor names", args: { ...base, driftMonitorNames: ["a", "A"] }, expect: ['"A" twice', "remove the duplicate"] },
    {
      label: "too many filter values",
      args: { ...base, driftMonitorNames: Array.from({ length: 25 }, (_, i) => `m${i}`), minimumDriftCoefficient: 0.2 },
      expect: ["26 filter values", "25 per subscription", "Split"],
    },
    {
      label: "mapping to an unknown field (suggests the camelCase name)",
      args: { ...base, parameterMapping: { coefficient: "DriftCoefficient" as never } },
      expect: ['parameterMapping.coefficient: event field "DriftCoefficient" is unknown', 'did you mean "driftCoefficient"'],
    },
    { label: "mapping to a made-up field", args: { ...base, parameterMapping: { x: "modelName" as never } }, expect: ['"modelName" is unknown', "dataDriftId"] },
    { label: "invalid parameter name", args: { ...base, parameterMapping: { "drift-name": "dataDriftName" } }, expect: ['"drift-name" is invalid', "@pipeline().parameters"] },
    { label: "empty mapping", args: { ...base, parameterMapping: {} }, expect: ["parameterMapping is empty", "omit it for the default"] },
    {
      label: "cool-down without a monitor parameter",
      args: { ...base, coolDownHours: 12, parameterMapping: { score: "driftCoefficient" } },
      expect: ["coolDownHours 12 needs a pipeline parameter", '"dataDriftId"'],
    },
    { label: "neither pipeline option", args: { events }, expect: ["neither existingPipeline nor createPipeline", "existingPipeline {factoryId, pipelineName}"] },
    { label: "both pipeline options", args: { ...base, createPipeline: create }, expect: ["both existingPipeline and createPipeline"] },
    {
      label: "factory id that is a resource group",
      args: { events, existingPipeline: { factoryId: "/subscriptions/0/resourceGroups/rg-data", pipelineName: "p" } },
      expect: ['existingPipeline.factoryId "/subscriptions/0/resourceGroups/rg-data"', "Microsoft.DataFactory/factories/{name}"],
    },
    {
      label: "invalid factory name",
      args: { events, existingPipeline: { factoryName: "a_b", resourceGroupName: "rg", pipelineName: "p" } },
      expect: ['existingPipeline.factoryName "a_b"', "single hyphens"],
    },
    {
      label: "pipeline name with a slash",
      args: { events, existingPipeline: { factoryId: FACTORY, pipelineName: "a/b" } },
      expect: ['existingPipeline.pipelineName "a/b"', "none of"],
    },
    { label: "both ML targets", args: { events, createPipeline: { ...create, mlPipelineEndpointId: "e" } }, expect: ["exactly one of mlPipelineId", 'mlPipelineEndpointId "e"'] },
    { label: "no ML target", args: { events, createPipeline: { experimentName: "x" } }, expect: ["exactly one of mlPipelineId", "mlPipelineId undefined"] },
    { label: "version without endpoint", args: { events, createPipeline: { ...create, mlPipelineVersion: "2" } }, expect: ['mlPipelineVersion "2" needs mlPipelineEndpointId'] },
    { label: "bad experiment name", args: { events, createPipeline: { ...create, experimentName: "retrain on drift" } }, expect: ['experimentName "retrain on drift"', "letters, digits"] },
    {
      label: "ML parameter reading an undeclared pipeline parameter",
      args: { events, createPipeline: { ...create, mlPipelineParameters: { drift_run: "driftRunId" } } },
      expect: ['mlPipelineParameters.drift_run reads pipeline parameter "driftRunId"', '"runId"'],
    },
    {
      label: "copy step with an empty dataset name",
      args: { events, createPipeline: { ...create, copy: { sourceDatasetName: "", sinkDatasetName: "T" } } },
      expect: ['copy.sourceDatasetName ""', "exists in the factory"],
    },
    { label: "bad public network access", args: { events, createPipeline: { ...create, publicNetworkAccess: "Off" as never } }, expect: ['publicNetworkAccess "Off"', '"Disabled"'] },
    { label: "bad subscription name", args: { ...base, subscriptionName: "drift_retrain" }, expect: ['subscriptionName "drift_retrain"', "3-64"] },
    { label: "delivery attempts out of range", args: { ...base, maxDeliveryAttempts: 31 }, expect: ["maxDeliveryAttempts 31", "1 to 30"] },
    {
      label: "a legacy drift argument with modelMonitor",
      args: { ...base, modelMonitor: {}, minimumDriftCoefficient: 0.3 },
      expect: ["minimumDriftCoefficient 0.3", "legacy DatasetDriftDetected", "modelMonitor.signalNames"],
    },
    { label: "a bad monitor name", args: { ...base, modelMonitor: { monitorNames: ["credit monitor"] } }, expect: ["modelMonitor.monitorNames", '"credit monitor"'] },
    { label: "an empty signal list", args: { ...base, modelMonitor: { signalNames: [] } }, expect: ["modelMonitor.signalNames", "empty list"] },
    { label: "modelMonitor not an object", args: { ...base, modelMonitor: "credit-default-monitor" as never }, expect: ['modelMonitor "credit-default-monitor"', "monitorNames"] },
    {
      label: "a breach mapping without the monitor run id",
      args: { ...base, modelMonitor: {}, parameterMapping: { signal: "monitorSignal", eventId: "id" } },
      expect: ['no pipeline parameter from "runId"', "at most one retrain per breach", "monitorRunId"],
    },
    {
      label: "a drift field in a breach mapping",
      args: { ...base, modelMonitor: {}, parameterMapping: { monitorRunId: "runId", coefficient: "driftCoefficient" } },
      expect: ['parameterMapping.coefficient: event field "driftCoefficient" is unknown', "monitorSignal"],
    },
    {
      label: "a breach cool-down without the signal mapped",
      args: { ...base, modelMonitor: {}, coolDownHours: 12, parameterMapping: { monitorRunId: "runId" } },
      expect: ["coolDownHours 12", '"monitorSignal"'],
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.label}`, () => {
      const problems = validateDriftRetrainTriggerArgs(c.args);
      assert.strictEqual(problems.length, 1, `expected one problem, got ${JSON.stringify(problems)}`);
      for (const fragment of c.expect) assert.ok(problems[0].includes(fragment), `"${problems[0]}" should contain "${fragment}"`);
    });
  }

  it("reports every problem at once", () => {
    const problems = validateDriftRetrainTriggerArgs({ events, minimumDriftCoefficient: 2, coolDownHours: -1, driftMonitorNames: [] });
    assert.strictEqual(problems.length, 4);
  });

  it("accepts a model monitoring (v2) source with its default mapping, scoped or not, with a cool-down", () => {
    assert.deepStrictEqual(validateDriftRetrainTriggerArgs({ ...base, modelMonitor: {} }), []);
    assert.deepStrictEqual(
      validateDriftRetrainTriggerArgs({ ...base, modelMonitor: { monitorNames: ["credit-default-monitor"], signalNames: ["data-drift-signal"] }, coolDownHours: 24 }),
      [],
    );
  });

  it("keys the cool-down on the dataDriftId parameter, else dataDriftName", () => {
    assert.strictEqual(coolDownParameter({ name: "dataDriftName", id: "dataDriftId" }), "id");
    assert.strictEqual(coolDownParameter({ name: "dataDriftName", c: "driftCoefficient" }), "name");
    assert.strictEqual(coolDownParameter({ c: "driftCoefficient" }), undefined);
  });
});
