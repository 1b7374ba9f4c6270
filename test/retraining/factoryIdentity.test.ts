import * as assert from "assert";
import { batchCallOf } from "../../lib/plan/loop";
import { MockedResource } from "../../lib/plan/mocks";
import { deterministicGuid } from "../../lib/rbac/guid";
import { DriftRetrainTrigger, DriftRetrainTriggerArgs } from "../../lib/retraining";
import { ARM_JOB_AUDIENCE, BATCH_ENDPOINT_AUDIENCE, webActivityAuthentication } from "../../lib/retraining/batchPipeline";
import { previewBatchInvocation } from "../../lib/retraining/batchPreview";
import { FACTORY_CREDENTIAL_NAME, factoryActingIdentity, factoryIdentityMap, V1_ROUTE_NEEDS_SYSTEM } from "../../lib/retraining/factoryIdentity";
import { registered, workspaceId } from "../helpers/pulumi";

const RG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml";
const UAI = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/platform`;
const UAI2 = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/platform-2`;
const KEY_ID = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk`;
/** The principal id the mocks (and the offline provider) give a user-assigned identity, case-insensitively. */
const principalOf = (id: string): string => deterministicGuid("principal", id.toLowerCase());
const BATCH = { batchEndpoint: { endpointName: "retrain-ep", region: "westeurope" } } as const;
const V1 = { mlPipelineId: "5adc0a4f-e025-04a5-86f0-9a4fcbb241f9", experimentName: "e" } as const;
const CMK = { keyVaultResourceId: `${RG}/providers/Microsoft.KeyVault/vaults/kv-ml`, keyName: "cmk", userAssignedIdentityResourceId: KEY_ID };
const place = { resourceGroupName: "rg-ml", location: "westeurope" };
const monitor = { monitorNames: ["m"], signalNames: ["m_drift"] };
const uaAuth = (resource: string) => ({ type: "UserAssignedManagedIdentity", resource, credential: { referenceName: FACTORY_CREDENTIAL_NAME, type: "CredentialReference" } });

function trigger(name: string, extra: Partial<DriftRetrainTriggerArgs>): DriftRetrainTrigger {
  return new DriftRetrainTrigger(name, { workspace: { workspaceId: workspaceId(name), ...place }, modelMonitor: monitor, createPipeline: BATCH, ...extra });
}
const ofType = (rs: readonly MockedResource[], type: string) => rs.filter((r) => r.type === type);
const one = (rs: readonly MockedResource[], name: string): MockedResource => {
  const r = rs.find((x) => x.name === name);
  assert.ok(r !== undefined, `${name} not registered: ${rs.map((x) => x.name).join(", ")}`);
  return r;
};
/** The `authentication` of every Web activity of the pipeline, the Until loop's included. */
function webAuths(pipeline: MockedResource): unknown[] {
  const found: unknown[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) {
      const o = v as Record<string, unknown>;
      if (o.type === "WebActivity") found.push(o.authentication);
      Object.values(o).forEach(walk);
    }
  };
  walk(pipeline.inputs.activities);
  return found;
}

describe("retraining: the factory's acting identity (pure)", () => {
  it("Web activity authentication: MSI for the system identity, the credential reference for a user-assigned one", () => {
    assert.deepStrictEqual(webActivityAuthentication(BATCH_ENDPOINT_AUDIENCE, undefined), { type: "MSI", resource: "https://ml.azure.com" });
    assert.deepStrictEqual(webActivityAuthentication(ARM_JOB_AUDIENCE, FACTORY_CREDENTIAL_NAME), uaAuth("https://management.azure.com/"));
    const preview = previewBatchInvocation({ endpoint: BATCH.batchEndpoint, inputs: { run: "runId" }, credentialName: FACTORY_CREDENTIAL_NAME }, { runId: "r1" });
    assert.deepStrictEqual(preview.authentication, { type: "UserAssignedManagedIdentity", resource: BATCH_ENDPOINT_AUDIENCE, credential: FACTORY_CREDENTIAL_NAME });
  });

  const cases: { label: string; args: Partial<DriftRetrainTriggerArgs>; acting: unknown; identity: unknown }[] = [
    { label: "v2, no identities", args: { createPipeline: BATCH }, acting: { kind: "SystemAssigned" }, identity: { type: "SystemAssigned" } },
    { label: "v2, one user-assigned id", args: { createPipeline: BATCH, managedIdentities: { userAssignedResourceIds: [UAI] } }, acting: { kind: "UserAssigned", resourceId: UAI }, identity: { type: "UserAssigned", userAssignedIdentities: { [UAI]: {} } } },
    { label: "v2, two ids: the first acts", args: { createPipeline: BATCH, managedIdentities: { userAssignedResourceIds: [UAI2, UAI] } }, acting: { kind: "UserAssigned", resourceId: UAI2 }, identity: { type: "UserAssigned", userAssignedIdentities: { [UAI2]: {}, [UAI]: {} } } },
    { label: "v2, systemAssigned true beside the id", args: { createPipeline: BATCH, managedIdentities: { systemAssigned: true, userAssignedResourceIds: [UAI] } }, acting: { kind: "SystemAssigned" }, identity: { type: "SystemAssigned,UserAssigned", userAssignedIdentities: { [UAI]: {} } } },
    { label: "v2, a key identity that differs from the acting one", args: { createPipeline: BATCH, managedIdentities: { userAssignedResourceIds: [UAI] }, customerManagedKey: CMK }, acting: { kind: "UserAssigned", resourceId: UAI }, identity: { type: "UserAssigned", userAssignedIdentities: { [UAI]: {}, [KEY_ID]: {} } } },
    { label: "v2, a key but no managedIdentities: the system identity acts", args: { createPipeline: BATCH, customerManagedKey: CMK }, acting: { kind: "SystemAssigned" }, identity: { type: "SystemAssigned,UserAssigned", userAssignedIdentities: { [KEY_ID]: {} } } },
    { label: "v2, the key's identity is the acting one in other case: listed once", args: { createPipeline: BATCH, managedIdentities: { userAssignedResourceIds: [UAI] }, customerManagedKey: { ...CMK, userAssignedIdentityResourceId: UAI.toUpperCase() } }, acting: { kind: "UserAssigned", resourceId: UAI }, identity: { type: "UserAssigned", userAssignedIdentities: { [UAI]: {} } } },
    { label: "v1 keeps the system identity and attaches the id", args: { createPipeline: V1, managedIdentities: { userAssignedResourceIds: [UAI] } }, acting: { kind: "SystemAssigned" }, identity: { type: "SystemAssigned,UserAssigned", userAssignedIdentities: { [UAI]: {} } } },
  ];
  for (const c of cases) {
    it(c.label, () => {
      const args = { events: undefined as never, ...c.args } as DriftRetrainTriggerArgs;
      assert.deepStrictEqual(factoryActingIdentity(args), c.acting);
      assert.deepStrictEqual(factoryIdentityMap(args), c.identity);
    });
  }
});

describe("retraining: DriftRetrainTrigger's factory acts as a user-assigned identity (mocks)", () => {
  it("system only: no credential, MSI Web activities, the workspace role to the factory's own principal", async () => {
    trigger("fid-sys", {});
    const rs = await registered("fid-sys");
    const factory = one(rs, "fid-sys-adf");
    assert.deepStrictEqual(factory.inputs.identity, { type: "SystemAssigned" });
    assert.deepStrictEqual(ofType(rs, "azure-native:datafactory:CredentialOperation"), []);
    assert.deepStrictEqual(webAuths(one(rs, "fid-sys-pipeline")), [{ type: "MSI", resource: BATCH_ENDPOINT_AUDIENCE }, { type: "MSI", resource: ARM_JOB_AUDIENCE }]);
    const system = (factory.state.identity as { principalId: string }).principalId;
    assert.match(system, /^[0-9a-f-]{36}$/);
    assert.strictEqual(one(rs, "fid-sys-adf-aml").inputs.principalId, system);
  });

  it("user-assigned only: no system identity, a credential naming the id, both Web activities through it, every grant to its principal", async () => {
    const t = trigger("fid-ua", { managedIdentities: { userAssignedResourceIds: [UAI] }, lock: { kind: "CanNotDelete" } });
    const rs = await registered("fid-ua");
    assert.deepStrictEqual(one(rs, "fid-ua-adf").inputs.identity, { type: "UserAssigned", userAssignedIdentities: { [UAI]: {} } });
    const credential = one(rs, "fid-ua-adf-credential");
    assert.strictEqual(credential.type, "azure-native:datafactory:CredentialOperation");
    assert.strictEqual(credential.inputs.credentialName, FACTORY_CREDENTIAL_NAME);
    assert.deepStrictEqual({ ...(credential.inputs.properties as object), description: undefined }, { type: "ManagedIdentity", description: undefined, resourceId: UAI });
    assert.match(String(credential.id), /\/providers\/Microsoft\.DataFactory\/factories\/[^/]+\/credentials\/retrain-acting-identity$/);
    assert.strictEqual(t.credential !== undefined, true);
    const pipeline = one(rs, "fid-ua-pipeline");
    assert.deepStrictEqual(webAuths(pipeline), [uaAuth(BATCH_ENDPOINT_AUDIENCE), uaAuth(ARM_JOB_AUDIENCE)]);
    assert.ok(pipeline.dependencies.includes(credential.urn), "the pipeline references the credential: it is created first");
    assert.ok(one(rs, "fid-ua-lock").dependencies.includes(credential.urn), "the lock on the factory goes before its credential at destroy time");
    // The invoker role on the workspace and the Logic App's runner role both go to the user-assigned principal.
    assert.strictEqual(one(rs, "fid-ua-adf-aml").inputs.principalId, principalOf(UAI));
    assert.strictEqual(one(rs, "fid-ua-adf-contributor").inputs.principalId, principalOf(UAI));
  });

  it("the offline plan's batch call shows the acting identity: the credential for a user-assigned one, MSI for the system one", async () => {
    trigger("fid-plan", { managedIdentities: { userAssignedResourceIds: [UAI] } });
    trigger("fid-plan2", {});
    const callOf = (rs: MockedResource[]) => {
      const pipeline = ofType(rs, "azure-native:datafactory:Pipeline")[0];
      const body = Object.fromEntries(Object.keys(pipeline.inputs.parameters as object).map((p) => [p, `value-of-${p}`]));
      return batchCallOf({ method: "POST", url: `https://management.azure.com/x/pipelines/${String(pipeline.inputs.pipelineName)}/createRun`, auth: "none", body }, rs);
    };
    assert.strictEqual(callOf(await registered("fid-plan"))?.auth, `UserAssignedManagedIdentity [credential ${FACTORY_CREDENTIAL_NAME}] (${BATCH_ENDPOINT_AUDIENCE})`);
    assert.strictEqual(callOf(await registered("fid-plan2"))?.auth, `MSI (${BATCH_ENDPOINT_AUDIENCE})`);
  });

  it("both: the v1 route keeps the system identity beside the id (its linked service has no credential) and grants the system principal", async () => {
    trigger("fid-v1", { createPipeline: V1, managedIdentities: { userAssignedResourceIds: [UAI] } });
    const rs = await registered("fid-v1");
    const factory = one(rs, "fid-v1-adf");
    assert.deepStrictEqual(factory.inputs.identity, { type: "SystemAssigned,UserAssigned", userAssignedIdentities: { [UAI]: {} } });
    assert.deepStrictEqual(ofType(rs, "azure-native:datafactory:CredentialOperation"), []);
    assert.strictEqual((one(rs, "fid-v1-aml").inputs.properties as { authentication: string }).authentication, "MSI");
    const grant = one(rs, "fid-v1-adf-aml").inputs.principalId;
    assert.strictEqual(grant, (factory.state.identity as { principalId: string }).principalId);
    assert.notStrictEqual(grant, principalOf(UAI));
    assert.strictEqual(one(rs, "fid-v1-adf-contributor").inputs.principalId, principalOf(UAI), "the Logic App still acts as the user-assigned identity");
  });

  it("a key identity that differs, in a managed virtual network: both ids on the factory, the key's for encryption, the acting one for the credential", async () => {
    trigger("fid-cmk", { managedIdentities: { userAssignedResourceIds: [UAI] }, customerManagedKey: CMK, managedVirtualNetwork: true, publicNetworkAccess: "Disabled" });
    const rs = await registered("fid-cmk");
    const factory = one(rs, "fid-cmk-adf");
    assert.deepStrictEqual(factory.inputs.identity, { type: "UserAssigned", userAssignedIdentities: { [UAI]: {}, [KEY_ID]: {} } });
    assert.deepStrictEqual((factory.inputs.encryption as { identity: unknown }).identity, { userAssignedIdentity: KEY_ID });
    assert.strictEqual((one(rs, "fid-cmk-adf-credential").inputs.properties as { resourceId: string }).resourceId, UAI);
    const pipeline = one(rs, "fid-cmk-pipeline");
    const runtime = one(rs, "fid-cmk-adf-runtime");
    assert.ok(pipeline.dependencies.includes(runtime.urn), "the pipeline still waits for the managed-network runtime");
    assert.strictEqual(one(rs, "fid-cmk-adf-aml").inputs.principalId, principalOf(UAI));
  });

  it("a mixed-case id acts as given (ARM ids are case-insensitive) and resolves to the same principal", async () => {
    const mixed = UAI.replace("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/", "/PROVIDERS/microsoft.managedidentity/UserAssignedIdentities/");
    trigger("fid-case", { managedIdentities: { userAssignedResourceIds: [mixed] } });
    const rs = await registered("fid-case");
    assert.strictEqual((one(rs, "fid-case-adf-credential").inputs.properties as { resourceId: string }).resourceId, mixed);
    assert.strictEqual(one(rs, "fid-case-adf-aml").inputs.principalId, principalOf(UAI));
  });

  it("an existing pipeline: no factory, so no credential; the Logic App still acts as the id", async () => {
    trigger("fid-ex", { createPipeline: undefined, existingPipeline: { factoryName: "adf-1", resourceGroupName: "rg-ml", pipelineName: "p" }, managedIdentities: { userAssignedResourceIds: [UAI] } });
    const rs = await registered("fid-ex");
    assert.deepStrictEqual(ofType(rs, "azure-native:datafactory:CredentialOperation"), []);
    assert.strictEqual(one(rs, "fid-ex-adf-contributor").inputs.principalId, principalOf(UAI));
  });
});

describe("retraining: the factory's identity, hostile and careless input", () => {
  const refused = (name: string, extra: Partial<DriftRetrainTriggerArgs>, ...patterns: RegExp[]) => {
    assert.throws(
      () => trigger(name, extra),
      (e: Error) => {
        for (const p of patterns) assert.match(e.message, p);
        return true;
      },
    );
  };

  it("systemAssigned: false on the v1 route: refused with the argument, the value, the reason with its source, and the fix", () => {
    refused(
      "fid-bad1",
      { createPipeline: V1, managedIdentities: { systemAssigned: false, userAssignedResourceIds: [UAI] } },
      /DriftRetrainTrigger\("fid-bad1"\): managedIdentities\.systemAssigned is false, but Microsoft\.DataFactory\/factories keeps its system-assigned identity/,
      /AzureMLService linked service authenticates as the factory's system-assigned identity/,
      /azure-native 3\.28 datafactory\.AzureMLServiceLinkedService/,
      /Use createPipeline\.batchEndpoint \(v2\)/,
    );
    assert.ok(V1_ROUTE_NEEDS_SYSTEM.includes("no credential reference"));
  });

  it("systemAssigned: false on the v2 route is accepted (the factory acts as the id) — and refused without any id", async () => {
    trigger("fid-ok", { managedIdentities: { systemAssigned: false, userAssignedResourceIds: [UAI] } });
    assert.deepStrictEqual(one(await registered("fid-ok"), "fid-ok-adf").inputs.identity, { type: "UserAssigned", userAssignedIdentities: { [UAI]: {} } });
    refused("fid-bad2", { managedIdentities: { systemAssigned: false } }, /managedIdentities turns the system-assigned identity off and gives no user-assigned one/);
  });

  it("an id of the wrong resource type, a misspelt key, a string for the boolean", () => {
    refused("fid-bad3", { managedIdentities: { userAssignedResourceIds: [`${RG}/providers/Microsoft.Storage/storageAccounts/platform`] } }, /managedIdentities\.userAssignedResourceIds\[0\]/, /Microsoft\.ManagedIdentity\/userAssignedIdentities/);
    refused("fid-bad4", { managedIdentities: { userAssignedResourceId: [UAI] } as never }, /userAssignedResourceId/);
    refused("fid-bad5", { managedIdentities: { systemAssigned: "false" } as never }, /systemAssigned/);
  });

  it("two ids, or both identities: refused by the Logic App that shares managedIdentities (Consumption: one identity)", () => {
    refused("fid-bad6", { managedIdentities: { userAssignedResourceIds: [UAI, UAI2] } }, /userAssignedResourceIds has 2 ids; Microsoft\.Logic\/workflows takes at most 1/);
    refused("fid-bad7", { managedIdentities: { systemAssigned: true, userAssignedResourceIds: [UAI] } }, /Azure refuses/);
    refused("fid-bad8", { managedIdentities: { userAssignedResourceIds: [UAI, UAI.toUpperCase()] } }, /listed twice/);
  });
});
