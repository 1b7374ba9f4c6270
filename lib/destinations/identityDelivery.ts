import * as pulumi from "@pulumi/pulumi";
import { assignRole } from "../rbac/assignment";
import { BuiltInRoleName } from "../rbac/roles";
import { DestinationBinding, DestinationBlock, DestinationContext, DestinationKind, EventDestination } from "./types";

/** Checks that a known ARM id has the expected provider type; unknown (output) values pass. */
export function checkArmId(arg: string, value: pulumi.Input<string>, pattern: RegExp, example: string): string[] {
  if (typeof value !== "string") return [];
  return pattern.test(value) ? [] : [`${arg} ${JSON.stringify(value)} is not a valid resource id; expected ${example}.`];
}

/** How one identity-delivered destination kind is described, checked and granted. */
export interface IdentityTarget {
  readonly kind: DestinationKind;
  /** The data-plane role the topic identity needs on the target. */
  readonly role: BuiltInRoleName;
  /** Suffix of the grant's Pulumi name (`${subscription}-${suffix}`). */
  readonly grantSuffix: string;
  /** Label for plans, e.g. `Event Hub`. */
  readonly label: string;
  /** The constructor argument holding the id, for error messages. */
  readonly idArg: string;
  readonly idPattern: RegExp;
  readonly idExample: string;
}

/**
 * Base of the destinations Event Grid reaches with the topic's own managed identity (Event Hubs,
 * Service Bus, storage queues): grants the target's data-plane role on that one resource, delivers
 * with identity, and makes the subscription wait for the grant. A destination object reused by
 * several subscriptions of one topic grants once.
 */
export abstract class IdentityDestination implements EventDestination {
  readonly kind: DestinationKind;
  readonly description: string;
  private readonly grants = new Map<pulumi.Resource, pulumi.Resource>();

  protected constructor(
    private readonly target: IdentityTarget,
    protected readonly resourceId: pulumi.Input<string>,
  ) {
    this.kind = target.kind;
    this.description = typeof resourceId === "string" ? `${target.label} ${resourceId.split("/").pop()}` : target.label;
  }

  validate(): string[] {
    return checkArmId(this.target.idArg, this.resourceId, this.target.idPattern, this.target.idExample);
  }

  /** The delivery block for this destination (without identity). */
  protected abstract block(): DestinationBlock;

  bind(context: DestinationContext): DestinationBinding {
    let grant = this.grants.get(context.parent);
    if (grant === undefined) {
      grant = assignRole(
        `${context.subscriptionName}-${this.target.grantSuffix}`,
        {
          scope: this.resourceId,
          principalId: context.topicPrincipalId,
          role: this.target.role,
          description: `Event Grid system topic delivers ${context.subscriptionName} with its managed identity`,
        },
        { parent: context.parent },
      );
      this.grants.set(context.parent, grant);
    }
    return {
      deliveryWithResourceIdentity: { identity: context.deliveryIdentity ?? { type: "SystemAssigned" }, destination: this.block() },
      dependsOn: [grant],
    };
  }
}
