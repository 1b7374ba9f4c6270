import { eventSourceProblems, isEventSource, resolveEventSource } from "../workspace/eventSource";
import { HiddenParts } from "../arm/hiddenParts";
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
import { assignRole, RoleGrant } from "../rbac/assignment";
import { leastPrivilegeRole } from "../rbac/customRoles";
import { subscriptionOf } from "../rbac/roles";
import {
  azureMlServiceLinkedService,
  copyActivity,
  CopyActivity,
  createRunUrl,
  DriftEventField,
  factoryId,
  pipelineParameters,
  queryPipelineRunsUrl,
  retrainPipelineActivities,
} from "./adf";
import { SAS_TRIGGER_TAG, WorkflowDefinition } from "../workflows";
import { buildDriftRetrainDefinition, DRIFT_TRIGGER_NAME, DriftRetrainWorkflow, workflowParameterValues } from "./definition";
import { retrainedModelParameterSpecs, retrainedModelRunParameters } from "./retrainedModel";
import { BATCH_ACTIVITIES, BatchPipelineActivity, batchRetrainPipelineActivities } from "./batchPipeline";
import { BatchEndpointRetrain, CreateRetrainPipeline, DriftRetrainTriggerArgs, ExistingRetrainPipeline, RetrainedModel, unknownDriftRetrainTriggerArgs } from "./types";
import { breachRunIdParameter, coolDownParameter, effectiveMapping, validateDriftRetrainTriggerArgs } from "./validate";
import { buildBreachRetrainDefinition } from "./breachDefinition";
import { BreachEventField, RetrainEventField } from "./breachFields";
import { ModelMonitorSource, modelMonitorBreachFilter } from "./breachFilter";
import { createManagedVirtualNetwork, factoryIsolationProps, retrainIsolationProblems } from "./isolation";
import { createPrivateEndpoints } from "../interfaces/privateEndpoints";
import { ManagedIdentities } from "../interfaces/types";
import { applyInterfaces, interfaceProblems, InterfaceShape } from "../interfaces/apply";
import { actingIdentity, actingPrincipalId, asIdentityMap, definitionActingAs, identityBlock } from "../interfaces/identities";
import { factoryIdentity } from "../interfaces/customerManagedKey";

/** What DriftRetrainTrigger creates, for the interface checks. */
function retrainShape(args: DriftRetrainTriggerArgs): InterfaceShape {
  const factory = args.createPipeline !== undefined;
  return {
    needsIdentity: true,
    diagnosticTypes: factory ? ["Microsoft.DataFactory/factories", "Microsoft.Logic/workflows"] : ["Microsoft.Logic/workflows"],
    identities: [
      ["Microsoft.Logic/workflows", undefined],
      ...(factory ? [["Microsoft.DataFactory/factories", "its Web activity and Azure ML linked service authenticate as the factory's system-assigned identity"] as const] : []),
    ],
    readOnlyLockBreaks: factory ? "the Logic App starts runs with the factory's createRun, a POST" : "Event Grid's subscription reads the Logic App's callback URL with listCallbackUrl, a POST",
  };
}

/**
 * The factory's identity: always system-assigned (its Web activity and linked service act as it), plus
 * the user-assigned identities of managedIdentities and of the customer-managed key.
 */
function factoryIdentityOf(identities: ManagedIdentities | undefined, cmk: DriftRetrainTriggerArgs["customerManagedKey"]): { type: string; userAssignedIdentities?: Record<string, object> } {
  const own = asIdentityMap(identityBlock(identities, "Microsoft.DataFactory/factories", true));
  const assigned = { ...(own?.userAssignedIdentities ?? {}), ...(factoryIdentity(cmk).userAssignedIdentities ?? {}) };
  return Object.keys(assigned).length > 0 ? { type: "SystemAssigned,UserAssigned", userAssignedIdentities: assigned } : { type: "SystemAssigned" };
}

/** Default name of a created pipeline (legacy DatasetDriftDetected source). */
export const DEFAULT_RETRAIN_PIPELINE_NAME = "retrain-on-drift";
/** Default name of a created pipeline retraining on model monitor breaches. */
export const DEFAULT_BREACH_PIPELINE_NAME = "retrain-on-breach";
/** Default name of a created `AzureMLService` linked service. */
export const DEFAULT_ML_LINKED_SERVICE_NAME = "AzureMLWorkspace";

/**
 * The Event Grid filter of the trigger: with `modelMonitor`, failed RunStatusChanged runs carrying the
 * breach tag (scoped to the monitors and signals); otherwise the legacy DatasetDriftDetected, plus the
 * monitor-name and coefficient filters when set.
 */
export function driftRetrainFilter(args: Pick<DriftRetrainTriggerArgs, "driftMonitorNames" | "minimumDriftCoefficient" | "modelMonitor">): EventFilter {
  if (args.modelMonitor !== undefined) return modelMonitorBreachFilter(args.modelMonitor);
  const advancedFilters = [
    ...(args.driftMonitorNames !== undefined ? [driftMonitorIn(...args.driftMonitorNames)] : []),
    ...(args.minimumDriftCoefficient !== undefined ? [driftCoefficientAtLeast(args.minimumDriftCoefficient)] : []),
  ];
  return allOf(eventTypes(AmlEventType.DatasetDriftDetected), advancedFilters.length > 0 ? { advancedFilters } : {});
}

/** The plain, construction-time definition of a trigger's workflow (what `DriftRetrainTrigger` deploys). */
export function driftRetrainDefinitionFor(args: DriftRetrainTriggerArgs): WorkflowDefinition {
  if (args.modelMonitor !== undefined) return breachRetrainDefinitionFor(args, args.modelMonitor);
  // Validation accepted only drift fields for the legacy source.
  const mapping = effectiveMapping(args) as Readonly<Record<string, DriftEventField>>;
  return buildDriftRetrainDefinition({
    mapping,
    ...(args.driftMonitorNames !== undefined ? { driftMonitorNames: args.driftMonitorNames } : {}),
    ...(args.minimumDriftCoefficient !== undefined ? { minimumDriftCoefficient: args.minimumDriftCoefficient } : {}),
    ...(args.coolDownHours !== undefined ? { coolDown: { hours: args.coolDownHours, parameter: coolDownParameter(mapping) ?? "" } } : {}),
    literalParameters: retrainedModelRunParameters(args.retrainedModel),
  });
}

function breachRetrainDefinitionFor(args: DriftRetrainTriggerArgs, monitor: ModelMonitorSource): WorkflowDefinition {
  // Validation accepted only breach fields, and a parameter mapped from runId, for the v2 source.
  const mapping = effectiveMapping(args) as Readonly<Record<string, BreachEventField>>;
  const signalParameter = coolDownParameter(mapping, true) ?? "";
  return buildBreachRetrainDefinition({
    mapping,
    monitor,
    runIdParameter: breachRunIdParameter(mapping) ?? "",
    ...(args.coolDownHours !== undefined ? { coolDown: { hours: args.coolDownHours, parameter: signalParameter } } : {}),
    literalParameters: retrainedModelRunParameters(args.retrainedModel),
  });
}

/** The warning a trigger on the legacy source logs: what stopped and what to use instead. */
export function legacyDriftWarning(name: string): string {
  return (
    `DriftRetrainTrigger("${name}") listens for DatasetDriftDetected, which only v1 dataset drift monitors send; ` +
    `Microsoft retired those on 2025-09-01, so this trigger will not fire in a current workspace. ` +
    `Pass modelMonitor: { monitors: [monitor] } (or {monitorNames, signalNames}) to retrain on model monitoring (v2) breaches.`
  );
}

/** The previous token, kept as an alias so stacks created before the multi-language tokens are not replaced. */
export const DRIFT_RETRAIN_TRIGGER_LEGACY_TYPE = "aml-events:retraining:DriftRetrainTrigger";

/** DriftRetrainTrigger's TypeScript-only parts (see `HiddenParts`). */
interface DriftRetrainTriggerParts {
  workflow: logic.Workflow;
  definition: WorkflowDefinition;
  retrainWorkflow: pulumi.Output<DriftRetrainWorkflow>;
  parameterMapping: Readonly<Record<string, RetrainEventField>>;
  source: "modelMonitor" | "datasetDrift";
  subscription: eventgrid.SystemTopicEventSubscription;
  filter: EventFilter;
  factoryGrant: authorization.RoleAssignment;
  factory: datafactory.Factory;
  linkedService: datafactory.LinkedService;
  pipeline: datafactory.Pipeline;
  workspaceGrant: authorization.RoleAssignment;
}
const RETRAIN_PARTS = new HiddenParts<DriftRetrainTrigger, DriftRetrainTriggerParts>();

/**
 * Retraining on model monitoring (v2) breaches: with `modelMonitor` (e.g. `{ monitors: [monitor] }`), a
 * RunStatusChanged subscription on the `azureml_modelmonitor_threshold_breached` run tag (whatever the
 * run's status: the tagged run ends Completed) → a Consumption Logic App (system identity) that parses
 * the tag, compares the parsed `<monitor>_<signal>` exactly with the trigger's scope, starts one run per
 * tagged run id (optional cool-down per signal) → Data Factory `createRun` of the retraining pipeline
 * (a batch endpoint job, or copy + published AML pipeline); Data Factory Contributor on the factory only.
 * Without `modelMonitor` it keeps the legacy route: DatasetDriftDetected from v1 dataset drift monitors
 * (retired 2025-09-01), filtered on monitor names and drift coefficient, with a deprecation warning.
 */
export class DriftRetrainTrigger extends pulumi.ComponentResource {
  /** Pulumi type token. */
  static readonly __type = "aml-events:index:DriftRetrainTrigger";

  /** ARM id of the Logic App. */
  readonly workflowId: pulumi.Output<string>;
  /** Name of the Logic App. */
  readonly workflowName: pulumi.Output<string>;
  /** Principal id of the identity the Logic App acts with: its system-assigned one, or the user-assigned one of `managedIdentities`. */
  readonly principalId: pulumi.Output<string>;
  /** ARM id of the factory whose pipeline runs. */
  readonly factoryId: pulumi.Output<string>;
  /** Name of the pipeline that runs. */
  readonly pipelineName: string;
  /** What a successful retraining registers, when declared. */
  readonly retrainedModel?: RetrainedModel;
  /** The `createRun` URL the workflow calls. */
  readonly createRunUrl: pulumi.Output<string>;

  /** The Logic App. */
  get workflow(): logic.Workflow {
    return RETRAIN_PARTS.required(this, "workflow");
  }
  /** The workflow definition as deployed (plain, known at construction). */
  get definition(): WorkflowDefinition {
    return RETRAIN_PARTS.required(this, "definition");
  }
  /** The definition with its resolved parameter values: feed it to `previewRetrainCall`. */
  get retrainWorkflow(): pulumi.Output<DriftRetrainWorkflow> {
    return RETRAIN_PARTS.required(this, "retrainWorkflow");
  }
  /** Pipeline parameter name → event field. */
  get parameterMapping(): Readonly<Record<string, RetrainEventField>> {
    return RETRAIN_PARTS.required(this, "parameterMapping");
  }
  /** What starts a retraining: model monitor (v2) breaches, or the legacy DatasetDriftDetected. */
  get source(): "modelMonitor" | "datasetDrift" {
    return RETRAIN_PARTS.required(this, "source");
  }
  /** The Event Grid subscription (a child of the events component). */
  get subscription(): eventgrid.SystemTopicEventSubscription {
    return RETRAIN_PARTS.required(this, "subscription");
  }
  /** The Event Grid filter of the subscription. */
  get filter(): EventFilter {
    return RETRAIN_PARTS.required(this, "filter");
  }
  /** Data Factory Contributor for the workflow identity, on the factory. */
  get factoryGrant(): authorization.RoleAssignment {
    return RETRAIN_PARTS.required(this, "factoryGrant");
  }
  /** The created factory, when `createPipeline` is set. */
  get factory(): datafactory.Factory | undefined {
    return RETRAIN_PARTS.of(this).factory;
  }
  /** The created `AzureMLService` linked service, when `createPipeline` takes the v1 route (none for `batchEndpoint`). */
  get linkedService(): datafactory.LinkedService | undefined {
    return RETRAIN_PARTS.of(this).linkedService;
  }
  /** The created pipeline, when `createPipeline` is set. */
  get pipeline(): datafactory.Pipeline | undefined {
    return RETRAIN_PARTS.of(this).pipeline;
  }
  /** The created factory identity's role on the workspace: AzureML Data Scientist (v1), or the batch-endpoint invoker role (v2). */
  get workspaceGrant(): authorization.RoleAssignment | undefined {
    return RETRAIN_PARTS.of(this).workspaceGrant;
  }

  constructor(name: string, args: DriftRetrainTriggerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DriftRetrainTrigger.__type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: DRIFT_RETRAIN_TRIGGER_LEGACY_TYPE }] });
    // The component's name prefixes the subscription's Azure name unless one is given.
    const subscriptionSuffix = args.modelMonitor !== undefined ? "breach" : "drift";
    const subscriptionName = args.subscriptionName ?? `${name}-${subscriptionSuffix}`;
    const problems = [
      ...unknownDriftRetrainTriggerArgs(args),
      ...(args.subscriptionName === undefined ? componentNameProblems(undefined, name, 63 - subscriptionSuffix.length) : []),
      ...eventSourceProblems("", args),
      ...validateDriftRetrainTriggerArgs(args),
      ...retrainIsolationProblems(args),
      ...subscriptionNameClash(isEventSource(args.events) ? args.events : undefined, subscriptionName, { argument: "subscriptionName", ...(args.subscriptionName === undefined ? { derived: `the default, {name}-${subscriptionSuffix}` } : {}) }),
    ];
    const all = [...problems.map((p) => `DriftRetrainTrigger("${name}"): ${p}`), ...interfaceProblems(`DriftRetrainTrigger("${name}")`, args, retrainShape(args))];
    if (all.length > 0) throw new pulumi.ResourceError(all.join("\n"), this);
    const events = resolveEventSource(this, name, args, args.tags, args.managedIdentities);
    const acting = actingIdentity(args.managedIdentities, false);
    const resourceGroupName = pulumi.output(args.resourceGroupName ?? events.resourceGroupName);
    const location = pulumi.output(args.location ?? events.location);
    const tags = { ...(args.tags ?? {}) };
    RETRAIN_PARTS.of(this).parameterMapping = effectiveMapping(args);
    RETRAIN_PARTS.of(this).source = args.modelMonitor !== undefined ? "modelMonitor" : "datasetDrift";
    if (args.retrainedModel !== undefined) this.retrainedModel = args.retrainedModel;
    RETRAIN_PARTS.of(this).filter = driftRetrainFilter(args);
    if (args.modelMonitor === undefined) pulumi.log.warn(legacyDriftWarning(name), this);

    if (args.createPipeline) {
      const created = this.createPipeline(name, args, args.createPipeline, events.workspaceId, resourceGroupName, location, tags, args.managedIdentities);
      RETRAIN_PARTS.of(this).factory = created.factory;
      RETRAIN_PARTS.of(this).linkedService = created.linkedService;
      RETRAIN_PARTS.of(this).pipeline = created.pipeline;
      RETRAIN_PARTS.of(this).workspaceGrant = created.workspaceGrant;
      this.factoryId = created.factory.id;
      this.pipelineName = created.pipelineName;
    } else {
      const existing = args.existingPipeline as ExistingRetrainPipeline;
      this.factoryId = existingFactoryId(existing, events.workspaceId);
      this.pipelineName = existing.pipelineName;
    }
    const pipelineName = this.pipelineName;
    this.createRunUrl = this.factoryId.apply((id) => createRunUrl(id, pipelineName));

    RETRAIN_PARTS.of(this).definition = driftRetrainDefinitionFor(args);
    const parameterValues = pulumi.all([events.workspaceId, this.factoryId]).apply(([workspaceId, factory]) =>
      workflowParameterValues({
        workspaceId,
        createRunUri: createRunUrl(factory, pipelineName),
        queryPipelineRunsUri: queryPipelineRunsUrl(factory),
        pipelineName,
      }),
    );
    RETRAIN_PARTS.of(this).workflow = new logic.Workflow(
      `${name}-workflow`,
      {
        resourceGroupName,
        location,
        ...(args.workflowName !== undefined ? { workflowName: args.workflowName } : {}),
        identity: identityBlock(args.managedIdentities, "Microsoft.Logic/workflows", false),
        state: "Enabled",
        definition: definitionActingAs(this.definition, acting),
        parameters: parameterValues,
        tags: { ...tags, ...SAS_TRIGGER_TAG },
      },
      { parent: this, ...(this.pipeline ? { dependsOn: [this.pipeline] } : {}) },
    );
    this.workflowId = this.workflow.id;
    this.workflowName = this.workflow.name;
    this.principalId = actingPrincipalId(acting, this.workflow.identity.apply((i) => i?.principalId ?? ""), { parent: this });
    const definition = this.definition;
    RETRAIN_PARTS.of(this).retrainWorkflow = parameterValues.apply((parameters) => ({ definition, parameters }));

    // Least privilege: a custom role with createRun and queryPipelineRuns on this one factory (lib/rbac/customRoles).
    const runner = leastPrivilegeRole(`${name}-pipeline-runner-role`, "retrainWorkflow", this.factoryId, { parent: this });
    RETRAIN_PARTS.of(this).factoryGrant = assignRole(
      `${name}-adf-contributor`,
      {
        scope: this.factoryId,
        principalId: this.principalId,
        role: runner.role,
        description: "The drift retraining workflow starts and queries runs of the retraining pipeline",
      },
      { parent: this, dependsOn: [runner.definition] },
    );

    const destination = new LogicAppDestination({
      resourceGroupName,
      workflowName: this.workflow.name,
      triggerName: DRIFT_TRIGGER_NAME,
      workflow: this.workflow,
      description: `Logic App ${name} (Data Factory pipeline ${pipelineName})`,
    });
    RETRAIN_PARTS.of(this).subscription = events.subscribe(subscriptionName, {
      destination,
      filter: this.filter,
      ...(args.maxDeliveryAttempts !== undefined ? { maxDeliveryAttempts: args.maxDeliveryAttempts } : {}),
      ...(args.eventTimeToLiveInMinutes !== undefined ? { eventTimeToLiveInMinutes: args.eventTimeToLiveInMinutes } : {}),
      dependsOn: [this.factoryGrant],
    });

    this.applyAvmInterfaces(name, args);
    // Only the primary id goes to state: every registered output costs a serialization per component.
    this.registerOutputs({ workflowId: this.workflowId });
  }

  /** Diagnostics on the factory and the Logic App; lock and extra grants on the factory (else the Logic App). */
  private applyAvmInterfaces(name: string, args: DriftRetrainTriggerArgs): void {
    const parts = RETRAIN_PARTS.of(this);
    const workflow = { label: parts.factory ? "workflow" : "", type: "Microsoft.Logic/workflows" as const, resourceId: this.workflowId };
    const main = parts.factory ? { id: parts.factory.id, what: "the retraining Data Factory" } : { id: this.workflowId, what: "the retraining Logic App" };
    // The factory's children and the grant scoped to it go before the lock at destroy time.
    const under = [parts.pipeline, parts.linkedService, parts.factoryGrant].filter((r): r is NonNullable<typeof r> => r !== undefined);
    const diagnostics = parts.factory ? [{ label: "", type: "Microsoft.DataFactory/factories" as const, resourceId: parts.factory.id }, workflow] : [workflow];
    applyInterfaces(name, args, { main, diagnostics, lockDependsOn: parts.factory ? under : [] }, this);
  }

  private createPipeline(
    name: string,
    args: DriftRetrainTriggerArgs,
    c: CreateRetrainPipeline,
    workspaceId: pulumi.Output<string>,
    resourceGroupName: pulumi.Output<string>,
    location: pulumi.Output<string>,
    tags: Record<string, string>,
    identities: ManagedIdentities | undefined,
  ): {
    factory: datafactory.Factory;
    linkedService?: datafactory.LinkedService;
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
        // identity (system-assigned, plus the key's identity), publicNetworkAccess, encryption.
        ...factoryIsolationProps(args),
        identity: factoryIdentityOf(identities, args.customerManagedKey),
        tags,
      },
      { parent: this },
    );
    const runtime = args.managedVirtualNetwork === true ? [createManagedVirtualNetwork(name, factory, factoryResourceGroup, this)] : [];
    createPrivateEndpoints(
      name,
      args.privateEndpoints,
      { resourceGroupName: factoryResourceGroup, location: c.location ?? location, tags, defaultService: "dataFactory", targets: { dataFactory: factory.id, portal: factory.id } },
      { parent: this },
    );
    const factoryPrincipal = factory.identity.apply((i) => i?.principalId ?? "");
    const route =
      c.batchEndpoint !== undefined
        ? this.batchRoute(name, c, c.batchEndpoint, workspaceId, factoryPrincipal)
        : this.legacyRoute(name, c, workspaceId, factoryPrincipal, factory, factoryResourceGroup);
    const pipelineName = c.pipelineName ?? (this.source === "modelMonitor" ? DEFAULT_BREACH_PIPELINE_NAME : DEFAULT_RETRAIN_PIPELINE_NAME);
    const pipeline = new datafactory.Pipeline(
      `${name}-pipeline`,
      {
        resourceGroupName: factoryResourceGroup,
        factoryName: factory.name,
        pipelineName,
        description: route.description,
        parameters: { ...pipelineParameters(this.parameterMapping), ...retrainedModelParameterSpecs(this.retrainedModel) },
        ...(route.variables ? { variables: route.variables } : {}),
        activities: route.activities,
        concurrency: 1,
      },
      { parent: this, dependsOn: [...route.dependsOn, ...runtime] },
    );
    return { factory, ...(route.linkedService ? { linkedService: route.linkedService } : {}), pipeline, workspaceGrant: route.workspaceGrant, pipelineName };
  }

  /** Every parameter a run gets: the mapped ones, then the retrained model's. */
  private runParameterNames(): string[] {
    return [...Object.keys(this.parameterMapping), ...Object.keys(retrainedModelParameterSpecs(this.retrainedModel))];
  }

  /** v1: an `AzureMLService` linked service, AzureML Data Scientist on the workspace, Copy → AzureMLExecutePipeline. */
  private legacyRoute(
    name: string,
    c: CreateRetrainPipeline,
    workspaceId: pulumi.Output<string>,
    factoryPrincipal: pulumi.Output<string>,
    factory: datafactory.Factory,
    factoryResourceGroup: pulumi.Output<string>,
  ): PipelineRoute {
    const runner = leastPrivilegeRole(`${name}-ml-pipeline-runner-role`, "mlPipelineRunner", workspaceId, { parent: this });
    const workspaceGrant = assignRole(
      `${name}-adf-aml`,
      { scope: workspaceId, principalId: factoryPrincipal, role: runner.role, description: "Data Factory runs the published retraining pipeline in this workspace" },
      { parent: this, dependsOn: [runner.definition] },
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
    const target =
      c.mlPipelineId !== undefined
        ? { mlPipelineId: c.mlPipelineId }
        : { mlPipelineEndpointId: c.mlPipelineEndpointId ?? "", ...(c.mlPipelineVersion !== undefined ? { version: c.mlPipelineVersion } : {}) };
    const activities = retrainPipelineActivities({
      ...(c.copy ? { copy: c.copy } : {}),
      ml: {
        linkedServiceName,
        target,
        experimentName: c.experimentName ?? "",
        parameters: c.mlPipelineParameters ?? Object.fromEntries(this.runParameterNames().map((p) => [p, p])),
      },
    });
    return {
      description: "Retrains when the retraining Logic App starts it (a model monitor breach, or legacy data drift) with the event's values.",
      activities,
      workspaceGrant,
      linkedService,
      dependsOn: [linkedService],
    };
  }

  /**
   * v2: no linked service; the factory's identity gets the batch-endpoint invoker role (a custom role
   * with Microsoft's listed actions, assignable only on this workspace) or AzureML Data Scientist, on
   * the workspace only; the pipeline invokes the batch endpoint and polls its job.
   */
  private batchRoute(
    name: string,
    c: CreateRetrainPipeline,
    b: BatchEndpointRetrain,
    workspaceId: pulumi.Output<string>,
    factoryPrincipal: pulumi.Output<string>,
  ): PipelineRoute {
    const description = "Data Factory invokes the retraining batch endpoint in this workspace and polls its job";
    let role: RoleGrant["role"] = "AzureMLDataScientist";
    const dependsOn: pulumi.Resource[] = [];
    if ((b.invokerRole ?? "BatchEndpointInvoker") === "BatchEndpointInvoker") {
      const invoker = leastPrivilegeRole(`${name}-batch-invoker-role`, "batchInvoker", workspaceId, { parent: this });
      role = invoker.role;
      dependsOn.push(invoker.definition);
    }
    const workspaceGrant = assignRole(`${name}-adf-aml`, { scope: workspaceId, principalId: factoryPrincipal, role, description }, { parent: this, dependsOn });
    const experimentName = b.experimentName ?? c.experimentName;
    const options = {
      endpoint: { ...b, ...(experimentName !== undefined ? { experimentName } : {}) },
      inputs: b.inputs ?? Object.fromEntries(this.runParameterNames().map((p) => [p, p])),
      ...(b.pollIntervalSeconds !== undefined ? { pollIntervalSeconds: b.pollIntervalSeconds } : {}),
      ...(b.timeoutMinutes !== undefined ? { timeoutMinutes: b.timeoutMinutes } : {}),
      ...(b.pollRetry !== undefined ? { pollRetry: b.pollRetry } : {}),
    };
    // The variables do not depend on the workspace id; the poll's URL does (ARM "Jobs - Get").
    const built = batchRetrainPipelineActivities({ ...options, workspaceId: "" });
    const activities = workspaceId.apply((ws): PipelineActivity[] => {
      const withWs = batchRetrainPipelineActivities({ ...options, workspaceId: ws }).activities;
      return c.copy ? batchAfterCopy(copyActivity(c.copy), withWs) : withWs;
    });
    return {
      description: "Retrains: invokes the Azure ML batch endpoint's pipeline deployment with the event's values and waits for its job.",
      activities,
      variables: built.variables,
      workspaceGrant,
      dependsOn: [workspaceGrant],
    };
  }
}

/** The activity list azure-native's `datafactory.Pipeline` takes. */
type PipelineActivities = NonNullable<datafactory.PipelineArgs["activities"]>;
/** One activity of that list. */
type PipelineActivity = Extract<PipelineActivities, unknown[]>[number];

/** What a retraining route contributes to the created pipeline. */
interface PipelineRoute {
  readonly description: string;
  readonly activities: pulumi.Input<PipelineActivity[]>;
  readonly variables?: Record<string, { type: string; defaultValue?: string }>;
  readonly workspaceGrant: authorization.RoleAssignment;
  readonly linkedService?: datafactory.LinkedService;
  readonly dependsOn: pulumi.Resource[];
}

/** The copy step first, then the batch activities with the invocation depending on it. */
function batchAfterCopy(copy: CopyActivity, activities: readonly BatchPipelineActivity[]): PipelineActivity[] {
  return [copy, ...activities.map((a) => (a.name === BATCH_ACTIVITIES.invoke ? { ...a, dependsOn: [{ activity: copy.name, dependencyConditions: ["Succeeded"] }] } : a))];
}

/** The factory id of an existing pipeline: given, or built from names (subscription defaulting to the workspace's). */
function existingFactoryId(existing: ExistingRetrainPipeline, workspaceId: pulumi.Output<string>): pulumi.Output<string> {
  if (existing.factoryId !== undefined) return pulumi.output(existing.factoryId);
  // validateExisting made factoryName and resourceGroupName required without factoryId.
  const { factoryName = "", resourceGroupName = "", subscriptionId } = existing;
  return workspaceId.apply((ws) =>
    factoryId({ subscriptionId: subscriptionId ?? subscriptionOf(ws)?.slice("/subscriptions/".length) ?? "", resourceGroupName, factoryName }),
  );
}
