import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { configOf, known, str, UNKNOWN } from "./common";

const DOMAIN = "azure-native:communication:Domain";
const ACS = "azure-native:communication:CommunicationService";
const WORKFLOW = "azure-native:logic:Workflow";
const SUBSCRIPTIONS = ["azure-native:eventgrid:SystemTopicEventSubscription", "azure-native:eventgrid:EventSubscription"];
/** Azure-managed domains send from `DoNotReply@<guid>.azurecomm.net` (ACS quickstart "add multiple senders"). */
const MANAGED_SENDER = /@[0-9a-f-]{36}\.azurecomm\.net$/i;

/** Knobs of {@link emailManagedDomainQuota}. */
export interface EmailManagedDomainQuotaConfig {
  /** Emails an Azure-managed domain may send per hour per Azure subscription. */
  readonly sendsPerHour: number;
  /** Emails an Azure-managed domain may send per minute per Azure subscription. */
  readonly sendsPerMinute: number;
  /** Events per hour each alert rule (a send-email action) is expected to fire. */
  readonly expectedEventsPerHourPerRule: number;
}

/** The Http actions of a workflow definition that call ACS `emails:send`, found at any depth. */
export function emailSendActions(definition: unknown): string[] {
  const found: string[] = [];
  const walk = (actions: unknown): void => {
    if (actions === null || typeof actions !== "object") return;
    for (const [name, a] of Object.entries(actions as Record<string, unknown>)) {
      const action = (a ?? {}) as { type?: unknown; inputs?: { uri?: unknown }; actions?: unknown; else?: { actions?: unknown }; cases?: unknown };
      if (String(action.type).toLowerCase() === "http" && /\/emails:send\b/i.test(String(action.inputs?.uri ?? ""))) found.push(name);
      walk(action.actions);
      walk(action.else?.actions);
      for (const c of Object.values((action.cases ?? {}) as Record<string, { actions?: unknown }>)) walk(c?.actions);
    }
  };
  walk((definition as { actions?: unknown } | undefined)?.actions);
  return found;
}

const dependsOnAny = (r: PolicyResource, urns: ReadonlySet<string>): boolean => r.dependencies.some((d) => urns.has(d.urn));

/** URNs of the stack's Azure-managed domains and of the Communication Services linked to them. */
function managedDomainUrns(resources: readonly PolicyResource[]): Set<string> {
  const domains = resources.filter((r) => r.type === DOMAIN && known(() => str(r.props.domainManagement)?.toLowerCase()) === "azuremanaged");
  const urns = new Set(domains.map((d) => d.urn));
  for (const acs of resources.filter((r) => r.type === ACS && dependsOnAny(r, urns))) urns.add(acs.urn);
  return urns;
}

/** Email workflows that send through an Azure-managed domain: they depend on it (or its service), or send from its address. */
function managedDomainWorkflows(resources: readonly PolicyResource[], domainUrns: ReadonlySet<string>): PolicyResource[] {
  return resources.filter((r) => {
    if (r.type !== WORKFLOW) return false;
    const sender = known(() => str((r.props.parameters as { senderAddress?: { value?: unknown } } | undefined)?.senderAddress?.value));
    return dependsOnAny(r, domainUrns) || (typeof sender === "string" && MANAGED_SENDER.test(sender));
  });
}

/** Email workflows on Azure-managed domains carry no more alert rules than the domain's hourly quota. */
export const emailManagedDomainQuota: StackValidationPolicy = {
  name: "email-managed-domain-quota",
  description:
    "Email workflows sending through an Azure-managed domain (5 emails a minute and 10 an hour per Azure subscription) carry no more alert rules than that quota can deliver at the expected event rate.",
  // Advisory: the stack deploys; past the quota ACS answers 429 and alerts go missing.
  enforcementLevel: "advisory",
  severity: "medium",
  tags: ["deploy-readiness", "delivery"],
  // "Service limits for Azure Communication Services", Email, Azure Managed Domains: Send Email per subscription 5 / 1 minute, 10 / 60 minutes;
  // higher limits need a verified custom domain and a support request.
  url: "https://learn.microsoft.com/azure/communication-services/concepts/service-limits#email",
  remediationSteps:
    "Send through a verified custom domain (domainManagement CustomerManaged) and request a higher quota, or narrow the alert rules (run statuses, event types) so the expected emails per hour fit the Azure-managed quota; set expectedEventsPerHourPerRule to your measured rate.",
  configSchema: {
    properties: {
      sendsPerHour: { type: "number", minimum: 1, default: 10, description: "Emails per hour an Azure-managed domain may send per Azure subscription." },
      sendsPerMinute: { type: "number", minimum: 1, default: 5, description: "Emails per minute an Azure-managed domain may send per Azure subscription." },
      expectedEventsPerHourPerRule: { type: "number", exclusiveMinimum: 0, default: 1, description: "Events per hour each alert rule is expected to fire." },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = configOf<EmailManagedDomainQuotaConfig>(args, emailManagedDomainQuota.configSchema!);
    const domainUrns = managedDomainUrns(args.resources);
    const workflows = managedDomainWorkflows(args.resources, domainUrns);
    if (workflows.length === 0) args.notApplicable("No email workflow sends through an Azure-managed domain");
    const rules = workflows.map((w) => ({ w, sends: known(() => emailSendActions(w.props.definition)) }));
    const counted = rules.filter((r): r is { w: PolicyResource; sends: string[] } => r.sends !== UNKNOWN);
    const total = counted.reduce((n, r) => n + r.sends.length, 0);
    const perHour = total * config.expectedEventsPerHourPerRule;
    if (perHour <= config.sendsPerHour) return;
    const feeders = args.resources.filter((r) => SUBSCRIPTIONS.includes(r.type) && dependsOnAny(r, new Set(counted.map((c) => c.w.urn))));
    reportViolation(
      `Email workflow(s) ${counted.map((c) => `${c.w.name ?? c.w.urn} (${c.sends.length} alert rule(s))`).join(", ")} send through an Azure-managed domain, ` +
        `fed by ${feeders.length} subscription(s)${feeders.length > 0 ? ` (${feeders.map((f) => f.name ?? f.urn).join(", ")})` : ""}: ` +
        `${total} rule(s) × ${config.expectedEventsPerHourPerRule} event(s)/hour = ${perHour} emails/hour, over the quota of ${config.sendsPerHour}/hour (${config.sendsPerMinute}/minute) per Azure subscription; ` +
        `past it ACS answers 429 and alerts are lost. Fix: send through a verified custom domain and request a higher quota, or narrow the alert rules; ` +
        `set expectedEventsPerHourPerRule or the limits in the policy config if yours differ.`,
      counted[0].w.urn,
    );
  },
};
