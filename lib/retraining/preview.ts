import { EventGridEvent } from "../events/types";
import { isObject, SimulatedHttpResponse, simulateWorkflow, SimulationResult } from "../simulate";
import { DriftRetrainWorkflow, RETRAIN_ACTIONS } from "./definition";

/** The `createRun` request the workflow makes for an event: method, URL, body and authentication. */
export interface RetrainCallPreview {
  /** Always `POST`. */
  readonly method: string;
  /** The pipeline's createRun URL. */
  readonly uri: string;
  /** Request headers. */
  readonly headers?: Readonly<Record<string, unknown>>;
  /** The bare pipeline parameters object. */
  readonly body: unknown;
  /** `{type: "ManagedServiceIdentity", audience: "https://management.azure.com/"}`. */
  readonly authentication: unknown;
}

/** A pipeline run Data Factory reports from `queryPipelineRuns` (the fields the cool-down reads). */
export interface RecentPipelineRun {
  /** The run's id. */
  readonly runId: string;
  /** The pipeline's name. */
  readonly pipelineName: string;
  /** Run status, e.g. `InProgress`, `Succeeded`. */
  readonly status: string;
  /** The run's parameters (Data Factory reports values as strings). */
  readonly parameters: Readonly<Record<string, string>>;
  /** When the run started (ISO 8601); the breach cool-down compares it with its window. @default - `lastUpdated` */
  readonly runStart?: string;
  /** When the run was last updated (ISO 8601). @default - none */
  readonly lastUpdated?: string;
}

/** Options of {@link previewRetrainCall}. */
export interface PreviewRetrainOptions {
  /** The clock for `utcNow()`. @default the event's time */
  readonly now?: string;
  /** What `queryPipelineRuns` answers (already filtered by pipeline, status and window, as Data Factory would). @default [] */
  readonly recentRuns?: readonly RecentPipelineRun[];
  /**
   * The same, split into pages: each query gets the next page and a `continuationToken` while more
   * pages remain (as Data Factory pages). Takes precedence over `recentRuns`. @default - one page, `recentRuns`
   */
  readonly runPages?: readonly (readonly RecentPipelineRun[])[];
  /** The run id `createRun` answers. @default "00000000-0000-0000-0000-000000000000" */
  readonly runId?: string;
}

/** What the simulated workflow run did with a delivery. */
export interface RetrainSimulation {
  /** Every createRun request made, in order. */
  readonly calls: readonly RetrainCallPreview[];
  /** The workflow run's `runIds` output. */
  readonly runIds: readonly unknown[];
  /** The full simulation (actions, response, variables). */
  readonly result: SimulationResult;
}

/** The run id the preview's simulated Data Factory answers by default. */
export const PREVIEW_RUN_ID = "00000000-0000-0000-0000-000000000000";

/** The page `queryPipelineRuns` answers for a request: the page its continuation token names, and the next token. */
function runPage(options: PreviewRetrainOptions, inputs: unknown): { value: readonly RecentPipelineRun[]; continuationToken?: string } {
  const pages = options.runPages ?? [options.recentRuns ?? []];
  const body = isObject(inputs) && isObject(inputs.body) ? inputs.body : {};
  const token = typeof body.continuationToken === "string" ? body.continuationToken : undefined;
  const index = token === undefined ? 0 : Number(token.replace(/^page-/, ""));
  const value = pages[index] ?? [];
  return index + 1 < pages.length ? { value, continuationToken: `page-${index + 1}` } : { value };
}

/**
 * Runs the deployed workflow definition in the simulator against one Event Grid delivery and
 * returns the createRun requests it makes. Data Factory is answered offline: `queryPipelineRuns` with
 * `options.recentRuns`, `createRun` with `{runId}`.
 */
export function simulateRetrain(workflow: DriftRetrainWorkflow, events: readonly EventGridEvent[], options: PreviewRetrainOptions = {}): RetrainSimulation {
  const now = options.now ?? events[0]?.eventTime;
  const result = simulateWorkflow(
    workflow.definition,
    { headers: { "aeg-event-type": "Notification", "Content-Type": "application/json" }, body: events },
    {
      parameters: workflow.parameters,
      ...(now !== undefined ? { now } : {}),
      httpResponses: (actionName, inputs): SimulatedHttpResponse => {
        if (actionName === RETRAIN_ACTIONS.queryRuns) return { statusCode: 200, body: runPage(options, inputs) };
        if (actionName === RETRAIN_ACTIONS.start) return { statusCode: 200, body: { runId: options.runId ?? PREVIEW_RUN_ID } };
        return { statusCode: 200, body: {} };
      },
    },
  );
  const calls = result.actions
    .filter((a) => a.name === RETRAIN_ACTIONS.start && a.status !== "Skipped" && isObject(a.inputs))
    .map((a): RetrainCallPreview => {
      const inputs = a.inputs as Record<string, unknown>;
      return {
        method: String(inputs.method),
        uri: String(inputs.uri),
        ...(isObject(inputs.headers) ? { headers: inputs.headers } : {}),
        body: inputs.body,
        authentication: inputs.authentication,
      };
    });
  const runIds = Array.isArray(result.outputs?.runIds) ? (result.outputs?.runIds as unknown[]) : [];
  return { calls, runIds, result };
}

/**
 * The exact createRun request the deployed workflow would make for `event` (method, URL, body,
 * authentication), computed by simulating the workflow definition; undefined when the workflow would
 * not start a run (foreign workspace, monitor not listed, coefficient below the minimum, cool-down).
 */
export function previewRetrainCall(workflow: DriftRetrainWorkflow, event: EventGridEvent, options: PreviewRetrainOptions = {}): RetrainCallPreview | undefined {
  return simulateRetrain(workflow, [event], options).calls[0];
}
