/** filter-monitor-breach-reachable on the breach filters users actually write, right and wrong. */
import * as assert from "assert";
import { analyzeResources, policies } from "../../policy/api";
import { breachEvent, breachReachability, candidateSignalIds, mentionsBreach } from "../../policy/policies/breach-reachability";
import { AmlEventType } from "../../lib/events/types";
import { monitoringSampleEvents } from "../../lib/events/samples";
import { evaluateFilter } from "../../lib/filters";
import { BREACH_HEAD_FRAGMENT, modelMonitorBreachFilter } from "../../lib/monitoring/breachFilter";
import { BREACH_TAG } from "../../lib/monitoring/breachTag";
import { subscription } from "./fixtures";

const RSC = AmlEventType.RunStatusChanged;
const TAG_KEY = `data.runTags.${BREACH_TAG}`;
const contains = (key: string, ...values: string[]) => ({ operatorType: "StringContains", key, values });
const failedOnly = { operatorType: "StringIn", key: "data.runStatus", values: ["Failed"] };
const filterOf = (...advancedFilters: object[]) => ({ includedEventTypes: [RSC], advancedFilters });

/** Microsoft's documented filter: PascalCase keys on a camelCase payload, no runStatus clause. */
const microsoftDocumented = {
  includedEventTypes: [RSC],
  advancedFilters: [contains(`data.RunTags.${BREACH_TAG}`, BREACH_HEAD_FRAGMENT), contains(`data.RunTags.${BREACH_TAG}`, "credit-default-monitor_data-drift-signal")],
};

const REACHABLE: Record<string, object> = {
  "the library's builder, unscoped": modelMonitorBreachFilter(),
  "the builder scoped to another monitor (a breach of that monitor is built, not only the sample's)": modelMonitorBreachFilter({ monitorNames: ["churn-monitor"] }),
  "the builder scoped to a signal of another monitor": modelMonitorBreachFilter({ monitorNames: ["fraud_v2"], signalNames: ["prediction-drift"] }),
  "Microsoft's documented filter (PascalCase keys)": microsoftDocumented,
  "StringBeginsWith on the text's real start": filterOf({ operatorType: "StringBeginsWith", key: TAG_KEY, values: ["The signal 'credit-default-monitor_"] }),
  "a bare monitor name (contained in the quoted signal id)": filterOf(contains(TAG_KEY, BREACH_HEAD_FRAGMENT), contains(TAG_KEY, "churn-monitor")),
  "IsNotNull on the tag": filterOf({ operatorType: "IsNotNull", key: TAG_KEY }),
  "runStatus restricted to Completed (the tagged run's end, as Azure reports a breach)": filterOf(contains(TAG_KEY, BREACH_HEAD_FRAGMENT), { operatorType: "StringIn", key: "data.runStatus", values: ["Completed"] }),
  "a subject prefix (left to filter-subject-reachable)": { ...modelMonitorBreachFilter(), subjectBeginsWith: "experiments/" },
};

const UNREACHABLE: Record<string, { filter: object; reason: RegExp }> = {
  "StringIn on the whole text": { filter: filterOf(contains(TAG_KEY, BREACH_HEAD_FRAGMENT), { operatorType: "StringIn", key: TAG_KEY, values: [BREACH_HEAD_FRAGMENT] }), reason: /advancedFilters\[1\]/ },
  "StringBeginsWith the head fragment (the text starts with \"The signal\")": { filter: filterOf({ operatorType: "StringBeginsWith", key: TAG_KEY, values: [BREACH_HEAD_FRAGMENT] }), reason: /advancedFilters\[0\]/ },
  "the tag read from runProperties": { filter: filterOf(contains(`data.runProperties.${BREACH_TAG}`, BREACH_HEAD_FRAGMENT)), reason: /advancedFilters\[0\]/ },
  "a misspelt tag key": { filter: filterOf(contains("data.runTags.azureml_modelmonitor_threshold_breach", BREACH_HEAD_FRAGMENT)), reason: /advancedFilters\[0\]/ },
  "a quoted scope with a hyphen instead of '_'": { filter: filterOf(contains(TAG_KEY, BREACH_HEAD_FRAGMENT), contains(TAG_KEY, "'credit-default-monitor-data-drift-signal'")), reason: /advancedFilters\[1\]/ },
  "a quoted scope with a space instead of '_'": { filter: filterOf(contains(TAG_KEY, BREACH_HEAD_FRAGMENT), contains(TAG_KEY, "'credit-default-monitor data-drift-signal'")), reason: /advancedFilters\[1\]/ },
  "runStatus restricted to Failed (the tagged run ends Completed: the old, wrong filter)": {
    filter: filterOf(contains(TAG_KEY, BREACH_HEAD_FRAGMENT), failedOnly),
    reason: /advancedFilters\[1\]/,
  },
  "RunCompleted instead of RunStatusChanged (the breach filter is a RunStatusChanged filter)": { filter: { ...modelMonitorBreachFilter(), includedEventTypes: [AmlEventType.RunCompleted] }, reason: /includedEventTypes/ },
};

describe("filter-monitor-breach-reachable", () => {
  const run = (filter: object) => analyzeResources(policies.filter((p) => p.name === "filter-monitor-breach-reachable"), [subscription("breach", { filter })]);

  for (const [title, filter] of Object.entries(REACHABLE)) {
    it(`passes: ${title}`, async () => {
      const verdict = breachReachability(filter);
      assert.ok(verdict.reachable, JSON.stringify(verdict));
      assert.ok(evaluateFilter({ ...filter, subjectBeginsWith: undefined }, breachEvent(verdict.signalId)), "the matching breach really matches");
      assert.deepStrictEqual((await run(filter)).violations, []);
    });
  }

  for (const [title, { filter, reason }] of Object.entries(UNREACHABLE)) {
    it(`reports: ${title}`, async () => {
      const verdict = breachReachability(filter);
      assert.strictEqual(verdict.reachable, false);
      for (const id of candidateSignalIds(filter)) assert.strictEqual(evaluateFilter(filter, breachEvent(id)), false, id);
      assert.strictEqual(evaluateFilter(filter, monitoringSampleEvents()[0]), false, "the seed's breach sample doesn't match either");
      const { violations } = await run(filter);
      assert.strictEqual(violations.length, 1);
      assert.strictEqual(violations[0].enforcementLevel, "advisory");
      assert.match(violations[0].message, reason);
      assert.match(violations[0].message, /^Subscription breach targets model-monitor breaches but no real breach can match it: .* Fix: use RunStatusChanged/);
    });
  }

  it("scoping values become candidate signal ids: quoted ids, monitor and signal halves, bare names; a quoted id without '_' none", () => {
    const ids = candidateSignalIds(filterOf(contains(TAG_KEY, "'churn_drift'", "'fraud_", "_quality'", "'no-underscore'")));
    for (const id of ["churn_drift", "fraud_quality", "fraud_drift", "churn_quality", "credit-default-monitor_data-drift-signal"]) assert.ok(ids.includes(id), `${id} in ${ids.join(", ")}`);
    assert.ok(!ids.some((id) => id.includes("no-underscore")), ids.join(", "));
  });

  it("applies only to filters that name the breach tag or compare runTags with the breach text", () => {
    assert.strictEqual(mentionsBreach(microsoftDocumented), true);
    assert.strictEqual(mentionsBreach(filterOf(contains("data.runTags.status", BREACH_HEAD_FRAGMENT))), true);
    assert.strictEqual(mentionsBreach(filterOf(contains("data.runTags.team", "fraud"))), false);
    assert.strictEqual(mentionsBreach({ includedEventTypes: [RSC] }), false);
  });

  it("a malformed filter is left to filter-well-formed (not applicable, no crash)", async () => {
    const result = await run(filterOf({ operatorType: "StringSomething", key: TAG_KEY, values: [BREACH_HEAD_FRAGMENT] }));
    assert.deepStrictEqual(result.violations, []);
  });
});
