import * as assert from "assert";
import { checkResources, formatViolations, verdictOf } from "../../policy/api";
import { badStack } from "./bad-stack";
import { goodStack } from "./fixtures";

describe("policy pack: the deliberately bad stack", () => {
  it("gets exactly the expected violations, in engine order", async () => {
    const violations = await checkResources(badStack());
    assert.deepStrictEqual(
      violations.map((v) => [v.policyName, v.resourceName, v.enforcementLevel]),
      [
        ["rbac-no-privileged-roles", "ci-owner", "mandatory"],
        ["rbac-single-resource-scope", "ci-owner", "mandatory"],
        ["delivery-webhook-https", "http-alerts", "mandatory"],
        // alerts.contoso.example: a reserved name (RFC 2606) can't answer the validation handshake
        ["deploy-webhook-validatable-host", "http-alerts", "mandatory"],
        ["filter-within-limits", "too-many-filters", "mandatory"],
        ["delivery-retry-policy-bounded", "retry-31", "mandatory"],
        ["delivery-dead-letter-required", "no-dead-letter", "mandatory"],
        ["filter-subject-reachable", "drift-retrain", "mandatory"],
        ["filter-subject-reachable", "drift-retrain", "mandatory"],
        ["filter-v1-drift-retired", "drift-retrain", "advisory"],
        ["eventgrid-one-system-topic-per-source", "mlw-prod-events-2", "mandatory"],
        // The waf-aligned profile's policies, advisory by default: topics without diagnostics or a lock.
        ["profile-diagnostics-configured", "mlw-prod-events", "advisory"],
        ["profile-diagnostics-configured", "mlw-prod-events-2", "advisory"],
        ["profile-system-topic-locked", "mlw-prod-events", "advisory"],
        ["profile-system-topic-locked", "mlw-prod-events-2", "advisory"],
      ],
    );
    const drift = violations.filter((v) => v.resourceName === "drift-retrain").map((v) => v.message);
    assert.match(drift[0], /\[subject-leading-slash\] subjectBeginsWith: "\/datadriftID\/runs\/"/);
    assert.match(drift[1], /\[subject-never-matches\]/);
    assert.deepStrictEqual(verdictOf(violations), { advisory: 5, mandatory: 10, passed: false });
  });

  it("prints a failing verdict the way the offline plan shows it", async () => {
    const text = formatViolations(await checkResources(badStack()));
    assert.match(text, /^\[mandatory\] rbac-no-privileged-roles {2}\(ci-owner\)\n {4}Role Owner/);
    assert.match(text, /\nPolicy pack aml-event-workflows: FAILED — 10 mandatory, 5 advisory violation\(s\)\.$/);
  });

  it("the good stack passes every policy, advisory ones included", async () => {
    const violations = await checkResources(goodStack());
    assert.deepStrictEqual(violations, []);
    assert.strictEqual(formatViolations(violations), "Policy pack aml-event-workflows: passed (0 advisory).");
  });

  it("the dead-letter rule is mandatory by default; only a config entry naming the subscription opts out", async () => {
    const strict = await checkResources(badStack());
    assert.strictEqual(strict.find((v) => v.policyName === "delivery-dead-letter-required")?.enforcementLevel, "mandatory");
    const exempt = await checkResources(badStack(), { "delivery-dead-letter-required": { exemptSubscriptions: ["no-dead-letter"] } });
    assert.strictEqual(exempt.filter((v) => v.policyName === "delivery-dead-letter-required").length, 0);
  });
});
