import { Plan } from "../../lib/plan/plan";

/** What a plan says, without what depends on how it was produced. */
export function planGist(plan: Plan) {
  return {
    subscriptions: plan.subscriptions.map((s) => `${s.name} → ${s.target}`).sort(),
    routing: plan.routing.map((r) => `${r.event.id}: ${r.outcomes.map((o) => `${o.subscription.name}=${o.outcome.summary}`).sort().join(" | ")}`),
    loop: (plan.loop ?? []).map((s) => `${s.startedBy}: ${s.outcomes.map((o) => `${o.subscription}=${o.outcome.summary}`).sort().join(" | ")}`),
    mandatory: plan.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policyName} ${v.resourceName}`).sort(),
    resources: plan.resources.length,
  };
}

