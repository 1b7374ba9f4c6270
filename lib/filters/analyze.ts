/**
 * Static analysis of an Event Grid subscription filter against the AML event catalog: limit
 * violations and malformed filters (errors Azure would reject, or filters that can never deliver an
 * event), and filters that work but probably not as intended (warnings). Every finding carries a
 * stable code from {@link FindingCode}; messages say what is wrong, the value, and how to fix it.
 */
import { BREACH_TAG } from "../monitoring/breachTag";
import { PAYLOAD_FIELDS, FieldKind } from "../events/catalog";
import { SUBJECT_FORMATS } from "../events/subjects";
import { ALL_AML_EVENT_TYPES, AmlEventType, AmlEventTypeName } from "../events/types";
import {
  ALL_EVENT_TYPES_ENTRY,
  editDistance,
  isAllEventTypesEntry,
  MATCH_WHEN_MISSING,
  NEGATED_OPERATORS,
  NormalizedAdvancedFilter,
  operatorValueKind,
  readFilter,
  ReadFilter,
} from "./normalize";
import { prefixMismatch, SubjectMismatch, suffixMismatch } from "./subject-formats";
import { AdvancedFilterOperator, FILTER_LIMITS } from "./types";

/** A problem found in a filter. */
export interface Finding {
  /** `error`: Azure rejects the filter or it can never deliver what it names. `warning`: it works, probably not as intended. */
  readonly severity: "error" | "warning";
  /** A stable code from {@link FindingCode}. */
  readonly code: string;
  /** What is wrong, the offending value, and how to fix it; starts with where (`advancedFilters[2]: …`). */
  readonly message: string;
}

/** The stable finding codes. Codes never change meaning; new ones may be added. */
export const FindingCode = {
  // errors: Azure rejects these filters
  /** The filter or one of its fields has the wrong JSON type. */
  InvalidFilter: "invalid-filter",
  /** `operatorType` is not one of the 19 operators (spelling is exact). */
  UnknownOperator: "unknown-operator",
  /** A key is missing, empty, has empty segments, or nests outside `data.`. */
  InvalidKey: "invalid-key",
  /** `value`/`values` is missing, empty, or the wrong one of the two for the operator. */
  MissingValues: "missing-values",
  /** A reference value has the wrong type, or is NaN/Infinity. */
  InvalidValue: "invalid-value",
  /** A range is not a `[low, high]` pair of numbers with low <= high. */
  InvalidRange: "invalid-range",
  /** More than 25 advanced filters. */
  TooManyAdvancedFilters: "too-many-advanced-filters",
  /** More than 25 values across all advanced filters. */
  TooManyValues: "too-many-values",
  /** A string value longer than 512 characters. */
  StringValueTooLong: "string-value-too-long",
  // errors: the filter can never deliver what it names
  /** An `includedEventTypes` entry is not an AML event type. */
  UnknownEventType: "unknown-event-type",
  /** `includedEventTypes` is an empty list. */
  EmptyEventTypes: "empty-event-types",
  /** `subjectBeginsWith` starts with `/`; AML subjects never do. */
  SubjectLeadingSlash: "subject-leading-slash",
  /** A subject prefix/suffix (or a subject advanced filter) that no included AML type's subject format can match. */
  SubjectNeverMatches: "subject-never-matches",
  // warnings
  /** An AML event type spelled in another case (matched case-insensitively here; undocumented). */
  EventTypeCase: "event-type-case",
  /** An event type listed twice. */
  DuplicateEventType: "duplicate-event-type",
  /** `includedEventTypes` contains `"All"`: every event type, including ones the topic adds later. */
  AllEventTypes: "all-event-types",
  /** A filter property azure-native's `EventSubscriptionFilter` does not have (probably a typo). */
  UnknownFilterProperty: "unknown-filter-property",
  /** A `data.*` key that no included type's payload has. */
  UnknownDataKey: "unknown-data-key",
  /** A `data.*` key that exists only in another casing (`data.ModelName` → `data.modelName`). */
  DataKeyCase: "data-key-case",
  /** A key some included types lack, with an operator that never matches a missing key: those types are never delivered. */
  KeyAbsentForType: "key-absent-for-type",
  /** A value operator on an object field (`data.modelTags`): it never matches. */
  OperatorOnObject: "operator-on-object",
  /** A Number operator on a field that is a string on the wire (`data.modelVersion` is `"3"`). */
  NumberOperatorOnString: "number-operator-on-string",
  /** A String operator on a numeric field (`data.driftCoefficient`). */
  StringOperatorOnNumber: "string-operator-on-number",
  /** BoolEquals on a field that is not a boolean. */
  BoolOperatorOnNonBool: "bool-operator-on-non-bool",
  /** A negated operator on a field that is often null (`data.runType`): depends on undocumented null handling. */
  ReliesOnNullSemantics: "relies-on-null-semantics",
  /** An envelope key that is neither documented nor present on Event Grid events (`source`, `type`, …). */
  UnknownEnvelopeKey: "unknown-envelope-key",
  /** An envelope key events carry but Microsoft does not document as a filter key (`eventTime`, `metadataVersion`). */
  UndocumentedEnvelopeKey: "undocumented-envelope-key",
  /** RunStatusChanged listed without a `data.runStatus` filter: every status change is delivered. */
  RunStatusChangedWithoutStatusFilter: "run-status-changed-without-status-filter",
  /** StringContains on a tag value: substring matches (`prod` matches `preprod`); exact tag values want StringIn. */
  StringContainsOnTag: "string-contains-on-tag",
} as const;

/** One of the finding codes. */
export type FindingCodeName = (typeof FindingCode)[keyof typeof FindingCode];

/** The severity of each code. */
export const FINDING_SEVERITY: Readonly<Record<FindingCodeName, Finding["severity"]>> = {
  "invalid-filter": "error",
  "unknown-operator": "error",
  "invalid-key": "error",
  "missing-values": "error",
  "invalid-value": "error",
  "invalid-range": "error",
  // A misspelled property (`advancedFilter`) is dropped before the request reaches Azure, so the
  // subscription would receive every event its other conditions let through: refuse it. (The
  // azure-native provider builds the request body from the API schema and leaves unrecognized
  // properties out: pulumi/pulumi-azure-native PRs #3488 and #3504, "unrecognized properties".)
  "unknown-filter-property": "error",
  "too-many-advanced-filters": "error",
  "too-many-values": "error",
  "string-value-too-long": "error",
  "unknown-event-type": "error",
  "empty-event-types": "error",
  "subject-leading-slash": "error",
  "subject-never-matches": "error",
  "event-type-case": "warning",
  "duplicate-event-type": "warning",
  "all-event-types": "warning",
  "unknown-data-key": "warning",
  "data-key-case": "warning",
  "key-absent-for-type": "warning",
  "operator-on-object": "warning",
  "number-operator-on-string": "warning",
  "string-operator-on-number": "warning",
  "bool-operator-on-non-bool": "warning",
  "relies-on-null-semantics": "warning",
  "unknown-envelope-key": "warning",
  "undocumented-envelope-key": "warning",
  "run-status-changed-without-status-filter": "warning",
  "string-contains-on-tag": "warning",
};

/** The error findings only. */
export function filterErrors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === "error");
}

/** The warning findings only. */
export function filterWarnings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === "warning");
}

/**
 * House-style validation (`validateXArgs(args): string[]`): the messages of the error findings,
 * empty when Azure would accept the filter and it can deliver what it names.
 */
export function validateFilter(filter: unknown): string[] {
  return filterErrors(analyzeFilter(filter)).map((f) => f.message);
}

const short = (t: AmlEventTypeName): string => t.slice("Microsoft.MachineLearningServices.".length);
const q = (s: string): string => JSON.stringify(s);
const list = (xs: readonly string[]): string => xs.join(", ");

const FILTER_PROPERTIES = [
  "includedEventTypes",
  "subjectBeginsWith",
  "subjectEndsWith",
  "isSubjectCaseSensitive",
  "enableAdvancedFilteringOnArrays",
  "advancedFilters",
] as const;

/** The AML event type closest to `name`, for "did you mean" hints. */
export function closestAmlEventType(name: string): AmlEventTypeName {
  const lower = name.toLowerCase();
  const last = lower.slice(lower.lastIndexOf(".") + 1);
  if (/fail|status|cancel|running|queued/.test(last)) return AmlEventType.RunStatusChanged;
  let best: AmlEventTypeName = ALL_AML_EVENT_TYPES[0];
  let bestDistance = Infinity;
  for (const t of ALL_AML_EVENT_TYPES) {
    const d = editDistance(last, short(t).toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = t;
    }
  }
  return best;
}

function eventTypeHint(name: string): string {
  const closest = closestAmlEventType(name);
  const lower = name.toLowerCase();
  if (short(closest).toLowerCase() === lower) return `use the full name ${q(closest)}`;
  if (closest === AmlEventType.RunStatusChanged && /fail|cancel/.test(lower)) {
    return `AML has no such event; use ${q(closest)} with an advanced filter StringIn data.runStatus ["failed"]`;
  }
  return `did you mean ${q(closest)}? AML publishes ${list(ALL_AML_EVENT_TYPES.map(short))}`;
}

/** What the catalog knows about a `data.*` path for one event type. */
type PathInfo =
  | { readonly exists: true; readonly kind: FieldKind | "map-value" }
  | { readonly exists: false; readonly otherCasing?: string; readonly reason?: string };

function dataPathInfo(type: AmlEventTypeName, path: readonly string[]): PathInfo {
  const fields = PAYLOAD_FIELDS[type];
  if (path.length === 0) return { exists: true, kind: "object" };
  const [head, ...rest] = path;
  let kind: FieldKind | undefined = Object.prototype.hasOwnProperty.call(fields, head) ? fields[head] : undefined;
  let otherCasing: string | undefined;
  if (kind === undefined) {
    const match = Object.keys(fields).find((k) => k.toLowerCase() === head.toLowerCase());
    if (match === undefined) return { exists: false };
    otherCasing = ["data", match, ...rest].join(".");
    kind = fields[match];
  }
  let info: PathInfo;
  if (rest.length === 0) info = { exists: true, kind };
  else if (kind === "object" && rest.length === 1) info = { exists: true, kind: "map-value" };
  else if (kind === "object") {
    return { exists: false, reason: `${head} is a flat map of strings, so data.${head}.${rest[0]} is a string with no ${q(rest.slice(1).join("."))} inside it (Event Grid keys cannot escape dots, so a tag name containing a dot cannot be filtered)` };
  } else return { exists: false, reason: `data.${head} is a ${kind}, not an object` };
  return otherCasing === undefined ? info : { exists: false, otherCasing };
}

function isTagPath(path: readonly string[]): boolean {
  return path.length === 2 && /^(modelTags|runTags|serviceTags)$/i.test(path[0]);
}

/**
 * Tags whose value is prose Azure ML writes, where StringContains is the documented way to match: the
 * model monitoring breach tag (Microsoft Learn, "Integrate Azure Machine Learning model monitoring with Event Grid").
 */
function isProseTag(path: readonly string[]): boolean {
  return path.length === 2 && path[1].toLowerCase() === BREACH_TAG;
}

function rawValueCount(raw: unknown): number {
  if (typeof raw !== "object" || raw === null) return 0;
  const r = raw as { value?: unknown; values?: unknown };
  if (Array.isArray(r.values)) return r.values.length;
  return r.value === undefined || r.value === null ? 0 : 1;
}

function mismatchText(m: SubjectMismatch, what: "prefix" | "suffix"): string {
  const fits = m.fits === "" ? "no part of it" : `only ${q(m.fits)} ${what === "prefix" ? "starts" : "ends"} such a subject`;
  return `${short(m.eventType)} subjects look like ${m.format} (${fits})`;
}

/**
 * Analyzes a filter given as a plain object in the azure-native `EventSubscriptionFilter` input
 * shape (or anything else: malformed input yields error findings, never an exception).
 */
export function analyzeFilter(filter: unknown): Finding[] {
  const findings: Finding[] = [];
  const add = (code: FindingCodeName, message: string): void => {
    findings.push({ severity: FINDING_SEVERITY[code], code, message });
  };
  const read: ReadFilter = readFilter(filter);
  for (const p of read.problems) add(p.code, p.message);
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) return findings;
  const raw = filter as Record<string, unknown>;

  for (const prop of Object.keys(raw)) {
    if ((FILTER_PROPERTIES as readonly string[]).includes(prop)) continue;
    const close = FILTER_PROPERTIES.find((p) => editDistance(p.toLowerCase(), prop.toLowerCase()) <= 3);
    add(
      FindingCode.UnknownFilterProperty,
      `${prop}: not a property of an Event Grid subscription filter; it would be dropped and the subscription would receive every event its other conditions let through` +
        (close ? `; did you mean ${q(close)}?` : `; the properties are ${list(FILTER_PROPERTIES)}.`),
    );
  }

  // --- limits ---
  if (read.advancedFilterCount > FILTER_LIMITS.maxAdvancedFilters) {
    add(
      FindingCode.TooManyAdvancedFilters,
      `advancedFilters: ${read.advancedFilterCount} advanced filters, Event Grid allows ${FILTER_LIMITS.maxAdvancedFilters} per subscription; merge filters on the same key (values within one filter are OR'd) or split the subscription.`,
    );
  }
  const rawList = Array.isArray(raw.advancedFilters) ? (raw.advancedFilters as unknown[]) : [];
  const totalValues = rawList.reduce<number>((n, f) => n + rawValueCount(f), 0);
  if (totalValues > FILTER_LIMITS.maxAdvancedFilterValues) {
    add(
      FindingCode.TooManyValues,
      `advancedFilters: ${totalValues} values in total, Event Grid allows ${FILTER_LIMITS.maxAdvancedFilterValues} across all advanced filters of a subscription; use fewer values (e.g. StringBeginsWith on a shared prefix) or split the subscription.`,
    );
  }
  for (const { index, filter: f } of read.advancedFilters) {
    if (!("strings" in f)) continue;
    f.strings.forEach((s, i) => {
      if (s.length > FILTER_LIMITS.maxStringValueLength) {
        add(
          FindingCode.StringValueTooLong,
          `advancedFilters[${index}]: values[${i}] of ${f.operatorType} on ${f.key} is ${s.length} characters (${q(s.slice(0, 40))}…); Event Grid allows ${FILTER_LIMITS.maxStringValueLength} per string value.`,
        );
      }
    });
  }

  // --- event types ---
  let included: AmlEventTypeName[];
  const allEntry = read.includedEventTypes?.findIndex(isAllEventTypesEntry) ?? -1;
  const explicitTypes = read.includedEventTypes !== undefined && allEntry < 0;
  if (allEntry >= 0) {
    included = [...ALL_AML_EVENT_TYPES];
    add(
      FindingCode.AllEventTypes,
      `includedEventTypes[${allEntry}]: ${q(read.includedEventTypes?.[allEntry] ?? ALL_EVENT_TYPES_ENTRY)} delivers every event type the topic publishes, including types added later, whatever else the list names; ` +
        `list the AML types the handler understands (e.g. ${q(AmlEventType.RunCompleted)}), or omit includedEventTypes if every type is really meant.`,
    );
  } else if (read.includedEventTypes === undefined) {
    included = [...ALL_AML_EVENT_TYPES];
  } else {
    included = [];
    if (read.includedEventTypes.length === 0) {
      add(
        FindingCode.EmptyEventTypes,
        `includedEventTypes: an empty list delivers no event type; list the AML types you want (e.g. ${q(AmlEventType.RunCompleted)}) or omit includedEventTypes to receive all of them.`,
      );
    }
    const seen = new Set<string>();
    read.includedEventTypes.forEach((name, i) => {
      const exact = ALL_AML_EVENT_TYPES.find((t) => t === name);
      const folded = exact ?? ALL_AML_EVENT_TYPES.find((t) => t.toLowerCase() === name.toLowerCase());
      if (seen.has(name.toLowerCase())) {
        add(FindingCode.DuplicateEventType, `includedEventTypes[${i}]: ${q(name)} is listed more than once; remove the duplicate.`);
      }
      seen.add(name.toLowerCase());
      if (folded === undefined) {
        add(FindingCode.UnknownEventType, `includedEventTypes[${i}]: ${q(name)} is not an Azure Machine Learning event type, so the workspace never sends it; ${eventTypeHint(name)}.`);
        return;
      }
      if (exact === undefined) {
        add(
          FindingCode.EventTypeCase,
          `includedEventTypes[${i}]: ${q(name)} differs from the event type ${q(folded)} only in case; this library matches event types case-insensitively (Microsoft does not document it), so write ${q(folded)} exactly.`,
        );
      }
      if (!included.includes(folded)) included.push(folded);
    });
  }

  // --- subject prefix / suffix ---
  const subjectChecks = included.length > 0;
  const prefix = read.subjectBeginsWith;
  if (prefix !== undefined && prefix !== "" && subjectChecks) {
    if (prefix.startsWith("/")) {
      add(
        FindingCode.SubjectLeadingSlash,
        `subjectBeginsWith: ${q(prefix)} starts with "/", but AML subjects have no leading slash (e.g. ${q(SUBJECT_FORMATS[included[0]])}); remove the slash.`,
      );
    }
    const misses = included.map((t) => prefixMismatch(t, prefix, read.isSubjectCaseSensitive));
    if (misses.every((m) => m !== undefined)) {
      const stripped = prefix.replace(/^\/+/, "");
      const strippedFits = stripped !== prefix && included.some((t) => prefixMismatch(t, stripped, read.isSubjectCaseSensitive) === undefined);
      add(
        FindingCode.SubjectNeverMatches,
        `subjectBeginsWith: ${q(prefix)} can never match ${included.length === 1 ? "a subject" : "any subject"} of the included event types: ` +
          `${misses.map((m) => mismatchText(m as SubjectMismatch, "prefix")).join("; ")}. ` +
          (strippedFits
            ? `Without the leading slash, ${q(stripped)} would fit.`
            : `${stripped !== prefix ? `Even without the leading slash it does not fit. ` : ""}Use a prefix of one of those formats, e.g. ${q(SUBJECT_FORMATS[included[0]].replace(/\{.*$/, ""))}.`) +
          (read.isSubjectCaseSensitive ? " (isSubjectCaseSensitive is true, so case counts.)" : ""),
      );
    }
  }
  const suffix = read.subjectEndsWith;
  if (suffix !== undefined && suffix !== "" && subjectChecks) {
    const misses = included.map((t) => suffixMismatch(t, suffix, read.isSubjectCaseSensitive));
    if (misses.every((m) => m !== undefined)) {
      add(
        FindingCode.SubjectNeverMatches,
        `subjectEndsWith: ${q(suffix)} can never match a subject of the included event types: ${misses.map((m) => mismatchText(m as SubjectMismatch, "suffix")).join("; ")}; ` +
          `fix the suffix or the included event types.` +
          (read.isSubjectCaseSensitive ? " (isSubjectCaseSensitive is true, so case counts.)" : ""),
      );
    }
  }

  // --- advanced filters against the catalog ---
  let hasRunStatusFilter = false;
  const keysWithPresenceCheck = new Set(
    read.advancedFilters
      .filter(({ filter: f }) => f.operatorType === "IsNotNull" || f.operatorType === "IsNullOrUndefined")
      .map(({ filter: f }) => f.key.toLowerCase()),
  );
  for (const { index, filter: f } of read.advancedFilters) {
    const at = `advancedFilters[${index}]`;
    const op: AdvancedFilterOperator = f.operatorType;
    const valueKind = operatorValueKind(op);
    const pk = f.parsedKey;
    if (pk.kind === "envelope") {
      if (pk.lower in ENVELOPE_LOWER) {
        if (valueKind === "number" || valueKind === "boolean") {
          add(
            valueKind === "number" ? FindingCode.NumberOperatorOnString : FindingCode.BoolOperatorOnNonBool,
            `${at}: ${op} on ${f.key}, but envelope fields are strings, which ${op} ignores, so it ${NEGATED_OPERATORS.has(op) ? "matches every event" : "never matches"}; use a String operator (e.g. StringIn).`,
          );
        }
        if (pk.lower === "subject" && subjectChecks && "strings" in f) checkSubjectOperator(f, at, included, add);
      } else if (pk.lower in UNDOCUMENTED_LOWER) {
        add(
          FindingCode.UndocumentedEnvelopeKey,
          `${at}: ${q(f.key)} is an envelope field events carry, but Microsoft documents only ID, Topic, Subject, EventType and DataVersion as filter keys; Azure may ignore it. Filter on a documented key instead.`,
        );
      } else {
        const alias = ENVELOPE_ALIASES[pk.lower];
        const dataGuess = included.map((t) => Object.keys(PAYLOAD_FIELDS[t]).find((k) => k.toLowerCase() === pk.lower)).find((k) => k !== undefined);
        add(
          FindingCode.UnknownEnvelopeKey,
          `${at}: ${q(f.key)} is not an Event Grid schema envelope key (ID, Topic, Subject, EventType, DataVersion)` +
            (alias ? `; AML events use the Event Grid schema, where it is ${q(alias)}.` : dataGuess ? `; payload fields need the data. prefix: ${q(`data.${dataGuess}`)}.` : `; payload fields are addressed as data.<field>.`),
        );
      }
      continue;
    }

    // data.* keys
    const path = pk.path;
    if (path.length === 1 && path[0].toLowerCase() === "runstatus") hasRunStatusFilter = true;
    // A model monitoring breach filter narrows on the breach tag, which Microsoft's guide pairs with no status condition.
    if (isProseTag(path)) hasRunStatusFilter = true;
    const infos = included.map((t) => ({ type: t, info: dataPathInfo(t, path) }));
    const present = infos.filter((x) => x.info.exists);
    const dotted = `data.${path.join(".")}`;
    if (present.length === 0 && included.length > 0) {
      const casing = infos.map((x) => (x.info.exists ? undefined : x.info.otherCasing)).find((c) => c !== undefined);
      if (casing !== undefined) {
        add(
          FindingCode.DataKeyCase,
          `${at}: ${q(f.key)} is spelled ${q(casing)} in real AML events (camelCase; Microsoft's schema page shows PascalCase). Azure matches it either way per Microsoft's examples (they filter on data.ModelTags.key1), and so does evaluateFilter by default; write ${q(casing)} to match the payload exactly (evaluateFilter's keyCase "exact" mode).`,
        );
      } else {
        const reason = infos.map((x) => (x.info.exists ? undefined : x.info.reason)).find((r) => r !== undefined);
        const known = [...new Set(included.flatMap((t) => Object.keys(PAYLOAD_FIELDS[t])))];
        add(
          FindingCode.UnknownDataKey,
          `${at}: ${q(f.key)} is not in the payload of ${included.length === ALL_AML_EVENT_TYPES.length ? "any AML event type" : list(included.map(short))}` +
            (reason ? ` (${reason})` : "") +
            `; ${op}${MATCH_WHEN_MISSING.has(op) || op === "IsNullOrUndefined" ? " then matches every event" : " then matches no event"}. Known data keys: ${list(known.map((k) => `data.${k}`))}.`,
        );
      }
      continue;
    }
    if (path.length === 0) {
      if (valueKind !== "presence") add(FindingCode.OperatorOnObject, `${at}: ${op} on ${q(f.key)} compares the whole payload object and never matches; filter on a field such as data.${Object.keys(PAYLOAD_FIELDS[included[0]])[0]}.`);
      continue;
    }
    const absent = infos.filter((x) => !x.info.exists).map((x) => x.type);
    if (absent.length > 0 && !MATCH_WHEN_MISSING.has(op) && op !== "IsNullOrUndefined") {
      add(
        FindingCode.KeyAbsentForType,
        `${at}: ${list(absent.map(short))} events have no ${dotted}, and ${op} does not match a missing key` +
          (op === "NumberNotInRange" ? " (Microsoft does not document this case for NumberNotInRange; this library does not match it)" : "") +
          `, so they are never delivered; ${explicitTypes ? "remove them from includedEventTypes" : `set includedEventTypes to ${list(present.map((x) => short(x.type)))}`} or split the subscription.`,
      );
    }
    const kinds = new Set(present.map((x) => (x.info.exists ? x.info.kind : "string")));
    const fieldIs = (k: FieldKind | "map-value"): boolean => kinds.has(k);
    if (fieldIs("object") && valueKind !== "presence") {
      add(FindingCode.OperatorOnObject, `${at}: ${dotted} is a map, so ${op} on it never matches; filter on one entry, e.g. ${dotted}.<name>.`);
      continue;
    }
    const stringy = fieldIs("string") || fieldIs("map-value") || fieldIs("string|null") || fieldIs("string|number");
    if (valueKind === "number" && stringy) {
      add(
        FindingCode.NumberOperatorOnString,
        `${at}: ${op} on ${dotted}, which is a string on the wire${fieldIs("string|number") ? ` (e.g. "3"; only Microsoft's docs show a number)` : ""}. ` +
          `Microsoft does not document whether Number operators read numeric strings; this library ignores them, so ${op} ${NEGATED_OPERATORS.has(op) ? "matches every event" : "never matches"}. Use StringIn${NEGATED_OPERATORS.has(op) ? "/StringNotIn" : ""} ${dotted} with the exact values instead.`,
      );
    }
    if (valueKind === "string" && fieldIs("number")) {
      add(
        FindingCode.StringOperatorOnNumber,
        `${at}: ${op} on ${dotted}, which is a number; Microsoft shows String operators reading numbers only in a CloudEvents example, and this library compares the number's JSON text (e.g. "0.835"), which is fragile. Use a Number operator (e.g. NumberGreaterThanOrEquals).`,
      );
    }
    if (valueKind === "boolean") {
      add(FindingCode.BoolOperatorOnNonBool, `${at}: BoolEquals on ${dotted}, which is not a boolean in any AML payload, so it never matches (values of another type are ignored); use StringIn or a Number operator.`);
    }
    if (NEGATED_OPERATORS.has(op) && fieldIs("string|null") && !keysWithPresenceCheck.has(f.key.toLowerCase())) {
      add(
        FindingCode.ReliesOnNullSemantics,
        `${at}: ${dotted} is often null (e.g. runType on AutoML child runs); how Event Grid applies ${op} to null is undocumented. This library ignores null like any value of another type, so ${op} matches null. ` +
          `Add IsNotNull or IsNullOrUndefined on ${dotted} to state what you want.`,
      );
    }
    if (op === "StringContains" && isTagPath(path) && !isProseTag(path)) {
      add(
        FindingCode.StringContainsOnTag,
        `${at}: StringContains on ${dotted} with ${q(list("strings" in f ? f.strings : []))} also matches tag values that merely contain it (e.g. "preprod" contains "prod"); use StringIn for exact tag values.`,
      );
    }
  }

  // A list of every AML type is a catch-all (e.g. streaming everything), not an alert.
  const catchAll = included.length === ALL_AML_EVENT_TYPES.length;
  if (explicitTypes && included.includes(AmlEventType.RunStatusChanged) && !hasRunStatusFilter && !catchAll) {
    add(
      FindingCode.RunStatusChangedWithoutStatusFilter,
      `includedEventTypes: RunStatusChanged fires on every status change (queued, running, completed, …); add an advanced filter such as StringIn data.runStatus ["failed"] to alert only on what matters.`,
    );
  }
  // Errors first, each group in the order found (filter properties, then event types, subject, advanced filters).
  return [...filterErrors(findings), ...filterWarnings(findings)];
}

const ENVELOPE_LOWER: Readonly<Record<string, true>> = { id: true, topic: true, subject: true, eventtype: true, dataversion: true };
const UNDOCUMENTED_LOWER: Readonly<Record<string, true>> = { eventtime: true, metadataversion: true };
/** CloudEvents attribute names and their Event Grid schema equivalents. */
const ENVELOPE_ALIASES: Readonly<Record<string, string>> = {
  source: "Topic",
  type: "EventType",
  eventid: "ID",
  eventtypeversion: "DataVersion",
  time: "EventTime",
  specversion: "(none)",
};

function checkSubjectOperator(
  f: Extract<NormalizedAdvancedFilter, { strings: readonly string[] }>,
  at: string,
  included: readonly AmlEventTypeName[],
  add: (code: FindingCodeName, message: string) => void,
): void {
  const check =
    f.operatorType === "StringBeginsWith" ? prefixMismatch : f.operatorType === "StringEndsWith" ? suffixMismatch : undefined;
  if (check === undefined) return;
  const fits = f.strings.some((s) => included.some((t) => check(t, s, false) === undefined));
  if (!fits) {
    add(
      FindingCode.SubjectNeverMatches,
      `${at}: ${f.operatorType} on subject with ${q(list(f.strings))} can never match a subject of the included event types (${list(included.map((t) => `${short(t)}: ${SUBJECT_FORMATS[t]}`))}); fix the values${f.strings.some((s) => s.startsWith("/")) ? " (AML subjects have no leading slash)" : ""}.`,
    );
  }
}
