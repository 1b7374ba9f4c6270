import * as assert from "assert";
import { EventHubDestination } from "../../lib/destinations";
import { WorkspaceEvents } from "../../lib/workspace";
import { EventHubStream } from "../../lib/streaming";
import { EmailAlerts } from "../../lib/notifications";
import { ModelMonitor } from "../../lib/monitoring";
import { DriftRetrainTrigger } from "../../lib/retraining";
import { AmlEventType } from "../../lib/events";
import { registered, workspaceId } from "../helpers/pulumi";
import { MONITOR_INPUTS, MONITOR_TRAINING, place, RG, UAI, UAI_PRINCIPAL } from "./cases";

const HUB = `${RG}/providers/Microsoft.EventHub/namespaces/ns1/eventhubs/hub1`;

describe("AVM managedIdentities: Event Grid delivery and dead-letter with a user-assigned identity", () => {
  it("delivers and dead-letters as the user-assigned identity, and grants it (not a system identity) the roles", async () => {
    const ev = new WorkspaceEvents("uadl", { workspaceId: workspaceId("uadl"), ...place, managedIdentities: { userAssignedResourceIds: [UAI] } });
    ev.subscribe("to-hub", { destination: new EventHubDestination({ eventHubId: HUB }) });
    const rs = await registered("uadl");
    const sub = rs.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription");
    const identity = { type: "UserAssigned", userAssignedIdentity: UAI };
    assert.deepStrictEqual((sub?.inputs.deliveryWithResourceIdentity as { identity: unknown }).identity, identity);
    assert.deepStrictEqual((sub?.inputs.deadLetterWithResourceIdentity as { identity: unknown }).identity, identity);
    const grants = rs.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    assert.deepStrictEqual(grants.map((g) => g.inputs.principalId), [UAI_PRINCIPAL, UAI_PRINCIPAL]);
    assert.strictEqual(ev.topicPrincipalId !== undefined, true);
  });

  it("keeps the system identity when asked, and still acts as the user-assigned one", async () => {
    new WorkspaceEvents("uasa", { workspaceId: workspaceId("uasa"), ...place, managedIdentities: { systemAssigned: true, userAssignedResourceIds: [UAI] } });
    const rs = await registered("uasa");
    const topic = rs.find((r) => r.type === "azure-native:eventgrid:SystemTopic");
    assert.deepStrictEqual(topic?.inputs.identity, { type: "SystemAssigned, UserAssigned", userAssignedIdentities: { [UAI]: {} } });
    assert.deepStrictEqual(rs.filter((r) => r.type === "azure-native:authorization:RoleAssignment").map((g) => g.inputs.principalId), [UAI_PRINCIPAL]);
  });

  it("refuses three user-assigned identities on a system topic (Azure takes two) and identities on an adopted topic", () => {
    assert.throws(
      () => new WorkspaceEvents("ua3", { workspaceId: workspaceId("ua3"), ...place, managedIdentities: { userAssignedResourceIds: [UAI, `${UAI}2`, `${UAI}3`] } }),
      /managedIdentities\.userAssignedResourceIds has 3 ids; Microsoft\.EventGrid\/systemTopics takes at most 2/,
    );
    assert.throws(
      () => new WorkspaceEvents("uaex", { workspaceId: workspaceId("uaex"), ...place, existingSystemTopic: { name: "t" }, managedIdentities: { userAssignedResourceIds: [UAI] } }),
      /managedIdentities is set with existingSystemTopic/,
    );
  });
});

describe("AVM interfaces on EventHubStream: forwarding and lock order", () => {
  it("forwards managedIdentities to the system topic it creates, and the namespace lock outlives the subscription and hub", async () => {
    new EventHubStream("uastream", {
      workspace: { workspaceId: workspaceId("uastream"), ...place },
      eventHub: { namespaceName: "uastream-ns" },
      managedIdentities: { userAssignedResourceIds: [UAI] },
      lock: { kind: "CanNotDelete" },
    });
    const rs = await registered("uastream");
    const sub = rs.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription");
    assert.deepStrictEqual((sub?.inputs.deliveryWithResourceIdentity as { identity: unknown }).identity, { type: "UserAssigned", userAssignedIdentity: UAI });
    const lock = rs.find((r) => r.type === "azure-native:authorization:ManagementLockByScope");
    const hub = rs.find((r) => r.type === "azure-native:eventhub:EventHub");
    assert.ok(lock !== undefined && sub !== undefined && hub !== undefined);
    assert.ok(lock.dependencies.includes(sub.urn) && lock.dependencies.includes(hub.urn), lock.dependencies.join("\n"));
  });

  it("refuses lock and roleAssignments when the stream uses an existing hub", () => {
    assert.throws(
      () => new EventHubStream("uaexhub", { workspace: { workspaceId: workspaceId("uaexhub"), ...place }, existingEventHubId: HUB, lock: { kind: "CanNotDelete" } }),
      /EventHubStream\("uaexhub"\): lock is set, but the stream creates no namespace \(existingEventHubId is set\)/,
    );
  });
});

describe("AVM managedIdentities on Logic Apps (Consumption: one identity)", () => {
  it("EmailAlerts: the Http action names the user-assigned identity, which gets the sender role", async () => {
    const alerts = new EmailAlerts("uamail", { workspace: { workspaceId: workspaceId("uamail"), ...place }, recipients: ["ops@example.com"], alerts: [{ eventType: AmlEventType.ModelRegistered }], managedIdentities: { userAssignedResourceIds: [UAI] } });
    const rs = await registered("uamail");
    const wf = rs.find((r) => r.type === "azure-native:logic:Workflow");
    const auths = JSON.stringify(wf?.inputs.definition).match(/"authentication":\{[^}]*\}/g) ?? [];
    assert.ok(auths.length > 0);
    for (const a of auths) assert.ok(a.includes(`"identity":"${UAI}"`), a);
    assert.strictEqual(JSON.stringify(alerts.definition).includes(UAI), false, "the public definition stays the builder's");
    const sender = rs.find((r) => r.name === "uamail-sender");
    assert.strictEqual(sender?.inputs.principalId, UAI_PRINCIPAL);
  });

  it("EmailAlerts: both identities, two user-assigned ones, or a ReadOnly lock are refused with the reason", () => {
    const base = { workspace: { workspaceId: workspaceId("uamail2"), ...place }, recipients: ["ops@example.com"], alerts: [{ eventType: AmlEventType.ModelRegistered }] };
    assert.throws(() => new EmailAlerts("uamail2", { ...base, managedIdentities: { systemAssigned: true, userAssignedResourceIds: [UAI] } }), /Azure refuses/);
    assert.throws(() => new EmailAlerts("uamail3", { ...base, managedIdentities: { userAssignedResourceIds: [UAI, `${UAI}2`] } }), /takes at most 1/);
    assert.throws(() => new EmailAlerts("uamail4", { ...base, lock: { kind: "ReadOnly" } }), /ReadOnly" would break the component: .*listCallbackUrl/);
  });
});

describe("AVM managedIdentities on DriftRetrainTrigger", () => {
  it("the Logic App acts as the user-assigned identity (Http actions, runner grant); the factory keeps its system identity", async () => {
    new DriftRetrainTrigger("uaretrain", {
      workspace: { workspaceId: workspaceId("uaretrain"), ...place },
      modelMonitor: { monitorNames: ["m"], signalNames: ["m_drift"] },
      createPipeline: { mlPipelineId: "5adc0a4f-e025-04a5-86f0-9a4fcbb241f9", experimentName: "e" },
      managedIdentities: { userAssignedResourceIds: [UAI] },
    });
    const rs = await registered("uaretrain");
    const wf = rs.find((r) => r.type === "azure-native:logic:Workflow");
    assert.deepStrictEqual(wf?.inputs.identity, { type: "UserAssigned", userAssignedIdentities: [UAI] });
    const auths = JSON.stringify(wf?.inputs.definition).match(/"authentication":\{[^}]*\}/g) ?? [];
    assert.ok(auths.length >= 2 && auths.every((a) => a.includes(`"identity":"${UAI}"`)), auths.join("\n"));
    assert.strictEqual(rs.find((r) => r.name === "uaretrain-adf-contributor")?.inputs.principalId, UAI_PRINCIPAL);
    assert.throws(
      () =>
        new DriftRetrainTrigger("uaretrain2", {
          workspace: { workspaceId: workspaceId("uaretrain2"), ...place },
          modelMonitor: { monitorNames: ["m"], signalNames: ["m_drift"] },
          createPipeline: { mlPipelineId: "5adc0a4f-e025-04a5-86f0-9a4fcbb241f9", experimentName: "e" },
          managedIdentities: { systemAssigned: false, userAssignedResourceIds: [UAI] },
        }),
      /Microsoft\.DataFactory\/factories keeps its system-assigned identity: createPipeline takes the v1 route \(no batchEndpoint\), whose AzureMLService linked service/,
    );
  });
});

describe("AVM managedIdentities on ModelMonitor", () => {
  const monitor = (name: string, extra: Record<string, unknown>) =>
    new ModelMonitor(name, {
      workspaceId: workspaceId(name),
      taskType: "Regression",
      signals: { drift: { kind: "dataDrift", productionData: MONITOR_INPUTS, referenceData: MONITOR_TRAINING } },
      ...extra,
    });

  it("runs the monitoring job as the user-assigned identity (the same as compute.userAssignedIdentityId)", async () => {
    const viaInterface = monitor("uamon", { managedIdentities: { userAssignedResourceIds: [UAI] } });
    const viaCompute = monitor("uamon2", { compute: { userAssignedIdentityId: UAI } });
    const computeOf = (m: ModelMonitor) => JSON.stringify((m.properties as unknown as { action: { monitorDefinition: { computeConfiguration: unknown } } }).action.monitorDefinition.computeConfiguration);
    assert.strictEqual(computeOf(viaInterface), computeOf(viaCompute));
    assert.ok(computeOf(viaInterface).includes(UAI));
  });

  it("refuses a system identity, two identities, and an identity other than compute's", () => {
    assert.throws(() => monitor("uamon3", { managedIdentities: { systemAssigned: true } }), /job runs as the Azure ML token or a user-assigned identity/);
    assert.throws(() => monitor("uamon4", { managedIdentities: { userAssignedResourceIds: [UAI, `${UAI}2`] } }), /runs as one/);
    assert.throws(() => monitor("uamon5", { managedIdentities: { userAssignedResourceIds: [UAI] }, compute: { userAssignedIdentityId: `${UAI}2` } }), /differs from compute\.userAssignedIdentityId/);
  });
});

describe("AVM managedIdentities: no identity at all is refused where the component acts with one", () => {
  it("a system topic and a Logic App without any identity are refused; a stream's namespace may have none", () => {
    assert.throws(() => new WorkspaceEvents("noid1", { workspaceId: workspaceId("noid1"), ...place, managedIdentities: { systemAssigned: false } }), /WorkspaceEvents\("noid1"\): managedIdentities turns the system-assigned identity off and gives no user-assigned one/);
    assert.throws(
      () => new EmailAlerts("noid2", { workspace: { workspaceId: workspaceId("noid2"), ...place }, recipients: ["ops@example.com"], alerts: [{ eventType: AmlEventType.ModelRegistered }], managedIdentities: { systemAssigned: false } }),
      /EmailAlerts\("noid2"\): managedIdentities turns the system-assigned identity off/,
    );
    assert.throws(
      () => new EventHubStream("noid3", { workspace: { workspaceId: workspaceId("noid3"), ...place }, eventHub: { namespaceName: "noid3-ns" }, managedIdentities: { systemAssigned: false } }),
      /WorkspaceEvents\("noid3-events"\): managedIdentities turns the system-assigned identity off/,
    );
  });
});
