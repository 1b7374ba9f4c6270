/**
 * The Azure Machine Learning event catalog: event type names, the Event Grid and CloudEvents
 * envelopes, and the normalized payload shapes our handlers work with.
 */

/** The five event types an Azure Machine Learning workspace publishes to Event Grid. */
export const AmlEventType = {
  RunCompleted: "Microsoft.MachineLearningServices.RunCompleted",
  ModelRegistered: "Microsoft.MachineLearningServices.ModelRegistered",
  ModelDeployed: "Microsoft.MachineLearningServices.ModelDeployed",
  DatasetDriftDetected: "Microsoft.MachineLearningServices.DatasetDriftDetected",
  RunStatusChanged: "Microsoft.MachineLearningServices.RunStatusChanged",
} as const;

/** One of the five AML event types (named like its values, so Pulumi's schema gets an enum). */
export type AmlEventType = (typeof AmlEventType)[keyof typeof AmlEventType];
/** One of the full `Microsoft.MachineLearningServices.*` event type strings. */
export type AmlEventTypeName = AmlEventType;

/** Every AML event type, in catalog order. */
export const ALL_AML_EVENT_TYPES: readonly AmlEventTypeName[] = Object.values(AmlEventType);

/** The Event Grid system topic type of an AML workspace. */
export const AML_TOPIC_TYPE = "Microsoft.MachineLearningServices.Workspaces";

/** True when `value` is one of the five AML event type strings (exact spelling). */
export function isAmlEventType(value: unknown): value is AmlEventTypeName {
  return typeof value === "string" && (ALL_AML_EVENT_TYPES as readonly string[]).includes(value);
}

/** An event in the Event Grid schema, as delivered to a subscriber. */
export interface EventGridEvent {
  readonly id: string;
  readonly topic: string;
  readonly subject: string;
  readonly eventType: string;
  readonly eventTime: string;
  readonly data: unknown;
  readonly dataVersion: string;
  readonly metadataVersion?: string;
}

/** An event in the CloudEvents 1.0 schema (JSON structured mode). */
export interface CloudEvent {
  readonly specversion: "1.0";
  readonly id: string;
  readonly source: string;
  readonly subject?: string;
  readonly type: string;
  readonly time?: string;
  readonly datacontenttype?: string;
  readonly data: unknown;
}

/** RunCompleted / RunStatusChanged payload, normalized to camelCase. */
export interface RunEventData {
  readonly experimentId: string;
  readonly experimentName: string;
  readonly runId: string;
  readonly runType: string | null;
  readonly runTags: Readonly<Record<string, string>>;
  readonly runProperties: Readonly<Record<string, string>>;
  /** Present on RunStatusChanged (e.g. `failed`, `completed`, `running`); open-ended. */
  readonly runStatus?: string;
}

/** ModelRegistered payload, normalized: `modelVersion` is always a string. */
export interface ModelRegisteredData {
  readonly modelName: string;
  readonly modelVersion: string;
  readonly modelTags: Readonly<Record<string, string>>;
  readonly modelProperties: Readonly<Record<string, string>>;
}

/** ModelDeployed payload, normalized: `modelIds` split from its comma-separated form. */
export interface ModelDeployedData {
  readonly serviceName: string;
  readonly serviceComputeType: string;
  readonly modelIds: readonly string[];
  readonly serviceTags: Readonly<Record<string, string>>;
  readonly serviceProperties: Readonly<Record<string, string>>;
}

/** DatasetDriftDetected payload, normalized to camelCase. */
export interface DatasetDriftData {
  readonly dataDriftId: string;
  readonly dataDriftName: string;
  readonly runId: string;
  readonly baseDatasetId: string;
  readonly targetDatasetId: string;
  readonly driftCoefficient: number;
  readonly startTime: string;
  readonly endTime: string;
}

interface AmlEventBase {
  readonly id: string;
  /** The workspace's ARM id (`source` in CloudEvents). */
  readonly topic: string;
  readonly subject: string;
  readonly eventTime: string;
}

/** A parsed AML event: discriminated on `eventType`, data normalized. */
export type AmlEvent =
  | (AmlEventBase & { readonly eventType: typeof AmlEventType.RunCompleted; readonly data: RunEventData })
  | (AmlEventBase & { readonly eventType: typeof AmlEventType.RunStatusChanged; readonly data: RunEventData })
  | (AmlEventBase & { readonly eventType: typeof AmlEventType.ModelRegistered; readonly data: ModelRegisteredData })
  | (AmlEventBase & { readonly eventType: typeof AmlEventType.ModelDeployed; readonly data: ModelDeployedData })
  | (AmlEventBase & { readonly eventType: typeof AmlEventType.DatasetDriftDetected; readonly data: DatasetDriftData });

/** The Event Grid event type of the subscription validation handshake. */
export const SUBSCRIPTION_VALIDATION_EVENT = "Microsoft.EventGrid.SubscriptionValidationEvent";
