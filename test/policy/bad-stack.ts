/** The deliberately bad stack of the policy acceptance test, and what the pack must say about it. */
import { PolicyResourceInput } from "../../policy/api";
import { AmlEventType } from "../../lib/events/types";
import { roleAssignment, STORAGE, SUB, subscription, topic } from "./fixtures";

/** Owner at subscription scope, an http webhook, 26 filters, retry 31, no dead-letter, an unreachable prefix, two topics for one workspace. */
export function badStack(): PolicyResourceInput[] {
  return [
    topic("mlw-prod-events"),
    topic("mlw-prod-events-2"),
    roleAssignment("ci-owner", "Owner", `/subscriptions/${SUB}`),
    roleAssignment("dead-letter-writer", "StorageBlobDataContributor", `${STORAGE}/blobServices/default/containers/deadletter`),
    subscription("http-alerts", { destination: { endpointType: "WebHook", endpointUrl: "http://alerts.contoso.example/api/aml" } }),
    subscription("too-many-filters", {
      filter: {
        advancedFilters: Array.from({ length: 26 }, (_, i) => ({ key: `data.runTags.team${i}`, operatorType: "IsNotNull" })),
        includedEventTypes: [AmlEventType.RunCompleted],
      },
    }),
    subscription("retry-31", { retryPolicy: { eventTimeToLiveInMinutes: 1440, maxDeliveryAttempts: 31 } }),
    subscription("no-dead-letter", { deadLetterWithResourceIdentity: undefined }),
    subscription("drift-retrain", { filter: { includedEventTypes: [AmlEventType.DatasetDriftDetected], subjectBeginsWith: "/datadriftID/runs/" } }),
  ];
}
