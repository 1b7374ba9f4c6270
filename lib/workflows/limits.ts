/**
 * Definition limits of Azure Logic Apps that every workflow we build stays within, measured from the
 * definition (pure). Source: Microsoft Learn, "Limits and configuration reference for Azure Logic Apps",
 * definition limits ("Actions nesting depth: 8"); we keep one level of headroom ({@link MAX_NESTING_DEPTH}).
 */
import { ActionMap } from "./types";

/** The deepest action nesting our workflows may reach: Logic Apps allows 8; we keep one level free. */
export const MAX_NESTING_DEPTH = 7;

/** The actions directly inside an action: an `If`'s both branches, a Scope's, a Foreach's or an Until's body. */
export function childActionMaps(action: unknown): ActionMap[] {
  if (typeof action !== "object" || action === null) return [];
  const a = action as { actions?: ActionMap; else?: { actions?: ActionMap } };
  return [a.actions, a.else?.actions].filter((x): x is ActionMap => x !== undefined && typeof x === "object");
}

/** The deepest nesting of actions in an action map: an action at the top level is at depth 1. */
export function actionNestingDepth(actions: ActionMap): number {
  let deepest = 0;
  for (const a of Object.values(actions)) deepest = Math.max(deepest, 1 + Math.max(0, ...childActionMaps(a).map(actionNestingDepth)));
  return deepest;
}

/** Names of the InitializeVariable actions that declare other than exactly one variable (Logic Apps creates one per action). */
export function multiVariableInitializers(actions: ActionMap): string[] {
  const out: string[] = [];
  for (const [name, a] of Object.entries(actions)) {
    if (a.type === "InitializeVariable" && a.inputs.variables.length !== 1) out.push(name);
    for (const inner of childActionMaps(a)) out.push(...multiVariableInitializers(inner));
  }
  return out;
}
