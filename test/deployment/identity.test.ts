/**
 * ModelDeployer acts as its first user-assigned identity (lib/deployment/identity.ts): the pure settings
 * builders, and the plan's resources under the mocks for system-only, user-assigned only and both, with
 * the forged, misspelt and malformed `managedIdentities` a careless or hostile caller could pass.
 */
import * as assert from "assert";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { ModelDeployer, ModelDeployerArgs } from "../../lib/deployment";
import { deploymentStorageAuthentication, identityAppSettings } from "../../lib/deployment/identity";
import { BuiltInRole, deterministicGuid } from "../../lib/rbac";
import { leastPrivilegeRoleGuid } from "../../lib/rbac/customRoles";
import { identitySubscriptionProblem, userAssignedIdentity } from "../../lib/interfaces/identities";
import { MockedResource } from "../../lib/plan/mocks";
import { promiseOf, registered, workspaceId } from "../helpers/pulumi";

const PACKAGE = join(mkdtempSync(join(tmpdir(), "deployer-identity-pkg-")), "function-app.zip");
writeFileSync(PACKAGE, "PK\u0005\u0006" + "\u0000".repeat(18));

const RG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml";
const UAI = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deployer`;
const OTHER = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-other`;
/** The principal and client ids the mocks give a user-assigned identity (read by getUserAssignedIdentity). */
const principalOf = (id: string) => deterministicGuid("principal", id.toLowerCase());
const clientOf = (id: string) => deterministicGuid("client", id.toLowerCase());

const RULES = [{ models: ["credit"], tags: { stage: ["prod"] }, endpointName: "ep-credit" }];

function build(name: string, managedIdentities?: ModelDeployerArgs["managedIdentities"]): { ws: string; md: ModelDeployer } {
  const ws = workspaceId(name);
  const md = new ModelDeployer(name, { workspace: { workspaceId: ws, resourceGroupName: "rg-ml", location: "westeurope" }, rules: RULES, resourceGroupName: "rg-ml", location: "westeurope", packagePath: PACKAGE, ...(managedIdentities ? { managedIdentities } : {}) });
  return { ws, md };
}

/** The deployer's own resources: the app, its settings, its deployment authentication and its grants. */
async function plan(name: string) {
  const rs = (await registered(name)).filter((r) => r.parent?.endsWith(`aml-events:index:ModelDeployer::${name}`));
  const app = rs.find((r) => r.type === "azure-native:web:WebApp") as MockedResource;
  const inputs = app.inputs as { identity?: unknown; siteConfig: { appSettings: { name: string; value: string }[] }; functionAppConfig: { deployment: { storage: { authentication: unknown } } } };
  const grants = rs
    .filter((r) => r.type === "azure-native:authorization:RoleAssignment")
    .map((r) => ({ role: String(r.inputs.roleDefinitionId).split("/").pop(), principal: r.inputs.principalId }))
    .sort((a, b) => String(a.role).localeCompare(String(b.role)));
  return { rs, identity: inputs.identity, settings: inputs.siteConfig.appSettings, auth: inputs.functionAppConfig.deployment.storage.authentication, grants };
}

/** The roles the deployer grants, each to `principal` (one per queue). */
function expectedGrants(ws: string, principal: string) {
  return [leastPrivilegeRoleGuid("modelDeployer", ws), BuiltInRole.StorageBlobDataOwner, BuiltInRole.StorageQueueDataContributor, BuiltInRole.StorageQueueDataContributor, BuiltInRole.MonitoringMetricsPublisher]
    .map((role) => ({ role, principal }))
    .sort((a, b) => a.role.localeCompare(b.role));
}

describe("ModelDeployer identity: pure settings", () => {
  it("system identity: exactly the three settings earlier versions wrote, in the same order", () => {
    assert.deepStrictEqual(identityAppSettings({ kind: "SystemAssigned" }, "stx", "InstrumentationKey=k"), [
      { name: "AzureWebJobsStorage__accountName", value: "stx" },
      { name: "APPLICATIONINSIGHTS_CONNECTION_STRING", value: "InstrumentationKey=k" },
      { name: "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", value: "Authorization=AAD" },
    ]);
    assert.deepStrictEqual(deploymentStorageAuthentication({ kind: "SystemAssigned" }), { type: "SystemAssignedIdentity" });
  });

  it("user-assigned identity: host storage, telemetry and the SDK clients name its client id; the deployment container names its id", async () => {
    const identity = { kind: "UserAssigned", resourceId: UAI, clientId: "c1" } as const;
    const settings = identityAppSettings(identity, "stx", "InstrumentationKey=k");
    const resolved = await Promise.all(settings.map(async (s) => [s.name, await promiseOf(s.value)]));
    assert.deepStrictEqual(resolved, [
      ["AzureWebJobsStorage__accountName", "stx"],
      ["AzureWebJobsStorage__credential", "managedidentity"],
      ["AzureWebJobsStorage__clientId", "c1"],
      ["APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=k"],
      ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "Authorization=AAD;ClientId=c1"],
      ["AZURE_CLIENT_ID", "c1"],
    ]);
    assert.deepStrictEqual(deploymentStorageAuthentication(identity), { type: "UserAssignedIdentity", userAssignedIdentityResourceId: UAI });
  });
});

describe("ModelDeployer identity: the plan", () => {
  it("without managedIdentities: the system identity acts, no setting names a client id, every grant goes to its principal", async () => {
    const { ws, md } = build("mdid-sys");
    const p = await plan("mdid-sys");
    assert.deepStrictEqual(p.identity, { type: "SystemAssigned" });
    assert.deepStrictEqual(p.auth, { type: "SystemAssignedIdentity" });
    const names = p.settings.map((s) => s.name);
    for (const absent of ["AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AZURE_CLIENT_ID"]) assert.ok(!names.includes(absent), absent);
    assert.strictEqual(p.settings.find((s) => s.name === "APPLICATIONINSIGHTS_AUTHENTICATION_STRING")?.value, "Authorization=AAD");
    const system = await promiseOf(md.principalId);
    assert.match(system, /^[0-9a-f-]{36}$/);
    assert.deepStrictEqual(p.grants, expectedGrants(ws, system));
  });

  it("user-assigned only: the system identity is off, the app acts as the identity everywhere, and every grant goes to its principal", async () => {
    const { ws, md } = build("mdid-ua", { userAssignedResourceIds: [UAI] });
    const p = await plan("mdid-ua");
    assert.deepStrictEqual(p.identity, { type: "UserAssigned", userAssignedIdentities: [UAI] });
    assert.deepStrictEqual(p.auth, { type: "UserAssignedIdentity", userAssignedIdentityResourceId: UAI });
    const settings = Object.fromEntries(p.settings.map((s) => [s.name, s.value]));
    const client = clientOf(UAI);
    assert.strictEqual(settings.AzureWebJobsStorage__credential, "managedidentity");
    assert.strictEqual(settings.AzureWebJobsStorage__clientId, client);
    assert.strictEqual(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING, `Authorization=AAD;ClientId=${client}`);
    assert.strictEqual(settings.AZURE_CLIENT_ID, client);
    assert.strictEqual(await promiseOf(md.principalId), principalOf(UAI));
    assert.deepStrictEqual(p.grants, expectedGrants(ws, principalOf(UAI)));
  });

  it("both (systemAssigned: true): the system identity is attached, the user-assigned one still acts and gets every grant", async () => {
    const { ws, md } = build("mdid-both", { systemAssigned: true, userAssignedResourceIds: [UAI] });
    const p = await plan("mdid-both");
    assert.deepStrictEqual(p.identity, { type: "SystemAssigned, UserAssigned", userAssignedIdentities: [UAI] });
    assert.deepStrictEqual(p.auth, { type: "UserAssignedIdentity", userAssignedIdentityResourceId: UAI });
    assert.strictEqual(await promiseOf(md.principalId), principalOf(UAI));
    assert.deepStrictEqual(p.grants, expectedGrants(ws, principalOf(UAI)));
  });

  it("two ids: both are attached, the first acts and is the only one granted anything", async () => {
    const { ws } = build("mdid-two", { userAssignedResourceIds: [UAI, OTHER] });
    const p = await plan("mdid-two");
    assert.deepStrictEqual(p.identity, { type: "UserAssigned", userAssignedIdentities: [UAI, OTHER] });
    assert.strictEqual(p.settings.find((s) => s.name === "AZURE_CLIENT_ID")?.value, clientOf(UAI));
    assert.deepStrictEqual(p.grants, expectedGrants(ws, principalOf(UAI)));
    assert.ok(!p.grants.some((g) => g.principal === principalOf(OTHER)), "the second identity gets no grant");
  });

  it("an id in other letter case (ARM ids are case-insensitive) is accepted and resolves to the same identity", async () => {
    const shouted = UAI.replace("/resourceGroups/", "/RESOURCEGROUPS/").replace("Microsoft.ManagedIdentity/userAssignedIdentities", "microsoft.managedidentity/USERASSIGNEDIDENTITIES");
    const { ws } = build("mdid-case", { userAssignedResourceIds: [shouted] });
    const p = await plan("mdid-case");
    assert.deepStrictEqual(p.auth, { type: "UserAssignedIdentity", userAssignedIdentityResourceId: shouted });
    assert.strictEqual(p.settings.find((s) => s.name === "AZURE_CLIENT_ID")?.value, clientOf(UAI));
    assert.deepStrictEqual(p.grants, expectedGrants(ws, principalOf(UAI)));
  });

  it("refuses forged, misspelt and contradictory identities at construction, naming the argument, the value and the fix", () => {
    const refuses = (name: string, mi: unknown, ...parts: RegExp[]) =>
      assert.throws(
        () => build(name, mi as ModelDeployerArgs["managedIdentities"]),
        (e: unknown) => {
          assert.ok(e instanceof pulumi.ResourceError, String(e));
          for (const part of parts) assert.match(e.message, part);
          return true;
        },
      );
    const storageId = `${RG}/providers/Microsoft.Storage/storageAccounts/stplatform`;
    refuses("mdid-bad1", { userAssignedResourceIds: [storageId] }, /ModelDeployer\("mdid-bad1"\)/, /managedIdentities\.userAssignedResourceIds\[0\]/, /stplatform/, /is not a Microsoft\.ManagedIdentity\/userAssignedIdentities id/);
    refuses("mdid-bad2", { systemAssigned: false }, /managedIdentities turns the system-assigned identity off and gives no user-assigned one/, /Pass userAssignedResourceIds, or drop systemAssigned: false/);
    refuses("mdid-bad3", { userAssignedResourceId: [UAI] }, /unknown argument 'managedIdentities\.userAssignedResourceId'; did you mean 'managedIdentities\.userAssignedResourceIds'\?/);
    refuses("mdid-bad4", { systemAssigned: "false", userAssignedResourceIds: [UAI] }, /managedIdentities\.systemAssigned "false" is not true or false/);
    refuses("mdid-bad5", { userAssignedResourceIds: [UAI, UAI.toUpperCase()] }, /userAssignedResourceIds\[1\].*is listed twice/);
    refuses("mdid-bad6", { userAssignedResourceIds: UAI }, /userAssignedResourceIds ".*id-deployer" is not a list of ids/);
    refuses("mdid-bad7", { userAssignedResourceIds: [`${UAI}/../../userAssignedIdentities/other`] }, /userAssignedResourceIds\[0\]/);
  });

  it("systemAssigned: false with a user-assigned id is accepted (earlier versions refused it)", async () => {
    build("mdid-nosys", { systemAssigned: false, userAssignedResourceIds: [UAI] });
    const p = await plan("mdid-nosys");
    assert.deepStrictEqual(p.identity, { type: "UserAssigned", userAssignedIdentities: [UAI] });
  });
});

describe("ModelDeployer identity: the identity read is the one named", () => {
  const FOREIGN = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-ml/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deployer";

  it("an id in another subscription than the provider's is refused before any role goes to the same-named identity there", async () => {
    // What the deployer (and every component acting as a user-assigned identity) reads its principal with.
    // The SDK's Output keeps its value as a promise that rejects when an apply throws (not in its typings).
    const value = (userAssignedIdentity(FOREIGN, {}).principalId as unknown as { promise(): Promise<string> }).promise();
    await assert.rejects(value, (e: Error) =>
      /11111111-2222-3333-4444-555555555555/.test(e.message) && /provider reads subscription 00000000-0000-0000-0000-000000000000/.test(e.message) && /give the component a provider for the identity's subscription/.test(e.message));
  });

  it("the subscription compares ignoring case, and an unknown read (preview) is not a mismatch", () => {
    assert.strictEqual(identitySubscriptionProblem(UAI.replace("subscriptions", "SUBSCRIPTIONS"), UAI.toUpperCase()), undefined);
    assert.strictEqual(identitySubscriptionProblem(FOREIGN, undefined), undefined);
    assert.match(identitySubscriptionProblem(FOREIGN, UAI) ?? "", /is in subscription 11111111-2222-3333-4444-555555555555, but the provider reads subscription 00000000-0000-0000-0000-000000000000/);
  });
});
