/**
 * Metadata `@pulumi/policy` 1.21 carries on every policy (`tags`, `url`, `remediationSteps`; `severity`
 * is set in each policy file) for the policies written before the deploy-readiness rules, which declare
 * theirs inline. The engine shows them with violations; the README table is generated from them.
 */
import { Policies } from "@pulumi/policy";
import { PolicyArea } from "../table";
import { frameworkOf, POLICY_CONTROLS } from "./controls";

/** What a policy rests on and how to fix a violation. */
export interface PolicyMetadata {
  /** Areas (README table, `pulumi policy` output). */
  readonly tags: readonly PolicyArea[];
  /** The Microsoft Learn page the rule rests on. */
  readonly url: string;
  /** What to change when the policy reports a violation. */
  readonly remediationSteps: string;
}

const LEARN = "https://learn.microsoft.com/azure";
const RBAC_BEST = `${LEARN}/role-based-access-control/best-practices`;
const RBAC_SCOPE = `${LEARN}/role-based-access-control/scope-overview`;
const CUSTOM_ROLES = `${LEARN}/role-based-access-control/custom-roles`;
const EG_FILTER = `${LEARN}/event-grid/event-filtering`;
const EG_RETRY = `${LEARN}/event-grid/delivery-and-retry`;
const EG_DEADLETTER = `${LEARN}/event-grid/manage-event-delivery`;
const EG_WEBHOOK = `${LEARN}/event-grid/webhook-event-delivery`;
const EG_IDENTITY = `${LEARN}/event-grid/managed-service-identity`;
const EG_SYSTEM_TOPICS = `${LEARN}/event-grid/system-topics`;
const AML_EVENTS = `${LEARN}/machine-learning/how-to-use-event-grid`;
const FUNC_SECURITY = `${LEARN}/azure-functions/security-concepts`;
const ADF_IDENTITY = `${LEARN}/data-factory/data-factory-service-identity`;
const LOGIC_SECURE = `${LEARN}/logic-apps/logic-apps-securing-a-logic-app`;

const m = (tags: PolicyArea[], url: string, remediationSteps: string): PolicyMetadata => ({ tags, url, remediationSteps });

/** Metadata of the policies that don't declare it inline, by policy name. */
export const POLICY_METADATA: Readonly<Record<string, PolicyMetadata>> = {
  "rbac-no-privileged-roles": m(["rbac"], RBAC_BEST, "Assign the narrowest built-in data role (e.g. Azure Event Hubs Data Sender) or a custom role with exactly the operations used, instead of Owner, Contributor, an access-administration role or any role whose actions escalate."),
  "rbac-single-resource-scope": m(["rbac"], RBAC_SCOPE, "Set the role assignment's scope to the one resource the principal uses (its full ARM id), not a resource group, subscription or management group."),
  "rbac-principal-type-set": m(["rbac"], RBAC_BEST, 'Set principalType ("ServicePrincipal" for managed identities) so a freshly created identity is found despite replication delay.'),
  "rbac-allowed-roles-per-target": m(["rbac"], RBAC_BEST, "Assign the role the target type expects (see the policy's knobs), or add the role to the allow-list in the policy config."),
  "rbac-custom-role-least-privilege": m(["rbac"], CUSTOM_ROLES, "List the exact operations the identity calls (no provider-wide or broad data wildcards, no role writes, key or secret listing, code or config writes, identity assignment), and make the role assignable in a resource group or subscription, not at the root scope."),
  "rbac-identity-delivery-has-data-role": m(["rbac", "delivery"], EG_IDENTITY, "Grant the topic's identity the destination's data role (e.g. Storage Queue Data Message Sender) on the destination resource."),
  "filter-event-types-allowed": m(["filters"], EG_FILTER, "Set filter.includedEventTypes to the AML event types the subscription handles."),
  "filter-within-limits": m(["filters"], EG_FILTER, "Split the subscription or merge values: at most 25 advanced filters and 25 values across them, strings up to 512 characters."),
  "filter-well-formed": m(["filters"], EG_FILTER, "Use a documented operatorType, a valid key and values of the type the operator takes."),
  "filter-subject-reachable": m(["filters"], EG_FILTER, "Make subjectBeginsWith/subjectEndsWith match the subject of at least one included event type."),
  "filter-deployer-model-tags": m(["filters"], AML_EVENTS, "Filter deployer subscriptions on data.modelTags.<tag> (the casing the events carry)."),
  "filter-analyzer-warnings": m(["filters"], EG_FILTER, "Read the finding and adjust the filter; silence a finding code with the policy's ignore knob when it is intended."),
  "delivery-dead-letter-required": m(["delivery"], EG_DEADLETTER, "Add a deadLetterDestination (or deadLetterWithResourceIdentity) blob container to the subscription, or name the subscription in exemptSubscriptions of the pack config."),
  "delivery-retry-policy-bounded": m(["delivery"], EG_RETRY, "Set retryPolicy.maxDeliveryAttempts to 1–30 and eventTimeToLiveInMinutes to 1–1440, or turn the policy to remediate to clamp them."),
  "delivery-webhook-https": m(["delivery", "hardening"], EG_WEBHOOK, "Serve the handler over HTTPS and use its https:// URL, or turn the policy to remediate to upgrade http:// URLs."),
  "delivery-managed-identity": m(["delivery", "hardening"], EG_IDENTITY, "Use deliveryWithResourceIdentity / deadLetterWithResourceIdentity with the topic's managed identity."),
  "delivery-subscription-name-valid": m(["delivery"], EG_DEADLETTER, "Name the subscription with 3–64 letters, digits and hyphens."),
  "eventgrid-one-system-topic-per-source": m(["delivery"], EG_SYSTEM_TOPICS, "Create one system topic per source and add every subscription to it (adopt an existing one with existingSystemTopic)."),
  "eventgrid-no-mixed-subscription-styles": m(["delivery"], EG_SYSTEM_TOPICS, "Move scope-based EventSubscriptions onto the source's system topic as SystemTopicEventSubscriptions."),
  "eventgrid-system-topic-type-matches-source": m(["delivery"], EG_SYSTEM_TOPICS, "Set topicType to the source's type (Microsoft.MachineLearningServices.Workspaces for a workspace)."),
  "function-app-https-only": m(["hardening"], FUNC_SECURITY, "Set httpsOnly: true on the Function App."),
  "function-app-min-tls": m(["hardening"], FUNC_SECURITY, 'Set siteConfig.minTlsVersion to "1.2" or later.'),
  "function-app-ftps-disabled": m(["hardening"], FUNC_SECURITY, 'Set siteConfig.ftpsState to "Disabled".'),
  "function-app-managed-identity": m(["hardening"], FUNC_SECURITY, "Give the Function App a system- or user-assigned managed identity."),
  "logic-app-request-trigger-restricted": m(["hardening"], LOGIC_SECURE, "Restrict the request trigger's callers (accessControl.triggers), or tag the workflow when the SAS callback URL is the intended control."),
  "data-factory-managed-identity": m(["hardening"], ADF_IDENTITY, "Give the factory a system-assigned managed identity."),
  "data-factory-public-network-access": m(["hardening"], ADF_IDENTITY, 'Set publicNetworkAccess to "Disabled" where the factory is reached privately, or keep the advisory.'),
  "aml-workspace-basics": m(["hardening"], AML_EVENTS, "Give the workspace a managed identity and Application Insights, and turn v1 legacy mode off."),
};

/** Each policy with its metadata (inline metadata wins) and its framework controls; throws when a policy has either missing. */
export function withMetadata(pack: Policies): Policies {
  return pack.map((p) => {
    const controls = POLICY_CONTROLS[p.name];
    if (controls === undefined) throw new Error(`Policy ${p.name} has no framework controls: add it to POLICY_CONTROLS (policy/policies/controls.ts).`);
    const framework = frameworkOf(controls);
    if (p.url !== undefined && p.tags !== undefined && p.remediationSteps !== undefined) return { ...p, framework };
    const meta = POLICY_METADATA[p.name];
    if (meta === undefined) throw new Error(`Policy ${p.name} has no metadata: declare tags, url and remediationSteps on it or add it to POLICY_METADATA.`);
    return { ...p, tags: [...meta.tags], url: meta.url, remediationSteps: meta.remediationSteps, severity: p.severity ?? "high", framework };
  });
}
