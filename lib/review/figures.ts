/**
 * Figures compared generically: every top-level plan section this review does not otherwise know
 * (a cost or quota estimate, say) is flattened to its numbers by path, and each number added, removed
 * or changed is a line. Objects in lists are keyed by their `name`, `id`, `key` or `resource` when
 * they have one, so reordering is no change. A section on one side only is said so. The operations and
 * cost estimate is compared in a reviewer's terms: the monthly totals per meter, the cost (in all and per
 * workspace) and the quota warnings added or gone, not every per-event count behind them.
 */
import { isRecord } from "../events/parse";
import { ChangeLine, DiffGroup, group } from "./types";

const ID_KEYS = ["name", "id", "key", "resource", "resourceName", "type"] as const;

function itemKey(item: unknown, index: number): string {
  if (isRecord(item)) for (const k of ID_KEYS) if (typeof item[k] === "string" && item[k] !== "") return `[${String(item[k])}]`;
  return `[${index}]`;
}

/** Every finite number in `value`, by its path (`estimate.perMonth[Logic App x].usd`). */
export function numbersByPath(value: unknown, path = "", out = new Map<string, number>()): Map<string, number> {
  if (typeof value === "number" && Number.isFinite(value)) out.set(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => numbersByPath(v, `${path}${itemKey(v, i)}`, out));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) numbersByPath(v, path === "" ? k : `${path}.${k}`, out);
  return out;
}

const round = (n: number): string => String(Math.round(n * 1e6) / 1e6);

/** What of the plan's `estimate` a reviewer reads: totals per month, cost, and each workspace's when there are several. */
function estimateTotals(value: unknown, several: boolean): unknown {
  if (!isRecord(value)) return value;
  const workspaces = Array.isArray(value.workspaces) ? value.workspaces.filter(isRecord) : [];
  const perWorkspace = workspaces.map((w) => ({ key: typeof w.workspaceId === "string" ? w.workspaceId : "", perMonth: w.perMonth, costTotal: w.costTotal }));
  return { perMonth: value.perMonth, costTotal: value.costTotal, ...(several ? { workspaces: perWorkspace } : {}) };
}

/** The plan's operations estimate (lib/estimate), as opposed to some other section of that name. */
const isEstimate = (v: unknown): boolean => isRecord(v) && Array.isArray(v.workspaces) && isRecord(v.perMonth);

const workspaceCount = (v: unknown): number => (isRecord(v) && Array.isArray(v.workspaces) ? v.workspaces.length : 0);

function warningLines(name: string, base: unknown, head: unknown): ChangeLine[] {
  const list = (v: unknown): string[] => (isRecord(v) && Array.isArray(v.warnings) ? v.warnings.filter((w): w is string => typeof w === "string") : []);
  const [b, h] = [list(base), list(head)];
  return [
    ...h.filter((w) => !b.includes(w)).map((w): ChangeLine => ({ sign: "+", text: `${name} warning: ${w}` })),
    ...b.filter((w) => !h.includes(w)).map((w): ChangeLine => ({ sign: "-", text: `${name} warning: ${w}` })),
  ];
}

function sectionLines(name: string, base: unknown, head: unknown): ChangeLine[] {
  if (name === "estimate" && (isEstimate(base) || isEstimate(head))) {
    const several = workspaceCount(base) > 1 || workspaceCount(head) > 1;
    return [...numberLines(name, estimateTotals(base, several), estimateTotals(head, several), base, head), ...warningLines(name, base, head)];
  }
  return numberLines(name, base, head, base, head);
}

function numberLines(name: string, base: unknown, head: unknown, rawBase: unknown, rawHead: unknown): ChangeLine[] {
  const lines: ChangeLine[] = [];
  if (rawBase === undefined) lines.push({ sign: "+", text: `${name}: only the head plan has this section` });
  if (rawHead === undefined) lines.push({ sign: "-", text: `${name}: only the base plan has this section` });
  const b = numbersByPath(base, name);
  const h = numbersByPath(head, name);
  for (const [path, was] of b) {
    const now = h.get(path);
    if (now === undefined) lines.push({ sign: "-", text: `${path}: ${round(was)}` });
    else if (now !== was) lines.push({ sign: "~", text: `${path}: ${round(was)} → ${round(now)} (${now > was ? "+" : ""}${round(now - was)})` });
  }
  for (const [path, now] of h) if (!b.has(path)) lines.push({ sign: "+", text: `${path}: ${round(now)}` });
  return lines;
}

/** One group per section other than the plan's known ones (sections sorted by name). */
export function compareFigures(base: Readonly<Record<string, unknown>>, head: Readonly<Record<string, unknown>>): DiffGroup[] {
  const names = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
  return names.flatMap((n) => group(n, sectionLines(n, base[n], head[n])));
}
