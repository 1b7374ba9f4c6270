/**
 * The framework controls each policy serves, carried on the policy as `@pulumi/policy`'s `framework`
 * (name, version, reference = the control ids, specification = what the control asks and the CIS
 * recommendations it also serves). Control ids:
 * - Microsoft cloud security benchmark v1 (https://learn.microsoft.com/security/benchmark/azure/overview):
 *   PA-1 separate and limit highly privileged users, PA-7 just enough administration (least privilege),
 *   IM-1 centralized identity and authentication (no local keys), IM-3 application identities (managed
 *   identities), IM-8 restrict exposure of credentials and secrets, NS-2 secure cloud services with
 *   network controls, DP-3 encrypt sensitive data in transit, LT-3 logging for security investigation,
 *   PV-2 audit and enforce secure configurations, DP-5 customer-managed keys for data at rest where required, AM-2 use only approved services
 *   (here: the approved event types and shapes), DS-6 enforce security of workload throughout DevOps.
 * - CIS Microsoft Azure Foundations Benchmark v2.0.0, where one applies: 1.23 no custom subscription
 *   administrator roles; 9.2 HTTPS only; 9.3 latest TLS; 9.5 managed identity (register with Entra ID);
 *   9.10 FTP deployments disabled.
 */

/** A policy's controls. */
export interface PolicyControls {
  /** Microsoft cloud security benchmark v1 control ids. */
  readonly mcsb: readonly string[];
  /** CIS Microsoft Azure Foundations v2.0.0 recommendation numbers, where one applies. */
  readonly cis?: readonly string[];
}

const c = (mcsb: string[], cis?: string[]): PolicyControls => ({ mcsb, ...(cis ? { cis } : {}) });

/** Controls per policy name; every policy of the pack must have an entry (withMetadata checks). */
export const POLICY_CONTROLS: Readonly<Record<string, PolicyControls>> = {
  "rbac-no-privileged-roles": c(["PA-1", "PA-7"]),
  "rbac-single-resource-scope": c(["PA-7"]),
  "rbac-principal-type-set": c(["IM-3"]),
  "rbac-assignment-deployable": c(["PA-7", "DS-6"]),
  "rbac-allowed-roles-per-target": c(["PA-7"]),
  "rbac-custom-role-least-privilege": c(["PA-7", "PA-1"], ["1.23"]),
  "rbac-custom-role-assignable-scope": c(["PA-7"]),
  "rbac-identity-delivery-has-data-role": c(["IM-3", "PA-7"]),
  "filter-event-types-allowed": c(["AM-2"]),
  "filter-within-limits": c(["DS-6"]),
  "filter-well-formed": c(["DS-6"]),
  "filter-subject-reachable": c(["DS-6"]),
  "filter-deployer-model-tags": c(["DS-6"]),
  "breach-monitors-declared": c(["DS-6"]),
  "deploy-rule-names-models": c(["PA-7", "DS-6"]),
  "filter-analyzer-warnings": c(["DS-6"]),
  "delivery-dead-letter-required": c(["LT-3"]),
  "delivery-retry-policy-bounded": c(["PV-2"]),
  "delivery-webhook-https": c(["DP-3"], ["9.2"]),
  "delivery-managed-identity": c(["IM-3", "IM-8"]),
  "delivery-subscription-name-valid": c(["DS-6"]),
  "eventgrid-one-system-topic-per-source": c(["PV-2"]),
  "eventgrid-no-mixed-subscription-styles": c(["PV-2"]),
  "eventgrid-system-topic-type-matches-source": c(["PV-2"]),
  "function-app-https-only": c(["DP-3"], ["9.2"]),
  "function-app-min-tls": c(["DP-3"], ["9.3"]),
  "function-app-ftps-disabled": c(["PV-2", "DP-3"], ["9.10"]),
  "function-app-managed-identity": c(["IM-3"], ["9.5"]),
  "logic-app-request-trigger-restricted": c(["NS-2", "IM-8"]),
  "data-factory-managed-identity": c(["IM-3"]),
  "data-factory-public-network-access": c(["NS-2"]),
  "aml-workspace-basics": c(["IM-3", "LT-3", "NS-2"]),
  "hardening-storage-shared-key": c(["IM-1", "IM-8"]),
  "deploy-flex-site-config": c(["PV-2"], ["9.10"]),
  "deploy-flex-code-deployed": c(["DS-6"]),
  "deploy-function-destination-after-code": c(["DS-6"]),
  "deploy-webhook-validatable-host": c(["NS-2", "DP-3"]),
  "deploy-lock-after-subscriptions": c(["PV-2"]),
  "deploy-diagnostic-sinks-unique": c(["LT-3"]),
  "deploy-global-name-suffix": c(["DS-6"]),
  "deploy-online-endpoint-name": c(["DS-6"]),
  "filter-v1-drift-retired": c(["DS-6"]),
  "filter-monitor-breach-reachable": c(["LT-3"]),
  "email-managed-domain-quota": c(["LT-3"]),
  "delivery-logic-app-batching": c(["DS-6"]),
  "profile-public-network-access-disabled": c(["NS-2"]),
  "profile-diagnostics-configured": c(["LT-3"]),
  "profile-system-topic-locked": c(["PV-2"]),
  "profile-identity-has-role": c(["IM-3", "PA-7"]),
  "profile-customer-managed-key-applied": c(["DP-5"]),
};

/** `@pulumi/policy`'s framework block for a policy's controls. */
export function frameworkOf(controls: PolicyControls): { name: string; version: string; reference: string; specification: string } {
  return {
    name: "Microsoft cloud security benchmark",
    version: "v1",
    reference: controls.mcsb.join(", "),
    specification: controls.cis ? `Also CIS Microsoft Azure Foundations Benchmark v2.0.0: ${controls.cis.join(", ")}` : "No CIS Microsoft Azure Foundations recommendation applies.",
  };
}

/** The controls table for docs/policy-pack.md: policy, MCSB v1 controls, CIS v2.0.0 recommendations. */
export function controlsTableMarkdown(names: readonly string[]): string {
  const rows = names.map((n) => `| \`${n}\` | ${POLICY_CONTROLS[n]?.mcsb.join(", ") ?? ""} | ${POLICY_CONTROLS[n]?.cis?.join(", ") ?? "—"} |`);
  return ["| policy | Microsoft cloud security benchmark v1 | CIS Microsoft Azure Foundations v2.0.0 |", "|---|---|---|", ...rows].join("\n");
}
