/**
 * The Azure Verified Modules (AVM) interface set every component accepts, with the same names and
 * shapes (plain data, so Python, Go and YAML programs can pass them). AVM's resource-module
 * specification makes these interfaces mandatory where the service supports them (RMFR4:
 * https://azure.github.io/Azure-Verified-Modules/spec/RMFR4/) and fixes their shapes
 * (https://azure.github.io/Azure-Verified-Modules/specs/bcp/res/interfaces/). As in AVM, a component
 * never creates the dependencies of an interface: a diagnostic setting takes a Log Analytics workspace
 * id, a user-assigned identity is passed by id.
 *
 * What each component does with each interface is in docs/avm-interfaces.md.
 */
import * as pulumi from "@pulumi/pulumi";

/** Management lock levels (`Microsoft.Authorization/locks`, REST "Management Locks"). */
export const LockKind = { CanNotDelete: "CanNotDelete", ReadOnly: "ReadOnly" } as const;
/** Management lock levels: `CanNotDelete` blocks deletes, `ReadOnly` blocks every change. */
export type LockKind = (typeof LockKind)[keyof typeof LockKind];

/**
 * A management lock on the component's main resource (AVM's `lock`). A lock is inherited by the
 * resource's children, so it also blocks deleting (and so replacing) them; `ReadOnly` blocks every
 * change, including the changes `pulumi up` makes.
 */
export interface Lock {
  /** `CanNotDelete` (authorized users can read and modify, not delete) or `ReadOnly` (read only). */
  readonly kind: LockKind;
  /** The lock's name: at most 260 characters, none of `< > % & : \ ? /`. @default - `${name}-lock` */
  readonly name?: string;
  /** Why the lock exists, shown in the portal; at most 512 characters. @default - a sentence naming the component */
  readonly notes?: string;
}

/** How logs land in Log Analytics: resource-specific tables, or the legacy shared `AzureDiagnostics` table. */
export const LogAnalyticsDestinationType = { Dedicated: "Dedicated", AzureDiagnostics: "AzureDiagnostics" } as const;
/** How logs land in Log Analytics: resource-specific tables, or the legacy shared `AzureDiagnostics` table. */
export type LogAnalyticsDestinationType = (typeof LogAnalyticsDestinationType)[keyof typeof LogAnalyticsDestinationType];

/** One log category, or one category group, a diagnostic setting sends. Set exactly one of the two. */
export interface DiagnosticLogCategory {
  /** A log category of the resource type, e.g. `WorkflowRuntime`. @default - none (use `categoryGroup`) */
  readonly category?: string;
  /** A category group: `allLogs` or `audit`. @default - none (use `category`) */
  readonly categoryGroup?: string;
}

/** One metric category a diagnostic setting sends. */
export interface DiagnosticMetricCategory {
  /** The metric category; `AllMetrics` is every exportable metric. */
  readonly category: string;
}

/**
 * Where a resource's logs and metrics go (AVM's `diagnosticSettings`): one
 * `azure-native:monitor:DiagnosticSetting` per entry per created resource that supports diagnostics.
 * At least one target (workspace, storage account or Event Hubs authorization rule) is required; the
 * component never creates the target.
 */
export interface DiagnosticSetting {
  /** The diagnostic setting's name on each resource. @default - `${name}-diag-<index>` */
  readonly name?: string;
  /** ARM id of a Log Analytics workspace (`…/providers/Microsoft.OperationalInsights/workspaces/{name}`). @default - not sent to Log Analytics */
  readonly workspaceResourceId?: pulumi.Input<string>;
  /** ARM id of a storage account (`…/providers/Microsoft.Storage/storageAccounts/{name}`) that archives the logs. @default - not archived */
  readonly storageAccountResourceId?: pulumi.Input<string>;
  /** ARM id of an Event Hubs namespace authorization rule (`…/Microsoft.EventHub/namespaces/{ns}/authorizationRules/{rule}`). @default - not streamed */
  readonly eventHubAuthorizationRuleResourceId?: pulumi.Input<string>;
  /** The event hub in that namespace; needs `eventHubAuthorizationRuleResourceId`. @default - Azure picks one hub per category */
  readonly eventHubName?: string;
  /** Log categories or groups; an empty list sends no logs. @default [{ categoryGroup: "allLogs" }] */
  readonly logCategoriesAndGroups?: DiagnosticLogCategory[];
  /** Metric categories; an empty list sends no metrics. @default [{ category: "AllMetrics" }] */
  readonly metricCategories?: DiagnosticMetricCategory[];
  /** `Dedicated` writes resource-specific tables, `AzureDiagnostics` the legacy shared table. @default - Azure's default (`AzureDiagnostics`) */
  readonly logAnalyticsDestinationType?: LogAnalyticsDestinationType;
}

/** Principal kinds of a role assignment (REST "Role Assignments - Create", `principalType`). */
export const PrincipalType = { ServicePrincipal: "ServicePrincipal", User: "User", Group: "Group", ForeignGroup: "ForeignGroup", Device: "Device" } as const;
/** Principal kinds of a role assignment (REST "Role Assignments - Create", `principalType`). */
export type PrincipalType = (typeof PrincipalType)[keyof typeof PrincipalType];

/**
 * An extra role grant on the component's main resource (AVM's `roleAssignments`). Privileged roles
 * (Owner, Contributor, User Access Administrator, RBAC Administrator, and any classified role that can
 * grant roles, list keys, write code or assign identities) are refused.
 */
export interface RoleAssignment {
  /**
   * The role: a built-in role name lib/rbac classifies, or Reader (`"Storage Queue Data Message Sender"` or `StorageQueueDataMessageSender`,
   * any case), its GUID, or a role definition id `…/providers/Microsoft.Authorization/roleDefinitions/{guid}`
   * (custom roles by id).
   */
  readonly roleDefinitionIdOrName: string;
  /** Object id (a GUID) of the user, group or service principal receiving the role. */
  readonly principalId: pulumi.Input<string>;
  /** The principal's kind. @default "ServicePrincipal" */
  readonly principalType?: PrincipalType;
  /** Why the grant exists, shown in the portal. @default - none */
  readonly description?: string;
  /** An ABAC condition limiting the grant (needs `conditionVersion` "2.0"). @default - none */
  readonly condition?: string;
  /** Version of the condition language; only "2.0" exists. @default - "2.0" when `condition` is set */
  readonly conditionVersion?: string;
}

/**
 * The managed identities of the component's identity-capable resources (AVM's `managedIdentities`).
 * Without it, resources keep the system-assigned identity they have today. With user-assigned ids
 * and `systemAssigned` unset, the system-assigned identity is off where the component can work
 * without it (see docs/avm-interfaces.md for each resource).
 */
export interface ManagedIdentities {
  /** Enable the system-assigned identity. @default - true when no `userAssignedResourceIds` are given, false otherwise */
  readonly systemAssigned?: boolean;
  /** ARM ids of user-assigned identities (`…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}`); the first is the one the component acts with. @default [] */
  readonly userAssignedResourceIds?: string[];
}

/** The AVM interfaces owned here, as every component's args carry them. */
export interface AvmInterfaces {
  /** Tags for every created resource that supports tags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** A management lock on the component's main resource. @default - no lock */
  readonly lock?: Lock;
  /** Diagnostic settings for the created resources that support them. @default [] */
  readonly diagnosticSettings?: DiagnosticSetting[];
  /** Extra role grants on the component's main resource. @default [] */
  readonly roleAssignments?: RoleAssignment[];
  /** Managed identities of the identity-capable resources. @default - system-assigned, as before */
  readonly managedIdentities?: ManagedIdentities;
}

/** Argument names of {@link AvmInterfaces}, for the components' run-time key tables. */
export const AVM_INTERFACE_ARG_KEYS = {
  tags: true,
  lock: true,
  diagnosticSettings: true,
  roleAssignments: true,
  managedIdentities: true,
} as const;
