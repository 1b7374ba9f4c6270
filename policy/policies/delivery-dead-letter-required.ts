import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { BuiltInRole } from "../../lib/rbac/roles";
import { perRun } from "../run-state";
import { configOf, DEAD_LETTER_ROLE, deadLetterOf, forEventSubscriptions, known, roleGuidOf, str, SubscriptionLike, subscriptionNameOf } from "./common";

/** Knobs of {@link deliveryDeadLetterRequired}. */
export interface DeliveryDeadLetterRequiredConfig {
  /**
   * Subscription names (eventSubscriptionName or Pulumi name) that may go without dead-lettering: the
   * only opt-out. A label or an endpoint type on the subscription itself no longer exempts it, since the
   * stack being checked would be vouching for itself.
   */
  readonly exemptSubscriptions: string[];
}

/** A blob container the stack lets Event Grid dead-letter into: a Storage Blob Data Contributor grant scoped to it. */
interface DeadLetterContainer {
  /** The storage account's id (what `deadLetterDestination.resourceId` takes). */
  readonly resourceId: string;
  readonly blobContainerName: string;
}

const CONTAINER_SCOPE = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+)\/blobServices\/default\/containers\/([^/]+)$/i;
const SUBSCRIPTION_TYPE = /^azure-native:eventgrid:(SystemTopicEventSubscription|EventSubscription)$/;

/** Dead-letter containers granted so far in this run, by lower-cased container id. */
const containersSeen = perRun(() => new Map<string, DeadLetterContainer>());

/** Records a role assignment that gives an identity Storage Blob Data Contributor on one blob container. */
function noteContainerGrant(props: Record<string, unknown>): void {
  const scope = known(() => str(props.scope));
  const role = known(() => str(props.roleDefinitionId));
  if (typeof scope !== "string" || typeof role !== "string" || roleGuidOf(role) !== BuiltInRole[DEAD_LETTER_ROLE]) return;
  const m = CONTAINER_SCOPE.exec(scope.replace(/\/+$/, ""));
  if (m !== null) containersSeen().set(m[0].toLowerCase(), { resourceId: m[1], blobContainerName: m[2] });
}

function isExempt(args: Pick<ResourceValidationArgs, "name" | "getConfig">, name: string): boolean {
  const config = configOf<DeliveryDeadLetterRequiredConfig>(args, deliveryDeadLetterRequired.configSchema!);
  return config.exemptSubscriptions.some((s) => s.toLowerCase() === name.toLowerCase() || s.toLowerCase() === args.name.toLowerCase());
}

/** Subscriptions dead-letter undeliverable events instead of dropping them. */
export const deliveryDeadLetterRequired: ResourceValidationPolicy = {
  name: "delivery-dead-letter-required",
  description:
    "Subscriptions have a dead-letter destination, because Event Grid drops undeliverable events without one; the only opt-out is the subscription's name in the policy config's exemptSubscriptions (level remediate adds the stack's one dead-letter container).",
  enforcementLevel: "mandatory",
  severity: "medium",
  configSchema: {
    properties: {
      exemptSubscriptions: { type: "array", items: { type: "string" }, default: [], description: "Subscription names (eventSubscriptionName or Pulumi name) allowed without dead-lettering: the only opt-out." },
    },
  },
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    if (deadLetterOf(props) !== undefined) return;
    const name = subscriptionNameOf(props, args);
    if (isExempt(args, name)) return;
    reportViolation(
      `Subscription ${name} has no dead-letter destination: events that exhaust their retries (or get 400/413) are dropped. ` +
        `Fix: set deadLetterWithResourceIdentity {identity: {type: "SystemAssigned"}, deadLetterDestination: {endpointType: "StorageBlob", resourceId, blobContainerName}} (WorkspaceEvents does by default), or, if losing events is acceptable, name ${JSON.stringify(name)} in 'exemptSubscriptions' of delivery-dead-letter-required in the policy config.`,
    );
  }),
  /**
   * At level `remediate`: a subscription without dead-lettering gets `deadLetterWithResourceIdentity` on
   * the stack's dead-letter container when exactly one is known — a blob container on which an earlier
   * resource of the run grants Storage Blob Data Contributor (the role identity dead-lettering needs).
   * With none or several, or a container id unknown during preview, nothing is changed and the
   * violation stands. The subscription's delivery identity is reused (system-assigned otherwise).
   */
  remediateResource: (args) => {
    if (args.type === "azure-native:authorization:RoleAssignment") {
      noteContainerGrant(args.props);
      return undefined;
    }
    if (!SUBSCRIPTION_TYPE.test(args.type)) return undefined;
    const props = args.props as SubscriptionLike & Record<string, unknown>;
    if (deadLetterOf(props) !== undefined || isExempt(args, subscriptionNameOf(props, args))) return undefined;
    const containers = [...containersSeen().values()];
    if (containers.length !== 1) return undefined;
    const identity = props.deliveryWithResourceIdentity?.identity ?? { type: "SystemAssigned" };
    return { ...props, deadLetterWithResourceIdentity: { identity, deadLetterDestination: { endpointType: "StorageBlob", ...containers[0] } } };
  },
};
