/**
 * The `waf-aligned` profile: the secure configuration of the Well-Architected Framework and Azure
 * Verified Modules — no public network access wherever Azure lets it be turned off (private endpoints
 * instead, with trusted-service access for Event Grid), customer-managed keys where Azure takes them,
 * user-assigned identities, diagnostics of every resource to the platform's Log Analytics workspace, a
 * lock on each component's main resource, tags on everything. What this profile cannot turn off, and
 * why, is listed in examples/profiles/README.md. Preview it with the pack's `waf-aligned` config, which
 * makes the profile policies mandatory:
 *
 *   pulumi preview --policy-pack node_modules/aml-event-workflows/policy \
 *     --policy-pack-config node_modules/aml-event-workflows/policy/config/waf-aligned.json
 *
 * Like an Azure Verified Module, the components create none of the dependencies of these interfaces:
 * the Log Analytics workspace, the virtual network's subnets, the private DNS zones, the Key Vault key
 * and the user-assigned identities are the platform team's, by ARM id (config keys below; the defaults
 * are sample ids in the profile's resource group). The key's identity must already hold "Key Vault
 * Crypto Service Encryption User" on the key; whoever deploys needs Managed Identity Operator on the
 * workload identity (the factory's credential names it: docs/avm-interfaces.md).
 */
import { AmlEventType, DriftRetrainTrigger, EmailAlerts, EventHubStream, MODEL_MONITOR_BREACH_ALERT, ModelDeployer, WorkspaceEvents } from "aml-event-workflows";
import { existingId, profileSettings, publishEndpoints } from "../settings";

const settings = profileSettings();
const { resourceGroupName, location } = settings;
const group = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${resourceGroupName}`;
/** The platform's Log Analytics workspace: every resource's diagnostics go there. */
const logAnalyticsWorkspaceId = existingId("logAnalyticsWorkspaceId", `${group}/providers/Microsoft.OperationalInsights/workspaces/log-ml-platform`);
/** Subnet of the private endpoints. */
const endpointSubnet = existingId("privateEndpointSubnetId", `${group}/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-private-endpoints`);
/** Subnet delegated to Microsoft.App/environments for the deployer's VNet integration (Flex Consumption). */
const appSubnet = existingId("appSubnetId", `${group}/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-functions`);
/** The identity the Logic Apps, the retraining factory (through a factory credential) and the deployer act as. */
const workloadIdentity = existingId("workloadIdentityId", `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ml-workload`);
/** The customer-managed key and the identity that reads it. */
const customerManagedKey = {
  keyVaultResourceId: existingId("keyVaultId", `${group}/providers/Microsoft.KeyVault/vaults/kv-ml-platform`),
  keyName: existingId("keyName", "cmk-ml-platform"),
  userAssignedIdentityResourceId: existingId("keyIdentityId", `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ml-cmk`),
};
/** A private endpoint on `service`, registered in the platform's private DNS zone `zone`. */
const endpoint = (service: string, zone: string) => ({ subnetResourceId: endpointSubnet, service, privateDnsZoneResourceIds: [`${group}/providers/Microsoft.Network/privateDnsZones/${zone}`] });
const tags = { workload: "ml-platform", profile: "waf-aligned", managedBy: "pulumi" };
/** The interfaces every component takes the same way: tags, a lock, diagnostics of everything it creates. */
const common = { tags, lock: { kind: "CanNotDelete" as const }, diagnosticSettings: [{ workspaceResourceId: logAnalyticsWorkspaceId, logAnalyticsDestinationType: "Dedicated" as const }] };
const actAs = { managedIdentities: { userAssignedResourceIds: [workloadIdentity] } };

// The retraining factory (batch-endpoint route) acts as the workload identity, with no system identity:
// its Web activities authenticate through a factory credential, and the invoker role goes to that identity.
// The topic delivers and dead-letters with its SYSTEM-assigned identity: a firewalled storage account
// admits Event Grid through the trusted-services exception with that identity only (see the README).
const events = new WorkspaceEvents("waf", {
  workspaceId: settings.workspaceId,
  resourceGroupName,
  location,
  ...common,
  publicNetworkAccess: "Disabled",
  privateEndpoints: [endpoint("blob", "privatelink.blob.core.windows.net")],
  customerManagedKey,
});

new EmailAlerts("waf-email", {
  events,
  recipients: ["ml-oncall@contoso.com"],
  alerts: [{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] }, MODEL_MONITOR_BREACH_ALERT],
  ...common,
  ...actAs,
});

new DriftRetrainTrigger("waf-retrain", {
  events,
  modelMonitor: { monitorNames: ["credit-default-monitor"] },
  coolDownHours: 6,
  retrainedModel: { name: "credit-default", tags: { type: "classification" } },
  createPipeline: { batchEndpoint: { endpointName: "retrain-credit-default", region: location, experimentName: "retrain-on-breach" } },
  publicNetworkAccess: "Disabled",
  privateEndpoints: [endpoint("dataFactory", "privatelink.datafactory.azure.net")],
  customerManagedKey,
  managedVirtualNetwork: true,
  ...common,
  ...actAs,
});

new ModelDeployer("waf-deployer", {
  events,
  resourceGroupName,
  location,
  rules: [{ models: ["credit-default"], tags: { type: ["classification"] }, endpointName: "contoso-credit-7m3q8" }],
  logAnalyticsWorkspaceId,
  publicNetworkAccess: "Disabled",
  virtualNetworkSubnetId: appSubnet,
  privateEndpoints: [
    endpoint("sites", "privatelink.azurewebsites.net"),
    endpoint("blob", "privatelink.blob.core.windows.net"),
    endpoint("queue", "privatelink.queue.core.windows.net"),
    endpoint("table", "privatelink.table.core.windows.net"),
  ],
  customerManagedKey,
  ...publishEndpoints(settings),
  ...common,
  ...actAs,
});

// Standard Event Hubs takes no customer-managed key (Premium and Dedicated only): see the README.
new EventHubStream("waf-stream", {
  events,
  includedEventTypes: [AmlEventType.ModelRegistered, AmlEventType.ModelDeployed],
  publicNetworkAccess: "Disabled",
  privateEndpoints: [endpoint("namespace", "privatelink.servicebus.windows.net")],
  ...common,
});

export const systemTopicId = events.systemTopicId;
