/**
 * Every policy of the pack, listed explicitly in the order the engine runs them:
 * RBAC, filters, delivery and topics, handler hardening, then deploy readiness.
 */
import { Policies } from "@pulumi/policy";
import { amlWorkspaceBasics } from "./aml-workspace-basics";
import { dataFactoryManagedIdentity } from "./data-factory-managed-identity";
import { dataFactoryPublicNetworkAccess } from "./data-factory-public-network-access";
import { deliveryDeadLetterRequired } from "./delivery-dead-letter-required";
import { deliveryManagedIdentity } from "./delivery-managed-identity";
import { deliveryRetryPolicyBounded } from "./delivery-retry-policy-bounded";
import { deliverySubscriptionNameValid } from "./delivery-subscription-name-valid";
import { deliveryWebhookHttps } from "./delivery-webhook-https";
import { eventgridNoMixedSubscriptionStyles } from "./eventgrid-no-mixed-subscription-styles";
import { eventgridOneSystemTopicPerSource } from "./eventgrid-one-system-topic-per-source";
import { eventgridSystemTopicTypeMatchesSource } from "./eventgrid-system-topic-type-matches-source";
import { filterAnalyzerWarnings } from "./filter-analyzer-warnings";
import { filterDeployerModelTags } from "./filter-deployer-model-tags";
import { filterEventTypesAllowed } from "./filter-event-types-allowed";
import { filterSubjectReachable } from "./filter-subject-reachable";
import { filterWellFormed } from "./filter-well-formed";
import { filterWithinLimits } from "./filter-within-limits";
import { functionAppFtpsDisabled } from "./function-app-ftps-disabled";
import { functionAppHttpsOnly } from "./function-app-https-only";
import { functionAppManagedIdentity } from "./function-app-managed-identity";
import { functionAppMinTls } from "./function-app-min-tls";
import { logicAppRequestTriggerRestricted } from "./logic-app-request-trigger-restricted";
import { rbacAllowedRolesPerTarget } from "./rbac-allowed-roles-per-target";
import { rbacAssignmentDeployable } from "./rbac-assignment-deployable";
import { rbacCustomRoleLeastPrivilege } from "./rbac-custom-role-least-privilege";
import { rbacCustomRoleAssignableScope } from "./rbac-custom-role-assignable-scope";
import { rbacIdentityDeliveryHasDataRole } from "./rbac-identity-delivery-has-data-role";
import { rbacNoPrivilegedRoles } from "./rbac-no-privileged-roles";
import { rbacPrincipalTypeSet } from "./rbac-principal-type-set";
import { rbacSingleResourceScope } from "./rbac-single-resource-scope";
import { deliveryLogicAppBatching } from "./delivery-logic-app-batching";
import { deployFlexCodeDeployed } from "./deploy-flex-code-deployed";
import { deployFlexSiteConfig } from "./deploy-flex-site-config";
import { deployFunctionDestinationAfterCode } from "./deploy-function-destination-after-code";
import { deployGlobalNameSuffix } from "./deploy-global-name-suffix";
import { deployLockAfterSubscriptions } from "./deploy-lock-after-subscriptions";
import { deployDiagnosticSinksUnique } from "./deploy-diagnostic-sinks-unique";
import { deployOnlineEndpointName } from "./deploy-online-endpoint-name";
import { deployRuleNamesModels } from "./deploy-rule-names-models";
import { deployWebhookValidatableHost } from "./deploy-webhook-validatable-host";
import { filterV1DriftRetired } from "./filter-v1-drift-retired";
import { filterMonitorBreachReachable } from "./filter-monitor-breach-reachable";
import { breachMonitorsDeclared } from "./breach-monitors-declared";
import { emailManagedDomainQuota } from "./email-managed-domain-quota";
import { hardeningStorageSharedKey } from "./hardening-storage-shared-key";
import { withMetadata } from "./metadata";
import { PROFILE_POLICIES } from "./profile";

/** The policies of the `aml-event-workflows` pack. */
export const policies: Policies = withMetadata([
  // RBAC
  rbacNoPrivilegedRoles,
  rbacSingleResourceScope,
  rbacPrincipalTypeSet,
  rbacAssignmentDeployable,
  rbacAllowedRolesPerTarget,
  rbacCustomRoleLeastPrivilege,
  rbacCustomRoleAssignableScope,
  rbacIdentityDeliveryHasDataRole,
  // Filters
  filterEventTypesAllowed,
  filterWithinLimits,
  filterWellFormed,
  filterSubjectReachable,
  filterDeployerModelTags,
  filterAnalyzerWarnings,
  // Delivery and topics
  deliveryDeadLetterRequired,
  deliveryRetryPolicyBounded,
  deliveryWebhookHttps,
  deliveryManagedIdentity,
  deliverySubscriptionNameValid,
  eventgridOneSystemTopicPerSource,
  eventgridNoMixedSubscriptionStyles,
  eventgridSystemTopicTypeMatchesSource,
  // Handler hardening
  functionAppHttpsOnly,
  functionAppMinTls,
  functionAppFtpsDisabled,
  functionAppManagedIdentity,
  logicAppRequestTriggerRestricted,
  dataFactoryManagedIdentity,
  dataFactoryPublicNetworkAccess,
  amlWorkspaceBasics,
  hardeningStorageSharedKey,
  // Deploy readiness: what `pulumi up` would reject (mandatory) or deploy and then misbehave (advisory)
  deployFlexSiteConfig,
  deployFlexCodeDeployed,
  deployFunctionDestinationAfterCode,
  deployWebhookValidatableHost,
  deployLockAfterSubscriptions,
  deployDiagnosticSinksUnique,
  deployGlobalNameSuffix,
  deployOnlineEndpointName,
  deployRuleNamesModels,
  filterV1DriftRetired,
  filterMonitorBreachReachable,
  emailManagedDomainQuota,
  breachMonitorsDeclared,
  deliveryLogicAppBatching,
  // The waf-aligned profile (advisory here; mandatory under policy/config/waf-aligned.json)
  ...PROFILE_POLICIES,
]);
