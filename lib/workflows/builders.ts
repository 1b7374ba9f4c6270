/**
 * Pure builders for Event Grid–triggered Logic Apps definitions, shared by the email alerts and
 * drift-retraining workflows. They create no resources and return typed objects with a fixed key order.
 *
 * Shape of {@link eventGridDefinition}:
 * ```
 * Initialize_failed_events                       (InitializeVariable failedEventIds = [])
 * Is_validation_handshake (If first event is Microsoft.EventGrid.SubscriptionValidationEvent)
 *   ├─ Answer_validation                         (Response 200 {"validationResponse": code})
 *   └─ else
 *      ├─ For_each_event (Foreach triggerBody(), sequential)
 *      │    ├─ Handle_event (Scope)
 *      │    │    └─ Is_expected_event (If topic = workspace, ignoring case, and eventType handled)
 *      │    │         ├─ …the caller's actions…
 *      │    │         └─ else: Ignore_event      (Compose: why it was ignored)
 *      │    └─ Record_failed_event               (runAfter Handle_event Failed/TimedOut: append the event id)
 *      └─ Accept_events                          (runAfter For_each_event Succeeded/Failed/TimedOut:
 *                                                 Response 200 {received, failedEventIds})
 * ```
 * Why 200 even when an event failed: Event Grid retries the whole delivery on any non-2xx answer, so
 * a retry would repeat the work (and the emails) of the events that succeeded, and a malformed event
 * stays malformed. Failures are visible in the run history (Handle_event Failed), in the response
 * body's `failedEventIds`, and in the workflow's run status.
 */
import { AmlEventTypeName, SUBSCRIPTION_VALIDATION_EVENT } from "../events";
import { describeProblem, validateTemplates } from "../simulate/validate";
import {
  ActionMap,
  ForeachAction,
  HttpAction,
  HttpInputs,
  IfAction,
  JsonValue,
  RequestTrigger,
  ResponseAction,
  RunAfter,
  WORKFLOW_SCHEMA,
  WorkflowDefinition,
  WorkflowParameter,
} from "./types";

/**
 * Tag on workflows whose Request trigger is called by Event Grid: the SAS signature in the (secret)
 * callback URL is the deliberate access control, so the policy pack's trigger-restriction rule accepts it.
 */
export const SAS_TRIGGER_TAG: Readonly<Record<string, string>> = { "aml-events:trigger-auth": "sas" };

/** The Request trigger's name (also the default of `LogicAppDestination`'s `triggerName`). */
export const EVENT_TRIGGER_NAME = "When_events_arrive";
/** Token audience for `Http` actions calling Azure Resource Manager with the workflow's managed identity. */
export const ARM_AUDIENCE = "https://management.azure.com/";
/** The per-event loop's name: read the current event with `items('For_each_event')` or {@link eventExpr}. */
export const EVENT_LOOP_NAME = "For_each_event";
/** The definition parameter holding the expected workspace ARM id (the events' `topic`). */
export const WORKSPACE_PARAMETER = "workspaceId";
/** The array variable listing ids of events whose handling failed. */
export const FAILED_EVENTS_VARIABLE = "failedEventIds";

/** Names of the skeleton's own actions. */
export const SKELETON_ACTIONS = {
  initialize: "Initialize_failed_events",
  handshake: "Is_validation_handshake",
  answerValidation: "Answer_validation",
  loop: EVENT_LOOP_NAME,
  scope: "Handle_event",
  check: "Is_expected_event",
  ignore: "Ignore_event",
  recordFailure: "Record_failed_event",
  accept: "Accept_events",
} as const;

/** Quotes a string as a definition-language literal (`'it''s'`). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A null-safe read of the current event: `eventExpr(["data", "runId"])` → `items('For_each_event')?['data']?['runId']`. */
export function eventExpr(path: readonly string[]): string {
  return `items(${literal(EVENT_LOOP_NAME)})${path.map((k) => `?[${literal(k)}]`).join("")}`;
}

/**
 * Reads a `data` field in either casing AML uses: real events are camelCase (`runId`), the
 * documentation's samples PascalCase (`RunId`). Nested keys (tag names) are read as written.
 */
export function dataFieldExpr(field: string, nested: readonly string[] = []): string {
  const camel = field.charAt(0).toLowerCase() + field.slice(1);
  const pascal = field.charAt(0).toUpperCase() + field.slice(1);
  if (camel === pascal) return eventExpr(["data", field, ...nested]);
  return `coalesce(${eventExpr(["data", camel, ...nested])}, ${eventExpr(["data", pascal, ...nested])})`;
}

/**
 * True (as an expression, without `@`) when `valueExpr`, read as text, is one of `values` ignoring
 * case: `contains(createArray('failed', 'canceled'), toLower(string(…)))`. A missing value (null)
 * reads as `''` and matches nothing but an empty listed value. `contains` on an array is
 * case-sensitive in the definition language, so both sides are lower-cased.
 */
export function oneOfIgnoringCase(values: readonly string[], valueExpr: string): string {
  if (values.length === 0) throw new Error("oneOfIgnoringCase: values is empty; list at least one accepted value.");
  return `contains(createArray(${values.map((v) => literal(v.toLowerCase())).join(", ")}), toLower(string(${valueExpr})))`;
}

/** The Request trigger for Event Grid deliveries: the body is the array of events. No `splitOn`, so the workflow can answer the handshake. */
export function eventGridRequestTrigger(): RequestTrigger {
  return {
    type: "Request",
    kind: "Http",
    inputs: {
      schema: {
        type: "array",
        items: {
          type: "object",
          properties: {
            id: { type: "string" },
            topic: { type: "string" },
            subject: { type: "string" },
            eventType: { type: "string" },
            eventTime: { type: "string" },
            data: { type: "object" },
            dataVersion: { type: "string" },
            metadataVersion: { type: "string" },
          },
        },
      },
    },
  };
}

/** True (as an expression) when the delivery is Event Grid's subscription validation handshake. */
export const VALIDATION_HANDSHAKE_EXPRESSION = `@equals(first(triggerBody())?['eventType'], ${literal(SUBSCRIPTION_VALIDATION_EVENT)})`;

/** The Response that completes the handshake: 200 `{"validationResponse": data.validationCode}`. */
export function validationResponse(runAfter: RunAfter = {}): ResponseAction {
  return {
    type: "Response",
    kind: "Http",
    inputs: {
      statusCode: 200,
      headers: { "Content-Type": "application/json" },
      body: { validationResponse: "@first(triggerBody())?['data']?['validationCode']" },
    },
    runAfter,
  };
}

/**
 * The validation handshake as an `If`: when the first event is the validation event, answer it;
 * otherwise run `otherwise` (the normal processing).
 */
export function validationHandshake(otherwise: ActionMap, runAfter: RunAfter = {}): IfAction {
  return {
    type: "If",
    expression: VALIDATION_HANDSHAKE_EXPRESSION,
    actions: { [SKELETON_ACTIONS.answerValidation]: validationResponse() },
    else: { actions: otherwise },
    runAfter,
  };
}

/** The expression that accepts the current event: topic is the workspace (ignoring case) and the type is handled. */
export function expectedEventExpression(handledEventTypes: readonly string[]): string {
  const topic = `equals(toLower(string(${eventExpr(["topic"])})), toLower(parameters(${literal(WORKSPACE_PARAMETER)})))`;
  const type = `contains(createArray(${handledEventTypes.map(literal).join(", ")}), string(${eventExpr(["eventType"])}))`;
  return `@and(${topic}, ${type})`;
}

/**
 * The per-event loop: each event runs `handler` inside its own `Scope` when it comes from the
 * expected workspace and has a handled type; failures are recorded and don't stop other events.
 */
export function perEventLoop(handledEventTypes: readonly string[], handler: ActionMap, runAfter: RunAfter = {}): ForeachAction {
  return {
    type: "Foreach",
    foreach: "@triggerBody()",
    actions: {
      [SKELETON_ACTIONS.scope]: {
        type: "Scope",
        actions: {
          [SKELETON_ACTIONS.check]: {
            type: "If",
            expression: expectedEventExpression(handledEventTypes),
            actions: handler,
            else: {
              actions: {
                [SKELETON_ACTIONS.ignore]: {
                  type: "Compose",
                  inputs: {
                    id: `@${eventExpr(["id"])}`,
                    eventType: `@${eventExpr(["eventType"])}`,
                    topic: `@${eventExpr(["topic"])}`,
                    reason: "not from the expected workspace, or an event type this workflow doesn't handle",
                  },
                  runAfter: {},
                },
              },
            },
            runAfter: {},
          },
        },
        runAfter: {},
      },
      [SKELETON_ACTIONS.recordFailure]: {
        type: "AppendToArrayVariable",
        inputs: { name: FAILED_EVENTS_VARIABLE, value: `@${eventExpr(["id"])}` },
        runAfter: { [SKELETON_ACTIONS.scope]: ["Failed", "TimedOut"] },
      },
    },
    runtimeConfiguration: { concurrency: { repetitions: 1 } },
    runAfter,
  };
}

/** Arguments of {@link managedIdentityHttpAction}. */
export interface ManagedIdentityHttpActionArgs {
  /** The HTTP method. */
  readonly method: HttpInputs["method"];
  /** The URL; may be a template such as `@parameters('createRunUri')`. */
  readonly uri: string;
  /** The token audience, e.g. {@link ARM_AUDIENCE} or `https://communication.azure.com`. */
  readonly audience: string;
  /** The request body. @default - no body */
  readonly body?: JsonValue;
  /** Request headers. @default - none */
  readonly headers?: Readonly<Record<string, string>>;
  /** Treat 202 as final (`operationOptions: "DisableAsyncPattern"`: no polling of `Location`). @default false */
  readonly disableAsyncPattern?: boolean;
  /** The action's retry policy. @default - Logic Apps' default (exponential, 4 retries on 408, 429 and 5xx) */
  readonly retryPolicy?: HttpInputs["retryPolicy"];
  /** The actions (same scope) this one runs after. @default {} */
  readonly runAfter?: RunAfter;
}

/** An `Http` action authenticated with the workflow's managed identity. */
export function managedIdentityHttpAction(args: ManagedIdentityHttpActionArgs): HttpAction {
  return {
    type: "Http",
    inputs: {
      method: args.method,
      uri: args.uri,
      ...(args.headers !== undefined ? { headers: args.headers } : {}),
      ...(args.body !== undefined ? { body: args.body } : {}),
      authentication: { type: "ManagedServiceIdentity", audience: args.audience },
      ...(args.retryPolicy !== undefined ? { retryPolicy: args.retryPolicy } : {}),
    },
    ...(args.disableAsyncPattern === true ? { operationOptions: "DisableAsyncPattern" as const } : {}),
    runAfter: args.runAfter ?? {},
  };
}

/** Arguments of {@link eventGridDefinition}. */
export interface EventGridDefinitionArgs {
  /** Event types the workflow handles; others are ignored. */
  readonly handledEventTypes: readonly (AmlEventTypeName | string)[];
  /** Actions run for each accepted event (inside its Scope); read the event with {@link eventExpr}. */
  readonly handler: ActionMap;
  /** Extra definition parameters (besides `workspaceId`). @default {} */
  readonly parameters?: Readonly<Record<string, WorkflowParameter>>;
}

/**
 * A complete definition for an Event Grid webhook workflow: handshake, per-event loop with topic and
 * type checks and isolation, and a final 200 (see the file comment for why). Throws when a template
 * anywhere in it doesn't parse, naming the path, the template and the position.
 */
export function eventGridDefinition(args: EventGridDefinitionArgs): WorkflowDefinition {
  if (args.handledEventTypes.length === 0) throw new Error("eventGridDefinition: handledEventTypes is empty; list at least one event type.");
  const definition: WorkflowDefinition = {
    $schema: WORKFLOW_SCHEMA,
    contentVersion: "1.0.0.0",
    parameters: {
      [WORKSPACE_PARAMETER]: { type: "String", metadata: { description: "ARM id of the Azure Machine Learning workspace whose events are accepted (compared ignoring case)." } },
      ...(args.parameters ?? {}),
    },
    triggers: { [EVENT_TRIGGER_NAME]: eventGridRequestTrigger() },
    actions: {
      [SKELETON_ACTIONS.initialize]: {
        type: "InitializeVariable",
        inputs: { variables: [{ name: FAILED_EVENTS_VARIABLE, type: "array", value: [] }] },
        runAfter: {},
      },
      [SKELETON_ACTIONS.handshake]: validationHandshake(
        {
          [SKELETON_ACTIONS.loop]: perEventLoop(args.handledEventTypes, args.handler),
          [SKELETON_ACTIONS.accept]: {
            type: "Response",
            kind: "Http",
            inputs: {
              statusCode: 200,
              headers: { "Content-Type": "application/json" },
              body: { received: "@length(triggerBody())", failedEventIds: `@variables(${literal(FAILED_EVENTS_VARIABLE)})` },
            },
            runAfter: { [SKELETON_ACTIONS.loop]: ["Succeeded", "Failed", "TimedOut"] },
          },
        },
        { [SKELETON_ACTIONS.initialize]: ["Succeeded"] },
      ),
    },
    outputs: {},
  };
  assertValidTemplates(definition, "eventGridDefinition");
  return definition;
}

/** Throws when any template in `value` doesn't parse or calls an unknown function (message: path, template, position). */
export function assertValidTemplates(value: unknown, who: string): void {
  const problems = validateTemplates(value);
  if (problems.length > 0) throw new Error(`${who}: invalid workflow expressions:\n${problems.map(describeProblem).join("\n")}`);
}
