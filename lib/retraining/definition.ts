/**
 * The legacy drift-retraining workflow definition, and the pieces it shares with the model monitoring
 * (v2) breach definition (breachDefinition.ts): a pure builder on top of the shared Event Grid skeleton
 * (lib/workflows). For each accepted DatasetDriftDetected event the workflow
 *
 * ```
 * Is_expected_event (skeleton: topic is the workspace, type is DatasetDriftDetected)
 *   └─ Is_retrain_wanted (If monitor name in the list, ignoring case, AND coefficient ≥ minimum) — only when filters are set
 *        ├─ [cool-down] Reset_… → Read_run_history (every page of ADF queryPipelineRuns, runHistory.ts:
 *        │      Filter_recent_runs → Count_recent_runs) → Is_outside_cool_down
 *        │         ├─ Start_pipeline_run (ADF createRun, managed identity) → Record_run_id → Remember_monitor
 *        │         └─ else: Skip_cool_down (Compose: why)
 *        ├─ [no cool-down] Start_pipeline_run → Record_run_id
 *        └─ else: Skip_below_threshold (Compose: why)
 * ```
 * The started runs' ids are the workflow run's `runIds` output. Both payload casings are read
 * (`coalesce(…['driftCoefficient'], …['DriftCoefficient'])`).
 */
import { AmlEventType } from "../events/types";
import {
  ActionMap,
  ARM_AUDIENCE,
  assertValidTemplates,
  dataFieldExpr,
  EVENT_TRIGGER_NAME,
  eventExpr,
  EVENT_CALL_TIMEOUT,
  eventGridDefinition,
  literal,
  managedIdentityHttpAction,
  ManagedIdentityHttpActionArgs,
  oneOfIgnoringCase,
  SKELETON_ACTIONS,
  WORKSPACE_PARAMETER,
  WorkflowAction,
  WorkflowDefinition,
} from "../workflows";
import { DriftEventField, isDriftDataField } from "./driftFields";
import { RUN_HISTORY_ACTIONS, RUN_PAGE_TOKEN_VARIABLE, runHistoryActions } from "./runHistory";

/** The Request trigger's name (what the Event Grid subscription's callback URL points at). */
export const DRIFT_TRIGGER_NAME = EVENT_TRIGGER_NAME;

/** Definition parameters the component sets from resource outputs. */
export const RETRAIN_PARAMETERS = {
  workspaceId: WORKSPACE_PARAMETER,
  createRunUri: "createRunUri",
  queryPipelineRunsUri: "queryPipelineRunsUri",
  pipelineName: "pipelineName",
} as const;

/** Workflow variables of the retraining definition. */
export const RETRAIN_VARIABLES = {
  runIds: "retrainRunIds",
  startedMonitors: "startedMonitorKeys",
  recentRuns: "recentRunCount",
} as const;

/** Names of the retraining-specific actions. */
export const RETRAIN_ACTIONS = {
  initializeRunIds: "Initialize_retrain_run_ids",
  initializeStartedMonitors: "Initialize_started_monitors",
  initializeRecentRuns: "Initialize_recent_runs",
  initializePageToken: "Initialize_run_page_token",
  check: "Is_retrain_wanted",
  skipThreshold: "Skip_below_threshold",
  resetRecentRuns: "Reset_recent_runs",
  queryRuns: RUN_HISTORY_ACTIONS.query,
  readRuns: RUN_HISTORY_ACTIONS.read,
  filterRecent: "Filter_recent_runs",
  countRecent: "Count_recent_runs",
  coolDownCheck: "Is_outside_cool_down",
  skipCoolDown: "Skip_cool_down",
  start: "Start_pipeline_run",
  recordRunId: "Record_run_id",
  rememberMonitor: "Remember_monitor",
} as const;

/** Run statuses that do not count against the cool-down: a failed or cancelled run may be retried by the next drift. */
export const COOL_DOWN_IGNORED_STATUSES = ["Failed", "Cancelled"] as const;

/** Options of {@link buildDriftRetrainDefinition} (plain values, known at construction). */
export interface DriftRetrainDefinitionOptions {
  /** Pipeline parameter name → event field. */
  readonly mapping: Readonly<Record<string, DriftEventField>>;
  /** Monitor names accepted (case-insensitive). @default - every monitor */
  readonly driftMonitorNames?: readonly string[];
  /** Minimum drift coefficient. @default - any */
  readonly minimumDriftCoefficient?: number;
  /** Cool-down: hours, and the pipeline parameter that identifies the monitor. @default - none */
  readonly coolDown?: { readonly hours: number; readonly parameter: string };
  /** Pipeline parameters with fixed values added to every run (e.g. the retrained model). @default {} */
  readonly literalParameters?: Readonly<Record<string, string>>;
}

/** The expression (without `@`) reading an event field, both casings for `data` fields. */
export function eventFieldExpr(field: DriftEventField): string {
  return isDriftDataField(field) ? dataFieldExpr(field) : eventExpr([field]);
}

/** The createRun body: the bare parameters object, one single expression per parameter (keeps JSON types). */
export function createRunBody(mapping: Readonly<Record<string, DriftEventField>>): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).map(([param, field]) => [param, `@${eventFieldExpr(field)}`]));
}

/** The condition (without `@`) that the monitor and coefficient filters pass, or undefined when there are none. */
export function retrainConditionExpr(options: Pick<DriftRetrainDefinitionOptions, "driftMonitorNames" | "minimumDriftCoefficient">): string | undefined {
  const parts: string[] = [];
  if (options.driftMonitorNames !== undefined) {
    parts.push(oneOfIgnoringCase(options.driftMonitorNames, dataFieldExpr("dataDriftName")));
  }
  if (options.minimumDriftCoefficient !== undefined) {
    // A missing coefficient reads as -1 and never passes (as Event Grid treats a missing key).
    const coefficient = `coalesce(${dataFieldExpr("driftCoefficient")}, -1)`;
    parts.push(`greaterOrEquals(float(${coefficient}), ${formatNumber(options.minimumDriftCoefficient)})`);
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `and(${parts.join(", ")})`;
}

function formatNumber(n: number): string {
  const text = String(n);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** The cool-down window in whole minutes (at least 1), as `getPastTime` takes an integer. */
export function coolDownMinutes(hours: number): number {
  return Math.max(1, Math.round(hours * 60));
}

/**
 * Start_pipeline_run (createRun with `body`) → Record_run_id, then one Remember action per value in
 * `remember` (appended lower-cased to the started-keys variable, so a batch starts at most one run per key).
 */
export function startActions(
  body: Readonly<Record<string, string>>,
  remember: readonly string[] = [],
  retryPolicy: ManagedIdentityHttpActionArgs["retryPolicy"] = { type: "none" },
): Record<string, WorkflowAction> {
  const actions: Record<string, WorkflowAction> = {
    [RETRAIN_ACTIONS.start]: managedIdentityHttpAction({
      method: "POST",
      uri: `@parameters(${literal(RETRAIN_PARAMETERS.createRunUri)})`,
      audience: ARM_AUDIENCE,
      headers: { "Content-Type": "application/json" },
      body,
      retryPolicy,
      timeout: EVENT_CALL_TIMEOUT,
    }),
    [RETRAIN_ACTIONS.recordRunId]: {
      type: "AppendToArrayVariable",
      inputs: { name: RETRAIN_VARIABLES.runIds, value: `@body(${literal(RETRAIN_ACTIONS.start)})?['runId']` },
      runAfter: { [RETRAIN_ACTIONS.start]: ["Succeeded"] },
    },
  };
  let previous: string = RETRAIN_ACTIONS.recordRunId;
  remember.forEach((value, i) => {
    const name = i === 0 ? RETRAIN_ACTIONS.rememberMonitor : `${RETRAIN_ACTIONS.rememberMonitor}_${i + 1}`;
    actions[name] = {
      type: "AppendToArrayVariable",
      inputs: { name: RETRAIN_VARIABLES.startedMonitors, value: `@toLower(string(${value}))` },
      runAfter: { [previous]: ["Succeeded"] },
    };
    previous = name;
  });
  return actions;
}

function coolDownActions(options: DriftRetrainDefinitionOptions & { readonly coolDown: { readonly hours: number; readonly parameter: string } }): ActionMap {
  const { hours, parameter } = options.coolDown;
  const key = eventFieldExpr(options.mapping[parameter]);
  const history = runHistoryActions({
    windowMinutes: coolDownMinutes(hours),
    queryUriParameter: RETRAIN_PARAMETERS.queryPipelineRunsUri,
    pipelineNameParameter: RETRAIN_PARAMETERS.pipelineName,
    ignoredStatuses: COOL_DOWN_IGNORED_STATUSES,
    counters: [
      {
        variable: RETRAIN_VARIABLES.recentRuns,
        resetAction: RETRAIN_ACTIONS.resetRecentRuns,
        filterAction: RETRAIN_ACTIONS.filterRecent,
        countAction: RETRAIN_ACTIONS.countRecent,
        where: `@equals(toLower(string(item()?['parameters']?[${literal(parameter)}])), toLower(string(${key})))`,
      },
    ],
  });
  return {
    ...history,
    [RETRAIN_ACTIONS.coolDownCheck]: {
      type: "If",
      expression:
        `@and(equals(variables(${literal(RETRAIN_VARIABLES.recentRuns)}), 0), ` +
        `not(contains(variables(${literal(RETRAIN_VARIABLES.startedMonitors)}), toLower(string(${key})))))`,
      // With a cool-down the next delivery finds a run whose answer was lost: no in-action retry.
      actions: startActions({ ...createRunBody(options.mapping), ...options.literalParameters }, [key], { type: "none" }),
      else: {
        actions: {
          [RETRAIN_ACTIONS.skipCoolDown]: {
            type: "Compose",
            inputs: {
              reason: `a run of this drift monitor started within the last ${hours} hours (cool-down)`,
              monitor: `@${key}`,
              recentRunCount: `@variables(${literal(RETRAIN_VARIABLES.recentRuns)})`,
            },
            runAfter: {},
          },
        },
      },
      runAfter: { [RUN_HISTORY_ACTIONS.incomplete]: ["Succeeded"] },
    },
  };
}

function driftHandler(options: DriftRetrainDefinitionOptions): ActionMap {
  const retrain: ActionMap = options.coolDown ? coolDownActions({ ...options, coolDown: options.coolDown }) : startActions({ ...createRunBody(options.mapping), ...options.literalParameters });
  const condition = retrainConditionExpr(options);
  if (condition === undefined) return retrain;
  return {
    [RETRAIN_ACTIONS.check]: {
      type: "If",
      expression: `@${condition}`,
      actions: retrain,
      else: {
        actions: {
          [RETRAIN_ACTIONS.skipThreshold]: {
            type: "Compose",
            inputs: {
              reason: "the drift monitor is not one that retrains, or the drift coefficient is below the minimum",
              dataDriftName: `@${dataFieldExpr("dataDriftName")}`,
              driftCoefficient: `@${dataFieldExpr("driftCoefficient")}`,
            },
            runAfter: {},
          },
        },
      },
      runAfter: {},
    },
  };
}

/**
 * Builds the legacy (DatasetDriftDetected) retraining workflow definition (pure; plain values only).
 * Resource ids reach it through definition parameters (`workspaceId`, `createRunUri`,
 * `queryPipelineRunsUri`, `pipelineName`), so the definition itself is known at construction and
 * can be simulated offline.
 */
export function buildDriftRetrainDefinition(options: DriftRetrainDefinitionOptions): WorkflowDefinition {
  return assembleRetrainDefinition({
    handledEventTypes: [AmlEventType.DatasetDriftDetected],
    handler: driftHandler(options),
    variables: [
      [RETRAIN_ACTIONS.initializeRunIds, RETRAIN_VARIABLES.runIds, "array"],
      ...(options.coolDown
        ? ([
            [RETRAIN_ACTIONS.initializeStartedMonitors, RETRAIN_VARIABLES.startedMonitors, "array"],
            [RETRAIN_ACTIONS.initializeRecentRuns, RETRAIN_VARIABLES.recentRuns, "integer"],
            [RETRAIN_ACTIONS.initializePageToken, RUN_PAGE_TOKEN_VARIABLE, "string"],
          ] as const)
        : []),
    ],
    who: "buildDriftRetrainDefinition",
  });
}

/** A workflow variable the retraining definitions initialize: the initializing action, the variable, its type. */
export type RetrainVariable = readonly [action: string, variable: string, type: "array" | "string" | "integer"];

/** Arguments of {@link assembleRetrainDefinition}. */
export interface AssembleRetrainArgs {
  /** Event types the workflow handles. */
  readonly handledEventTypes: readonly string[];
  /** The per-event handler. */
  readonly handler: ActionMap;
  /** Variables initialized after the skeleton's own, in order. */
  readonly variables: readonly RetrainVariable[];
  /** Who builds it (for template errors). */
  readonly who: string;
}

/** The shared Event Grid skeleton with the retraining parameters, variables and the `runIds` output. */
export function assembleRetrainDefinition(args: AssembleRetrainArgs): WorkflowDefinition {
  const base = eventGridDefinition({
    handledEventTypes: args.handledEventTypes,
    handler: args.handler,
    parameters: {
      [RETRAIN_PARAMETERS.createRunUri]: { type: "String", metadata: { description: "Data Factory createRun URL of the retraining pipeline." } },
      [RETRAIN_PARAMETERS.queryPipelineRunsUri]: { type: "String", metadata: { description: "Data Factory queryPipelineRuns URL of the factory (cool-down and repeated breaches)." } },
      [RETRAIN_PARAMETERS.pipelineName]: { type: "String", metadata: { description: "Name of the retraining pipeline." } },
    },
  });
  // Extra variables: initialized after the skeleton's own, before the handshake.
  const actions: Record<string, WorkflowAction> = {};
  for (const [name, action] of Object.entries(base.actions)) if (action.type === "InitializeVariable") actions[name] = action;
  let previous: string = SKELETON_ACTIONS.initializeRejected;
  for (const [action, variable, type] of args.variables) {
    actions[action] = {
      type: "InitializeVariable",
      inputs: { variables: [{ name: variable, type, value: type === "array" ? [] : type === "integer" ? 0 : "" }] },
      runAfter: { [previous]: ["Succeeded"] },
    };
    previous = action;
  }
  for (const [name, action] of Object.entries(base.actions)) {
    if (action.type === "InitializeVariable") continue;
    actions[name] = name === SKELETON_ACTIONS.handshake ? { ...action, runAfter: { [previous]: ["Succeeded"] } } : action;
  }
  const definition: WorkflowDefinition = {
    ...base,
    actions,
    outputs: { runIds: { type: "Array", value: `@variables(${literal(RETRAIN_VARIABLES.runIds)})` } },
  };
  assertValidTemplates(definition, args.who);
  return definition;
}

/** Values of the definition's parameters, in the `logic.Workflow` `parameters` input shape. */
export interface RetrainParameterValues {
  /** ARM id of the workspace (the events' `topic`). */
  readonly workspaceId: string;
  /** The pipeline's createRun URL. */
  readonly createRunUri: string;
  /** The factory's queryPipelineRuns URL. */
  readonly queryPipelineRunsUri: string;
  /** The pipeline's name. */
  readonly pipelineName: string;
}

/** The `logic.Workflow` `parameters` input for the definition: `{name: {value}}`, in a fixed order. */
export function workflowParameterValues(values: RetrainParameterValues): Record<string, { readonly value: string }> {
  return {
    [RETRAIN_PARAMETERS.workspaceId]: { value: values.workspaceId },
    [RETRAIN_PARAMETERS.createRunUri]: { value: values.createRunUri },
    [RETRAIN_PARAMETERS.queryPipelineRunsUri]: { value: values.queryPipelineRunsUri },
    [RETRAIN_PARAMETERS.pipelineName]: { value: values.pipelineName },
  };
}

/** A definition together with its parameter values: everything needed to simulate the deployed workflow. */
export interface DriftRetrainWorkflow {
  /** The workflow definition. */
  readonly definition: WorkflowDefinition;
  /** Parameter values in the `logic.Workflow` `parameters` input shape. */
  readonly parameters: Readonly<Record<string, { readonly value: unknown }>>;
}
