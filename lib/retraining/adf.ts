/**
 * Pure Azure Data Factory builders for drift retraining: ARM ids and REST URLs of a factory, the
 * `AzureMLService` linked service, pipeline parameters, and the Copy / `AzureMLExecutePipeline`
 * activities in azure-native's (flattened `typeProperties`) input shape. No resources are created here.
 */
import { ARM_ENDPOINT, WorkspaceRef } from "../arm/ids";
import { AmlEventType, PAYLOAD_FIELDS } from "../events";
import type { RetrainEventField } from "../monitoring/breachFields";
import { isDriftDataField, isDriftEventField } from "./driftFields";

/** The Data Factory REST API version used for `createRun` and `queryPipelineRuns`. */
export const ADF_API_VERSION = "2018-06-01";
/** The managed-identity token audience for calls to Azure Resource Manager (defined with the workflow builders). */
export { ARM_AUDIENCE } from "../workflows/builders";
/** How long Data Factory keeps pipeline-run history: 45 days. A cool-down longer than this could not be checked. */
export const ADF_RUN_HISTORY_HOURS = 45 * 24;

/** ADF pipeline parameter types. */
export type AdfParameterType = "String" | "Int" | "Float" | "Bool" | "Array" | "Object" | "SecureString";

/** The ADF parameter type a pipeline parameter mapped from `field` gets: `Float` for the coefficient, else `String`. */
export function parameterTypeFor(field: RetrainEventField): AdfParameterType {
  if (isDriftEventField(field) && isDriftDataField(field)) {
    const kind = PAYLOAD_FIELDS[AmlEventType.DatasetDriftDetected][field];
    return kind === "number" ? "Float" : "String";
  }
  return "String";
}

/** A parsed Data Factory resource id. */
export interface FactoryRef {
  /** Subscription id (GUID). */
  readonly subscriptionId: string;
  /** Resource group of the factory. */
  readonly resourceGroupName: string;
  /** The factory's name. */
  readonly factoryName: string;
}

const FACTORY_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DataFactory\/factories\/([^/]+)$/i;

/** Parses a factory ARM id; undefined when `id` is not exactly one factory's id. */
export function parseFactoryId(id: string): FactoryRef | undefined {
  const m = FACTORY_ID.exec(id);
  return m ? { subscriptionId: m[1], resourceGroupName: m[2], factoryName: m[3] } : undefined;
}

/** The ARM id of a factory. */
export function factoryId(ref: FactoryRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroupName}/providers/Microsoft.DataFactory/factories/${ref.factoryName}`;
}

/** The `createRun` URL of a pipeline (POST; body = the bare parameters object; answers `{runId}`). */
export function createRunUrl(factoryResourceId: string, pipelineName: string): string {
  return `${ARM_ENDPOINT}${factoryResourceId}/pipelines/${encodeURIComponent(pipelineName)}/createRun?api-version=${ADF_API_VERSION}`;
}

/** The `queryPipelineRuns` URL of a factory (POST; body `{lastUpdatedAfter, lastUpdatedBefore, filters?, orderBy?}`). */
export function queryPipelineRunsUrl(factoryResourceId: string): string {
  return `${ARM_ENDPOINT}${factoryResourceId}/queryPipelineRuns?api-version=${ADF_API_VERSION}`;
}

/** Factory names: 3–63 characters, letters, digits and single inner hyphens (ADF REST API pattern). */
export const FACTORY_NAME = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
/** Pipeline / dataset / linked-service names: 1–140 characters, no `.+?/<>*%&:\`, starting with a letter, digit or `_`. */
export const ADF_OBJECT_NAME = /^[A-Za-z0-9_][^.+?/<>*%&:\\]{0,139}$/;
/** Pipeline parameter names: identifiers, so `@pipeline().parameters.<name>` can reference them. */
export const ADF_PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `name` is a valid factory name. */
export function isFactoryName(name: string): boolean {
  return name.length >= 3 && name.length <= 63 && FACTORY_NAME.test(name);
}

/** The `properties` of an `AzureMLService` linked service authenticated by the factory's system-assigned identity. */
export interface AzureMlServiceLinkedServiceProperties {
  /** Linked service kind. */
  readonly type: "AzureMLService";
  /** What the linked service is for. */
  readonly description: string;
  /** The workspace's subscription. */
  readonly subscriptionId: string;
  /** The workspace's resource group. */
  readonly resourceGroupName: string;
  /** The workspace's name. */
  readonly mlWorkspaceName: string;
  /** `MSI`: the factory's system-assigned managed identity (no secret). */
  readonly authentication: "MSI";
}

/** Builds the `AzureMLService` linked service properties for a workspace, with managed-identity auth. */
export function azureMlServiceLinkedService(workspace: WorkspaceRef): AzureMlServiceLinkedServiceProperties {
  return {
    type: "AzureMLService",
    description: `Azure Machine Learning workspace ${workspace.workspaceName}, reached with the factory's managed identity.`,
    subscriptionId: workspace.subscriptionId,
    resourceGroupName: workspace.resourceGroupName,
    mlWorkspaceName: workspace.workspaceName,
    authentication: "MSI",
  };
}

/** A pipeline parameter declaration. */
export interface AdfParameterSpec {
  /** Parameter type. */
  readonly type: AdfParameterType;
}

/** Pipeline parameter declarations for a mapping (param name → event field), in the mapping's key order. */
export function pipelineParameters(mapping: Readonly<Record<string, RetrainEventField>>): Record<string, AdfParameterSpec> {
  return Object.fromEntries(Object.entries(mapping).map(([param, field]) => [param, { type: parameterTypeFor(field) }]));
}

/** The ADF expression reading a pipeline parameter: `@pipeline().parameters.<name>`. */
export function pipelineParameterExpression(name: string): string {
  return `@pipeline().parameters.${name}`;
}

/** File-format source/sink pairs the Copy step supports (the datasets must be of the matching format). */
export const CopyFormat = { Binary: "Binary", DelimitedText: "DelimitedText", Parquet: "Parquet", Json: "Json" } as const;
/** A Copy step file format. */
export type CopyFormat = (typeof CopyFormat)[keyof typeof CopyFormat];
/** Every Copy step file format. */
export const COPY_FORMATS: readonly CopyFormat[] = Object.values(CopyFormat);

/** Options of the Copy step. */
export interface CopyStepOptions {
  /** Activity name. @default "CopyDriftWindow" */
  readonly name?: string;
  /** Existing dataset in the factory to read from. */
  readonly sourceDatasetName: string;
  /** Existing dataset in the factory to write to. */
  readonly sinkDatasetName: string;
  /** Format of both datasets (source type `<format>Source`, sink type `<format>Sink`). @default "Binary" */
  readonly format?: CopyFormat;
  /** Dataset parameters of the source, values may be ADF expressions such as `@pipeline().parameters.startTime`. @default - none */
  readonly sourceParameters?: Readonly<Record<string, string>>;
  /** Dataset parameters of the sink. @default - none */
  readonly sinkParameters?: Readonly<Record<string, string>>;
}

/** A dataset reference in azure-native's input shape. */
export interface DatasetReference {
  /** Dataset name. */
  readonly referenceName: string;
  /** Always `DatasetReference`. */
  readonly type: "DatasetReference";
  /** Dataset parameters, when given. */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** An activity dependency in azure-native's input shape. */
export interface ActivityDependency {
  /** Name of the activity depended on. */
  readonly activity: string;
  /** Conditions, e.g. `Succeeded`. */
  readonly dependencyConditions: ("Succeeded" | "Failed" | "Skipped" | "Completed")[];
}

/** A Copy activity in azure-native's input shape (typeProperties flattened). */
export interface CopyActivity {
  /** Activity name. */
  readonly name: string;
  /** Always `Copy`. */
  readonly type: "Copy";
  /** What the step does. */
  readonly description: string;
  /** The source dataset. */
  readonly inputs: DatasetReference[];
  /** The sink dataset. */
  readonly outputs: DatasetReference[];
  /** Source settings (`<format>Source`). */
  readonly source: CopySource;
  /** Sink settings (`<format>Sink`). */
  readonly sink: CopySink;
}

/** Copy source settings, one member per format (azure-native's source args are discriminated on `type`). */
export type CopySource =
  | { readonly type: "BinarySource" }
  | { readonly type: "DelimitedTextSource" }
  | { readonly type: "ParquetSource" }
  | { readonly type: "JsonSource" };
/** Copy sink settings, one member per format. */
export type CopySink =
  | { readonly type: "BinarySink" }
  | { readonly type: "DelimitedTextSink" }
  | { readonly type: "ParquetSink" }
  | { readonly type: "JsonSink" };

/** The source and sink settings of a file format. */
export function copySettings(format: CopyFormat): { source: CopySource; sink: CopySink } {
  switch (format) {
    case "Binary":
      return { source: { type: "BinarySource" }, sink: { type: "BinarySink" } };
    case "DelimitedText":
      return { source: { type: "DelimitedTextSource" }, sink: { type: "DelimitedTextSink" } };
    case "Parquet":
      return { source: { type: "ParquetSource" }, sink: { type: "ParquetSink" } };
    case "Json":
      return { source: { type: "JsonSource" }, sink: { type: "JsonSink" } };
    default: {
      const unknown: never = format;
      throw new Error(`copySettings: format ${JSON.stringify(unknown)} is not supported; use one of ${COPY_FORMATS.join(", ")}.`);
    }
  }
}

function datasetRef(name: string, parameters: Readonly<Record<string, string>> | undefined): DatasetReference {
  return {
    referenceName: name,
    type: "DatasetReference",
    ...(parameters && Object.keys(parameters).length > 0 ? { parameters: { ...parameters } } : {}),
  };
}

/** The default Copy activity name. */
export const DEFAULT_COPY_ACTIVITY = "CopyDriftWindow";
/** The default `AzureMLExecutePipeline` activity name. */
export const DEFAULT_ML_ACTIVITY = "RunRetrainingPipeline";

/** Builds the Copy activity from existing source/sink datasets. */
export function copyActivity(options: CopyStepOptions): CopyActivity {
  const { source, sink } = copySettings(options.format ?? "Binary");
  return {
    name: options.name ?? DEFAULT_COPY_ACTIVITY,
    type: "Copy",
    description: `Copies the drifted data window from ${options.sourceDatasetName} to ${options.sinkDatasetName} for retraining.`,
    inputs: [datasetRef(options.sourceDatasetName, options.sourceParameters)],
    outputs: [datasetRef(options.sinkDatasetName, options.sinkParameters)],
    source,
    sink,
  };
}

/** Which published AML pipeline to run: a pipeline id, or a pipeline endpoint id (optionally a version). */
export type MlPipelineTarget =
  | { readonly mlPipelineId: string; readonly mlPipelineEndpointId?: undefined; readonly version?: undefined }
  | { readonly mlPipelineEndpointId: string; readonly mlPipelineId?: undefined; readonly version?: string };

/** Options of the `AzureMLExecutePipeline` step. */
export interface MlStepOptions {
  /** Activity name. @default "RunRetrainingPipeline" */
  readonly name?: string;
  /** Name of the `AzureMLService` linked service. */
  readonly linkedServiceName: string;
  /** The published pipeline or pipeline endpoint. */
  readonly target: MlPipelineTarget;
  /** Run-history experiment name of the AML pipeline run. */
  readonly experimentName: string;
  /** AML pipeline parameter name → ADF pipeline parameter name whose value it receives. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Activities this step runs after (each must succeed). @default [] */
  readonly dependsOn?: readonly string[];
}

/** An `AzureMLExecutePipeline` activity in azure-native's input shape (typeProperties flattened). */
export interface MlExecutePipelineActivity {
  /** Activity name. */
  readonly name: string;
  /** Always `AzureMLExecutePipeline`. */
  readonly type: "AzureMLExecutePipeline";
  /** What the step does. */
  readonly description: string;
  /** Activities that must succeed first. */
  readonly dependsOn?: ActivityDependency[];
  /** The `AzureMLService` linked service. */
  readonly linkedServiceName: { readonly referenceName: string; readonly type: "LinkedServiceReference" };
  /** Published pipeline id (one of this and `mlPipelineEndpointId`). */
  readonly mlPipelineId?: string;
  /** Published pipeline endpoint id. */
  readonly mlPipelineEndpointId?: string;
  /** Endpoint version. */
  readonly version?: string;
  /** Run-history experiment name. */
  readonly experimentName: string;
  /** AML pipeline parameter assignments, values are `@pipeline().parameters.x` expressions. */
  readonly mlPipelineParameters: Readonly<Record<string, string>>;
}

/** Builds the `AzureMLExecutePipeline` activity; each AML parameter reads one ADF pipeline parameter. */
export function mlExecutePipelineActivity(options: MlStepOptions): MlExecutePipelineActivity {
  const dependsOn = options.dependsOn ?? [];
  const target = options.target;
  return {
    name: options.name ?? DEFAULT_ML_ACTIVITY,
    type: "AzureMLExecutePipeline",
    description: "Runs the published Azure Machine Learning retraining pipeline with the drift event's values.",
    ...(dependsOn.length > 0 ? { dependsOn: dependsOn.map((activity): ActivityDependency => ({ activity, dependencyConditions: ["Succeeded"] })) } : {}),
    linkedServiceName: { referenceName: options.linkedServiceName, type: "LinkedServiceReference" },
    ...(target.mlPipelineId !== undefined
      ? { mlPipelineId: target.mlPipelineId }
      : { mlPipelineEndpointId: target.mlPipelineEndpointId, ...(target.version !== undefined ? { version: target.version } : {}) }),
    experimentName: options.experimentName,
    mlPipelineParameters: Object.fromEntries(
      Object.entries(options.parameters).map(([amlParam, adfParam]) => [amlParam, pipelineParameterExpression(adfParam)]),
    ),
  };
}

/** Options of `retrainPipelineActivities`. */
export interface RetrainPipelineOptions {
  /** The Copy step; omitted = the pipeline only runs the ML step. @default - no copy step */
  readonly copy?: CopyStepOptions;
  /** The ML step (its `dependsOn` is set to the copy step when there is one). */
  readonly ml: Omit<MlStepOptions, "dependsOn">;
}

/** The retraining pipeline's activities: an optional Copy step, then the ML step depending on it. */
export function retrainPipelineActivities(options: RetrainPipelineOptions): (CopyActivity | MlExecutePipelineActivity)[] {
  const copy = options.copy ? copyActivity(options.copy) : undefined;
  const ml = mlExecutePipelineActivity({ ...options.ml, dependsOn: copy ? [copy.name] : [] });
  return copy ? [copy, ml] : [ml];
}
