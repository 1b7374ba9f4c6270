/** The operations and cost estimate in words: the terminal section and the HTML report's section. */
import { OperationsEstimate } from "./estimate";
import { PRICE_KEYS } from "./prices";
import { Usage } from "./usage";

const LABELS: Readonly<Record<keyof Usage, string>> = {
  eventGridPublish: "Event Grid events published",
  eventGridAdvancedMatches: "Event Grid advanced filter matches",
  eventGridDeliveryAttempts: "Event Grid delivery attempts",
  eventGridDeadLetters: "Event Grid dead-letter writes",
  logicAppActions: "Logic Apps built-in executions",
  logicAppConnectorActions: "Logic Apps connector actions",
  functionExecutions: "Function executions",
  emails: "emails",
  pipelineRuns: "Data Factory pipeline runs",
  activityRuns: "Data Factory activity runs",
  mlJobs: "ML jobs started",
};

function n(x: number): string {
  return x.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

/** A unit price: every significant digit (a Logic Apps action costs $0.000025). */
function unitUsd(x: number): string {
  return `$${x >= 0.01 ? x.toFixed(2) : String(x)}`;
}

function usd(x: number): string {
  return `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function usageLine(u: Usage): string {
  return (Object.keys(LABELS) as (keyof Usage)[]).filter((k) => u[k] > 0).map((k) => `${n(u[k])} ${LABELS[k]}`).join(", ");
}

/** The terminal section. */
export function estimateSection(e: OperationsEstimate): string {
  const lines = [`Operations and cost estimate (per month; prices of ${e.prices.asOf}, ${e.prices.region})`];
  for (const w of e.workspaces) {
    lines.push(`  ${w.workspaceId.split("/").pop() ?? w.workspaceId}: ${usd(w.costTotal)} before free grants`);
    lines.push(`    ${usageLine(w.perMonth) || "nothing"}`);
    for (const k of w.kinds.filter((x) => x.perMonth > 0)) lines.push(`    - ${k.kind}: ${n(k.perMonth)}/month; each: ${usageLine(k.perEvent) || "nothing"}`);
  }
  lines.push(`  Total: ${usd(e.costTotal)} a month after free grants (${usageLine(e.perMonth) || "nothing"})`);
  lines.push(`  Prices (${e.prices.note}):`);
  for (const k of PRICE_KEYS) lines.push(`    ${k}: ${unitUsd(e.prices.prices[k].usd)} per ${e.prices.prices[k].unit}${e.prices.prices[k].freePerMonth ? ` (${n(e.prices.prices[k].freePerMonth ?? 0)} free a month)` : ""} — ${e.prices.prices[k].source}`);
  for (const note of e.notes) lines.push(`  Note: ${note}`);
  for (const w of e.warnings) lines.push(`  ✗ ${w}`);
  return lines.join("\n");
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The HTML report's section (a heading, a table per workspace, the price table, warnings). */
export function estimateHtml(e: OperationsEstimate): string {
  const keys = Object.keys(LABELS) as (keyof Usage)[];
  const head = `<tr><th>event kind</th><th>per month</th>${keys.map((k) => `<th>${esc(LABELS[k])}</th>`).join("")}</tr>`;
  const tables = e.workspaces.map((w) => {
    const rows = w.kinds.map((k) => `<tr><td>${esc(k.kind)}</td><td>${n(k.perMonth)}</td>${keys.map((c) => `<td>${n(k.perEvent[c])}</td>`).join("")}</tr>`);
    const total = `<tr><th>month</th><th></th>${keys.map((c) => `<th>${n(w.perMonth[c])}</th>`).join("")}</tr>`;
    return `<h3>${esc(w.workspaceId)}: ${usd(w.costTotal)} a month before free grants</h3>\n<table class="estimate">${head}\n${rows.join("\n")}\n${total}</table>`;
  });
  const prices = PRICE_KEYS.map((k) => {
    const p = e.prices.prices[k];
    return `<tr><td>${esc(k)}</td><td>${esc(unitUsd(p.usd))} per ${esc(p.unit)}</td><td>${n(p.freePerMonth ?? 0)}</td><td><a href="${esc(p.source)}">${esc(p.source)}</a></td></tr>`;
  });
  return [
    `<h2>Operations and cost estimate</h2>`,
    `<p>Per month; each row's figures are per event of that kind. Total for every workspace: <b>${usd(e.costTotal)}</b> a month after free grants.</p>`,
    ...tables,
    `<h3>Prices of ${esc(e.prices.asOf)} (${esc(e.prices.region)})</h3>\n<p>${esc(e.prices.note)}</p>`,
    `<table class="prices"><tr><th>meter</th><th>price</th><th>free a month</th><th>source</th></tr>\n${prices.join("\n")}\n</table>`,
    `<ul class="notes">${e.notes.map((x) => `<li>${esc(x)}</li>`).join("")}${e.warnings.map((x) => `<li class="bad">${esc(x)}</li>`).join("")}</ul>`,
  ].join("\n");
}
