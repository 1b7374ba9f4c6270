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
 * the Log Analytics workspace is the platform team's, by ARM id.
 */
import { AmlEventType, MlEventWorkflows, MODEL_MONITOR_BREACH_ALERT } from "aml-event-workflows";
import { existingId, profileSettings, publishEndpoints } from "../settings";

const settings = profileSettings();
const group = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${settings.resourceGroupName}`;
/** The platform's Log Analytics workspace. Default: a sample id in the profile's resource group. */
const logAnalyticsWorkspaceId = existingId("logAnalyticsWorkspaceId", `${group}/providers/Microsoft.OperationalInsights/workspaces/log-ml-platform`);
const tags = { workload: "ml-platform", profile: "waf-aligned", managedBy: "pulumi" };

const workflows = new MlEventWorkflows("waf", {
  workspaceId: settings.workspaceId,
  resourceGroupName: settings.resourceGroupName,
  location: settings.location,
  tags,
  lock: { kind: "CanNotDelete" },
  email: {
    recipients: ["ml-oncall@contoso.com"],
    alerts: [{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] }, MODEL_MONITOR_BREACH_ALERT],
  },
  retrain: {
    modelMonitor: { monitorNames: ["credit-default-monitor"] },
    coolDownHours: 6,
    retrainedModel: { name: "credit-default", tags: { type: "classification" } },
    createPipeline: {
      publicNetworkAccess: "Disabled",
      batchEndpoint: { endpointName: "retrain-credit-default", region: settings.location, experimentName: "retrain-on-breach" },
    },
  },
  deployer: {
    rules: [{ models: ["credit-default"], tags: { type: ["classification"] }, endpointName: "contoso-credit-7m3q8" }],
    logAnalyticsWorkspaceId,
    ...publishEndpoints(settings),
  },
  streaming: { includedEventTypes: [AmlEventType.ModelRegistered, AmlEventType.ModelDeployed, AmlEventType.RunStatusChanged] },
  monitoring: { recipients: ["ml-platform-ops@contoso.com"], logAnalytics: { workspaceId: logAnalyticsWorkspaceId } },
});

export const outputs = workflows.outputs;
