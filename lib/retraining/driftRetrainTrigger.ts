import * as authorization from "@pulumi/azure-native/authorization";
import * as datafactory from "@pulumi/azure-native/datafactory";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as logic from "@pulumi/azure-native/logic";
import * as pulumi from "@pulumi/pulumi";
import { parseWorkspaceId } from "../arm/ids";
import { componentNameProblems, subscriptionNameClash } from "../workspace/validate";
import { LogicAppDestination } from "../destinations/logicApp";
import { AmlEventType } from "../events/types";
import { allOf, driftCoefficientAtLeast, driftMonitorIn, eventTypes } from "../filters/builders";
import { EventFilter } from "../filters/types";
import { assignRole } from "../rbac/assignment";
import { subscriptionOf } from "../rbac/roles";
import {
  azureMlServiceLinkedService,
  createRunUrl,
  DriftEventField,
  factoryId,
  pipelineParameters,
  queryPipelineRunsUrl,
  retrainPipelineActivities,
} from "./adf";
import { SAS_TRIGGER_TAG, WorkflowDefinition } from "../workflows";
import { buildDriftRetrainDefinition, DRIFT_TRIGGER_NAME, DriftRetrainWorkflow, workflowParameterValues } from "./definition";
import { CreateRetrainPipeline, DriftRetrainTriggerArgs, ExistingRetrainPipeline, unknownDriftRetrainTriggerArgs } from "./types";
import { coolDownParameter, effectiveMapping, validateDriftRetrainTriggerArgs } from "./validate";

/** Default name of a created pipeline. */
export const DEFAULT_RETRAIN_PIPELINE_NAME = "retrain-on-drift";
/** Default name of a created `AzureMLService` linked service. */
export const DEFAULT_ML_LINKED_SERVICE_NAME = "AzureMLWorkspace";

/** The Event Grid filter of the trigger: DatasetDriftDetected, plus the monitor-name and coefficient filters when set. */
export function driftRetrainFilter(args: Pick<DriftRetrainTriggerArgs, "driftMonitorNames" | "minimumDriftCoefficient">): EventFilter {
  const advancedFilters = [
    ...(args.driftMonitorNames !== undefined ? [driftMonitorIn(...args.driftMonitorNames)] : []),
    ...(args.minimumDriftCoefficient !== undefined ? [driftCoefficientAtLeast(args.minimumDriftCoefficient)] : []),
  ];
  return allOf(eventTypes(AmlEventType.DatasetDriftDetected), advancedFilters.length > 0 ? { advancedFilters } : {});
}

/** The plain, construction-time definition of a trigger's workflow (what {@link DriftRetrainTrigger} deploys). */
export function driftRetrainDefinitionFor(args: DriftRetrainTriggerArgs): WorkflowDefinition {
  const mapping = effectiveMapping(args);
  return buildDriftRetrainDefinition({
    mapping,
    ...(args.driftMonitorNames !== undefined ? { driftMonitorNames: args.driftMonitorNames } : {}),
    ...(args.minimumDriftCoefficient !== undefined ? { minimumDriftCoefficient: args.minimumDriftCoefficient } : {}),
    ...(args.coolDownHours !== undefined ? { coolDown: { hours: args.coolDownHours, parameter: coolDownParameter(mapping) ?? "" } } : {}),
  });
}

/**
 * Drift-triggered retraining: DatasetDriftDetected on a workspace → a Consumption Logic App (system
 * identity) → Data Factory `createRun` of a pipeline that copies data and runs the published AML
 * pipeline. Filters on monitor names and drift coefficient in Event Grid and again in the workflow;
 * optional cool-down per monitor; Data Factory Contributor on the factory only.
 */
export class DriftRetrainTrigger extends pulumi.ComponentResource {
  /** Pulumi type token. */
  static readonly __type = "aml-events:retraining:DriftRetrainTrigger";

  /** The Logic App. */
  readonly workflow: logic.Workflow;
  /** ARM id of the Logic App. */
  readonly workflowId: pulumi.Output<string>;
  /** Name of the Logic App. */
  readonly workflowName: pulumi.Output<string>;
  /** Principal id of the Logic App's system-assigned identity. */
  readonly principalId: pulumi.Output<string>;
  /** The workflow definition as deployed (plain, known at construction). */
  readonly definition: WorkflowDefinition;
  /** The definition with its resolved parameter values: feed it to {@link previewRetrainCall}. */
  readonly retrainWorkflow: pulumi.Output<DriftRetrainWorkflow>;
  /** ARM id of the factory whose pipeline runs. */
  readonly factoryId: pulumi.Output<string>;
  /** Name of the pipeline that runs. */
  readonly pipelineName: string;
  /** Pipeline parameter name → event field. */
  readonly parameterMapping: Readonly<Record<string, DriftEventField>>;
  /** The `createRun` URL the workflow calls. */
  readonly createRunUrl: pulumi.Output<string>;
  /** The Event Grid subscription (a child of the events component). */
  readonly subscription: eventgrid.SystemTopicEventSubscription;
  /** The Event Grid filter of the subscription. */
  readonly filter: EventFilter;
  /** Data Factory Contributor for the workflow identity, on the factory. */
  readonly factoryGrant: authorization.RoleAssignment;
  /** The created factory, when `createPipeline` is set. */
  readonly factory?: datafactory.Factory;
  /** The created `AzureMLService` linked service, when `createPipeline` is set. */
  readonly linkedService?: datafactory.LinkedService;
  /** The created pipeline, when `createPipeline` is set. */
  readonly pipeline?: datafactory.Pipeline;
  /** AzureML Data Scientist for the created factory's identity, on the workspace. */
  readonly workspaceGrant?: authorization.RoleAssignment;

  constructor(name: string, args: DriftRetrainTriggerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DriftRetrainTrigger.__type, name, {}, opts);
    // The component's name prefixes the subscription's Azure name unless one is given.
    const subscriptionName = args.subscriptionName ?? `${name}-drift`;
    const problems = [
      ...unknownDriftRetrainTriggerArgs(args),
      ...(args.subscriptionName === undefined ? componentNameProblems(undefined, name, 58) : []),
      ...validateDriftRetrainTriggerArgs(args),
      ...subscriptionNameClash(args.events, subscriptionName, { argument: "subscriptionName", ...(args.subscriptionName === undefined ? { derived: "the default, {name}-drift" } : {}) }),
    ];
    if (problems.length > 0) {
      throw new pulumi.ResourceError(problems.map((p) => `DriftRetrainTrigger("${name}"): ${p}`).join("\n"), this);
    }
    const events = args.events;
    const resourceGroupName = pulumi.output(args.resourceGroupName ?? events.resourceGroupName);
    const location = pulumi.output(args.location ?? events.location);
    const tags = { ...(args.tags ?? {}) };
    this.parameterMapping = effectiveMapping(args);
    this.filter = driftRetrainFilter(args);

    if (args.createPipeline) {
      const created = this.createPipeline(name, args.createPipeline, events.workspaceId, resourceGroupName, location, tags);
      this.factory = created.factory;
      this.linkedService = created.linkedService;
      this.pipeline = created.pipeline;
      this.workspaceGrant = created.workspaceGrant;
      this.factoryId = created.factory.id;
      this.pipelineName = created.pipelineName;
    } else {
      const existing = args.existingPipeline as ExistingRetrainPipeline;
      this.factoryId = existingFactoryId(existing, events.workspaceId);
      this.pipelineName = existing.pipelineName;
    }
    const pipelineName = this.pipelineName;
    this.createRunUrl = this.factoryId.apply((id) => createRunUrl(id, pipelineName));

    this.definition = driftRetrainDefinitionFor(args);
    const parameterValues = pulumi.all([events.workspaceId, this.factoryId]).apply(([workspaceId, factory]) =>
      workflowParameterValues({
        workspaceId,
        createRunUri: createRunUrl(factory, pipelineName),
        queryPipelineRunsUri: queryPipelineRunsUrl(factory),
        pipelineName,
      }),
    );
    this.workflow = new logic.Workflow(
      `${name}-workflow`,
      {
        resourceGroupName,
        location,
        ...(args.workflowName !== undefined ? { workflowName: args.workflowName } : {}),
        identity: { type: "SystemAssigned" },
        state: "Enabled",
        definition: this.definition,
        parameters: parameterValues,
        tags: { ...tags, ...SAS_TRIGGER_TAG },
      },
      { parent: this, ...(this.pipeline ? { dependsOn: [this.pipeline] } : {}) },
    );
    this.workflowId = this.workflow.id;
    this.workflowName = this.workflow.name;
    this.principalId = this.workflow.identity.apply((i) => i?.principalId ?? "");
    const definition = this.definition;
    this.retrainWorkflow = parameterValues.apply((parameters) => ({ definition, parameters }));

    this.factoryGrant = assignRole(
      `${name}-adf-contributor`,
      {
        scope: this.factoryId,
        principalId: this.principalId,
        role: "DataFactoryContributor",
        description: "The drift retraining workflow starts and queries runs of the retraining pipeline",
      },
      { parent: this },
    );

    const destination = new LogicAppDestination({
      resourceGroupName,
      workflowName: this.workflow.name,
      triggerName: DRIFT_TRIGGER_NAME,
      workflow: this.workflow,
      description: `Logic App ${name} (Data Factory pipeline ${pipelineName})`,
    });
    this.subscription = events.subscribe(subscriptionName, {
      destination,
      filter: this.filter,
      ...(args.maxDeliveryAttempts !== undefined ? { maxDeliveryAttempts: args.maxDeliveryAttempts } : {}),
      ...(args.eventTimeToLiveInMinutes !== undefined ? { eventTimeToLiveInMinutes: args.eventTimeToLiveInMinutes } : {}),
      dependsOn: [this.factoryGrant],
    });

    // Only the primary id goes to state: every registered output costs a serialization per component.
    this.registerOutputs({ workflowId: this.workflowId });
  }

  private createPipeline(
    name: string,
    c: CreateRetrainPipeline,
    workspaceId: pulumi.Output<string>,
    resourceGroupName: pulumi.Output<string>,
    location: pulumi.Output<string>,
    tags: Record<string, string>,
  ): {
    factory: datafactory.Factory;
    linkedService: datafactory.LinkedService;
    pipeline: datafactory.Pipeline;
    workspaceGrant: authorization.RoleAssignment;
    pipelineName: string;
  } {
    const factoryResourceGroup = pulumi.output(c.resourceGroupName ?? resourceGroupName);
    const factory = new datafactory.Factory(
      `${name}-adf`,
      {
        resourceGroupName: factoryResourceGroup,
        location: c.location ?? location,
        ...(c.factoryName !== undefined ? { factoryName: c.factoryName } : {}),
        identity: { type: "SystemAssigned" },
        ...(c.publicNetworkAccess !== undefined ? { publicNetworkAccess: c.publicNetworkAccess } : {}),
        tags,
      },
      { parent: this },
    );
    const factoryPrincipal = factory.identity.apply((i) => i?.principalId ?? "");
    const workspaceGrant = assignRole(
      `${name}-adf-aml`,
      {
        scope: workspaceId,
        principalId: factoryPrincipal,
        role: "AzureMLDataScientist",
        description: "Data Factory runs the published retraining pipeline in this workspace",
      },
      { parent: this },
    );
    const linkedServiceName = c.linkedServiceName ?? DEFAULT_ML_LINKED_SERVICE_NAME;
    const linkedService = new datafactory.LinkedService(
      `${name}-aml`,
      {
        resourceGroupName: factoryResourceGroup,
        factoryName: factory.name,
        linkedServiceName,
        properties: workspaceId.apply((id) => {
          const ws = parseWorkspaceId(id);
          if (ws === undefined) {
            throw new pulumi.ResourceError(
              `DriftRetrainTrigger("${name}"): events.workspaceId ${JSON.stringify(id)} is not an AML workspace id; the AzureMLService linked service needs /subscriptions/…/workspaces/{name}.`,
              this,
            );
          }
          return { ...azureMlServiceLinkedService(ws) };
        }),
      },
      { parent: this, dependsOn: [workspaceGrant] },
    );
    const mapping = this.parameterMapping;
    const pipelineName = c.pipelineName ?? DEFAULT_RETRAIN_PIPELINE_NAME;
    const target =
      c.mlPipelineId !== undefined
        ? { mlPipelineId: c.mlPipelineId }
        : { mlPipelineEndpointId: c.mlPipelineEndpointId ?? "", ...(c.mlPipelineVersion !== undefined ? { version: c.mlPipelineVersion } : {}) };
    const activities = retrainPipelineActivities({
      ...(c.copy ? { copy: c.copy } : {}),
      ml: {
        linkedServiceName,
        target,
        experimentName: c.experimentName,
        parameters: c.mlPipelineParameters ?? Object.fromEntries(Object.keys(mapping).map((p) => [p, p])),
      },
    });
    const pipeline = new datafactory.Pipeline(
      `${name}-pipeline`,
      {
        resourceGroupName: factoryResourceGroup,
        factoryName: factory.name,
        pipelineName,
        description: "Retrains on data drift: started by the drift retraining Logic App with the drift event's values.",
        parameters: pipelineParameters(mapping),
        activities,
        concurrency: 1,
      },
      { parent: this, dependsOn: [linkedService] },
    );
    return { factory, linkedService, pipeline, workspaceGrant, pipelineName };
  }
}

/** The factory id of an existing pipeline: given, or built from names (subscription defaulting to the workspace's). */
function existingFactoryId(existing: ExistingRetrainPipeline, workspaceId: pulumi.Output<string>): pulumi.Output<string> {
  if ("factoryId" in existing) return pulumi.output(existing.factoryId);
  const { factoryName, resourceGroupName, subscriptionId } = existing;
  return workspaceId.apply((ws) =>
    factoryId({ subscriptionId: subscriptionId ?? subscriptionOf(ws)?.slice("/subscriptions/".length) ?? "", resourceGroupName, factoryName }),
  );
}
