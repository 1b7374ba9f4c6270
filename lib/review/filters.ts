/**
 * A subscription filter's reach compared between plans, from the filter analysis rather than the
 * sample events: the AML event types it can deliver (listed types whose subject format the prefix and
 * suffix can still match), the subject prefix and suffix, and each advanced condition, with whether
 * a change lets more or fewer events through.
 */
import { ALL_AML_EVENT_TYPES, AmlEventTypeName } from "../events/types";
import { isAllEventTypesEntry, NEGATED_OPERATORS, NormalizedAdvancedFilter, readFilter } from "../filters/normalize";
import { prefixMismatch, suffixMismatch } from "../filters/subject-formats";
import { conditionInWords } from "../plan/filterWords";
import { AdvancedFilter } from "../filters/types";
import { ChangeLine } from "./types";

/** What a filter lets through, read for comparison. */
interface Reach {
  readonly types: readonly AmlEventTypeName[];
  readonly prefix: string;
  readonly suffix: string;
  readonly caseSensitive: boolean;
  readonly arrays: boolean;
  /** `key|operator` (key in lower case) → the condition. */
  readonly conditions: ReadonlyMap<string, { readonly words: string; readonly values: readonly string[]; readonly filter: NormalizedAdvancedFilter }>;
}

const shortType = (t: string): string => t.replace(/^Microsoft\.MachineLearningServices\./, "");

function listedTypes(included: readonly string[] | undefined): AmlEventTypeName[] {
  if (included === undefined || included.some(isAllEventTypesEntry)) return [...ALL_AML_EVENT_TYPES];
  return ALL_AML_EVENT_TYPES.filter((t) => included.some((i) => i.toLowerCase() === t.toLowerCase()));
}

/** A condition's values in a comparable form: strings folded (Event Grid compares them ignoring case). */
function valuesOf(f: NormalizedAdvancedFilter): string[] {
  if ("strings" in f) return [...new Set(f.strings.map((s) => JSON.stringify(s.toLowerCase())))];
  if ("numbers" in f) return f.numbers.map(String);
  if ("ranges" in f) return f.ranges.map((r) => JSON.stringify(r));
  if ("number" in f) return [String(f.number)];
  if ("boolean" in f) return [String(f.boolean)];
  return [];
}

function toAdvanced(f: NormalizedAdvancedFilter): AdvancedFilter {
  const base = { operatorType: f.operatorType, key: f.key };
  if ("strings" in f) return { ...base, values: f.strings } as AdvancedFilter;
  if ("numbers" in f) return { ...base, values: f.numbers } as AdvancedFilter;
  if ("ranges" in f) return { ...base, values: f.ranges } as unknown as AdvancedFilter;
  if ("number" in f) return { ...base, value: f.number } as AdvancedFilter;
  if ("boolean" in f) return { ...base, value: f.boolean } as AdvancedFilter;
  return base as AdvancedFilter;
}

/** Reads a declared filter (as plan.json's `filterSpec` holds it) into its reach. */
export function reachOf(spec: unknown): Reach {
  const read = readFilter(spec);
  const cs = read.isSubjectCaseSensitive;
  const prefix = read.subjectBeginsWith ?? "";
  const suffix = read.subjectEndsWith ?? "";
  const types = listedTypes(read.includedEventTypes).filter((t) => prefixMismatch(t, prefix, cs) === undefined && suffixMismatch(t, suffix, cs) === undefined);
  const conditions = new Map(
    read.advancedFilters.map(({ filter }) => [`${filter.key.toLowerCase()}|${filter.operatorType}`, { words: conditionInWords(toAdvanced(filter)), values: valuesOf(filter), filter }] as const),
  );
  return { types, prefix, suffix, caseSensitive: cs, arrays: read.enableAdvancedFilteringOnArrays, conditions };
}

const FEWER = "fewer events delivered" as const;

function typeLines(b: Reach, h: Reach): ChangeLine[] {
  return [
    ...b.types.filter((t) => !h.types.includes(t)).map((t): ChangeLine => ({ sign: "-", text: `no longer matches ${shortType(t)} events`, attention: FEWER })),
    ...h.types.filter((t) => !b.types.includes(t)).map((t): ChangeLine => ({ sign: "+", text: `now matches ${shortType(t)} events` })),
  ];
}

/** A subject prefix (`begins`) or suffix change: narrower when the new text extends the old one. */
function subjectLine(what: "prefix" | "suffix", before: string, after: string, caseSensitive: boolean): ChangeLine[] {
  const fold = (s: string): string => (caseSensitive ? s : s.toLowerCase());
  if (fold(before) === fold(after)) return [];
  const extends_ = (longer: string, shorter: string): boolean => (what === "prefix" ? fold(longer).startsWith(fold(shorter)) : fold(longer).endsWith(fold(shorter)));
  const change = `subject ${what} ${JSON.stringify(before)} → ${JSON.stringify(after)}`;
  if (extends_(after, before)) return [{ sign: "~", text: `${change}: matches fewer subjects`, attention: FEWER }];
  if (extends_(before, after)) return [{ sign: "~", text: `${change}: matches more subjects` }];
  return [{ sign: "~", text: `${change}: matches other subjects`, attention: FEWER }];
}

/** Direction of a change in one condition's values: more values of a positive operator let more events through. */
function conditionChange(before: NormalizedAdvancedFilter, b: readonly string[], h: readonly string[]): "more" | "fewer" | "other" {
  if ("number" in before) {
    const [x, y] = [Number(b[0]), Number(h[0])];
    const lower = before.operatorType.startsWith("NumberGreaterThan") ? y < x : y > x;
    return lower ? "more" : "fewer";
  }
  const grew = b.every((v) => h.includes(v));
  const shrank = h.every((v) => b.includes(v));
  if (!grew && !shrank) return "other";
  const positive = !NEGATED_OPERATORS.has(before.operatorType);
  return grew === positive ? "more" : "fewer";
}

function conditionLines(b: Reach, h: Reach): ChangeLine[] {
  const lines: ChangeLine[] = [];
  for (const [key, c] of b.conditions) {
    const now = h.conditions.get(key);
    if (now === undefined) lines.push({ sign: "-", text: `condition dropped: ${c.words} (matches more events)` });
    else if (c.values.join("\n") !== now.values.join("\n")) {
      const way = conditionChange(c.filter, c.values, now.values);
      const verdict = way === "more" ? "matches more events" : way === "fewer" ? "matches fewer events" : "matches other events";
      lines.push({ sign: "~", text: `condition ${c.words} → ${now.words} (${verdict})`, ...(way === "more" ? {} : { attention: FEWER }) });
    }
  }
  for (const [key, c] of h.conditions) if (!b.conditions.has(key)) lines.push({ sign: "+", text: `new condition: ${c.words} (matches fewer events)`, attention: FEWER });
  return lines;
}

/** The lines saying how a subscription's reach changed between two declared filters. */
export function compareFilterSpecs(before: unknown, after: unknown): ChangeLine[] {
  const b = reachOf(before);
  const h = reachOf(after);
  const lines = [...typeLines(b, h)];
  if (b.caseSensitive !== h.caseSensitive) {
    lines.push(h.caseSensitive ? { sign: "~", text: "subject now compared case-sensitively (matches fewer subjects)", attention: FEWER } : { sign: "~", text: "subject now compared ignoring case (matches more subjects)" });
  }
  lines.push(...subjectLine("prefix", b.prefix, h.prefix, h.caseSensitive), ...subjectLine("suffix", b.suffix, h.suffix, h.caseSensitive));
  lines.push(...conditionLines(b, h));
  if (b.arrays !== h.arrays) lines.push({ sign: "~", text: `advanced conditions ${h.arrays ? "now" : "no longer"} look into arrays` });
  return lines;
}

/** Fallback for plans without declared filters (format 1): the filter's words compared as lines. */
export function compareFilterWords(before: readonly string[], after: readonly string[]): ChangeLine[] {
  return [
    ...before.filter((w) => !after.includes(w)).map((w): ChangeLine => ({ sign: "-", text: `filter clause dropped: ${w}` })),
    ...after.filter((w) => !before.includes(w)).map((w): ChangeLine => ({ sign: "+", text: `filter clause added: ${w}` })),
  ];
}
