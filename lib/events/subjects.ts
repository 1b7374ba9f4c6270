import { AmlEventType, AmlEventTypeName } from "./types";

/**
 * Each AML event type's subject format, as literal segments and `{placeholders}`.
 * Real DatasetDriftDetected events use `datadrift/{id}/run/{runId}`; the schema page's
 * `datadrifts/{}/runs/{}` is a placeholder and never appears on the wire. Subjects have no leading slash.
 */
export const SUBJECT_FORMATS: Readonly<Record<AmlEventTypeName, string>> = {
  [AmlEventType.RunCompleted]: "experiments/{experimentId}/runs/{runId}",
  [AmlEventType.RunStatusChanged]: "experiments/{experimentId}/runs/{runId}",
  [AmlEventType.ModelRegistered]: "models/{modelName}:{modelVersion}",
  [AmlEventType.ModelDeployed]: "endpoints/{serviceId}",
  [AmlEventType.DatasetDriftDetected]: "datadrift/{dataDriftId}/run/{runId}",
};

/** A subject format split into literal text and placeholders, in order. */
export type SubjectPart = { readonly literal: string } | { readonly placeholder: string };

/** Splits a subject format (`models/{modelName}:{modelVersion}`) into its parts. */
export function subjectParts(format: string): SubjectPart[] {
  const parts: SubjectPart[] = [];
  const re = /\{([A-Za-z]+)\}/g;
  let last = 0;
  for (let m = re.exec(format); m !== null; m = re.exec(format)) {
    if (m.index > last) parts.push({ literal: format.slice(last, m.index) });
    parts.push({ placeholder: m[1] });
    last = m.index + m[0].length;
  }
  if (last < format.length) parts.push({ literal: format.slice(last) });
  return parts;
}

/** Builds a subject from its format and values, e.g. `formatSubject(ModelRegistered, {modelName: "m", modelVersion: "3"})`. */
export function formatSubject(eventType: AmlEventTypeName, values: Readonly<Record<string, string>>): string {
  return SUBJECT_FORMATS[eventType].replace(/\{([A-Za-z]+)\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`formatSubject: missing value for {${key}} in ${eventType}'s subject format`);
    return v;
  });
}
