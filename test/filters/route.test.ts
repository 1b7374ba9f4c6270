import * as assert from "assert";
import { AmlEventType, EventGridEvent, sampleEvents } from "../../lib/events";
import { advanced, evaluateFilter, modelTagEquals, RoutableSubscription, routeEvent, runStatusIn } from "../../lib/filters";

const { RunStatusChanged, ModelRegistered, DatasetDriftDetected } = AmlEventType;

const subscriptions: RoutableSubscription[] = [
  { name: "run-failed-email", filter: runStatusIn("failed"), destination: "logic-app-email" },
  { name: "run-completed-email", filter: runStatusIn("completed"), destination: "logic-app-email" },
  {
    name: "deploy-diabetes-models",
    filter: { includedEventTypes: [ModelRegistered], subjectBeginsWith: "models/sklearn", advancedFilters: [modelTagEquals("area", "diabetes"), modelTagEquals("type", "classification")] },
    destination: "function-deployer",
  },
  { name: "seed-drift", filter: { includedEventTypes: [DatasetDriftDetected], subjectBeginsWith: "/datadriftID/runs/" } },
  { name: "stream-everything", filter: {}, destination: "event-hub" },
];

function sample(type: string): EventGridEvent {
  const e = sampleEvents().find((x) => x.eventType === type);
  assert.ok(e, type);
  return e;
}

describe("filters: routeEvent", () => {
  it("delivers a failed RunStatusChanged to the failure alert and the stream, and says why not to the others", () => {
    const result = routeEvent(sample(RunStatusChanged), subscriptions);
    assert.deepStrictEqual(result.delivered, [
      { name: "run-failed-email", destination: "logic-app-email" },
      { name: "stream-everything", destination: "event-hub" },
    ]);
    assert.deepStrictEqual(result.skipped, [
      { name: "run-completed-email", clause: "advancedFilters[0]", reason: 'data.runStatus "failed" is not in ["completed"] (StringIn)' },
      { name: "deploy-diabetes-models", clause: "includedEventTypes", reason: `eventType "${RunStatusChanged}" is not one of ["${ModelRegistered}"]` },
      { name: "seed-drift", clause: "includedEventTypes", reason: `eventType "${RunStatusChanged}" is not one of ["${DatasetDriftDetected}"]` },
    ]);
  });

  it("reports the first failing clause: the second tag filter for a regression model", () => {
    const result = routeEvent(sample(ModelRegistered), subscriptions);
    const skip = result.skipped.find((s) => s.name === "deploy-diabetes-models");
    assert.deepStrictEqual(skip, { name: "deploy-diabetes-models", clause: "advancedFilters[1]", reason: 'data.modelTags.type "regression" is not in ["classification"] (StringIn)' });
  });

  it("the seed's drift prefix is skipped at subjectBeginsWith", () => {
    const skip = routeEvent(sample(DatasetDriftDetected), subscriptions).skipped.find((s) => s.name === "seed-drift");
    assert.strictEqual(skip?.clause, "subjectBeginsWith");
    assert.match(skip?.reason ?? "", /^subject "datadrift\/01d29aa4.*does not begin with "\/datadriftID\/runs\/"$/);
  });

  it("omits destination when a subscription has none", () => {
    const result = routeEvent(sample(DatasetDriftDetected), [{ name: "a", filter: {} }]);
    assert.deepStrictEqual(result, { delivered: [{ name: "a" }], skipped: [] });
  });

  it("agrees with evaluateFilter for every sample event and subscription, in order", () => {
    for (const e of sampleEvents()) {
      const result = routeEvent(e, subscriptions);
      assert.deepStrictEqual(
        result.delivered.map((d) => d.name),
        subscriptions.filter((s) => evaluateFilter(s.filter, e)).map((s) => s.name),
      );
      assert.strictEqual(result.delivered.length + result.skipped.length, subscriptions.length);
    }
  });

  it("reasons name values of other types, missing keys and arrays", () => {
    const e = { ...sample(ModelRegistered), data: { modelName: "m", modelVersion: "3", list: ["a"] } };
    const result = routeEvent(e, [
      { name: "numeric-version", filter: { advancedFilters: [advanced.numberGreaterThan("data.modelVersion", 2)] } },
      { name: "stage", filter: { advancedFilters: [advanced.stringIn("data.modelTags.stage", "prod")] } },
      { name: "list", filter: { advancedFilters: [advanced.stringIn("data.list", "a")] } },
    ]);
    assert.deepStrictEqual(
      result.skipped.map((s) => s.reason),
      [
        'data.modelVersion is the string "3", and NumberGreaterThan ignores values that are not numbers',
        "data.modelTags.stage is missing, and StringIn does not match a missing key",
        'data.list is the array ["a"] and enableAdvancedFilteringOnArrays is off',
      ],
    );
  });

  it("names the subscription whose filter Azure would reject", () => {
    assert.throws(
      () => routeEvent(sample(ModelRegistered), [{ name: "broken", filter: { advancedFilters: [{ operatorType: "StringIn", key: "data.modelName" }] } } as unknown as RoutableSubscription]),
      /^InvalidFilterError: Subscription "broken": Invalid Event Grid filter: advancedFilters\[0\]: StringIn on data.modelName needs "values"/,
    );
  });
});
