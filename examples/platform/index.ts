/**
 * The platform program (`Pulumi.yaml` runs it): one Azure Machine Learning workspace's events wired to
 * everything that should follow them — email alerts, retraining on model monitor breaches, tag-driven model
 * deployment and an Event Hubs stream — plus one subscription of the platform team's own, added to the
 * same system topic. Every setting comes from Pulumi config (namespace `platform`) with a documented
 * default, so `npm start` plans it offline and `pulumi up` deploys it for real:
 *
 *   pulumi config set platform:workspaceId /subscriptions/…/workspaces/mlw-platform
 *   pulumi config set platform:location westeurope
 *   pulumi config set --path 'platform:alertRecipients[0]' ml-oncall@contoso.com
 *   pulumi config set --secret platform:failureWebhookUrl https://hooks.contoso.com/aml/run-failed
 */
import * as pulumi from "@pulumi/pulumi";
import { AmlEventType, MlEventWorkflows, MODEL_MONITOR_BREACH_ALERT, runStatusIn, SAMPLE_WORKSPACE_ID, WebhookDestination } from "aml-event-workflows";

const config = new pulumi.Config("platform");
/** ARM id of the workspace. Default: the sample workspace the offline plan's events come from. */
const workspaceId = config.get("workspaceId") ?? SAMPLE_WORKSPACE_ID;
/** Resource group for everything created here. Default: the workspace's own group. */
const resourceGroupName = config.get("resourceGroupName") ?? /resourceGroups\/([^/]+)/i.exec(workspaceId)?.[1] ?? "rg-ml-platform";
/** The workspace's region. Default: westeurope. */
const location = config.get("location") ?? "westeurope";
/** Who hears about failed runs (monitor breaches included) and new models. Default: the on-call list. */
const alertRecipients = config.getObject<string[]>("alertRecipients") ?? ["ml-oncall@contoso.com"];
/** Who reviews registered production models. Default: the model-review list. */
const modelReviewers = config.getObject<string[]>("modelReviewers") ?? ["model-review@contoso.com"];
/** Batch endpoint (a pipeline component deployment) the retraining invokes, in the workspace's region. Default: retrain-credit-default. */
const retrainBatchEndpoint = config.get("retrainBatchEndpoint") ?? "retrain-credit-default";
/** The model monitor (v2) whose breaches retrain. Default: the sample monitor the offline plan's breach comes from. */
const modelMonitorName = config.get("modelMonitorName") ?? "credit-default-monitor";
// Who is told when events are dead-lettered or dropped, or a workflow or pipeline run fails.
const opsRecipients = config.getObject<string[]>("opsRecipients") ?? ["ml-platform-ops@contoso.com"];
// Bring a Log Analytics workspace by ARM id; unset creates one.
const logAnalyticsWorkspaceId = config.get("logAnalyticsWorkspaceId");
/**
 * HTTPS endpoint of the on-call tool told about failed runs. A webhook URL usually carries its key (a `code`,
 * `sig` or SAS in the query string), so it is read as a secret: set it with `pulumi config set --secret`, and
 * Pulumi keeps it encrypted in the stack file and the state. Default: unset — the subscription is skipped with a warning.
 */
const failureWebhookUrl = config.getSecret("failureWebhookUrl");
/** Azure Resource Manager endpoint the deployer's code publish calls. Default: public Azure (set it for a sovereign cloud). */
const armEndpoint = config.get("armEndpoint");
/** SCM (Kudu) base URL of the deployer's Function App. Default: read from the app's ARM record (set it for a private SCM endpoint). */
const scmUrl = config.get("scmUrl");
const tags = { workload: "ml-platform", managedBy: "pulumi" };

const platform = new MlEventWorkflows("platform", {
  workspaceId,
  resourceGroupName,
  location,
  tags,
  // Every subscription lives on the workspace's one system topic: keep it from being deleted by accident.
  lock: { kind: "CanNotDelete" },
  email: {
    recipients: alertRecipients,
    alerts: [
      { eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] },
      // Model monitor breaches: the signal and the features that breached.
      MODEL_MONITOR_BREACH_ALERT,
      // No mail for every finished run: at the estimate's 12 runs/hour that alone is over the Azure-managed
      // domain's 10 emails/hour. With a verified custom domain (email.domain) add { eventType: RunCompleted }.
      { eventType: AmlEventType.ModelRegistered, recipients: modelReviewers },
      { eventType: AmlEventType.ModelDeployed },
    ],
  },
  retrain: {
    // Model monitoring (v2) breaches of this monitor retrain, at most once per breach and once per signal every 6 hours.
    modelMonitor: { monitorNames: [modelMonitorName] },
    coolDownHours: 6,
    // The retraining registers this model; its tag is what the deployer's classification rule deploys (the loop).
    retrainedModel: { name: "credit-default", tags: { type: "classification", trigger: "model-monitor-breach" } },
    // Model monitoring v2 → Data Factory Web activity → the batch endpoint's pipeline job, polled to its end.
    createPipeline: { batchEndpoint: { endpointName: retrainBatchEndpoint, region: location, experimentName: "retrain-on-breach" } },
  },
  deployer: {
    // Registered regression models go to their endpoint; the sample ModelRegistered event carries `type: regression`.
    rules: [
      { models: ["sklearn_regression_model"], tags: { type: ["regression"] }, endpointName: "contoso-regression-4k9d2", instanceType: "Standard_DS3_v2", instanceCount: 2, trafficPercent: 100 },
      { models: ["credit-default"], tags: { type: ["classification"] }, endpointName: "contoso-credit-7m3q8", instanceType: "Standard_DS3_v2", instanceCount: 1, trafficPercent: 100 },
    ],
    ...(armEndpoint ? { armEndpoint } : {}),
    ...(scmUrl ? { scmUrl } : {}),
  },
  streaming: {},
  monitoring: {
    recipients: opsRecipients,
    ...(logAnalyticsWorkspaceId ? { logAnalytics: { workspaceId: logAnalyticsWorkspaceId } } : {}),
  },
});

// The platform team's own subscription on the same system topic: failed runs to the on-call tool. A
// webhook must answer Event Grid's validation handshake when the subscription is created, so without a
// real endpoint the subscription is skipped rather than failing `pulumi up`.
if (failureWebhookUrl !== undefined) {
  platform.events.subscribe("run-failed-oncall", {
    destination: new WebhookDestination({ endpointUrl: failureWebhookUrl, description: "on-call webhook" }),
    filter: runStatusIn("failed"),
    maxDeliveryAttempts: 10,
    eventTimeToLiveInMinutes: 120,
  });
} else {
  pulumi.log.warn(
    "platform:failureWebhookUrl is not set, so the on-call webhook subscription run-failed-oncall is skipped. " +
      "Set it with `pulumi config set --secret platform:failureWebhookUrl https://<your on-call endpoint>`.",
  );
}

export const outputs = platform.outputs;
