/**
 * Subscriptions compared: added, deleted, moved to another destination, whose filter now matches
 * more or fewer event types, subjects or payloads (see {@link compareFilterSpecs}), and whose
 * destination's declared rules changed (see {@link compareRules}).
 */
import { compareFilterSpecs, compareFilterWords } from "./filters";
import { ReviewPlan, ReviewSubscription } from "./read";
import { compareRules } from "./rules";
import { ChangeLine, DiffGroup, group } from "./types";

function keyOf(s: ReviewSubscription, withTopic: boolean): string {
  return withTopic ? `${s.topic.toLowerCase()}|${s.name}` : s.name;
}

function changedLines(b: ReviewSubscription, h: ReviewSubscription): ChangeLine[] {
  const lines: ChangeLine[] = [];
  if (b.target !== h.target) lines.push({ sign: "~", text: `destination ${b.target} → ${h.target}`, attention: "flow removed" });
  const filter = b.spec !== undefined && h.spec !== undefined ? compareFilterSpecs(b.spec, h.spec) : compareFilterWords(b.words, h.words);
  return [...lines, ...filter, ...compareRules(b.rules, h.rules)];
}

/** One group per subscription added, deleted or changed. */
export function compareSubscriptions(base: ReviewPlan, head: ReviewPlan): DiffGroup[] {
  const withTopic = base.format >= 2 && head.format >= 2;
  const before = new Map(base.subscriptions.map((s) => [keyOf(s, withTopic), s]));
  const after = new Map(head.subscriptions.map((s) => [keyOf(s, withTopic), s]));
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  return keys.flatMap((k) => {
    const b = before.get(k);
    const h = after.get(k);
    const s = (h ?? b) as ReviewSubscription;
    const title = `${s.name} → ${s.target}${withTopic && s.topic !== "" ? ` (topic ${s.topic})` : ""}`;
    if (b === undefined) return group(title, [{ sign: "+", text: `subscription added: ${s.words.join("; ")}` }]);
    if (h === undefined) return group(title, [{ sign: "-", text: `subscription deleted (it matched: ${s.words.join("; ")})`, attention: "fewer events delivered" }]);
    return group(title, changedLines(b, h));
  });
}
