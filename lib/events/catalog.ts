import { AmlEventType, AmlEventTypeName } from "./types";

/** JSON type of a payload field, as Event Grid's advanced filters see it. */
export type FieldKind = "string" | "number" | "object" | "string|number" | "string|null";

/**
 * Top-level `data` keys of each event type in their real (camelCase) spelling, with their JSON kind.
 * `modelVersion` is a string on the wire and a number in the docs. Maps (`modelTags`, …) hold
 * user-defined keys, so any `data.modelTags.<key>` is a valid path.
 */
export const PAYLOAD_FIELDS: Readonly<Record<AmlEventTypeName, Readonly<Record<string, FieldKind>>>> = {
  [AmlEventType.RunCompleted]: {
    experimentId: "string", experimentName: "string", runId: "string", runType: "string|null", runTags: "object", runProperties: "object",
  },
  [AmlEventType.RunStatusChanged]: {
    experimentId: "string", experimentName: "string", runId: "string", runType: "string|null", runTags: "object", runProperties: "object", runStatus: "string",
  },
  [AmlEventType.ModelRegistered]: {
    modelName: "string", modelVersion: "string|number", modelTags: "object", modelProperties: "object",
  },
  [AmlEventType.ModelDeployed]: {
    serviceName: "string", serviceComputeType: "string", modelIds: "string", serviceTags: "object", serviceProperties: "object",
  },
  [AmlEventType.DatasetDriftDetected]: {
    dataDriftId: "string", dataDriftName: "string", runId: "string", baseDatasetId: "string", targetDatasetId: "string",
    driftCoefficient: "number", startTime: "string", endTime: "string",
  },
};

/** Short human descriptions of each event type, for reports and default email subjects. */
export const EVENT_DESCRIPTIONS: Readonly<Record<AmlEventTypeName, string>> = {
  [AmlEventType.RunCompleted]: "a run completed",
  [AmlEventType.RunStatusChanged]: "a run changed status",
  [AmlEventType.ModelRegistered]: "a model was registered",
  [AmlEventType.ModelDeployed]: "a model was deployed to an endpoint",
  [AmlEventType.DatasetDriftDetected]: "a data drift monitor detected drift",
};
