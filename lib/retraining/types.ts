import * as pulumi from "@pulumi/pulumi";
import type { WorkspaceEvents } from "../workspace";
import { ArgKeys, unknownArgumentProblems } from "../workspace/argKeys";
import { CopyStepOptions, DriftEventField } from "./adf";

/** A pipeline that already exists, in a factory given by id. */
export interface ExistingPipelineById {
  /** ARM id of the Data Factory (`/subscriptions/…/providers/Microsoft.DataFactory/factories/{name}`). */
  readonly factoryId: pulumi.Input<string>;
  /** The pipeline to run. */
  readonly pipelineName: string;
}

/** A pipeline that already exists, in a factory given by names. */
export interface ExistingPipelineByName {
  /** The factory's name. */
  readonly factoryName: string;
  /** The factory's resource group. */
  readonly resourceGroupName: string;
  /** The factory's subscription. @default - the workspace's subscription */
  readonly subscriptionId?: string;
  /** The pipeline to run. */
  readonly pipelineName: string;
}

/** Bring your own factory and pipeline. The pipeline must declare the mapped parameters. */
export type ExistingRetrainPipeline = ExistingPipelineById | ExistingPipelineByName;

/** Let the component create the factory, the `AzureMLService` linked service and the pipeline. */
export interface CreateRetrainPipeline {
  /** Name of the factory (globally unique, 3–63 letters, digits, hyphens). @default - `${name}-adf` */
  readonly factoryName?: string;
  /** Resource group of the factory. @default - the component's `resourceGroupName` */
  readonly resourceGroupName?: pulumi.Input<string>;
  /** Region of the factory. @default - the component's `location` */
  readonly location?: pulumi.Input<string>;
  /** Whether the factory accepts traffic from public networks. @default - Azure's default ("Enabled") */
  readonly publicNetworkAccess?: "Enabled" | "Disabled";
  /** Name of the pipeline. @default "retrain-on-drift" */
  readonly pipelineName?: string;
  /** Name of the `AzureMLService` linked service. @default "AzureMLWorkspace" */
  readonly linkedServiceName?: string;
  /** Id of the published AML pipeline to run (exactly one of this and `mlPipelineEndpointId`). @default - none */
  readonly mlPipelineId?: string;
  /** Id of the published AML pipeline endpoint to run. @default - none */
  readonly mlPipelineEndpointId?: string;
  /** Version of the pipeline endpoint (only with `mlPipelineEndpointId`). @default - the endpoint's default version */
  readonly mlPipelineVersion?: string;
  /** Run-history experiment name of the AML pipeline run. */
  readonly experimentName: string;
  /**
   * AML pipeline parameter name → ADF pipeline parameter name whose value it receives
   * (`@pipeline().parameters.<name>`). @default - every mapped parameter, same name
   */
  readonly mlPipelineParameters?: Readonly<Record<string, string>>;
  /** A Copy step before the ML step, between two datasets that already exist in the factory. @default - no copy step */
  readonly copy?: CopyStepOptions;
}

/** Arguments of {@link DriftRetrainTrigger}. */
export interface DriftRetrainTriggerArgs {
  /** The workspace's events component; the trigger subscribes to DatasetDriftDetected on it. */
  readonly events: WorkspaceEvents;
  /** Resource group of the Logic App (and of a created factory). @default - the events component's resource group */
  readonly resourceGroupName?: pulumi.Input<string>;
  /** Region of the Logic App (and of a created factory). @default - the events component's location */
  readonly location?: pulumi.Input<string>;
  /** Name of the Consumption Logic App. @default - `${name}-workflow` */
  readonly workflowName?: string;
  /** Name of the Event Grid subscription (3–64 letters, digits, hyphens). @default - `${name}-drift` */
  readonly subscriptionName?: string;
  /**
   * Only drift monitors with these names retrain (`data.dataDriftName`, compared case-insensitively).
   * Checked by the Event Grid filter (StringIn) and again in the workflow. @default - every monitor
   */
  readonly driftMonitorNames?: readonly string[];
  /**
   * Only drift with at least this coefficient (0..1) retrains (`data.driftCoefficient`). Checked by
   * the Event Grid filter (NumberGreaterThanOrEquals) and again in the workflow. @default - any coefficient
   */
  readonly minimumDriftCoefficient?: number;
  /**
   * Pipeline parameter name → event field it is set from (`data` fields in either casing, or `id`,
   * `subject`, `eventTime`, `topic`). @default - one parameter per drift `data` field, same name
   */
  readonly parameterMapping?: Readonly<Record<string, DriftEventField>>;
  /**
   * At most one pipeline run per drift monitor within this many hours (1–1080; Data Factory keeps 45
   * days of run history). The workflow asks Data Factory's `queryPipelineRuns` for runs of the pipeline
   * updated in the window whose monitor parameter equals the event's and that did not fail or get
   * cancelled. Needs a parameter mapped from `dataDriftId` or `dataDriftName`. @default - no cool-down
   */
  readonly coolDownHours?: number;
  /** Bring your own factory and pipeline (exactly one of this and `createPipeline`). @default - none */
  readonly existingPipeline?: ExistingRetrainPipeline;
  /** Create the factory, linked service and pipeline (exactly one of this and `existingPipeline`). @default - none */
  readonly createPipeline?: CreateRetrainPipeline;
  /** Event Grid delivery attempts, 1–30. @default 30 */
  readonly maxDeliveryAttempts?: number;
  /** Minutes Event Grid retries an event, 1–1440. @default 1440 */
  readonly eventTimeToLiveInMinutes?: number;
  /** Tags for the resources this component creates. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The names of {@link CreateRetrainPipeline} (run-time check of JavaScript callers' args). `batchEndpoint`
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
} as const satisfies ArgKeys<CreateRetrainPipeline> & { readonly batchEndpoint?: true };

/** The names of {@link ExistingRetrainPipeline} (either form). */
export const EXISTING_RETRAIN_PIPELINE_KEYS = {
  factoryId: true,
  factoryName: true,
  resourceGroupName: true,
  subscriptionId: true,
  pipelineName: true,
} as const satisfies ArgKeys<ExistingRetrainPipeline>;

/**
 * The names of {@link DriftRetrainTriggerArgs}. `modelMonitor` is listed ahead of the v2 model-monitor
 * trigger so the table and the interface meet when it lands.
 */
export const DRIFT_RETRAIN_TRIGGER_ARG_KEYS = {
  events: true,
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
  tags: true,
  modelMonitor: true,
} as const satisfies ArgKeys<DriftRetrainTriggerArgs> & { readonly modelMonitor?: true };

/** Unknown names in {@link DriftRetrainTriggerArgs} and its pipeline options. */
export function unknownDriftRetrainTriggerArgs(args: DriftRetrainTriggerArgs): string[] {
  return [
    ...unknownArgumentProblems(args, DRIFT_RETRAIN_TRIGGER_ARG_KEYS),
    ...unknownArgumentProblems(args.createPipeline, CREATE_RETRAIN_PIPELINE_KEYS, "createPipeline."),
    ...unknownArgumentProblems(args.existingPipeline, EXISTING_RETRAIN_PIPELINE_KEYS, "existingPipeline."),
  ];
}
