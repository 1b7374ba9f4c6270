/**
 * A small program for comparing plans, in variants that each differ from `base` in ONE way: a
 * subscription filter narrowed, an alert rule added, a recipient removed, a role widened, a
 * subscription deleted, a policy violation introduced (a hand-written webhook subscription over plain
 * HTTP). `program.ts` runs it with the variant from stack config; `planVariants.ts` plans many in one process.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import { WebhookDestination } from "../../lib/destinations/webhook";
import { AmlEventType, SAMPLE_WORKSPACE_ID } from "../../lib/events";
import { EmailAlerts } from "../../lib/notifications";
import { BuiltInRole } from "../../lib/rbac/roles";
import { WorkspaceEvents } from "../../lib/workspace";

/** The variants, `base` first. */
export const VARIANTS = ["base", "filter-narrowed", "rule-added", "recipient-removed", "role-widened", "subscription-deleted", "violation-introduced"] as const;
/** One of {@link VARIANTS}. */
export type Variant = (typeof VARIANTS)[number];

const ACCOUNT = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml-platform/providers/Microsoft.Storage/storageAccounts/streviewdata";

/** Declares the program's resources for `variant`. */
export function declareReviewFixture(variant: Variant): Record<string, unknown> {
  const events = new WorkspaceEvents("rv", { workspaceId: SAMPLE_WORKSPACE_ID, resourceGroupName: "rg-ml-platform", location: "westeurope" });
  const alerts = new EmailAlerts("rv-mail", {
    events,
    recipients: variant === "recipient-removed" ? ["ml-oncall@contoso.com"] : ["ml-oncall@contoso.com", "ml-lead@contoso.com"],
    alerts: [
      { eventType: AmlEventType.RunStatusChanged, runStatuses: variant === "filter-narrowed" ? ["failed"] : ["failed", "canceled"] },
      { eventType: AmlEventType.ModelRegistered, recipients: ["model-review@contoso.com"] },
      ...(variant === "rule-added" ? [{ eventType: AmlEventType.RunCompleted, recipients: ["run-watch@contoso.com"] }] : []),
    ],
  });
  if (variant !== "subscription-deleted") {
    events.subscribe("oncall-hook", { destination: new WebhookDestination({ endpointUrl: "https://hooks.contoso.com/aml" }), filter: { includedEventTypes: [AmlEventType.ModelRegistered] } });
  }
  // The workflow's identity reads one container of a data account (the whole account when widened).
  new authorization.RoleAssignment("rv-reader", {
    principalId: alerts.principalId,
    principalType: "ServicePrincipal",
    roleDefinitionId: `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${BuiltInRole.StorageBlobDataContributor}`,
    scope: variant === "role-widened" ? ACCOUNT : `${ACCOUNT}/blobServices/default/containers/reports`,
  });
  if (variant === "violation-introduced") {
    // Written by hand past the components' checks: a webhook over plain HTTP.
    new eventgrid.SystemTopicEventSubscription("rv-raw-hook", {
      eventSubscriptionName: "raw-hook",
      systemTopicName: events.systemTopicName,
      resourceGroupName: "rg-ml-platform",
      destination: { endpointType: "WebHook", endpointUrl: "http://hooks.contoso.com/raw" },
      filter: { includedEventTypes: [AmlEventType.ModelDeployed] },
    });
  }
  return { workflowId: alerts.workflowId };
}
