/** The policy table of docs/guides/policy-in-pull-requests.md, generated from the pack's own metadata (a docs test keeps them equal). */
import { Policies } from "@pulumi/policy";

/** The areas a policy's `tags` name. */
export const POLICY_AREAS = ["rbac", "filters", "delivery", "hardening", "deploy-readiness"] as const;
/** One area of {@link POLICY_AREAS}. */
export type PolicyArea = (typeof POLICY_AREAS)[number];

/** Start marker of the generated block in docs/guides/policy-in-pull-requests.md (regenerate with `node scripts/policy-table.mjs` after `npx tsc -p .`). */
export const TABLE_BEGIN = "<!-- policy-table:start -->";
/** End marker of the generated block. */
export const TABLE_END = "<!-- policy-table:end -->";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

/** The pack's policies as a Markdown table (without the markers): name, default level, severity, areas, rule and the page it rests on. */
export function policyTableMarkdown(pack: Policies): string {
  const rows = pack.map((p) => {
    const source = p.url === undefined ? "" : `[${new URL(p.url).pathname.split("/").filter(Boolean).pop() ?? p.url}](${p.url})`;
    return `| \`${p.name}\` | ${p.enforcementLevel ?? "advisory"} | ${p.severity ?? ""} | ${(p.tags ?? []).join(", ")} | ${cell(p.description)} | ${source} |`;
  });
  return ["| policy | default | severity | areas | rule | source |", "|---|---|---|---|---|---|", ...rows].join("\n");
}

/** `readme` with the block between the markers replaced by the pack's table. */
export function withPolicyTable(readme: string, pack: Policies): string {
  const start = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`The document has no ${TABLE_BEGIN} … ${TABLE_END} block; add the two markers where the policy table belongs.`);
  return `${readme.slice(0, start + TABLE_BEGIN.length)}\n${policyTableMarkdown(pack)}\n${readme.slice(end)}`;
}
