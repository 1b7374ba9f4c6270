import { instance } from "@viz-js/viz";
import { Plan } from "./plan";
import { callTarget, declaredRules, declaredTargets, NOT_REACHED } from "./declared";
import { PlannedSubscription } from "./routing";

export { callTarget, NOT_REACHED } from "./declared";

/** Escapes a label for DOT's double-quoted strings. */
function q(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function shortType(eventType: string): string {
  return eventType.replace("Microsoft.MachineLearningServices.", "");
}

function filterSummary(s: PlannedSubscription): string {
  const f = s.filter;
  const parts: string[] = [];
  const types = f.includedEventTypes?.map(shortType) ?? [];
  parts.push(types.length === 0 ? "all event types" : types.length === 5 ? "all five AML event types" : types.join(", "));
  if (f.subjectBeginsWith) parts.push(`subject ^${f.subjectBeginsWith}`);
  if (f.subjectEndsWith) parts.push(`subject ${f.subjectEndsWith}$`);
  for (const a of f.advancedFilters ?? []) {
    const values = "values" in a ? JSON.stringify(a.values) : "value" in a ? JSON.stringify(a.value) : "";
    parts.push(`${a.key} ${a.operatorType} ${values}`.trim().slice(0, 60));
  }
  return parts.join("\n");
}

/**
 * The routing map as Graphviz DOT: sample events on the left, each workspace's system topic and its
 * subscriptions (with their filters), the destinations, and the services the workflows and handlers
 * call. Solid edges show where each event actually goes. Deterministic for a given plan.
 */
export function routingMapDot(plan: Plan): string {
  const lines: string[] = [
    "digraph routing {",
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.9, pad=0.4, bgcolor="white"];',
    '  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", fillcolor="#f5f7fa", color="#8a94a6"];',
    '  edge [color="#8a94a6", arrowsize=0.6];',
  ];
  const sources = [...new Set(plan.subscriptions.map((s) => s.source ?? "(adopted topic)"))];
  sources.forEach((source, i) => {
    lines.push(`  subgraph cluster_ws${i} {`, `    label=${q(`workspace ${source.split("/").pop()}`)}; style="rounded,dashed"; color="#4c6ef5";`);
    const topics = [...new Set(plan.subscriptions.filter((s) => (s.source ?? "(adopted topic)") === source).map((s) => s.topicName))];
    for (const t of topics) lines.push(`    ${q(`topic:${t}`)} [label=${q(`system topic\n${t}`)}, shape=cylinder, fillcolor="#e7f5ff"];`);
    for (const s of plan.subscriptions.filter((x) => (x.source ?? "(adopted topic)") === source)) {
      const delivery = `${s.identityDelivery ? "identity delivery · " : ""}${s.deadLettered ? "dead-letter" : "NO dead-letter"}`;
      lines.push(`    ${q(`sub:${s.resourceName}`)} [label=${q(`${s.name}\n${filterSummary(s)}\n${delivery}`)}, fillcolor="#fff9db"];`);
      lines.push(`    ${q(`topic:${s.topicName}`)} -> ${q(`sub:${s.resourceName}`)} [style=dashed];`);
    }
    lines.push("  }");
  });

  const targets = new Map<string, PlannedSubscription>();
  for (const s of plan.subscriptions) if (!targets.has(s.target)) targets.set(s.target, s);
  const deliveredTo = new Set(plan.routing.flatMap((r) => r.delivered.map((s) => s.target)));
  for (const [target, sub] of targets) {
    const kind = sub.endpointType;
    const fill = kind === "EventHub" ? "#e6fcf5" : kind === "AzureFunction" ? "#f3f0ff" : "#fff0f6";
    const rules = declaredRules(sub).flatMap((r) => [clip(`${r.name}: ${r.conditions.join(" and ")}`, 200), `  → ${clip(r.action, 100)}`]);
    const reached = deliveredTo.has(target) ? [] : [NOT_REACHED];
    const label = [target.replace(/^(Logic App|Function|webhook|\S+) /, "$1\n"), ...rules, ...reached].join("\n");
    lines.push(`  ${q(`dest:${target}`)} [label=${q(label)}, fillcolor=${q(fill)}${reached.length > 0 ? ', style="rounded,filled,dashed"' : ""}];`);
  }
  for (const s of plan.subscriptions) lines.push(`  ${q(`sub:${s.resourceName}`)} -> ${q(`dest:${s.target}`)};`);

  const downstream = new Map<string, { from: string; to: string; methods: Set<string> }>();
  for (const r of plan.routing) {
    for (const { subscription, outcome } of r.outcomes) {
      if (!subscription.workflow && !subscription.functionApp) continue;
      for (const call of outcome.calls) {
        const target = callTarget(call);
        if (target === "") continue;
        const key = `${subscription.target}->${target}`;
        const edge = downstream.get(key) ?? { from: subscription.target, to: target, methods: new Set<string>() };
        edge.methods.add(call.method);
        downstream.set(key, edge);
      }
    }
  }
  const unreached = new Map<string, { from: string; to: string }>();
  for (const sub of plan.subscriptions) {
    for (const to of declaredTargets(sub)) {
      const key = `${sub.target}->${to}`;
      if (!downstream.has(key)) unreached.set(key, { from: sub.target, to });
    }
  }
  const services = new Set([...downstream.values(), ...unreached.values()].map((e) => e.to));
  const reachedServices = new Set([...downstream.values()].map((e) => e.to));
  for (const to of services) {
    const dashed = reachedServices.has(to) ? "" : ', style="filled,dashed"';
    lines.push(`  ${q(`svc:${to}`)} [label=${q(reachedServices.has(to) ? to : `${to}\n${NOT_REACHED}`)}, shape=component, fillcolor="#ebfbee"${dashed}];`);
  }
  for (const { from, to, methods } of downstream.values()) {
    lines.push(`  ${q(`dest:${from}`)} -> ${q(`svc:${to}`)} [label=${q([...methods].join("/"))}, fontsize=9];`);
  }
  for (const { from, to } of unreached.values()) {
    lines.push(`  ${q(`dest:${from}`)} -> ${q(`svc:${to}`)} [label=${q(NOT_REACHED)}, style=dashed, fontsize=9];`);
  }

  lines.push("  { rank=source;");
  plan.routing.forEach((_, i) => lines.push(`    ${q(`event:${i}`)};`));
  lines.push("  }");
  plan.routing.forEach((r, i) => {
    const id = `event:${i}`;
    lines.push(`  ${q(id)} [label=${q(`${shortType(r.event.eventType)}\n${r.event.subject.length > 44 ? `${r.event.subject.slice(0, 43)}…` : r.event.subject}`)}, shape=note, fillcolor="#ffffff"];`);
    if (r.delivered.length === 0) lines.push(`  ${q(id)} -> ${q("dropped")} [style=dotted];`);
    for (const s of r.delivered) lines.push(`  ${q(id)} -> ${q(`sub:${s.resourceName}`)} [color="#2f9e44", penwidth=1.4];`);
  });
  if (plan.routing.some((r) => r.delivered.length === 0)) lines.push(`  "dropped" [label="no subscription", shape=plaintext, fillcolor="#ffffff"];`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** Renders DOT to SVG with Graphviz compiled to WebAssembly (no system binaries). */
export async function renderSvg(dot: string): Promise<string> {
  const viz = await instance();
  return viz.renderString(dot, { format: "svg", engine: "dot" });
}
