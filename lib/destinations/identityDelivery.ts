import * as pulumi from "@pulumi/pulumi";
import { assignRole } from "../rbac/assignment";
import { BuiltInRoleName } from "../rbac/roles";
import { DestinationBinding, DestinationBlock, DestinationContext } from "./types";

/**
 * Shared by the destinations Event Grid can reach with the topic's own managed identity (Event Hubs,
 * Service Bus, storage queues): grants `role` on the one target resource and delivers with identity.
 * A destination object reused by several subscriptions grants once per topic identity.
 */
export class IdentityGrants {
  private readonly grants = new Map<pulumi.Resource, pulumi.Resource>();

  constructor(
    private readonly role: BuiltInRoleName,
    private readonly scope: pulumi.Input<string>,
    private readonly suffix: string,
  ) {}

  /** Binds with identity delivery, creating the role grant the first time this parent binds. */
  bindWithIdentity(context: DestinationContext, destination: DestinationBlock): DestinationBinding {
    let grant = this.grants.get(context.parent);
    if (grant === undefined) {
      grant = assignRole(
        `${context.subscriptionName}-${this.suffix}`,
        {
          scope: this.scope,
          principalId: context.topicPrincipalId,
          role: this.role,
          description: `Event Grid system topic delivers ${context.subscriptionName} with its managed identity`,
        },
        { parent: context.parent },
      );
      this.grants.set(context.parent, grant);
    }
    return {
      deliveryWithResourceIdentity: { identity: { type: "SystemAssigned" }, destination },
      dependsOn: [grant],
    };
  }
}

/** Checks that a known ARM id has the expected provider type; unknown (output) values pass. */
export function checkArmId(arg: string, value: pulumi.Input<string>, pattern: RegExp, example: string): string[] {
  if (typeof value !== "string") return [];
  return pattern.test(value) ? [] : [`${arg} ${JSON.stringify(value)} is not a valid resource id; expected ${example}.`];
}
