import * as assert from "assert";
import { EventHubDestination } from "../../lib/destinations";
import { WorkspaceEvents } from "../../lib/workspace";
import { registered, workspaceId } from "../helpers/pulumi";
import { place, RG, UAI, UAI_PRINCIPAL } from "./cases";

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
