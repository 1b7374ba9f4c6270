/**
 * Judges a role by what it can DO: a role (built-in or custom) is privileged when its effective
 * permissions (actions minus notActions, dataActions minus notDataActions; Learn, "Understand Azure
 * role definitions": https://learn.microsoft.com/azure/role-based-access-control/role-definitions)
 * reach one of the escalation operations below, or carry a provider-wide wildcard. Wildcards match as
 * Azure matches them: `*` stands for any characters, `/` included, case-insensitively.
 * Operation names are from Learn, "Azure permissions" (resource provider operations):
 * https://learn.microsoft.com/azure/role-based-access-control/permissions/ (general, storage, web-and-mobile,
 * identity, security, analytics, ai-machine-learning, integration pages).
 */
import { parseRoleDefinitionId } from "./armScope";
import { builtInRoleEntry, RolePermissions } from "./builtInRoles";
import { BuiltInRoleName, PRIVILEGED_ROLES } from "./roles";

/** Why a role is privileged. */
export type EscalationKind = "grants-roles" | "lists-keys-or-secrets" | "writes-code-or-config" | "assigns-identities" | "provider-wildcard" | "data-wildcard";

/** One reason, with the permission pattern that carries it. */
export interface Escalation {
  readonly kind: EscalationKind;
  /** The role's own action (or data action) pattern that reaches it. */
  readonly pattern: string;
  /** The operation it reaches (for wildcards: the pattern itself). */
  readonly operation: string;
}

/** Concrete operations that let a principal escalate, by kind (control plane). */
export const ESCALATION_OPERATIONS: Readonly<Record<"grants-roles" | "lists-keys-or-secrets" | "writes-code-or-config" | "assigns-identities", readonly string[]>> = {
  "grants-roles": [
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleDefinitions/write",
    "Microsoft.Authorization/elevateAccess/Action",
  ],
  "lists-keys-or-secrets": [
    "Microsoft.Storage/storageAccounts/listKeys/action",
    "Microsoft.Storage/storageAccounts/regenerateKey/action",
    "Microsoft.Storage/storageAccounts/ListAccountSas/action",
    "Microsoft.MachineLearningServices/workspaces/listKeys/action",
    "Microsoft.MachineLearningServices/workspaces/datastores/listsecrets/action",
    "Microsoft.MachineLearningServices/workspaces/connections/listsecrets/action",
    "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/listKeys/action",
    "Microsoft.MachineLearningServices/workspaces/computes/listKeys/action",
    "Microsoft.Web/sites/config/list/Action",
    "Microsoft.Web/sites/publishxml/Action",
    "Microsoft.Web/sites/host/listkeys/action",
    "Microsoft.Web/sites/functions/listSecrets/action",
    "Microsoft.Web/sites/functions/listkeys/action",
    "Microsoft.Logic/workflows/listCallbackUrl/action",
    "Microsoft.Logic/workflows/triggers/listCallbackUrl/action",
    "Microsoft.EventHub/namespaces/authorizationRules/listkeys/action",
    "Microsoft.ServiceBus/namespaces/authorizationRules/listkeys/action",
    "Microsoft.EventGrid/eventSubscriptions/getFullUrl/action",
    "Microsoft.EventGrid/topics/listKeys/action",
    "Microsoft.Communication/CommunicationServices/ListKeys/action",
    "Microsoft.DocumentDB/databaseAccounts/listKeys/action",
    "Microsoft.KeyVault/vaults/write",
    "Microsoft.KeyVault/vaults/accessPolicies/write",
    "Microsoft.ClassicStorage/storageAccounts/listKeys/action",
  ],
  "writes-code-or-config": [
    "Microsoft.Web/sites/write",
    "Microsoft.Web/sites/config/write",
    "Microsoft.Web/sites/publish/Action",
    "Microsoft.Web/sites/extensions/write",
    "Microsoft.Web/sites/sourcecontrols/write",
    "Microsoft.Web/sites/slots/write",
    "Microsoft.Web/sites/functions/write",
    "Microsoft.Logic/workflows/write",
    "Microsoft.DataFactory/factories/pipelines/write",
    "Microsoft.DataFactory/factories/linkedservices/write",
    "Microsoft.MachineLearningServices/workspaces/connections/write",
    "Microsoft.MachineLearningServices/workspaces/datastores/write",
    "Microsoft.Automation/automationAccounts/runbooks/write",
  ],
  "assigns-identities": [
    "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
    "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
  ],
};

/** Data-plane operations that read secrets (Key Vault). */
const SECRET_DATA_OPERATIONS: readonly string[] = ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/keys/decrypt/action"];

/**
 * Azure's wildcard match: `*` is any run of characters, and a whole-segment wildcard may also stand
 * for no segment at all (Managed Identity Operator's wildcard-then-`assign/action` pattern is what grants
 * `userAssignedIdentities/assign/action`); case-insensitive.
 */
export function actionMatches(pattern: string, operation: string): boolean {
  return patternRegExp(pattern).test(operation.trim());
}

/** Compiled patterns: the same few role patterns are matched against every operation of every check. */
const compiled = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let rx = compiled.get(pattern);
  if (rx === undefined) {
    const esc = (t: string) => t.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    rx = new RegExp(`^${pattern.trim().split("/*/").map((part) => part.split("*").map(esc).join(".*")).join("/(?:.*/)?")}$`, "i");
    if (compiled.size >= 4096) compiled.clear(); // bounded: patterns come from user programs
    compiled.set(pattern, rx);
  }
  return rx;
}

function granted(operation: string, allow: readonly string[], deny: readonly string[]): string | undefined {
  if (deny.some((d) => actionMatches(d, operation))) return undefined;
  return allow.find((a) => actionMatches(a, operation));
}

/** `*`, a pattern starting with `*` and a slash, or `Microsoft.X/*`: every operation of a provider (or of all). */
function isProviderWide(pattern: string): boolean {
  const p = pattern.trim();
  // Read-only patterns (`*/read`) and support tickets (`Microsoft.Support/*`) reach no resource's data or settings.
  if (/\/read$/i.test(p) || /^Microsoft\.Support\/\*$/i.test(p)) return false;
  return p === "*" || p.startsWith("*/") || /^[^/*]+\/\*$/.test(p);
}

/** `*`, `Microsoft.X/*` or `Microsoft.X/{type}/*` among data actions: every data operation of a resource kind. */
function isBroadData(pattern: string): boolean {
  const p = pattern.trim();
  return isProviderWide(p) || /^[^/*]+\/[^/*]+\/\*$/.test(p);
}

/** Every reason the permissions make a role privileged; empty for a least-privilege role. */
export function escalationsOf(perms: readonly RolePermissions[]): Escalation[] {
  const out: Escalation[] = [];
  for (const p of perms) {
    const actions = p.actions ?? [];
    const notActions = p.notActions ?? [];
    for (const a of actions) if (isProviderWide(a)) out.push({ kind: "provider-wildcard", pattern: a, operation: a });
    for (const [kind, ops] of Object.entries(ESCALATION_OPERATIONS) as [EscalationKind, readonly string[]][]) {
      for (const op of ops) {
        const by = granted(op, actions, notActions);
        if (by !== undefined) out.push({ kind, pattern: by, operation: op });
      }
    }
    const data = p.dataActions ?? [];
    for (const d of data) if (isBroadData(d)) out.push({ kind: "data-wildcard", pattern: d, operation: d });
    for (const op of SECRET_DATA_OPERATIONS) {
      const by = granted(op, data, p.notDataActions ?? []);
      if (by !== undefined) out.push({ kind: "lists-keys-or-secrets", pattern: by, operation: op });
    }
  }
  return out;
}

/** A one-line summary of escalations for messages: `lists keys or secrets (… via "…/*")`, deduplicated by kind. */
export function describeEscalations(escalations: readonly Escalation[]): string {
  const byKind = new Map<EscalationKind, Escalation>();
  for (const e of escalations) if (!byKind.has(e.kind)) byKind.set(e.kind, e);
  return [...byKind.values()]
    .map((e) => (e.pattern === e.operation ? `${e.kind.replace(/-/g, " ")} (${JSON.stringify(e.pattern)})` : `${e.kind.replace(/-/g, " ")} (${e.operation} via ${JSON.stringify(e.pattern)})`))
    .join("; ");
}

/** How the pack sees a role definition id: unparsable, or its GUID and why it is privileged (if it is). */
export type RoleVerdict =
  | { readonly error: string }
  | { readonly guid: string; readonly builtIn?: BuiltInRoleName; readonly escalations: readonly Escalation[]; readonly privileged: boolean };

/** Parses `roleDefinitionId` strictly and judges a classified built-in role by its actions. */
export function judgeRoleId(roleDefinitionId: string): RoleVerdict {
  const parsed = parseRoleDefinitionId(roleDefinitionId);
  if ("error" in parsed) return parsed;
  const entry = builtInRoleEntry(parsed.guid);
  const escalations = entry === undefined ? [] : escalationsOf([entry.permissions]);
  return { guid: parsed.guid, ...(entry ? { builtIn: entry.name } : {}), escalations, privileged: escalations.length > 0 || PRIVILEGED_ROLES.includes(parsed.guid) };
}
