/**
 * The loop back to deployment: what a successful retraining registers travels with every pipeline run
 * as two literal parameters, and the offline plan turns it into the ModelRegistered event that follows.
 */
import { AmlEventType, EventGridEvent } from "../events/types";
import type { AdfParameterSpec } from "./adf";
import type { RetrainedModel } from "./types";

/** Pipeline parameters carrying the retrained model. */
export const RETRAINED_MODEL_PARAMETERS = { name: "retrainedModelName", tags: "retrainedModelTags" } as const;

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;
const show = (v: unknown): string => (v === undefined ? "undefined" : JSON.stringify(v));

/** Problems with `retrainedModel` and with parameter names it would collide with; empty when usable. */
export function retrainedModelProblems(model: RetrainedModel | undefined, mappedParameters: readonly string[]): string[] {
  if (model === undefined) return [];
  if (model === null || typeof model !== "object") return [`retrainedModel ${show(model)} is not an object; pass {name, tags?}.`];
  const problems: string[] = [];
  if (typeof model.name !== "string" || !MODEL_NAME.test(model.name)) {
    problems.push(`retrainedModel.name ${show(model.name)} is not a model name; use 1-255 letters, digits, '-', '_' and '.', starting with a letter or digit.`);
  }
  for (const [key, value] of Object.entries(model.tags ?? {})) {
    if (key.trim() === "" || typeof value !== "string") {
      problems.push(`retrainedModel.tags.${key || "''"} ${show(value)}: tags are non-empty names with string values.`);
    } else if (`${key}${value}`.includes("@{")) {
      // The workflow definition language would read "@{" as an expression.
      problems.push(`retrainedModel.tags.${key} ${show(value)} contains "@{", which Logic Apps reads as an expression; remove it.`);
    }
  }
  for (const p of Object.values(RETRAINED_MODEL_PARAMETERS)) {
    if (mappedParameters.includes(p)) problems.push(`parameterMapping.${p} collides with the parameter retrainedModel sets; rename the mapped parameter.`);
  }
  return problems;
}

/**
 * The createRun body entries for the retrained model (literal values; empty without one). The tags' JSON has
 * its keys sorted, so a program in any language writes the same text (a map from Python, Go or YAML reaches
 * the component with its keys sorted; a TypeScript object literal keeps its own order).
 */
export function retrainedModelRunParameters(model: RetrainedModel | undefined): Record<string, string> {
  if (model === undefined) return {};
  const tags = Object.fromEntries(Object.entries(model.tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { [RETRAINED_MODEL_PARAMETERS.name]: model.name, [RETRAINED_MODEL_PARAMETERS.tags]: JSON.stringify(tags) };
}

/** The pipeline parameter declarations for the retrained model (empty without one). */
export function retrainedModelParameterSpecs(model: RetrainedModel | undefined): Record<string, AdfParameterSpec> {
  if (model === undefined) return {};
  return { [RETRAINED_MODEL_PARAMETERS.name]: { type: "String" }, [RETRAINED_MODEL_PARAMETERS.tags]: { type: "String" } };
}

/**
 * The ModelRegistered event that follows a run started with `runParameters`, when they carry a retrained
 * model (undefined otherwise). The version is unknown until the job registers it, so it reads `next`.
 */
export function followingModelRegistered(runParameters: unknown, cause: EventGridEvent): EventGridEvent | undefined {
  if (runParameters === null || typeof runParameters !== "object") return undefined;
  const p = runParameters as Record<string, unknown>;
  const name = p[RETRAINED_MODEL_PARAMETERS.name];
  if (typeof name !== "string") return undefined;
  let tags: unknown = {};
  try {
    tags = JSON.parse(String(p[RETRAINED_MODEL_PARAMETERS.tags] ?? "{}"));
  } catch {
    tags = {};
  }
  return {
    topic: cause.topic,
    subject: `models/${name}:next`,
    eventType: AmlEventType.ModelRegistered,
    eventTime: cause.eventTime,
    id: `${cause.id}-retrained-model`,
    data: { modelName: name, modelVersion: "next", modelTags: tags, modelProperties: { retrainedAfter: cause.id } },
    dataVersion: "2",
    metadataVersion: "1",
  };
}
