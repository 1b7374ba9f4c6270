/**
 * The platform program (`Pulumi.yaml` runs it): one Azure Machine Learning workspace's events wired to
 * the work that should follow them. Every setting comes from Pulumi config (namespace `platform`) with
 * a documented default, so `npm start` can plan it offline and `pulumi up` can deploy it for real.
 *
 *   pulumi config set platform:workspaceId /subscriptions/…/workspaces/mlw-platform
 *   pulumi config set platform:resourceGroupName rg-ml-platform
 *   pulumi config set platform:location westeurope
 *   pulumi config set platform:failureWebhookUrl https://hooks.contoso.com/aml/run-failed
 */
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { AmlEventType, SAMPLE_WORKSPACE_ID } from "../../lib/events";
import { runStatusIn } from "../../lib/filters";
import { StorageQueueDestination, WebhookDestination } from "../../lib/destinations";
import { EventHubStream } from "../../lib/streaming";
import { WorkspaceEvents } from "../../lib/workspace";

const config = new pulumi.Config("platform");
/** ARM id of the workspace. Default: the sample workspace of the offline plan. */
const workspaceId = config.get("workspaceId") ?? SAMPLE_WORKSPACE_ID;
/** Resource group for everything this program creates. Default: the workspace's group. */
const resourceGroupName = config.get("resourceGroupName") ?? (/resourceGroups\/([^/]+)/i.exec(workspaceId)?.[1] ?? "rg-ml-platform");
/** Region of the workspace. Default: westeurope. */
const location = config.get("location") ?? "westeurope";
/** HTTPS endpoint told about failed runs. Default: a placeholder you must replace before `pulumi up`. */
const failureWebhookUrl = config.get("failureWebhookUrl") ?? "https://hooks.contoso.com/aml/run-failed";
const tags = { workload: "ml-platform", managedBy: "pulumi" };

const events = new WorkspaceEvents("platform", { workspaceId, resourceGroupName, location, tags });

// Every AML event, streamed to Event Hubs for analytics (identity delivery, Data Sender on the hub only).
const stream = new EventHubStream("platform-stream", { events, tags });

// Failed runs go to the on-call webhook.
events.subscribe("run-failed-webhook", {
  destination: new WebhookDestination({ endpointUrl: failureWebhookUrl, description: "on-call webhook" }),
  filter: runStatusIn("failed"),
  maxDeliveryAttempts: 10,
  eventTimeToLiveInMinutes: 120,
});

// Model registrations are queued for the model-review job.
const reviewAccount = new storage.StorageAccount("platform-review", {
  resourceGroupName,
  location,
  kind: "StorageV2",
  sku: { name: "Standard_LRS" },
  enableHttpsTrafficOnly: true,
  minimumTlsVersion: "TLS1_2",
  allowBlobPublicAccess: false,
  allowSharedKeyAccess: false,
  tags,
});
const reviewQueue = new storage.Queue("platform-review", { resourceGroupName, accountName: reviewAccount.name, queueName: "model-review" });
events.subscribe("model-registered-queue", {
  destination: new StorageQueueDestination({ queueId: reviewQueue.id }),
  filter: { includedEventTypes: [AmlEventType.ModelRegistered] },
});

export const systemTopicName = events.systemTopicName;
export const eventHubId = stream.eventHubId;
export const subscriptions = events.subscriptions.map((s) => s.name);
