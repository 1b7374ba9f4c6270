/**
 * Email alerts only: a workspace's system topic and one Logic App that mails each team what concerns
 * it — failed runs of the `churn-*` experiments to the churn team, production models to reviewers,
 * model monitor breaches to the data team. Mail goes through Azure Communication Services: no sign-in, no consent.
 */
import { AmlEventType, EmailAlerts, MODEL_MONITOR_BREACH_ALERT, SAMPLE_WORKSPACE_ID, WorkspaceEvents } from "aml-event-workflows";

const events = new WorkspaceEvents("churn", { workspaceId: SAMPLE_WORKSPACE_ID, resourceGroupName: "rg-ml-platform", location: "westeurope" });

const alerts = new EmailAlerts("churn-alerts", {
  events,
  recipients: ["ml-oncall@contoso.com"],
  alerts: [
    { eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed", "canceled"], experimentNamePrefix: "churn-", recipients: ["churn-team@contoso.com"] },
    { eventType: AmlEventType.ModelRegistered, tags: { stage: ["production"] }, recipients: ["model-review@contoso.com"] },
    { ...MODEL_MONITOR_BREACH_ALERT, recipients: ["data-team@contoso.com"], subjectTemplate: "Breach of {breachSignal}" },
  ],
});

export const workflowId = alerts.workflowId;
export const senderAddress = alerts.senderAddress;
