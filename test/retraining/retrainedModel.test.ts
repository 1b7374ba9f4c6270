import * as assert from "assert";
import { monitoringSampleEvents, SAMPLE_WORKSPACE_ID } from "../../lib/events";
import { planModelDeployment } from "../../lib/deployment/decision";
import { unreachedRetrainedModel } from "../../lib/composite/mlEventWorkflows";
import {
  buildBreachRetrainDefinition,
  createRunUrl,
  followingModelRegistered,
  previewRetrainCall,
  queryPipelineRunsUrl,
  retrainedModelProblems,
  retrainedModelRunParameters,
  validateDriftRetrainTriggerArgs,
  workflowParameterValues,
} from "../../lib/retraining";
import { DEFAULT_BREACH_MAPPING } from "../../lib/monitoring/breachFields";
import type { WorkspaceEvents } from "../../lib/workspace";

const FACTORY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.DataFactory/factories/adf-platform";
const MODEL = { name: "credit-default", tags: { type: "classification", trigger: "model-monitor-breach" } };
const RULES = [
  { models: ["sklearn_regression_model"], tags: { type: ["regression"] }, endpointName: "ep-regression", instanceType: "Standard_DS3_v2", instanceCount: 1, trafficPercent: 100 },
  { models: ["credit-default"], tags: { type: ["classification"] }, endpointName: "ep-classification", instanceType: "Standard_DS3_v2", instanceCount: 1, trafficPercent: 100 },
];

describe("retraining: the retrained model closes the loop to deployment", () => {
  const [breach] = monitoringSampleEvents();

  it("every breach run carries the retrained model's name and tags as literal pipeline parameters", () => {
    const workflow = {
      definition: buildBreachRetrainDefinition({ mapping: DEFAULT_BREACH_MAPPING, runIdParameter: "monitorRunId", literalParameters: retrainedModelRunParameters(MODEL) }),
      parameters: workflowParameterValues({ workspaceId: SAMPLE_WORKSPACE_ID, createRunUri: createRunUrl(FACTORY, "p"), queryPipelineRunsUri: queryPipelineRunsUrl(FACTORY), pipelineName: "p" }),
    };
    const body = previewRetrainCall(workflow, breach)?.body as Record<string, unknown>;
    assert.strictEqual(body.retrainedModelName, "credit-default");
    // Keys sorted: a program in any language writes the same text (maps from Python, Go and YAML arrive sorted).
    assert.strictEqual(body.retrainedModelTags, '{"trigger":"model-monitor-breach","type":"classification"}');
    assert.strictEqual(body.monitorSignal, "credit-default-monitor_data-drift-signal");
  });

  it("the run's parameters become the ModelRegistered event that follows, which the matching deployer rule deploys", () => {
    const next = followingModelRegistered(retrainedModelRunParameters(MODEL), breach);
    assert.ok(next);
    assert.deepStrictEqual([next.eventType, next.subject, next.topic], ["Microsoft.MachineLearningServices.ModelRegistered", "models/credit-default:next", breach.topic]);
    const decision = planModelDeployment(next, { workspaceId: SAMPLE_WORKSPACE_ID, rules: RULES });
    assert.deepStrictEqual(decision.action === "deploy" ? [decision.endpointName, decision.modelName] : decision, ["ep-classification", "credit-default"]);
    assert.strictEqual(followingModelRegistered({ monitorSignal: "x" }, breach), undefined, "no retrained model declared, no follow-up");
  });

  it("the composite warns when no deployer rule would deploy the retrained model, and not when one does", () => {
    const retrain = { modelMonitor: {}, existingPipeline: { factoryId: FACTORY, pipelineName: "p" } };
    assert.strictEqual(unreachedRetrainedModel("platform", { retrain: { ...retrain, retrainedModel: MODEL }, deployer: { rules: RULES } }), undefined);
    const warning = unreachedRetrainedModel("platform", { retrain: { ...retrain, retrainedModel: { name: "credit-default", tags: { type: "ranking" } } }, deployer: { rules: RULES } });
    assert.match(String(warning), /^MlEventWorkflows\("platform"\): retrain\.retrainedModel credit-default with tags \{"type":"ranking"\} matches no deployer rule/);
    assert.strictEqual(unreachedRetrainedModel("platform", { retrain: { ...retrain, retrainedModel: MODEL } }), undefined, "no deployer: nothing to check");
  });

  it("bad retrained models are refused at construction with the argument, the value and the fix", () => {
    assert.deepStrictEqual(retrainedModelProblems(MODEL, ["monitorRunId"]), []);
    const cases: [unknown, readonly string[], RegExp][] = [
      [{ name: "credit default" }, [], /retrainedModel\.name "credit default" is not a model name; use 1-255 letters/],
      [{ name: "m", tags: { owner: "@{guid()}" } }, [], /retrainedModel\.tags\.owner "@\{guid\(\)\}" contains "@\{", which Logic Apps reads as an expression/],
      [{ name: "m", tags: { stage: 3 } }, [], /retrainedModel\.tags\.stage 3: tags are non-empty names with string values/],
      [MODEL, ["retrainedModelName"], /parameterMapping\.retrainedModelName collides with the parameter retrainedModel sets/],
    ];
    for (const [model, mapped, message] of cases) {
      const problems = retrainedModelProblems(model as typeof MODEL, mapped);
      assert.strictEqual(problems.length, 1, JSON.stringify(problems));
      assert.match(problems[0], message);
    }
    const viaArgs = validateDriftRetrainTriggerArgs({
      events: {} as WorkspaceEvents,
      modelMonitor: {},
      retrainedModel: { name: "" },
      existingPipeline: { factoryId: FACTORY, pipelineName: "p" },
    });
    assert.deepStrictEqual(viaArgs.length, 1);
  });
});
