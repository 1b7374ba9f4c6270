import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { known, str, UNKNOWN } from "./common";

const LOCK_TYPES = ["azure-native:authorization:ManagementLockByScope", "azure-native:authorization:ManagementLockAtResourceLevel"];
const TOPIC = "azure-native:eventgrid:SystemTopic";
const SUBSCRIPTION = "azure-native:eventgrid:SystemTopicEventSubscription";

/** The system topic name a lock covers, from its scope or resource-level inputs; undefined when it isn't a system topic lock. */
function lockedTopicName(lock: PolicyResource): string | undefined | typeof UNKNOWN {
  if (lock.type === LOCK_TYPES[0]) {
    const scope = known(() => str(lock.props.scope));
    if (scope === UNKNOWN || scope === undefined) return scope;
    return /\/providers\/Microsoft\.EventGrid\/systemTopics\/([^/]+)$/i.exec(scope.replace(/\/+$/, ""))?.[1];
  }
  const kind = known(() => `${str(lock.props.resourceProviderNamespace)}/${str(lock.props.resourceType)}`);
  if (kind === UNKNOWN) return UNKNOWN;
  return kind.toLowerCase() === "microsoft.eventgrid/systemtopics" ? known(() => str(lock.props.resourceName)) : undefined;
}

/** The topic a lock covers: by name, else (value unknown in preview) the SystemTopic it depends on. */
export function topicOfLock(lock: PolicyResource, topics: readonly PolicyResource[]): { name?: string; urn?: string } | undefined {
  const name = lockedTopicName(lock);
  if (typeof name === "string") return { name: name.toLowerCase(), urn: topics.find((t) => topicName(t) === name.toLowerCase())?.urn };
  const dep = lock.dependencies.find((d) => d.type === TOPIC);
  if (dep !== undefined) return { name: topicName(dep), urn: dep.urn };
  return undefined;
}

function topicName(topic: PolicyResource): string | undefined {
  const n = known(() => str(topic.props.systemTopicName));
  return (typeof n === "string" ? n : (topic.name ?? topic.urn.split("::").pop() ?? "")).toLowerCase();
}

/** Subscriptions living on the topic: by systemTopicName, or by depending on the topic resource. */
function subscriptionsOn(topic: { name?: string; urn?: string }, resources: readonly PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => {
    if (r.type !== SUBSCRIPTION) return false;
    const n = known(() => str(r.props.systemTopicName));
    if (typeof n === "string" && topic.name !== undefined) return n.toLowerCase() === topic.name;
    return topic.urn !== undefined && r.dependencies.some((d) => d.urn === topic.urn);
  });
}

/** A lock on a system topic is created after, and removed before, the subscriptions on that topic. */
export const deployLockAfterSubscriptions: StackValidationPolicy = {
  name: "deploy-lock-after-subscriptions",
  description: "A management lock on a system topic depends on every subscription of that topic; locks are inherited by child resources, so otherwise replacing or deleting a subscription later fails while the lock exists (a ReadOnly lock also blocks creating them).",
  // Advisory: with a CanNotDelete lock the first deployment succeeds and only later replacements or
  // deletions fail; raise it to mandatory in the config when ReadOnly locks are used.
  enforcementLevel: "advisory",
  severity: "high",
  tags: ["deploy-readiness", "delivery"],
  // "Management Locks - Create Or Update At Resource Level": a lock at a parent scope is inherited by all child resources.
  url: "https://learn.microsoft.com/rest/api/resources/management-locks/create-or-update-at-resource-level",
  remediationSteps: "Give the lock dependsOn on every event subscription of the topic, so Pulumi creates it last and deletes it first.",
  validateStack: (args, reportViolation) => {
    const topics = args.resources.filter((r) => r.type === TOPIC);
    const locks = args.resources.filter((r) => LOCK_TYPES.includes(r.type));
    if (locks.length === 0) args.notApplicable("No management locks in the stack");
    for (const lock of locks) {
      const topic = topicOfLock(lock, topics);
      if (topic === undefined) continue;
      const missing = subscriptionsOn(topic, args.resources).filter((s) => !lock.dependencies.some((d) => d.urn === s.urn));
      if (missing.length === 0) continue;
      reportViolation(
        `Lock ${lock.name ?? lock.urn} on system topic ${topic.name ?? topic.urn} doesn't depend on subscription(s) ${missing.map((s) => s.name ?? s.urn).join(", ")}; ` +
          `the lock is inherited by them, so replacing or deleting them fails while it exists. Fix: add them to the lock's dependsOn.`,
        lock.urn,
      );
    }
  },
};
