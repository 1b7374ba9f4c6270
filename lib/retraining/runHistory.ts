/**
 * Reading a pipeline's recent runs from Data Factory inside the retraining workflow, across every page.
 * `queryPipelineRuns` answers a page of runs and a `continuationToken` while more remain
 * (Microsoft Learn, Data Factory REST "Pipeline Runs - Query By Factory"); it cannot filter on run
 * parameters, so the workflow looks at each run itself. Shape:
 * ```
 * Reset_run_page_token, Reset_… (token = '', the per-event counters = 0)
 * Read_run_history (Until the token is '', at most MAX_RUN_PAGES pages and RUN_HISTORY_TIMEOUT)
 *   ├─ Query_recent_runs   (POST queryPipelineRuns, managed identity, the token when there is one)
 *   ├─ Filter_… → Count_…  (per counter: Filter array of the page's runs, then add how many matched)
 *   └─ Set_next_page       (token = the answer's continuationToken, or '')
 * Is_history_incomplete (If a token is left: pages remain after the bound)
 *   └─ Fail_incomplete_history (an expression that fails on purpose, naming why)
 * ```
 * The bounds keep the workflow's answer within Event Grid's 30 seconds (lib/workflows/responseBound.ts):
 * each page call has {@link RUN_PAGE_TIMEOUT} and no in-action retry, the loop {@link RUN_HISTORY_TIMEOUT}.
 * When the loop stops with pages left (a timeout, or more than MAX_RUN_PAGES pages), the history is
 * incomplete and a decision on it could start a duplicate run, so the event FAILS: the workflow answers
 * 503, Event Grid delivers it again on its retry schedule and dead-letters it after its last attempt.
 * Logic Apps has no "fail" action usable inside a loop (Terminate is not allowed in Foreach), hence the
 * deliberately failing expression.
 * Filter array and a counter instead of a Foreach with an If keep the workflows within Logic Apps'
 * "allowed nesting depth for actions: 8" (Microsoft Learn, "Limits and configuration for Azure Logic
 * Apps", definition limits).
 */
import { ActionMap, ARM_AUDIENCE, JsonValue, literal, managedIdentityHttpAction, WorkflowAction } from "../workflows";

/** At most this many pages are read per event; Logic Apps' Until needs a bound, and a pipeline with more runs in its window is misconfigured. */
export const MAX_RUN_PAGES = 50;
/** Time limit of one page call (no in-action retry: Event Grid's redelivery is the retry). */
export const RUN_PAGE_TIMEOUT = "PT4S";
/** Time limit of the whole paging loop. */
export const RUN_HISTORY_TIMEOUT = "PT8S";

/** Names of the run-history actions. */
export const RUN_HISTORY_ACTIONS = {
  resetToken: "Reset_run_page_token",
  read: "Read_run_history",
  query: "Query_recent_runs",
  nextPage: "Set_next_page",
  incomplete: "Is_history_incomplete",
  failIncomplete: "Fail_incomplete_history",
} as const;

/** The string variable holding the next page's continuation token (`''` when there is none). */
export const RUN_PAGE_TOKEN_VARIABLE = "runPageToken";

/** Options of {@link runHistoryActions}. */
export interface RunHistoryOptions {
  /** How far back to read, in whole minutes (`lastUpdatedAfter = getPastTime(minutes)`). */
  readonly windowMinutes: number;
  /** The definition parameter holding the queryPipelineRuns URL. */
  readonly queryUriParameter: string;
  /** The definition parameter holding the pipeline's name. */
  readonly pipelineNameParameter: string;
  /** Run statuses Data Factory should leave out (`Status NotIn …`). @default - every status */
  readonly ignoredStatuses?: readonly string[];
  /** What to count across every page: runs for which `where` (with `item()` the run) holds. */
  readonly counters: readonly RunCounter[];
}

/** A count of the runs that match a condition, kept in an integer variable. */
export interface RunCounter {
  /** The integer variable (initialized by the caller at the top level). */
  readonly variable: string;
  /** The action that zeroes it before reading. */
  readonly resetAction: string;
  /** The Filter array action of each page. */
  readonly filterAction: string;
  /** The action that adds each page's matches. */
  readonly countAction: string;
  /** The condition, with `@`, reading the run as `item()`. */
  readonly where: string;
}

function queryBody(options: RunHistoryOptions): JsonValue {
  const token = `variables(${literal(RUN_PAGE_TOKEN_VARIABLE)})`;
  return {
    lastUpdatedAfter: `@{getPastTime(${options.windowMinutes}, 'Minute')}`,
    lastUpdatedBefore: "@{utcNow()}",
    filters: [
      { operand: "PipelineName", operator: "Equals", values: [`@{parameters(${literal(options.pipelineNameParameter)})}`] },
      ...(options.ignoredStatuses !== undefined ? [{ operand: "Status", operator: "NotIn", values: [...options.ignoredStatuses] }] : []),
    ],
    orderBy: [{ orderBy: "RunStart", order: "DESC" }],
    continuationToken: `@if(empty(${token}), null, ${token})`,
  };
}

function pageActions(options: RunHistoryOptions): ActionMap {
  const page = `@coalesce(body(${literal(RUN_HISTORY_ACTIONS.query)})?['value'], json('[]'))`;
  const actions: Record<string, WorkflowAction> = {
    [RUN_HISTORY_ACTIONS.query]: managedIdentityHttpAction({
      method: "POST",
      uri: `@parameters(${literal(options.queryUriParameter)})`,
      audience: ARM_AUDIENCE,
      headers: { "Content-Type": "application/json" },
      body: queryBody(options),
      retryPolicy: { type: "none" },
      timeout: RUN_PAGE_TIMEOUT,
    }),
  };
  let previous: string = RUN_HISTORY_ACTIONS.query;
  for (const c of options.counters) {
    actions[c.filterAction] = { type: "Query", inputs: { from: page, where: c.where }, runAfter: { [previous]: ["Succeeded"] } };
    actions[c.countAction] = {
      type: "IncrementVariable",
      inputs: { name: c.variable, value: `@length(body(${literal(c.filterAction)}))` },
      runAfter: { [c.filterAction]: ["Succeeded"] },
    };
    previous = c.countAction;
  }
  actions[RUN_HISTORY_ACTIONS.nextPage] = {
    type: "SetVariable",
    inputs: { name: RUN_PAGE_TOKEN_VARIABLE, value: `@{coalesce(body(${literal(RUN_HISTORY_ACTIONS.query)})?['continuationToken'], '')}` },
    runAfter: { [previous]: ["Succeeded"] },
  };
  return actions;
}

/**
 * The actions that read every page of the pipeline's runs in the window and run `perRun` for each.
 * Returns the actions in order; the last one is {@link RUN_HISTORY_ACTIONS.incomplete}, which the caller's
 * next action runs after. A failed query fails the Until, and with it the event's handling.
 */
export function runHistoryActions(options: RunHistoryOptions): ActionMap {
  const resets: [string, WorkflowAction][] = [
    [RUN_HISTORY_ACTIONS.resetToken, { type: "SetVariable", inputs: { name: RUN_PAGE_TOKEN_VARIABLE, value: "" }, runAfter: {} }],
    ...options.counters.map((c): [string, WorkflowAction] => [c.resetAction, { type: "SetVariable", inputs: { name: c.variable, value: 0 }, runAfter: {} }]),
  ];
  const actions: Record<string, WorkflowAction> = {};
  let previous: string | undefined;
  for (const [name, action] of resets) {
    actions[name] = { ...action, runAfter: previous === undefined ? {} : { [previous]: ["Succeeded"] } };
    previous = name;
  }
  actions[RUN_HISTORY_ACTIONS.read] = {
    type: "Until",
    expression: `@equals(variables(${literal(RUN_PAGE_TOKEN_VARIABLE)}), '')`,
    limit: { count: MAX_RUN_PAGES, timeout: RUN_HISTORY_TIMEOUT },
    actions: pageActions(options),
    runAfter: previous === undefined ? {} : { [previous]: ["Succeeded"] },
  };
  actions[RUN_HISTORY_ACTIONS.incomplete] = {
    type: "If",
    expression: `@not(equals(variables(${literal(RUN_PAGE_TOKEN_VARIABLE)}), ''))`,
    actions: {
      [RUN_HISTORY_ACTIONS.failIncomplete]: {
        type: "Compose",
        inputs: `@json('run history incomplete: pages remained after ${MAX_RUN_PAGES} pages or ${RUN_HISTORY_TIMEOUT}; failing so Event Grid delivers the event again')`,
        runAfter: {},
      },
    },
    runAfter: { [RUN_HISTORY_ACTIONS.read]: ["Succeeded"] },
  };
  return actions;
}
