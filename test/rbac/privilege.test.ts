/** Role ids and scopes parsed strictly; built-in and custom roles judged by their actions. */
import * as assert from "node:assert";
import { parseArmScope, parseRoleDefinitionId } from "../../lib/rbac/armScope";
import { BUILT_IN_ROLE_PAGES, BUILT_IN_ROLE_PERMISSIONS } from "../../lib/rbac/builtInRoles";
import { LEAST_PRIVILEGE_ROLES } from "../../lib/rbac/customRoles";
import { actionMatches, escalationsOf, judgeRoleId } from "../../lib/rbac/privilege";
import { BuiltInRole, BuiltInRoleName } from "../../lib/rbac/roles";

const SUB = "00000000-0000-0000-0000-000000000000";
const OWNER = BuiltInRole.Owner;

describe("rbac: strict role ids and scopes, privilege by actions", () => {
  it("normalises every accepted spelling of a role id to the lower-case hyphenated GUID", () => {
    for (const v of [OWNER, OWNER.toUpperCase(), `{${OWNER}}`, OWNER.replace(/-/g, ""), `${OWNER}/`, `/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`,
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/{${OWNER.toUpperCase()}}/`, `/subscriptions/${SUB}/resourceGroups/rg/providers/microsoft.authorization/roledefinitions/${OWNER}`]) {
      const p = parseRoleDefinitionId(v);
      assert.ok("guid" in p && p.guid === OWNER, `${v} → ${JSON.stringify(p)}`);
    }
  });

  it("refuses role ids with dot segments, queries, junk GUIDs or resource scopes", () => {
    for (const v of [`/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}/../x`, `${OWNER}?a=1`, `${OWNER}0`, "owner", "",
      `/subscriptions/${SUB}/resourceGroups/rg/providers/A.B/c/d/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`, `/subscriptions/../providers/Microsoft.Authorization/roleDefinitions/${OWNER}`]) {
      assert.ok("error" in parseRoleDefinitionId(v), `${v} must not parse`);
    }
  });

  it("classifies scopes; dot, empty, encoded segments and non-ARM strings are errors", () => {
    const rg = `/subscriptions/${SUB}/resourceGroups/rg`;
    assert.deepStrictEqual(["/", "/providers/Microsoft.Management/managementGroups/mg", `/subscriptions/${SUB}`, rg, `${rg}/providers/Microsoft.Web/sites/app`, `${rg}/providers/Microsoft.Web/sites/app/`].map((s) => {
      const p = parseArmScope(s);
      return "kind" in p ? p.kind : p.error;
    }), ["root", "managementGroup", "subscription", "resourceGroup", "resource", "resource"]);
    for (const s of [`${rg}/providers/Microsoft.Web/sites/app/..`, `${rg}/./providers/Microsoft.Web/sites/app`, `${rg}//providers/Microsoft.Web/sites/app`, `${rg}/providers/Microsoft.Web/sites/%2e%2e`,
      "subscriptions/x", `${rg}/providers/Microsoft.Web/sites`, `${rg}/providers/Microsoft.Web/sites/app\u0000`]) {
      assert.ok("error" in parseArmScope(s), `${s} must not parse`);
    }
  });

  it("Azure's wildcard semantics: '*' spans segments, a whole-segment '*' may be empty, case-insensitive", () => {
    assert.ok(actionMatches("Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action", "microsoft.managedidentity/userassignedidentities/assign/action"));
    assert.ok(actionMatches("Microsoft.Storage/*", "Microsoft.Storage/storageAccounts/listKeys/action"));
    assert.ok(!actionMatches("Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/storageAccounts/readx"));
  });

  it("pins the verdict of every classified built-in role", () => {
    const privileged = (Object.keys(BUILT_IN_ROLE_PERMISSIONS) as BuiltInRoleName[]).filter((n) => {
      const v = judgeRoleId(BuiltInRole[n]);
      return "guid" in v && v.privileged;
    });
    assert.deepStrictEqual(privileged.sort(), [
      "AzureMLDataScientist", "Contributor", "DataFactoryContributor", "EventGridContributor", "EventGridEventSubscriptionContributor", "KeyVaultAdministrator", "KeyVaultSecretsUser",
      "LogicAppContributor", "ManagedIdentityOperator", "Owner", "RoleBasedAccessControlAdministrator", "StorageAccountContributor", "UserAccessAdministrator", "WebsiteContributor",
    ].sort());
  });

  it("names the Learn page of every classified role, anchored at the role", () => {
    for (const n of Object.keys(BUILT_IN_ROLE_PERMISSIONS) as BuiltInRoleName[]) {
      assert.match(BUILT_IN_ROLE_PAGES[n], /^https:\/\/learn\.microsoft\.com\/azure\/role-based-access-control\/built-in-roles\/[a-z-]+#[a-z-]+$/, n);
    }
    assert.deepStrictEqual(Object.keys(BUILT_IN_ROLE_PAGES).sort(), Object.keys(BUILT_IN_ROLE_PERMISSIONS).sort());
  });

  it("notActions subtract: Contributor cannot write role assignments, Owner can", () => {
    const kinds = (n: BuiltInRoleName) => new Set(escalationsOf([BUILT_IN_ROLE_PERMISSIONS[n]]).map((e) => e.kind));
    assert.ok(!kinds("Contributor").has("grants-roles"));
    assert.ok(kinds("Owner").has("grants-roles"));
  });

  it("our identities' custom roles escalate nothing and use exact operation names only", () => {
    for (const [key, spec] of Object.entries(LEAST_PRIVILEGE_ROLES)) {
      const notActions = "notActions" in spec ? spec.notActions : [];
      assert.deepStrictEqual(escalationsOf([{ actions: spec.actions, notActions, dataActions: spec.dataActions }]), [], key);
      if (key === "mlPipelineRunner") continue; // Data Scientist's patterns minus the escalation paths (see customRoles.ts)
      for (const a of spec.actions) assert.ok(!a.includes("*") && /^Microsoft\.[A-Za-z]+\/[A-Za-z]+(\/[A-Za-z]+)*$/.test(a), a);
    }
  });
});
