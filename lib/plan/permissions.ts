/**
 * The plan's permissions section: every role assignment the program declares, named by the identity
 * it grants (the resource whose managed identity the principal id is, when the program declares it),
 * the role (a built-in role's name, or a custom role declared in the program with its actions) and the
 * scope. Read from the registered resources, so `aml-events diff` can compare grants per identity.
 */
import { isRecord } from "../events/parse";
import { builtInRoleName, PRIVILEGED_ROLES } from "../rbac/roles";
import { MockedResource } from "./mocks";

/** A custom role the program declares, with the actions it grants. */
export interface PlannedRoleDefinition {
  /** Logical name of the RoleDefinition resource (stable across plans). */
  readonly resource: string;
  /** The role's name without its GUID suffix, e.g. `AML batch endpoint invoker`. */
  readonly roleName: string;
  /** The role definition GUID. */
  readonly guid: string;
  /** Control-plane actions, sorted. */
  readonly actions: readonly string[];
  /** Data-plane actions, sorted. */
  readonly dataActions: readonly string[];
  /** Actions excluded from the above (`notActions` and `notDataActions`), sorted. */
  readonly notActions: readonly string[];
  readonly assignableScopes: readonly string[];
}

/** One role assignment as the plan writes it. */
export interface PlannedGrant {
  /** Logical name of the RoleAssignment resource. */
  readonly resource: string;
  /** Who gets the role: `Logic App churn-alerts` (the identity's resource type and name) or the principal id. */
  readonly principal: string;
  readonly principalId: string;
  /** `ServicePrincipal`, `User`, `Group`, … as declared. @default "" */
  readonly principalType: string;
  /** A built-in role's name, a declared custom role's name, or the role definition GUID. */
  readonly role: string;
  /** The role definition GUID (last segment of `roleDefinitionId`). */
  readonly roleGuid: string;
  /** True for Owner, Contributor, User Access Administrator and RBAC Administrator. */
  readonly privileged: boolean;
  readonly scope: string;
  /** The custom role's resource, when the role is declared in the program. */
  readonly customRole?: string;
}

/** The permissions section of `plan.json`. */
export interface PlanPermissions {
  readonly assignments: readonly PlannedGrant[];
  readonly roleDefinitions: readonly PlannedRoleDefinition[];
}

const TYPE_LABELS: Readonly<Record<string, string>> = {
  "azure-native:logic:Workflow": "Logic App",
  "azure-native:web:WebApp": "Function App",
  "azure-native:eventgrid:SystemTopic": "Event Grid system topic",
  "azure-native:datafactory:Factory": "Data Factory",
  "azure-native:managedidentity:UserAssignedIdentity": "managed identity",
};

function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function sorted(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string").sort() : [];
}

/** Principal id → who it is, for every declared resource with a managed identity. */
function principals(resources: readonly MockedResource[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of resources) {
    const identity = isRecord(r.state.identity) ? r.state.identity : undefined;
    const id = text(identity?.principalId) || (r.type === "azure-native:managedidentity:UserAssignedIdentity" ? text(r.state.principalId) : "");
    const label = TYPE_LABELS[r.type] ?? r.type.split(":").pop() ?? r.type;
    if (id !== "" && !out.has(id.toLowerCase())) out.set(id.toLowerCase(), `${label} ${r.name}`);
  }
  return out;
}

function roleDefinitions(resources: readonly MockedResource[]): PlannedRoleDefinition[] {
  return resources
    .filter((r) => r.type === "azure-native:authorization:RoleDefinition")
    .map((r) => {
      const perms = Array.isArray(r.inputs.permissions) ? r.inputs.permissions.filter(isRecord) : [];
      const all = (key: string): string[] => [...new Set(perms.flatMap((p) => sorted(p[key])))].sort();
      const guid = text(r.inputs.roleDefinitionId) || text(r.state.name);
      return {
        resource: r.name,
        roleName: text(r.inputs.roleName).replace(/\s*\([0-9a-f-]{36}\)$/i, "") || r.name,
        guid,
        actions: all("actions"),
        dataActions: all("dataActions"),
        notActions: [...new Set([...all("notActions"), ...all("notDataActions")])].sort(),
        assignableScopes: sorted(r.inputs.assignableScopes),
      };
    });
}

/** The role assignments and custom roles a program declares, in registration order. */
export function planPermissions(resources: readonly MockedResource[]): PlanPermissions {
  const who = principals(resources);
  const definitions = roleDefinitions(resources);
  const assignments = resources
    .filter((r) => r.type === "azure-native:authorization:RoleAssignment")
    .map((r): PlannedGrant => {
      const principalId = text(r.inputs.principalId);
      const roleGuid = (text(r.inputs.roleDefinitionId).split("/").pop() ?? "").toLowerCase();
      const custom = definitions.find((d) => d.guid.toLowerCase() === roleGuid);
      return {
        resource: r.name,
        principal: who.get(principalId.toLowerCase()) ?? principalId,
        principalId,
        principalType: text(r.inputs.principalType),
        role: builtInRoleName(roleGuid) ?? custom?.roleName ?? roleGuid,
        roleGuid,
        privileged: PRIVILEGED_ROLES.includes(roleGuid),
        scope: text(r.inputs.scope),
        ...(custom ? { customRole: custom.resource } : {}),
      };
    });
  return { assignments, roleDefinitions: definitions };
}
