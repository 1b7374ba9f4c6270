/**
 * RoleDefinitionReplication: a Pulumi dynamic resource that, when created, waits until a new custom role
 * definition reads back several times in a row ({@link waitForRoleDefinition}, sources there); role
 * assignments of that definition depend on it, so the first `pulumi up` does not meet Azure's replication
 * window. It holds no Azure resource and deleting it does nothing. Like FunctionCodePublish, it gets the
 * deploying identity's ARM token at run time, so no token reaches the Pulumi state.
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { sharedDynamicProvider } from "../arm/dynamicProvider";
import type { ReplicationWaitResult } from "./replication";

/**
 * Environment variable naming the Azure Resource Manager endpoint the wait reads from when the component
 * passes none (sovereign clouds; offline tests). @default - https://management.azure.com
 */
export const ARM_ENDPOINT_ENV = "AML_EVENTS_ARM_ENDPOINT";
// The provider's functions are serialized into the state: they must not reach this module's `exports`
// (an installed package's deep module cannot be required by path from the provider process), so they
// read the variable's name from this module-local copy.
const ARM_ENDPOINT_VARIABLE = ARM_ENDPOINT_ENV;

/** Inputs of {@link RoleDefinitionReplication}. */
export interface RoleDefinitionReplicationArgs {
  /** Full id of the custom role definition just created (resolves once it exists). */
  readonly roleDefinitionId: pulumi.Input<string>;
  /** Azure Resource Manager endpoint. @default - the AML_EVENTS_ARM_ENDPOINT environment variable, else https://management.azure.com */
  readonly armEndpoint?: pulumi.Input<string>;
  /** Reads in a row that must find the definition. @default 5 */
  readonly consecutive?: number;
  /** Pause between reads, in milliseconds. @default 3000 */
  readonly pollIntervalMs?: number;
  /** Bound of the wait, in seconds. @default 300 */
  readonly timeoutSeconds?: number;
}

/** The provider's plain inputs. */
export interface ReplicationInputs {
  readonly roleDefinitionId: string;
  readonly armEndpoint?: string;
  readonly consecutive?: number;
  readonly pollIntervalMs?: number;
  readonly timeoutSeconds?: number;
}

// Resolved in the provider process, where the compiled modules sit at the same absolute paths.
const WAIT_MODULE = path.join(__dirname, "replication.js");
const TOKEN_MODULE = path.join(__dirname, "..", "deployment", "publish.js");

async function run(inputs: ReplicationInputs): Promise<ReplicationWaitResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wait = require(WAIT_MODULE) as typeof import("./replication");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const publish = require(TOKEN_MODULE) as typeof import("../deployment/publish");
  const armEndpoint = inputs.armEndpoint || process.env[ARM_ENDPOINT_VARIABLE] || "https://management.azure.com";
  const token = await publish.armTokenAtRunTime(armEndpoint);
  return wait.waitForRoleDefinition({ ...inputs, armEndpoint, token });
}

/** The dynamic provider: create waits; a changed definition id replaces (and so waits again); delete does nothing. */
export const roleDefinitionReplicationProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ReplicationInputs) {
    const result = await run(inputs);
    return { id: `${inputs.roleDefinitionId}/replicated`, outs: { ...inputs, ...result } };
  },
  async diff(_id: string, olds: ReplicationInputs, news: ReplicationInputs) {
    const replaces = olds.roleDefinitionId === news.roleDefinitionId ? [] : ["roleDefinitionId"];
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },
  async delete() {},
};

/** Waits, at creation, until a new custom role definition is served consistently; assignments depend on it. */
export class RoleDefinitionReplication extends pulumi.dynamic.Resource {
  /** Reads made by the wait. */
  declare readonly reads: pulumi.Output<number>;
  /** Reads that did not find the definition yet. */
  declare readonly misses: pulumi.Output<number>;

  constructor(name: string, args: RoleDefinitionReplicationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      roleDefinitionReplicationProvider,
      name,
      {
        roleDefinitionId: args.roleDefinitionId,
        armEndpoint: args.armEndpoint,
        consecutive: args.consecutive,
        pollIntervalMs: args.pollIntervalMs,
        timeoutSeconds: args.timeoutSeconds,
        reads: undefined,
        misses: undefined,
      },
      { ...opts, provider: opts?.provider ?? sharedDynamicProvider() },
    );
  }
}

/**
 * The id to assign a just-created custom role by: `roleDefinitionId`, resolved only once a
 * {@link RoleDefinitionReplication} (`${name}-replicated`, depending on `definition`) has seen it served
 * consistently, so every assignment of it waits for replication without naming the wait.
 */
export function replicatedRoleId(
  name: string,
  roleDefinitionId: pulumi.Output<string>,
  definition: pulumi.Resource,
  opts: { readonly parent?: pulumi.Resource; readonly armEndpoint?: pulumi.Input<string> },
): pulumi.Output<string> {
  const ready = new RoleDefinitionReplication(
    `${name}-replicated`,
    { roleDefinitionId, ...(opts.armEndpoint === undefined ? {} : { armEndpoint: opts.armEndpoint }) },
    { parent: opts.parent, dependsOn: [definition] },
  );
  return pulumi.all([roleDefinitionId, ready.id]).apply(([id]) => id);
}
