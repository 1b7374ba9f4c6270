import * as authorization from "@pulumi/azure-native/authorization";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { leastPrivilegeRoleGuid } from "../../lib/rbac/customRoles";
import { BuiltInRoleName } from "../../lib/rbac/roles";
import { configOf, known, resourceTypeOf, roleGuidOf, roleGuids, roleLabel, str, UNKNOWN } from "./common";

/** Knobs of {@link rbacAllowedRolesPerTarget}. */
export interface RbacAllowedRolesPerTargetConfig {
  /** Resource type → roles that may be granted on it. Setting it replaces the default map. */
  readonly allowedRoles: Record<string, string[]>;
  /** Resource type → roles allowed in addition to `allowedRoles` (e.g. your custom role ids). */
  readonly extraAllowedRoles: Record<string, string[]>;
  /** Also flag assignments on resource types missing from both maps. */
  readonly denyUnlistedTargets: boolean;
}

/**
 * The least-privilege roles this library grants, per target resource type. No role is listed for
 * `Microsoft.EventGrid/systemTopics`: EventGrid EventSubscription Contributor (`Microsoft.EventGrid/eventSubscriptions/*`)
 * can create a subscription that sends every event of the topic to any webhook, read its full endpoint
 * URL with keys (`eventSubscriptions/getFullUrl/action`) and retarget our own subscriptions, so it is
 * an exfiltration path, and lib/rbac/privilege.ts already judges it privileged; none of our identities
 * needs it (subscriptions are created by the deploying identity). Accept it per target with
 * `extraAllowedRoles` here AND `rbac-no-privileged-roles.allowedOnTargets` after review.
 */
export const DEFAULT_ALLOWED_ROLES: Readonly<Record<string, readonly BuiltInRoleName[]>> = {
  "Microsoft.EventHub/namespaces/eventhubs": ["AzureEventHubsDataSender"],
  "Microsoft.Insights/components": ["MonitoringMetricsPublisher"],
  "Microsoft.ServiceBus/namespaces/queues": ["AzureServiceBusDataSender"],
  "Microsoft.ServiceBus/namespaces/topics": ["AzureServiceBusDataSender"],
  "Microsoft.Storage/storageAccounts": [
    "StorageBlobDataContributor",
    "StorageBlobDataOwner",
    "StorageQueueDataContributor",
    "StorageQueueDataMessageSender",
    "StorageTableDataContributor",
  ],
  "Microsoft.Storage/storageAccounts/blobServices/containers": ["StorageBlobDataContributor", "StorageBlobDataOwner"],
  "Microsoft.Storage/storageAccounts/queueServices/queues": ["StorageQueueDataContributor", "StorageQueueDataMessageSender"],
};

/** The custom roles lib/rbac/customRoles defines for a target of this type and id. */
function ownRolesOn(type: string, scope: string): string[] {
  switch (type.toLowerCase()) {
    case "microsoft.datafactory/factories":
      return [leastPrivilegeRoleGuid("retrainWorkflow", scope)];
    case "microsoft.machinelearningservices/workspaces":
      return (["modelDeployer", "batchInvoker", "mlPipelineRunner"] as const).map((k) => leastPrivilegeRoleGuid(k, scope));
    default:
      return [];
  }
}

function lookup(map: Record<string, string[]>, type: string): string[] | undefined {
  const key = Object.keys(map).find((k) => k.toLowerCase() === type.toLowerCase());
  return key === undefined ? undefined : map[key];
}

/** Only the expected role may be granted on each kind of target. */
export const rbacAllowedRolesPerTarget: ResourceValidationPolicy = {
  name: "rbac-allowed-roles-per-target",
  description: "Each kind of target resource only receives the roles this library expects on it (data roles on storage, hubs and queues; our identities' own least-privilege custom roles on factories and workspaces).",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      allowedRoles: {
        type: "object",
        additionalProperties: { type: "array", items: { type: "string" } },
        default: Object.fromEntries(Object.entries(DEFAULT_ALLOWED_ROLES).map(([k, v]) => [k, [...v]])),
        description: "Resource type → allowed roles (names, GUIDs or role definition ids). Replaces the defaults when set.",
      },
      extraAllowedRoles: {
        type: "object",
        additionalProperties: { type: "array", items: { type: "string" } },
        default: {},
        description: "Resource type → roles allowed on top of allowedRoles.",
      },
      denyUnlistedTargets: { type: "boolean", default: false, description: "Flag assignments on resource types missing from the maps." },
    },
  },
  validateResource: validateResourceOfType(authorization.RoleAssignment, (props, args, reportViolation) => {
    const config = configOf<RbacAllowedRolesPerTargetConfig>(args, rbacAllowedRolesPerTarget.configSchema!);
    // Unknown during preview: the target's type (or the role) can't be known; the pack judges the
    // assignment again at `pulumi up`, and rbac-no-privileged-roles / rbac-single-resource-scope already
    // report a privileged role whatever its scope's state.
    const scope = known(() => str(props.scope));
    const roleDefinitionId = known(() => str(props.roleDefinitionId));
    if (scope === UNKNOWN || roleDefinitionId === UNKNOWN) return;
    if (scope === undefined || roleDefinitionId === undefined) return; // malformed: nothing to judge, don't crash the pack
    const type = resourceTypeOf(scope);
    if (type === undefined) return; // not a single resource: rbac-single-resource-scope reports it
    const base = lookup(config.allowedRoles, type);
    const extra = lookup(config.extraAllowedRoles, type);
    const own = ownRolesOn(type, scope);
    if (base === undefined && extra === undefined && own.length === 0) {
      if (config.denyUnlistedTargets) {
        reportViolation(`No roles are allowed on resource type ${type} (scope ${JSON.stringify(scope)}). Fix: add the type and its role to 'extraAllowedRoles' in the policy config.`);
      }
      return;
    }
    // Our identities' own least-privilege custom roles are expected on their target (GUIDs derive from its id).
    const allowed = [...roleGuids([...(base ?? []), ...(extra ?? [])]), ...own];
    const guid = roleGuidOf(roleDefinitionId);
    if (allowed.includes(guid)) return;
    reportViolation(
      `Role ${roleLabel(guid)} is not expected on a ${type}; allowed: ${allowed.map(roleLabel).join(", ")}. ` +
        `Fix: grant one of the allowed roles, or add this role for ${type} to 'extraAllowedRoles' in the policy config.`,
    );
  }),
};
