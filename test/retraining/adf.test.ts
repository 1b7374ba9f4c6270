import * as assert from "assert";
import {
  azureMlServiceLinkedService,
  copyActivity,
  createRunUrl,
  factoryId,
  isFactoryName,
  mlExecutePipelineActivity,
  parseFactoryId,
  pipelineParameters,
  queryPipelineRunsUrl,
  retrainPipelineActivities,
} from "../../lib/retraining/adf";
import { DEFAULT_PARAMETER_MAPPING } from "../../lib/retraining/driftFields";
import { parseWorkspaceId } from "../../lib/arm/ids";
import { SAMPLE_WORKSPACE_ID } from "../../lib/events";

const FACTORY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform";

describe("retraining: ADF ids and URLs", () => {
  it("parses a factory id and builds it back", () => {
    const ref = parseFactoryId(FACTORY);
    assert.deepStrictEqual(ref, { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroupName: "rg-data", factoryName: "adf-platform" });
    assert.strictEqual(factoryId(ref), FACTORY);
  });

  const notFactories: [string, string][] = [
    ["a resource group", "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data"],
    ["a pipeline (child of a factory)", `${FACTORY}/pipelines/retrain`],
    ["a workspace", SAMPLE_WORKSPACE_ID],
    ["a bare name", "adf-platform"],
  ];
  for (const [label, id] of notFactories) {
    it(`rejects ${label} as a factory id`, () => assert.strictEqual(parseFactoryId(id), undefined));
  }

  it("builds the documented createRun and queryPipelineRuns URLs", () => {
    assert.strictEqual(
      createRunUrl(FACTORY, "retrain-on-drift"),
      "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform/pipelines/retrain-on-drift/createRun?api-version=2018-06-01",
    );
    assert.strictEqual(
      queryPipelineRunsUrl(FACTORY),
      "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform/queryPipelineRuns?api-version=2018-06-01",
    );
    assert.ok(createRunUrl(FACTORY, "retrain on drift").includes("/pipelines/retrain%20on%20drift/createRun"));
  });

  const names: [string, boolean][] = [
    ["adf-platform", true],
    ["ADF01", true],
    ["ab", false],
    ["-adf", false],
    ["adf--x", false],
    ["adf_x", false],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
  ];
  for (const [name, ok] of names) {
    it(`factory name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}…(${name.length})` : name)} is ${ok ? "valid" : "invalid"}`, () =>
      assert.strictEqual(isFactoryName(name), ok));
  }
});

describe("retraining: linked service and pipeline parameters", () => {
  it("builds an AzureMLService linked service on the workspace with the factory's managed identity", () => {
    const ws = parseWorkspaceId(SAMPLE_WORKSPACE_ID);
    assert.ok(ws);
    assert.deepStrictEqual(azureMlServiceLinkedService(ws), {
      type: "AzureMLService",
      description: "Azure Machine Learning workspace mlw-platform, reached with the factory's managed identity.",
      subscriptionId: "00000000-0000-0000-0000-000000000000",
      resourceGroupName: "rg-ml-platform",
      mlWorkspaceName: "mlw-platform",
      authentication: "MSI",
    });
    assert.strictEqual(parseWorkspaceId(FACTORY), undefined);
  });

  it("declares one parameter per mapped field: Float for the coefficient, String otherwise, in mapping order", () => {
    assert.deepStrictEqual(pipelineParameters(DEFAULT_PARAMETER_MAPPING), {
      dataDriftId: { type: "String" },
      dataDriftName: { type: "String" },
      runId: { type: "String" },
      baseDatasetId: { type: "String" },
      targetDatasetId: { type: "String" },
      driftCoefficient: { type: "Float" },
      startTime: { type: "String" },
      endTime: { type: "String" },
    });
    assert.deepStrictEqual(pipelineParameters({ monitor: "dataDriftName", score: "driftCoefficient", eventId: "id" }), {
      monitor: { type: "String" },
      score: { type: "Float" },
      eventId: { type: "String" },
    });
  });
});

describe("retraining: activity builders", () => {
  const copyCases: { label: string; input: Parameters<typeof copyActivity>[0]; expected: ReturnType<typeof copyActivity> }[] = [
    {
      label: "binary copy by default, no dataset parameters",
      input: { sourceDatasetName: "ServingData", sinkDatasetName: "TrainingData" },
      expected: {
        name: "CopyDriftWindow",
        type: "Copy",
        description: "Copies the drifted data window from ServingData to TrainingData for retraining.",
        inputs: [{ referenceName: "ServingData", type: "DatasetReference" }],
        outputs: [{ referenceName: "TrainingData", type: "DatasetReference" }],
        source: { type: "BinarySource" },
        sink: { type: "BinarySink" },
      },
    },
    {
      label: "parquet copy with a window passed to the source dataset",
      input: {
        name: "CopyWindow",
        sourceDatasetName: "ServingParquet",
        sinkDatasetName: "TrainingParquet",
        format: "Parquet",
        sourceParameters: { windowStart: "@pipeline().parameters.startTime", windowEnd: "@pipeline().parameters.endTime" },
        sinkParameters: {},
      },
      expected: {
        name: "CopyWindow",
        type: "Copy",
        description: "Copies the drifted data window from ServingParquet to TrainingParquet for retraining.",
        inputs: [
          {
            referenceName: "ServingParquet",
            type: "DatasetReference",
            parameters: { windowStart: "@pipeline().parameters.startTime", windowEnd: "@pipeline().parameters.endTime" },
          },
        ],
        outputs: [{ referenceName: "TrainingParquet", type: "DatasetReference" }],
        source: { type: "ParquetSource" },
        sink: { type: "ParquetSink" },
      },
    },
  ];
  for (const c of copyCases) {
    it(`copyActivity: ${c.label}`, () => assert.deepStrictEqual(copyActivity(c.input), c.expected));
  }

  const mlCases: { label: string; input: Parameters<typeof mlExecutePipelineActivity>[0]; expected: ReturnType<typeof mlExecutePipelineActivity> }[] = [
    {
      label: "published pipeline id, no dependency",
      input: {
        linkedServiceName: "AzureMLWorkspace",
        target: { mlPipelineId: "5adc0a4f-e025-04a5-86f0-9a4fcbb241f9" },
        experimentName: "retrain-on-drift",
        parameters: { drift_run_id: "runId", target_dataset: "targetDatasetId" },
      },
      expected: {
        name: "RunRetrainingPipeline",
        type: "AzureMLExecutePipeline",
        description: "Runs the published Azure Machine Learning retraining pipeline with the drift event's values.",
        linkedServiceName: { referenceName: "AzureMLWorkspace", type: "LinkedServiceReference" },
        mlPipelineId: "5adc0a4f-e025-04a5-86f0-9a4fcbb241f9",
        experimentName: "retrain-on-drift",
        mlPipelineParameters: { drift_run_id: "@pipeline().parameters.runId", target_dataset: "@pipeline().parameters.targetDatasetId" },
      },
    },
    {
      label: "pipeline endpoint with a version, after the copy step",
      input: {
        name: "Retrain",
        linkedServiceName: "aml",
        target: { mlPipelineEndpointId: "0b7b4d2a-3c8f-4c1e-9a55-7f1f2d1e0c11", version: "3" },
        experimentName: "drift-retrain",
        parameters: {},
        dependsOn: ["CopyDriftWindow"],
      },
      expected: {
        name: "Retrain",
        type: "AzureMLExecutePipeline",
        description: "Runs the published Azure Machine Learning retraining pipeline with the drift event's values.",
        dependsOn: [{ activity: "CopyDriftWindow", dependencyConditions: ["Succeeded"] }],
        linkedServiceName: { referenceName: "aml", type: "LinkedServiceReference" },
        mlPipelineEndpointId: "0b7b4d2a-3c8f-4c1e-9a55-7f1f2d1e0c11",
        version: "3",
        experimentName: "drift-retrain",
        mlPipelineParameters: {},
      },
    },
  ];
  for (const c of mlCases) {
    it(`mlExecutePipelineActivity: ${c.label}`, () => assert.deepStrictEqual(mlExecutePipelineActivity(c.input), c.expected));
  }

  it("retrainPipelineActivities: the ML step depends on the copy step when there is one", () => {
    const ml = { linkedServiceName: "AzureMLWorkspace", target: { mlPipelineId: "p1" }, experimentName: "e", parameters: { a: "runId" } } as const;
    const withCopy = retrainPipelineActivities({ copy: { sourceDatasetName: "S", sinkDatasetName: "T" }, ml });
    assert.deepStrictEqual(
      withCopy.map((a) => [a.name, a.type, "dependsOn" in a ? a.dependsOn : undefined]),
      [
        ["CopyDriftWindow", "Copy", undefined],
        ["RunRetrainingPipeline", "AzureMLExecutePipeline", [{ activity: "CopyDriftWindow", dependencyConditions: ["Succeeded"] }]],
      ],
    );
    const alone = retrainPipelineActivities({ ml });
    assert.deepStrictEqual(alone.map((a) => [a.name, "dependsOn" in a]), [["RunRetrainingPipeline", false]]);
  });
});
