/**
 * The filter semantics {@link evaluateFilter} implements, as data: what Microsoft documents, and
 * what this library chose where Microsoft is silent (each choice names the analyzer code that warns
 * about filters depending on it). {@link FILTER_SEMANTICS_MARKDOWN} renders it for docs/guides/offline-plan.md.
 */
import { FindingCode, FindingCodeName } from "./analyze";

/** One rule of filter evaluation. */
export interface FilterSemanticsRule {
  /** Short name of the topic. */
  readonly topic: string;
  /** The behaviour, in one or two sentences. */
  readonly behaviour: string;
  /** `documented`: Microsoft's filtering docs say so. `chosen`: Microsoft is silent; this is our pick. */
  readonly source: "documented" | "chosen";
  /** For chosen rules: the analyzer codes that flag filters depending on the choice. */
  readonly flaggedBy?: readonly FindingCodeName[];
}

/** Every rule, documented ones first. */
export const FILTER_SEMANTICS: readonly FilterSemanticsRule[] = [
  { topic: "composition", source: "documented", behaviour: "Event type AND subject prefix AND subject suffix AND every advanced filter. Values inside one advanced filter are OR'd; for the negated operators the value must hit none of them." },
  { topic: "event types", source: "documented", behaviour: "`includedEventTypes` absent or null, or a list containing `All` (Microsoft: \"specify All to get all event types\"), delivers every event type." },
  { topic: "subject", source: "documented", behaviour: "`subjectBeginsWith`/`subjectEndsWith` are plain prefix/suffix text (no wildcards), case-insensitive unless `isSubjectCaseSensitive` is true. An empty prefix or suffix is no condition." },
  { topic: "string case", source: "documented", behaviour: "All advanced-filter string comparisons ignore case (here: JavaScript `toLowerCase`, which differs from .NET's ordinal-ignore-case only for a few non-ASCII letters)." },
  { topic: "ranges", source: "documented", behaviour: "NumberInRange/NumberNotInRange take inclusive `[low, high]` pairs." },
  { topic: "missing keys", source: "documented", behaviour: "A missing key matches NumberNotIn and StringNotIn, and no other value operator (NumberIn, the four comparisons, BoolEquals, StringIn, StringContains, StringNotContains, StringBeginsWith, StringNotBeginsWith, StringEndsWith, StringNotEndsWith)." },
  { topic: "null", source: "documented", behaviour: "IsNullOrUndefined matches a missing key or null; IsNotNull matches a present, non-null value." },
  { topic: "arrays", source: "documented", behaviour: "With `enableAdvancedFilteringOnArrays`, a positive operator matches when any element matches and a negated operator fails when any element hits; elements of another type than the operator compares are ignored. Arrays of objects are unsupported (never match)." },
  { topic: "keys", source: "documented", behaviour: "`data.a.b` walks nested objects; dots cannot be escaped. Envelope keys `ID`, `Topic`, `Subject`, `EventType`, `DataVersion` match the event's `id`, `topic`, … in any case; the `data` root too (`Data.Key1`)." },
  {
    topic: "values of another type",
    source: "chosen",
    behaviour: "Ignored, the rule Microsoft documents for array elements applied to single values too: a positive operator does not match them, a negated operator does. Number operators never read strings (`\"3\"` is not 3, so NumberIn [3] fails and NumberNotIn [3] matches); BoolEquals reads booleans only.",
    flaggedBy: [FindingCode.NumberOperatorOnString, FindingCode.BoolOperatorOnNonBool],
  },
  {
    topic: "numbers under String operators",
    source: "chosen",
    behaviour: "Read as their JSON text (`3` is `\"3\"`), as in Microsoft's CloudEvents example that compares the number 5 with StringBeginsWith \"5\". So StringIn data.modelVersion [\"3\"] matches real events (`\"3\"`) and documented ones (`3`).",
    flaggedBy: [FindingCode.StringOperatorOnNumber],
  },
  {
    topic: "null values",
    source: "chosen",
    behaviour: "A null value is a value of another type: negated operators match it, positive ones do not (a missing key follows Microsoft's list instead).",
    flaggedBy: [FindingCode.ReliesOnNullSemantics],
  },
  {
    topic: "data key case",
    source: "chosen",
    behaviour: "Segments after `data.` ignore case: `data.ModelName` finds `modelName` (an exact-case property wins when both exist). Microsoft's AML filter examples write PascalCase keys (`data.ModelTags.key1`) for camelCase payloads and the Event Grid simulator matches keys ignoring case, but no Event Grid page states it. `evaluateFilter(filter, event, { keyCase: \"exact\" })` compares segments exactly.",
    flaggedBy: [FindingCode.DataKeyCase],
  },
  {
    topic: "arrays with the flag off",
    source: "chosen",
    behaviour: "An array value fails every value operator, negated ones included (Microsoft's IoT Edge filtering doc: \"the matching operation fails\"). IsNullOrUndefined/IsNotNull see an array as a present, non-null value. With the flag on, an empty array matches only negated operators.",
  },
  {
    topic: "objects",
    source: "chosen",
    behaviour: "A key that resolves to an object, or that steps through an array (`data.items.name`), fails every value operator.",
    flaggedBy: [FindingCode.OperatorOnObject],
  },
  {
    topic: "NumberNotInRange on a missing key",
    source: "chosen",
    behaviour: "Does not match, like the other operators Microsoft added with it (NumberInRange, StringNotContains, StringNotBeginsWith, StringNotEndsWith).",
    flaggedBy: [FindingCode.KeyAbsentForType],
  },
  {
    topic: "event type case",
    source: "chosen",
    behaviour: "`includedEventTypes` entries match the event's `eventType` ignoring case. An empty list delivers nothing.",
    flaggedBy: [FindingCode.EventTypeCase, FindingCode.EmptyEventTypes],
  },
  {
    topic: "other envelope keys",
    source: "chosen",
    behaviour: "Any other top-level key (`eventTime`, `metadataVersion`) is read from the event ignoring case; CloudEvents names (`source`, `type`) are not mapped onto Event Grid schema events.",
    flaggedBy: [FindingCode.UndocumentedEnvelopeKey, FindingCode.UnknownEnvelopeKey],
  },
];

function render(): string {
  const row = (r: FilterSemanticsRule): string =>
    `| ${r.topic} | ${r.behaviour.replace(/\|/g, "\\|")} |${r.source === "chosen" ? ` ${(r.flaggedBy ?? []).map((c) => `\`${c}\``).join(", ") || "—"} |` : ""}`;
  return [
    "#### Documented by Microsoft",
    "",
    "| topic | behaviour |",
    "|---|---|",
    ...FILTER_SEMANTICS.filter((r) => r.source === "documented").map(row),
    "",
    "#### Chosen where Microsoft is silent",
    "",
    "| topic | behaviour | analyzer warning |",
    "|---|---|---|",
    ...FILTER_SEMANTICS.filter((r) => r.source === "chosen").map(row),
    "",
  ].join("\n");
}

/** The rules as two markdown tables (documented, chosen), for docs/guides/offline-plan.md. */
export const FILTER_SEMANTICS_MARKDOWN: string = render();
