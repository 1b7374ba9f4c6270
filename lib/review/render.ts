/**
 * A plan comparison rendered for a terminal, as JSON, and as Markdown for a pull-request comment.
 * Text from the plans (event subjects, experiment names, tags, recipients) is user input: control and
 * bidirectional characters are escaped everywhere, and in Markdown it only ever appears inside fenced
 * code blocks whose fence is longer than any backtick run in the text, so it can neither inject HTML
 * or Markdown nor mention anyone.
 */
import { needsReview } from "./diff";
import { ChangeLine, DiffGroup, DiffSection, PlanDiff } from "./types";

/**
 * GitHub rejects a comment body longer than 65,536 characters ("Body is too long (maximum is 65536
 * characters)", the REST API's 422 for issue and pull-request comments; see danger/danger#424 and
 * telia-oss/github-pr-resource#259). The comment stays below it, with room for the workflow's own lines.
 */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** The Markdown budget: the limit less a margin for the workflow's footer. */
export const MARKDOWN_BUDGET = GITHUB_COMMENT_LIMIT - 1_536;
/** Hidden marker the example workflow finds its own earlier comment by (to update it, not add another). */
export const COMMENT_MARKER = "<!-- aml-events-review -->";
/** Sections with more lines than this are collapsed in Markdown (their must-look lines stay visible). */
export const COLLAPSE_AFTER = 10;
/** Longest line Markdown shows; longer ones are cut with `…`. */
const MAX_LINE = 600;

/** Escapes control, line-separator and bidirectional-override characters as `\u{…}` (no terminal or layout tricks). */
export function escapeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`);
}

function lineText(l: ChangeLine): string {
  return `${l.sign} ${escapeText(l.text)}${l.attention ? `  [${l.attention}]` : ""}`;
}

function groupLines(g: DiffGroup, indent: string): string[] {
  return [`${indent}${escapeText(g.title)}`, ...g.lines.map((l) => `${indent}  ${lineText(l)}`)];
}

/** The terminal report: header, summary, then each section's groups and lines. */
export function renderText(diff: PlanDiff): string {
  const out = [
    `aml-events diff: base ${escapeText(diff.base.file)} (plan format ${diff.base.format}) → head ${escapeText(diff.head.file)} (plan format ${diff.head.format})`,
    diff.summary,
  ];
  for (const s of diff.sections) out.push("", s.title, ...s.groups.flatMap((g) => groupLines(g, "  ")));
  return `${out.join("\n")}\n`;
}

/** The JSON report: the comparison with `needsReview`. */
export function renderJson(diff: PlanDiff): string {
  return `${JSON.stringify({ needsReview: needsReview(diff), ...diff }, null, 2)}\n`;
}

function fenced(lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const fence = "`".repeat(longest + 1);
  return [`${fence}diff`, ...lines, fence].join("\n");
}

const clip = (s: string): string => (s.length > MAX_LINE ? `${s.slice(0, MAX_LINE - 1)}…` : s);

/** A section's lines for a diff block (`@@ title @@` per group), at most `cap` change lines. */
function blockLines(groups: readonly DiffGroup[], cap: number): string[] {
  const out: string[] = [];
  let shown = 0;
  const total = groups.reduce((n, g) => n + g.lines.length, 0);
  for (const g of groups) {
    if (shown >= cap) break;
    const lines = g.lines.slice(0, cap - shown);
    out.push(clip(`@@ ${escapeText(g.title)} @@`), ...lines.map((l) => clip(lineText(l))));
    shown += lines.length;
  }
  if (total > shown) out.push(`… ${total - shown} more line(s) not shown: run \`aml-events diff\` on the two plans for all of them`);
  return out;
}

function sectionMarkdown(s: DiffSection, cap: number): string {
  const lines = s.groups.reduce((n, g) => n + g.lines.length, 0);
  const looks = s.groups.map((g) => ({ title: g.title, lines: g.lines.filter((l) => l.attention) })).filter((g) => g.lines.length > 0);
  const count = looks.reduce((n, g) => n + g.lines.length, 0);
  const head = `#### ${s.title} — ${lines} change${lines === 1 ? "" : "s"}${count > 0 ? `, ${count} to look at` : ""}`;
  if (lines <= COLLAPSE_AFTER) return [head, "", fenced(blockLines(s.groups, cap))].join("\n");
  const visible = count > 0 ? ["", fenced(blockLines(looks, cap))] : [];
  return [head, ...visible, "", `<details><summary>All ${lines} changes</summary>`, "", fenced(blockLines(s.groups, cap)), "", "</details>"].join("\n");
}

function markdownWith(diff: PlanDiff, cap: number): string {
  const icon = needsReview(diff) ? "⚠️" : diff.changes === 0 ? "✅" : "ℹ️";
  const formats = `Plan format: base ${diff.base.format}, head ${diff.head.format}.`;
  return [COMMENT_MARKER, `### ${icon} aml-events review: ${diff.summary}`, "", formats, ...diff.sections.map((s) => `\n${sectionMarkdown(s, cap)}`), ""].join("\n");
}

/** The pull-request comment: one-line summary first, long sections collapsed, within {@link MARKDOWN_BUDGET}. */
export function renderMarkdown(diff: PlanDiff, budget: number = MARKDOWN_BUDGET): string {
  let cap = Math.max(1, diff.changes);
  let text = markdownWith(diff, cap);
  while (text.length > budget && cap > 0) {
    cap = Math.floor(cap / 2);
    text = markdownWith(diff, cap);
  }
  return text.length > budget ? `${text.slice(0, budget - 2)}…\n` : text;
}
