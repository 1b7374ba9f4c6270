/**
 * The policies of the `waf-aligned` profile (examples/profiles): what Azure Verified Modules' WAF-aligned
 * configuration and Defender for Cloud's recommendations ask of every resource the components create —
 * public network access off, diagnostics on, the system topic locked, every user-assigned identity used
 * for something, a requested customer-managed key actually applied. Advisory in the pack's default
 * config; `policy/config/waf-aligned.json` makes them mandatory.
 */
import { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { DIAGNOSTIC_SUPPORT, DiagnosticResourceType } from "../../lib/interfaces/diagnostics";
import { ARM_IDS, nameInput } from "../../lib/plan/armResponses";
import { configOf, known, str, UNKNOWN } from "./common";
import { topicOfLock } from "./deploy-lock-after-subscriptions";
import { isFunctionApp } from "./hardening-common";

/** Knobs shared by the profile policies. */
export interface ProfileConfig {
  /** Logical (Pulumi) names of resources the policy accepts anyway, each an exception documented with its reason. */
  readonly exemptResources: string[];
}

const PROFILE_SCHEMA = {
  properties: {
    exemptResources: { type: "array" as const, items: { type: "string" as const }, default: [], description: "Logical names of resources exempt from this policy (documented exceptions)." },
  },
};

const exempt = (args: { name?: string; getConfig<T extends object>(): T }, name: string | undefined): boolean =>
  name !== undefined && configOf<ProfileConfig>(args, PROFILE_SCHEMA).exemptResources.includes(name);

const WAF = "https://learn.microsoft.com/azure/well-architected/security/networking";
const STORAGE_ACCOUNT = "azure-native:storage:StorageAccount";
const EVENT_HUBS = "azure-native:eventhub:Namespace";
const FACTORY = "azure-native:datafactory:Factory";
const LOCK_TYPES = ["azure-native:authorization:ManagementLockByScope", "azure-native:authorization:ManagementLockAtResourceLevel"];

/** The public-network properties of each type that has a public endpoint, and the value that closes it. */
function publicNetworkKeys(type: string, kind: unknown): string[] | undefined {
  switch (type) {
    case STORAGE_ACCOUNT:
    case EVENT_HUBS:
    case FACTORY:
      return ["publicNetworkAccess"];
    case "azure-native:web:WebApp":
      return isFunctionApp(str(kind)) ? ["publicNetworkAccess"] : undefined;
    case "azure-native:operationalinsights:Workspace":
    case "azure-native:applicationinsights:Component":
    case "azure-native:insights:Component":
      return ["publicNetworkAccessForIngestion", "publicNetworkAccessForQuery"];
    default:
      return undefined;
  }
}

/** Public network access is off on every created resource whose service lets it be turned off. */
export const profilePublicNetworkAccessDisabled: ResourceValidationPolicy = {
  name: "profile-public-network-access-disabled",
  description: "Storage accounts, Event Hubs namespaces, data factories, Function Apps, Log Analytics workspaces and Application Insights components turn public network access off (unset means Enabled).",
  enforcementLevel: "advisory",
  severity: "high",
  tags: ["hardening"],
  // WAF security: "Recommendations for networking and connectivity" (SE:06) — remove public endpoints, use private endpoints.
  url: WAF,
  remediationSteps: 'Set publicNetworkAccess: "Disabled" on the component (with privateEndpoints for what must still be reached), or name the resource in exemptResources of the policy config with the reason it needs public access.',
  configSchema: PROFILE_SCHEMA,
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    const keys = publicNetworkKeys(args.type, args.props.kind);
    if (keys === undefined) args.notApplicable("No public network access setting");
    if (keys === undefined || exempt(args, args.name)) return;
    const open = keys.filter((k) => args.props[k] !== "Disabled");
    if (open.length === 0) return;
    reportViolation(
      `${args.type.split(":").pop()} ${args.name} has ${open.map((k) => `${k} ${JSON.stringify(args.props[k])}`).join(", ")} (unset means Enabled). ` +
        `Fix: set publicNetworkAccess: "Disabled" on the component (reach it through privateEndpoints), or exempt ${args.name} in the policy config with its reason.`,
    );
  },
};

/** The azure-native tokens of each resource type that supports diagnostic settings (lib/interfaces/diagnostics.ts). */
export const DIAGNOSTIC_TOKENS: Readonly<Record<DiagnosticResourceType, readonly string[]>> = {
  "Microsoft.EventGrid/systemTopics": ["azure-native:eventgrid:SystemTopic"],
  "Microsoft.Logic/workflows": ["azure-native:logic:Workflow"],
  "Microsoft.Web/sites": ["azure-native:web:WebApp"],
  "Microsoft.DataFactory/factories": [FACTORY],
  "Microsoft.EventHub/namespaces": [EVENT_HUBS],
  "Microsoft.OperationalInsights/workspaces": ["azure-native:operationalinsights:Workspace"],
  "Microsoft.Insights/components": ["azure-native:applicationinsights:Component", "azure-native:insights:Component"],
  "Microsoft.Storage/storageAccounts": [STORAGE_ACCOUNT],
};

function armTypeOf(token: string): DiagnosticResourceType | undefined {
  return (Object.keys(DIAGNOSTIC_SUPPORT) as DiagnosticResourceType[]).find((t) => DIAGNOSTIC_TOKENS[t].includes(token));
}

/**
 * The resources `input` of `r` refers to: the engine's property dependencies when it sent them (the real
 * CLI), else every dependency (the offline harness sends no property dependencies).
 */
export function referenced(r: PolicyResource, input: string): readonly PolicyResource[] {
  const byProperty = r.propertyDependencies?.[input];
  return byProperty !== undefined && byProperty.length > 0 ? byProperty : r.dependencies;
}

/** True when `uri` (a known ARM id) names `target`: `/providers/<type>/<its Azure name>` at its end, ignoring case. */
function idNames(uri: unknown, target: PolicyResource, armType: string): boolean {
  const own = nameInput(ARM_IDS[target.type] ?? "");
  const name = own === undefined ? undefined : known(() => str(target.props[own]));
  if (typeof uri !== "string" || typeof name !== "string") return false;
  return uri.replace(/\/+$/, "").toLowerCase().endsWith(`/providers/${armType}/${name}`.toLowerCase());
}

/** True when `r`'s `input` is unknown (preview) and nothing says what it refers to: the policy can't judge yet. */
function undecided(r: PolicyResource, input: string): boolean {
  return known(() => r.props[input]) === UNKNOWN && referenced(r, input).length === 0;
}

/** Every created resource that supports diagnostic settings has at least one. */
export const profileDiagnosticsConfigured: StackValidationPolicy = {
  name: "profile-diagnostics-configured",
  description: "Every created resource that supports diagnostic settings (system topics, Logic Apps, Function Apps, data factories, Event Hubs namespaces, Log Analytics, Application Insights, storage accounts) has one.",
  enforcementLevel: "advisory",
  severity: "medium",
  tags: ["hardening"],
  // Azure Monitor: "Diagnostic settings in Azure Monitor" — resource logs are not collected until a setting routes them.
  url: "https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings",
  remediationSteps: "Pass diagnosticSettings (a Log Analytics workspace id, storage account or Event Hubs rule) to the component that creates the resource, or exempt it in the policy config with its reason.",
  configSchema: PROFILE_SCHEMA,
  validateStack: (args, reportViolation) => {
    const settings = args.resources.filter((r) => r.type === "azure-native:monitor:DiagnosticSetting");
    if (!args.resources.some((r) => armTypeOf(r.type) !== undefined)) args.notApplicable("No resource that supports diagnostic settings");
    if (settings.some((s) => undecided(s, "resourceUri"))) return;
    for (const r of args.resources) {
      const armType = armTypeOf(r.type);
      if (armType === undefined || exempt(args, r.name)) continue;
      // Workspace-based Application Insights keeps its telemetry in that workspace, and Learn says a
      // diagnostic setting must not send there again (lib/interfaces/diagnostics.ts, basedOnWorkspaceId).
      if (armType === "Microsoft.Insights/components" && known(() => r.props.workspaceResourceId) !== undefined) continue;
      const covered = settings.some((s) => referenced(s, "resourceUri").some((d) => d.urn === r.urn) || idNames(known(() => s.props.resourceUri), r, armType));
      if (covered) continue;
      reportViolation(`${r.type.split(":").pop()} ${r.name} (${armType}) has no diagnostic setting, so its logs and metrics are kept nowhere. Fix: pass diagnosticSettings to the component that creates it.`, r.urn);
    }
  },
};

/** Every system topic the stack creates carries a management lock. */
export const profileSystemTopicLocked: StackValidationPolicy = {
  name: "profile-system-topic-locked",
  description: "Every created Event Grid system topic carries a management lock: it holds every subscription of the workspace, and a workspace can have only one.",
  enforcementLevel: "advisory",
  severity: "medium",
  tags: ["hardening", "delivery"],
  // "Lock your resources to protect your infrastructure" (Azure Resource Manager).
  url: "https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources",
  remediationSteps: 'Set lock: { kind: "CanNotDelete" } on WorkspaceEvents (or the composite), or exempt the topic in the policy config with its reason.',
  configSchema: PROFILE_SCHEMA,
  validateStack: (args, reportViolation) => {
    const topics = args.resources.filter((r) => r.type === "azure-native:eventgrid:SystemTopic");
    if (topics.length === 0) args.notApplicable("No system topics in the stack");
    const locks = args.resources.filter((r) => LOCK_TYPES.includes(r.type));
    if (locks.some((l) => l.type === LOCK_TYPES[0] && undecided(l, "scope"))) return;
    const locked = locks.map((l) => topicOfLock(l, topics)?.urn);
    for (const t of topics) {
      if (exempt(args, t.name) || locked.includes(t.urn)) continue;
      reportViolation(`System topic ${t.name} has no management lock; deleting it deletes every subscription of the workspace. Fix: set lock: { kind: "CanNotDelete" } on its component.`, t.urn);
    }
  },
};

/** Every user-assigned identity the stack creates is granted at least one role. */
export const profileIdentityHasRole: StackValidationPolicy = {
  name: "profile-identity-has-role",
  description: "Every created user-assigned identity has at least one role assignment: an identity with no role either breaks what uses it or is not used.",
  enforcementLevel: "advisory",
  severity: "low",
  tags: ["rbac", "hardening"],
  // "Best practices for managed system identities": grant each identity the roles its resource needs, nothing more.
  url: "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identity-best-practice-recommendations",
  remediationSteps: "Grant the identity the role its use needs (e.g. Key Vault Crypto Service Encryption User on the key for a customer-managed key), or delete the identity; exempt it in the policy config when its roles are granted elsewhere.",
  configSchema: PROFILE_SCHEMA,
  validateStack: (args, reportViolation) => {
    const assignments = args.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    const identities = args.resources.filter((r) => r.type === "azure-native:managedidentity:UserAssignedIdentity");
    if (identities.length === 0) args.notApplicable("No user-assigned identities in the stack");
    if (assignments.some((a) => undecided(a, "principalId"))) return;
    for (const identity of identities) {
      if (exempt(args, identity.name)) continue;
      const principal = known(() => str(identity.props.principalId));
      const granted = assignments.some((a) => referenced(a, "principalId").some((d) => d.urn === identity.urn) || (typeof principal === "string" && known(() => a.props.principalId) === principal));
      if (granted) continue;
      reportViolation(`User-assigned identity ${identity.name} has no role assignment in this stack. Fix: grant it the role it is used for, or drop it (exempt it when its roles are granted in another stack).`, identity.urn);
    }
  },
};

/** The user-assigned identity ids on a resource's `identity` (array or map form). */
function userAssigned(identity: unknown): string[] {
  const ids = (identity as { userAssignedIdentities?: unknown } | undefined)?.userAssignedIdentities;
  if (Array.isArray(ids)) return ids.filter((i): i is string => typeof i === "string");
  return ids !== null && typeof ids === "object" ? Object.keys(ids) : [];
}

type Props = Record<string, unknown>;
const obj = (v: unknown): Props => (v !== null && typeof v === "object" ? (v as Props) : {});
const sameId = (a: unknown, ids: string[]): boolean => typeof a === "string" && ids.some((i) => i.toLowerCase() === a.toLowerCase());

/** What is missing for the customer-managed key a storage account asks for; [] when none is asked or it is complete. */
export function storageKeyGaps(props: Props): string[] {
  const encryption = obj(props.encryption);
  if (str(encryption.keySource)?.toLowerCase() !== "microsoft.keyvault") return [];
  const vault = obj(encryption.keyVaultProperties);
  const identity = obj(encryption.encryptionIdentity).encryptionUserAssignedIdentity;
  return [
    ...(typeof vault.keyName === "string" && typeof vault.keyVaultUri === "string" ? [] : ["encryption.keyVaultProperties (keyName and keyVaultUri)"]),
    ...(identity === undefined || sameId(identity, userAssigned(props.identity)) ? [] : [`the identity ${JSON.stringify(identity)} in identity.userAssignedIdentities`]),
    ...(identity === undefined && !/SystemAssigned/i.test(str(obj(props.identity).type) ?? "") ? ["an identity that reads the key (encryption.encryptionIdentity)"] : []),
  ];
}

/** What is missing for the customer-managed key an Event Hubs namespace asks for. */
export function eventHubsKeyGaps(props: Props): string[] {
  const encryption = obj(props.encryption);
  if (str(encryption.keySource)?.toLowerCase() !== "microsoft.keyvault") return [];
  const keys = Array.isArray(encryption.keyVaultProperties) ? encryption.keyVaultProperties.map(obj) : [];
  const identities = keys.map((k) => obj(k.identity).userAssignedIdentity).filter((i) => i !== undefined);
  return [
    ...(keys.length > 0 && keys.every((k) => typeof k.keyName === "string" && typeof k.keyVaultUri === "string") ? [] : ["encryption.keyVaultProperties (keyName and keyVaultUri)"]),
    ...identities.filter((i) => !sameId(i, userAssigned(props.identity))).map((i) => `the identity ${JSON.stringify(i)} in identity.userAssignedIdentities`),
    // Learn, "Configure customer-managed keys for encrypting Azure Event Hubs data at rest": premium and dedicated tiers only.
    ...(["premium"].includes(str(obj(props.sku).name)?.toLowerCase() ?? "") || props.clusterArmId !== undefined ? [] : ["a Premium namespace (or one on a dedicated cluster)"]),
  ];
}

/** What is missing for the customer-managed key a data factory asks for. */
export function factoryKeyGaps(props: Props): string[] {
  if (props.encryption === undefined) return [];
  const encryption = obj(props.encryption);
  const identity = obj(encryption.identity).userAssignedIdentity;
  return [
    ...(typeof encryption.keyName === "string" && typeof encryption.vaultBaseUrl === "string" ? [] : ["encryption.keyName and encryption.vaultBaseUrl"]),
    ...(identity === undefined || sameId(identity, userAssigned(props.identity)) ? [] : [`the identity ${JSON.stringify(identity)} in identity.userAssignedIdentities`]),
  ];
}

const KEY_GAPS: Readonly<Record<string, (props: Props) => string[]>> = { [STORAGE_ACCOUNT]: storageKeyGaps, [EVENT_HUBS]: eventHubsKeyGaps, [FACTORY]: factoryKeyGaps };

/** A customer-managed key that is asked for is complete: a key, a vault and an identity that can read it. */
export const profileCustomerManagedKeyApplied: ResourceValidationPolicy = {
  name: "profile-customer-managed-key-applied",
  description: "A storage account, Event Hubs namespace or data factory that asks for a customer-managed key names the key, the vault and an identity of its own that reads it (and, for Event Hubs, is Premium).",
  enforcementLevel: "advisory",
  severity: "high",
  tags: ["hardening"],
  // Learn, "Customer-managed keys for Azure Storage encryption": the key needs a vault URI, a key name and an identity with access.
  url: "https://learn.microsoft.com/azure/storage/common/customer-managed-keys-overview",
  remediationSteps: "Pass customerManagedKey { keyVaultResourceId, keyName, userAssignedIdentityResourceId } to the component (it fills the encryption and identity blocks), or complete the resource's encryption block yourself.",
  configSchema: PROFILE_SCHEMA,
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    const gaps = KEY_GAPS[args.type];
    if (gaps === undefined) args.notApplicable("Not a storage account, Event Hubs namespace or data factory");
    if (gaps === undefined || exempt(args, args.name)) return;
    const missing = gaps(args.props as Props);
    if (missing.length === 0) return;
    reportViolation(`${args.type.split(":").pop()} ${args.name} asks for a customer-managed key but lacks ${missing.join("; ")}, so Azure rejects it or keeps Microsoft-managed keys. Fix: pass customerManagedKey to the component.`);
  },
};

/** The profile policies, in the order the pack runs them. */
export const PROFILE_POLICIES = [profilePublicNetworkAccessDisabled, profileDiagnosticsConfigured, profileSystemTopicLocked, profileIdentityHasRole, profileCustomerManagedKeyApplied];

