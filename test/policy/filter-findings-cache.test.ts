/**
 * The filter policies share one analysis per filter content (policy/policies/filter-findings.ts). These
 * tests check that sharing never changes a finding: contents that differ only in a value's type, -0,
 * NaN, key order or array holes are analysed separately, a value unknown during preview still reaches
 * the analysis itself, and the whole pack gives the same violations as analysing each filter directly.
 */
import * as assert from "assert";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Policies } from "@pulumi/policy";
import { analyzeFilter, Finding } from "../../lib/filters";
import { analyzeWithPack, checkResources, POLICY_PACK_NAME, POLICY_PACK_VERSION, policies, UNKNOWN_VALUE } from "../../policy/api";
import { errorsOf, warningsOf } from "../../policy/policies/filter-findings";
import { unknownCheckingProxy, UnknownValueError } from "../../policy/sdk";
import { badStack } from "./bad-stack";
import { analyzeRequest } from "./engine-rpc";
import { goodStack, subscription } from "./fixtures";

type AnalyzeRpc = (call: { request: analyzerpb.AnalyzeRequest }, callback: (err: unknown, resp?: analyzerpb.AnalyzeResponse) => void) => void;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server: { makeAnalyzeRpcFun(name: string, version: string, level: string, policies: Policies): AnalyzeRpc } = require("@pulumi/policy/server");

const direct = (filter: unknown): { errors: Finding[]; warnings: Finding[] } => {
  const all = analyzeFilter(filter);
  return { errors: all.filter((f) => f.severity === "error"), warnings: all.filter((f) => f.severity === "warning") };
};
const shared = (filter: unknown): { errors: Finding[]; warnings: Finding[] } => ({ errors: errorsOf(filter, "rest").concat(errorsOf(filter, ["too-many-advanced-filters", "too-many-values", "string-value-too-long", "unknown-event-type", "empty-event-types", "subject-leading-slash", "subject-never-matches"])), warnings: warningsOf(filter, []) });
const codes = (fs: readonly Finding[]): string[] => fs.map((f) => `${f.code}:${f.message}`).sort();

/** Pairs of filters that a careless key (JSON.stringify, key sorting) would confuse. */
const LOOKALIKES: readonly (readonly [string, unknown, unknown])[] = [
  ["a number and the same digits as a string", { advancedFilters: [{ key: "data.x", operatorType: "NumberIn", values: [5] }] }, { advancedFilters: [{ key: "data.x", operatorType: "NumberIn", values: ["5"] }] }],
  ["NaN and null", { advancedFilters: [{ key: "data.x", operatorType: "NumberGreaterThan", value: NaN }] }, { advancedFilters: [{ key: "data.x", operatorType: "NumberGreaterThan", value: null }] }],
  ["-0 and 0", { advancedFilters: [{ key: "data.x", operatorType: "NumberIn", values: [-0] }] }, { advancedFilters: [{ key: "data.x", operatorType: "NumberIn", values: [0] }] }],
  ["a boolean and its text", { isSubjectCaseSensitive: true }, { isSubjectCaseSensitive: "true" }],
  ["null and undefined in a list", { includedEventTypes: [null, "Microsoft.MachineLearningServices.RunCompleted"] }, { includedEventTypes: [undefined, "Microsoft.MachineLearningServices.RunCompleted"] }],
  ["keys in another order", { subjectEndsWith: "x", subjectBeginsWith: "/bad", unknownA: 1, unknownB: 2 }, { unknownB: 2, unknownA: 1, subjectBeginsWith: "/bad", subjectEndsWith: "x" }],
  ["a nested array and an object with index keys", { advancedFilters: [["a"]] }, { advancedFilters: [{ 0: "a" }] }],
];

describe("filter policies: one analysis per filter content", () => {
  for (const [what, a, b] of LOOKALIKES) {
    it(`tells apart ${what}`, () => {
      // Analyse both, in both orders, through the proxy as the engine hands them over: each keeps its own findings.
      for (const [x, y] of [[a, b], [b, a]]) {
        for (const filter of [x, y, x]) {
          const got = shared(unknownCheckingProxy(structuredClone({ filter })).filter);
          const want = direct(structuredClone(filter));
          assert.deepStrictEqual(codes(got.errors), codes(want.errors), `errors of ${JSON.stringify(filter)}`);
          assert.deepStrictEqual(codes(got.warnings), codes(want.warnings), `warnings of ${JSON.stringify(filter)}`);
        }
      }
    });
  }

  it("still lets the analysis read a value unknown during preview (the policy reports it), every time", () => {
    const filter = { includedEventTypes: ["Microsoft.MachineLearningServices.RunCompleted"], advancedFilters: [{ key: "data.runStatus", operatorType: "StringIn", values: [UNKNOWN_VALUE] }] };
    for (let i = 0; i < 3; i++) {
      const proxied = unknownCheckingProxy({ filter: structuredClone(filter) }).filter;
      assert.throws(() => errorsOf(proxied, "rest"), (e: unknown) => e instanceof UnknownValueError);
      assert.throws(() => analyzeFilter(unknownCheckingProxy({ filter: structuredClone(filter) }).filter), (e: unknown) => e instanceof UnknownValueError);
    }
  });

  it("analyses a filter holding something other than data (a class instance, a function) directly", () => {
    class Odd {
      readonly key = "data.x";
    }
    for (const filter of [{ advancedFilters: [new Odd()] }, { advancedFilters: [() => "x"] }, { subjectBeginsWith: Symbol("s") }]) {
      assert.deepStrictEqual(codes(shared(filter).errors), codes(direct(filter).errors));
    }
  });

  it("stays right past the cache's size (more distinct filters than it keeps)", () => {
    for (let i = 0; i < 1100; i++) {
      const filter = { subjectBeginsWith: i % 2 === 0 ? `/models/m${i}` : `models/m${i}`, includedEventTypes: ["Microsoft.MachineLearningServices.ModelRegistered"] };
      assert.deepStrictEqual(codes(shared(filter).errors), codes(direct(filter).errors), JSON.stringify(filter));
    }
  });

  it("gives the whole pack the violations it gives each filter alone, whatever else the stack holds", async () => {
    const bad = { includedEventTypes: ["Microsoft.MachineLearningServices.RunCompletd"], subjectBeginsWith: "/runs" };
    const alone = await checkResources([subscription("only", { filter: bad })]);
    const crowded = await checkResources([
      subscription("first", { filter: { ...bad } }),
      subscription("other", { filter: { includedEventTypes: ["Microsoft.MachineLearningServices.RunCompleted"] } }),
      subscription("only", { filter: { ...bad } }),
    ]);
    const of = (vs: typeof alone, name: string) => vs.filter((v) => v.resourceName === name).map((v) => `${v.policyName}|${v.message}`);
    assert.ok(of(alone, "only").length > 0, "the misspelt filter must be reported");
    assert.deepStrictEqual(of(crowded, "only"), of(alone, "only"));
    assert.deepStrictEqual(of(crowded, "first"), of(alone, "only").map((m) => m.replace(/\bonly\b/g, "first")));
  });
});

describe("harness: typed validations of another type are skipped", () => {
  it("reports per resource exactly the not-applicable entries of @pulumi/policy's own analyzer", async () => {
    const analyze = server.makeAnalyzeRpcFun(POLICY_PACK_NAME, POLICY_PACK_VERSION, "advisory", policies);
    const stack = [...goodStack(), ...badStack()];
    let compared = 0;
    for (const r of stack) {
      // One resource at a time: the two fixture stacks share names. Stack policies' entries carry no resource name.
      const ours = (await analyzeWithPack([r])).notApplicable;
      const resp = await new Promise<analyzerpb.AnalyzeResponse>((resolve, reject) => analyze({ request: analyzeRequest(r) }, (err, out) => (err ? reject(err) : resolve(out as analyzerpb.AnalyzeResponse))));
      const sdk = resp.getNotApplicableList().map((n) => `${n.getPolicyName()}|${n.getReason()}`);
      const mine = ours.filter((n) => n.resourceName !== undefined).map((n) => `${n.policyName}|${n.reason}`);
      assert.deepStrictEqual(mine, sdk, `not-applicable entries of ${r.type} ${r.name}`);
      compared += sdk.length;
    }
    assert.ok(compared > 500, `only ${compared} entries compared`);
  });
});
