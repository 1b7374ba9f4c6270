/**
 * Event flows compared: for each event either plan routed (per workspace, loop steps included), the
 * deliveries added or removed and what each delivery does (mail, pipeline runs, deployments, traffic,
 * calls) added, removed or changed.
 */
import { deliveryEffects, Effect } from "./effects";
import { ReviewDelivery, ReviewEvent, ReviewPlan } from "./read";
import { ChangeLine, DiffGroup, group } from "./types";

const ORDINALS = ["", "", " (2nd)", " (3rd)"];

/** A delivery's effects by identity; a repeated identity (two mails to one address) gets an ordinal. */
function effectMap(d: ReviewDelivery | undefined): Map<string, Effect> {
  const out = new Map<string, Effect>();
  const seen = new Map<string, number>();
  for (const e of d ? deliveryEffects(d) : []) {
    const n = (seen.get(e.what) ?? 0) + 1;
    seen.set(e.what, n);
    const what = n === 1 ? e.what : `${e.what}${ORDINALS[n] ?? ` (${n}th)`}`;
    out.set(what, { ...e, what });
  }
  return out;
}

function effectText(sub: string, what: string, detail: string): string {
  return what === "outcome" ? `at ${sub}: ${detail}` : `${what} (via ${sub}): ${detail}`;
}

function effectLines(sub: string, base: ReviewDelivery | undefined, head: ReviewDelivery | undefined): ChangeLine[] {
  const before = effectMap(base);
  const after = effectMap(head);
  const lines: ChangeLine[] = [];
  for (const [what, b] of before) {
    const h = after.get(what);
    if (h === undefined) lines.push({ sign: "-", text: effectText(sub, what, b.detail), ...(b.acts ? { attention: "flow removed" as const } : {}) });
    else if (h.detail !== b.detail) lines.push({ sign: "~", text: effectText(sub, what, `${b.detail} → ${h.detail}`) });
    else if ((h.fullText ?? "") !== (b.fullText ?? "")) lines.push({ sign: "~", text: effectText(sub, what, "message text changed") });
  }
  for (const [what, h] of after) if (!before.has(what)) lines.push({ sign: "+", text: effectText(sub, what, h.detail) });
  return lines;
}

function deliveryLines(base: readonly ReviewDelivery[], head: readonly ReviewDelivery[]): ChangeLine[] {
  const names = [...new Set([...base.map((d) => d.subscription), ...head.map((d) => d.subscription)])];
  return names.flatMap((name) => {
    const b = base.find((d) => d.subscription === name);
    const h = head.find((d) => d.subscription === name);
    const target = (h ?? b)?.target ? ` (${(h ?? b)?.target})` : "";
    const presence: ChangeLine[] =
      (b ?? h)?.retraining ? [] : b === undefined ? [{ sign: "+", text: `${name}${target} now receives it` }] : h === undefined ? [{ sign: "-", text: `${name}${target} no longer receives it`, attention: "flow removed" }] : [];
    return [...presence, ...effectLines(name, b, h)];
  });
}

const shortType = (t: string): string => t.replace(/^Microsoft\.MachineLearningServices\./, "");
const workspaceName = (id: string): string => id.split("/").filter((s) => s !== "").pop() ?? id;

/** How events are matched across plans: by workspace and id when both plans name workspaces, by id otherwise. */
function keyOf(e: ReviewEvent, withTopic: boolean): string {
  return withTopic && !e.id.startsWith("loop|") ? `${e.topic.toLowerCase()}|${e.id}` : e.id;
}

function labels(events: readonly ReviewEvent[], manyWorkspaces: boolean): Map<ReviewEvent, string> {
  const plain = (e: ReviewEvent): string =>
    `${shortType(e.eventType)} ${e.subject}${manyWorkspaces && e.topic !== "" ? ` in ${workspaceName(e.topic)}` : ""}${e.after ? ` (registered by the retraining ${e.after} starts)` : ""}`;
  const counts = new Map<string, number>();
  for (const e of events) counts.set(plain(e), (counts.get(plain(e)) ?? 0) + 1);
  return new Map(events.map((e) => [e, (counts.get(plain(e)) ?? 0) > 1 && !e.after ? `${plain(e)} [event ${e.id}]` : plain(e)]));
}

/** The event-flow groups: one per event whose deliveries or their effects changed. */
export function compareFlows(base: ReviewPlan, head: ReviewPlan): DiffGroup[] {
  const withTopic = base.format >= 2 && head.format >= 2;
  const before = new Map(base.events.map((e) => [keyOf(e, withTopic), e]));
  const after = new Map(head.events.map((e) => [keyOf(e, withTopic), e]));
  const topics = new Set([...base.events, ...head.events].map((e) => e.topic.toLowerCase()).filter((t) => t !== ""));
  const all = [...new Set([...before.keys(), ...after.keys()])].map((k) => ({ b: before.get(k), h: after.get(k) }));
  const names = labels(
    all.map((x) => (x.h ?? x.b) as ReviewEvent),
    topics.size > 1,
  );
  return all.flatMap(({ b, h }) => {
    const event = (h ?? b) as ReviewEvent;
    const presence: ChangeLine[] = b === undefined ? [{ sign: "+", text: "planned in the head only" }] : h === undefined ? [{ sign: "-", text: "planned in the base only" }] : [];
    const lines = deliveryLines(b?.deliveries ?? [], h?.deliveries ?? []);
    return group(names.get(event) ?? event.id, lines.length > 0 || presence.length > 0 ? [...presence, ...lines] : []);
  });
}
