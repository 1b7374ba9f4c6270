import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { BuiltInRole } from "../../lib/rbac/roles";
import { perRun } from "../run-state";
import { configOf, DEAD_LETTER_ROLE, deadLetterOf, forEventSubscriptions, known, roleGuidOf, str, SubscriptionLike, subscriptionNameOf } from "./common";

/** Knobs of {@link deliveryDeadLetterRequired}. */
export interface DeliveryDeadLetterRequiredConfig {
  /** Subscription names (eventSubscriptionName or Pulumi name) that may go without dead-lettering. */
  readonly exemptSubscriptions: string[];
  /** Labels that exempt a subscription (e.g. for lossy telemetry). */
  readonly exemptLabels: string[];
  /** Endpoint types that may go without dead-lettering (e.g. `EventHub` when the hub is the durable store). */
  readonly exemptEndpointTypes: string[];
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

function isExempt(props: SubscriptionLike, args: Pick<ResourceValidationArgs, "name" | "getConfig">, name: string): boolean {
  const config = configOf<DeliveryDeadLetterRequiredConfig>(args, deliveryDeadLetterRequired.configSchema!);
  // Indexed reads, no array methods: in the engine's remediation the labels are a proxied array on which
  // species-creating methods like map throw (seen with `pulumi policy analyze` at level remediate).
  const labels: string[] = [];
  for (let i = 0; i < (props.labels?.length ?? 0); i++) labels.push(String(props.labels![i]).toLowerCase());
  const endpointType = props.deliveryWithResourceIdentity?.destination?.endpointType ?? props.destination?.endpointType;
  return (
    config.exemptSubscriptions.some((s) => s.toLowerCase() === name.toLowerCase() || s.toLowerCase() === args.name.toLowerCase()) ||
    config.exemptLabels.some((l) => labels.includes(l.toLowerCase())) ||
    (endpointType !== undefined && config.exemptEndpointTypes.includes(endpointType))
  );
}

/** Subscriptions dead-letter undeliverable events instead of dropping them. */
export const deliveryDeadLetterRequired: ResourceValidationPolicy = {
  name: "delivery-dead-letter-required",
  description:
    "Subscriptions have a dead-letter destination, because Event Grid drops undeliverable events without one (advisory by default so adopting existing subscriptions doesn't block a pipeline; raise to mandatory once they comply, or to remediate to add the stack's one dead-letter container).",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      exemptSubscriptions: { type: "array", items: { type: "string" }, default: [], description: "Subscription names allowed without dead-lettering." },
      exemptLabels: { type: "array", items: { type: "string" }, default: ["no-dead-letter"], description: "Labels that exempt a subscription." },
      exemptEndpointTypes: { type: "array", items: { type: "string" }, default: [], description: "Endpoint types allowed without dead-lettering." },
    },
  },
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    if (deadLetterOf(props) !== undefined) return;
    const name = subscriptionNameOf(props, args);
    if (isExempt(props, args, name)) return;
    reportViolation(
      `Subscription ${name} has no dead-letter destination: events that exhaust their retries (or get 400/413) are dropped. ` +
        `Fix: set deadLetterWithResourceIdentity {identity: {type: "SystemAssigned"}, deadLetterDestination: {endpointType: "StorageBlob", resourceId, blobContainerName}} (WorkspaceEvents does by default), or label it "no-dead-letter".`,
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
    if (deadLetterOf(props) !== undefined || isExempt(props, args, subscriptionNameOf(props, args))) return undefined;
    const containers = [...containersSeen().values()];
    if (containers.length !== 1) return undefined;
    const identity = props.deliveryWithResourceIdentity?.identity ?? { type: "SystemAssigned" };
    return { ...props, deadLetterWithResourceIdentity: { identity, deadLetterDestination: { endpointType: "StorageBlob", ...containers[0] } } };
  },
};
