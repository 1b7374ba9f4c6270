import * as assert from "assert";
import { actionNestingDepth, MAX_NESTING_DEPTH, multiVariableInitializers } from "../../lib/workflows";
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
