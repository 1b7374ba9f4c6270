/**
 * Every Data Factory expression our pipelines hold calls each function with the number of arguments
 * ADF documents ("Expressions and functions in Azure Data Factory and Azure Synapse Analytics", function
 * reference). ADF is stricter than Logic Apps: `or` and `and` take exactly two arguments — users report
 * "function 'or' does not accept 3 argument(s)" (MicrosoftDocs/azure-docs#55549).
 */
import * as assert from "assert";
import { batchRetrainPipelineActivities, BatchRetrainOptions, JSON_STRING_ESCAPES, previewBatchInvocation, retrainPipelineActivities } from "../../lib/retraining";
import { parseTemplate, templateExpressions, walk } from "../../lib/simulate/expression";

/** Documented arity (min, max) of the ADF functions our pipelines use. */
const ADF_ARITY: Readonly<Record<string, readonly [number, number]>> = {
  and: [2, 2],
  or: [2, 2],
  not: [1, 1],
  equals: [2, 2],
  if: [3, 3],
  concat: [1, Infinity],
  replace: [3, 3],
  string: [1, 1],
  contains: [2, 2],
  createarray: [1, Infinity],
  variables: [1, 1],
  activity: [1, 1],
  pipeline: [0, 0],
  last: [1, 1],
  split: [2, 2],
  uricomponent: [1, 1],
  coalesce: [1, Infinity],
};

/** Every string value under `value` that is an ADF expression (starts with `@`). */
function expressions(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string" && value.startsWith("@")) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => expressions(v, out));
  else if (typeof value === "object" && value !== null) Object.values(value).forEach((v) => expressions(v, out));
  return out;
}

function arityProblems(expression: string): string[] {
  const problems: string[] = [];
  for (const root of templateExpressions(parseTemplate(expression))) {
    walk(root, (n) => {
      if (n.kind !== "call") return;
      const arity = ADF_ARITY[n.name.toLowerCase()];
      if (arity === undefined) problems.push(`${n.name}: not in the audited ADF function table`);
      else if (n.args.length < arity[0] || n.args.length > arity[1]) problems.push(`${n.name} called with ${n.args.length} argument(s), ADF documents ${arity[0]}..${arity[1]}`);
    });
  }
  return problems;
}

const OPTIONS: BatchRetrainOptions = {
  endpoint: { endpointName: "retrain-ep", region: "westeurope", deploymentName: "v3", experimentName: "retrain-on-breach" },
  inputs: { monitor_signal: "monitorSignal", breach_event_id: "breachEventId", monitor_run_id: "monitorRunId" },
  workspaceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws-ml",
};

describe("retraining: ADF expressions call functions at their documented arity", () => {
  it("the batch endpoint pipeline (invoke body, poll loop, outcome) and the legacy copy + ML pipeline", () => {
    const batch = expressions(batchRetrainPipelineActivities(OPTIONS).activities);
    const legacy = expressions(
      retrainPipelineActivities({
        copy: { sourceDatasetName: "in", sinkDatasetName: "out", format: "DelimitedText", sourceParameters: { folder: "monitorSignal" }, sinkParameters: { folder: "monitorRunId" } },
        ml: { linkedServiceName: "aml", target: { mlPipelineId: "5adc0a4f-e025-04a5-86f0-9a4fcbb241f9" }, experimentName: "retrain", parameters: { signal: "monitorSignal", run: "monitorRunId" } },
      }),
    );
    assert.ok(batch.length >= 5, `found ${batch.length} expressions`);
    assert.deepStrictEqual([...batch, ...legacy].flatMap((e) => arityProblems(e).map((p) => `${p} in ${e.slice(0, 80)}`)), []);
  });

  it("the audit catches the three-argument or it exists for", () => {
    assert.deepStrictEqual(arityProblems("@or(equals(1, 1), equals(1, 2), equals(1, 3))"), ["or called with 3 argument(s), ADF documents 2..2"]);
  });
});

describe("retraining: batch invocation body survives every control character, quote and backslash", () => {
  it("escapes U+0000–U+001F, '\"' and '\\\\' (RFC 8259 §7), so the body is one JSON document with the values intact", () => {
    assert.strictEqual(JSON_STRING_ESCAPES.length, 34);
    const all = Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)).join("");
    const nasty = { monitorSignal: `a"b\\c${all}'end`, breachEventId: "\b\f", monitorRunId: '"},"x":{"y":"' };
    const preview = previewBatchInvocation(OPTIONS, nasty);
    const inputs = (preview.json as { properties: { InputData: Record<string, { Value: unknown }> } }).properties.InputData;
    assert.deepStrictEqual(
      Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.Value])),
      { monitor_signal: nasty.monitorSignal, breach_event_id: nasty.breachEventId, monitor_run_id: nasty.monitorRunId },
    );
  });
});
