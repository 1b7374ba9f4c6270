import * as assert from "assert";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as pulumi from "@pulumi/pulumi";
import { MlEventWorkflows } from "../../lib/composite";
import { DeployRule, ModelDeployer } from "../../lib/deployment";
import { EmailAlerts } from "../../lib/notifications";
import { Observability } from "../../lib/observability";
import { DriftRetrainTrigger } from "../../lib/retraining";
import { EventHubStream } from "../../lib/streaming";
import { WorkspaceEvents } from "../../lib/workspace";
import { capturingWarnings, registered, workspaceId } from "../helpers/pulumi";
import { IDENTITY, SUBNET, VAULT, zone } from "./fixtures";

const PACKAGE = join(mkdtempSync(join(tmpdir(), "net-pkg-")), "function-app.zip");
writeFileSync(PACKAGE, "PK\u0005\u0006" + "\u0000".repeat(18));
const RULES: DeployRule[] = [{ models: ["churn"], tags: { stage: ["production"] }, endpointName: "ep-churn" }];
const place = { resourceGroupName: "rg-ml", location: "westeurope" };
const KEY = { keyVaultResourceId: VAULT, keyName: "cmk-ml", userAssignedIdentityResourceId: IDENTITY };
const APP_SUBNET = SUBNET.replace("snet-pe", "snet-app");
const BATCH = { invocationUrl: "https://retrain-ep.westeurope.inference.ml.azure.com/jobs" };

type Found = Awaited<ReturnType<typeof registered>>;
const ofType = (rs: Found, type: string) => rs.filter((r) => r.type === type);
const one = (rs: Found, type: string) => {
  const found = ofType(rs, type);
  assert.strictEqual(found.length, 1, `one ${type}, got ${found.length}`);
  return found[0].inputs as Record<string, unknown>;
};
const events = (name: string, extra: Partial<ConstructorParameters<typeof WorkspaceEvents>[1]> = {}) => new WorkspaceEvents(name, { workspaceId: workspaceId(name), ...place, ...extra });
/** Asserts the constructor throws a ResourceError whose message contains every fragment. */
function refuses(make: () => unknown, ...fragments: string[]): void {
  assert.throws(make, (e: Error) => {
    assert.ok(e instanceof pulumi.ResourceError, `a ResourceError, got ${e}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message should contain ${JSON.stringify(f)}:\n${e.message}`);
    return true;
  });
}
/** The one private endpoint named `name`: its subnet, target and group id. */
function endpoint(rs: Found, name: string): { subnet: unknown; target: unknown; groupIds: unknown; privateEndpointName: unknown } {
  const pe = rs.find((r) => r.type === "azure-native:network:PrivateEndpoint" && r.name === name);
  assert.ok(pe, `private endpoint ${name} among ${rs.map((r) => r.name).join(", ")}`);
  const conn = (pe.inputs.privateLinkServiceConnections as { privateLinkServiceId: string; groupIds: string[] }[])[0];
  return { subnet: { id: (pe.inputs.subnet as { id: string }).id }, target: conn.privateLinkServiceId, groupIds: conn.groupIds, privateEndpointName: pe.inputs.privateEndpointName };
}

describe("network isolation: WorkspaceEvents (dead-letter storage)", () => {
  it("leaves the defaults alone: no network rules, keys or endpoints", async () => {
    events("nwe0");
    const rs = await registered("nwe0");
    const account = one(rs, "azure-native:storage:StorageAccount");
    for (const key of ["publicNetworkAccess", "networkRuleSet", "encryption", "identity"]) assert.ok(!(key in account), `${key} unset by default`);
    assert.strictEqual(ofType(rs, "azure-native:network:PrivateEndpoint").length, 0);
  });

  it("puts a blob endpoint (with its DNS zone) on the dead-letter account, closes its public endpoint but keeps trusted services, and encrypts it with the key", async () => {
    events("nwe1", { tags: { env: "prod" }, privateEndpoints: [{ subnetResourceId: SUBNET, privateDnsZoneResourceIds: [zone("privatelink.blob.core.windows.net")], tags: { tier: "net" } }], customerManagedKey: KEY });
    const rs = await registered("nwe1");
    const account = ofType(rs, "azure-native:storage:StorageAccount")[0];
    assert.strictEqual(account.inputs.publicNetworkAccess, "Disabled");
    assert.deepStrictEqual(account.inputs.networkRuleSet, { defaultAction: "Deny", bypass: "AzureServices" });
    assert.deepStrictEqual(account.inputs.identity, { type: "UserAssigned", userAssignedIdentities: [IDENTITY] });
    assert.strictEqual((account.inputs.encryption as { keySource: string }).keySource, "Microsoft.Keyvault");
    assert.deepStrictEqual(endpoint(rs, "nwe1-pe-blob"), { subnet: { id: SUBNET }, target: account.id, groupIds: ["blob"], privateEndpointName: "nwe1-pe-blob" });
    assert.deepStrictEqual(one(rs, "azure-native:network:PrivateEndpoint").tags, { env: "prod", tier: "net" });
    const dns = one(rs, "azure-native:network:PrivateDnsZoneGroup");
    assert.deepStrictEqual(dns.privateDnsZoneConfigs, [{ name: "privatelink-blob-core-windows-net", privateDnsZoneId: zone("privatelink.blob.core.windows.net") }]);
    // Dead-lettering still goes through the topic's system identity (the only one a storage firewall admits).
    const sub = events("nwe1b", { publicNetworkAccess: "Disabled" });
    assert.strictEqual(sub.subscriptions.length, 0);
  });

  it("refuses isolation arguments when it creates no storage, and a lowercase value", () => {
    refuses(() => events("nwe2", { deadLetter: { mode: "none" }, privateEndpoints: [{ subnetResourceId: SUBNET }] }), 'WorkspaceEvents("nwe2"): privateEndpoints is not supported', 'deadLetter is not { mode: "create" }');
    refuses(() => events("nwe3", { publicNetworkAccess: "disabled" as never }), 'publicNetworkAccess "disabled"', 'write "Disabled"');
    refuses(() => events("nwe4", { privateEndpoints: [{ subnetResourceId: SUBNET, service: "queue" }] }), 'service "queue" is not a private-link sub-resource', '"blob" (the dead-letter storage account)');
    // A firewalled account admits Event Grid's system-assigned identity only: a user-assigned one would lose every dead letter.
    refuses(() => events("nwe5", { managedIdentities: { userAssignedResourceIds: [IDENTITY] }, publicNetworkAccess: "Disabled" }), "only with the topic's system-assigned identity", "Drop managedIdentities.userAssignedResourceIds");
  });
});

describe("network isolation: EventHubStream", () => {
  it("closes the namespace with trusted-service access on (Event Grid still delivers) and adds a namespace endpoint", async () => {
    new EventHubStream("nhs1", { workspace: { workspaceId: workspaceId("nhs1"), ...place }, privateEndpoints: [{ subnetResourceId: SUBNET, privateDnsZoneResourceIds: [zone("privatelink.servicebus.windows.net")] }] });
    const rs = await registered("nhs1");
    const ns = ofType(rs, "azure-native:eventhub:Namespace")[0];
    assert.strictEqual(ns.inputs.publicNetworkAccess, "Disabled");
    assert.deepStrictEqual(one(rs, "azure-native:eventhub:NamespaceNetworkRuleSet"), {
      resourceGroupName: "rg-ml",
      namespaceName: ns.inputs.namespaceName,
      publicNetworkAccess: "Disabled",
      defaultAction: "Deny",
      trustedServiceAccessEnabled: true,
    });
    assert.deepStrictEqual(endpoint(rs, "nhs1-pe-namespace"), { subnet: { id: SUBNET }, target: ns.id, groupIds: ["namespace"], privateEndpointName: "nhs1-pe-namespace" });
  });

  it("keeps the defaults, and refuses a key (Standard tier) and isolation of a hub it doesn't create", async () => {
    new EventHubStream("nhs2", { workspace: { workspaceId: workspaceId("nhs2"), ...place } });
    const rs = await registered("nhs2");
    assert.notStrictEqual(one(rs, "azure-native:eventhub:Namespace").publicNetworkAccess, "Disabled");
    assert.strictEqual(ofType(rs, "azure-native:eventhub:NamespaceNetworkRuleSet").length, 0);
    refuses(() => new EventHubStream("nhs3", { workspace: { workspaceId: workspaceId("nhs3"), ...place }, customerManagedKey: KEY }), 'EventHubStream("nhs3"): customerManagedKey is not supported', "Premium and Dedicated", "existingEventHubId");
    const hub = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.EventHub/namespaces/ns1/eventhubs/h";
    refuses(() => new EventHubStream("nhs4", { workspace: { workspaceId: workspaceId("nhs4"), ...place }, existingEventHubId: hub, publicNetworkAccess: "Disabled" }), "is not supported here", "trusted Microsoft services");
    // Behind the namespace firewall Event Grid is admitted with the topic's system identity only.
    refuses(
      () => new EventHubStream("nhs6", { workspace: { workspaceId: workspaceId("nhs6"), ...place }, managedIdentities: { userAssignedResourceIds: [IDENTITY] }, publicNetworkAccess: "Disabled" }),
      'EventHubStream("nhs6"): the Event Hubs namespace is private, but the events component delivers with a user-assigned identity',
    );
    refuses(() => new EventHubStream("nhs5", { workspace: { workspaceId: workspaceId("nhs5"), ...place }, privateEndpoints: [{ subnetResourceId: SUBNET }], publicNetworkAccess: "Enabled" }), 'privateEndpoints is set while publicNetworkAccess is "Enabled"');
  });
});

describe("network isolation: ModelDeployer", () => {
  const deployer = (name: string, extra: Partial<ConstructorParameters<typeof ModelDeployer>[1]> = {}) => new ModelDeployer(name, { events: events(`ev-${name}`), rules: RULES, ...place, packagePath: PACKAGE, ...extra });

  it("joins the Flex app to its subnet, closes app and storage, and puts endpoints on the app and its blob, queue and table services", async () => {
    const { warnings } = await capturingWarnings(() =>
      deployer("nmd1", {
        virtualNetworkSubnetId: APP_SUBNET,
        privateEndpoints: ["sites", "blob", "queue", "table"].map((service) => ({ subnetResourceId: SUBNET, service })),
        customerManagedKey: KEY,
      }),
    );
    const rs = await registered("nmd1");
    const app = ofType(rs, "azure-native:web:WebApp")[0];
    const account = ofType(rs, "azure-native:storage:StorageAccount")[0];
    assert.strictEqual(app.inputs.virtualNetworkSubnetId, APP_SUBNET);
    assert.strictEqual(app.inputs.publicNetworkAccess, "Disabled");
    assert.strictEqual(account.inputs.publicNetworkAccess, "Disabled");
    assert.deepStrictEqual(account.inputs.networkRuleSet, { defaultAction: "Deny", bypass: "AzureServices" });
    assert.deepStrictEqual((account.inputs.encryption as { encryptionIdentity: unknown }).encryptionIdentity, { encryptionUserAssignedIdentity: IDENTITY });
    assert.deepStrictEqual(endpoint(rs, "nmd1-pe-sites"), { subnet: { id: SUBNET }, target: app.id, groupIds: ["sites"], privateEndpointName: "nmd1-pe-sites" });
    for (const service of ["blob", "queue", "table"]) assert.deepStrictEqual(endpoint(rs, `nmd1-pe-${service}`).target, account.id);
    // Monitoring follows only an explicit publicNetworkAccess (closing it needs a private link scope).
    assert.notStrictEqual(one(rs, "azure-native:applicationinsights:Component").publicNetworkAccessForIngestion, "Disabled");
    assert.ok(warnings.some((w) => w.includes("SCM site through a private endpoint")), warnings.join("\n"));
    assert.ok(warnings.some((w) => w.includes("not the Log Analytics workspace the deployer creates")), warnings.join("\n"));
  });

  it("closes Log Analytics and Application Insights too when publicNetworkAccess is explicit, and says what that needs", async () => {
    const { warnings } = await capturingWarnings(() => deployer("nmd2", { virtualNetworkSubnetId: APP_SUBNET, publicNetworkAccess: "Disabled" }));
    const rs = await registered("nmd2");
    for (const type of ["azure-native:applicationinsights:Component", "azure-native:operationalinsights:Workspace"]) {
      const r = one(rs, type);
      assert.strictEqual(r.publicNetworkAccessForIngestion, "Disabled");
      assert.strictEqual(r.publicNetworkAccessForQuery, "Disabled");
    }
    assert.ok(warnings.some((w) => w.includes("Azure Monitor Private Link Scope")), warnings.join("\n"));
  });

  it("keeps the defaults: no subnet, no network properties, no endpoints", async () => {
    deployer("nmd3");
    const rs = await registered("nmd3");
    const app = one(rs, "azure-native:web:WebApp");
    for (const key of ["virtualNetworkSubnetId", "publicNetworkAccess"]) assert.ok(!(key in app), key);
    const account = one(rs, "azure-native:storage:StorageAccount");
    for (const key of ["publicNetworkAccess", "networkRuleSet", "encryption", "identity"]) assert.ok(!(key in account), key);
    assert.strictEqual(ofType(rs, "azure-native:network:PrivateEndpoint").length, 0);
  });

  it("refuses private storage without VNet integration, and hostile or misspelt subnet ids and services", () => {
    refuses(() => deployer("nmd4", { publicNetworkAccess: "Disabled" }), "the Function App's storage is private", "Pass virtualNetworkSubnetId", "Microsoft.App/environments");
    refuses(() => deployer("nmd5", { privateEndpoints: [{ subnetResourceId: SUBNET, service: "blob" }] }), "storage is private");
    refuses(() => deployer("nmd6", { virtualNetworkSubnetId: `${SUBNET}/../../vnet2/subnets/x` }), "virtualNetworkSubnetId", "'..' segment");
    refuses(() => deployer("nmd7", { virtualNetworkSubnetId: SUBNET.replace("/subnets/snet-pe", "") }), "is not a Microsoft.Network/virtualNetworks/subnets id");
    refuses(() => deployer("nmd8", { privateEndpoints: [{ subnetResourceId: SUBNET, service: "dataFactory" }] }), 'service "dataFactory" is not a private-link sub-resource', '"sites"');
    refuses(() => deployer("nmd9", { virtualNetworkSubnetId: APP_SUBNET, customerManagedKey: { keyVaultResourceId: VAULT, keyName: "k" } as never }), "userAssignedIdentityResourceId is required");
    refuses(() => deployer("nmd10", { virtualNetworkSubnetID: APP_SUBNET } as never), "unknown argument 'virtualNetworkSubnetID'; did you mean 'virtualNetworkSubnetId'?");
    // The topic must reach the private queue with its system identity: a user-assigned one is never admitted.
    const uaEvents = events("ev-nmd11", { managedIdentities: { userAssignedResourceIds: [IDENTITY] } });
    assert.strictEqual(uaEvents.deliveryIdentityKind, "UserAssigned");
    refuses(
      () => new ModelDeployer("nmd11", { events: uaEvents, rules: RULES, ...place, packagePath: PACKAGE, virtualNetworkSubnetId: APP_SUBNET, publicNetworkAccess: "Disabled" }),
      'ModelDeployer("nmd11")',
      "the deployer's storage (its event queue) is private, but the events component delivers with a user-assigned identity",
    );
    assert.strictEqual(events("ev-nmd12").deliveryIdentityKind, "SystemAssigned");
  });
});

describe("network isolation: DriftRetrainTrigger (the created factory)", () => {
  it("gives the factory a managed virtual network with its default runtime inside, endpoints, a key and closed public access", async () => {
    new DriftRetrainTrigger("nrt1", {
      events: events("ev-nrt1"),
      createPipeline: { batchEndpoint: BATCH },
      managedVirtualNetwork: true,
      privateEndpoints: [{ subnetResourceId: SUBNET }, { subnetResourceId: SUBNET, service: "portal", privateDnsZoneResourceIds: [zone("privatelink.adf.azure.com")] }],
      customerManagedKey: KEY,
    });
    const rs = await registered("nrt1");
    const factory = ofType(rs, "azure-native:datafactory:Factory")[0];
    assert.strictEqual(factory.inputs.publicNetworkAccess, "Disabled");
    assert.deepStrictEqual(factory.inputs.identity, { type: "SystemAssigned,UserAssigned", userAssignedIdentities: { [IDENTITY]: {} } });
    assert.deepStrictEqual(factory.inputs.encryption, { vaultBaseUrl: "https://kv-ml-keys.vault.azure.net/", keyName: "cmk-ml", identity: { userAssignedIdentity: IDENTITY } });
    const vnet = one(rs, "azure-native:resources:Resource");
    assert.deepStrictEqual(
      { ns: vnet.resourceProviderNamespace, parent: vnet.parentResourcePath, type: vnet.resourceType, name: vnet.resourceName, api: vnet.apiVersion, props: vnet.properties },
      { ns: "Microsoft.DataFactory", parent: `factories/${factory.inputs.factoryName ?? factory.name}`, type: "managedVirtualNetworks", name: "default", api: "2018-06-01", props: {} },
    );
    const runtime = one(rs, "azure-native:datafactory:IntegrationRuntime");
    assert.strictEqual(runtime.integrationRuntimeName, "AutoResolveIntegrationRuntime");
    assert.deepStrictEqual(runtime.properties, {
      type: "Managed",
      description: "Default runtime in the factory's managed virtual network.",
      managedVirtualNetwork: { referenceName: "default", type: "ManagedVirtualNetworkReference" },
      computeProperties: { location: "AutoResolve" },
    });
    const pipeline = ofType(rs, "azure-native:datafactory:Pipeline")[0];
    assert.ok(pipeline.dependencies.some((u) => u.includes("nrt1-adf-runtime")), "the pipeline waits for the runtime");
    assert.deepStrictEqual(endpoint(rs, "nrt1-pe-dataFactory").groupIds, ["dataFactory"]);
    assert.deepStrictEqual(endpoint(rs, "nrt1-pe-portal").target, factory.id);
  });

  it("keeps the defaults, and refuses isolation of a factory it doesn't create and contradicting settings", async () => {
    new DriftRetrainTrigger("nrt2", { events: events("ev-nrt2"), createPipeline: { batchEndpoint: BATCH } });
    const rs = await registered("nrt2");
    const factory = one(rs, "azure-native:datafactory:Factory");
    assert.deepStrictEqual(factory.identity, { type: "SystemAssigned" });
    for (const key of ["publicNetworkAccess", "encryption"]) assert.ok(!(key in factory), key);
    assert.strictEqual(ofType(rs, "azure-native:datafactory:IntegrationRuntime").length, 0);
    const existingPipeline = { factoryId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataFactory/factories/f", pipelineName: "p" };
    refuses(() => new DriftRetrainTrigger("nrt3", { events: events("ev-nrt3"), existingPipeline, managedVirtualNetwork: true }), 'DriftRetrainTrigger("nrt3"): managedVirtualNetwork: existingPipeline is set');
    refuses(() => new DriftRetrainTrigger("nrt4", { events: events("ev-nrt4"), existingPipeline, privateEndpoints: [{ subnetResourceId: SUBNET }] }), "privateEndpoints is not supported", "creates no factory");
    refuses(() => new DriftRetrainTrigger("nrt5", { events: events("ev-nrt5"), createPipeline: { batchEndpoint: BATCH, publicNetworkAccess: "Enabled" }, publicNetworkAccess: "Disabled" }), "contradicts");
    refuses(() => new DriftRetrainTrigger("nrt6", { events: events("ev-nrt6"), createPipeline: { batchEndpoint: BATCH }, managedVirtualNetwork: "yes" as never }), 'managedVirtualNetwork "yes" must be true or false');
    refuses(() => new DriftRetrainTrigger("nrt7", { events: events("ev-nrt7"), createPipeline: { batchEndpoint: BATCH }, privateEndpoints: [{ subnetResourceId: SUBNET, service: "sites" }] }), 'service "sites"', '"dataFactory"', '"portal"');
  });
});

describe("network isolation: Observability, EmailAlerts, MlEventWorkflows", () => {
  const watch = { systemTopic: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.EventGrid/systemTopics/t" }, recipients: ["ops@contoso.com"], ...place };

  it("Observability closes its created Log Analytics workspace; refuses endpoints (private link scope) and keys (dedicated cluster)", async () => {
    new Observability("nob1", { ...watch, publicNetworkAccess: "Disabled" });
    const ws = one(await registered("nob1"), "azure-native:operationalinsights:Workspace");
    assert.strictEqual(ws.publicNetworkAccessForIngestion, "Disabled");
    assert.strictEqual(ws.publicNetworkAccessForQuery, "Disabled");
    refuses(() => new Observability("nob2", { ...watch, privateEndpoints: [{ subnetResourceId: SUBNET }] }), "Azure Monitor Private Link Scope");
    refuses(() => new Observability("nob3", { ...watch, customerManagedKey: KEY }), "dedicated cluster");
    refuses(() => new Observability("nob4", { ...watch, logAnalytics: { workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w" }, publicNetworkAccess: "Disabled" }), "creates no workspace");
  });

  it("EmailAlerts refuses every isolation argument with the reason (Consumption Logic App)", () => {
    refuses(() => new EmailAlerts("nea1", { events: events("ev-nea1"), recipients: ["ops@contoso.com"], privateEndpoints: [{ subnetResourceId: SUBNET }] }), 'EmailAlerts("nea1")', "Consumption Logic App", "can't deliver to private endpoints");
    refuses(() => new EmailAlerts("nea2", { events: events("ev-nea2"), recipients: ["ops@contoso.com"], publicNetworkAccess: "Disabled" }), "is not supported here");
  });

  it("MlEventWorkflows hands its own isolation arguments to its WorkspaceEvents and each capability's to that capability", async () => {
    new MlEventWorkflows("nml1", {
      workspaceId: workspaceId("nml1"),
      ...place,
      privateEndpoints: [{ subnetResourceId: SUBNET }],
      streaming: { publicNetworkAccess: "Disabled" },
    });
    const rs = await registered("nml1");
    assert.deepStrictEqual(endpoint(rs, "nml1-pe-blob").groupIds, ["blob"]);
    assert.strictEqual(ofType(rs, "azure-native:eventhub:Namespace")[0].inputs.publicNetworkAccess, "Disabled");
    assert.strictEqual(ofType(rs, "azure-native:eventhub:NamespaceNetworkRuleSet").length, 1);
    refuses(() => new MlEventWorkflows("nml2", { workspaceId: workspaceId("nml2"), ...place, streaming: { customerManagedKey: KEY } }), "Premium and Dedicated");
  });
});
