/**
 * The worst-case time each declared Logic App workflow takes to answer Event Grid, computed from its
 * definition (lib/workflows/responseBound.ts), for the terminal summary and plan.json.
 */
import { ActionMap, EVENT_GRID_RESPONSE_SECONDS, responseBoundSeconds } from "../workflows";
import { MockedResource } from "./mocks";

/** One workflow's bound. */
export interface WorkflowResponseTime {
  /** The workflow resource's name in the program. */
  readonly workflow: string;
  /** Worst-case seconds before it answers a delivery. */
  readonly boundSeconds: number;
  /** True when the bound is below Event Grid's 30-second wait. */
  readonly withinEventGridWait: boolean;
}

function actionsOf(resource: MockedResource): ActionMap | undefined {
  const definition = resource.inputs.definition;
  if (typeof definition !== "object" || definition === null) return undefined;
  const actions = (definition as { actions?: unknown }).actions;
  return typeof actions === "object" && actions !== null ? (actions as ActionMap) : undefined;
}

/** The bound of every declared workflow whose definition is known at plan time, in declaration order. */
export function workflowResponseTimes(raw: readonly MockedResource[]): WorkflowResponseTime[] {
  const out: WorkflowResponseTime[] = [];
  for (const r of raw) {
    if (r.type !== "azure-native:logic:Workflow") continue;
    const actions = actionsOf(r);
    if (actions === undefined) continue;
    try {
      const boundSeconds = responseBoundSeconds({ actions });
      out.push({ workflow: r.name, boundSeconds, withinEventGridWait: boundSeconds < EVENT_GRID_RESPONSE_SECONDS });
    } catch {
      continue; // a hand-written definition the bound cannot read (e.g. an unknown retry type): not ours to judge here
    }
  }
  return out;
}

/** The terminal section: one line per workflow. */
export function responseTimesSection(times: readonly WorkflowResponseTime[]): string {
  if (times.length === 0) return "";
  const lines = times.map(
    (t) => `    ${t.withinEventGridWait ? "✓" : "✗"} ${t.workflow}: answers within ${t.boundSeconds} s (Event Grid waits ${EVENT_GRID_RESPONSE_SECONDS} s, then delivers again)`,
  );
  return [`Workflow answer times, worst case from retry policies and timeouts (${times.length})`, ...lines].join("\n");
}
