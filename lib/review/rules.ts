/**
 * A subscription's declared rules compared (the workflow's alerts, the deployer's rules): read from
 * the program, so a rule no sample event reaches is reviewed too. Rules are matched by name (and
 * position among rules of the same name); a recipient dropped or an action moved removes a flow.
 */
import { ReviewRule } from "./read";
import { ChangeLine } from "./types";

function byName(rules: readonly ReviewRule[]): Map<string, ReviewRule> {
  const out = new Map<string, ReviewRule>();
  for (const r of rules) {
    let key = r.name;
    for (let n = 2; out.has(key); n++) key = `${r.name} #${n}`;
    out.set(key, r);
  }
  return out;
}

const whenText = (r: ReviewRule): string => (r.conditions.length > 0 ? r.conditions.join(" and ") : "always");

function changedRule(name: string, b: ReviewRule, h: ReviewRule): ChangeLine[] {
  const lines: ChangeLine[] = [];
  if (whenText(b) !== whenText(h)) lines.push({ sign: "~", text: `rule ${name}: when ${whenText(b)} → when ${whenText(h)}` });
  if (b.recipients.length > 0 || h.recipients.length > 0) {
    for (const r of b.recipients.filter((x) => !h.recipients.includes(x))) lines.push({ sign: "-", text: `rule ${name} no longer mails ${r}`, attention: "flow removed" });
    for (const r of h.recipients.filter((x) => !b.recipients.includes(x))) lines.push({ sign: "+", text: `rule ${name} now mails ${r}` });
  } else if (b.action !== h.action) lines.push({ sign: "~", text: `rule ${name}: ${b.action} → ${h.action}`, attention: "flow removed" });
  return lines;
}

/** The lines saying how a subscription's declared rules changed. */
export function compareRules(before: readonly ReviewRule[], after: readonly ReviewRule[]): ChangeLine[] {
  const b = byName(before);
  const h = byName(after);
  const lines: ChangeLine[] = [];
  for (const [name, rule] of b) {
    const now = h.get(name);
    if (now === undefined) lines.push({ sign: "-", text: `rule ${name} removed: when ${whenText(rule)} → ${rule.action}`, attention: "flow removed" });
    else lines.push(...changedRule(name, rule, now));
  }
  for (const [name, rule] of h) if (!b.has(name)) lines.push({ sign: "+", text: `rule ${name} added: when ${whenText(rule)} → ${rule.action}` });
  return lines;
}
