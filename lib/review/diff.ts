/**
 * Two plans compared in the reviewer's terms: event flows, subscriptions and their reach,
 * permissions per identity, policy and readiness, and any other figures (cost, quotas). Pure.
 */
import { PLAN_FORMAT } from "../plan/format";
import { compareFigures } from "./figures";
import { compareFlows } from "./flows";
import { comparePermissions } from "./permissions";
import { comparePolicy } from "./policy";
import { ReviewPlan } from "./read";
import { compareSubscriptions } from "./subscriptions";
import { ATTENTION_REASONS, AttentionReason, ChangeLine, DiffGroup, DiffSection, group, PlanDiff, SectionId } from "./types";

const TITLES: Readonly<Record<SectionId, string>> = {
  flows: "Event flows",
  subscriptions: "Subscriptions and what their filters match",
  permissions: "Permissions per identity",
  policy: "Policy and deploy readiness",
  figures: "Cost, quotas and other figures",
};

/** What an older (or newer) plan format keeps from being compared, as `!` lines. */
function formatNotes(base: ReviewPlan, head: ReviewPlan): { permissions: ChangeLine[]; subscriptions: ChangeLine[]; policy: ChangeLine[] } {
  const old = [base, head].filter((p) => p.format < 2);
  const newer = [base, head].filter((p) => p.format > PLAN_FORMAT);
  const replan = "plan it again with this version of aml-event-workflows";
  const note = (text: string): ChangeLine => ({ sign: "!", text, attention: "not compared" });
  return {
    permissions: old.map((p) => note(`not compared: ${p.file} is plan format ${p.format}, which records no permissions; ${replan}`)),
    subscriptions: old.map((p) => note(`filters compared by their words only: ${p.file} is plan format ${p.format}, which records no declared filters; ${replan}`)),
    policy: newer.map((p) => note(`${p.file} is plan format ${p.format}; this version reads up to ${PLAN_FORMAT}, so what later formats added is not compared: update aml-event-workflows`)),
  };
}

function section(id: SectionId, groups: readonly DiffGroup[]): DiffSection[] {
  return groups.length > 0 ? [{ id, title: TITLES[id], groups }] : [];
}

function summaryOf(changes: number, attention: Partial<Record<AttentionReason, number>>): string {
  if (changes === 0) return "No change: the same event flows, subscriptions, permissions, policy verdict and figures.";
  const looks = ATTENTION_REASONS.filter((r) => (attention[r] ?? 0) > 0).map((r) => `${attention[r]} ${r}`);
  const noun = changes === 1 ? "change" : "changes";
  return looks.length === 0 ? `${changes} ${noun}, none that needs a reviewer's look.` : `${changes} ${noun}; needs a reviewer's look: ${looks.join(", ")}.`;
}

/** Compares `base` (the target branch's plan) with `head` (the pull request's). */
export function comparePlans(base: ReviewPlan, head: ReviewPlan): PlanDiff {
  const notes = formatNotes(base, head);
  const sections = [
    ...section("flows", compareFlows(base, head)),
    ...section("subscriptions", [...group("plan format", notes.subscriptions), ...compareSubscriptions(base, head)]),
    ...section("permissions", [...group("plan format", notes.permissions), ...comparePermissions(base, head)]),
    ...section("policy", [...group("plan format", notes.policy), ...comparePolicy(base, head)]),
    ...section("figures", compareFigures(base.otherSections, head.otherSections)),
  ];
  const lines = sections.flatMap((s) => s.groups.flatMap((g) => g.lines));
  const attention: Partial<Record<AttentionReason, number>> = {};
  for (const l of lines) if (l.attention) attention[l.attention] = (attention[l.attention] ?? 0) + 1;
  return {
    base: { file: base.file, format: base.format },
    head: { file: head.file, format: head.format },
    sections,
    attention,
    changes: lines.length,
    summary: summaryOf(lines.length, attention),
  };
}

/** True when any line needs a reviewer's look. */
export function needsReview(diff: PlanDiff): boolean {
  return Object.values(diff.attention).some((n) => (n ?? 0) > 0);
}
