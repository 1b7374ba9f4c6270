import * as assert from "assert";
import * as fc from "fast-check";
import { compareVersions, parseModelRef, planTraffic, previewDeployment } from "../../lib/deployment/arm";
import { parseWorkspaceId } from "../../lib/arm/ids";
import {
  DeployRule,
  deployRulesToAdvancedFilters,
  deployRuleWarnings,
  deploymentNameFor,
  modelVersionId,
  ONLINE_NAME_PATTERN,
  parseDeployRules,
  planModelDeployment,
  validateDeployRules,
} from "../../lib/deployment/decision";
import { AmlEventType, documentedSampleEvents, EventGridEvent, SAMPLE_WORKSPACE_ID, sampleCloudEvents, sampleEvents } from "../../lib/events";
import { evaluateFilter } from "../../lib/filters";

const registered = (events: EventGridEvent[] = sampleEvents()): EventGridEvent => {
  const e = events.find((x) => x.eventType === AmlEventType.ModelRegistered);
  assert.ok(e);
  return e;
};
const withTags = (tags: Record<string, string>): EventGridEvent => {
  const e = registered();
  return { ...e, data: { ...(e.data as object), modelTags: tags } };
};
const RULES: DeployRule[] = [
  { models: ["sklearn_regression_model"], tags: { type: ["regression"], area: ["diabetes"] }, endpointName: "ep-diabetes" },
  { models: ["sklearn_regression_model", "credit-default"], tags: { type: ["regression", "classification"] }, endpointName: "ep-general", trafficPercent: 10 },
];
const opts = { workspaceId: SAMPLE_WORKSPACE_ID, rules: RULES };

describe("planModelDeployment", () => {
  it("deploys the sample ModelRegistered event with the first matching rule (real and documented payloads, CloudEvents)", () => {
    const expected = {
      action: "deploy",
      modelName: "sklearn_regression_model",
      modelVersion: "20",
      endpointName: "ep-diabetes",
      deploymentName: "sklearn-regression-model-v20",
      rule: RULES[0],
    };
    assert.deepStrictEqual(planModelDeployment(registered(), opts), expected);
    assert.deepStrictEqual(planModelDeployment(registered(documentedSampleEvents()), opts), expected);
    const cloud = sampleCloudEvents().find((e) => e.type === AmlEventType.ModelRegistered);
    assert.deepStrictEqual(planModelDeployment(cloud, opts), expected);
  });

  it("decides by table", () => {
    const table: [string, unknown, string][] = [
      ["second rule when the first's area differs", withTags({ type: "regression", area: "churn" }), "deploy ep-general"],
      ["values compare case-insensitively", withTags({ type: "REGRESSION", area: "Diabetes" }), "deploy ep-diabetes"],
      ["tag keys compare ignoring case, as in Event Grid", withTags({ Type: "regression" }), "deploy ep-general"],
      ["tags differing only in case must all hold", withTags({ Type: "regression", type: "forecasting" }), "ignore no rule matches"],
      ["every case variant must hold when none is exact", withTags({ Type: "regression", TYPE: "forecasting" }), "ignore no rule matches"],
      ["no matching rule", withTags({ type: "forecasting" }), "ignore no rule matches"],
      ["no tags at all", withTags({}), "ignore no rule matches"],
      ["topic in another case matches", { ...registered(), topic: SAMPLE_WORKSPACE_ID.toUpperCase() }, "deploy ep-diabetes"],
      ["topic with a trailing slash matches", { ...registered(), topic: `${SAMPLE_WORKSPACE_ID}/` }, "deploy ep-diabetes"],
      ["foreign workspace", { ...registered(), topic: SAMPLE_WORKSPACE_ID.replace("mlw-platform", "mlw-dev") }, "ignore foreign topic"],
      ["missing topic", { ...registered(), topic: undefined }, "ignore foreign topic"],
      ["other event type", sampleEvents()[1], "ignore event type"],
      ["validation handshake", { ...registered(), eventType: "Microsoft.EventGrid.SubscriptionValidationEvent" }, "ignore event type"],
      ["missing model name", { ...registered(), data: { modelVersion: "3" } }, "ignore malformed event"],
      ["empty model version", { ...registered(), data: { modelName: "m", modelVersion: "" } }, "ignore malformed event"],
      ["array instead of event", [registered()], "ignore not an event"],
    ];
    for (const [name, event, expected] of table) {
      const d = planModelDeployment(event, opts);
      const got = d.action === "deploy" ? `deploy ${d.endpointName}` : `ignore ${d.reason}`;
      assert.ok(got.startsWith(expected), `${name}: got ${got}`);
    }
  });

  it("a rule cannot deploy a model it does not name: the takeover by tag is ignored, in the filter and in the handler's decision", () => {
    const rules: DeployRule[] = [{ models: ["credit-default"], tags: { type: ["classification"] }, endpointName: "contoso-credit-7m3q8", trafficPercent: 100 }];
    const named = (name: string): EventGridEvent => {
      const e = withTags({ type: "classification" });
      return { ...e, subject: `models/${name}:4`, data: { ...(e.data as object), modelName: name, modelVersion: "4" } };
    };
    const legit = planModelDeployment(named("credit-default"), { workspaceId: SAMPLE_WORKSPACE_ID, rules });
    assert.strictEqual(legit.action, "deploy");
    const takeover = planModelDeployment(named("totally-not-credit-default"), { workspaceId: SAMPLE_WORKSPACE_ID, rules });
    assert.deepStrictEqual(takeover.action, "ignore");
    assert.match(takeover.action === "ignore" ? takeover.reason : "", /^no rule matches model totally-not-credit-default:4/);
    const filter = { includedEventTypes: [AmlEventType.ModelRegistered], advancedFilters: deployRulesToAdvancedFilters(rules) };
    assert.strictEqual(evaluateFilter(filter, named("totally-not-credit-default")), false, "Event Grid does not even deliver it");
    // Event Grid compares the name ignoring case and delivers; the handler compares exactly and says why it ignores.
    assert.strictEqual(evaluateFilter(filter, named("Credit-Default")), true);
    const miss = planModelDeployment(named("Credit-Default"), { workspaceId: SAMPLE_WORKSPACE_ID, rules });
    assert.match(miss.action === "ignore" ? miss.reason : "", /near misses: rules\[0\] names "credit-default", not "Credit-Default" \(model names compare exactly\)/);
  });

  it("says near misses of tag values instead of ignoring them silently", () => {
    const rules: DeployRule[] = [{ models: ["sklearn_regression_model"], tags: { stage: ["pre-production"] }, endpointName: "ep-pre" }];
    const d = planModelDeployment(withTags({ stage: "pre_production" }), { workspaceId: SAMPLE_WORKSPACE_ID, rules });
    assert.match(d.action === "ignore" ? d.reason : "", /near misses: rules\[0\]\.tags\.stage allows "pre-production", the model has "pre_production"/);
  });

  it("never lets an unsafe model name or version reach a URL or body", () => {
    const any: DeployRule[] = [{ anyModel: true, tags: { type: ["regression"] }, endpointName: "ep-any" }];
    const hostile: [string, string][] = [
      ["../../onlineEndpoints/prod", "1"],
      ["m", "../1"],
      ["m", "1/../../2"],
      ["m", "1?api-version=x"],
      ["m", "1#x"],
      ["m\u0000x", "1"],
      ["m", "1\r\nx"],
      ["m", "1..2"],
      ["m x", "1"],
      ["m.v", "1"],
      ["m", "%2e%2e"],
      ["a".repeat(256), "1"],
      ["m", "1".repeat(65)],
    ];
    for (const [name, version] of hostile) {
      const e = withTags({ type: "regression" });
      const d = planModelDeployment({ ...e, data: { ...(e.data as object), modelName: name, modelVersion: version } }, { workspaceId: SAMPLE_WORKSPACE_ID, rules: any });
      assert.strictEqual(d.action, "ignore", `${JSON.stringify(name)}:${JSON.stringify(version)} was deployed`);
      assert.match(d.action === "ignore" ? d.reason : "", /^malformed event: model (name|version) .* nothing is deployed$/);
    }
    for (const [name, version] of [["credit-default", "12"], ["sklearn_regression_model", "2024.01.3"], ["A1", "v2-rc_1"]]) {
      const e = withTags({ type: "regression" });
      const d = planModelDeployment({ ...e, data: { ...(e.data as object), modelName: name, modelVersion: version } }, { workspaceId: SAMPLE_WORKSPACE_ID, rules: any });
      assert.strictEqual(d.action, "deploy", `${name}:${version}`);
    }
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const d = planModelDeployment(value, opts);
        return d.action === "ignore";
      }),
      { numRuns: 300 },
    );
  });
});

describe("deploymentNameFor", () => {
  it("builds readable, valid names and hashes only when too long", () => {
    assert.strictEqual(deploymentNameFor("sklearn_regression_model", "20"), "sklearn-regression-model-v20");
    assert.strictEqual(deploymentNameFor("Churn.Model", "3"), "churn-model-v3");
    assert.strictEqual(deploymentNameFor("7up", "1"), "m-7up-v1");
    assert.strictEqual(deploymentNameFor("__", "1"), `m-${deploymentNameFor("__", "1").slice(2, 8)}-v1`);
    const long = deploymentNameFor("a-very-long-model-name-for-customer-churn-prediction", "123");
    assert.strictEqual(long.length, 32);
    assert.match(long, /^a-very-long-model-na-[0-9a-f]{6}-v123$/);
    assert.notStrictEqual(long, deploymentNameFor("a-very-long-model-name-for-customer-churn-scoring", "123"), "different long names stay apart");
    assert.match(deploymentNameFor("m", "2024.06.01-rc1"), /^m-v[0-9a-f]{6}$/, "long or odd versions are hashed");
  });

  it("always yields a valid Azure ML deployment name, deterministically", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), fc.oneof(fc.nat().map(String), fc.string({ minLength: 1, maxLength: 40 })), (name, version) => {
        const n = deploymentNameFor(name, version);
        return n.length >= 3 && n.length <= 32 && ONLINE_NAME_PATTERN.test(n) && n === deploymentNameFor(name, version);
      }),
      { numRuns: 500 },
    );
  });
});

describe("validateDeployRules", () => {
  it("accepts good rules", () => {
    assert.deepStrictEqual(validateDeployRules(RULES), []);
    assert.deepStrictEqual(
      validateDeployRules([{ models: ["sklearn_regression_model"], tags: { stage: ["production"] }, endpointName: "ep-prod", instanceType: "Standard_NC6s_v3", instanceCount: 3, trafficPercent: 0, authMode: "AADToken" }]),
      [],
    );
  });

  it("names the rule, the value and the fix for each problem", () => {
    const table: [unknown, RegExp][] = [
      ["nope", /^rules: expected an array/],
      [[], /empty list/],
      [[{ endpointName: "ep-ok" }], /rules\[0\]\.tags: got nothing .*at least one model tag/],
      [[{ models: ["sklearn_regression_model"], tags: {}, endpointName: "ep-ok" }], /rules\[0\]\.tags: got \{\}/],
      [[{ models: ["sklearn_regression_model"], tags: { stage: [] }, endpointName: "ep-ok" }], /rules\[0\]\.tags\.stage: expected a non-empty list/],
      [[{ models: ["sklearn_regression_model"], tags: { "a.b": ["x"] }, endpointName: "ep-ok" }], /cannot be matched by Event Grid/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "ab" }], /endpointName "ab" is 2 characters long/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "a".repeat(33) }], /is 33 characters long; Azure ML needs 3–32/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "1-endpoint" }], /must start with a letter/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "ep-" }], /not end with a hyphen/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "ep_prod" }], /only letters, digits and hyphens/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "ep-ok", instanceType: "DS3_v2" }], /instanceType: got "DS3_v2"; expected an Azure VM size/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "ep-ok", instanceCount: 0 }], /instanceCount: got 0/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "ep-ok", instanceCount: 1.5 }], /instanceCount: got 1.5/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "ep-ok", trafficPercent: 101 }], /trafficPercent: got 101; expected a whole percentage from 0 to 100/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "ep-ok", trafficPercent: -1 }], /trafficPercent: got -1/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "ep-ok", authMode: "AMLToken" }], /authMode: got "AMLToken"/],
      [[{ models: ["sklearn_regression_model"], tags: { s: ["x"] }, endpointName: "ep-ok", instancetype: "Standard_DS3_v2" }], /unknown property 'instancetype'/],
    ];
    for (const [rules, expected] of table) {
      const problems = validateDeployRules(rules);
      assert.ok(problems.some((p) => expected.test(p)), `${JSON.stringify(rules)} → ${JSON.stringify(problems)}`);
    }
    assert.throws(() => parseDeployRules('[{"models":["m"],"tags":{"s":["x"]},"endpointName":"ep-ok","trafficPercent":150}]'), /DEPLOY_RULES is invalid:\nrules\[0\]\.trafficPercent/);
  });

  it("refuses a rule that names no model, with the fix; anyModel is explicit and warned about", () => {
    const tags = { type: ["classification"] };
    const table: [unknown, RegExp][] = [
      [[{ tags, endpointName: "ep-ok" }], /^rules\[0\]: names no model, so any model with matching tags would be deployed; add models: \["<the AML model name>"\].*or anyModel: true/],
      [[{ models: [], tags, endpointName: "ep-ok" }], /rules\[0\]\.models: got \[\]; expected a non-empty list of AML model names/],
      [[{ models: "credit-default", tags, endpointName: "ep-ok" }], /rules\[0\]\.models: got "credit-default"/],
      [[{ models: ["../credit"], tags, endpointName: "ep-ok" }], /rules\[0\]\.models\[0\]: got "..\/credit"; an AML model name has letters, digits/],
      [[{ models: ["credit\u0000x"], tags, endpointName: "ep-ok" }], /rules\[0\]\.models\[0\]/],
      [[{ anyModel: "yes", tags, endpointName: "ep-ok" }], /rules\[0\]\.anyModel: got "yes"; expected true/],
      [[{ anyModel: true, models: ["a"], tags, endpointName: "ep-ok" }], /has both models and anyModel: true/],
      [[{ anyModel: false, tags, endpointName: "ep-ok" }], /^rules\[0\]: names no model/],
      [[{ models: ["a"], tags: { Deploy: ["yes"], deploy: ["yes"] }, endpointName: "ep-ok" }], /keys "Deploy" and "deploy" differ only in case/],
    ];
    for (const [rules, expected] of table) {
      const problems = validateDeployRules(rules);
      assert.ok(problems.some((p) => expected.test(p)), `${JSON.stringify(rules)} → ${JSON.stringify(problems)}`);
    }
    const any: DeployRule = { anyModel: true, tags, endpointName: "contoso-any-4k9d2" };
    assert.deepStrictEqual(validateDeployRules([any]), []);
    assert.match(deployRuleWarnings([any]).join("\n"), /rules\[0\] \(endpoint contoso-any-4k9d2\) sets anyModel to true, so every model registered in the workspace/);
    assert.match(deployRuleWarnings([{ models: ["a"], tags: { t: ["Prod", "prod"] }, endpointName: "ep-ok" }]).join(), /repeat a value in another case/);
    assert.deepStrictEqual(deployRuleWarnings(RULES), []);
  });
});

describe("deployRulesToAdvancedFilters", () => {
  it("pushes one rule exactly and several rules as a superset on their common keys", () => {
    assert.deepStrictEqual(deployRulesToAdvancedFilters([RULES[0]]), [
      { operatorType: "StringIn", key: "data.modelName", values: ["sklearn_regression_model"] },
      { operatorType: "StringIn", key: "data.modelTags.type", values: ["regression"] },
      { operatorType: "StringIn", key: "data.modelTags.area", values: ["diabetes"] },
    ]);
    assert.deepStrictEqual(deployRulesToAdvancedFilters(RULES), [
      { operatorType: "StringIn", key: "data.modelName", values: ["sklearn_regression_model", "credit-default"] },
      { operatorType: "StringIn", key: "data.modelTags.type", values: ["regression", "classification"] },
    ]);
    assert.deepStrictEqual(
      deployRulesToAdvancedFilters([{ anyModel: true, tags: { stage: ["production"] }, endpointName: "ep-a" }, RULES[0]]),
      [],
      "a rule for any model: no model-name filter (and no common tag key here)",
    );
    assert.deepStrictEqual(
      deployRulesToAdvancedFilters([
        { models: ["sklearn_regression_model"], tags: { stage: ["production"] }, endpointName: "ep-a" },
        { models: ["sklearn_regression_model"], tags: { team: ["fraud"] }, endpointName: "ep-b" },
      ]),
      [{ operatorType: "StringIn", key: "data.modelName", values: ["sklearn_regression_model"] }],
      "no tag key common to all rules: only the model names are pushed",
    );
    assert.deepStrictEqual(
      deployRulesToAdvancedFilters([
        { models: ["sklearn_regression_model"], tags: { stage: ["Production"] }, endpointName: "ep-a" },
        { models: ["sklearn_regression_model"], tags: { stage: ["production", "staging"] }, endpointName: "ep-b" },
      ]),
      [
        { operatorType: "StringIn", key: "data.modelName", values: ["sklearn_regression_model"] },
        { operatorType: "StringIn", key: "data.modelTags.stage", values: ["Production", "staging"] },
      ],
      "values deduplicated case-insensitively, as Event Grid compares them",
    );
  });

  it("drops the widest filters first to fit the subscription's budget", () => {
    const rule: DeployRule = { models: ["sklearn_regression_model"], tags: { a: ["1", "2", "3"], b: ["x"] }, endpointName: "ep-a" };
    assert.deepStrictEqual(deployRulesToAdvancedFilters([rule], { filters: 25, values: 2 }), [
      { operatorType: "StringIn", key: "data.modelName", values: ["sklearn_regression_model"] },
      { operatorType: "StringIn", key: "data.modelTags.b", values: ["x"] },
    ]);
    assert.deepStrictEqual(deployRulesToAdvancedFilters([rule], { filters: 0, values: 25 }), []);
  });

  it("never filters out an event the rules would deploy; with one rule, passes exactly those", () => {
    // Tag keys in several cases on both sides: Event Grid's filter and the rules must agree on them.
    const tagKey = fc.constantFrom("stage", "Stage", "team", "TYPE", "type");
    const tagValue = fc.constantFrom("prod", "PROD", "staging", "fraud", "churn");
    const models = fc.oneof(fc.constant({ anyModel: true as const }), fc.record({ models: fc.subarray(["sklearn_regression_model", "credit-default", "other"], { minLength: 1 }) }));
    const rule = fc
      .tuple(models, fc.dictionary(tagKey, fc.array(tagValue, { minLength: 1, maxLength: 3 }), { minKeys: 1 }))
      .map(([m, tags]): DeployRule => ({ ...m, tags, endpointName: "ep-test" }))
      .filter((r) => validateDeployRules([r]).length === 0);
    const modelName = fc.constantFrom("sklearn_regression_model", "credit-default", "totally-not-credit-default");
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), fc.dictionary(tagKey, tagValue), modelName, (rules, tags, name) => {
        const base = withTags(tags);
        const event = { ...base, data: { ...(base.data as object), modelName: name } };
        const filter = { includedEventTypes: [AmlEventType.ModelRegistered], advancedFilters: deployRulesToAdvancedFilters(rules) };
        const deploys = planModelDeployment(event, { workspaceId: SAMPLE_WORKSPACE_ID, rules }).action === "deploy";
        const passes = evaluateFilter(filter, event);
        if (deploys && !passes) return false;
        // A model with tags that differ only in case: the handler needs every one to hold (stricter than Event Grid).
        const caseTwins = new Set(Object.keys(tags).map((k) => k.toLowerCase())).size !== Object.keys(tags).length;
        if (rules.length === 1 && !caseTwins && passes !== deploys) return false;
        return true;
      }),
      { numRuns: 400 },
    );
  });
});

describe("ARM helpers", () => {
  it("splits traffic", () => {
    assert.deepStrictEqual(planTraffic({}, "new", 100), { new: 100 });
    assert.deepStrictEqual(planTraffic({}, "new", 20), { new: 100 }, "a lone deployment must carry everything");
    assert.deepStrictEqual(planTraffic({}, "new", 0), { new: 0 });
    assert.deepStrictEqual(planTraffic({ old: 100 }, "new", 100), { new: 100, old: 0 });
    assert.deepStrictEqual(planTraffic({ old: 100 }, "new", 20), { new: 20, old: 80 });
    assert.deepStrictEqual(planTraffic({ a: 50, b: 50 }, "new", 25), { a: 38, b: 37, new: 25 }, "rounding goes to the largest remainder, ties by name");
    assert.deepStrictEqual(planTraffic({ new: 20, old: 80 }, "new", 20), { new: 20, old: 80 }, "idempotent");
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("a", "b", "c", "d"), fc.nat(100)), fc.integer({ min: 1, max: 100 }), (current, p) => {
        const t = planTraffic(current, "new", p);
        return Object.values(t).reduce((n, v) => n + v, 0) === 100 && Object.values(t).every((v) => v >= 0);
      }),
    );
  });

  it("reads model references and compares versions", () => {
    assert.deepStrictEqual(parseModelRef(modelVersionId(SAMPLE_WORKSPACE_ID, "churn", "7")), { name: "churn", version: "7" });
    assert.deepStrictEqual(parseModelRef("azureml:churn:7"), { name: "churn", version: "7" });
    assert.deepStrictEqual(parseModelRef("azureml://registries/r/models/churn/versions/8"), { name: "churn", version: "8" });
    assert.strictEqual(parseModelRef("azureml:churn@latest"), undefined);
    assert.strictEqual(parseModelRef(undefined), undefined);
    assert.ok(compareVersions("10", "9") > 0);
    assert.ok(compareVersions("2", "2") === 0);
    assert.deepStrictEqual(parseWorkspaceId(SAMPLE_WORKSPACE_ID), {
      subscriptionId: "00000000-0000-0000-0000-000000000000",
      resourceGroupName: "rg-ml-platform",
      workspaceName: "mlw-platform",
    });
    assert.strictEqual(parseWorkspaceId("/subscriptions/x/resourceGroups/y"), undefined);
  });

  it("previews the decision and the ARM requests for the sample event", () => {
    const preview = previewDeployment(registered(), { ...opts, location: "westeurope" });
    assert.strictEqual(preview.decision.action, "deploy");
    const base = `https://management.azure.com${SAMPLE_WORKSPACE_ID}/onlineEndpoints/ep-diabetes`;
    assert.deepStrictEqual(
      preview.requests.map((r) => `${r.method} ${r.url}`),
      [
        `GET ${base}?api-version=2022-10-01`,
        `PUT ${base}?api-version=2022-10-01`,
        `GET ${base}/deployments?api-version=2022-10-01`,
        `PUT ${base}/deployments/sklearn-regression-model-v20?api-version=2022-10-01`,
        `GET ${base}/deployments/sklearn-regression-model-v20?api-version=2022-10-01`,
        `GET ${base}?api-version=2022-10-01`,
        `GET ${base}/deployments?api-version=2022-10-01`,
        `PUT ${base}?api-version=2022-10-01`,
        `GET ${base}?api-version=2022-10-01`,
      ],
    );
    assert.deepStrictEqual(preview.requests[3].body, {
      model: `${SAMPLE_WORKSPACE_ID}/models/sklearn_regression_model/versions/20`,
      instanceType: "Standard_DS3_v2",
      instanceCount: 1,
    });
    assert.deepStrictEqual(previewDeployment(sampleEvents()[2], opts).requests, [], "ignored events make no requests");
  });
});
