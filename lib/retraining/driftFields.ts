/**
 * The fields of a legacy (v1) DatasetDriftDetected event that a retraining pipeline parameter can be
 * mapped from. A leaf module: the Data Factory builders and the breach fields both read it.
 */
/** Names of the drift event's `data` fields (real camelCase spelling). */
export const DRIFT_DATA_FIELDS = [
  "dataDriftId",
  "dataDriftName",
  "runId",
  "baseDatasetId",
  "targetDatasetId",
  "driftCoefficient",
  "startTime",
  "endTime",
] as const;
/** A `data` field of DatasetDriftDetected. */
export type DriftDataField = (typeof DRIFT_DATA_FIELDS)[number];
/** Envelope fields a pipeline parameter may also be mapped from. */
export const DRIFT_ENVELOPE_FIELDS = ["id", "subject", "eventTime", "topic"] as const;
/** An envelope field of the event (`id`, `subject`, `eventTime`, `topic`). */
export type DriftEnvelopeField = (typeof DRIFT_ENVELOPE_FIELDS)[number];
/** Any event field a pipeline parameter can be mapped from. */
export type DriftEventField = DriftDataField | DriftEnvelopeField;

/** True when `field` names a drift `data` field or an envelope field. */
export function isDriftEventField(field: unknown): field is DriftEventField {
  return (
    typeof field === "string" &&
    ((DRIFT_DATA_FIELDS as readonly string[]).includes(field) || (DRIFT_ENVELOPE_FIELDS as readonly string[]).includes(field))
  );
}

/** True when `field` is a `data` field (read in both casings) rather than an envelope field. */
export function isDriftDataField(field: DriftEventField): field is DriftDataField {
  return (DRIFT_DATA_FIELDS as readonly string[]).includes(field);
}

/** The default mapping: one pipeline parameter per drift `data` field, named like the field. */
export const DEFAULT_PARAMETER_MAPPING: Readonly<Record<string, DriftEventField>> = Object.fromEntries(
  DRIFT_DATA_FIELDS.map((f) => [f, f]),
) as Record<string, DriftEventField>;
