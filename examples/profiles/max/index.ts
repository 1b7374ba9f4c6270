/**
 * The `max` profile: every option of every capability set, so one stack exercises each input the
 * components accept — the model monitor declared here and passed to the retraining, a subscription of
 * the platform team's own (plain data) on the same topic, custom delivery defaults, email templates,
 * deployer sizing, Event Hubs sizing, alert thresholds and timing, private endpoints (named, tagged, with
 * and without DNS zones), VNet integration, the factory's managed virtual network, a versioned
 * customer-managed key, a created Log Analytics workspace, a named lock and tags. Compare with
 * `defaults` (only required inputs) and `waf-aligned` (the secure configuration).
 */
import { AmlEventType, MlEventWorkflows, MODEL_MONITOR_BREACH_ALERT, ModelMonitor } from "aml-event-workflows";
import { existingId, profileSettings, publishEndpoints } from "../settings";

const settings = profileSettings();
const { workspaceId, location } = settings;
const group = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${settings.resourceGroupName}`;
/** The platform's Log Analytics workspace. Default: a sample id in the profile's resource group. */
const logAnalyticsWorkspaceId = existingId("logAnalyticsWorkspaceId", `${group}/providers/Microsoft.OperationalInsights/workspaces/log-ml-platform`);
/** A storage queue of the platform team's that receives registered models too. Default: a sample queue id. */
const auditQueueId = existingId("auditQueueId", `${group}/providers/Microsoft.Storage/storageAccounts/stmlaudit/queueServices/default/queues/model-audit`);
/** Subnets of the private endpoints and of the deployer's VNet integration. */
const endpointSubnet = existingId("privateEndpointSubnetId", `${group}/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-private-endpoints`);
const appSubnet = existingId("appSubnetId", `${group}/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-functions`);
/** The customer-managed key and the identity that reads it. */
const customerManagedKey = {
  keyVaultResourceId: existingId("keyVaultId", `${group}/providers/Microsoft.KeyVault/vaults/kv-ml-platform`),
  keyName: existingId("keyName", "cmk-ml-platform"),
  keyVersion: existingId("keyVersion", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
  userAssignedIdentityResourceId: existingId("keyIdentityId", `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ml-cmk`),
};
/** A reader group of the platform team's. */
const auditorsGroupId = existingId("auditorsGroupId", "3c5d7e9f-1a2b-4c3d-8e5f-6a7b8c9d0e1f");
/** A storage account that archives every resource's logs (the monitoring workspace gets them too). */
const archiveAccountId = existingId("archiveAccountId", `${group}/providers/Microsoft.Storage/storageAccounts/stmlarchive`);
const zone = (name: string): string => `${group}/providers/Microsoft.Network/privateDnsZones/${name}`;
const tags = { workload: "ml-platform", profile: "max", managedBy: "pulumi", costCenter: "ml-4711" };
const data = (name: string, version: number): string => `${workspaceId}/data/${name}/versions/${version}`;

const monitor = new ModelMonitor("credit-default-monitor", {
  workspaceId,
  taskType: "Classification",
  deploymentId: `${workspaceId}/onlineEndpoints/credit-default/deployments/main`,
  signals: {
    "data-drift-signal": {
      kind: "dataDrift",
      features: { top: 10 },
      productionData: { uri: data("credit-default-main-model_inputs", 1), type: "uri_folder", windowSize: "P7D" },
      referenceData: { uri: data("credit-reference", 1), type: "mltable", dataContext: "training", columns: { target_column: "DEFAULT_NEXT_MONTH" } },
    },
  },
  alertEmails: ["ml-oncall@contoso.com"],
});

const workflows = new MlEventWorkflows("max", {
  workspaceId,
  resourceGroupName: settings.resourceGroupName,
  location,
  tags,
  lock: { kind: "CanNotDelete", name: "max-topic-lock", notes: "Holds every subscription of the workspace." },
  diagnosticSettings: [{ name: "archive", storageAccountResourceId: archiveAccountId, logCategoriesAndGroups: [{ categoryGroup: "allLogs" }], metricCategories: [{ category: "AllMetrics" }] }],
  roleAssignments: [{ roleDefinitionIdOrName: "Reader", principalId: auditorsGroupId, principalType: "Group", description: "Platform auditors read the system topic." }],
  // No managedIdentities here: the topic would deliver with a user-assigned identity, which a private
  // dead-letter account refuses (see README.md); the waf-aligned profile shows them on the components.
  deadLetter: { mode: "create" },
  publicNetworkAccess: "Disabled",
  privateEndpoints: [{ subnetResourceId: endpointSubnet, service: "blob", name: "max-deadletter-blob", privateDnsZoneResourceIds: [zone("privatelink.blob.core.windows.net")], tags: { endpoint: "dead-letter" } }],
  customerManagedKey,
  defaults: { maxDeliveryAttempts: 10, eventTimeToLiveInMinutes: 720 },
  subscriptions: [
    {
      name: "model-audit-queue",
      destination: { storageQueue: { queueId: auditQueueId, queueMessageTimeToLiveInSeconds: 604800 } },
      includedEventTypes: [AmlEventType.ModelRegistered, AmlEventType.ModelDeployed],
    },
  ],
  email: {
    recipients: ["ml-oncall@contoso.com"],
    alerts: [
      { eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed", "canceled"] },
      MODEL_MONITOR_BREACH_ALERT,
      { eventType: AmlEventType.ModelRegistered, tags: { stage: ["production"] }, recipients: ["model-review@contoso.com"] },
    ],
    subjectTemplate: "[{workspaceName}] {eventTypeShort}: {subject}",
    email: { kind: "communicationServices", dataLocation: "Europe" },
    maxDeliveryAttempts: 20,
    eventTimeToLiveInMinutes: 1440,
  },
  retrain: {
    modelMonitor: { monitors: [monitor] },
    coolDownHours: 12,
    retrainedModel: { name: "credit-default", tags: { type: "classification", trigger: "model-monitor-breach" } },
    createPipeline: {
      publicNetworkAccess: "Disabled",
      batchEndpoint: { endpointName: "retrain-credit-default", region: location, experimentName: "retrain-on-breach", pollIntervalSeconds: 60, timeoutMinutes: 240 },
    },
    maxDeliveryAttempts: 10,
    eventTimeToLiveInMinutes: 1440,
    publicNetworkAccess: "Disabled",
    privateEndpoints: [
      { subnetResourceId: endpointSubnet, service: "dataFactory", privateDnsZoneResourceIds: [zone("privatelink.datafactory.azure.net")] },
      { subnetResourceId: endpointSubnet, service: "portal", privateDnsZoneResourceIds: [zone("privatelink.adf.azure.com")] },
    ],
    customerManagedKey,
    managedVirtualNetwork: true,
  },
  deployer: {
    rules: [
      { models: ["credit-default"], tags: { type: ["classification"] }, endpointName: "contoso-credit-7m3q8", instanceType: "Standard_DS3_v2", instanceCount: 2, trafficPercent: 100 },
      { models: ["sklearn_regression_model"], tags: { type: ["regression"] }, endpointName: "contoso-regression-4k9d2", instanceType: "Standard_DS3_v2", instanceCount: 1, trafficPercent: 50 },
    ],
    maximumInstanceCount: 40,
    instanceMemoryMB: 2048,
    nodeVersion: "20",
    subscriptionName: "max-deployer-models",
    logAnalyticsWorkspaceId,
    maxDeliveryAttempts: 10,
    eventTimeToLiveInMinutes: 1440,
    labels: ["model-deployer", "profile-max"],
    publicNetworkAccess: "Disabled",
    virtualNetworkSubnetId: appSubnet,
    privateEndpoints: ["sites", "blob", "queue", "table"].map((service) => ({ subnetResourceId: endpointSubnet, service })),
    customerManagedKey,
    ...publishEndpoints(settings),
  },
  streaming: {
    includedEventTypes: [AmlEventType.ModelRegistered, AmlEventType.ModelDeployed, AmlEventType.RunStatusChanged],
    eventHub: { eventHubName: "aml-events", capacity: 2, partitionCount: 4, retentionTimeInHours: 72 },
    subscriptionName: "max-stream",
    publicNetworkAccess: "Disabled",
    privateEndpoints: [{ subnetResourceId: endpointSubnet, service: "namespace", privateDnsZoneResourceIds: [zone("privatelink.servicebus.windows.net")] }],
  },
  monitoring: {
    recipients: ["ml-platform-ops@contoso.com"],
    publicNetworkAccess: "Disabled",
    thresholds: { deadlettered: 0, dropped: 0, deliveryfailed: 5, runsfailed: 0, pipelinefailed: 0 },
    alertTiming: { windowMinutes: 30, evaluationFrequencyMinutes: 5, severity: 1 },
  },
});

export const outputs = workflows.outputs;
export const monitorScheduleId = monitor.scheduleId;
