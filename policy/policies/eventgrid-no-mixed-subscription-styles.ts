import * as eventgrid from "@pulumi/azure-native/eventgrid";
import { StackValidationPolicy } from "@pulumi/policy";
import { known, scopeCovers, str, UNKNOWN } from "./common";

/** Scope-based subscriptions don't target a source that also has an explicit system topic. */
export const eventgridNoMixedSubscriptionStyles: StackValidationPolicy = {
  name: "eventgrid-no-mixed-subscription-styles",
  description: "A scope-based EventSubscription never targets a source that also has an explicit system topic in the stack; Azure's implicit topic then collides with the explicit one.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, reportViolation) => {
    const scoped = args.resources.filter((r) => r.isType(eventgrid.EventSubscription));
    if (scoped.length === 0) args.notApplicable("No scope-based EventSubscription in the stack");
    const sources = args.resources
      .filter((r) => r.isType(eventgrid.SystemTopic))
      .map((t) => ({ name: t.name, source: known(() => str(t.props.source)) }))
      .filter((t): t is { name: string; source: string } => t.source !== UNKNOWN && t.source !== undefined);
    for (const sub of scoped) {
      const scope = known(() => str(sub.props.scope));
      if (scope === UNKNOWN || scope === undefined) continue;
      const topic = sources.find((t) => scopeCovers(t.source, scope) && scopeCovers(scope, t.source));
      if (topic === undefined) continue;
      reportViolation(
        `EventSubscription ${sub.name} subscribes at scope ${scope}, which also has the explicit system topic ${topic.name}; the implicit topic Azure creates for it conflicts with the explicit one. ` +
          `Fix: replace it with a SystemTopicEventSubscription on ${topic.name} (WorkspaceEvents.subscribe).`,
        sub.urn,
      );
    }
  },
};
