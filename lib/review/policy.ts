/**
 * Policy verdict and deploy readiness compared: violations introduced, fixed or changed in level,
 * per policy and resource. A mandatory violation the base did not have needs a reviewer's look.
 */
import { ReviewFinding, ReviewPlan } from "./read";
import { ChangeLine, DiffGroup, group } from "./types";

const keyOf = (f: ReviewFinding): string => `${f.policyName}|${f.resourceName}`;

function label(f: ReviewFinding, readiness: ReadonlySet<string>): string {
  return `${f.policyName}${readiness.has(f.policyName) ? " (deploy readiness)" : ""} on ${f.resourceName}`;
}

/** One group with every violation introduced, fixed or changed in level. */
export function comparePolicy(base: ReviewPlan, head: ReviewPlan): DiffGroup[] {
  const readiness = new Set([...base.readinessPolicies, ...head.readinessPolicies]);
  const before = new Map(base.violations.map((v) => [keyOf(v), v]));
  const after = new Map(head.violations.map((v) => [keyOf(v), v]));
  const lines: ChangeLine[] = [];
  for (const [k, h] of after) {
    const b = before.get(k);
    if (b === undefined) lines.push({ sign: "+", text: `${h.level} ${label(h, readiness)}: ${h.message}`, ...(h.level === "mandatory" ? { attention: "new mandatory violation" as const } : {}) });
    else if (b.level !== h.level) lines.push({ sign: "~", text: `${label(h, readiness)}: ${b.level} → ${h.level}`, ...(h.level === "mandatory" ? { attention: "new mandatory violation" as const } : {}) });
  }
  for (const [k, b] of before) if (!after.has(k)) lines.push({ sign: "-", text: `fixed: ${b.level} ${label(b, readiness)}` });
  return group("policy pack", lines);
}
