import * as pulumi from "@pulumi/pulumi";
import type { EventSourceArgs } from "../workspace/eventSource";
import { ArgKeys, unknownArgumentProblems } from "../workspace/argKeys";
import { AVM_INTERFACE_ARG_KEYS, AvmInterfaces } from "../interfaces/types";
import { CopyStepOptions } from "./adf";
import { ModelMonitorSource } from "../monitoring/breachFilter";
import { BatchEndpointTarget } from "./batchPipeline";
import { IsolationArgs, ISOLATION_ARG_KEYS } from "../interfaces/isolation";

/**
 * The v2 retraining target: a batch endpoint's pipeline component deployment, invoked by a Web
 * activity with the factory's managed identity and polled until its job ends.
 */
export interface BatchEndpointRetrain extends BatchEndpointTarget {
  /**
   * Job literal input name → ADF pipeline parameter whose value it receives.
   * @default - every mapped pipeline parameter, same name
   */
  readonly inputs?: Readonly<Record<string, string>>;
  /** Seconds between job status polls, 10–3600. @default 120 */
  readonly pollIntervalSeconds?: number;
  /** Minutes to wait for the job before the run fails, 1–10080 (7 days). @default 1440 */
  readonly timeoutMinutes?: number;
  /** Retries of a failed status poll (429, 5xx), 0–10. @default 3 */
  readonly pollRetry?: number;
  /**
   * Role the factory's identity gets on the workspace: `BatchEndpointInvoker`, a custom role with
   * exactly the actions Microsoft lists for invoking batch endpoints (needs permission to create role
   * definitions), or the broader built-in `AzureMLDataScientist`. @default "BatchEndpointInvoker"
   */
  readonly invokerRole?: BatchInvokerRole;
}

/** The role the factory's identity gets on the workspace to invoke a batch endpoint. */
export const BatchInvokerRole = {
  /** A custom role with exactly the actions Microsoft lists for invoking batch endpoints. */
  BatchEndpointInvoker: "BatchEndpointInvoker",
  /** The broader built-in AzureML Data Scientist role. */
  AzureMLDataScientist: "AzureMLDataScientist",
} as const;
/** The role the factory's identity gets on the workspace to invoke a batch endpoint. */
export type BatchInvokerRole = (typeof BatchInvokerRole)[keyof typeof BatchInvokerRole];

/**
 * Bring your own factory and pipeline (the pipeline must declare the mapped parameters): the factory by
 * `factoryId`, or by `factoryName` and `resourceGroupName` (exactly one way).
 */
export interface ExistingRetrainPipeline {
  /** ARM id of the Data Factory (`/subscriptions/…/providers/Microsoft.DataFactory/factories/{name}`). @default - none; give factoryName and resourceGroupName instead */
  readonly factoryId?: pulumi.Input<string>;
  /** The factory's name (with resourceGroupName, instead of factoryId). @default - none */
  readonly factoryName?: string;
  /** The factory's resource group (with factoryName). @default - none */
  readonly resourceGroupName?: string;
  /** The factory's subscription (with factoryName). @default - the workspace's subscription */
  readonly subscriptionId?: string;
  /** The pipeline to run. */
  readonly pipelineName: string;
}

/** @deprecated One plain shape now: `ExistingRetrainPipeline` with factoryId. */
export type ExistingPipelineById = ExistingRetrainPipeline;
/** @deprecated One plain shape now: `ExistingRetrainPipeline` with factoryName and resourceGroupName. */
export type ExistingPipelineByName = ExistingRetrainPipeline;

/**
 * Let the component create the factory and the pipeline: v2 through `batchEndpoint`, or legacy v1
 * through `mlPipelineId` / `mlPipelineEndpointId` (with an `AzureMLService` linked service).
 */
export interface CreateRetrainPipeline {
  /** Name of the factory (globally unique, 3–63 letters, digits, hyphens). @default - `${name}-adf` */
  readonly factoryName?: string;
  /** Resource group of the factory. @default - the component's `resourceGroupName` */
  readonly resourceGroupName?: pulumi.Input<string>;
  /** Region of the factory. @default - the component's `location` */
  readonly location?: pulumi.Input<string>;
  /** Whether the factory accepts traffic from public networks. @default - Azure's default ("Enabled") */
  readonly publicNetworkAccess?: FactoryPublicNetworkAccess;
  /** Name of the pipeline. @default "retrain-on-drift" */
  readonly pipelineName?: string;
  /** Name of the `AzureMLService` linked service (v1 route only). @default "AzureMLWorkspace" */
  readonly linkedServiceName?: string;
  /** Id of the published AML (v1) pipeline to run (exactly one of this, `mlPipelineEndpointId` and `batchEndpoint`). @default - none */
  readonly mlPipelineId?: string;
  /** Id of the published AML (v1) pipeline endpoint to run. @default - none */
  readonly mlPipelineEndpointId?: string;
  /** The v2 route: a batch endpoint's pipeline deployment, invoked and polled by Web activities. @default - none */
  readonly batchEndpoint?: BatchEndpointRetrain;
  /** Version of the pipeline endpoint (only with `mlPipelineEndpointId`). @default - the endpoint's default version */
  readonly mlPipelineVersion?: string;
  /** Run-history experiment name of the AML (v1) pipeline run; required with `mlPipelineId` / `mlPipelineEndpointId`. @default - none */
  readonly experimentName?: string;
  /**
   * AML pipeline parameter name → ADF pipeline parameter name whose value it receives
   * (`@pipeline().parameters.<name>`). @default - every mapped parameter, same name
   */
  readonly mlPipelineParameters?: Readonly<Record<string, string>>;
  /** A Copy step before the ML step, between two datasets that already exist in the factory. @default - no copy step */
  readonly copy?: CopyStepOptions;
}

/** Whether a created Data Factory accepts traffic from public networks. */
export const FactoryPublicNetworkAccess = { Enabled: "Enabled", Disabled: "Disabled" } as const;
/** Whether a created Data Factory accepts traffic from public networks. */
export type FactoryPublicNetworkAccess = (typeof FactoryPublicNetworkAccess)[keyof typeof FactoryPublicNetworkAccess];

/** The model a successful retraining registers: the loop back to deployment. */
export interface RetrainedModel {
  /** Name the retrained model is registered under (letters, digits, `-`, `_`, `.`; starts with a letter or digit). */
  readonly name: string;
  /** Tags it is registered with, e.g. the tag a ModelDeployer rule matches. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Retrain options: everything but where the component lives and which events it subscribes to.
 * The isolation arguments apply to the factory `createPipeline` creates (private endpoint services
 * `dataFactory`, the default, and `portal`); the Consumption Logic App has no network setting.
 */
export interface RetrainOptions extends IsolationArgs {
  /**
   * Give the created factory a managed virtual network and run its default integration runtime
   * (`AutoResolveIntegrationRuntime`) inside it; reach private resources from there through managed
   * private endpoints you approve. Kept when set back to false (Azure has no API to remove it).
   * @default false
   */
  readonly managedVirtualNetwork?: boolean;
  /**
   * Retrain on Azure ML model monitoring (v2) breaches: a RunStatusChanged subscription for runs
   * carrying the `azureml_modelmonitor_threshold_breached` tag, whatever their status (the tagged run
   * ends Completed), one retraining per tagged run, scoped to these monitors and signals (pass the
   * `ModelMonitor` itself: `{ monitors: [monitor] }`). Without it the trigger listens for the legacy DatasetDriftDetected, which only v1
   * dataset drift monitors sent; those were retired on 2025-09-01.
   * @default - legacy DatasetDriftDetected (deprecated)
   */
  readonly modelMonitor?: ModelMonitorSource;
  /** Name of the Consumption Logic App. @default - `${name}-workflow` */
  readonly workflowName?: string;
  /** Name of the Event Grid subscription (3–64 letters, digits, hyphens). @default - `${name}-drift` */
  readonly subscriptionName?: string;
  /**
   * Legacy DatasetDriftDetected only. Only drift monitors with these names retrain (`data.dataDriftName`,
   * compared case-insensitively). Checked by the Event Grid filter (StringIn) and again in the workflow.
   * @default - every monitor
   */
  readonly driftMonitorNames?: string[];
  /**
   * Legacy DatasetDriftDetected only. Only drift with at least this coefficient (0..1) retrains
   * (`data.driftCoefficient`). Checked by the Event Grid filter (NumberGreaterThanOrEquals) and again in
   * the workflow. @default - any coefficient
   */
  readonly minimumDriftCoefficient?: number;
  /**
   * Pipeline parameter name → event field it is set from (`data` fields in either casing, or `id`,
   * `subject`, `eventTime`, `topic`). With `modelMonitor`, also `monitorSignal` (the tag's
   * `<monitor>_<signal>`) and `breachTag` (its whole text); one parameter must be mapped from `runId`
   * (the monitor run), which is how a repeated breach is recognised.
   * @default - with `modelMonitor`: `{monitorSignal: "monitorSignal", breachEventId: "id", monitorRunId: "runId"}`;
   * otherwise one parameter per drift `data` field, same name
   */
  readonly parameterMapping?: { readonly [parameter: string]: string };
  /**
   * At most one pipeline run per drift monitor (legacy) or per monitor signal (`modelMonitor`) within
   * this many hours (up to 1080; Data Factory keeps 45 days of run history). The workflow reads every
   * page of Data Factory's `queryPipelineRuns` for runs of the pipeline whose monitor parameter equals
   * the event's and that did not fail or get cancelled. Needs a parameter mapped from `dataDriftId` or
   * `dataDriftName` (legacy) or from `monitorSignal`. @default - no cool-down (a breach still starts at most one run)
   */
  readonly coolDownHours?: number;
  /**
   * What the retraining registers when it succeeds. Every run gets it as the pipeline parameters
   * `retrainedModelName` and `retrainedModelTags` (JSON text), so the job registers exactly this; the
   * offline plan follows it as a ModelRegistered event to the ModelDeployer rule that deploys it, and
   * the composite warns when no deployer rule would. A created pipeline declares both parameters; an
   * existing one must. @default - none (the pipeline decides what it registers)
   */
  readonly retrainedModel?: RetrainedModel;
  /** Bring your own factory and pipeline (exactly one of this and `createPipeline`). @default - none */
  readonly existingPipeline?: ExistingRetrainPipeline;
  /** Create the factory, linked service and pipeline (exactly one of this and `existingPipeline`). @default - none */
  readonly createPipeline?: CreateRetrainPipeline;
  /** Event Grid delivery attempts, 1–30. @default 30 */
  readonly maxDeliveryAttempts?: number;
  /** Minutes Event Grid retries an event, 1–1440. @default 1440 */
  readonly eventTimeToLiveInMinutes?: number;
}

/** Arguments of DriftRetrainTrigger: its options, the events it subscribes to and where it lives. */
export interface DriftRetrainTriggerArgs extends RetrainOptions, EventSourceArgs, AvmInterfaces {
  /** Resource group of the Logic App (and of a created factory). @default - the events component's resource group */
  readonly resourceGroupName?: pulumi.Input<string>;
  /** Region of the Logic App (and of a created factory). @default - the events component's location */
  readonly location?: pulumi.Input<string>;
  /** Tags for the resources this component creates. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * A `CanNotDelete` lock on the created factory (with `existingPipeline`: on the Logic App). `ReadOnly`
   * is refused: it blocks the pipeline's `createRun` (and the Logic App's callback URL), both POSTs.
   * @default - no lock
   */
  readonly lock?: AvmInterfaces["lock"];
  /** Diagnostic settings of the created factory (`PipelineRuns`, `ActivityRuns`, …) and of the Logic App (`WorkflowRuntime`). @default [] */
  readonly diagnosticSettings?: AvmInterfaces["diagnosticSettings"];
  /** Extra role grants on the created factory (with `existingPipeline`: on the Logic App). @default [] */
  readonly roleAssignments?: AvmInterfaces["roleAssignments"];
  /**
   * Identities: the Logic App takes ONE user-assigned identity instead of its system one (Consumption
   * can't have both); it starts and queries the pipeline runs as that identity, which gets the
   * pipeline-runner role. A created factory on the v2 route (`batchEndpoint`) acts as the first
   * user-assigned identity too: its Web activities authenticate through a factory credential naming
   * it, that identity gets the workspace role, and the factory has no system identity unless
   * `systemAssigned` is true. On the v1 route the factory keeps its system identity, which its Azure ML
   * linked service must use (so `systemAssigned: false` is refused there), and the user-assigned ids are
   * attached beside it. @default - system-assigned everywhere
   */
  readonly managedIdentities?: AvmInterfaces["managedIdentities"];
}


/**
 * The names of `CreateRetrainPipeline` (run-time check of JavaScript callers' args). `batchEndpoint`
 * is listed ahead of the v2 batch-endpoint route so the table and the interface meet when it lands.
 */
export const CREATE_RETRAIN_PIPELINE_KEYS = {
  factoryName: true,
  resourceGroupName: true,
  location: true,
  publicNetworkAccess: true,
  pipelineName: true,
  linkedServiceName: true,
  mlPipelineId: true,
  mlPipelineEndpointId: true,
  mlPipelineVersion: true,
  experimentName: true,
  mlPipelineParameters: true,
  copy: true,
  batchEndpoint: true,
} as const satisfies ArgKeys<CreateRetrainPipeline>;

/** The names of `ExistingRetrainPipeline` (either form). */
export const EXISTING_RETRAIN_PIPELINE_KEYS = {
  factoryId: true,
  factoryName: true,
  resourceGroupName: true,
  subscriptionId: true,
  pipelineName: true,
} as const satisfies ArgKeys<ExistingRetrainPipeline>;

/**
 * The names of `DriftRetrainTriggerArgs`. `modelMonitor` is listed ahead of the v2 model-monitor
 * trigger so the table and the interface meet when it lands.
 */
export const DRIFT_RETRAIN_TRIGGER_ARG_KEYS = {
  events: true,
  workspace: true,
  resourceGroupName: true,
  location: true,
  workflowName: true,
  subscriptionName: true,
  driftMonitorNames: true,
  minimumDriftCoefficient: true,
  parameterMapping: true,
  coolDownHours: true,
  existingPipeline: true,
  createPipeline: true,
  maxDeliveryAttempts: true,
  eventTimeToLiveInMinutes: true,
  modelMonitor: true,
  retrainedModel: true,
  ...AVM_INTERFACE_ARG_KEYS,
  managedVirtualNetwork: true,
  ...ISOLATION_ARG_KEYS,
} as const satisfies ArgKeys<DriftRetrainTriggerArgs>;

/** Unknown names in `DriftRetrainTriggerArgs` and its pipeline options. */
export function unknownDriftRetrainTriggerArgs(args: DriftRetrainTriggerArgs): string[] {
  return [
    ...unknownArgumentProblems(args, DRIFT_RETRAIN_TRIGGER_ARG_KEYS),
    ...unknownArgumentProblems(args.createPipeline, CREATE_RETRAIN_PIPELINE_KEYS, "createPipeline."),
    ...unknownArgumentProblems(args.existingPipeline, EXISTING_RETRAIN_PIPELINE_KEYS, "existingPipeline."),
    ...unknownArgumentProblems(args.createPipeline?.batchEndpoint, BATCH_ENDPOINT_RETRAIN_KEYS, "createPipeline.batchEndpoint."),
    // A misspelt scope key would silently widen the subscription to every breach.
    ...unknownArgumentProblems(args.modelMonitor, MODEL_MONITOR_SOURCE_KEYS, "modelMonitor."),
    ...unknownArgumentProblems(args.retrainedModel, RETRAINED_MODEL_KEYS, "retrainedModel."),
  ];
}

/** The names of `ModelMonitorSource`. */
export const MODEL_MONITOR_SOURCE_KEYS = { monitors: true, monitorNames: true, signalNames: true } as const satisfies ArgKeys<ModelMonitorSource>;
/** The names of `RetrainedModel`. */
export const RETRAINED_MODEL_KEYS = { name: true, tags: true } as const satisfies ArgKeys<RetrainedModel>;
/** The names of `BatchEndpointRetrain`. */
export const BATCH_ENDPOINT_RETRAIN_KEYS = {
  invocationUrl: true,
  endpointName: true,
  region: true,
  deploymentName: true,
  experimentName: true,
  inputs: true,
  pollIntervalSeconds: true,
  timeoutMinutes: true,
  pollRetry: true,
  invokerRole: true,
} as const satisfies ArgKeys<BatchEndpointRetrain>;
