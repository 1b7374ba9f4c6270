import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { MlEventWorkflows, validateMlEventWorkflowsArgs } from "../../lib/composite";
import { WebhookDestination } from "../../lib/destinations";
import { AmlEventType } from "../../lib/events";
import { PRIVILEGED_ROLES } from "../../lib/rbac";
import { dynamicProviderOf, SHARED_DYNAMIC_PROVIDER_NAME, sharedDynamicProvider } from "../../lib/arm/dynamicProvider";
import { promiseOf, registered, workspaceId } from "../helpers/pulumi";
import { mockEngine } from "../setup";

function everything(name: string): MlEventWorkflows {
  return new MlEventWorkflows(name, {
    workspaceId: workspaceId(name),
    resourceGroupName: "rg-ml",
    location: "westeurope",
    email: { recipients: ["ml-oncall@contoso.com"], alerts: [{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] }, { eventType: AmlEventType.ModelRegistered }] },
    retrain: { minimumDriftCoefficient: 0.5, createPipeline: { experimentName: "retrain", mlPipelineId: "00000000-0000-0000-0000-0000000000aa" } },
    deployer: { rules: [{ models: ["sklearn_regression_model"], tags: { stage: ["production"] }, endpointName: "ep-prod" }] },
    streaming: {},
  });
}

function countByType(resources: readonly { type: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of resources) out[r.type] = (out[r.type] ?? 0) + 1;
  return out;
}

describe("MlEventWorkflows", () => {
  it("puts every capability on one system topic, with the expected resources and counts", async () => {
    const ml = everything("mlc1");
    const rs = await registered("mlc1");
    assert.deepStrictEqual(countByType(rs), {
      "aml-events:index:MlEventWorkflows": 1,
      "aml-events:index:WorkspaceEvents": 1,
      "aml-events:index:EmailAlerts": 1,
      "aml-events:index:DriftRetrainTrigger": 1,
      "aml-events:index:ModelDeployer": 1,
      "aml-events:index:EventHubStream": 1,
      "azure-native:eventgrid:SystemTopic": 1,
      "azure-native:eventgrid:SystemTopicEventSubscription": 5,
      "azure-native:authorization:RoleAssignment": 11, // the deployer's two queues get one grant each
      "azure-native:authorization:RoleDefinition": 4,
      "azure-native:storage:StorageAccount": 2,
      "azure-native:storage:BlobContainer": 3, // dead letters, code package, endpoint leases
      "azure-native:logic:Workflow": 2,
      "azure-native:communication:EmailService": 1,
      "azure-native:communication:Domain": 1,
      "azure-native:communication:CommunicationService": 1,
      "azure-native:datafactory:Factory": 1,
      "azure-native:datafactory:LinkedService": 1,
      "azure-native:datafactory:Pipeline": 1,
      "azure-native:web:AppServicePlan": 1,
      "azure-native:web:WebApp": 1,
      "azure-native:applicationinsights:Component": 1,
      "azure-native:operationalinsights:Workspace": 1,
      "azure-native:eventhub:Namespace": 1,
      "azure-native:eventhub:EventHub": 1,
      "pulumi-nodejs:dynamic:Resource": 5, // the code publish and one replication wait per custom role
      "azure-native:storage:Queue": 2, // the deployer's queue and its poison queue
      "azure-native:monitor:ScheduledQueryRule": 1,
      "random:index/randomString:RandomString": 2,
    });
    const topicName = rs.find((r) => r.type === "azure-native:eventgrid:SystemTopic")?.inputs.systemTopicName;
    for (const s of rs.filter((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription")) {
      assert.strictEqual(s.inputs.systemTopicName, topicName, `${s.name} is on the shared topic`);
      assert.ok(s.inputs.deadLetterWithResourceIdentity, `${s.name} dead-letters`);
    }
    for (const g of rs.filter((r) => r.type === "azure-native:authorization:RoleAssignment")) {
      const guid = String(g.inputs.roleDefinitionId).split("/").pop() ?? "";
      assert.ok(!PRIVILEGED_ROLES.includes(guid), `${g.name} grants a privileged role`);
      assert.match(String(g.inputs.scope), /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/.+\/.+\/.+/, `${g.name} is scoped to one resource`);
    }
    assert.ok(rs.some((g) => g.type === "azure-native:authorization:RoleDefinition" && g.name.endsWith("-pipeline-runner-role")));
    const outputs = await promiseOf(pulumi.output(ml.outputs));
    assert.deepStrictEqual(Object.keys(outputs).sort(), ["dataFactoryId", "deployerFunctionAppId", "emailWorkflowId", "eventHubId", "retrainWorkflowId", "systemTopicId", "systemTopicName", "workspaceId"]);
    assert.match(String(outputs.dataFactoryId), /\/Microsoft\.DataFactory\/factories\//);
  });

  it("lets a larger program add its own subscription to the same topic", async () => {
    const ml = new MlEventWorkflows("mlc2", { workspaceId: workspaceId("mlc2"), resourceGroupName: "rg", location: "westeurope", streaming: { includedEventTypes: [AmlEventType.ModelRegistered] } });
    ml.events.subscribe("mine", {
      destination: new WebhookDestination({ endpointUrl: "https://hooks.contoso.com/x" }),
      filter: { includedEventTypes: [AmlEventType.ModelDeployed] },
    });
    const mine = (await registered("mlc2")).find((r) => r.name === "mlc2-mine");
    assert.strictEqual(mine?.inputs.systemTopicName, await promiseOf(ml.events.systemTopicName));
    assert.deepStrictEqual(ml.events.subscriptions.map((s) => s.name), ["stream-to-event-hub", "mine"]);
  });

  it("keeps several workspaces in one stack apart: one topic each", async () => {
    everything("mlc3");
    everything("mlc4");
    const topics = [...(await registered("mlc3")), ...(await registered("mlc4"))].filter((r) => r.type === "azure-native:eventgrid:SystemTopic");
    assert.deepStrictEqual(topics.map((t) => t.inputs.systemTopicName).sort(), ["mlc3-topic", "mlc4-topic"]);
    assert.strictEqual(new Set(topics.map((t) => t.inputs.source)).size, 2, "each topic has its own workspace as source");
  });

  it("rejects a composite with nothing enabled and bad names, before creating anything", async () => {
    assert.deepStrictEqual(validateMlEventWorkflowsArgs("Bad_Name", { workspaceId: workspaceId(), resourceGroupName: "rg", location: "westeurope" }), [
      'MlEventWorkflows("Bad_Name"): name "Bad_Name" is invalid; use 3-32 lowercase letters, digits and hyphens (child resources and Azure names derive from it).',
      'MlEventWorkflows("Bad_Name"): no capability is enabled; set at least one of email, retrain, deployer or streaming (or use WorkspaceEvents directly).',
    ]);
    assert.throws(() => new MlEventWorkflows("mlc5", { workspaceId: workspaceId(), resourceGroupName: "rg", location: "westeurope" }), /no capability is enabled/);
    assert.throws(
      () => new MlEventWorkflows("mlc6", { workspaceId: workspaceId(), resourceGroupName: "rg", location: "westeurope", email: { recipients: ["not-an-address"] } }),
      /"not-an-address" is not a valid email address/,
    );
    const created = (await registered("mlc6")).filter((r) => r.custom);
    assert.deepStrictEqual(created.map((r) => r.type).filter((t) => t !== "azure-native:eventgrid:SystemTopic" && !t.startsWith("azure-native:storage") && t !== "azure-native:authorization:RoleAssignment"), []);
  });
});

describe("MlEventWorkflows: the dynamic-resource provider", () => {
  const providers = () => mockEngine.resources().filter((r) => r.type === "pulumi:providers:pulumi-nodejs");

  it("starts one dynamic-resource provider per program run, however many workspaces (each instance is a plugin process)", async () => {
    const before = providers().length;
    everything("mlc5");
    everything("mlc6");
    const waits = [...(await registered("mlc5")), ...(await registered("mlc6"))].filter((r) => r.type === "pulumi-nodejs:dynamic:Resource");
    assert.strictEqual(waits.length, 10, "five dynamic resources per workspace");
    assert.ok(providers().length - before <= 1, "at most the run's one provider is added, none per component or workspace");
    assert.deepStrictEqual(providers().map((p) => ({ name: p.name, parent: p.parent, inputs: p.inputs }))[0], { name: SHARED_DYNAMIC_PROVIDER_NAME, parent: undefined, inputs: {} });
  });

  it("keys the provider by the program run: the same run shares it, another run (an Automation API program run again in one process) gets its own", async () => {
    const runA = {};
    const runB = {};
    assert.strictEqual(dynamicProviderOf(runA), dynamicProviderOf(runA));
    assert.notStrictEqual(dynamicProviderOf(runB), dynamicProviderOf(runA));
    assert.strictEqual(sharedDynamicProvider(), sharedDynamicProvider());
  });
});
