import { AmlEventType, AmlEventTypeName, isAmlEventType } from "../events";
import { EmailAlertRule, EMAIL_ENDPOINT_PARAMETER } from "../notifications/definition";
import { BREACH_TAG } from "../monitoring/breachTag";
import { estimateAlertVolume, quotaExceedances } from "../notifications/quota";
import { MockedResource } from "./mocks";
import { PlannedSubscription } from "./routing";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/** The `https://{host}` endpoints of Communication Services that link an Azure-managed domain. */
function managedDomainEndpoints(resources: readonly MockedResource[]): Set<string> {
  const managed = new Set(resources.filter((r) => r.type === "azure-native:communication:Domain" && r.inputs.domainManagement === "AzureManaged").map((r) => r.id));
  return new Set(
    resources
      .filter((r) => r.type === "azure-native:communication:CommunicationService")
      .filter((r) => Array.isArray(r.inputs.linkedDomains) && r.inputs.linkedDomains.some((d) => managed.has(d as string)))
      .map((r) => `https://${String(r.state.hostName)}`),
  );
}

/** One rule per event type a subscription delivers, with the statuses of its `data.runStatus` filter. */
function rulesOf(subscription: PlannedSubscription): EmailAlertRule[] {
  const f = subscription.filter;
  const types: AmlEventTypeName[] = (f.includedEventTypes ?? Object.values(AmlEventType)).filter(isAmlEventType);
  const status = (f.advancedFilters ?? []).find((a) => a.key.toLowerCase() === "data.runstatus" && a.operatorType === "StringIn");
  const statuses = status && "values" in status && Array.isArray(status.values) ? status.values.map(String) : undefined;
  // A filter on the breach tag delivers model monitor breaches only (EmailAlerts' `{name}-breach`).
  const breach = (f.advancedFilters ?? []).some((a) => a.key.toLowerCase() === `data.runtags.${BREACH_TAG}`);
  if (breach) return [{ eventType: AmlEventType.RunStatusChanged, kind: "modelMonitorBreach", ...(statuses ? { runStatuses: statuses } : {}) }];
  return types.map((eventType) => (statuses && (eventType === AmlEventType.RunStatusChanged || eventType === AmlEventType.RunCompleted) ? { eventType, runStatuses: statuses } : { eventType }));
}

/**
 * Workflows that send through an Azure-managed ACS domain and whose subscriptions can exceed its
 * quota (5 emails a minute, 10 an hour per subscription). The rules are read from the subscriptions'
 * filters, one per delivered event type: a lower bound when several rules share a type, so a finding
 * is never a false alarm of the estimate's assumptions.
 */
export function emailQuotaFindings(resources: readonly MockedResource[], subscriptions: readonly PlannedSubscription[]): string[] {
  const endpoints = managedDomainEndpoints(resources);
  return resources
    .filter((w) => w.type === "azure-native:logic:Workflow")
    .filter((w) => {
      const p = w.inputs.parameters;
      const endpoint = isRecord(p) && isRecord(p[EMAIL_ENDPOINT_PARAMETER]) ? p[EMAIL_ENDPOINT_PARAMETER].value : undefined;
      return typeof endpoint === "string" && endpoints.has(endpoint);
    })
    .flatMap((w) => {
      const rules = subscriptions.filter((s) => s.workflow === w).flatMap(rulesOf);
      if (rules.length === 0) return [];
      return quotaExceedances(estimateAlertVolume(rules)).map((m) => `email workflow ${w.name} sends through an Azure-managed domain: ${m}`);
    });
}
