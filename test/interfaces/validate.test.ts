import * as assert from "assert";
import {
  asIdentityMap,
  diagnosticContent,
  diagnosticCoverageProblems,
  identityBlock,
  identitySupportProblems,
  lockArgs,
  resolveRole,
  validateAvmInterfaces,
  validateDiagnosticSettings,
  validateLock,
  validateManagedIdentities,
  validateRoleAssignments,
  validateTags,
} from "../../lib/interfaces";

const RG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml";
const LAW = `${RG}/providers/Microsoft.OperationalInsights/workspaces/logs`;
const UAI = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/platform`;
const PRINCIPAL = "11111111-2222-3333-4444-555555555555";
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const C = 'X("x")';

/** The one message of `problems`, which must mention every `parts`. */
function one(problems: string[], ...parts: string[]): void {
  assert.strictEqual(problems.length, 1, problems.join("\n"));
  for (const p of parts) assert.ok(problems[0].includes(p), `${JSON.stringify(problems[0])} lacks ${JSON.stringify(p)}`);
}

describe("AVM interfaces: pure validation", () => {
  it("accepts every interface well formed, and nothing at all", () => {
    assert.deepStrictEqual(validateAvmInterfaces(C, {}), []);
    assert.deepStrictEqual(
      validateAvmInterfaces(C, {
        tags: { env: "prod" },
        lock: { kind: "CanNotDelete", name: "keep", notes: "why" },
        diagnosticSettings: [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "WorkflowRuntime" }], logAnalyticsDestinationType: "Dedicated" }],
        roleAssignments: [{ roleDefinitionIdOrName: "Reader", principalId: PRINCIPAL, principalType: "Group", condition: "true", conditionVersion: "2.0" }],
        managedIdentities: { systemAssigned: true, userAssignedResourceIds: [UAI] },
      }),
      [],
    );
  });

  it("lock: a misspelt kind names the argument, the value and the exact spelling", () => {
    one(validateLock(C, "lock", { kind: "cannotdelete" }), C, "lock.kind", '"cannotdelete"', '"CanNotDelete" (exact case)');
    one(validateLock(C, "lock", { kind: "Delete" }), '"CanNotDelete" or "ReadOnly"');
    one(validateLock(C, "lock", { kind: "ReadOnly", name: "a/b" }), "lock.name", '"a/b"');
    one(validateLock(C, "lock", { kind: "ReadOnly", notes: "n".repeat(513) }), "513 characters");
    one(validateLock(C, "lock", { kind: "ReadOnly", level: "x" }), "unknown argument 'lock.level'");
    one(validateLock(C, "lock", "CanNotDelete"), "is not a lock");
  });

  it("tags: non-string values, forbidden characters, too many", () => {
    one(validateTags(C, "tags", { env: 3 }), "tags.env", "3", '"3"');
    one(validateTags(C, "tags", { "a/b": "x" }), '"a/b"', "< > % & \\ ? /");
    one(validateTags(C, "tags", Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, "v"]))), "51 tags");
  });

  it("diagnosticSettings: no target, a workspace id of another type or with '..', bad categories", () => {
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{}]), "diagnosticSettings[0] has no target", "workspaceResourceId");
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ workspaceResourceId: `${RG}/providers/Microsoft.Storage/storageAccounts/st` }]), "workspaceResourceId", "is not a Microsoft.OperationalInsights/workspaces id");
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ workspaceResourceId: `${RG}/providers/Microsoft.OperationalInsights/workspaces/../../x/y` }]), "'..' segment");
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ workspaceResourceId: `${LAW}/extra/thing` }]), "is not a Microsoft.OperationalInsights/workspaces id");
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ categoryGroup: "alllogs" }] }]), '"alllogs"', '"allLogs" or "audit"');
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "A", categoryGroup: "allLogs" }] }]), "exactly one of category or categoryGroup");
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ storageAccountResourceId: `${RG}/providers/Microsoft.Storage/storageAccounts/st`, logAnalyticsDestinationType: "Dedicated" }]), "without workspaceResourceId");
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ workspaceResourceId: LAW, eventHubName: "hub" }]), "eventHubName", "without eventHubAuthorizationRuleResourceId");
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ workspaceResourceId: LAW, workspaceId: LAW }]), "unknown argument 'diagnosticSettings[0].workspaceId'", "workspaceResourceId");
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [], metricCategories: [] }]), "sends no logs and no metrics");
    one(validateDiagnosticSettings(C, "diagnosticSettings", Array.from({ length: 6 }, (_, i) => ({ name: `d${i}`, workspaceResourceId: LAW }))), "at most five");
    one(validateDiagnosticSettings(C, "diagnosticSettings", [{ name: "d", workspaceResourceId: LAW }, { name: "D", workspaceResourceId: LAW }]), "used twice");
  });

  it("roleAssignments: Owner in any spelling (name, GUID, braces, no hyphens, role definition id) is refused", () => {
    const spellings = ["Owner", "owner", " OWNER ", OWNER, OWNER.toUpperCase(), `{${OWNER}}`, OWNER.replace(/-/g, ""), `/providers/Microsoft.Authorization/roleDefinitions/${OWNER.toUpperCase()}`, `/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`];
    for (const role of spellings) one(validateRoleAssignments(C, "roleAssignments", [{ roleDefinitionIdOrName: role, principalId: PRINCIPAL }]), "privileged role Owner", JSON.stringify(role));
    for (const role of ["Contributor", "User Access Administrator", "rbac administrator", "Role Based Access Control Administrator", "Website Contributor", "Managed Identity Operator", "Key Vault Administrator"]) {
      one(validateRoleAssignments(C, "roleAssignments", [{ roleDefinitionIdOrName: role, principalId: PRINCIPAL }]), "privileged role");
    }
  });

  it("roleAssignments: unknown names, non-GUID principals, bad principal types and duplicates are refused", () => {
    one(validateRoleAssignments(C, "roleAssignments", [{ roleDefinitionIdOrName: "Superuser", principalId: PRINCIPAL }]), '"Superuser"', "GUID");
    one(validateRoleAssignments(C, "roleAssignments", [{ roleDefinitionIdOrName: "Reader", principalId: "alice@example.com" }]), "principalId", '"alice@example.com"', "GUID");
    one(validateRoleAssignments(C, "roleAssignments", [{ roleDefinitionIdOrName: "Reader", principalId: PRINCIPAL, principalType: "user" as "User" }]), '"user"', "exact case");
    one(validateRoleAssignments(C, "roleAssignments", [{ roleDefinitionIdOrName: "Reader", principalId: PRINCIPAL }, { roleDefinitionIdOrName: "reader", principalId: PRINCIPAL.toUpperCase() }]), "second time");
    one(validateRoleAssignments(C, "roleAssignments", [{ roleDefinitionIdOrName: "Reader", principalId: PRINCIPAL, conditionVersion: "2.0" }]), "without condition");
  });

  it("resolveRole: names ignoring case and spacing, GUID spellings, custom role ids", () => {
    assert.deepStrictEqual(resolveRole("storage blob data contributor"), { guid: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", name: "StorageBlobDataContributor" });
    assert.deepStrictEqual(resolveRole("{ACDD72A7-3385-48EF-BD42-F606FBA81AE7}"), { guid: "acdd72a7-3385-48ef-bd42-f606fba81ae7" });
    const custom = "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/0f0e0d0c-0b0a-0908-0706-050403020100";
    assert.deepStrictEqual(resolveRole(custom), { guid: "0f0e0d0c-0b0a-0908-0706-050403020100", definitionId: custom });
    assert.ok("error" in resolveRole("/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/../x"));
  });

  it("managedIdentities: ids of another type or with '..', duplicates, no identity at all", () => {
    one(validateManagedIdentities(C, "managedIdentities", { userAssignedResourceIds: [`${RG}/providers/Microsoft.Storage/storageAccounts/st`] }), "userAssignedResourceIds[0]", "Microsoft.ManagedIdentity/userAssignedIdentities");
    one(validateManagedIdentities(C, "managedIdentities", { userAssignedResourceIds: [`${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/../x`] }), "'..' segment");
    one(validateManagedIdentities(C, "managedIdentities", { userAssignedResourceIds: [UAI, UAI.toUpperCase()] }), "listed twice");
    one(validateManagedIdentities(C, "managedIdentities", { systemAssigned: false }), "needs an identity");
    assert.deepStrictEqual(validateManagedIdentities(C, "managedIdentities", { systemAssigned: false }, false), []);
    one(validateManagedIdentities(C, "managedIdentities", { userAssignedResourceIds: UAI as unknown as string[] }), "is not a list of ids");
  });

  it("identity blocks follow what Azure allows per type", () => {
    assert.deepStrictEqual(identityBlock(undefined, "Microsoft.Logic/workflows", false), { type: "SystemAssigned" });
    assert.deepStrictEqual(identityBlock({ userAssignedResourceIds: [UAI] }, "Microsoft.Logic/workflows", false), { type: "UserAssigned", userAssignedIdentities: [UAI] });
    assert.deepStrictEqual(identityBlock({ userAssignedResourceIds: [UAI] }, "Microsoft.Web/sites", true), { type: "SystemAssigned, UserAssigned", userAssignedIdentities: [UAI] });
    assert.deepStrictEqual(asIdentityMap(identityBlock({ systemAssigned: true, userAssignedResourceIds: [UAI] }, "Microsoft.DataFactory/factories", true)), { type: "SystemAssigned,UserAssigned", userAssignedIdentities: { [UAI]: {} } });
    one(identitySupportProblems(C, "managedIdentities", { systemAssigned: true, userAssignedResourceIds: [UAI] }, "Microsoft.Logic/workflows"), "Azure refuses");
    one(identitySupportProblems(C, "managedIdentities", { userAssignedResourceIds: [UAI, `${UAI}2`] }, "Microsoft.Logic/workflows"), "at most 1");
    one(identitySupportProblems(C, "managedIdentities", { systemAssigned: false, userAssignedResourceIds: [UAI] }, "Microsoft.Web/sites", "the host storage uses it"), "keeps its system-assigned identity", "the host storage uses it");
  });

  it("diagnostic content per type: categories a type lacks are not sent to it; a category no target has is refused", () => {
    const s = { workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "WorkflowRuntime" }, { categoryGroup: "audit" }] };
    assert.deepStrictEqual(diagnosticContent(s, "Microsoft.Logic/workflows"), { logs: [{ category: "WorkflowRuntime", enabled: true }], metrics: [{ category: "AllMetrics", enabled: true }] });
    assert.deepStrictEqual(diagnosticContent({ workspaceResourceId: LAW }, "Microsoft.Storage/storageAccounts"), { metrics: [{ category: "AllMetrics", enabled: true }] });
    assert.strictEqual(diagnosticContent({ workspaceResourceId: LAW, metricCategories: [] }, "Microsoft.Storage/storageAccounts"), undefined);
    one(diagnosticCoverageProblems(C, "diagnosticSettings", [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "FunctionAppLogs" }] }], ["Microsoft.Logic/workflows"]), '"FunctionAppLogs"', "WorkflowRuntime");
    one(diagnosticCoverageProblems(C, "diagnosticSettings", [{ workspaceResourceId: LAW }], []), "creates no resource that supports diagnostic settings");
  });

  it("lock builder: default name and notes", () => {
    assert.deepStrictEqual(lockArgs("app", { kind: "ReadOnly" }, "/id", "the Function App"), { scope: "/id", level: "ReadOnly", lockName: "app-lock", notes: "Protects the Function App of app." });
  });
});
