/**
 * EventHubStream as the previous release shipped it (token `aml-events:streaming:EventHubStream`, no
 * aliases), reduced to the path the upgrade test takes: a created namespace (random name suffix), a hub
 * and the subscription. Frozen on purpose: it is the state an existing stack was created with.
 */
import * as eventhub from "@pulumi/azure-native/eventhub";
import * as pulumi from "@pulumi/pulumi";
import { ALL_AML_EVENT_TYPES, EventHubDestination, WorkspaceEvents } from "aml-event-workflows";
import { globalNameSuffix } from "../../../../lib/arm/globalNames";

export class LegacyEventHubStream extends pulumi.ComponentResource {
  readonly eventHubId: pulumi.Output<string>;

  /** `type` exists for the test's control case only: the new token without the alias. */
  constructor(name: string, args: { readonly events: WorkspaceEvents }, type = "aml-events:streaming:EventHubStream") {
    super(type, name, {}, {});
    const namespace = new eventhub.Namespace(
      `${name}-ns`,
      {
        resourceGroupName: args.events.resourceGroupName,
        location: args.events.location,
        namespaceName: globalNameSuffix(`${name}-ns`, this).apply((suffix) => `${name}-ns-${suffix}`),
        sku: { name: "Standard", tier: "Standard", capacity: 1 },
        minimumTlsVersion: "1.2",
        disableLocalAuth: true,
        tags: {},
      },
      { parent: this },
    );
    const hub = new eventhub.EventHub(
      `${name}-hub`,
      {
        resourceGroupName: args.events.resourceGroupName,
        namespaceName: namespace.name,
        eventHubName: "aml-events",
        partitionCount: 4,
        retentionDescription: { cleanupPolicy: "Delete", retentionTimeInHours: 168 },
      },
      { parent: this },
    );
    this.eventHubId = hub.id;
    args.events.subscribe("stream-to-event-hub", {
      destination: new EventHubDestination({ eventHubId: this.eventHubId }),
      filter: { includedEventTypes: [...ALL_AML_EVENT_TYPES] },
      acceptWarnings: ["run-status-changed-without-status-filter"],
    });
    this.registerOutputs({ eventHubId: this.eventHubId });
  }
}
