/**
 * Parser for the `azureml_modelmonitor_threshold_breached` run tag that Azure ML model monitoring (v2)
 * sets on a monitor run that breached a threshold. The tag text starts
 * `The signal '<monitor>_<signal>' has failed due to one or more features violating metric thresholds.`
 * and goes on with the rows that breached (group, metric_value, metric_name, threshold_value).
 * Source: Microsoft Learn, "Integrate Azure Machine Learning model monitoring with Event Grid"
 * (https://learn.microsoft.com/azure/machine-learning/how-to-monitor-model-performance#integrate-azure-machine-learning-model-monitoring-with-azure-event-grid).
 * The rows are not documented by Microsoft; Azure/azureml-assets (`evaluate_metrics_threshold`,
 * `_generate_error_message`) writes them as a Python list of JSON objects
 * `['{"group":…,"metric_value":…,"metric_name":…,"threshold_value":…}', …]` after a second sentence.
 * This parser reads each `{…}` object and reports text it cannot read.
 */

/** The run tag Azure ML model monitoring sets on a breaching monitor run. */
export const BREACH_TAG = "azureml_modelmonitor_threshold_breached";

/** One feature that violated a metric threshold. */
export interface BreachedFeature {
  /** Feature (group) name. */
  readonly name: string;
  /** Metric name, e.g. `jensen_shannon_distance`. */
  readonly metric: string;
  /** Measured value. */
  readonly value: number;
  /** Threshold the value violated. */
  readonly threshold: number;
}

/** A parsed breach. */
export interface MonitorBreach {
  /** `<monitor>_<signal>` exactly as the tag names it. */
  readonly signalId: string;
  /** Monitor name (the text before the last `_` that matches a known signal, else before the first `_`). */
  readonly monitor: string;
  /** Signal name. */
  readonly signal: string;
  /** The rows that breached. */
  readonly features: readonly BreachedFeature[];
}

/** Result of parsing: a breach, or the reason the text is not one. */
export type BreachParseResult =
  | { readonly ok: true; readonly breach: MonitorBreach }
  | { readonly ok: false; readonly reason: string };

const HEAD = /^\s*The signal '([^']+)' has failed due to one or more features violating metric thresholds\.?/;
const ROW = /\{[^{}]*\}/g;

/** Splits `<monitor>_<signal>`; with known signal names the longest matching suffix wins. */
export function splitSignalId(signalId: string, signalNames: readonly string[] = []): { monitor: string; signal: string } | undefined {
  const known = [...signalNames].sort((a, b) => b.length - a.length).find((s) => signalId.endsWith(`_${s}`) && signalId.length > s.length + 1);
  if (known !== undefined) return { monitor: signalId.slice(0, -known.length - 1), signal: known };
  const i = signalId.indexOf("_");
  if (i <= 0 || i === signalId.length - 1) return undefined;
  return { monitor: signalId.slice(0, i), signal: signalId.slice(i + 1) };
}

function parseRow(json: string): BreachedFeature | string {
  let row: unknown;
  try {
    row = JSON.parse(json);
  } catch {
    return `row ${json} is not JSON`;
  }
  const r = (row ?? {}) as Record<string, unknown>;
  const { group, metric_name: metric, metric_value: value, threshold_value: threshold } = r;
  if (typeof group !== "string" || typeof metric !== "string") return `row ${json} lacks a string group or metric_name`;
  if (typeof value !== "number" || typeof threshold !== "number") return `row for '${group}' has a non-numeric metric_value or threshold_value`;
  return { name: group, metric, value, threshold };
}

function parseRows(rest: string): BreachedFeature[] | string {
  const features: BreachedFeature[] = [];
  for (const m of rest.matchAll(ROW)) {
    const row = parseRow(m[0]);
    if (typeof row === "string") return row;
    features.push(row);
  }
  return features;
}

/**
 * Parses the breach tag text. Returns `ok: false` with a reason for text that is not a breach tag
 * (missing, wrong head, unsplittable signal id, unreadable rows); never throws.
 */
export function parseBreachTag(text: unknown, signalNames: readonly string[] = []): BreachParseResult {
  if (typeof text !== "string" || text.trim() === "") return { ok: false, reason: `the ${BREACH_TAG} tag is missing or empty` };
  const head = HEAD.exec(text);
  if (head === null) return { ok: false, reason: `the ${BREACH_TAG} tag does not start with "The signal '<monitor>_<signal>' has failed due to …"` };
  const split = splitSignalId(head[1], signalNames);
  if (split === undefined) return { ok: false, reason: `signal id '${head[1]}' is not '<monitor>_<signal>'` };
  const rows = parseRows(text.slice(head[0].length));
  if (typeof rows === "string") return { ok: false, reason: rows };
  return { ok: true, breach: { signalId: head[1], ...split, features: rows } };
}

/** Reads the breach tag from an Event Grid RunStatusChanged `data`, in either payload casing. */
export function breachTagFromEventData(data: unknown): unknown {
  if (data === null || typeof data !== "object") return undefined;
  const d = data as Record<string, unknown>;
  const tags = d.runTags ?? d.RunTags;
  if (tags === null || typeof tags !== "object") return undefined;
  const t = tags as Record<string, unknown>;
  const key = Object.keys(t).find((k) => k.toLowerCase() === BREACH_TAG);
  return key === undefined ? undefined : t[key];
}
