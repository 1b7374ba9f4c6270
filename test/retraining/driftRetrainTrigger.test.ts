import * as assert from "assert";
import { LEAST_PRIVILEGE_ROLES, leastPrivilegeRoleGuid } from "../../lib/rbac/customRoles";
import * as pulumi from "@pulumi/pulumi";
import { AmlEventType, documentedSampleEvents, EventGridEvent, monitoringSampleEvents, sampleEvents } from "../../lib/events";
import { MockedResource } from "../../lib/plan/mocks";
import { BuiltInRole } from "../../lib/rbac";
import {
  DriftRetrainTrigger,
  DriftRetrainTriggerArgs,
  driftRetrainDefinitionFor,
  previewRetrainCall,
  validateDriftRetrainTriggerArgs,
} from "../../lib/retraining";
import { WorkspaceEvents } from "../../lib/workspace";
import { capturingWarnings, promiseOf, registered, settle, workspaceId } from "../helpers/pulumi";
import { mockEngine } from "../setup";

const SUB_ID = "00000000-0000-0000-0000-000000000000";
const FACTORY = `/subscriptions/${SUB_ID}/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform`;
const MSI = { type: "ManagedServiceIdentity", audience: "https://management.azure.com/" };
const DRIFT_RUN_ID = "01d29aa4-e6a4-470a-9ef3-66660d21f8ef_1571590300380";

function workspaceEvents(name: string): { events: WorkspaceEvents; ws: string } {
  const ws = workspaceId(name);
  return { events: new WorkspaceEvents(name, { workspaceId: ws, resourceGroupName: "rg-ml", location: "westeurope" }), ws };
}

/** The sample drift event as the given workspace would send it. */
function driftEvent(ws: string, documented = false): EventGridEvent {
  return (documented ? documentedSampleEvents(ws) : sampleEvents(ws))[3];
}

function ofType(rs: readonly MockedResource[], type: string): MockedResource[] {
  return rs.filter((r) => r.type === type);
}

function roleGuid(r: MockedResource): string {
  return String(r.inputs.roleDefinitionId).split("/").pop() ?? "";
}

function principalOf(r: MockedResource | undefined): string {
  const identity = r?.state.identity as { principalId?: string } | undefined;
  const id = identity?.principalId ?? "";
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, `${r?.name} has a system-assigned principal`);
  return id;
}


/** The Event Grid subscription the trigger added to the events component. */
function subscriptionNamed(azureName: string): MockedResource | undefined {
  return mockEngine.resources().find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription" && r.inputs.eventSubscriptionName === azureName);
}

describe("DriftRetrainTrigger (under mocks)", () => {
  it("bring-your-own pipeline: one Logic App with identity, a pipeline-runner custom role on the factory only, a filtered subscription", async () => {
    const { events, ws } = workspaceEvents("rtw1");
    const args: DriftRetrainTriggerArgs = {
      events,
      existingPipeline: { factoryId: FACTORY, pipelineName: "retrain-on-drift" },
      driftMonitorNames: ["myDriftMonitor"],
      minimumDriftCoefficient: 0.5,
      coolDownHours: 24,
      tags: { team: "ml-platform" },
    };
    const trigger = new DriftRetrainTrigger("rt1", args);
    const rs = await registered("rt1");

    assert.deepStrictEqual(rs.map((r) => r.type).sort(), [
      "aml-events:index:DriftRetrainTrigger",
      "azure-native:authorization:RoleAssignment",
      "azure-native:authorization:RoleDefinition",
      "azure-native:logic:Workflow",
      "pulumi-nodejs:dynamic:Resource", // the custom role's replication wait
    ]);
    const component = rs.find((r) => r.type === DriftRetrainTrigger.__type);
    assert.ok(rs.filter((r) => r !== component).every((r) => r.parent === component?.urn));

    const [workflow] = ofType(rs, "azure-native:logic:Workflow");
    assert.strictEqual(workflow.name, "rt1-workflow");
    assert.deepStrictEqual(workflow.inputs.identity, { type: "SystemAssigned" });
    assert.strictEqual(workflow.inputs.state, "Enabled");
    assert.strictEqual(workflow.inputs.resourceGroupName, "rg-ml");
    assert.strictEqual(workflow.inputs.location, "westeurope");
    assert.deepStrictEqual(workflow.inputs.tags, { "aml-events:trigger-auth": "sas", team: "ml-platform" });
    assert.deepStrictEqual(workflow.inputs.definition, JSON.parse(JSON.stringify(driftRetrainDefinitionFor(args))));
    assert.deepStrictEqual(workflow.inputs.parameters, {
      workspaceId: { value: ws },
      createRunUri: { value: `https://management.azure.com${FACTORY}/pipelines/retrain-on-drift/createRun?api-version=2018-06-01` },
      queryPipelineRunsUri: { value: `https://management.azure.com${FACTORY}/queryPipelineRuns?api-version=2018-06-01` },
      pipelineName: { value: "retrain-on-drift" },
    });

    const grants = ofType(rs, "azure-native:authorization:RoleAssignment");
    assert.strictEqual(grants.length, 1);
    assert.strictEqual(grants[0].name, "rt1-adf-contributor");
    assert.strictEqual(grants[0].inputs.scope, FACTORY);
    assert.strictEqual(roleGuid(grants[0]), leastPrivilegeRoleGuid("retrainWorkflow", FACTORY));
    const [runner] = ofType(rs, "azure-native:authorization:RoleDefinition");
    assert.deepStrictEqual(runner.inputs.permissions, [{ actions: [...LEAST_PRIVILEGE_ROLES.retrainWorkflow.actions], notActions: [], dataActions: [], notDataActions: [] }]);
    assert.strictEqual(grants[0].inputs.principalId, principalOf(workflow));
    assert.strictEqual(grants[0].inputs.principalType, "ServicePrincipal");
    assert.strictEqual(await promiseOf(trigger.principalId), principalOf(workflow));

    await settle();
    const sub = subscriptionNamed("rt1-drift");
    assert.ok(sub, "the subscription is declared on the events component");
    assert.strictEqual(sub.name, "rtw1-rt1-drift");
    assert.deepStrictEqual(sub.inputs.filter, {
      includedEventTypes: [AmlEventType.DatasetDriftDetected],
      isSubjectCaseSensitive: false,
      enableAdvancedFilteringOnArrays: false,
      advancedFilters: [
        { operatorType: "StringIn", key: "data.dataDriftName", values: ["myDriftMonitor"] },
        { operatorType: "NumberGreaterThanOrEquals", key: "data.driftCoefficient", value: 0.5 },
      ],
    });
    const destination = sub.inputs.destination as { endpointType?: string; endpointUrl?: string };
    assert.strictEqual(destination.endpointType, "WebHook");
    assert.match(String(destination.endpointUrl), /\/triggers\/When_events_arrive\/paths\/invoke\?/);
  });

  it("model monitoring (v2): a breach subscription on RunStatusChanged, the breach workflow, a created pipeline with the breach parameters", async () => {
    const { events, ws } = workspaceEvents("rtw9");
    const { result: trigger, warnings } = await capturingWarnings(
      () =>
        new DriftRetrainTrigger("rt9", {
          events,
          modelMonitor: { monitorNames: ["credit-default-monitor"], signalNames: ["data-drift-signal"] },
          createPipeline: { mlPipelineId: "5adc0a4f-e025-04a5-86f0-9a4fcbb241f9", experimentName: "retrain-on-breach" },
        }),
    );
    const rs = await registered("rt9");
    const [pipeline] = ofType(rs, "azure-native:datafactory:Pipeline");
    assert.deepStrictEqual(pipeline.inputs.parameters, { monitorSignal: { type: "String" }, breachEventId: { type: "String" }, monitorRunId: { type: "String" } });
    await settle();
    const sub = subscriptionNamed("rt9-breach");
    assert.ok(sub, "the default subscription name says breach");
    assert.deepStrictEqual((sub.inputs.filter as { includedEventTypes: string[] }).includedEventTypes, [AmlEventType.RunStatusChanged]);
    const [breach, laterFailed, training] = monitoringSampleEvents(ws);
    const deployed = await promiseOf(trigger.retrainWorkflow);
    assert.deepStrictEqual(previewRetrainCall(deployed, breach)?.body, {
      monitorSignal: "credit-default-monitor_data-drift-signal",
      breachEventId: breach.id,
      monitorRunId: (breach.data as { runId: string }).runId,
    });
    assert.strictEqual((breach.data as { runStatus: string }).runStatus, "Completed", "a breach as Azure reports it");
    const started = { runId: "r-1", pipelineName: "retrain-on-breach", status: "InProgress", runStart: "2026-12-04T06:13:00Z", parameters: { monitorRunId: (breach.data as { runId: string }).runId } };
    assert.strictEqual(previewRetrainCall(deployed, laterFailed, { recentRuns: [started] }), undefined, "the tagged run's later Failed event starts nothing more");
    assert.strictEqual(previewRetrainCall(deployed, training), undefined);
    assert.deepStrictEqual(warnings, [], "no legacy warning for the v2 source");
  });

  it("the legacy DatasetDriftDetected source still works and warns that v1 drift monitors were retired", async () => {
    const { events } = workspaceEvents("rtw10");
    const { warnings } = await capturingWarnings(() => new DriftRetrainTrigger("rt10", { events, existingPipeline: { factoryId: FACTORY, pipelineName: "retrain-on-drift" } }));
    await registered("rt10");
    const warning = warnings.find((w) => w.includes('DriftRetrainTrigger("rt10")'));
    assert.ok(warning, "a warning names the trigger");
    assert.match(warning, /retired those on 2025-09-01/);
    assert.match(warning, /modelMonitor/);
  });

  it("previews the exact createRun request for the sample drift event from the deployed workflow", async () => {
    const { events, ws } = workspaceEvents("rtw2");
    const trigger = new DriftRetrainTrigger("rt2", { events, existingPipeline: { factoryId: FACTORY, pipelineName: "retrain-on-drift" }, minimumDriftCoefficient: 0.3 });
    const deployed = await promiseOf(trigger.retrainWorkflow);
    const expected = {
      method: "POST",
      uri: `https://management.azure.com${FACTORY}/pipelines/retrain-on-drift/createRun?api-version=2018-06-01`,
      headers: { "Content-Type": "application/json" },
      body: {
        dataDriftId: "01d29aa4-e6a4-470a-9ef3-66660d21f8ef",
        dataDriftName: "myDriftMonitor",
        runId: DRIFT_RUN_ID,
        baseDatasetId: "3c56d136-0f64-4657-a0e8-5162089a88a3",
        targetDatasetId: "d7e74d2e-c972-4266-b5fb-6c9c182d2a74",
        driftCoefficient: 0.8350349068479208,
        startTime: "2019-07-04T00:00:00+00:00",
        endTime: "2019-07-05T00:00:00+00:00",
      },
      authentication: MSI,
    };
    assert.deepStrictEqual(previewRetrainCall(deployed, driftEvent(ws)), expected);
    assert.deepStrictEqual(previewRetrainCall(deployed, driftEvent(ws, true)), expected);
    // The sample workspace is not this trigger's workspace: the workflow ignores it.
    assert.strictEqual(previewRetrainCall(deployed, sampleEvents()[3]), undefined);
    assert.strictEqual(await promiseOf(trigger.createRunUrl), expected.uri);
  });

  it("creates factory (managed identity), AzureMLService linked service, pipeline (copy → ML step) and scoped roles", async () => {
    const { events, ws } = workspaceEvents("rtw3");
    const trigger = new DriftRetrainTrigger("rt3", {
      events,
      parameterMapping: { dataDriftId: "dataDriftId", dataDriftName: "dataDriftName", driftCoefficient: "driftCoefficient", startTime: "startTime", endTime: "endTime" },
      coolDownHours: 12,
      createPipeline: {
        publicNetworkAccess: "Disabled",
        mlPipelineEndpointId: "0b7b4d2a-3c8f-4c1e-9a55-7f1f2d1e0c11",
        mlPipelineVersion: "2",
        experimentName: "retrain-on-drift",
        mlPipelineParameters: { drift_monitor: "dataDriftName", window_start: "startTime", window_end: "endTime" },
        copy: {
          sourceDatasetName: "ServingParquet",
          sinkDatasetName: "TrainingParquet",
          format: "Parquet",
          sourceParameters: { windowStart: "@pipeline().parameters.startTime", windowEnd: "@pipeline().parameters.endTime" },
        },
      },
    });
    const rs = await registered("rt3");
    const count = (type: string) => ofType(rs, type).length;
    assert.deepStrictEqual(
      [count("azure-native:datafactory:Factory"), count("azure-native:datafactory:LinkedService"), count("azure-native:datafactory:Pipeline"), count("azure-native:logic:Workflow"), count("azure-native:authorization:RoleAssignment")],
      [1, 1, 1, 1, 2],
    );
    const [factory] = ofType(rs, "azure-native:datafactory:Factory");
    assert.strictEqual(factory.name, "rt3-adf");
    assert.deepStrictEqual(factory.inputs.identity, { type: "SystemAssigned" });
    assert.strictEqual(factory.inputs.publicNetworkAccess, "Disabled");
    const factoryId = `/subscriptions/${SUB_ID}/resourceGroups/rg-ml/providers/Microsoft.DataFactory/factories/rt3-adf`;
    assert.strictEqual(factory.id, factoryId);
    assert.strictEqual(await promiseOf(trigger.factoryId), factoryId);

    const [linked] = ofType(rs, "azure-native:datafactory:LinkedService");
    assert.strictEqual(linked.inputs.linkedServiceName, "AzureMLWorkspace");
    assert.strictEqual(linked.inputs.factoryName, "rt3-adf");
    assert.deepStrictEqual(linked.inputs.properties, {
      type: "AzureMLService",
      description: `Azure Machine Learning workspace ${ws.split("/").pop()}, reached with the factory's managed identity.`,
      subscriptionId: SUB_ID,
      resourceGroupName: "rg-ml",
      mlWorkspaceName: ws.split("/").pop(),
      authentication: "MSI",
    });

    const [pipeline] = ofType(rs, "azure-native:datafactory:Pipeline");
    assert.strictEqual(pipeline.inputs.pipelineName, "retrain-on-drift");
    assert.strictEqual(pipeline.inputs.factoryName, "rt3-adf");
    assert.deepStrictEqual(pipeline.inputs.parameters, {
      dataDriftId: { type: "String" },
      dataDriftName: { type: "String" },
      driftCoefficient: { type: "Float" },
      startTime: { type: "String" },
      endTime: { type: "String" },
    });
    assert.deepStrictEqual(pipeline.inputs.activities, [
      {
        name: "CopyDriftWindow",
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
      {
        name: "RunRetrainingPipeline",
        type: "AzureMLExecutePipeline",
        description: "Runs the published Azure Machine Learning retraining pipeline with the drift event's values.",
        dependsOn: [{ activity: "CopyDriftWindow", dependencyConditions: ["Succeeded"] }],
        linkedServiceName: { referenceName: "AzureMLWorkspace", type: "LinkedServiceReference" },
        mlPipelineEndpointId: "0b7b4d2a-3c8f-4c1e-9a55-7f1f2d1e0c11",
        version: "2",
        experimentName: "retrain-on-drift",
        mlPipelineParameters: {
          drift_monitor: "@pipeline().parameters.dataDriftName",
          window_start: "@pipeline().parameters.startTime",
          window_end: "@pipeline().parameters.endTime",
        },
      },
    ]);

    const grants = ofType(rs, "azure-native:authorization:RoleAssignment");
    const byRole = new Map(grants.map((g) => [roleGuid(g), g]));
    const adf = byRole.get(leastPrivilegeRoleGuid("retrainWorkflow", factoryId));
    const aml = byRole.get(leastPrivilegeRoleGuid("mlPipelineRunner", ws));
    assert.ok(adf && aml, `roles granted: ${[...byRole.keys()].join(", ")}`);
    assert.strictEqual(adf.inputs.scope, factoryId);
    assert.strictEqual(adf.inputs.principalId, principalOf(ofType(rs, "azure-native:logic:Workflow")[0]));
    assert.strictEqual(aml.inputs.scope, ws);
    assert.strictEqual(aml.inputs.principalId, principalOf(factory));
    for (const g of grants) {
      assert.ok(![BuiltInRole.Owner, BuiltInRole.Contributor].includes(roleGuid(g) as never), `${g.name} must not be privileged`);
    }

    // The created pipeline is what the workflow starts, with the configured mapping.
    const deployed = await promiseOf(trigger.retrainWorkflow);
    const call = previewRetrainCall(deployed, driftEvent(ws));
    assert.strictEqual(call?.uri, `https://management.azure.com${factoryId}/pipelines/retrain-on-drift/createRun?api-version=2018-06-01`);
    assert.deepStrictEqual(call?.body, {
      dataDriftId: "01d29aa4-e6a4-470a-9ef3-66660d21f8ef",
      dataDriftName: "myDriftMonitor",
      driftCoefficient: 0.8350349068479208,
      startTime: "2019-07-04T00:00:00+00:00",
      endTime: "2019-07-05T00:00:00+00:00",
    });
  });

  it("builds the factory id from names, in the workspace's subscription by default", async () => {
    const { events } = workspaceEvents("rtw4");
    const trigger = new DriftRetrainTrigger("rt4", {
      events,
      existingPipeline: { factoryName: "adf-shared", resourceGroupName: "rg-data", pipelineName: "nightly-retrain" },
      workflowName: "la-drift-retrain",
      subscriptionName: "drift-to-adf",
    });
    const rs = await registered("rt4");
    const id = `/subscriptions/${SUB_ID}/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-shared`;
    assert.strictEqual(await promiseOf(trigger.factoryId), id);
    assert.strictEqual(ofType(rs, "azure-native:authorization:RoleAssignment")[0].inputs.scope, id);
    assert.strictEqual(ofType(rs, "azure-native:logic:Workflow")[0].inputs.workflowName, "la-drift-retrain");
    await settle();
    const sub = subscriptionNamed("drift-to-adf");
    assert.deepStrictEqual(sub?.inputs.filter, {
      includedEventTypes: [AmlEventType.DatasetDriftDetected],
      isSubjectCaseSensitive: false,
      enableAdvancedFilteringOnArrays: false,
    });
  });

  it("refuses invalid arguments before creating anything, naming argument, value and fix", async () => {
    const { events } = workspaceEvents("rtw5");
    const args: DriftRetrainTriggerArgs = { events, minimumDriftCoefficient: 1.2, coolDownHours: 0, existingPipeline: { factoryId: FACTORY, pipelineName: "p" } };
    assert.strictEqual(validateDriftRetrainTriggerArgs(args).length, 2);
    assert.throws(
      () => new DriftRetrainTrigger("rt5", args),
      (e: unknown) =>
        e instanceof pulumi.ResourceError &&
        e.message.includes('DriftRetrainTrigger("rt5"): minimumDriftCoefficient 1.2 is out of range') &&
        e.message.includes('DriftRetrainTrigger("rt5"): coolDownHours 0 must be a positive number'),
    );
    assert.throws(() => new DriftRetrainTrigger("rt_6", { events, existingPipeline: { factoryId: FACTORY, pipelineName: "p" } }), /DriftRetrainTrigger\("rt_6"\): name "rt_6" is used in Azure resource names/);
    const rs = await registered("rt5");
    assert.deepStrictEqual(rs.filter((r) => r.custom).map((r) => r.type), []);
    assert.strictEqual(events.subscriptions.length, 0);
  });
});
