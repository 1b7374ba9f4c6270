import * as assert from "assert";
import {
  actionNestingDepth,
  durationSeconds,
  EVENT_GRID_RESPONSE_SECONDS,
  MAX_NESTING_DEPTH,
  multiVariableInitializers,
  OUTBOUND_REQUEST_TIMEOUT_SECONDS,
  responseBoundSeconds,
  retryWaitsSeconds,
} from "../../lib/workflows";
import { simulateWorkflow } from "../../lib/simulate";
import { workflowVariants } from "./variants";

/** The simulator's structural check (it refuses a definition Logic Apps would refuse): the error text, or "". */
function structureProblems(definition: Parameters<typeof simulateWorkflow>[0]): string {
  try {
    simulateWorkflow(definition, { body: [] }, { parameters: {} });
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

describe("workflows: every variant stays within Logic Apps' definition limits", () => {
  // Learn, "Limits and configuration reference for Azure Logic Apps": actions nesting depth 8; we keep one level free.
  for (const [name, definition] of Object.entries(workflowVariants())) {
    it(`${name}: deepest action at most ${MAX_NESTING_DEPTH}, one variable per InitializeVariable`, () => {
      const depth = actionNestingDepth(definition.actions);
      assert.ok(depth <= MAX_NESTING_DEPTH, `nesting depth ${depth}`);
      assert.ok(depth >= 5, `the handler sits at level 5 (depth ${depth})`);
      assert.deepStrictEqual(multiVariableInitializers(definition.actions), []);
      assert.doesNotMatch(structureProblems(definition), /InitializeVariable|nesting/);
    });
  }

  it("measures depth as Logic Apps counts it: both If branches, Scope, Foreach and Until bodies", () => {
    const leaf = { type: "Compose", inputs: 1, runAfter: {} } as const;
    const nest = (n: number): Record<string, unknown> => (n === 1 ? { leaf } : { [`s${n}`]: { type: "If", expression: "@true", actions: {}, else: { actions: nest(n - 1) }, runAfter: {} } });
    assert.strictEqual(actionNestingDepth(nest(8) as never), 8);
    assert.strictEqual(actionNestingDepth({ u: { type: "Until", expression: "@true", limit: { count: 1, timeout: "PT1M" }, actions: { leaf }, runAfter: {} } }), 2);
  });

  it("the simulator refuses an InitializeVariable that declares two variables, naming the fix", () => {
    const definition = workflowVariants()["legacy drift retrain"];
    const init = { type: "InitializeVariable" as const, inputs: { variables: [{ name: "a", type: "array" as const }, { name: "b", type: "array" as const }] }, runAfter: {} };
    const forged = { ...definition, actions: { Two: init, ...definition.actions } };
    assert.deepStrictEqual(multiVariableInitializers(forged.actions), ["Two"]);
    assert.match(structureProblems(forged), /Two: InitializeVariable declares 2 variables; .*one variable per Initialize variable action: split it/);
  });
});

describe("workflows: every variant answers Event Grid within 30 seconds in the worst case", () => {
  // Learn, "Event Grid message delivery and retry": Event Grid waits 30 seconds for an answer.
  for (const [name, definition] of Object.entries(workflowVariants())) {
    it(`${name}: the computed bound is below ${EVENT_GRID_RESPONSE_SECONDS} s`, () => {
      const bound = responseBoundSeconds(definition);
      assert.ok(bound < EVENT_GRID_RESPONSE_SECONDS, `bound ${bound} s`);
      assert.ok(bound > 1, `bound ${bound} s counts the calls`);
    });
  }

  it("counts Logic Apps' defaults where a call sets none: 5 attempts of 120 s and 4 waits of at most 45 s", () => {
    const call = { type: "Http", inputs: { method: "GET", uri: "https://example.com" }, runAfter: {} } as const;
    assert.strictEqual(responseBoundSeconds({ actions: { call } }), 5 * OUTBOUND_REQUEST_TIMEOUT_SECONDS + 4 * 45);
    const tight = { ...call, inputs: { ...call.inputs, retryPolicy: { type: "fixed" as const, count: 2, interval: "PT3S" } }, limit: { timeout: "PT5S" } };
    assert.strictEqual(responseBoundSeconds({ actions: { tight } }), 3 * 5 + 2 * 3);
    const exp = { ...call, inputs: { ...call.inputs, retryPolicy: { type: "exponential" as const, count: 3, interval: "PT2S" } }, limit: { timeout: "PT1S" } };
    assert.deepStrictEqual(retryWaitsSeconds(exp.inputs.retryPolicy), [4, 8, 16]);
    assert.strictEqual(responseBoundSeconds({ actions: { exp } }), 4 * 1 + 28);
  });

  it("follows runAfter: siblings without an order overlap, a chain adds up", () => {
    const call = (runAfter: Record<string, ["Succeeded"]>) => ({ type: "Http" as const, inputs: { method: "GET" as const, uri: "https://example.com", retryPolicy: { type: "none" as const } }, limit: { timeout: "PT5S" }, runAfter });
    assert.strictEqual(responseBoundSeconds({ actions: { a: call({}), b: call({}), c: call({}) } }), 5);
    assert.strictEqual(responseBoundSeconds({ actions: { a: call({}), b: call({ a: ["Succeeded"] }), c: call({ b: ["Succeeded"] }) } }), 15);
  });

  it("bounds an Until by its count or by its timeout plus one iteration, whichever is less", () => {
    const page = { type: "Http", inputs: { method: "GET", uri: "https://example.com", retryPolicy: { type: "none" as const } }, limit: { timeout: "PT4S" }, runAfter: {} } as const;
    const loop = (count: number, timeout: string): Parameters<typeof responseBoundSeconds>[0] => ({ actions: { u: { type: "Until", expression: "@true", limit: { count, timeout }, actions: { page }, runAfter: {} } } });
    assert.strictEqual(responseBoundSeconds(loop(2, "PT1H")), 8.1);
    assert.strictEqual(responseBoundSeconds(loop(50, "PT8S")), 12.1);
    assert.strictEqual(responseBoundSeconds(loop(50, "PT1H")), 200.1);
  });

  it("refuses durations it cannot read, naming the value", () => {
    assert.strictEqual(durationSeconds("PT1M30S"), 90);
    assert.strictEqual(durationSeconds("P1D"), 86_400);
    for (const bad of ["5s", "PT", "P", "PT-5S", "1 hour"]) assert.throws(() => durationSeconds(bad), new RegExp(`not an ISO 8601 duration: ${JSON.stringify(bad)}`));
  });
});
