import * as authorization from "@pulumi/azure-native/authorization";
import * as datafactory from "@pulumi/azure-native/datafactory";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as logic from "@pulumi/azure-native/logic";
import * as pulumi from "@pulumi/pulumi";
import { HiddenParts } from "../arm/hiddenParts";
import { parseWorkspaceId } from "../arm/ids";
import { LogicAppDestination } from "../destinations/logicApp";
import { EventFilter } from "../filters/types";
import { RetrainEventField } from "../monitoring/breachFields";
import { assignRole, RoleGrant } from "../rbac/assignment";
import { leastPrivilegeRole } from "../rbac/customRoles";
import { SAS_TRIGGER_TAG, WorkflowDefinition } from "../workflows";
import { resolveEventSource, WorkspaceEventSource } from "../workspace/eventSource";
import { ManagedIdentities } from "../interfaces/types";
import { applyInterfaces, interfaceProblems, InterfaceShape } from "../interfaces/apply";
import { ActingIdentity, actingIdentity, actingPrincipalId, definitionActingAs, identityBlock } from "../interfaces/identities";
import { createPrivateEndpoints } from "../interfaces/privateEndpoints";
import { createManagedVirtualNetwork, factoryIsolationProps, retrainIsolationProblems } from "./isolation";
import { createFactoryCredential, factoryActingIdentity, FACTORY_CREDENTIAL_NAME, factoryKeepsSystem, V1_ROUTE_NEEDS_SYSTEM } from "./factoryIdentity";
import { azureMlServiceLinkedService, copyActivity, createRunUrl, pipelineParameters, queryPipelineRunsUrl, retrainPipelineActivities } from "./adf";
import { batchRetrainPipelineActivities } from "./batchPipeline";
import { DRIFT_TRIGGER_NAME, DriftRetrainWorkflow, workflowParameterValues } from "./definition";
import { retrainedModelParameterSpecs } from "./retrainedModel";
import {
  batchAfterCopy,
  batchRetrainOptions,
  createdPipelineName,
  DEFAULT_ML_LINKED_SERVICE_NAME,
  driftRetrainDefinitionFor,
  driftRetrainFilter,
  driftRetrainTriggerProblems,
  existingFactoryId,
  legacyDriftWarning,
  legacyMlStep,
  triggerSubscriptionName,
} from "./triggerBuilders";
import { BatchEndpointRetrain, CreateRetrainPipeline, DriftRetrainTriggerArgs, ExistingRetrainPipeline, RetrainedModel } from "./types";
import { effectiveMapping } from "./validate";

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
  credential: datafactory.CredentialOperation;
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
  /** Principal id the Logic App acts as: its system-assigned identity's, or the user-assigned identity's given in managedIdentities. */
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
  /** The factory credential naming the user-assigned identity the factory acts as (created factory, v2 route, user-assigned ids given). */
  get credential(): datafactory.CredentialOperation | undefined {
    return RETRAIN_PARTS.of(this).credential;
  }
  /** The created `AzureMLService` linked service, when `createPipeline` takes the v1 route (none for `batchEndpoint`). */
  get linkedService(): datafactory.LinkedService | undefined {
    return RETRAIN_PARTS.of(this).linkedService;
  }
  /** The created pipeline, when `createPipeline` is set. */
  get pipeline(): datafactory.Pipeline | undefined {
    return RETRAIN_PARTS.of(this).pipeline;
  }
  /** The created factory's acting identity's role on the workspace: AzureML Data Scientist (v1, system identity), or the batch-endpoint invoker role (v2). */
  get workspaceGrant(): authorization.RoleAssignment | undefined {
    return RETRAIN_PARTS.of(this).workspaceGrant;
  }

  constructor(name: string, args: DriftRetrainTriggerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DriftRetrainTrigger.__type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: DRIFT_RETRAIN_TRIGGER_LEGACY_TYPE }] });
    const problems = [
      ...[...driftRetrainTriggerProblems(name, args), ...retrainIsolationProblems(args)].map((p) => `DriftRetrainTrigger("${name}"): ${p}`),
      ...interfaceProblems(`DriftRetrainTrigger("${name}")`, args, retrainShape(args)),
    ];
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("\n"), this);
    const events = resolveEventSource(this, name, args, args.tags, args.managedIdentities);
    const place: Placement = {
      resourceGroupName: pulumi.output(args.resourceGroupName ?? events.resourceGroupName),
      location: pulumi.output(args.location ?? events.location),
      tags: { ...(args.tags ?? {}) },
      ...(args.managedIdentities !== undefined ? { identities: args.managedIdentities } : {}),
    };
    RETRAIN_PARTS.of(this).parameterMapping = effectiveMapping(args);
    RETRAIN_PARTS.of(this).source = args.modelMonitor !== undefined ? "modelMonitor" : "datasetDrift";
    if (args.retrainedModel !== undefined) this.retrainedModel = args.retrainedModel;
    RETRAIN_PARTS.of(this).filter = driftRetrainFilter(args);
    if (args.modelMonitor === undefined) pulumi.log.warn(legacyDriftWarning(name), this);

    const target = args.createPipeline
      ? this.createPipeline(name, args, args.createPipeline, events.workspaceId, place)
      : existingPipelineTarget(args.existingPipeline as ExistingRetrainPipeline, events.workspaceId);
    this.factoryId = target.factoryId;
    this.pipelineName = target.pipelineName;
    const pipelineName = this.pipelineName;
    this.createRunUrl = this.factoryId.apply((id) => createRunUrl(id, pipelineName));

    const acting = actingIdentity(args.managedIdentities, false);
    const workflow = this.createWorkflow(name, args, events.workspaceId, place, acting);
    this.workflowId = workflow.id;
    this.workflowName = workflow.name;
    this.principalId = actingPrincipalId(acting, workflow.identity.apply((i) => i?.principalId ?? ""), { parent: this });
    this.grantPipelineRunner(name);
    this.subscribe(name, args, events, place.resourceGroupName);

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
    const under = [parts.pipeline, parts.linkedService, parts.credential, parts.factoryGrant].filter((r): r is NonNullable<typeof r> => r !== undefined);
    const diagnostics = parts.factory ? [{ label: "", type: "Microsoft.DataFactory/factories" as const, resourceId: parts.factory.id }, workflow] : [workflow];
    applyInterfaces(name, args, { main, diagnostics, lockDependsOn: parts.factory ? under : [] }, this);
  }

  /** The Logic App with its definition and parameter values (the factory's URLs), after the created pipeline. */
  private createWorkflow(name: string, args: DriftRetrainTriggerArgs, workspaceIdOutput: pulumi.Output<string>, place: Placement, acting: ActingIdentity): logic.Workflow {
    const pipelineName = this.pipelineName;
    RETRAIN_PARTS.of(this).definition = driftRetrainDefinitionFor(args);
    const parameterValues = pulumi.all([workspaceIdOutput, this.factoryId]).apply(([workspaceId, factory]) =>
      workflowParameterValues({
        workspaceId,
        createRunUri: createRunUrl(factory, pipelineName),
        queryPipelineRunsUri: queryPipelineRunsUrl(factory),
        pipelineName,
      }),
    );
    const workflow = new logic.Workflow(
      `${name}-workflow`,
      {
        resourceGroupName: place.resourceGroupName,
        location: place.location,
        ...(args.workflowName !== undefined ? { workflowName: args.workflowName } : {}),
        identity: identityBlock(args.managedIdentities, "Microsoft.Logic/workflows", false),
        state: "Enabled",
        definition: definitionActingAs(this.definition, acting),
        parameters: parameterValues,
        tags: { ...place.tags, ...SAS_TRIGGER_TAG },
      },
      { parent: this, ...(this.pipeline ? { dependsOn: [this.pipeline] } : {}) },
    );
    RETRAIN_PARTS.of(this).workflow = workflow;
    const definition = this.definition;
    RETRAIN_PARTS.of(this).retrainWorkflow = parameterValues.apply((parameters) => ({ definition, parameters }));
    return workflow;
  }

  /** Least privilege: a custom role with createRun and queryPipelineRuns on this one factory (lib/rbac/customRoles). */
  private grantPipelineRunner(name: string): void {
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
  }

  /** The Event Grid subscription delivering to the workflow, once the workflow may start pipeline runs. */
  private subscribe(name: string, args: DriftRetrainTriggerArgs, events: WorkspaceEventSource, resourceGroupName: pulumi.Output<string>): void {
    const destination = new LogicAppDestination({
      resourceGroupName,
      workflowName: this.workflow.name,
      triggerName: DRIFT_TRIGGER_NAME,
      workflow: this.workflow,
      description: `Logic App ${name} (Data Factory pipeline ${this.pipelineName})`,
    });
    RETRAIN_PARTS.of(this).subscription = events.subscribe(triggerSubscriptionName(name, args), {
      destination,
      filter: this.filter,
      ...(args.maxDeliveryAttempts !== undefined ? { maxDeliveryAttempts: args.maxDeliveryAttempts } : {}),
      ...(args.eventTimeToLiveInMinutes !== undefined ? { eventTimeToLiveInMinutes: args.eventTimeToLiveInMinutes } : {}),
      dependsOn: [this.factoryGrant],
    });
  }

  /** The created factory, its route (v2 batch endpoint or v1 published pipeline) and the pipeline. */
  private createPipeline(name: string, args: DriftRetrainTriggerArgs, c: CreateRetrainPipeline, workspaceId: pulumi.Output<string>, place: Placement): PipelineTarget {
    const factoryResourceGroup = pulumi.output(c.resourceGroupName ?? place.resourceGroupName);
    const factory = this.createFactory(name, args, c, factoryResourceGroup, place);
    const runtime = args.managedVirtualNetwork === true ? [createManagedVirtualNetwork(name, factory, factoryResourceGroup, this)] : [];
    createPrivateEndpoints(
      name,
      args.privateEndpoints,
      { resourceGroupName: factoryResourceGroup, location: c.location ?? place.location, tags: place.tags, defaultService: "dataFactory", targets: { dataFactory: factory.id, portal: factory.id } },
      { parent: this },
    );
    const acting = factoryActingIdentity(args);
    // The workspace role goes to the identity the factory acts as: the user-assigned one's principal is read from Azure.
    const factoryPrincipal = actingPrincipalId(acting, factory.identity.apply((i) => i?.principalId ?? ""), { parent: this });
    const credential = acting.kind === "UserAssigned" ? createFactoryCredential(name, factory, factoryResourceGroup, acting.resourceId, this) : undefined;
    const route =
      c.batchEndpoint !== undefined
        ? this.batchRoute(name, c, c.batchEndpoint, workspaceId, factoryPrincipal, credential)
        : this.legacyRoute(name, c, workspaceId, factoryPrincipal, factory, factoryResourceGroup);
    const pipelineName = createdPipelineName(c, this.source);
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
    Object.assign(RETRAIN_PARTS.of(this), { factory, ...(credential ? { credential } : {}), ...(route.linkedService ? { linkedService: route.linkedService } : {}), pipeline, workspaceGrant: route.workspaceGrant });
    return { factoryId: factory.id, pipelineName };
  }

  /** The factory, with the identity its pipeline acts as (system-assigned, or the first user-assigned one on the v2 route) and the key's. */
  private createFactory(name: string, args: DriftRetrainTriggerArgs, c: CreateRetrainPipeline, factoryResourceGroup: pulumi.Output<string>, place: Placement): datafactory.Factory {
    return new datafactory.Factory(
      `${name}-adf`,
      {
        resourceGroupName: factoryResourceGroup,
        location: c.location ?? place.location,
        ...(c.factoryName !== undefined ? { factoryName: c.factoryName } : {}),
        // identity (managedIdentities plus the key's identity), publicNetworkAccess, encryption.
        ...factoryIsolationProps(args),
        tags: place.tags,
      },
      { parent: this },
    );
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
      { resourceGroupName: factoryResourceGroup, factoryName: factory.name, linkedServiceName, properties: this.mlServiceProperties(name, workspaceId) },
      { parent: this, dependsOn: [workspaceGrant] },
    );
    const activities = retrainPipelineActivities({ ...(c.copy ? { copy: c.copy } : {}), ml: legacyMlStep(c, linkedServiceName, this.runParameterNames()) });
    return {
      description: "Retrains when the retraining Logic App starts it (a model monitor breach, or legacy data drift) with the event's values.",
      activities,
      workspaceGrant,
      linkedService,
      dependsOn: [linkedService],
    };
  }

  /** The `AzureMLService` linked service's properties for the workspace (a clear error when the id is not a workspace's). */
  private mlServiceProperties(name: string, workspaceId: pulumi.Output<string>): pulumi.Output<ReturnType<typeof azureMlServiceLinkedService>> {
    return workspaceId.apply((id) => {
      const ws = parseWorkspaceId(id);
      if (ws === undefined) {
        throw new pulumi.ResourceError(
          `DriftRetrainTrigger("${name}"): events.workspaceId ${JSON.stringify(id)} is not an AML workspace id; the AzureMLService linked service needs /subscriptions/…/workspaces/{name}.`,
          this,
        );
      }
      return { ...azureMlServiceLinkedService(ws) };
    });
  }

  /**
   * v2: no linked service; the factory's acting identity gets the batch-endpoint invoker role (a custom
   * role with Microsoft's listed actions, assignable only on this workspace) or AzureML Data Scientist, on
   * the workspace only; the pipeline invokes the batch endpoint and polls its job, as that identity
   * (through `credential` when it is a user-assigned one).
   */
  private batchRoute(
    name: string,
    c: CreateRetrainPipeline,
    b: BatchEndpointRetrain,
    workspaceId: pulumi.Output<string>,
    factoryPrincipal: pulumi.Output<string>,
    credential: datafactory.CredentialOperation | undefined,
  ): PipelineRoute {
    const workspaceGrant = this.batchInvokerGrant(name, b, workspaceId, factoryPrincipal);
    const options = { ...batchRetrainOptions(c, b, this.runParameterNames()), ...(credential ? { credentialName: FACTORY_CREDENTIAL_NAME } : {}) };
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
      dependsOn: credential ? [workspaceGrant, credential] : [workspaceGrant],
    };
  }

  /** The factory identity's role on the workspace for the v2 route: the batch-endpoint invoker role, or AzureML Data Scientist. */
  private batchInvokerGrant(name: string, b: BatchEndpointRetrain, workspaceId: pulumi.Output<string>, factoryPrincipal: pulumi.Output<string>): authorization.RoleAssignment {
    const description = "Data Factory invokes the retraining batch endpoint in this workspace and polls its job";
    let role: RoleGrant["role"] = "AzureMLDataScientist";
    const dependsOn: pulumi.Resource[] = [];
    if ((b.invokerRole ?? "BatchEndpointInvoker") === "BatchEndpointInvoker") {
      const invoker = leastPrivilegeRole(`${name}-batch-invoker-role`, "batchInvoker", workspaceId, { parent: this });
      role = invoker.role;
      dependsOn.push(invoker.definition);
    }
    // invokerRole "AzureMLDataScientist" is the user's explicit choice of a privileged built-in role: allowed on the workspace only.
    const allowPrivileged = role === "AzureMLDataScientist" ? { targetType: "Microsoft.MachineLearningServices/workspaces", reason: "createPipeline.batchEndpoint.invokerRole is AzureMLDataScientist" } : undefined;
    return assignRole(`${name}-adf-aml`, { scope: workspaceId, principalId: factoryPrincipal, role, description, ...(allowPrivileged ? { allowPrivileged } : {}) }, { parent: this, dependsOn });
  }
}

/** The pipeline a trigger runs when it brings its own: the factory's id and the pipeline's name. */
function existingPipelineTarget(existing: ExistingRetrainPipeline, workspaceId: pulumi.Output<string>): PipelineTarget {
  return { factoryId: existingFactoryId(existing, workspaceId), pipelineName: existing.pipelineName };
}

/** The pipeline the trigger's workflow starts: its factory's id and its name. */
interface PipelineTarget {
  readonly factoryId: pulumi.Output<string>;
  readonly pipelineName: string;
}

/** Where the trigger's own resources go: resource group, region and tags. */
interface Placement {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly location: pulumi.Output<string>;
  readonly tags: Record<string, string>;
  /** The component's `managedIdentities`, when given. */
  readonly identities?: ManagedIdentities;
}

/** What DriftRetrainTrigger creates, for the interface checks. */
function retrainShape(args: DriftRetrainTriggerArgs): InterfaceShape {
  const factory = args.createPipeline !== undefined;
  return {
    needsIdentity: true,
    diagnosticTypes: factory ? ["Microsoft.DataFactory/factories", "Microsoft.Logic/workflows"] : ["Microsoft.Logic/workflows"],
    identities: [
      ["Microsoft.Logic/workflows", undefined],
      ...(factory ? [["Microsoft.DataFactory/factories", factoryKeepsSystem(args) ? V1_ROUTE_NEEDS_SYSTEM : undefined] as const] : []),
    ],
    readOnlyLockBreaks: factory ? "the Logic App starts runs with the factory's createRun, a POST" : "Event Grid's subscription reads the Logic App's callback URL with listCallbackUrl, a POST",
  };
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
