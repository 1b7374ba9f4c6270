import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { assignRole, BuiltInRole, builtInRoleName, deterministicGuid, isSingleResourceScope, roleDefinitionIdFor } from "../../lib/rbac";
import { registered } from "../helpers/pulumi";

const HUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.EventHub/namespaces/ns/eventhubs/hub";

describe("rbac", () => {
  it("deterministicGuid is stable, RFC 4122-shaped and differs per input", () => {
    const a = deterministicGuid(HUB, "principal", BuiltInRole.AzureEventHubsDataSender);
    assert.strictEqual(a, deterministicGuid(HUB, "principal", BuiltInRole.AzureEventHubsDataSender));
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notStrictEqual(a, deterministicGuid(HUB, "other", BuiltInRole.AzureEventHubsDataSender));
    assert.notStrictEqual(deterministicGuid("ab", "c"), deterministicGuid("a", "bc"), "parts are separated");
  });

  it("tells single-resource scopes from wider ones", () => {
    assert.strictEqual(isSingleResourceScope(HUB), true);
    assert.strictEqual(isSingleResourceScope("/subscriptions/00000000-0000-0000-0000-000000000000"), false);
    assert.strictEqual(isSingleResourceScope("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"), false);
    assert.strictEqual(isSingleResourceScope("/providers/Microsoft.Management/managementGroups/contoso"), false);
  });

  it("builds role definition ids in the scope's subscription and names known GUIDs", () => {
    assert.strictEqual(roleDefinitionIdFor(HUB, BuiltInRole.AzureEventHubsDataSender), "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/2b629674-e913-4c01-ae53-ef4638d8f975");
    assert.strictEqual(builtInRoleName("F6C7C914-8DB3-469D-8CA1-694A8F32E121"), "AzureMLDataScientist");
    assert.throws(() => roleDefinitionIdFor("not-an-id", BuiltInRole.Owner), /is not an ARM id/);
  });

  it("grants on one resource with a deterministic name and ServicePrincipal type", async () => {
    const parent = new pulumi.ComponentResource("test:rbac:Holder", "rbac-holder");
    assignRole("rbac-holder-sender", { scope: HUB, principalId: "11111111-2222-3333-4444-555555555555", role: "AzureEventHubsDataSender" }, { parent });
    const [grant] = (await registered("rbac-holder")).filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    assert.deepStrictEqual(grant.inputs, {
      principalId: "11111111-2222-3333-4444-555555555555",
      principalType: "ServicePrincipal",
      roleAssignmentName: deterministicGuid(HUB.toLowerCase(), "11111111-2222-3333-4444-555555555555", BuiltInRole.AzureEventHubsDataSender),
      roleDefinitionId: roleDefinitionIdFor(HUB, BuiltInRole.AzureEventHubsDataSender),
      scope: HUB,
    });
  });

  it("refuses privileged roles and scopes wider than one resource, at construction", () => {
    const parent = new pulumi.ComponentResource("test:rbac:Holder", "rbac-refusals");
    for (const role of ["Owner", "Contributor", "UserAccessAdministrator", "RoleBasedAccessControlAdministrator"] as const) {
      assert.throws(() => assignRole("x", { scope: HUB, principalId: "p", role }, { parent }), new RegExp(`role ${role} is privileged`));
    }
    assert.throws(
      () => assignRole("x", { scope: "/subscriptions/00000000-0000-0000-0000-000000000000", principalId: "p", role: "AzureEventHubsDataSender" }, { parent }),
      /scope "\/subscriptions\/00000000-0000-0000-0000-000000000000" is wider than one resource/,
    );
  });
});
