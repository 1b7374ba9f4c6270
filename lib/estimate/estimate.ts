/**
 * The operations and cost estimate of a plan (pure): per workspace and per month, what the declared
 * subscriptions and their destinations would execute at the given event rates, priced with one dated
 * table, and the quotas and limits those volumes would hit.
 */
import { EventGridEvent } from "../events/types";
import { ACS_EMAIL_RATE_LIMITS } from "../notifications/quota";
import { MockedResource } from "../plan/mocks";
import { outcomeOf } from "../plan/outcomes";
import { normalizeWorkspaceId, PlannedSubscription, planEvents } from "../plan/routing";
import { DEFAULT_PRICE_TABLE, PRICE_KEYS, Prices, PriceTable } from "./prices";
import { EventRates, eventKind, HOURS_PER_MONTH, nonFinalStatusEvents, ratesFor, RatesInput } from "./rates";
import { addUsage, eventUsage, RoutedForEstimate, Usage, zeroUsage } from "./usage";

/** What the estimate reads from a plan. */
export interface EstimateInput {
  readonly routing: readonly RoutedForEstimate[];
  readonly subscriptions: readonly PlannedSubscription[];
  readonly raw: readonly MockedResource[];
  readonly workspaces: readonly string[];
  readonly now: string;
}

/** Options of {@link estimateOperations}. */
export interface EstimateOptions {
  /** Event rates, for every workspace and per workspace. @default the defaults of every rate */
  readonly rates?: RatesInput;
  /** The price table. @default DEFAULT_PRICE_TABLE */
  readonly prices?: PriceTable;
}

/** One kind of event in one workspace: how many a month, and what one of them executes. */
export interface KindEstimate {
  readonly kind: string;
  readonly perMonth: number;
  /** The routed events of this kind (samples or input) the figures average over. */
  readonly events: number;
  /** What one event of this kind executes (averaged over `events`). */
  readonly perEvent: Usage;
}

/** One workspace's month. */
export interface WorkspaceEstimate {
  readonly workspaceId: string;
  readonly rates: EventRates;
  readonly kinds: readonly KindEstimate[];
  readonly perMonth: Usage;
  /** US dollars a month by meter, before free grants. */
  readonly cost: Readonly<Record<keyof Prices, number>>;
  readonly costTotal: number;
}

/** The estimate as the plan carries it. */
export interface OperationsEstimate {
  readonly prices: PriceTable;
  readonly workspaces: readonly WorkspaceEstimate[];
  readonly perMonth: Usage;
  /** US dollars a month for every workspace together, after each meter's monthly free grant. */
  readonly costTotal: number;
  /** Quotas and limits the volumes would hit, each naming its source. */
  readonly warnings: readonly string[];
  /** What the estimate leaves out. */
  readonly notes: readonly string[];
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The plan's routing plus the non-final run status events, each with its outcomes. */
function allRouted(input: EstimateInput): RoutedForEstimate[] {
  const extra = planEvents(nonFinalStatusEvents(input.routing.map((r) => r.event)), input.subscriptions).routing;
  return [...input.routing, ...extra.map((r) => ({ ...r, outcomes: r.delivered.map((subscription) => ({ subscription, outcome: outcomeOf(subscription, r.event, input.now) })) }))];
}

function workspaceOf(event: EventGridEvent, workspaces: readonly string[]): string | undefined {
  const key = typeof event.topic === "string" ? normalizeWorkspaceId(event.topic) : "";
  return workspaces.find((w) => normalizeWorkspaceId(w) === key);
}

/** Per meter, what the counted usage costs at the table's prices. */
export function meterCounts(u: Usage): Record<keyof Prices, number> {
  return {
    eventGridOperations: u.eventGridPublish + u.eventGridAdvancedMatches + u.eventGridDeliveryAttempts,
    logicAppActions: u.logicAppActions,
    logicAppConnectorActions: u.logicAppConnectorActions,
    functionExecutions: u.functionExecutions,
    emails: u.emails,
    dataFactoryActivityRuns: u.activityRuns,
  };
}

function costOf(u: Usage, prices: Prices, freeGrants: boolean): Record<keyof Prices, number> {
  const counts = meterCounts(u);
  return Object.fromEntries(PRICE_KEYS.map((k) => {
    const billable = Math.max(0, counts[k] - (freeGrants ? prices[k].freePerMonth ?? 0 : 0));
    return [k, round((billable / prices[k].perUnits) * prices[k].usd, 4)];
  })) as Record<keyof Prices, number>;
}

function workspaceEstimate(workspaceId: string, routed: readonly RoutedForEstimate[], input: EstimateInput, options: EstimateOptions): WorkspaceEstimate {
  const rates = ratesFor(workspaceId, options.rates);
  const groups = new Map<string, { perMonth: number; usages: Usage[] }>();
  for (const r of routed) {
    const kind = eventKind(r.event, rates);
    const g = groups.get(kind.label) ?? { perMonth: kind.perMonth, usages: [] };
    g.usages.push(eventUsage(r, input.raw, rates.batchJobMinutes));
    groups.set(kind.label, g);
  }
  const kinds = [...groups.entries()].map(([kind, g]) => ({
    kind,
    perMonth: round(g.perMonth),
    events: g.usages.length,
    perEvent: g.usages.reduce((sum, u) => addUsage(sum, u, 1 / g.usages.length), zeroUsage()),
  }));
  const perMonth = kinds.reduce((sum, k) => addUsage(sum, k.perEvent, k.perMonth), zeroUsage());
  const prices = (options.prices ?? DEFAULT_PRICE_TABLE).prices;
  const cost = costOf(perMonth, prices, false);
  return { workspaceId, rates, kinds, perMonth: roundUsage(perMonth), cost, costTotal: round(Object.values(cost).reduce((s, c) => s + c, 0)) };
}

function roundUsage(u: Usage): Usage {
  return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, round(v, 1)])) as unknown as Usage;
}

/** Estimates a month of operations and their cost for every declared workspace. */
export function estimateOperations(input: EstimateInput, options: EstimateOptions = {}): OperationsEstimate {
  const routed = allRouted(input);
  const workspaces = input.workspaces.map((ws) => workspaceEstimate(ws, routed.filter((r) => workspaceOf(r.event, input.workspaces) === ws), input, options));
  const perMonth = workspaces.reduce((sum, w) => addUsage(sum, w.perMonth), zeroUsage());
  const table = options.prices ?? DEFAULT_PRICE_TABLE;
  const total = costOf(perMonth, table.prices, true);
  return {
    prices: table,
    workspaces,
    perMonth: roundUsage(perMonth),
    costTotal: round(Object.values(total).reduce((s, c) => s + c, 0)),
    warnings: limitWarnings(workspaces, routed, input),
    notes: [
      "Not estimated: Function execution time (GB-s), email data (per MB), Data Factory pipeline activity hours of long-running activities, the compute of the ML jobs, storage and Event Hubs.",
      "Per-workspace costs are before free grants; the total applies each meter's monthly free grant once (grants are per Azure subscription).",
    ],
  };
}

/** Peak per-unit rates of a monthly count: `count / units per month × peakFactor`. */
function peak(perMonth: number, unitsPerMonth: number, peakFactor: number): number {
  return (perMonth / unitsPerMonth) * peakFactor;
}

/**
 * Limits the volumes would hit. Sources: ACS email (Microsoft Learn, "Service limits for Azure
 * Communication Services", Email: an Azure-managed domain sends 5 a minute and 10 an hour per
 * subscription); Logic Apps Consumption (Microsoft Learn, "Limits and configuration reference for Azure
 * Logic Apps", Throughput limits: 100,000 action executions per 5-minute rolling interval per workflow);
 * Event Grid (Microsoft Learn, "Azure Event Grid quotas and limits": 5,000 events a second published to a
 * topic, 500 event subscriptions per topic). Event Grid publishes no per-subscription delivery rate.
 */
function limitWarnings(workspaces: readonly WorkspaceEstimate[], routed: readonly RoutedForEstimate[], input: EstimateInput): string[] {
  const out: string[] = [];
  const managed = input.raw.some((r) => r.type === "azure-native:communication:Domain" && r.inputs.domainManagement === "AzureManaged");
  const emails = workspaces.reduce((s, w) => s + w.perMonth.emails, 0);
  const factor = Math.max(...workspaces.map((w) => w.rates.peakFactor), 1);
  const limit = ACS_EMAIL_RATE_LIMITS.azureManaged;
  const perHour = emails / HOURS_PER_MONTH;
  if (managed && (perHour > limit.perHour || peak(emails, HOURS_PER_MONTH * 60, factor) > limit.perMinute)) {
    out.push(`emails: ${round(perHour)} an hour on average (${round(peak(emails, HOURS_PER_MONTH * 60, factor))} in a peak minute) through an Azure-managed domain, whose limit is ${limit.perMinute} a minute and ${limit.perHour} an hour per Azure subscription; sends over it fail with 429 (use a custom verified domain).`);
  }
  out.push(...workflowLimitWarnings(workspaces, routed, input));
  for (const w of workspaces) {
    const perSecond = peak(w.perMonth.eventGridPublish, HOURS_PER_MONTH * 3600, w.rates.peakFactor);
    if (perSecond > 5000) out.push(`Event Grid: ${w.workspaceId} publishes ${round(perSecond)} events a second at a peak, over a topic's 5,000 a second.`);
  }
  const perTopic = new Map<string, number>();
  for (const s of input.subscriptions) perTopic.set(s.topicName, (perTopic.get(s.topicName) ?? 0) + 1);
  for (const [topic, n] of perTopic) if (n > 500) out.push(`Event Grid: system topic ${topic} has ${n} event subscriptions, over the 500 a topic allows.`);
  return out;
}

function workflowLimitWarnings(workspaces: readonly WorkspaceEstimate[], routed: readonly RoutedForEstimate[], input: EstimateInput): string[] {
  const perWorkflow = new Map<string, number>();
  for (const w of workspaces) {
    for (const r of routed.filter((x) => workspaceOf(x.event, input.workspaces) === w.workspaceId)) {
      const kind = eventKind(r.event, w.rates);
      const events = w.kinds.find((k) => k.kind === kind.label)?.events ?? 1;
      for (const o of r.outcomes) {
        if (!o.subscription.workflow || !o.outcome.usage) continue;
        const name = o.subscription.workflow.name;
        perWorkflow.set(name, (perWorkflow.get(name) ?? 0) + peak((o.outcome.usage.executions * kind.perMonth) / events, HOURS_PER_MONTH * 12, w.rates.peakFactor));
      }
    }
  }
  return [...perWorkflow].filter(([, n]) => n > 100_000).map(([name, n]) =>
    `Logic Apps: workflow ${name} runs about ${round(n)} action executions in a peak 5 minutes, over Consumption's 100,000 per workflow per 5-minute rolling interval (split the workload or enable high throughput mode).`);
}
