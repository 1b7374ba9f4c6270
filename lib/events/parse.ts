import {
  AmlEvent,
  AmlEventType,
  CloudEvent,
  DatasetDriftData,
  EventGridEvent,
  isAmlEventType,
  ModelDeployedData,
  ModelRegisteredData,
  RunEventData,
} from "./types";

/** Thrown when input is not an AML event; the message says which field was wrong and what was expected. */
export class AmlEventParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AmlEventParseError";
  }
}

/** Narrows `unknown` to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads `key` from `data` accepting both casings seen in the wild: real events use camelCase
 * (`modelName`), Microsoft's schema page shows PascalCase (`ModelName`). The exact key wins;
 * otherwise the first key equal ignoring case.
 */
export function readField(data: Record<string, unknown>, key: string): unknown {
  // Own properties only: a payload's `__proto__` key must never supply fields through the prototype chain.
  if (Object.prototype.hasOwnProperty.call(data, key)) return data[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(data)) if (k.toLowerCase() === lower) return data[k];
  return undefined;
}

function str(data: Record<string, unknown>, key: string, eventType: string): string {
  const v = readField(data, key);
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new AmlEventParseError(
    `${eventType}: data.${key} must be a string, got ${describe(v)}; ` +
      `expected a payload like Microsoft's event schema (camelCase or PascalCase keys).`,
  );
}

function optStr(data: Record<string, unknown>, key: string): string | null {
  const v = readField(data, key);
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return null;
}

function strMap(data: Record<string, unknown>, key: string): Record<string, string> {
  const v = readField(data, key);
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === null || val === undefined) continue;
    out[k] = typeof val === "string" ? val : JSON.stringify(val);
  }
  return out;
}

function num(data: Record<string, unknown>, key: string, eventType: string): number {
  const v = readField(data, key);
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n === "number" && Number.isFinite(n)) return n;
  throw new AmlEventParseError(`${eventType}: data.${key} must be a number, got ${describe(v)}.`);
}

/** A short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function parseRun(data: Record<string, unknown>, eventType: string): RunEventData {
  const runStatus = optStr(data, "runStatus");
  return {
    experimentId: str(data, "experimentId", eventType),
    experimentName: optStr(data, "experimentName") ?? "",
    runId: str(data, "runId", eventType),
    runType: optStr(data, "runType"),
    runTags: strMap(data, "runTags"),
    runProperties: strMap(data, "runProperties"),
    ...(runStatus === null ? {} : { runStatus }),
  };
}

function parseModelRegistered(data: Record<string, unknown>, eventType: string): ModelRegisteredData {
  return {
    modelName: str(data, "modelName", eventType),
    modelVersion: str(data, "modelVersion", eventType),
    modelTags: strMap(data, "modelTags"),
    modelProperties: strMap(data, "modelProperties"),
  };
}

function parseModelDeployed(data: Record<string, unknown>, eventType: string): ModelDeployedData {
  const ids = optStr(data, "modelIds") ?? "";
  return {
    serviceName: str(data, "serviceName", eventType),
    serviceComputeType: optStr(data, "serviceComputeType") ?? "",
    modelIds: ids.split(",").map((s) => s.trim()).filter((s) => s !== ""),
    serviceTags: strMap(data, "serviceTags"),
    serviceProperties: strMap(data, "serviceProperties"),
  };
}

function parseDrift(data: Record<string, unknown>, eventType: string): DatasetDriftData {
  return {
    dataDriftId: str(data, "dataDriftId", eventType),
    dataDriftName: optStr(data, "dataDriftName") ?? "",
    runId: str(data, "runId", eventType),
    baseDatasetId: optStr(data, "baseDatasetId") ?? "",
    targetDatasetId: optStr(data, "targetDatasetId") ?? "",
    driftCoefficient: num(data, "driftCoefficient", eventType),
    startTime: optStr(data, "startTime") ?? "",
    endTime: optStr(data, "endTime") ?? "",
  };
}

/** True when `raw` looks like a CloudEvents 1.0 envelope. */
export function isCloudEvent(raw: unknown): raw is CloudEvent {
  return isRecord(raw) && raw.specversion === "1.0" && typeof raw.type === "string";
}

/** Converts a CloudEvents 1.0 envelope to the Event Grid schema (same id, topic = source). */
export function cloudEventToEventGrid(ce: CloudEvent): EventGridEvent {
  return {
    id: ce.id,
    topic: ce.source,
    subject: ce.subject ?? "",
    eventType: ce.type,
    eventTime: ce.time ?? "",
    data: ce.data,
    dataVersion: "",
    metadataVersion: "1",
  };
}

/** Converts an Event Grid schema event to CloudEvents 1.0 (as Event Grid does for `CloudEventSchemaV1_0`). */
export function eventGridToCloudEvent(e: EventGridEvent): CloudEvent {
  return {
    specversion: "1.0",
    id: e.id,
    source: e.topic,
    subject: e.subject,
    type: e.eventType,
    time: e.eventTime,
    datacontenttype: "application/json",
    data: e.data,
  };
}

/**
 * Parses one AML event delivered in the Event Grid schema or as a CloudEvent.
 * Accepts real payloads (camelCase keys, `modelVersion` as a string) and the documented ones
 * (PascalCase keys, `ModelVersion` as a number) and normalizes both; unknown fields are ignored.
 * Throws {@link AmlEventParseError} naming the offending field for anything else.
 */
export function parseAmlEvent(raw: unknown): AmlEvent {
  if (!isRecord(raw)) {
    throw new AmlEventParseError(`An AML event must be a JSON object, got ${describe(raw)}.`);
  }
  const e: Record<string, unknown> = isCloudEvent(raw) ? { ...cloudEventToEventGrid(raw) } : raw;
  const eventType = e.eventType;
  if (!isAmlEventType(eventType)) {
    throw new AmlEventParseError(
      `eventType ${describe(eventType)} is not an Azure Machine Learning event; expected one of ` +
        `${Object.values(AmlEventType).join(", ")}.`,
    );
  }
  for (const key of ["id", "topic", "subject"] as const) {
    if (typeof e[key] !== "string") {
      throw new AmlEventParseError(`${eventType}: envelope field '${key}' must be a string, got ${describe(e[key])}.`);
    }
  }
  const data = e.data;
  if (!isRecord(data)) {
    throw new AmlEventParseError(`${eventType}: 'data' must be an object, got ${describe(data)}.`);
  }
  const base = {
    id: e.id as string,
    topic: e.topic as string,
    subject: e.subject as string,
    eventTime: typeof e.eventTime === "string" ? e.eventTime : "",
  };
  switch (eventType) {
    case AmlEventType.RunCompleted:
    case AmlEventType.RunStatusChanged:
      return { ...base, eventType, data: parseRun(data, eventType) };
    case AmlEventType.ModelRegistered:
      return { ...base, eventType, data: parseModelRegistered(data, eventType) };
    case AmlEventType.ModelDeployed:
      return { ...base, eventType, data: parseModelDeployed(data, eventType) };
    case AmlEventType.DatasetDriftDetected:
      return { ...base, eventType, data: parseDrift(data, eventType) };
    default: {
      const never: never = eventType;
      throw new AmlEventParseError(`Unhandled event type ${String(never)}`);
    }
  }
}
