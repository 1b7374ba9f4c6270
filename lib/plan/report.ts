import { keySettings, urnName } from "./describe";
import { Plan } from "./plan";

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
    if (r.outcomes.length === 0) out.push("    (no subscription receives it)");
    for (const { subscription, outcome } of r.outcomes) {
      out.push(`    → ${subscription.name} [${subscription.target}]: ${outcome.summary}`);
      for (const call of outcome.calls) {
        out.push(`        ${call.method} ${call.url}${call.when ? `  (${call.when})` : ""}  auth=${call.auth}`);
        const text = emailText(call.body);
        if (text !== undefined) out.push(...text.split("\n").map((line) => `        │ ${line}`));
        else if (Array.isArray(call.body)) out.push(`        body: ${call.body.length} event(s) in the Event Grid schema`);
        else if (call.body !== undefined) out.push(`        body ${JSON.stringify(call.body).slice(0, 400)}`);
      }
    }
    for (const s of r.skipped) out.push(`    ✗ ${s.subscription.name}: ${s.clause} — ${s.reason}`);
  }
  return out.join("\n");
}
