/**
 * Figures compared generically: every top-level plan section this review does not otherwise know
 * (a cost or quota estimate, say) is flattened to its numbers by path, and each number added, removed
 * or changed is a line. Objects in lists are keyed by their `name`, `id`, `key` or `resource` when
 * they have one, so reordering is no change. A section on one side only is said so.
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

function sectionLines(name: string, base: unknown, head: unknown): ChangeLine[] {
  const lines: ChangeLine[] = [];
  if (base === undefined) lines.push({ sign: "+", text: `${name}: only the head plan has this section` });
  if (head === undefined) lines.push({ sign: "-", text: `${name}: only the base plan has this section` });
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
