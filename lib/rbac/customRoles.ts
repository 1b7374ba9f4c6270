/**
 * Least-privilege custom roles for the identities our components create: exactly the operations each
 * identity calls, defined in the target's subscription, assignable in its resource group (Microsoft
 * advises against resource-instance assignable scopes: Learn, "Understand Azure role definitions",
 * AssignableScopes) and assigned on the one resource (assignRole).
 *
 * Operation names: Learn, "Azure permissions for Analytics" (Microsoft.DataFactory) and "Azure permissions
 * for AI + machine learning" (Microsoft.MachineLearningServices),
 * https://learn.microsoft.com/azure/role-based-access-control/permissions/analytics and
 * https://learn.microsoft.com/azure/role-based-access-control/permissions/ai-machine-learning ;
 * REST paths they guard: "Pipelines - Create Run" (POST …/factories/{f}/pipelines/{p}/createRun) and
 * "Pipeline Runs - Query By Factory" (POST …/factories/{f}/queryPipelineRuns),
 * https://learn.microsoft.com/rest/api/datafactory/pipelines/create-run ,
 * https://learn.microsoft.com/rest/api/datafactory/pipeline-runs/query-by-factory ; "Online Endpoints -
 * Create Or Update" / "Online Deployments - Create Or Update" (PUT …/onlineEndpoints/{e}[/deployments/{d}]),
 * https://learn.microsoft.com/rest/api/azureml/online-endpoints/create-or-update ; batch invocation:
 * Learn, "Authorization on batch endpoints" (the invoke role's list, of which we keep what a job with
 * literal inputs needs: no data upload, no datastore or environment secrets, no key listing),
 * https://learn.microsoft.com/azure/machine-learning/how-to-authenticate-batch-endpoint .
 *
 * Replication: a new custom role reaches every ARM replica after a delay; an assignment made right
 * after the definition can fail with RoleDefinitionDoesNotExist, and azure-native does not retry it
 * (sources in ./replication.ts). The role id handed to assignRole resolves only after a
 * RoleDefinitionReplication wait (./roleReplication.ts) has read the definition back several times in a
 * row; the assignment also names its principalType (so Entra replication of a new identity is not a
 * second failure). See docs/policy-pack.md, "Our identities' roles".
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { deterministicGuid } from "./guid";
import { replicatedRoleId } from "./roleReplication";
import { resourceGroupOf, roleDefinitionIdFor, subscriptionOf } from "./roles";

/** One least-privilege role: the operations an identity calls on one resource. */
export interface LeastPrivilegeRoleSpec {
  /** Seed of the role's deterministic GUID (with the target's id). */
  readonly seed: string;
  /** The role's name prefix (the GUID is appended: names are unique per tenant). */
  readonly roleName: string;
  /** The role's description, shown in the portal. */
  readonly description: string;
  /** Control-plane operations (exact names, except the ML pipeline runner's Data Scientist patterns). */
  readonly actions: readonly string[];
  /** Operations subtracted from `actions`. @default [] */
  readonly notActions?: readonly string[];
  /** Data-plane operations. */
  readonly dataActions: readonly string[];
}

const ML = "Microsoft.MachineLearningServices/workspaces";

/** The roles, by identity. */
export const LEAST_PRIVILEGE_ROLES = {
  /** The drift retraining Logic App: starts runs of the pipeline and queries them, on one factory. */
  retrainWorkflow: {
    seed: "aml-events-retrain-workflow",
    roleName: "AML retrain workflow pipeline runner",
    description: "Create and query pipeline runs in one Data Factory (drift retraining workflow).",
    actions: ["Microsoft.DataFactory/factories/read", "Microsoft.DataFactory/factories/pipelines/createrun/action", "Microsoft.DataFactory/factories/querypipelineruns/action", "Microsoft.DataFactory/factories/pipelineruns/read"],
    dataActions: [],
  },
  /** The model deployer: online endpoints and deployments, model reads, on one workspace. */
  modelDeployer: {
    seed: "aml-events-model-deployer",
    roleName: "AML model deployer",
    description: "Create and update online endpoints and deployments and read models in one Azure Machine Learning workspace.",
    actions: [
      `${ML}/read`,
      `${ML}/onlineEndpoints/read`,
      `${ML}/onlineEndpoints/write`,
      `${ML}/onlineEndpoints/deployments/read`,
      `${ML}/onlineEndpoints/deployments/write`,
      `${ML}/models/read`,
      `${ML}/models/versions/read`,
      `${ML}/environments/read`,
    ],
    dataActions: [],
  },
  /** The factory's identity invoking the retraining batch endpoint with literal inputs and polling its job. */
  batchInvoker: {
    seed: "aml-events-batch-endpoint-invoker",
    roleName: "AML batch endpoint invoker",
    description: "Invoke batch endpoints with literal inputs and read their jobs in one Azure Machine Learning workspace (no key or secret listing).",
    actions: [
      `${ML}/read`,
      `${ML}/batchEndpoints/read`,
      `${ML}/batchEndpoints/deployments/read`,
      `${ML}/batchEndpoints/jobs/write`,
      `${ML}/batchEndpoints/deployments/jobs/write`,
      // The status poll: ARM "Jobs - Get" (lib/retraining/batchPipeline.ts).
      `${ML}/jobs/read`,
      `${ML}/computes/read`,
      `${ML}/experiments/read`,
      `${ML}/experiments/runs/read`,
      `${ML}/experiments/runs/submit/action`,
      `${ML}/metadata/snapshots/read`,
      `${ML}/metadata/artifacts/read`,
      `${ML}/modules/read`,
      `${ML}/models/read`,
      `${ML}/environments/read`,
    ],
    dataActions: [],
  },
  /**
   * The factory's identity running a published Azure ML pipeline (AzureMLExecutePipeline, the v1 route):
   * AzureML Data Scientist's own patterns (Learn, "Azure built-in roles for AI + machine learning"), minus
   * its notActions and every operation that lists keys or secrets or writes datastores and connections.
   * Microsoft does not publish the exact operations AzureMLExecutePipeline calls, so the role keeps
   * Data Scientist's reach over experiments and runs and only removes the escalation paths.
   */
  mlPipelineRunner: {
    seed: "aml-events-ml-pipeline-runner",
    roleName: "AML published pipeline runner",
    description: "Run published pipelines in one Azure Machine Learning workspace: AzureML Data Scientist without key or secret listing and datastore or connection writes.",
    actions: [`${ML}/*/read`, `${ML}/*/action`, `${ML}/*/delete`, `${ML}/*/write`],
    notActions: [
      `${ML}/delete`,
      `${ML}/write`,
      `${ML}/computes/*/write`,
      `${ML}/computes/*/delete`,
      `${ML}/computes/listKeys/action`,
      `${ML}/listKeys/action`,
      `${ML}/hubs/write`,
      `${ML}/hubs/delete`,
      `${ML}/featurestores/write`,
      `${ML}/featurestores/delete`,
      `${ML}/listStorageAccountKeys/action`,
      `${ML}/datastores/listsecrets/action`,
      `${ML}/datastores/write`,
      `${ML}/connections/listsecrets/action`,
      `${ML}/connections/write`,
      `${ML}/onlineEndpoints/listKeys/action`,
      `${ML}/onlineEndpoints/token/action`,
      `${ML}/batchEndpoints/listKeys/action`,
      `${ML}/environments/readSecrets/action`,
      `${ML}/metadata/secrets/read`,
    ],
    dataActions: [],
  },
} as const satisfies Record<string, LeastPrivilegeRoleSpec>;

function notActionsOf(spec: LeastPrivilegeRoleSpec): readonly string[] {
  return spec.notActions ?? [];
}

/** An identity's role key. */
export type LeastPrivilegeRoleKey = keyof typeof LEAST_PRIVILEGE_ROLES;

/** The role's GUID for one target resource (deterministic: one definition per target, recognisable by the pack). */
export function leastPrivilegeRoleGuid(key: LeastPrivilegeRoleKey, targetId: string): string {
  return deterministicGuid(LEAST_PRIVILEGE_ROLES[key].seed, targetId.replace(/\/+$/, "").toLowerCase());
}

/**
 * Defines the identity's custom role for `targetId` and returns it with the `role` to pass to
 * assignRole (its definition id, resolved only once the definition exists and has replicated) and the
 * definition to depend on. The one call a component makes; `wait.armEndpoint` is where the replication
 * wait reads (default: the AML_EVENTS_ARM_ENDPOINT environment variable, else public Azure).
 */
export function leastPrivilegeRole(
  name: string,
  key: LeastPrivilegeRoleKey,
  targetId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
  wait?: { readonly armEndpoint?: pulumi.Input<string> },
): { readonly definition: authorization.RoleDefinition; readonly role: { readonly roleDefinitionId: pulumi.Output<string> } } {
  const spec = LEAST_PRIVILEGE_ROLES[key];
  const target = pulumi.output(targetId);
  const guid = target.apply((t) => leastPrivilegeRoleGuid(key, t));
  const definition = new authorization.RoleDefinition(
    name,
    {
      roleDefinitionId: guid,
      scope: target.apply((t) => subscriptionOf(t) ?? t),
      roleName: pulumi.interpolate`${spec.roleName} (${guid})`,
      description: spec.description,
      roleType: "CustomRole",
      permissions: [{ actions: [...spec.actions], notActions: [...notActionsOf(spec)], dataActions: [...spec.dataActions], notDataActions: [] }],
      assignableScopes: [target.apply((t) => resourceGroupOf(t) ?? t)],
    },
    opts,
  );
  const definedId = pulumi.all([target, guid, definition.id]).apply(([t, g]) => roleDefinitionIdFor(t, g));
  const roleDefinitionId = replicatedRoleId(name, definedId, definition, { parent: opts.parent, ...(wait?.armEndpoint === undefined ? {} : { armEndpoint: wait.armEndpoint }) });
  return { definition, role: { roleDefinitionId } };
}
