import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { assignRole, BuiltInRole, builtInRoleName, deterministicGuid, isSingleResourceScope, privilegedGrantProblem, roleDefinitionIdFor, RoleGrant } from "../../lib/rbac";
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

  describe("assignRole refuses by actions", () => {
    const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
    const SITE = `${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/func`;
    const ACCOUNT = `${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st`;
    const rd = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
    const parent = new pulumi.ComponentResource("test:rbac:Holder", "rbac-actions");

    it("refuses every built-in role whose actions escalate, naming the actions and the allowance that would accept it", () => {
      const cases: [RoleGrant["role"], string, RegExp][] = [
        ["StorageAccountContributor", ACCOUNT, /lists keys or secrets \(Microsoft\.Storage\/storageAccounts\/listKeys\/action via "Microsoft\.Storage\/storageAccounts\/\*"\)/],
        ["WebsiteContributor", SITE, /writes code or config/],
        ["ManagedIdentityOperator", `${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id`, /assigns identities/],
        ["KeyVaultAdministrator", `${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv`, /data wildcard/],
        ["EventGridEventSubscriptionContributor", `${SUB}/resourceGroups/rg/providers/Microsoft.EventGrid/systemTopics/t`, /getFullUrl/],
        ["AzureMLDataScientist", `${SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w`, /listsecrets/],
      ];
      for (const [role, scope, why] of cases) {
        assert.throws(() => assignRole("x", { scope, principalId: "p", role }, { parent }), (e: Error) => {
          assert.match(e.message, new RegExp(`assignRole\\(x\\): role ${String(role)} is privileged`));
          assert.match(e.message, why);
          assert.match(e.message, /allowPrivileged: \{ targetType: "Microsoft\./);
          return true;
        });
      }
    });

    it("judges literal role definition ids too: Owner spelt with braces and upper case, an unparsable id", () => {
      assert.throws(() => assignRole("x", { scope: SITE, principalId: "p", role: { roleDefinitionId: rd(`{${BuiltInRole.Owner.toUpperCase()}}`) } }, { parent }), /role Owner is privileged/);
      assert.throws(() => assignRole("x", { scope: SITE, principalId: "p", role: { roleDefinitionId: "Owner" } }, { parent }), /role "Owner" is neither a role GUID/);
      assert.throws(() => assignRole("x", { scope: SITE, principalId: "p", role: { roleDefinitionId: `${rd(BuiltInRole.Owner)}/../x` } }, { parent }), /assignRole\(x\): role/);
    });

    it("accepts a privileged role only with an allowance naming the target's type and a reason", async () => {
      const allowed = assignRole("rbac-actions-site-ok", { scope: SITE, principalId: "p", role: "WebsiteContributor", allowPrivileged: { targetType: "microsoft.web/SITES", reason: "deploys its own code" } }, { parent });
      assert.ok(allowed);
      assert.throws(() => assignRole("x", { scope: ACCOUNT, principalId: "p", role: "WebsiteContributor", allowPrivileged: { targetType: "Microsoft.Web/sites", reason: "r" } }, { parent }), /names targetType "Microsoft\.Web\/sites", but the scope is a Microsoft\.Storage\/storageAccounts/);
      assert.throws(() => assignRole("x", { scope: SITE, principalId: "p", role: "WebsiteContributor", allowPrivileged: { targetType: "Microsoft.Web/sites", reason: " " } }, { parent }), /with an empty reason/);
      const [grant] = (await registered("rbac-actions")).filter((r) => r.name === "rbac-actions-site-ok");
      assert.strictEqual(grant.inputs.description, "Privileged grant allowed: deploys its own code");
    });

    it("judges a scope or role id that resolves later by the same rule (checked once it resolves)", () => {
      assert.match(privilegedGrantProblem("late", rd(BuiltInRole.StorageAccountContributor), ACCOUNT) ?? "", /role StorageAccountContributor is privileged/);
      assert.strictEqual(privilegedGrantProblem("late", rd(BuiltInRole.StorageAccountContributor), undefined, { targetType: "Microsoft.Storage/storageAccounts", reason: "r" }), undefined, "an allowance waits for the scope");
      assert.match(privilegedGrantProblem("late", rd(BuiltInRole.StorageAccountContributor), undefined) ?? "", /privileged/, "no allowance: refused before the scope is known");
      assert.strictEqual(privilegedGrantProblem("ok", rd(BuiltInRole.StorageQueueDataMessageSender), ACCOUNT), undefined);
    });
  });
});
