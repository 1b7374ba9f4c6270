/**
 * The event fields a model monitoring (v2) breach can hand to the retraining pipeline, and how the
 * workflow reads each one. A breach arrives as RunStatusChanged of the monitor run (see breachTag.ts);
 * besides the run's own `data` fields, two fields are derived from the breach tag.
 */
import { dataFieldExpr, eventExpr, literal } from "../workflows/builders";
import { DRIFT_ENVELOPE_FIELDS, DriftEnvelopeField, DriftEventField } from "../retraining/driftFields";
import { BREACH_TAG } from "./breachTag";

/** RunStatusChanged `data` fields a breach can map (real camelCase spelling; both casings are read). */
export const BREACH_DATA_FIELDS = ["runId", "experimentName", "experimentId", "runType", "runStatus"] as const;
/** Fields derived from the breach tag: the `<monitor>_<signal>` id and the whole tag text. */
export const BREACH_DERIVED_FIELDS = ["monitorSignal", "breachTag"] as const;
/** A field a breach-triggered pipeline parameter can be mapped from. */
export type BreachEventField = (typeof BREACH_DATA_FIELDS)[number] | (typeof BREACH_DERIVED_FIELDS)[number] | DriftEnvelopeField;
/** Any field a retraining pipeline parameter can be mapped from (legacy drift or v2 breach). */
export type RetrainEventField = DriftEventField | BreachEventField;

/** Every field a breach mapping accepts, for messages and checks. */
export const BREACH_EVENT_FIELDS: readonly BreachEventField[] = [...BREACH_DERIVED_FIELDS, ...BREACH_DATA_FIELDS, ...DRIFT_ENVELOPE_FIELDS];

/** True when `field` is a field a breach mapping accepts. */
export function isBreachEventField(field: unknown): field is BreachEventField {
  return typeof field === "string" && (BREACH_EVENT_FIELDS as readonly string[]).includes(field);
}

/**
 * The default breach mapping: the `<monitor>_<signal>` id, the event id and the monitor run id. The
 * run id is what tells two deliveries of one breach apart from two breaches (a monitor run flapping
 * Failed → Completed → Failed sends new events for the same run).
 */
export const DEFAULT_BREACH_MAPPING: Readonly<Record<string, BreachEventField>> = {
  monitorSignal: "monitorSignal",
  breachEventId: "id",
  monitorRunId: "runId",
};

/** Workflow variables holding the current breach's derived values (set once per event, read everywhere). */
export const BREACH_VARIABLES = {
  signal: "breachSignal",
  runId: "breachRunId",
} as const;

/** The breach tag's text as read from the event, either casing of `runTags`, `''` when absent. */
export function breachTagTextExpr(): string {
  return `string(coalesce(${dataFieldExpr("runTags", [BREACH_TAG])}, ''))`;
}

/**
 * The `<monitor>_<signal>` id: the text between the first `The signal '` and the next `'` of the tag
 * (Microsoft Learn's documented head), `''` when the tag has no such head. Whether the tag STARTS with
 * that head, and whether the id is safe, is checked apart ({@link breachHeadAtStartExpr}, {@link safeSignalIdExpr}).
 */
export function monitorSignalExpr(): string {
  const afterHead = `coalesce(split(${breachTagTextExpr()}, ${literal(BREACH_HEAD_PREFIX)})?[1], '')`;
  return `first(split(${afterHead}, ${literal("'")}))`;
}

/** The documented head of the breach tag up to the signal id (Microsoft Learn; azureml-assets writes it). */
export const BREACH_HEAD_PREFIX = "The signal '";

/**
 * The condition (without `@`) that the tag STARTS with the documented head around `signalExpr`:
 * `The signal '<id>' has failed due to one or more features violating metric thresholds`. A tag that
 * only mentions such a sentence later in its text (a forged tag) fails it.
 */
export function breachHeadAtStartExpr(signalExpr: string, headFragment: string): string {
  return `startsWith(trim(${breachTagTextExpr()}), concat(${literal(BREACH_HEAD_PREFIX)}, ${signalExpr}, ${literal(`' ${headFragment}`)}))`;
}

/**
 * The condition (without `@`) that `signalExpr` is a signal id of URL-safe characters only (letters,
 * digits, `-`, `_`, `.`, `~`: what `uriComponent` leaves unchanged) with a `_` joining monitor and
 * signal. Control characters, quotes, backslashes and spaces fail it, so the parsed id is safe to
 * hand on to any JSON body or URL.
 */
export function safeSignalIdExpr(signalExpr: string): string {
  return `and(contains(${signalExpr}, '_'), equals(uriComponent(${signalExpr}), ${signalExpr}))`;
}

/** The expression (without `@`) reading a breach field for the current event. */
export function breachFieldExpr(field: BreachEventField): string {
  if (field === "monitorSignal") return `variables(${literal(BREACH_VARIABLES.signal)})`;
  if (field === "breachTag") return breachTagTextExpr();
  if ((DRIFT_ENVELOPE_FIELDS as readonly string[]).includes(field)) return eventExpr([field]);
  return dataFieldExpr(field);
}
