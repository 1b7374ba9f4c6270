import * as authorization from "@pulumi/azure-native/authorization";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { BuiltInRole, BuiltInRoleName } from "../../lib/rbac/roles";
import {
  configOf,
  DEAD_LETTER_ROLE,
  deadLetterOf,
  deliveryOf,
  IDENTITY_DELIVERY_ROLES,
  IdentityLike,
  known,
  roleGuidOf,
  scopeCovers,
  str,
  SubscriptionLike,
  UNKNOWN,
} from "./common";

/** Knobs of {@link rbacIdentityDeliveryHasDataRole}. */
export interface RbacIdentityDeliveryHasDataRoleConfig {
  /** Destination resource ids whose role is granted outside this stack. */
  readonly exemptDestinations: string[];
}

interface Grant {
  readonly scope: string | typeof UNKNOWN;
  readonly guid: string | typeof UNKNOWN;
  readonly principalId: string | typeof UNKNOWN;
}

function grantsOf(resources: readonly PolicyResource[]): Grant[] {
  return resources
    .filter((r) => r.isType(authorization.RoleAssignment))
    .map((r) => ({
      scope: known(() => String(r.props.scope)),
      guid: known(() => roleGuidOf(String(r.props.roleDefinitionId))),
      principalId: known(() => String(r.props.principalId).toLowerCase()),
    }));
}

/** The principal id of the system topic a subscription belongs to, when the stack knows it. */
function topicPrincipal(sub: PolicyResource, topics: readonly PolicyResource[]): string | undefined {
  if (!sub.isType(eventgrid.SystemTopicEventSubscription)) return undefined;
  const topicName = known(() => str(sub.props.systemTopicName));
  const topic =
    topics.find((t) => topicName !== UNKNOWN && topicName !== undefined && known(() => str(t.props.systemTopicName)) === topicName) ??
    (topics.length === 1 ? topics[0] : undefined);
  if (topic === undefined) return undefined;
  const principal = known(() => str(topic.props.identity?.principalId));
  return principal === UNKNOWN || principal === undefined ? undefined : principal.toLowerCase();
}

/**
 * The principal that must hold the role for one identity block: the topic's system-assigned principal,
 * or undefined (any principal counts) for a user-assigned identity, whose principal id the subscription
 * does not carry.
 */
function granteeOf(identity: unknown, topicPrincipalId: string | undefined): string | undefined {
  const type = known(() => (typeof identity === "object" && identity !== null ? str((identity as IdentityLike).type) : undefined));
  return type === "UserAssigned" ? undefined : topicPrincipalId;
}

function granted(grants: readonly Grant[], role: BuiltInRoleName, covers: (scope: string) => boolean, principal: string | undefined): boolean {
  return grants.some(
    (g) =>
      (g.guid === UNKNOWN || g.guid === BuiltInRole[role]) &&
      (g.scope === UNKNOWN || covers(g.scope)) &&
      (principal === undefined || g.principalId === UNKNOWN || g.principalId === principal),
  );
}

/** Identity-based delivery and dead-lettering have their data role on the destination (stack policy). */
export const rbacIdentityDeliveryHasDataRole: StackValidationPolicy = {
  name: "rbac-identity-delivery-has-data-role",
  description: "A subscription that delivers or dead-letters with the topic's managed identity has the matching data role on that destination in the same stack.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      exemptDestinations: { type: "array", items: { type: "string" }, default: [], description: "Destination resource ids whose role is granted outside this stack." },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = configOf<RbacIdentityDeliveryHasDataRoleConfig>(args, rbacIdentityDeliveryHasDataRole.configSchema!);
    const exempt = (id: string) => config.exemptDestinations.some((e) => e.toLowerCase() === id.toLowerCase());
    const subs = args.resources.filter((r) => r.isType(eventgrid.SystemTopicEventSubscription) || r.isType(eventgrid.EventSubscription));
    if (subs.length === 0) args.notApplicable("No Event Grid subscriptions in the stack");
    const topics = args.resources.filter((r) => r.isType(eventgrid.SystemTopic));
    const grants = grantsOf(args.resources);
    for (const sub of subs) {
      const props: SubscriptionLike = sub.props;
      const principal = topicPrincipal(sub, topics);
      const delivery = known(() => deliveryOf(props));
      const deliveryGrantee = delivery === UNKNOWN ? principal : granteeOf(delivery?.identity, principal);
      if (delivery !== UNKNOWN && delivery?.withIdentity) {
        const type = known(() => delivery.destination.endpointType);
        const id = known(() => delivery.destination.resourceId);
        const endpointType = typeof type === "string" ? type : undefined;
        const role = endpointType === undefined ? undefined : IDENTITY_DELIVERY_ROLES[endpointType];
        // A storage queue grant may sit on the queue itself (narrower than the account, and enough).
        const queue = known(() => delivery.destination.queueName);
        const covers = (s: string) =>
          scopeCovers(s, String(id)) || (endpointType === "StorageQueue" && typeof queue === "string" && scopeCovers(s, `${String(id)}/queueServices/default/queues/${queue}`));
        if (role !== undefined && typeof id === "string" && !exempt(id) && !granted(grants, role, covers, deliveryGrantee)) {
          reportViolation(
            `Subscription ${sub.name} delivers to ${endpointType} ${id} with the topic's managed identity, but no ${role} role assignment on that resource is in this stack. ` +
              `Fix: grant ${role} (${BuiltInRole[role]}) to the system topic's identity on ${id} (the destination classes do this), or list the id in 'exemptDestinations' if it is granted elsewhere.`,
            sub.urn,
          );
        }
      }
      const deadLetter = known(() => deadLetterOf(props));
      if (deadLetter !== UNKNOWN && deadLetter?.withIdentity) {
        const account = known(() => deadLetter.resourceId);
        const container = known(() => deadLetter.blobContainerName);
        if (typeof account === "string" && !exempt(account)) {
          const covers = (s: string) =>
            scopeCovers(s, account) || (typeof container === "string" && scopeCovers(s, `${account}/blobServices/default/containers/${container}`));
          const grantee = granteeOf(known(() => props.deadLetterWithResourceIdentity?.identity), principal);
          if (!granted(grants, DEAD_LETTER_ROLE, covers, grantee)) {
            reportViolation(
              `Subscription ${sub.name} dead-letters to ${account} with the topic's managed identity, but no ${DEAD_LETTER_ROLE} role assignment on that account or container is in this stack. ` +
                `Fix: grant ${DEAD_LETTER_ROLE} (${BuiltInRole[DEAD_LETTER_ROLE]}) to the topic's identity on the dead-letter container, or list the account in 'exemptDestinations'.`,
              sub.urn,
            );
          }
        }
      }
    }
  },
};
