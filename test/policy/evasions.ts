/**
 * The evasion corpus: stacks written to slip past the pack (odd spellings, unknown values during
 * preview, escalating roles under harmless names, ...), each with the mandatory violations the pack
 * must report. Run through checkResources (test/policy/evasions.test.ts) and, for the cases marked
 * `cli`, through the real CLI's preview (test/engine/policy-preview-gate.test.ts).
 */
import { PolicyResourceInput, UNKNOWN_VALUE } from "../../policy/api";
import { BuiltInRole } from "../../lib/rbac/roles";
import { FACTORY, functionApp, RG, roleAssignment, SUB, subscription, TOPIC_PRINCIPAL } from "./fixtures";

/** One evasion attempt. */
export interface Evasion {
  /** Short id; resource names in the case start with it. */
  readonly id: string;
  /** What the stack tries. */
  readonly what: string;
  readonly resources: PolicyResourceInput[];
  /** `policy resourceName` pairs that must be mandatory violations. */
  readonly expect: readonly string[];
  /** Also run through the real CLI's preview (values only: no preview unknowns). */
  readonly cli?: boolean;
}

const OWNER = BuiltInRole.Owner;
const grant = (name: string, roleDefinitionId: string, scope: string, props: Record<string, unknown> = {}): PolicyResourceInput =>
  ({ ...roleAssignment(name, "Owner", scope), props: { ...roleAssignment(name, "Owner", scope).props, roleDefinitionId, ...props } });

/** Every case of the corpus. */
export function evasions(): Evasion[] {
  return [
    {
      id: "owner-unknown-scope",
      what: "Owner, literal role id, scope unknown during preview (a resource group the stack creates)",
      resources: [grant("owner-unknown-scope", `/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`, UNKNOWN_VALUE)],
      expect: ["rbac-no-privileged-roles owner-unknown-scope", "rbac-single-resource-scope owner-unknown-scope"],
    },
    {
      id: "owner-unknown-principal",
      what: "Owner on a resource, principal unknown during preview (an identity the stack creates)",
      resources: [grant("owner-unknown-principal", `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`, FACTORY, { principalId: UNKNOWN_VALUE })],
      expect: ["rbac-no-privileged-roles owner-unknown-principal"],
    },
    ...spellings(),
    ...moreSpellings(),
    ...escalatingBuiltIns(),
    ...customRoles(),
    ...scopes(),
    ...moreScopes(),
    ...deployReadiness(),
    {
      id: "dl-labelled-out",
      what: "a subscription without dead-letter that labels itself out (no-dead-letter)",
      resources: [subscription("dl-labelled-out", { deadLetterWithResourceIdentity: undefined, labels: ["no-dead-letter"] })],
      expect: ["delivery-dead-letter-required dl-labelled-out"],
      cli: true,
    },
    {
      id: "dl-hand-written",
      what: "a hand-written scope-based EventSubscription without dead-letter",
      resources: [subscription("dl-hand-written", { deadLetterWithResourceIdentity: undefined }, "azure-native:eventgrid:EventSubscription")],
      expect: ["delivery-dead-letter-required dl-hand-written"],
    },
    ...["https://169.254.169.254/metadata", "https://2130706433/hook", "https://[::1]/hook", "https://10.0.0.5/hook", "https://0xc0.0xa8.1.1/hook"].map((url, i) => ({
      id: `webhook-ip-${i}`,
      what: `webhook to ${url}`,
      resources: [subscription(`webhook-ip-${i}`, { destination: { endpointType: "WebHook", endpointUrl: url } })],
      expect: [`deploy-webhook-validatable-host webhook-ip-${i}`],
      cli: i === 0,
    })),
    ...["ftpsState", "alwaysOn", "functionAppScaleLimit", "NodeVersion", "use32BitWorkerProcess"].map((key, i) => ({
      id: `flex-${i}`,
      what: `a user's own Flex app setting siteConfig.${key}`,
      resources: [functionApp(`flex-${i}`, { functionAppConfig: { runtime: { name: "node", version: "20" } }, siteConfig: { minTlsVersion: "1.2", [key]: key === "ftpsState" ? "Disabled" : key === "NodeVersion" ? "~20" : true } })],
      expect: [`deploy-flex-site-config flex-${i}`],
      cli: i === 0,
    })),
    {
      id: "owner-on-rg",
      what: "Owner on a resource group, plain spelling",
      resources: [grant("owner-on-rg", `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`, RG)],
      expect: ["rbac-no-privileged-roles owner-on-rg", "rbac-single-resource-scope owner-on-rg"],
      cli: true,
    },
  ];
}

const RD = (guid: string) => `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/** Owner and Contributor written every way Azure might accept, and ways it won't. */
function spellings(): Evasion[] {
  const c = BuiltInRole.Contributor;
  const forms: [string, string, boolean][] = [
    ["owner-upper", RD(OWNER.toUpperCase()), true],
    ["owner-braces", RD(`{${OWNER}}`), false],
    ["owner-no-hyphens", RD(OWNER.replace(/-/g, "")), true],
    ["owner-trailing-slash", `${RD(OWNER)}/`, false],
    ["owner-bare-guid", OWNER, false],
    ["owner-tenant-form", `/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`, false],
    ["contrib-mixed-case", `/SUBSCRIPTIONS/${SUB}/providers/microsoft.authorization/ROLEDEFINITIONS/${c.toUpperCase()}`, false],
    ["contrib-rg-form", `${RG}/providers/Microsoft.Authorization/roleDefinitions/${c}`, false],
  ];
  const parsed = forms.map(([id, roleDefinitionId, cli]) => ({
    id,
    what: `privileged role id spelt ${JSON.stringify(roleDefinitionId)}`,
    resources: [grant(id, roleDefinitionId, FACTORY)],
    expect: [`rbac-no-privileged-roles ${id}`],
    cli,
  }));
  const broken: Evasion[] = ["owner-dotdot", "owner-query", "owner-junk-guid"].map((id, i) => ({
    id,
    what: "a role id that does not parse",
    resources: [grant(id, [`${RD(OWNER)}/../${OWNER}`, `${RD(OWNER)}?x=1`, RD(`${OWNER}x`)][i], FACTORY)],
    expect: [`rbac-no-privileged-roles ${id}`],
  }));
  return [...parsed, ...broken];
}

/** Built-in roles whose ACTIONS escalate, under harmless-sounding names. */
function escalatingBuiltIns(): Evasion[] {
  const cases: [string, string, string][] = [
    ["storage-account-contrib", BuiltInRole.StorageAccountContributor, `${RG}/providers/Microsoft.Storage/storageAccounts/stdata`],
    ["website-contrib", BuiltInRole.WebsiteContributor, `${RG}/providers/Microsoft.Web/sites/func-deployer`],
    ["mi-operator", BuiltInRole.ManagedIdentityOperator, `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-prod`],
    ["kv-admin", BuiltInRole.KeyVaultAdministrator, `${RG}/providers/Microsoft.KeyVault/vaults/kv-prod`],
    ["adf-contrib", BuiltInRole.DataFactoryContributor, FACTORY],
    ["aml-data-scientist", BuiltInRole.AzureMLDataScientist, `${RG}/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod`],
    ["rbac-admin", BuiltInRole.RoleBasedAccessControlAdministrator, FACTORY],
    // Can add a subscription that sends the topic's events to any webhook (no longer a default allowed role).
    ["eg-subscription-contrib", BuiltInRole.EventGridEventSubscriptionContributor, `${RG}/providers/Microsoft.EventGrid/systemTopics/mlw-prod-topic`],
  ];
  return cases.map(([id, guid, scope]) => ({ id, what: `escalating built-in ${guid}`, resources: [grant(id, RD(guid), scope)], expect: [`rbac-no-privileged-roles ${id}`], cli: id === "website-contrib" }));
}

/** Custom roles that escalate through provider wildcards, data wildcards or single escalating actions. */
function customRoles(): Evasion[] {
  const cases: [string, Record<string, string[]>][] = [
    ["cr-resources-wild", { actions: ["Microsoft.Resources/*"] }],
    ["cr-storage-wild", { actions: ["Microsoft.Storage/*"] }],
    ["cr-web-wild", { actions: ["Microsoft.Web/*"] }],
    ["cr-list-keys", { actions: ["Microsoft.Storage/storageAccounts/listkeys/action"] }],
    ["cr-ml-secrets", { actions: ["Microsoft.MachineLearningServices/workspaces/*/action"] }],
    ["cr-assign-mi", { actions: ["Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action"] }],
    ["cr-site-config", { actions: ["Microsoft.Web/sites/config/write"] }],
    ["cr-blob-data-wild", { dataActions: ["Microsoft.Storage/*"] }],
    ["cr-kv-data", { dataActions: ["Microsoft.KeyVault/vaults/secrets/*"] }],
    ["cr-role-write-case", { actions: ["microsoft.authorization/ROLEASSIGNMENTS/WRITE"] }],
    ...moreCustomRoles(),
  ];
  return cases.map(([id, permissions]) => ({
    id,
    what: `custom role with ${JSON.stringify(permissions)}`,
    resources: [{ type: "azure-native:authorization:RoleDefinition", name: id, props: { roleName: id, scope: `/subscriptions/${SUB}`, assignableScopes: [RG], permissions: [permissions] } }],
    expect: [`rbac-custom-role-least-privilege ${id}`],
    cli: id === "cr-web-wild",
  }));
}

/** Scopes that pretend to be one resource. */
function scopes(): Evasion[] {
  const cases: [string, string][] = [
    ["scope-dotdot", `${FACTORY}/../..`],
    ["scope-dot", `${RG}/providers/Microsoft.DataFactory/factories/./adf`],
    ["scope-double-slash", `${RG}//providers/Microsoft.DataFactory/factories/adf`],
    ["scope-encoded", `${RG}/providers/Microsoft.DataFactory/factories/%2e%2e`],
    ["scope-not-arm", "subscriptions/x/resourceGroups/rg/providers/A.B/c/d"],
  ];
  return cases.map(([id, scope]) => ({
    id,
    what: `scope ${JSON.stringify(scope)}`,
    resources: [{ ...roleAssignment(id, "StorageQueueDataMessageSender", scope) }],
    expect: [`rbac-single-resource-scope ${id}`],
    cli: id === "scope-dotdot",
  }));
}

const MG = "/providers/Microsoft.Management/managementGroups/mg-platform";

/** Role names for ids, GUIDs in every spelling under subscription and management-group forms, encodings, namespace case. */
function moreSpellings(): Evasion[] {
  const owner = OWNER;
  const bare = owner.replace(/-/g, "");
  const forms: [string, string, boolean][] = [
    ["name-owner", "Owner", true],
    ["name-contributor", "Contributor", false],
    ["name-sa-contributor", "Storage Account Contributor", false],
    ["sub-upper-braced", `/subscriptions/${SUB.toUpperCase()}/providers/Microsoft.Authorization/roleDefinitions/{${owner.toUpperCase()}}`, false],
    ["sub-unhyphenated", `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${bare.toUpperCase()}`, false],
    ["mg-upper", `${MG}/providers/Microsoft.Authorization/roleDefinitions/${owner.toUpperCase()}`, true],
    ["mg-braced-unhyphenated", `${MG.toUpperCase()}/providers/Microsoft.Authorization/roleDefinitions/{${bare}}`, false],
    ["ns-lowercase", `/subscriptions/${SUB}/providers/microsoft.authorization/roleDefinitions/${owner}`, false],
    ["ns-encoded", `/subscriptions/${SUB}/providers/Microsoft.Authorization%2FroleDefinitions%2F${owner}`, false],
    ["ns-doubled-slash", `/subscriptions/${SUB}/providers/Microsoft.Authorization//roleDefinitions/${owner}`, false],
    ["rbac-admin-no-condition", RD(BuiltInRole.RoleBasedAccessControlAdministrator), true],
  ];
  return forms.map(([id, roleDefinitionId, cli]) => ({
    id,
    what: `privileged role id spelt ${JSON.stringify(roleDefinitionId)}`,
    resources: [grant(id, roleDefinitionId, FACTORY)],
    expect: [`rbac-no-privileged-roles ${id}`],
    cli,
  }));
}

/** Scopes at subscription and management-group level in odd spellings, percent-encoded or doubled separators. */
function moreScopes(): Evasion[] {
  const cases: [string, string][] = [
    ["scope-sub-upper", `/subscriptions/${SUB.toUpperCase()}`],
    ["scope-sub-braced", `/subscriptions/{${SUB}}`],
    ["scope-mg-mixed-case", `/PROVIDERS/microsoft.management/MANAGEMENTGROUPS/mg-platform`],
    ["scope-encoded-slashes", `${RG}%2Fproviders%2FMicrosoft.DataFactory%2Ffactories%2Fadf-retrain`],
    ["scope-leading-double-slash", `/${FACTORY}`],
    ["scope-doubled-mid", `${RG}/providers/Microsoft.DataFactory//factories/adf-retrain`],
    ["scope-rg-trailing-slashes", `${RG}//`],
  ];
  return cases.map(([id, scope]) => ({
    id,
    what: `scope ${JSON.stringify(scope)}`,
    resources: [{ ...roleAssignment(id, "StorageQueueDataMessageSender", scope) }],
    expect: [`rbac-single-resource-scope ${id}`],
    cli: id === "scope-sub-upper",
  }));
}

/** Custom roles that write authorization through a wildcard, read everything and list keys, or read secrets. */
function moreCustomRoles(): [string, Record<string, string[]>][] {
  return [
    ["cr-authz-any-write", { actions: ["Microsoft.Authorization/*/write"] }],
    ["cr-read-all-list-keys", { actions: ["*/read", "Microsoft.Storage/storageAccounts/listKeys/action"] }],
    ["cr-kv-get-secret", { dataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action"] }],
    ["cr-authz-case-wild", { actions: ["MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/*"] }],
  ];
}

/** What Azure would refuse at deploy time and the pack can see: names, principals, conditions, types, Flex keys. */
function deployReadiness(): Evasion[] {
  const ra = (id: string, props: Record<string, unknown>): PolicyResourceInput => {
    const base = roleAssignment(id, "StorageQueueDataMessageSender", `${RG}/providers/Microsoft.Storage/storageAccounts/stq/queueServices/default/queues/q`);
    return { ...base, props: { ...base.props, ...props } };
  };
  const cases: [string, string, PolicyResourceInput, string][] = [
    ["dr-name-not-guid", "a role assignment named 'queue-sender' (not a GUID)", ra("dr-name-not-guid", { roleAssignmentName: "queue-sender" }), "rbac-assignment-deployable"],
    ["dr-name-braced", "a role assignment name in braces", ra("dr-name-braced", { roleAssignmentName: "{1b2c3d4e-0000-4000-8000-000000000001}" }), "rbac-assignment-deployable"],
    ["dr-principal-name", "a principal given by name", ra("dr-principal-name", { principalId: "func-deployer" }), "rbac-assignment-deployable"],
    ["dr-condition-no-version", "a condition without conditionVersion", ra("dr-condition-no-version", { condition: "@Resource[x] StringEquals 'y'" }), "rbac-assignment-deployable"],
    ["dr-version-no-condition", "conditionVersion 1.0 without a condition", ra("dr-version-no-condition", { conditionVersion: "1.0" }), "rbac-assignment-deployable"],
    ["dr-principal-type-missing", "a role assignment without principalType", ra("dr-principal-type-missing", { principalType: undefined }), "rbac-principal-type-set"],
    ["dr-flex-ftps-case", "a Flex app with siteConfig.FtpsState (key case changed)", functionApp("dr-flex-ftps-case", { functionAppConfig: { runtime: { name: "python", version: "3.11" } }, siteConfig: { minTlsVersion: "1.2", FtpsState: "FtpsOnly" } }), "deploy-flex-site-config"],
    ["dr-flex-linuxfx", "a Flex app with siteConfig.linuxFxVersion", functionApp("dr-flex-linuxfx", { functionAppConfig: { runtime: { name: "node", version: "20" } }, siteConfig: { minTlsVersion: "1.2", linuxFxVersion: "Node|20" } }), "deploy-flex-site-config"],
  ];
  return cases.map(([id, what, resource, policy]) => ({ id, what, resources: [resource], expect: [`${policy} ${id}`], cli: id === "dr-name-not-guid" || id === "dr-principal-type-missing" }));
}

/** The resources of the cases the real-CLI preview runs, and the violations it must show. */
export function cliEvasions(): PolicyResourceInput[] {
  return evasions().filter((e) => e.cli).flatMap((e) => e.resources);
}

/** Principal used by the corpus (the fixtures' topic identity). */
export const EVASION_PRINCIPAL = TOPIC_PRINCIPAL;
