import * as assert from "assert";
import { LEAST_PRIVILEGE_ROLES } from "../../lib/rbac/customRoles";
import { sampleEvents } from "../../lib/events";
import { MockedResource } from "../../lib/plan/mocks";
import { BuiltInRole } from "../../lib/rbac";
import {
  batchRetrainPipelineActivities,
  DriftRetrainTrigger,
  DriftRetrainTriggerArgs,
  previewRetrainCall,
  validateDriftRetrainTriggerArgs,
} from "../../lib/retraining";
import { simulatePipeline } from "../../lib/simulate";
import { WorkspaceEvents } from "../../lib/workspace";
import { startFakeBatchEndpoint } from "../helpers/fakeBatchEndpoint";
import { promiseOf, registered, workspaceId } from "../helpers/pulumi";

const URL_WE = "https://retrain-ep.westeurope.inference.ml.azure.com/jobs";
const events = {} as WorkspaceEvents;
const batch = { invocationUrl: URL_WE };

function ofType(rs: readonly MockedResource[], type: string): MockedResource[] {
  return rs.filter((r) => r.type === type);
}

describe("retraining: createPipeline.batchEndpoint validation", () => {
  it("accepts the v2 route: scoring URI, or endpoint name + region with deployment, inputs, timings and either role", () => {
    assert.deepStrictEqual(validateDriftRetrainTriggerArgs({ events, createPipeline: { batchEndpoint: batch } }), []);
    const full: DriftRetrainTriggerArgs = {
      events,
      parameterMapping: { monitor: "dataDriftName", runId: "runId" },
      createPipeline: {
        batchEndpoint: {
          endpointName: "retrain-ep",
          region: "westeurope",
          deploymentName: "retrain_pipeline-v3",
          experimentName: "retrain-on-breach",
          inputs: { drift_monitor: "monitor", drift_run: "runId" },
          pollIntervalSeconds: 60,
          timeoutMinutes: 180,
          pollRetry: 5,
          invokerRole: "AzureMLDataScientist",
        },
        copy: { sourceDatasetName: "ServingData", sinkDatasetName: "TrainingData" },
      },
    };
    assert.deepStrictEqual(validateDriftRetrainTriggerArgs(full), []);
  });

  const cases: { label: string; create: DriftRetrainTriggerArgs["createPipeline"]; expect: string[] }[] = [
    { label: "batch endpoint with a v1 pipeline id", create: { batchEndpoint: batch, mlPipelineId: "p1" }, expect: ["exactly one of mlPipelineId", 'got batchEndpoint and mlPipelineId "p1"', "Remove mlPipelineId"] },
    { label: "batch endpoint with v1 parameters", create: { batchEndpoint: batch, mlPipelineParameters: { a: "runId" } }, expect: ["got batchEndpoint and mlPipelineParameters", "batchEndpoint.inputs"] },
    { label: "batch endpoint with a linked service name", create: { batchEndpoint: batch, linkedServiceName: "AzureML" }, expect: ['linkedServiceName "AzureML"', "v1 only"] },
    { label: "neither URL nor name", create: { batchEndpoint: {} }, expect: ["invocationUrl (the endpoint's scoring URI) or endpointName with region, not neither", "invocationUrl undefined"] },
    { label: "URL and name", create: { batchEndpoint: { ...batch, endpointName: "e", region: "westeurope" } }, expect: ["not both", 'endpointName "e"'] },
    { label: "http URL", create: { batchEndpoint: { invocationUrl: "http://retrain-ep.westeurope.inference.ml.azure.com/jobs" } }, expect: ['invocationUrl "http://retrain-ep', "https://<endpoint>.<region>.inference.ml.azure.com/jobs"] },
    { label: "URL that is not a jobs URI", create: { batchEndpoint: { invocationUrl: "https://retrain-ep.westeurope.inference.ml.azure.com/score?x=1" } }, expect: ["is not a batch scoring URI", "without query string"] },
    { label: "endpoint name with an underscore", create: { batchEndpoint: { endpointName: "retrain_ep", region: "westeurope" } }, expect: ['endpointName "retrain_ep"', "host name"] },
    { label: "name without region", create: { batchEndpoint: { endpointName: "retrain-ep" } }, expect: ["region undefined", '"westeurope"'] },
    { label: "bad deployment name", create: { batchEndpoint: { ...batch, deploymentName: "v 3" } }, expect: ['deploymentName "v 3"', "default deployment"] },
    { label: "poll interval too short", create: { batchEndpoint: { ...batch, pollIntervalSeconds: 2 } }, expect: ["pollIntervalSeconds 2", "10 to 3600"] },
    { label: "timeout beyond 7 days", create: { batchEndpoint: { ...batch, timeoutMinutes: 20000 } }, expect: ["timeoutMinutes 20000", "1 to 10080"] },
    { label: "timeout shorter than a poll", create: { batchEndpoint: { ...batch, timeoutMinutes: 1, pollIntervalSeconds: 300 } }, expect: ["timeoutMinutes 1 is shorter than one poll interval (300 s)"] },
    { label: "negative retries", create: { batchEndpoint: { ...batch, pollRetry: -1 } }, expect: ["pollRetry -1", "0 to 10"] },
    { label: "unknown role", create: { batchEndpoint: { ...batch, invokerRole: "Contributor" as never } }, expect: ['invokerRole "Contributor"', '"BatchEndpointInvoker"'] },
    { label: "empty inputs", create: { batchEndpoint: { ...batch, inputs: {} } }, expect: ["batchEndpoint.inputs is empty", "omit it"] },
    { label: "input reading an undeclared parameter", create: { batchEndpoint: { ...batch, inputs: { monitor: "monitorSignal" } } }, expect: ['inputs.monitor reads pipeline parameter "monitorSignal"', '"dataDriftName"'] },
    { label: "input name with a dash", create: { batchEndpoint: { ...batch, inputs: { "drift-run": "runId" } } }, expect: ['job input name "drift-run"', "letters, digits or '_'"] },
    { label: "two different experiment names", create: { batchEndpoint: { ...batch, experimentName: "a" }, experimentName: "b" }, expect: ['experimentName "b" and batchEndpoint.experimentName "a" differ'] },
    { label: "bad experiment name", create: { batchEndpoint: { ...batch, experimentName: "retrain now" } }, expect: ['batchEndpoint.experimentName "retrain now"', "letters, digits"] },
    { label: "legacy route without experiment", create: { mlPipelineId: "p1" }, expect: ["experimentName undefined", "letters, digits"] },
  ];
  for (const c of cases) {
    it(`rejects ${c.label}`, () => {
      const problems = validateDriftRetrainTriggerArgs({ events, createPipeline: c.create });
      assert.strictEqual(problems.length, 1, `expected one problem, got ${JSON.stringify(problems)}`);
      for (const fragment of c.expect) assert.ok(problems[0].includes(fragment), `"${problems[0]}" should contain "${fragment}"`);
    });
  }

  it("the component refuses bad batch options at construction with a ResourceError naming the argument", () => {
    const ws = workspaceId("rtb0");
    const wsEvents = new WorkspaceEvents("rtb0", { workspaceId: ws, resourceGroupName: "rg-ml", location: "westeurope" });
    assert.throws(
      () => new DriftRetrainTrigger("rtb0", { events: wsEvents, createPipeline: { batchEndpoint: { invocationUrl: "ftp://x/jobs" } } }),
      /DriftRetrainTrigger\("rtb0"\): createPipeline\.batchEndpoint\.invocationUrl "ftp:\/\/x\/jobs" is not a batch scoring URI/,
    );
  });
});

describe("retraining: createPipeline.batchEndpoint (under mocks)", () => {
  it("creates no linked service, a custom invoker role assignable in the workspace's resource group and assigned on the workspace, and the invoke-and-poll pipeline", async () => {
    const ws = workspaceId("rtb1");
    const wsEvents = new WorkspaceEvents("rtb1", { workspaceId: ws, resourceGroupName: "rg-ml", location: "westeurope" });
    const trigger = new DriftRetrainTrigger("rtb1", {
      events: wsEvents,
      parameterMapping: { monitor: "dataDriftName", runId: "runId", coefficient: "driftCoefficient" },
      createPipeline: { batchEndpoint: { ...batch, deploymentName: "retrain-v3", experimentName: "retrain-on-drift", pollIntervalSeconds: 60, timeoutMinutes: 90 } },
    });
    const rs = await registered("rtb1");
    assert.strictEqual(ofType(rs, "azure-native:datafactory:LinkedService").length, 0);
    assert.strictEqual(trigger.linkedService, undefined);
    const [definition] = ofType(rs, "azure-native:authorization:RoleDefinition").filter((d) => d.name.endsWith("-batch-invoker-role"));
    assert.ok(definition, "a custom role definition");
    assert.deepStrictEqual(definition.inputs.assignableScopes, [ws.split("/providers/")[0]]);
    assert.deepStrictEqual(definition.inputs.permissions, [{ actions: [...LEAST_PRIVILEGE_ROLES.batchInvoker.actions], notActions: [], dataActions: [], notDataActions: [] }]);
    assert.strictEqual(definition.inputs.roleType, "CustomRole");

    const grants = ofType(rs, "azure-native:authorization:RoleAssignment");
    const onWorkspace = grants.filter((g) => g.inputs.scope === ws);
    assert.strictEqual(onWorkspace.length, 1, "one grant on the workspace");
    assert.strictEqual(String(onWorkspace[0].inputs.roleDefinitionId).split("/").pop(), definition.inputs.roleDefinitionId);
    const [factory] = ofType(rs, "azure-native:datafactory:Factory");
    assert.strictEqual(onWorkspace[0].inputs.principalId, (factory.state.identity as { principalId: string }).principalId);
    for (const g of grants) assert.ok(![BuiltInRole.Owner, BuiltInRole.Contributor, BuiltInRole.AzureMLDataScientist].includes(String(g.inputs.roleDefinitionId).split("/").pop() as never));

    const [pipeline] = ofType(rs, "azure-native:datafactory:Pipeline");
    const expected = batchRetrainPipelineActivities({
      endpoint: { ...batch, deploymentName: "retrain-v3", experimentName: "retrain-on-drift" },
      inputs: { monitor: "monitor", runId: "runId", coefficient: "coefficient" },
      workspaceId: ws,
      pollIntervalSeconds: 60,
      timeoutMinutes: 90,
    });
    assert.deepStrictEqual(pipeline.inputs.activities, JSON.parse(JSON.stringify(expected.activities)));
    assert.deepStrictEqual(pipeline.inputs.variables, expected.variables);
    assert.deepStrictEqual(pipeline.inputs.parameters, { monitor: { type: "String" }, runId: { type: "String" }, coefficient: { type: "Float" } });

    // End to end: the drift event → the workflow's createRun body → the simulated pipeline against a loopback endpoint.
    const call = previewRetrainCall(await promiseOf(trigger.retrainWorkflow), sampleEvents(ws)[3]);
    const endpoint = await startFakeBatchEndpoint({ statuses: ["Running", "Completed"] });
    try {
      const run = await simulatePipeline(
        { activities: pipeline.inputs.activities as unknown[], variables: expected.variables, parameters: pipeline.inputs.parameters as Record<string, { type: string }> },
        { parameters: call?.body as Record<string, unknown>, http: endpoint.http },
      );
      assert.strictEqual(run.status, "Succeeded", JSON.stringify(run.error));
      const posted = endpoint.received.filter((r) => r.method === "POST");
      assert.strictEqual(posted.length, 1);
      assert.deepStrictEqual(JSON.parse(posted[0].body).properties.InputData, {
        monitor: { JobInputType: "Literal", Value: "myDriftMonitor" },
        runId: { JobInputType: "Literal", Value: "01d29aa4-e6a4-470a-9ef3-66660d21f8ef_1571590300380" },
        coefficient: { JobInputType: "Literal", Value: "0.8350349068479208" },
      });
    } finally {
      await endpoint.close();
    }
  });

  it("invokerRole AzureMLDataScientist grants the built-in role on the workspace and defines no custom role; a copy step runs first", async () => {
    const ws = workspaceId("rtb2");
    const wsEvents = new WorkspaceEvents("rtb2", { workspaceId: ws, resourceGroupName: "rg-ml", location: "westeurope" });
    new DriftRetrainTrigger("rtb2", {
      events: wsEvents,
      createPipeline: { batchEndpoint: { endpointName: "retrain-ep", region: "westeurope", invokerRole: "AzureMLDataScientist" }, copy: { sourceDatasetName: "Serving", sinkDatasetName: "Training" } },
    });
    const rs = await registered("rtb2");
    assert.deepStrictEqual(ofType(rs, "azure-native:authorization:RoleDefinition").map((d) => d.name), ["rtb2-pipeline-runner-role"], "only the workflow's pipeline-runner role");
    const onWorkspace = ofType(rs, "azure-native:authorization:RoleAssignment").filter((g) => g.inputs.scope === ws);
    assert.deepStrictEqual(onWorkspace.map((g) => String(g.inputs.roleDefinitionId).split("/").pop()), [BuiltInRole.AzureMLDataScientist]);
    const [pipeline] = ofType(rs, "azure-native:datafactory:Pipeline");
    const activities = pipeline.inputs.activities as { name: string; dependsOn?: unknown; url?: unknown }[];
    assert.deepStrictEqual(activities.map((a) => a.name), ["CopyDriftWindow", "InvokeBatchEndpoint", "SetBatchJobName", "WaitForBatchJob", "CheckBatchJobOutcome"]);
    assert.deepStrictEqual(activities[1].dependsOn, [{ activity: "CopyDriftWindow", dependencyConditions: ["Succeeded"] }]);
    assert.strictEqual(activities[1].url, URL_WE);
  });
});
