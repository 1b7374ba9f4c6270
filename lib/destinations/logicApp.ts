import * as logic from "@pulumi/azure-native/logic";
import * as pulumi from "@pulumi/pulumi";
import { DestinationBinding, EventDestination } from "./types";

/** Arguments of {@link LogicAppDestination}. */
export interface LogicAppDestinationArgs {
  /** Resource group of the workflow. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The Consumption workflow's name. */
  readonly workflowName: pulumi.Input<string>;
  /** The Request trigger's name in the workflow definition. @default "When_events_arrive" */
  readonly triggerName?: string;
  /** The workflow resource, so the subscription waits for it. @default - none */
  readonly workflow?: pulumi.Resource;
  /** Label for plans and maps. @default "Logic App" */
  readonly description?: string;
}

/**
 * Delivers to a Logic App's Request trigger as a webhook. The callback URL carries its `sig` secret and
 * nothing marks it secret, so it is wrapped with `pulumi.secret`.
 *
 * The URL is read on every deployment (after the workflow, which it depends on) and its changes are NOT
 * ignored: when the workflow is replaced or its access keys are regenerated, the `sig` changes and the
 * subscription is updated with the new URL in the same `pulumi up`. Ignoring the path instead would keep the
 * stale `sig` (Pulumi's `ignoreChanges` substitutes the old input, even when a resource is replaced), every
 * delivery would answer 401, and Event Grid dead-letters 401 at once without retrying. Event Grid never returns
 * the query string on read (the subscription shows only `endpointBaseUrl`), so after a `pulumi refresh` the
 * next `pulumi up` shows one update of `destination.endpointUrl` that sends the same URL again.
 */
export class LogicAppDestination implements EventDestination {
  readonly kind = "WebHook";
  readonly description: string;
  /** The trigger's callback URL (secret). */
  readonly callbackUrl: pulumi.Output<string>;

  constructor(private readonly args: LogicAppDestinationArgs) {
    this.description = args.description ?? "Logic App";
    const dependsOn = args.workflow ? { dependsOn: [args.workflow] } : {};
    this.callbackUrl = pulumi.secret(
      logic.listWorkflowTriggerCallbackUrlOutput(
        { resourceGroupName: args.resourceGroupName, workflowName: args.workflowName, triggerName: args.triggerName ?? "When_events_arrive" },
        dependsOn,
      ).apply((r) => r.value ?? ""),
    );
  }

  validate(): string[] {
    const t = this.args.triggerName;
    return t === undefined || /^[A-Za-z0-9_.-]{1,80}$/.test(t)
      ? []
      : [`triggerName ${JSON.stringify(t)} is not a valid Logic Apps trigger name; use letters, digits, '_', '.', '-'.`];
  }

  bind(): DestinationBinding {
    return {
      // One event per request: the workflow answers per event (2xx handled or skipped, 400 never
      // deliverable, 429/5xx retry), so Event Grid's retry and dead-letter apply to each event alone.
      // Batching is opt-in (Microsoft Learn, "Event Grid message delivery and retry": by default one
      // event at a time, the payload an array with a single event); the pin keeps it that way.
      destination: { endpointType: "WebHook", endpointUrl: this.callbackUrl, maxEventsPerBatch: 1 },
      dependsOn: this.args.workflow ? [this.args.workflow] : [],
    };
  }
}
