/**
 * Diagnostic settings that Azure refuses together on ONE resource (pure; shared by the components, the
 * composite and the policy pack):
 *
 * - Two settings may not send the same category to the same destination. Azure answers 409 Conflict
 *   "Data sink '<id>' is already used in diagnostic setting '<name>' for category '<category>'. Data sinks
 *   can't be reused in different settings on the same category for the same resource." — metrics included
 *   (`AllMetrics`: Azure/terraform-azurerm-avm-ptn-aiml-landing-zone#19; logs: Azure/bicep-registry-modules#3407,
 *   hashicorp/terraform-provider-azurerm#21161). For an Event Hubs destination the sink Azure names is the
 *   namespace's authorization rule, not the hub, so two hubs behind one rule still clash (the error text of
 *   those issues names only the rule); we key Event Hubs sinks by the rule and say so.
 * - A category group covers categories: `allLogs` is every category of the resource (Learn, "Diagnostic
 *   settings in Azure Monitor", Category groups: https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings#category-groups);
 *   which categories `audit` holds per type is not on the supported-logs pages, so `audit` is treated as
 *   overlapping every category (conservative: it may refuse a pair Azure would accept).
 * - At most five settings per resource (same page, Destinations).
 *
 * Whether Azure compares category names or sink ids ignoring case is not documented; ARM resource ids are
 * case-insensitive, so ids are compared ignoring case, trailing slashes and doubled slashes, and category
 * names ignoring case (conservative both ways).
 */

/** One log entry of a setting: a category or a category group. */
export interface SentLog {
  readonly category?: string;
  readonly categoryGroup?: string;
}

/** What one setting sends to one resource, and where. Ids are strings when known, else undefined. */
export interface SentSetting {
  /** How to name the setting in a message, e.g. `diagnosticSettings[1] ("archive")`. */
  readonly label: string;
  readonly logs: readonly SentLog[];
  readonly metrics: readonly string[];
  readonly workspaceId?: unknown;
  readonly storageAccountId?: unknown;
  readonly eventHubAuthorizationRuleId?: unknown;
}

/** One destination of a setting: its kind and the id as written. */
export interface Sink {
  readonly kind: "Log Analytics workspace" | "storage account" | "Event Hubs authorization rule";
  readonly id: string;
  /** The other setting's spelling of the same id, when it differs. */
  readonly otherSpelling?: string;
}

/** An ARM id in the form two ids are compared in: lower case, no trailing or doubled slashes, no padding. */
export function normalizeSinkId(id: string): string {
  return id.trim().replace(/\/{2,}/g, "/").replace(/\/+$/, "").toLowerCase();
}

/** The known destinations of a setting (an id that is not a string yet can't be compared). */
export function sinksOf(s: Pick<SentSetting, "workspaceId" | "storageAccountId" | "eventHubAuthorizationRuleId">): Sink[] {
  const out: Sink[] = [];
  if (typeof s.workspaceId === "string") out.push({ kind: "Log Analytics workspace", id: s.workspaceId });
  if (typeof s.storageAccountId === "string") out.push({ kind: "storage account", id: s.storageAccountId });
  if (typeof s.eventHubAuthorizationRuleId === "string") out.push({ kind: "Event Hubs authorization rule", id: s.eventHubAuthorizationRuleId });
  return out;
}

const describe = (l: SentLog): string => (l.category !== undefined ? `category ${JSON.stringify(l.category)}` : `category group ${JSON.stringify(l.categoryGroup)}`);

/** Why two log entries can send the same category, or undefined when they can't. */
function logOverlap(a: SentLog, b: SentLog): string | undefined {
  const ga = a.categoryGroup?.toLowerCase();
  const gb = b.categoryGroup?.toLowerCase();
  if (ga !== undefined && ga === gb) return describe(a);
  if (ga === "alllogs" || gb === "alllogs") return `${describe(a)} and ${describe(b)} (allLogs holds every category)`;
  if (ga !== undefined && gb !== undefined) return undefined;
  if (ga !== undefined || gb !== undefined) return `${describe(a)} and ${describe(b)} (which categories audit holds is not documented per type, so it is taken to hold this one)`;
  return a.category?.toLowerCase() === b.category?.toLowerCase() ? describe(a) : undefined;
}

/** What two settings both send (a category, a group or a metric), or undefined when nothing. */
export function sharedContent(a: Pick<SentSetting, "logs" | "metrics">, b: Pick<SentSetting, "logs" | "metrics">): string | undefined {
  for (const la of a.logs) {
    for (const lb of b.logs) {
      const why = logOverlap(la, lb);
      if (why !== undefined) return why;
    }
  }
  const metric = a.metrics.find((m) => b.metrics.some((n) => n.toLowerCase() === m.toLowerCase()));
  return metric === undefined ? undefined : `metric category ${JSON.stringify(metric)}`;
}

/** The destination two settings share, or undefined. */
export function sharedSink(a: SentSetting, b: SentSetting): Sink | undefined {
  const other = sinksOf(b);
  for (const s of sinksOf(a)) {
    const o = other.find((x) => x.kind === s.kind && normalizeSinkId(x.id) === normalizeSinkId(s.id));
    if (o !== undefined) return o.id === s.id ? s : { ...s, otherSpelling: o.id };
  }
  return undefined;
}

/** Two settings of one resource that Azure refuses together. */
export interface SinkConflict {
  readonly a: SentSetting;
  readonly b: SentSetting;
  readonly sink: Sink;
  /** What both send, e.g. `category "DeliveryFailures"`. */
  readonly what: string;
}

/** Every pair of the settings of ONE resource that reuses a destination for the same category. */
export function findSinkConflicts(settings: readonly SentSetting[]): SinkConflict[] {
  const out: SinkConflict[] = [];
  for (const [i, a] of settings.entries()) {
    for (const b of settings.slice(i + 1)) {
      const sink = sharedSink(a, b);
      const what = sink === undefined ? undefined : sharedContent(a, b);
      if (sink !== undefined && what !== undefined) out.push({ a, b, sink, what });
    }
  }
  return out;
}

/** The message of one conflict on `resource` (e.g. `the Microsoft.Logic/workflows resource`). */
export function sinkConflictMessage(resource: string, c: SinkConflict): string {
  return (
    `${c.a.label} and ${c.b.label} both send ${c.what} of ${resource} to the same ${c.sink.kind} ${c.sink.id}` +
    `${c.sink.otherSpelling !== undefined ? ` (written ${c.sink.otherSpelling} in the second; ARM ids ignore case)` : ""}; Azure refuses it ` +
    `("Data sinks can't be reused in different settings on the same category for the same resource"). ` +
    `Fix: send them in one setting, or send one of them to another ${c.sink.kind}.`
  );
}

/** The problem when `resource` would get more than five settings (Azure's limit), else undefined. */
export function settingCountProblem(resource: string, settings: readonly Pick<SentSetting, "label">[]): string | undefined {
  if (settings.length <= 5) return undefined;
  return `${resource} would get ${settings.length} diagnostic settings (${settings.map((s) => s.label).join(", ")}); Azure allows at most five per resource. Fix: merge destinations into fewer settings.`;
}

/** Every problem with the settings of ONE resource: more than five, and each destination reused for a category. */
export function sinkConflicts(resource: string, settings: readonly SentSetting[]): string[] {
  const count = settingCountProblem(resource, settings);
  return [...(count === undefined ? [] : [count]), ...findSinkConflicts(settings).map((c) => sinkConflictMessage(resource, c))];
}
