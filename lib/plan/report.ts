import { NOT_REACHED, subscriptionReach } from "./declared";
import { keySettings, urnName } from "./describe";
import { filterInWords } from "./filterWords";
import { Plan, RoutedEvent } from "./plan";

/** Pads a table's columns; the last column is left unpadded. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join("  ").trimEnd()).join("\n");
}

/** The resources section: type, name, parent and key settings of every declared resource. */
export function resourcesSection(plan: Plan): string {
  const rows = plan.resources.map((r) => [r.type.replace(/^azure-native:/, ""), r.name, urnName(r.parent), keySettings(r)]);
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [
    `Resources (${plan.resources.length})`,
    table([["TYPE", "NAME", "PARENT", "KEY SETTINGS"], ...rows]),
  ].join("\n");
}

/** An email's plain-text body, when `body` is an Azure Communication Services send request. */
function emailText(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const content = (body as { content?: { plainText?: unknown } }).content;
  return typeof content?.plainText === "string" ? content.plainText.trimEnd() : undefined;
}

/** The routing section: per event, where it goes, what happens there, and why other subscriptions skip it. */
export function routingSection(plan: Plan): string {
  const out: string[] = [`Routing of ${plan.routing.length} event(s) through ${plan.subscriptions.length} subscription(s)`];
  for (const r of plan.routing) {
    out.push("", `● ${r.event.eventType.replace("Microsoft.MachineLearningServices.", "")}  ${r.event.subject}`);
    if (r.outcomes.length === 0) out.push(`    (no subscription receives it: ${notDeliveredReason(r)})`);
    for (const { subscription, outcome } of r.outcomes) {
      out.push(`    → ${subscription.name} [${subscription.target}]: ${outcome.summary}`);
      for (const call of outcome.calls) {
        out.push(`        ${call.method} ${call.url}${call.when ? `  (${call.when})` : ""}  auth=${call.auth}`);
        const text = emailText(call.body);
        if (text !== undefined) out.push(...text.split("\n").map((line) => `        │ ${line}`));
        else if (Array.isArray(call.body)) out.push(`        body: ${call.body.length} event(s) in the Event Grid schema`);
        else if (call.body !== undefined && call.bodyKind === "summary") out.push(`        summary (not the request body) ${JSON.stringify(call.body)}`);
        else if (call.body !== undefined) out.push(`        body ${JSON.stringify(call.body)}`);
      }
    }
    const { nearMisses, otherTypes } = splitSkips(r);
    for (const s of nearMisses) out.push(`    ✗ ${s.subscription.name}: ${s.clause} — ${s.reason}`);
    if (otherTypes.length > 0) out.push(`    ✗ ${otherTypesLine(otherTypes)}`);
  }
  if (plan.rejected.length > 0) {
    out.push("", `Malformed input: ${plan.rejected.length} event(s) not planned`);
    for (const r of plan.rejected) out.push(`    ✗ event #${r.index}: ${r.reason}`);
  }
  return out.join("\n");
}

type SkippedSubscription = RoutedEvent["skipped"][number];

/**
 * The subscriptions that skip an event, near-misses first: those whose event type matched but a later
 * clause (subject, advanced filter) failed; those that take other event types only are collapsed.
 */
export function splitSkips(r: Pick<RoutedEvent, "skipped">): { nearMisses: SkippedSubscription[]; otherTypes: SkippedSubscription[] } {
  return { nearMisses: r.skipped.filter((s) => s.clause !== "includedEventTypes"), otherTypes: r.skipped.filter((s) => s.clause === "includedEventTypes") };
}

/** One line for the subscriptions that take other event types only. */
export function otherTypesLine(skips: readonly SkippedSubscription[]): string {
  return `${skips.length} subscription(s) take other event types only: ${skips.map((s) => s.subscription.name).join(", ")}`;
}

/** Why an event reaches no subscription, in one phrase. */
export function notDeliveredReason(r: Pick<RoutedEvent, "unrouted" | "skipped">): string {
  if (r.unrouted) return r.unrouted;
  return r.skipped.length === 0 ? "no subscription on its topic" : "every subscription on its topic filters it out (see ✗)";
}

/** How many routed events reached a declared target, in words. */
export function reachText(events: number): string {
  return events === 0 ? NOT_REACHED : `reached by ${events} event(s)`;
}

/**
 * Every declared subscription: its workspace, where it delivers, its filter in plain words, the rules
 * behind its destination (conditions and recipients or endpoint) and every downstream service it can
 * call, with whether the routed events reached it.
 */
export function subscriptionsSection(plan: Plan): string {
  const out = [`Subscriptions (${plan.subscriptions.length})`];
  for (const s of plan.subscriptions) {
    const also = s.resourceName !== s.name ? ` (Pulumi resource ${s.resourceName})` : "";
    const reach = subscriptionReach(s, plan.routing);
    const unreached = plan.routing.length > 0 && reach.delivered === 0 ? ` (${NOT_REACHED})` : "";
    out.push(`    ${s.name}${also} on ${s.source ? `workspace ${s.source.split("/").pop()}` : `adopted topic ${s.topicName}`} → ${s.target}${unreached}`);
    out.push(`        when ${filterInWords(s.filter).join("\n         and ")}`);
    for (const r of reach.rules) out.push(`        rule ${r.name}: when ${r.conditions.join(" and ")} → ${r.action}`);
    for (const t of reach.targets) out.push(`        calls ${t.target}: ${reachText(t.events)}`);
  }
  return out.join("\n");
}

/** Where the events came from and which clock the workflows saw. */
export function inputsSection(plan: Plan): string {
  const from = plan.eventsFrom === "samples" ? `sample events of ${plan.workspaces.length === 0 ? "the default sample workspace (the program declares none)" : plan.workspaces.map((w) => w.split("/").pop()).join(", ")}` : "the events given with --events";
  return `Events: ${from}. Clock (utcNow() in workflows): ${plan.now} (set with --now).`;
}

/** The program's stack outputs, secrets redacted, one per line. */
export function outputsSection(plan: Plan): string {
  const entries = Object.entries(plan.outputs);
  if (entries.length === 0) return "Stack outputs: none";
  return [`Stack outputs (${entries.length})`, ...entries.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)].join("\n");
}
