/**
 * The retraining workflow for Azure ML model monitoring (v2) breaches: a pure builder on the shared
 * Event Grid skeleton. A breach is a RunStatusChanged of a run tagged `azureml_modelmonitor_threshold_breached`
 * (../monitoring/breachTag.ts), WHATEVER its runStatus: the tagged run (the monitor's threshold-evaluation step) ends
 * Completed, and Microsoft's Event Grid guide filters on the tag alone. For each accepted event the workflow
 *
 * ```
 * Is_expected_event (skeleton: topic is the workspace, type is RunStatusChanged)
 *   ├─ Set_breach_signal (text between the first "The signal '" and the next "'") → Set_breach_run (data.runId)
 *   └─ Is_monitor_breach (tagged AND the tag STARTS with the head around that id AND the id is URL-safe
 *        │                 AND a runId AND the PARSED id is in the monitor/signal scope, compared exactly)
 *        ├─ Read_run_history (every page of queryPipelineRuns, 45 days) → per page:
 *        │     Filter_same_breach_runs (the run's monitor-run parameter is this run id) → Count_same_breach_runs
 *        │     [cool-down] Filter_recent_runs_of_signal (same signal, not Failed/Cancelled, started in the window) → Count_…
 *        │  → Is_new_breach
 *        │       ├─ Start_pipeline_run (createRun with the mapped parameters) → Record_run_id → Remember_monitor…
 *        │       └─ else: Skip_repeated_breach (Compose: the earlier runs)
 *        └─ else: Is_malformed_breach (tagged but unreadable: head not at the start, unsafe id, no run id)
 *                 ├─ Reject_malformed_breach (Compose: why) → 400, dead-lettered
 *                 └─ else: Skip_not_a_breach (Compose: untagged run, or a signal out of scope)
 * ```
 * At most one run per tagged run: every RunStatusChanged of that run (Running → Completed, a redelivery,
 * a later Completed ⇄ Failed change) carries the same run id, which the earlier pipeline run holds as a
 * parameter. Data Factory's `queryPipelineRuns` cannot filter on parameters (REST reference: its filter
 * operands are run fields), so the workflow compares them itself.
 */
import { AmlEventType } from "../events/types";
import { ActionMap, dataFieldExpr, IfAction, literal, rejectEventAction, WorkflowDefinition } from "../workflows";
import { ADF_RUN_HISTORY_HOURS } from "./adf";
import { BREACH_VARIABLES, BreachEventField, breachFieldExpr, breachHeadAtStartExpr, breachTagTextExpr, monitorSignalExpr, safeSignalIdExpr } from "../monitoring/breachFields";
import { BREACH_HEAD_FRAGMENT, breachScope, ModelMonitorSource } from "../monitoring/breachFilter";
import {
  assembleRetrainDefinition,
  COOL_DOWN_IGNORED_STATUSES,
  coolDownMinutes,
  RETRAIN_ACTIONS,
  RETRAIN_PARAMETERS,
  RETRAIN_VARIABLES,
  RetrainVariable,
  startActions,
} from "./definition";
import { RUN_HISTORY_ACTIONS, RUN_PAGE_TOKEN_VARIABLE, RunCounter, runHistoryActions } from "./runHistory";

/** Names of the breach-specific actions. */
export const BREACH_ACTIONS = {
  initializeSignal: "Initialize_breach_signal",
  initializeRun: "Initialize_breach_run",
  initializeSameRuns: "Initialize_same_breach_runs",
  setSignal: "Set_breach_signal",
  setRun: "Set_breach_run",
  check: "Is_monitor_breach",
  resetSameRuns: "Reset_same_breach_runs",
  filterSame: "Filter_same_breach_runs",
  countSame: "Count_same_breach_runs",
  filterRecent: "Filter_recent_runs_of_signal",
  countRecent: "Count_recent_runs_of_signal",
  newCheck: "Is_new_breach",
  skipRepeated: "Skip_repeated_breach",
  malformedCheck: "Is_malformed_breach",
  rejectMalformed: "Reject_malformed_breach",
  markRejected: "Mark_breach_rejected",
  skipNotBreach: "Skip_not_a_breach",
} as const;

/** The integer variable counting earlier pipeline runs started for the same monitor run. */
export const SAME_BREACH_RUNS_VARIABLE = "sameBreachRunCount";

/** Options of {@link buildBreachRetrainDefinition} (plain values, known at construction). */
export interface BreachRetrainDefinitionOptions {
  /** Pipeline parameter name → breach field. */
  readonly mapping: Readonly<Record<string, BreachEventField>>;
  /** Which monitors and signals retrain. @default - every breach */
  readonly monitor?: ModelMonitorSource;
  /** The pipeline parameter mapped from `runId` (the monitor run): how a repeated breach is recognised. */
  readonly runIdParameter: string;
  /** Cool-down per signal: hours, and the pipeline parameter mapped from `monitorSignal`. @default - none */
  readonly coolDown?: { readonly hours: number; readonly parameter: string };
  /** Pipeline parameters with fixed values added to every run (e.g. the retrained model). @default {} */
  readonly literalParameters?: Readonly<Record<string, string>>;
}

const signal = `variables(${literal(BREACH_VARIABLES.signal)})`;
const runId = `variables(${literal(BREACH_VARIABLES.runId)})`;
const itemParameter = (name: string): string => `toLower(string(item()?['parameters']?[${literal(name)}]))`;

/** Conjunction (without `@`) of the parts, or the single part. */
function all(parts: readonly string[]): string {
  return parts.length === 1 ? parts[0] : `and(${parts.join(", ")})`;
}

/** The condition (without `@`) that the run carries a breach tag (the documented head fragment), whatever its status. */
export function breachTaggedExpr(): string {
  return `contains(toLower(${breachTagTextExpr()}), ${literal(BREACH_HEAD_FRAGMENT.toLowerCase())})`;
}

/** The condition (without `@`) that the PARSED signal id is in the trigger's scope, or undefined for every signal. */
export function breachScopeExpr(monitor: ModelMonitorSource = {}): string | undefined {
  const scope = breachScope(monitor);
  const id = `toLower(${signal})`;
  const anyOf = (parts: string[]): string => (parts.length === 1 ? parts[0] : `or(${parts.join(", ")})`);
  switch (scope.kind) {
    case "any":
      return undefined;
    case "exact":
      return `contains(createArray(${scope.values.map(literal).join(", ")}), ${id})`;
    case "prefix":
      return anyOf(scope.values.map((v) => `and(startsWith(${id}, ${literal(v)}), greater(length(${id}), ${v.length}))`));
    case "suffix":
      return anyOf(scope.values.map((v) => `and(endsWith(${id}, ${literal(v)}), greater(length(${id}), ${v.length}))`));
    default: {
      const never: never = scope;
      throw new Error(`unknown breach scope ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The condition (without `@`) that the breach is readable: the tag starts with the documented head
 * around the parsed id, the id is URL-safe with a `_`, and the event names its run.
 */
export const READABLE_BREACH_EXPR = `and(${breachHeadAtStartExpr(signal, BREACH_HEAD_FRAGMENT)}, ${safeSignalIdExpr(signal)}, not(empty(${runId})))`;

/** The condition (without `@`) that the event is a readable breach of a listed monitor/signal: what retrains. */
export function retrainableBreachExpr(monitor: ModelMonitorSource = {}): string {
  const scope = breachScopeExpr(monitor);
  return all([breachTaggedExpr(), READABLE_BREACH_EXPR, ...(scope === undefined ? [] : [scope])]);
}

function runCounters(options: BreachRetrainDefinitionOptions): RunCounter[] {
  const counters: RunCounter[] = [
    {
      variable: SAME_BREACH_RUNS_VARIABLE,
      resetAction: BREACH_ACTIONS.resetSameRuns,
      filterAction: BREACH_ACTIONS.filterSame,
      countAction: BREACH_ACTIONS.countSame,
      where: `@equals(${itemParameter(options.runIdParameter)}, toLower(${runId}))`,
    },
  ];
  if (options.coolDown) {
    const since = `ticks(getPastTime(${coolDownMinutes(options.coolDown.hours)}, 'Minute'))`;
    const started = `ticks(string(coalesce(item()?['runStart'], item()?['lastUpdated'], '1970-01-01T00:00:00Z')))`;
    const ignored = `createArray(${COOL_DOWN_IGNORED_STATUSES.map((st) => literal(st.toLowerCase())).join(", ")})`;
    counters.push({
      variable: RETRAIN_VARIABLES.recentRuns,
      resetAction: RETRAIN_ACTIONS.resetRecentRuns,
      filterAction: BREACH_ACTIONS.filterRecent,
      countAction: BREACH_ACTIONS.countRecent,
      where: `@and(equals(${itemParameter(options.coolDown.parameter)}, toLower(${signal})), not(contains(${ignored}, toLower(string(item()?['status'])))), greaterOrEquals(${started}, ${since}))`,
    });
  }
  return counters;
}

function newBreachCheck(options: BreachRetrainDefinitionOptions): IfAction {
  const same = `variables(${literal(SAME_BREACH_RUNS_VARIABLE)})`;
  const recent = `variables(${literal(RETRAIN_VARIABLES.recentRuns)})`;
  const started = `variables(${literal(RETRAIN_VARIABLES.startedMonitors)})`;
  const body = { ...Object.fromEntries(Object.entries(options.mapping).map(([param, field]) => [param, `@${breachFieldExpr(field)}`])), ...options.literalParameters };
  const cooling = options.coolDown ? `within the last ${options.coolDown.hours} hours (cool-down)` : "";
  return {
    type: "If",
    expression: `@${all([
      `equals(${same}, 0)`,
      `not(contains(${started}, toLower(${runId})))`,
      ...(options.coolDown ? [`equals(${recent}, 0)`, `not(contains(${started}, toLower(${signal})))`] : []),
    ])}`,
    // No in-action retry of createRun: a retry after a lost answer could start a second run. A failed
    // createRun fails the event (429/503), Event Grid redelivers, and the next attempt finds the run.
    actions: startActions(body, options.coolDown ? [runId, signal] : [runId], { type: "none" }),
    else: {
      actions: {
        [BREACH_ACTIONS.skipRepeated]: {
          type: "Compose",
          inputs: {
            reason: options.coolDown
              ? `@if(equals(${same}, 0), ${literal(`a run for this signal started ${cooling}`)}, 'this breach (monitor run) already started a pipeline run')`
              : "this breach (monitor run) already started a pipeline run",
            monitorSignal: `@${signal}`,
            monitorRunId: `@${runId}`,
            sameBreachRunCount: `@${same}`,
            ...(options.coolDown ? { recentRunCount: `@${recent}` } : {}),
          },
          runAfter: {},
        },
      },
    },
    runAfter: { [RUN_HISTORY_ACTIONS.incomplete]: ["Succeeded"] },
  };
}

function notABreach(): IfAction {
  const status = `string(${dataFieldExpr("runStatus")})`;
  return {
    type: "If",
    expression: `@and(${breachTaggedExpr()}, not(${READABLE_BREACH_EXPR}))`,
    actions: {
      [BREACH_ACTIONS.rejectMalformed]: {
        type: "Compose",
        inputs: {
          reason:
            "the breach tag does not start with \"The signal '<monitor>_<signal>' has failed due to …\" naming a signal id of letters, digits, '-', '_', '.', '~', " +
            "or the event has no runId: it can never be handled (a malformed or forged tag)",
          monitorSignal: `@if(${safeSignalIdExpr(signal)}, ${signal}, '')`,
          monitorRunId: `@${runId}`,
        },
        runAfter: {},
      },
      // Permanent: the workflow answers 400 and Event Grid dead-letters the event at once.
      [BREACH_ACTIONS.markRejected]: rejectEventAction({ [BREACH_ACTIONS.rejectMalformed]: ["Succeeded"] }),
    },
    else: {
      actions: {
        [BREACH_ACTIONS.skipNotBreach]: {
          type: "Compose",
          inputs: {
            reason: `@if(not(${breachTaggedExpr()}), 'the run carries no model monitor breach tag (an ordinary run)', 'a breach of a monitor or signal this trigger does not listen to')`,
            monitorSignal: `@if(${safeSignalIdExpr(signal)}, ${signal}, '')`,
            runStatus: `@${status}`,
            experimentName: `@${dataFieldExpr("experimentName")}`,
          },
          runAfter: {},
        },
      },
    },
    runAfter: {},
  };
}

function breachHandler(options: BreachRetrainDefinitionOptions): ActionMap {
  const windowHours = Math.max(ADF_RUN_HISTORY_HOURS, options.coolDown?.hours ?? 0);
  const history = runHistoryActions({
    windowMinutes: coolDownMinutes(windowHours),
    queryUriParameter: RETRAIN_PARAMETERS.queryPipelineRunsUri,
    pipelineNameParameter: RETRAIN_PARAMETERS.pipelineName,
    counters: runCounters(options),
  });
  return {
    [BREACH_ACTIONS.setSignal]: { type: "SetVariable", inputs: { name: BREACH_VARIABLES.signal, value: `@{${monitorSignalExpr()}}` }, runAfter: {} },
    [BREACH_ACTIONS.setRun]: {
      type: "SetVariable",
      inputs: { name: BREACH_VARIABLES.runId, value: `@{coalesce(${dataFieldExpr("runId")}, '')}` },
      runAfter: { [BREACH_ACTIONS.setSignal]: ["Succeeded"] },
    },
    [BREACH_ACTIONS.check]: {
      type: "If",
      expression: `@${retrainableBreachExpr(options.monitor)}`,
      actions: { ...history, [BREACH_ACTIONS.newCheck]: newBreachCheck(options) },
      else: { actions: { [BREACH_ACTIONS.malformedCheck]: notABreach() } },
      runAfter: { [BREACH_ACTIONS.setRun]: ["Succeeded"] },
    },
  };
}

/**
 * Builds the model monitoring (v2) breach retraining workflow definition (pure; plain values only),
 * with the same parameters and `runIds` output as the legacy drift definition.
 */
export function buildBreachRetrainDefinition(options: BreachRetrainDefinitionOptions): WorkflowDefinition {
  const variables: RetrainVariable[] = [
    [RETRAIN_ACTIONS.initializeRunIds, RETRAIN_VARIABLES.runIds, "array"],
    [RETRAIN_ACTIONS.initializeStartedMonitors, RETRAIN_VARIABLES.startedMonitors, "array"],
    [BREACH_ACTIONS.initializeSameRuns, SAME_BREACH_RUNS_VARIABLE, "integer"],
    ...(options.coolDown ? [[RETRAIN_ACTIONS.initializeRecentRuns, RETRAIN_VARIABLES.recentRuns, "integer"] as const] : []),
    [RETRAIN_ACTIONS.initializePageToken, RUN_PAGE_TOKEN_VARIABLE, "string"],
    [BREACH_ACTIONS.initializeSignal, BREACH_VARIABLES.signal, "string"],
    [BREACH_ACTIONS.initializeRun, BREACH_VARIABLES.runId, "string"],
  ];
  return assembleRetrainDefinition({
    handledEventTypes: [AmlEventType.RunStatusChanged],
    handler: breachHandler(options),
    variables,
    who: "buildBreachRetrainDefinition",
  });
}
