/**
 * The `waf-aligned` profile: the secure configuration of the Well-Architected Framework and Azure
 * Verified Modules — no public network access wherever Azure lets it be turned off, diagnostics of every
 * resource to the platform's Log Analytics workspace, a lock on the system topic, tags on everything.
 * What this profile cannot turn off, and why, is listed in examples/profiles/README.md. Preview it with
 * the pack's `waf-aligned` config, which makes the profile policies mandatory:
 *
 *   pulumi preview --policy-pack node_modules/aml-event-workflows/policy \
 *     --policy-pack-config node_modules/aml-event-workflows/policy/config/waf-aligned.json
 *
 * Like an Azure Verified Module, the components create none of the dependencies of these interfaces:
 * the Log Analytics workspace, the virtual network's subnets, the private DNS zones, the Key Vault key
 * and the user-assigned identity that reads it are the platform team's, by ARM id (config keys below;
 * the defaults are sample ids in the profile's resource group).
 */
import { AmlEventType, MlEventWorkflows, MODEL_MONITOR_BREACH_ALERT } from "aml-event-workflows";
import { existingId, profileSettings, publishEndpoints } from "../settings";

const settings = profileSettings();
const group = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${settings.resourceGroupName}`;
/** The platform's Log Analytics workspace. Default: a sample id in the profile's resource group. */
const logAnalyticsWorkspaceId = existingId("logAnalyticsWorkspaceId", `${group}/providers/Microsoft.OperationalInsights/workspaces/log-ml-platform`);
/** Subnet of the private endpoints. */
const endpointSubnet = existingId("privateEndpointSubnetId", `${group}/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-private-endpoints`);
/** Subnet delegated to Microsoft.App/environments for the deployer's VNet integration (Flex Consumption). */
const appSubnet = existingId("appSubnetId", `${group}/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-functions`);
/** The Key Vault holding the customer-managed key, and the identity (Key Vault Crypto Service Encryption User on the key) that reads it. */
const customerManagedKey = {
  keyVaultResourceId: existingId("keyVaultId", `${group}/providers/Microsoft.KeyVault/vaults/kv-ml-platform`),
  keyName: existingId("keyName", "cmk-ml-platform"),
  userAssignedIdentityResourceId: existingId("keyIdentityId", `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ml-cmk`),
};
/** A private endpoint on `service` with its private DNS zone (the platform's zones, by id). */
const endpoint = (service: string, zone: string) => ({ subnetResourceId: endpointSubnet, service, privateDnsZoneResourceIds: [`${group}/providers/Microsoft.Network/privateDnsZones/${zone}`] });
const tags = { workload: "ml-platform", profile: "waf-aligned", managedBy: "pulumi" };

const workflows = new MlEventWorkflows("waf", {
  workspaceId: settings.workspaceId,
  resourceGroupName: settings.resourceGroupName,
  location: settings.location,
  tags,
  lock: { kind: "CanNotDelete" },
  // The dead-letter storage: private, trusted services (Event Grid's identity) still write to it.
  publicNetworkAccess: "Disabled",
  privateEndpoints: [endpoint("blob", "privatelink.blob.core.windows.net")],
  customerManagedKey,
  email: {
    recipients: ["ml-oncall@contoso.com"],
    alerts: [{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] }, MODEL_MONITOR_BREACH_ALERT],
  },
  retrain: {
    modelMonitor: { monitorNames: ["credit-default-monitor"] },
    coolDownHours: 6,
    retrainedModel: { name: "credit-default", tags: { type: "classification" } },
    publicNetworkAccess: "Disabled",
    privateEndpoints: [endpoint("dataFactory", "privatelink.datafactory.azure.net")],
    customerManagedKey,
    managedVirtualNetwork: true,
    createPipeline: {
      batchEndpoint: { endpointName: "retrain-credit-default", region: settings.location, experimentName: "retrain-on-breach" },
    },
  },
  deployer: {
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
  },
  streaming: {
    includedEventTypes: [AmlEventType.ModelRegistered, AmlEventType.ModelDeployed, AmlEventType.RunStatusChanged],
    publicNetworkAccess: "Disabled",
    privateEndpoints: [endpoint("namespace", "privatelink.servicebus.windows.net")],
  },
  monitoring: { recipients: ["ml-platform-ops@contoso.com"], logAnalytics: { workspaceId: logAnalyticsWorkspaceId } },
});

export const outputs = workflows.outputs;
