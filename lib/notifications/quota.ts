/**
 * How many emails the configured alert rules can send, against Azure Communication Services' email
 * rate limits (pure). Source: Microsoft Learn, "Service limits for Azure Communication Services",
 * section Email → Rate limits (https://learn.microsoft.com/azure/communication-services/concepts/service-limits):
 * an Azure-managed domain sends 5 emails a minute and 10 an hour per subscription, with no higher
 * limits available; a custom verified domain starts at 30 a minute and 100 an hour per subscription
 * and can be raised by a support request. Over the limit, sends are rejected with 429.
 */
import { AmlEventType, AmlEventTypeName } from "../events";
import { alertRules, EmailAlertEvent, EmailAlertRule } from "./definition";

/** Sends allowed per subscription, per minute and per hour. */
export interface EmailRateLimit {
  readonly perMinute: number;
  readonly perHour: number;
}

/** ACS email rate limits (Microsoft Learn, "Service limits for Azure Communication Services", Email). */
export const ACS_EMAIL_RATE_LIMITS: { readonly azureManaged: EmailRateLimit; readonly customDomainDefault: EmailRateLimit } = {
  azureManaged: { perMinute: 5, perHour: 10 },
  customDomainDefault: { perMinute: 30, perHour: 100 },
};

/** What an active workspace is assumed to produce; every number is a documented guess, override it with your own. */
export interface AlertVolumeAssumptions {
  /** Runs finishing per hour, pipeline steps included (each step is a child run with its own events). @default 12 */
  readonly runsPerHour?: number;
  /** Runs finishing within one minute at a peak (a pipeline's steps completing together). @default 6 */
  readonly peakRunsPerMinute?: number;
  /** Share of runs that end `Failed`. @default 0.1 */
  readonly failedRunShare?: number;
  /** Share of runs that end `Canceled`. @default 0.05 */
  readonly canceledRunShare?: number;
  /** Model versions registered per hour. @default 1 */
  readonly modelsRegisteredPerHour?: number;
  /** Model deployments per hour. @default 0.5 */
  readonly modelsDeployedPerHour?: number;
  /** Drift alerts per hour: model monitor (v2) breaches, or legacy v1 drift monitor runs. @default 0.25 */
  readonly driftRunsPerHour?: number;
}

/** The defaults of `AlertVolumeAssumptions`. */
export const DEFAULT_ALERT_VOLUME_ASSUMPTIONS: Required<AlertVolumeAssumptions> = {
  runsPerHour: 12,
  peakRunsPerMinute: 6,
  failedRunShare: 0.1,
  canceledRunShare: 0.05,
  modelsRegisteredPerHour: 1,
  modelsDeployedPerHour: 0.5,
  driftRunsPerHour: 0.25,
};

/** The estimate for one rule: each rule sends one email per event it matches. */
export interface RuleVolume {
  readonly eventType: AmlEventTypeName;
  /** Statuses the rule alerts on (run events), as configured. */
  readonly runStatuses?: readonly string[];
  readonly perHour: number;
  readonly perMinutePeak: number;
  /** The assumption behind the numbers, in words. */
  readonly assumption: string;
}

/** Emails per hour and per peak minute of a rule set. */
export interface AlertVolumeEstimate {
  readonly rules: readonly RuleVolume[];
  readonly perHour: number;
  readonly perMinutePeak: number;
}

/** Share of finished runs whose status is `status` (each run passes once through every non-terminal status). */
function statusShare(status: string, a: Required<AlertVolumeAssumptions>): number {
  switch (status.toLowerCase()) {
    case "failed":
      return a.failedRunShare;
    case "canceled":
    case "cancelled":
      return a.canceledRunShare;
    case "completed":
      return Math.max(0, 1 - a.failedRunShare - a.canceledRunShare);
    default:
      return 1;
  }
}

function runRule(rule: EmailAlertRule, a: Required<AlertVolumeAssumptions>): RuleVolume {
  const statuses = rule.runStatuses;
  const share = statuses === undefined ? 1 : [...new Set(statuses.map((s) => s.toLowerCase()))].reduce((sum, s) => sum + statusShare(s, a), 0);
  const which = statuses === undefined ? "every finished run" : `runs reaching ${statuses.join("/")}`;
  return {
    eventType: rule.eventType,
    ...(statuses !== undefined ? { runStatuses: statuses } : {}),
    perHour: round(a.runsPerHour * share),
    perMinutePeak: round(a.peakRunsPerMinute * share),
    assumption: `${which}: ${a.runsPerHour} runs/hour (peak ${a.peakRunsPerMinute}/minute) × ${round(share)}`,
  };
}

function eventRule(rule: EmailAlertRule, perHour: number, what: string): RuleVolume {
  return { eventType: rule.eventType, perHour, perMinutePeak: Math.min(perHour, 1), assumption: `${perHour} ${what}/hour (at most 1 in a minute)` };
}

function ruleVolume(rule: EmailAlertRule, a: Required<AlertVolumeAssumptions>): RuleVolume {
  // A breach rule matches only runs carrying the breach tag: one per breaching monitor signal run.
  if (rule.kind === "modelMonitorBreach") return { ...eventRule(rule, a.driftRunsPerHour, "model monitor breaches"), ...(rule.runStatuses ? { runStatuses: rule.runStatuses } : {}) };
  switch (rule.eventType) {
    case AmlEventType.RunStatusChanged:
    case AmlEventType.RunCompleted:
      return runRule(rule, a);
    case AmlEventType.ModelRegistered:
      return eventRule(rule, a.modelsRegisteredPerHour, "model versions registered");
    case AmlEventType.ModelDeployed:
      return eventRule(rule, a.modelsDeployedPerHour, "model deployments");
    case AmlEventType.DatasetDriftDetected:
      return eventRule(rule, a.driftRunsPerHour, "drift monitor runs");
    default: {
      const never: never = rule.eventType;
      throw new Error(`unknown event type ${String(never)}`);
    }
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Estimates the emails the rules send: one per matching event and rule (rules × event types ×
 * statuses). Experiment-prefix and tag conditions are assumed to match every event, so the estimate
 * is an upper bound for such rules. Throws on a negative or non-finite assumption.
 */
export function estimateAlertVolume(alerts?: readonly EmailAlertEvent[], assumptions: AlertVolumeAssumptions = {}): AlertVolumeEstimate {
  const a = { ...DEFAULT_ALERT_VOLUME_ASSUMPTIONS, ...assumptions };
  for (const [key, value] of Object.entries(a)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`alert volume assumption ${key} is ${JSON.stringify(value)}; expected a finite number ≥ 0.`);
    }
  }
  const rules = alertRules(alerts).map((r) => ruleVolume(r, a));
  return {
    rules,
    perHour: round(rules.reduce((s, r) => s + r.perHour, 0)),
    perMinutePeak: round(rules.reduce((s, r) => s + r.perMinutePeak, 0)),
  };
}

/** Why the estimate can exceed `limit` (empty when it fits): one sentence naming both numbers and the fix. */
export function quotaExceedances(
  estimate: AlertVolumeEstimate,
  limit: EmailRateLimit = ACS_EMAIL_RATE_LIMITS.azureManaged,
  label = "the Azure-managed domain's limit per subscription",
): string[] {
  const over: string[] = [];
  if (estimate.perHour > limit.perHour) over.push(`${estimate.perHour} emails/hour against ${limit.perHour}`);
  if (estimate.perMinutePeak > limit.perMinute) over.push(`${estimate.perMinutePeak} emails/minute at a peak against ${limit.perMinute}`);
  if (over.length === 0) return [];
  const top = [...estimate.rules].sort((x, y) => y.perHour - x.perHour)[0];
  return [
    `the alert rules can send ${over.join(" and ")} (${label}; sends over it fail with 429). ` +
      `Largest: ${top.eventType.split(".").pop()} (${top.assumption}). Use a custom verified domain (email.domain), or alert on fewer events or statuses.`,
  ];
}
