import { keySettings, urnName } from "./describe";
import { filterInWords } from "./filterWords";
import { NOT_REACHED, subscriptionReach } from "./declared";
import { inputsSection, notDeliveredReason, otherTypesLine, reachText, splitSkips } from "./report";
import { LoopStep } from "./loop";
import { PlannedSubscription } from "./routing";
import { Plan } from "./plan";
import { estimateHtml } from "../estimate/format";

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A subscription's destination with its rules (conditions → recipients or endpoint) and every downstream target, reached or not. */
function destinationCell(plan: Plan, s: PlannedSubscription): string {
  const reach = subscriptionReach(s, plan.routing);
  const unreached = plan.routing.length > 0 && reach.delivered === 0 ? ` <span class="muted not-reached">(${esc(NOT_REACHED)})</span>` : "";
  const rules = reach.rules.map((r) => `<li class="rule"><b>${esc(r.name)}</b>: when ${esc(r.conditions.join(" and "))} → ${esc(r.action)}</li>`);
  const targets = reach.targets.map((t) => `<li class="target${t.events === 0 ? " not-reached" : ""}">calls ${esc(t.target)}: ${esc(reachText(t.events))}</li>`);
  const list = [...rules, ...targets];
  return `${esc(s.target)}${unreached}${list.length > 0 ? `<ul>${list.join("")}</ul>` : ""}`;
}

/** The breach → retrain → deploy loop: one row per retraining the sample events start, followed to where its model goes. */
function loopTable(steps: readonly LoopStep[]): string {
  if (steps.length === 0) return "";
  const rows = steps.map((s) => {
    const data = s.follows.data as { modelName?: string; modelTags?: unknown };
    const pipeline = s.run.url.split("/pipelines/")[1]?.split("/")[0] ?? "";
    const batch = s.batchCall ? `<br>pipeline → ${esc(s.batchCall.method)} <code>${esc(s.batchCall.url)}</code> (auth ${esc(s.batchCall.auth)})` : "";
    const goes = s.outcomes.map((o) => `<li><b>${esc(o.subscription)}</b>: ${esc(o.outcome.summary)}</li>`).join("") || '<li class="bad">no subscription takes it: the retrained model is not deployed</li>';
    return `<tr><td><code>${esc(s.causeId)}</code><br>→ ${esc(s.startedBy)}</td><td>Data Factory pipeline ${esc(pipeline)} with <code>${esc(JSON.stringify(s.run.body))}</code>${batch}</td><td>registers ${esc(data.modelName ?? "")} with tags <code>${esc(JSON.stringify(data.modelTags))}</code> → ModelRegistered <code>${esc(s.follows.subject)}</code></td><td><ul>${goes}</ul></td></tr>`;
  });
  return `<h2>The loop: breach → retrain → deploy (${steps.length})</h2>
<table class="loop"><tr><th>started by</th><th>retraining run</th><th>registers</th><th>where the registered model goes</th></tr>
${rows.join("\n")}
</table>
`;
}

/** A self-contained HTML report: verdict, routing map (inline SVG), routing table, policy results, resources. */
export function htmlReport(plan: Plan, svg: string, title = "aml-event-workflows offline plan"): string {
  const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory");
  const advisory = plan.violations.filter((v) => v.enforcementLevel === "advisory");
  const verdict = mandatory.length === 0 ? `<p class="ok">Policy pack: passed (${advisory.length} advisory)</p>` : `<p class="bad">Policy pack: FAILED — ${mandatory.length} mandatory, ${advisory.length} advisory</p>`;
  const routingRows = plan.routing
    .map((r) => {
      const delivered = r.outcomes.map((o) => `<li><b>${esc(o.subscription.name)}</b> → ${esc(o.subscription.target)}: ${esc(o.outcome.summary)}</li>`).join("");
      const { nearMisses, otherTypes } = splitSkips(r);
      const skipped =
        nearMisses.map((s) => `<li class="near-miss">${esc(s.subscription.name)}: ${esc(s.clause)} — ${esc(s.reason)}</li>`).join("") +
        (otherTypes.length > 0 ? `<li class="muted">${esc(otherTypesLine(otherTypes))}</li>` : "");
      return `<tr><td><b>${esc(r.event.eventType.replace("Microsoft.MachineLearningServices.", ""))}</b><br><code>${esc(r.event.subject)}</code></td><td><ul>${delivered || `<li class="bad">no subscription receives it: ${esc(notDeliveredReason(r))}</li>`}</ul></td><td><ul>${skipped}</ul></td></tr>`;
    })
    .join("\n");
  const violationRows = [...mandatory, ...advisory]
    .map((v) => `<tr><td class="${v.enforcementLevel === "mandatory" ? "bad" : "muted"}">${esc(v.enforcementLevel)}</td><td>${esc(v.policyName)}</td><td>${esc(v.resourceName)}</td><td>${esc(v.message)}</td></tr>`)
    .join("\n");
  const subscriptionRows = plan.subscriptions
    .map((s) => `<tr><td><b>${esc(s.name)}</b>${s.resourceName !== s.name ? `<br><span class="muted">Pulumi resource ${esc(s.resourceName)}</span>` : ""}</td><td>${esc(s.source ? s.source.split("/").pop() ?? "" : `adopted topic ${s.topicName}`)}</td><td><ul>${filterInWords(s.filter).map((w) => `<li>${esc(w)}</li>`).join("")}</ul></td><td>${destinationCell(plan, s)}</td></tr>`)
    .join("\n");
  const rejectedRows = plan.rejected.map((r) => `<tr><td>#${r.index}</td><td>${esc(r.reason)}</td></tr>`).join("\n");
  const outputRows = Object.entries(plan.outputs).map(([k, v]) => `<tr><td>${esc(k)}</td><td><code>${esc(JSON.stringify(v) ?? "undefined")}</code></td></tr>`).join("\n");
  const resourceRows = plan.resources
    .map((r) => `<tr><td>${esc(r.type)}</td><td>${esc(r.name)}</td><td>${esc(urnName(r.parent))}</td><td>${esc(keySettings(r))}</td></tr>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,Helvetica,Arial,sans-serif;margin:2rem;color:#1d2433}
table{border-collapse:collapse;width:100%;margin:1rem 0;table-layout:fixed}td,th{border:1px solid #dde2ea;padding:.35rem .5rem;vertical-align:top;font-size:.9rem;text-align:left;overflow-wrap:anywhere}
th{background:#f5f7fa}.ok{color:#2f9e44;font-weight:600}.bad{color:#c92a2a;font-weight:600}.muted{color:#6b7385}ul{margin:0;padding-left:1.1rem}
.map{overflow:auto;border:1px solid #dde2ea;padding:.5rem}.map svg{max-width:100%;height:auto}code{font-size:.8rem}
</style></head><body>
<h1>${esc(title)}</h1>
${verdict}
<p>${plan.resources.length} resources · ${plan.subscriptions.length} subscriptions · ${plan.routing.length} events routed</p>
<p>${esc(inputsSection(plan))}</p>
<h2>Routing map</h2><div class="map">${svg.replace(/^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*/, "")}</div>
<h2>Subscriptions</h2>
<table class="subscriptions"><tr><th>subscription</th><th>workspace</th><th>filter (all must hold)</th><th>delivers to (rules, downstream targets)</th></tr>
${subscriptionRows}
</table>
<h2>Routing</h2>
<table class="routing"><tr><th>event</th><th>delivered to → outcome</th><th>not delivered (first failing clause)</th></tr>
${routingRows}
</table>
${loopTable(plan.loop ?? [])}${rejectedRows ? `<h2>Malformed events (not planned)</h2>\n<table class="rejected"><tr><th>input position</th><th>reason</th></tr>\n${rejectedRows}\n</table>\n` : ""}${plan.findings.length > 0 ? `<h2>Plan findings</h2>\n<ul class="findings">${plan.findings.map((f) => `<li class="bad">${esc(f)}</li>`).join("")}</ul>\n` : ""}<h2>Stack outputs</h2>
<table class="outputs"><tr><th>output</th><th>value (secrets redacted)</th></tr>
${outputRows || '<tr><td colspan="2" class="muted">the program exports nothing</td></tr>'}
</table>
${plan.estimate ? `${estimateHtml(plan.estimate)}\n` : ""}<h2>Policy results</h2>
<table class="policy"><tr><th>level</th><th>policy</th><th>resource</th><th>message</th></tr>
${violationRows || '<tr><td colspan="4" class="ok">no violations</td></tr>'}
</table>
<h2>Resources</h2>
<table class="resources"><tr><th>type</th><th>name</th><th>parent</th><th>key settings</th></tr>
${resourceRows}
</table>
</body></html>
`;
}
