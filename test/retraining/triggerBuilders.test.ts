import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { BATCH_ACTIVITIES, batchRetrainPipelineActivities, copyActivity } from "../../lib/retraining";
import {
  batchAfterCopy,
  batchRetrainOptions,
  createdPipelineName,
  driftRetrainTriggerProblems,
  existingFactoryId,
  legacyMlStep,
  triggerSubscriptionName,
} from "../../lib/retraining/triggerBuilders";
import { promiseOf, workspaceId } from "../helpers/pulumi";

const SUB_ID = "00000000-0000-0000-0000-000000000000";
const MONITOR = { monitorNames: ["credit-monitor"] };
const PIPELINE_ENDPOINT = `/subscriptions/${SUB_ID}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws/pipelineEndpoints/retrain`;

describe("DriftRetrainTrigger's pure builders", () => {
  it("names the subscription after the component and the source unless one is given", () => {
    const table: [Parameters<typeof triggerSubscriptionName>[1], string][] = [
      [{ modelMonitor: MONITOR }, "rt-breach"],
      [{}, "rt-drift"],
      [{ modelMonitor: MONITOR, subscriptionName: "mine" }, "mine"],
    ];
    for (const [args, expected] of table) assert.strictEqual(triggerSubscriptionName("rt", args), expected);
  });

  it("names a created pipeline after the source unless one is given", () => {
    assert.strictEqual(createdPipelineName({}, "modelMonitor"), "retrain-on-breach");
    assert.strictEqual(createdPipelineName({}, "datasetDrift"), "retrain-on-drift");
    assert.strictEqual(createdPipelineName({ pipelineName: "p" }, "modelMonitor"), "p");
  });

  it("finds the problems in their fixed order: unknown keys, the name the subscription derives from, the event source", () => {
    const problems = driftRetrainTriggerProblems("bad name!", { modelMonitor: MONITOR, existingPipeline: { factoryId: "x", pipelineName: "p" }, bogus: 1 } as never);
    assert.ok(problems.length >= 3, problems.join("\n"));
    assert.match(problems[0], /bogus/);
    assert.match(problems[1], /name "bad name!" is used in Azure resource names, which take 1-57 /);
    assert.match(problems[2], /neither events nor workspace is set/);
  });

  it("hands every run parameter on under its own name unless the step maps them", () => {
    const step = legacyMlStep({ mlPipelineEndpointId: PIPELINE_ENDPOINT, mlPipelineVersion: "2" }, "AzureMLWorkspace", ["a", "b"]);
    assert.deepStrictEqual(step, { linkedServiceName: "AzureMLWorkspace", target: { mlPipelineEndpointId: PIPELINE_ENDPOINT, version: "2" }, experimentName: "", parameters: { a: "a", b: "b" } });
    const mapped = legacyMlStep({ mlPipelineId: "pid", experimentName: "e", mlPipelineParameters: { x: "a" } }, "ls", ["a"]);
    assert.deepStrictEqual(mapped, { linkedServiceName: "ls", target: { mlPipelineId: "pid" }, experimentName: "e", parameters: { x: "a" } });
    const batch = batchRetrainOptions({ experimentName: "from-pipeline" }, { endpointName: "ep", region: "westeurope", pollRetry: 0 }, ["a"]);
    assert.deepStrictEqual(batch, { endpoint: { endpointName: "ep", region: "westeurope", pollRetry: 0, experimentName: "from-pipeline" }, inputs: { a: "a" }, pollRetry: 0 });
    const own = batchRetrainOptions({ experimentName: "from-pipeline" }, { endpointName: "ep", region: "westeurope", experimentName: "own", inputs: { job: "a" } }, ["a"]);
    assert.deepStrictEqual([own.endpoint.experimentName, own.inputs], ["own", { job: "a" }]);
  });

  it("puts the copy step first and makes only the invocation wait for it", () => {
    const copy = copyActivity({ sourceDatasetName: "landing", sinkDatasetName: "training" });
    const { activities } = batchRetrainPipelineActivities({ endpoint: { endpointName: "ep", region: "westeurope" }, workspaceId: workspaceId("ws"), inputs: {} });
    const ordered = batchAfterCopy(copy, activities);
    assert.deepStrictEqual(ordered.map((a) => a.name), [copy.name, ...activities.map((a) => a.name)]);
    const waiting = ordered.filter((a) => JSON.stringify("dependsOn" in a ? a.dependsOn : []).includes(copy.name)).map((a) => a.name);
    assert.deepStrictEqual(waiting, [BATCH_ACTIVITIES.invoke]);
  });

  it("builds an existing factory's id from names, in the workspace's subscription unless one is given", async () => {
    const ws = pulumi.output(workspaceId("ws"));
    const byName = await promiseOf(existingFactoryId({ factoryName: "adf", resourceGroupName: "rg-data", pipelineName: "p" }, ws));
    assert.strictEqual(byName, `/subscriptions/${SUB_ID}/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf`);
    const other = await promiseOf(existingFactoryId({ factoryName: "adf", resourceGroupName: "rg-data", subscriptionId: "11111111-1111-1111-1111-111111111111", pipelineName: "p" }, ws));
    assert.match(other, /^\/subscriptions\/11111111-1111-1111-1111-111111111111\//);
    assert.strictEqual(await promiseOf(existingFactoryId({ factoryId: "/given", pipelineName: "p" }, ws)), "/given");
  });
});
