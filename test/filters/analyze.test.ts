import * as assert from "assert";
import { modelMonitorBreachFilter } from "../../lib/monitoring/breachFilter";
import { AmlEventType } from "../../lib/events";
import {
  advanced,
  allOf,
  analyzeFilter,
  driftCoefficientAtLeast,
  driftMonitorIn,
  eventTypes,
  experimentNameIn,
  FINDING_SEVERITY,
  FindingCode,
  filterErrors,
  modelTagEquals,
  modelTagIn,
  runStatusIn,
  runTypeIn,
  validateFilter,
} from "../../lib/filters";

const { RunCompleted, RunStatusChanged, ModelRegistered, ModelDeployed, DatasetDriftDetected } = AmlEventType;

/** One analyzer case: a filter, the code it must raise, and text the message must contain. */
interface Case {
  readonly name: string;
  readonly filter: unknown;
  readonly code: string;
  readonly message: RegExp;
}

const many = (n: number) => Array.from({ length: n }, (_, i) => advanced.isNotNull(`data.modelTags.t${i}`));

const cases: Case[] = [
  { name: "a filter that is not an object", filter: "RunCompleted", code: FindingCode.InvalidFilter, message: /must be an object, got "RunCompleted"/ },
  { name: "includedEventTypes as a string", filter: { includedEventTypes: RunCompleted }, code: FindingCode.InvalidFilter, message: /includedEventTypes must be a list/ },
  { name: "isSubjectCaseSensitive as a string", filter: { isSubjectCaseSensitive: "true" }, code: FindingCode.InvalidFilter, message: /isSubjectCaseSensitive must be true or false, got "true"/ },
  { name: "a misspelled operator", filter: { advancedFilters: [{ operatorType: "StringEqual", key: "data.runStatus", values: ["failed"] }] }, code: FindingCode.UnknownOperator, message: /advancedFilters\[0\]: operatorType "StringEqual" is not an Event Grid operator; did you mean "StringIn"\?/ },
  { name: "an operator in the wrong case", filter: { advancedFilters: [{ operatorType: "stringin", key: "data.runStatus", values: ["failed"] }] }, code: FindingCode.UnknownOperator, message: /did you mean "StringIn"/ },
  { name: "a key with a doubled dot", filter: { advancedFilters: [{ operatorType: "IsNotNull", key: "data..runStatus" }] }, code: FindingCode.InvalidKey, message: /empty segment/ },
  { name: "a nested key outside data", filter: { advancedFilters: [{ operatorType: "IsNotNull", key: "payload.runStatus" }] }, code: FindingCode.InvalidKey, message: /only data fields can be nested \(e\.g\. data\.runStatus\)/ },
  { name: "a missing key", filter: { advancedFilters: [{ operatorType: "IsNotNull" }] }, code: FindingCode.InvalidKey, message: /needs a string key/ },
  { name: "StringIn without values", filter: { advancedFilters: [{ operatorType: "StringIn", key: "data.runStatus", value: "failed" }] }, code: FindingCode.MissingValues, message: /needs "values".*write "values": \["failed"\]/ },
  { name: "NumberGreaterThan with a values list", filter: { advancedFilters: [{ operatorType: "NumberGreaterThan", key: "data.driftCoefficient", values: [0.5] }] }, code: FindingCode.MissingValues, message: /needs "value": a single number \(it takes one "value", not a "values" list\)/ },
  { name: "an empty values list", filter: { advancedFilters: [{ operatorType: "StringIn", key: "data.runStatus", values: [] }] }, code: FindingCode.MissingValues, message: /empty "values" list/ },
  { name: "a quoted number", filter: { advancedFilters: [{ operatorType: "NumberGreaterThan", key: "data.driftCoefficient", value: "0.5" }] }, code: FindingCode.InvalidValue, message: /got "0\.5" \(write 0\.5 without quotes\)/ },
  { name: "NaN", filter: { advancedFilters: [{ operatorType: "NumberLessThan", key: "data.driftCoefficient", value: NaN }] }, code: FindingCode.InvalidValue, message: /finite number "value", got NaN/ },
  { name: "a number among string values", filter: { advancedFilters: [{ operatorType: "StringIn", key: "data.modelVersion", values: ["1", 2] }] }, code: FindingCode.InvalidValue, message: /values\[1\] must be a string, got 2 \(write "2"\)/ },
  { name: "BoolEquals with a string", filter: { advancedFilters: [{ operatorType: "BoolEquals", key: "data.x", value: "true" }] }, code: FindingCode.InvalidValue, message: /true or false, got "true"/ },
  { name: "a reversed range", filter: { advancedFilters: [{ operatorType: "NumberInRange", key: "data.driftCoefficient", values: [[0.9, 0.5]] }] }, code: FindingCode.InvalidRange, message: /\[0\.9,0\.5\] has low > high; write \[0\.5, 0\.9\]/ },
  { name: "a flat range list", filter: { advancedFilters: [{ operatorType: "NumberNotInRange", key: "data.driftCoefficient", values: [0.5, 0.9] }] }, code: FindingCode.InvalidRange, message: /values\[0\] must be a \[low, high\] pair/ },
  { name: "26 advanced filters", filter: { includedEventTypes: [ModelRegistered], advancedFilters: many(26) }, code: FindingCode.TooManyAdvancedFilters, message: /26 advanced filters, Event Grid allows 25/ },
  { name: "26 values", filter: { advancedFilters: [advanced.stringIn("data.runStatus", ...Array.from({ length: 26 }, (_, i) => `s${i}`))] }, code: FindingCode.TooManyValues, message: /26 values in total, Event Grid allows 25/ },
  { name: "a 513-character value", filter: { advancedFilters: [advanced.stringIn("data.experimentName", "x".repeat(513))] }, code: FindingCode.StringValueTooLong, message: /513 characters .* allows 512/ },
  { name: "RunFailed, which AML does not publish", filter: { includedEventTypes: ["Microsoft.MachineLearningServices.RunFailed"] }, code: FindingCode.UnknownEventType, message: /"Microsoft\.MachineLearningServices\.RunFailed" is not an Azure Machine Learning event type.*use "Microsoft\.MachineLearningServices\.RunStatusChanged" with an advanced filter StringIn data\.runStatus/ },
  { name: "a typo in an AML type", filter: { includedEventTypes: ["Microsoft.MachineLearningServices.ModelRegisterd"] }, code: FindingCode.UnknownEventType, message: /did you mean "Microsoft\.MachineLearningServices\.ModelRegistered"\?/ },
  { name: "a short type name", filter: { includedEventTypes: ["DatasetDriftDetected"] }, code: FindingCode.UnknownEventType, message: /use the full name "Microsoft\.MachineLearningServices\.DatasetDriftDetected"/ },
  { name: "a storage event type", filter: { includedEventTypes: ["Microsoft.Storage.BlobCreated"] }, code: FindingCode.UnknownEventType, message: /"Microsoft\.Storage\.BlobCreated" is not an Azure Machine Learning event type/ },
  { name: "the documented All", filter: { includedEventTypes: ["All"] }, code: FindingCode.AllEventTypes, message: /includedEventTypes\[0\]: "All" delivers every event type the topic publishes/ },
  { name: "an empty type list", filter: { includedEventTypes: [] }, code: FindingCode.EmptyEventTypes, message: /an empty list delivers no event type/ },
  { name: "a leading slash", filter: { includedEventTypes: [ModelRegistered], subjectBeginsWith: "/models/churn" }, code: FindingCode.SubjectLeadingSlash, message: /"\/models\/churn" starts with "\/", but AML subjects have no leading slash/ },
  { name: "the seed's /datadriftID/runs/ for DatasetDriftDetected", filter: { includedEventTypes: [DatasetDriftDetected], subjectBeginsWith: "/datadriftID/runs/" }, code: FindingCode.SubjectNeverMatches, message: /"\/datadriftID\/runs\/" can never match .*DatasetDriftDetected subjects look like datadrift\/\{dataDriftId\}\/run\/\{runId\}.*Even without the leading slash/ },
  { name: "the schema page's placeholder datadrifts/", filter: { includedEventTypes: [DatasetDriftDetected], subjectBeginsWith: "datadrifts/" }, code: FindingCode.SubjectNeverMatches, message: /only "datadrift" starts such a subject.*e\.g\. "datadrift\/"/ },
  { name: "a run prefix on model events", filter: { includedEventTypes: [ModelRegistered, ModelDeployed], subjectBeginsWith: "experiments/" }, code: FindingCode.SubjectNeverMatches, message: /ModelRegistered subjects look like models\/\{modelName\}:\{modelVersion\}.*ModelDeployed subjects look like endpoints\/\{serviceId\}/ },
  { name: "a suffix no subject can end with", filter: { includedEventTypes: [DatasetDriftDetected], subjectEndsWith: "/" }, code: FindingCode.SubjectNeverMatches, message: /subjectEndsWith: "\/" can never match/ },
  { name: "a case-sensitive prefix in the wrong case", filter: { includedEventTypes: [ModelRegistered], subjectBeginsWith: "Models/", isSubjectCaseSensitive: true }, code: FindingCode.SubjectNeverMatches, message: /isSubjectCaseSensitive is true/ },
  { name: "a subject advanced filter with a leading slash", filter: { includedEventTypes: [RunCompleted], advancedFilters: [advanced.stringBeginsWith("Subject", "/experiments/")] }, code: FindingCode.SubjectNeverMatches, message: /advancedFilters\[0\]: StringBeginsWith on subject .*no leading slash/ },
  { name: "a type in another case", filter: { includedEventTypes: [ModelRegistered.toUpperCase()] }, code: FindingCode.EventTypeCase, message: /differs from the event type "Microsoft\.MachineLearningServices\.ModelRegistered" only in case/ },
  { name: "a type listed twice", filter: { includedEventTypes: [RunCompleted, RunCompleted] }, code: FindingCode.DuplicateEventType, message: /listed more than once/ },
  { name: "a misspelled filter property", filter: { subjectBeginWith: "models/" }, code: FindingCode.UnknownFilterProperty, message: /subjectBeginWith: .* did you mean "subjectBeginsWith"\?/ },
  { name: "a key no payload has", filter: { includedEventTypes: [ModelRegistered], advancedFilters: [advanced.stringIn("data.modelStage", "prod")] }, code: FindingCode.UnknownDataKey, message: /"data\.modelStage" is not in the payload of ModelRegistered.*Known data keys: data\.modelName/ },
  { name: "a dotted tag name", filter: { includedEventTypes: [ModelRegistered], advancedFilters: [advanced.stringIn("data.modelTags.team.name", "a")] }, code: FindingCode.UnknownDataKey, message: /cannot escape dots/ },
  { name: "PascalCase from the schema page", filter: { includedEventTypes: [ModelRegistered], advancedFilters: [advanced.stringIn("data.ModelName", "churn")] }, code: FindingCode.DataKeyCase, message: /"data\.ModelName" is spelled "data\.modelName" in real AML events/ },
  { name: "PascalCase tags (the seed's CLI example)", filter: { includedEventTypes: [ModelRegistered], advancedFilters: [advanced.stringIn("data.ModelTags.key1", "value1")] }, code: FindingCode.DataKeyCase, message: /Azure matches it either way per Microsoft's examples.*write "data\.modelTags\.key1"/ },
  { name: "runStatus on every type", filter: { advancedFilters: [advanced.stringIn("data.runStatus", "failed")] }, code: FindingCode.KeyAbsentForType, message: /RunCompleted, ModelRegistered, ModelDeployed, DatasetDriftDetected events have no data\.runStatus.*set includedEventTypes to RunStatusChanged/ },
  { name: "runStatus with RunCompleted, which has none", filter: { includedEventTypes: [RunCompleted, RunStatusChanged], advancedFilters: [advanced.stringIn("data.runStatus", "failed")] }, code: FindingCode.KeyAbsentForType, message: /RunCompleted events have no data\.runStatus.*remove them from includedEventTypes/ },
  { name: "NumberNotInRange on a key some types lack", filter: { includedEventTypes: [DatasetDriftDetected, RunCompleted], advancedFilters: [advanced.numberNotInRange("data.driftCoefficient", [0, 0.3])] }, code: FindingCode.KeyAbsentForType, message: /Microsoft does not document this case for NumberNotInRange/ },
  { name: "StringIn on the tag map itself", filter: { includedEventTypes: [ModelRegistered], advancedFilters: [advanced.stringIn("data.modelTags", "prod")] }, code: FindingCode.OperatorOnObject, message: /data\.modelTags is a map, so StringIn on it never matches; filter on one entry/ },
  { name: "a Number operator on modelVersion", filter: { includedEventTypes: [ModelRegistered], advancedFilters: [advanced.numberGreaterThan("data.modelVersion", 3)] }, code: FindingCode.NumberOperatorOnString, message: /string on the wire \(e\.g\. "3".*never matches\. Use StringIn data\.modelVersion/ },
  { name: "NumberNotIn on modelVersion", filter: { includedEventTypes: [ModelRegistered], advancedFilters: [advanced.numberNotIn("data.modelVersion", 3)] }, code: FindingCode.NumberOperatorOnString, message: /matches every event/ },
  { name: "a Number operator on the subject", filter: { advancedFilters: [advanced.numberIn("subject", 3)] }, code: FindingCode.NumberOperatorOnString, message: /envelope fields are strings/ },
  { name: "a String operator on the drift coefficient", filter: { includedEventTypes: [DatasetDriftDetected], advancedFilters: [advanced.stringBeginsWith("data.driftCoefficient", "0.8")] }, code: FindingCode.StringOperatorOnNumber, message: /which is a number.*Use a Number operator/ },
  { name: "BoolEquals on a string field", filter: { includedEventTypes: [RunCompleted], advancedFilters: [advanced.boolEquals("data.experimentName", true)] }, code: FindingCode.BoolOperatorOnNonBool, message: /not a boolean in any AML payload/ },
  { name: "StringNotIn on runType", filter: { includedEventTypes: [RunCompleted], advancedFilters: [advanced.stringNotIn("data.runType", "azureml.PipelineRun")] }, code: FindingCode.ReliesOnNullSemantics, message: /data\.runType is often null.*Add IsNotNull or IsNullOrUndefined on data\.runType/ },
  { name: "a CloudEvents key", filter: { advancedFilters: [advanced.stringIn("source", "/subscriptions/x")] }, code: FindingCode.UnknownEnvelopeKey, message: /"source" is not an Event Grid schema envelope key.*it is "Topic"/ },
  { name: "a payload field without data.", filter: { includedEventTypes: [ModelRegistered], advancedFilters: [advanced.stringIn("modelName", "churn")] }, code: FindingCode.UnknownEnvelopeKey, message: /need the data\. prefix: "data\.modelName"/ },
  { name: "eventTime", filter: { advancedFilters: [advanced.stringBeginsWith("eventTime", "2024")] }, code: FindingCode.UndocumentedEnvelopeKey, message: /Microsoft documents only ID, Topic, Subject, EventType and DataVersion/ },
  { name: "RunStatusChanged for alerting without a status filter", filter: { includedEventTypes: [RunStatusChanged] }, code: FindingCode.RunStatusChangedWithoutStatusFilter, message: /fires on every status change.*StringIn data\.runStatus \["failed"\]/ },
  { name: "StringContains for a tag value", filter: { includedEventTypes: [ModelRegistered], advancedFilters: [advanced.stringContains("data.modelTags.stage", "prod")] }, code: FindingCode.StringContainsOnTag, message: /"preprod" contains "prod".*use StringIn/ },
];

describe("filters: analyzeFilter", () => {
  for (const c of cases) {
    it(`${c.code}: ${c.name}`, () => {
      const findings = analyzeFilter(c.filter);
      const hit = findings.find((f) => f.code === c.code && c.message.test(f.message));
      assert.ok(hit, `expected ${c.code} matching ${c.message}; got ${JSON.stringify(findings, null, 1)}`);
      assert.strictEqual(hit.severity, FINDING_SEVERITY[c.code as keyof typeof FINDING_SEVERITY]);
      assert.deepStrictEqual(Object.keys(hit).sort(), ["code", "message", "severity"]);
    });
  }

  it("every finding code has a case above, and every code is kebab-case and stable", () => {
    const covered = new Set(cases.map((c) => c.code));
    for (const code of Object.values(FindingCode)) {
      assert.ok(covered.has(code), `no test case raises ${code}`);
      assert.match(code, /^[a-z]+(-[a-z]+)*$/);
    }
    assert.deepStrictEqual(Object.keys(FINDING_SEVERITY).sort(), Object.values(FindingCode).sort());
  });

  it("the seed's prefix is flagged with both the leading slash and the format mismatch; a model prefix is fine", () => {
    const seed = analyzeFilter({ includedEventTypes: [DatasetDriftDetected], subjectBeginsWith: "/datadriftID/runs/" });
    assert.deepStrictEqual(seed.map((f) => f.code), [FindingCode.SubjectLeadingSlash, FindingCode.SubjectNeverMatches]);
    assert.deepStrictEqual(analyzeFilter({ includedEventTypes: [ModelRegistered], subjectBeginsWith: "models/churn:" }), []);
    assert.deepStrictEqual(analyzeFilter({ includedEventTypes: [ModelRegistered], subjectBeginsWith: "models/churn:", subjectEndsWith: ":7" }), []);
    assert.deepStrictEqual(analyzeFilter({ includedEventTypes: [DatasetDriftDetected], subjectBeginsWith: "DataDrift/01d29aa4/run/" }), [], "case-insensitive by default");
    // a prefix that fits one of several included types is fine
    assert.deepStrictEqual(analyzeFilter({ includedEventTypes: [ModelRegistered, DatasetDriftDetected], subjectBeginsWith: "datadrift/" }), []);
    // without the slash the message says it would fit
    const slash = analyzeFilter({ includedEventTypes: [ModelRegistered], subjectBeginsWith: "/models/" });
    assert.match(slash.find((f) => f.code === FindingCode.SubjectNeverMatches)?.message ?? "", /Without the leading slash, "models\/" would fit/);
  });

  it("the builders' filters, with their event types, have no findings", () => {
    const clean = [
      runStatusIn("failed", "canceled"),
      allOf(eventTypes(ModelRegistered), { subjectBeginsWith: "models/churn", advancedFilters: [modelTagEquals("stage", "production"), modelTagIn("team", ["ml", "data"])] }),
      allOf(eventTypes(DatasetDriftDetected), { advancedFilters: [driftCoefficientAtLeast(0.5), driftMonitorIn("sales-monitor")] }),
      allOf(eventTypes(RunCompleted), { advancedFilters: [runTypeIn("azureml.PipelineRun"), experimentNameIn("train")] }),
      { includedEventTypes: [ModelDeployed], subjectBeginsWith: "endpoints/", advancedFilters: [advanced.stringContains("data.modelIds", "churn:")] },
      { advancedFilters: [advanced.stringIn("EventType", ModelRegistered), advanced.stringIn("Topic", "/subscriptions/x"), advanced.stringIn("DataVersion", "2")] },
      // Microsoft's documented model monitoring breach filter: StringContains on the tag's prose.
      modelMonitorBreachFilter({ monitorNames: ["credit-default-monitor"], signalNames: ["data-drift-signal"] }),
      {},
    ];
    for (const f of clean) assert.deepStrictEqual(analyzeFilter(f), [], JSON.stringify(f));
  });

  it("RunStatusChanged listed with RunCompleted still needs the status filter only once; absent types don't warn", () => {
    assert.ok(analyzeFilter({ includedEventTypes: [RunCompleted, RunStatusChanged] }).some((f) => f.code === FindingCode.RunStatusChangedWithoutStatusFilter));
    assert.ok(!analyzeFilter({}).some((f) => f.code === FindingCode.RunStatusChangedWithoutStatusFilter), "a catch-all (e.g. streaming) is fine");
    assert.deepStrictEqual(analyzeFilter({ includedEventTypes: [RunCompleted, ModelRegistered, ModelDeployed, DatasetDriftDetected, RunStatusChanged] }), [], "so is listing all five");
  });

  it("errors come before warnings; filterErrors and validateFilter keep only errors", () => {
    const findings = analyzeFilter({
      includedEventTypes: [ModelRegistered, "Microsoft.MachineLearningServices.RunFailed"],
      advancedFilters: [advanced.numberGreaterThan("data.modelVersion", 3), { operatorType: "StringIn", key: "data.modelName" }],
    });
    const severities = findings.map((f) => f.severity);
    assert.deepStrictEqual(severities, [...severities].sort());
    assert.deepStrictEqual(filterErrors(findings).map((f) => f.code), [FindingCode.MissingValues, FindingCode.UnknownEventType]);
    assert.deepStrictEqual(validateFilter({ includedEventTypes: [] }), [filterErrors(analyzeFilter({ includedEventTypes: [] }))[0].message]);
    assert.deepStrictEqual(validateFilter(runStatusIn("failed")), []);
  });

  it("never throws on arbitrary input", () => {
    for (const junk of [0, [], [1], { advancedFilters: "x" }, { advancedFilters: [null, 1, "s", []] }, { includedEventTypes: [1] }, { subjectBeginsWith: 5 }]) {
      assert.ok(filterErrors(analyzeFilter(junk)).length > 0, JSON.stringify(junk));
    }
    // no filter at all is a subscription to everything
    assert.deepStrictEqual(analyzeFilter(undefined), []);
    assert.deepStrictEqual(analyzeFilter(null), []);
  });
});
