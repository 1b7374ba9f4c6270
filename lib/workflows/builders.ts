/**
 * Pure builders for Event Grid–triggered Logic Apps definitions, shared by the email alerts and
 * drift-retraining workflows. They create no resources and return typed objects with a fixed key order.
 *
 * Shape of {@link eventGridDefinition}:
 * ```
 * Initialize_failed_events → Initialize_throttled_events → Initialize_rejected_events
 *                                     (InitializeVariable, one variable each: failedEventIds, throttledEventIds, rejectedEventIds = [])
 * Is_validation_handshake (If the first event is Microsoft.EventGrid.SubscriptionValidationEvent)
 *   ├─ Answer_validation              (Response 200 {"validationResponse": code})
 *   └─ else
 *      ├─ For_each_event (Foreach over the delivered array, sequential)
 *      │    ├─ Handle_event (Scope)
 *      │    │    ├─ Is_well_formed_event (If id and eventType are non-empty and data is an object)
 *      │    │    │    └─ else: Reject_malformed_event     (append the id to rejectedEventIds)
 *      │    │    └─ Is_expected_event (If well formed AND topic = workspace, ignoring case, AND eventType handled)
 *      │    │         ├─ …the caller's actions… (at nesting level 5 of Logic Apps' 8)
 *      │    │         └─ else: Ignore_event          (Compose: why it was skipped)
 *      │    ├─ Record_failed_event         (runAfter Handle_event Failed/TimedOut: append the id to failedEventIds)
 *      │    └─ Is_throttled_event          (If one of the handler's HTTP calls failed with 429)
 *      │         └─ Record_throttled_event (append the id to throttledEventIds)
 *      └─ Accept_events (Response; status from the variables, see below)
 * ```
 *
 * The answer is truthful, so Event Grid's retry and dead-letter do the rest. Event Grid delivers one
 * event per request to our Logic App destinations (`maxEventsPerBatch: 1`), so the status speaks for
 * that one event:
 * - 200 when every event was handled or deliberately skipped (foreign topic, unhandled type, a rule or
 *   filter that does not apply);
 * - 400 when an event is malformed (the shape check above, a body that is not an array) or a handler
 *   declared it permanent by appending its id to `rejectedEventIds` ({@link rejectEventAction}):
 *   Event Grid does not retry a webhook's 400 and dead-letters the event at once;
 * - 429 when a handler's HTTP call ended in 429 after the action's own retry policy: Event Grid
 *   retries it on its schedule, and the dead-letter reason keeps the throttling visible;
 * - 503 for every other handler failure (5xx, 408, timeouts, 401/403 while a role assignment
 *   propagates, expression errors, and any failure the skeleton cannot classify). Unclassified means
 *   retryable, so nothing is lost: after `maxDeliveryAttempts` Event Grid dead-letters the event.
 *   The workflow never answers 401 or 403 itself: Event Grid dead-letters webhook 401/403 at once.
 * Transient failures win over malformed events when a delivery holds both (only possible with batching).
 * Source of the no-retry codes (400, 413, 401, 403 for webhooks) and the retry schedule: Microsoft Learn,
 * "Event Grid message delivery and retry" (https://learn.microsoft.com/azure/event-grid/delivery-and-retry).
 * A retried delivery repeats the handler, so side effects must be idempotent (the email send carries
 * ACS repeatability headers; see lib/notifications/definition.ts).
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
  WorkflowAction,
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
/** The array variable listing ids of events whose handling failed in a retryable way (answer 429 or 503). */
export const FAILED_EVENTS_VARIABLE = "failedEventIds";
/** The array variable listing ids of failed events one of whose HTTP calls ended in 429 (answer 429). */
export const THROTTLED_EVENTS_VARIABLE = "throttledEventIds";
/**
 * The array variable listing ids of events that can never succeed (answer 400): malformed events, and
 * any event a handler declares permanent by appending its id (see {@link rejectEventAction}).
 */
export const REJECTED_EVENTS_VARIABLE = "rejectedEventIds";
/** Id recorded for a rejected event that has no usable id. */
export const MISSING_EVENT_ID = "(no id)";

/** Names of the skeleton's own actions. */
export const SKELETON_ACTIONS = {
  initialize: "Initialize_failed_events",
  initializeThrottled: "Initialize_throttled_events",
  initializeRejected: "Initialize_rejected_events",
  handshake: "Is_validation_handshake",
  answerValidation: "Answer_validation",
  loop: EVENT_LOOP_NAME,
  scope: "Handle_event",
  wellFormed: "Is_well_formed_event",
  rejectMalformed: "Reject_malformed_event",
  check: "Is_expected_event",
  ignore: "Ignore_event",
  recordFailure: "Record_failed_event",
  throttled: "Is_throttled_event",
  recordThrottled: "Record_throttled_event",
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

/**
 * `value` when it is a JSON object, else `{}` (as an expression, without `@`), so property reads on
 * garbage (a string, a number) give null instead of failing the action. `string()` of an object is its
 * JSON text; the definition language has no type test.
 */
export function asObjectExpr(value: string): string {
  return `if(startsWith(string(${value}), '{'), ${value}, json('{}'))`;
}

/** True (without `@`) when the request body is a JSON array, as every Event Grid delivery is. */
export const BODY_IS_ARRAY_EXPRESSION = "startsWith(string(triggerBody()), '[')";

/** The delivered events (without `@`): the body when it is an array, else none (the answer is then 400). */
export const DELIVERED_EVENTS_EXPRESSION = `if(${BODY_IS_ARRAY_EXPRESSION}, triggerBody(), json('[]'))`;

/** True (as an expression) when the delivery is Event Grid's subscription validation handshake; never fails on garbage. */
export const VALIDATION_HANDSHAKE_EXPRESSION = `@equals(${asObjectExpr(`first(${DELIVERED_EVENTS_EXPRESSION})`)}?['eventType'], ${literal(SUBSCRIPTION_VALIDATION_EVENT)})`;

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

/**
 * The expression that accepts the current event: topic is the workspace (ignoring case) and the type is
 * handled. Reads are null-safe, so it is false (never an error) on an event that is not an object.
 */
export function expectedEventExpression(handledEventTypes: readonly string[]): string {
  const topic = `equals(toLower(string(${SAFE_EVENT}?['topic'])), toLower(parameters(${literal(WORKSPACE_PARAMETER)})))`;
  const type = `contains(createArray(${handledEventTypes.map(literal).join(", ")}), string(${SAFE_EVENT}?['eventType']))`;
  return `@and(${topic}, ${type})`;
}

/** The current event as an object (`{}` when it is not one), without `@`. */
const SAFE_EVENT = asObjectExpr(`items(${literal(EVENT_LOOP_NAME)})`);

/** True (without `@`) when the current event has a non-empty `id` and `eventType` and an object `data`. */
export const WELL_FORMED_EVENT_EXPRESSION =
  `and(not(empty(string(coalesce(${SAFE_EVENT}?['id'], '')))), ` +
  `not(empty(string(coalesce(${SAFE_EVENT}?['eventType'], '')))), ` +
  `startsWith(string(coalesce(${SAFE_EVENT}?['data'], '')), '{'))`;

/** The current event's id as text, or {@link MISSING_EVENT_ID}; safe on garbage. */
export const SAFE_EVENT_ID_EXPRESSION = `if(empty(string(coalesce(${SAFE_EVENT}?['id'], ''))), ${literal(MISSING_EVENT_ID)}, string(${SAFE_EVENT}?['id']))`;

/**
 * An action a handler runs to declare the current event permanent (it can never succeed, so the
 * workflow answers 400 and Event Grid dead-letters it at once): appends the event id to
 * {@link REJECTED_EVENTS_VARIABLE}. The handler must then end without failing.
 */
export function rejectEventAction(runAfter: RunAfter = {}): WorkflowAction {
  return { type: "AppendToArrayVariable", inputs: { name: REJECTED_EVENTS_VARIABLE, value: `@${SAFE_EVENT_ID_EXPRESSION}` }, runAfter };
}

/**
 * Names of the `Http`/`ApiConnection` actions in `actions`, nested ones included, except those inside
 * a nested Foreach or Until (their result is per iteration, not readable from the event's scope).
 */
export function callActionNames(actions: ActionMap): string[] {
  const names: string[] = [];
  for (const [name, a] of Object.entries(actions)) {
    if (a.type === "Http" || a.type === "ApiConnection") names.push(name);
    else if (a.type === "If") names.push(...callActionNames(a.actions), ...callActionNames(a.else?.actions ?? {}));
    else if (a.type === "Scope") names.push(...callActionNames(a.actions));
  }
  return names;
}

/** True (without `@`) when one of `calls` ended Failed with status code 429 in the current iteration. */
export function throttledExpression(calls: readonly string[]): string {
  const codes = calls.map((n) => `if(equals(actions(${literal(n)})?['status'], 'Failed'), actions(${literal(n)})?['outputs']?['statusCode'], 0)`);
  return `contains(createArray(${codes.join(", ")}), 429)`;
}

/** The `If` rejecting a malformed event (appends its id to `rejectedEventIds`); nothing to do for a well-formed one. */
function wellFormedCheck(): IfAction {
  return {
    type: "If",
    expression: `@${WELL_FORMED_EVENT_EXPRESSION}`,
    actions: {},
    else: { actions: { [SKELETON_ACTIONS.rejectMalformed]: rejectEventAction() } },
    runAfter: {},
  };
}

/**
 * The `If` running `handler` for a well-formed event from the expected workspace with a handled type.
 * A SIBLING of {@link wellFormedCheck} (not nested in it), so handlers get one more level of Logic Apps'
 * action nesting limit; it repeats the shape check, with null-safe reads, so garbage never reaches a handler.
 */
function expectedCheck(handledEventTypes: readonly string[], handler: ActionMap): IfAction {
  return {
    type: "If",
    expression: `@and(${WELL_FORMED_EVENT_EXPRESSION}, ${expectedEventExpression(handledEventTypes).slice(1)})`,
    actions: handler,
    else: {
      actions: {
        [SKELETON_ACTIONS.ignore]: {
          type: "Compose",
          inputs: {
            id: `@${SAFE_EVENT}?['id']`,
            eventType: `@${SAFE_EVENT}?['eventType']`,
            topic: `@${SAFE_EVENT}?['topic']`,
            reason: `@if(${WELL_FORMED_EVENT_EXPRESSION}, 'not from the expected workspace, or an event type this workflow doesn''t handle', 'malformed (rejected by ${SKELETON_ACTIONS.wellFormed})')`,
          },
          runAfter: {},
        },
      },
    },
    runAfter: { [SKELETON_ACTIONS.wellFormed]: ["Succeeded"] },
  };
}

/**
 * The per-event loop: each event runs `handler` inside its own `Scope` when it is well formed, comes
 * from the expected workspace and has a handled type; malformed events are rejected, failures are
 * recorded (429s apart) and don't stop other events.
 */
export function perEventLoop(handledEventTypes: readonly string[], handler: ActionMap, runAfter: RunAfter = {}): ForeachAction {
  const calls = callActionNames(handler);
  const actions: Record<string, WorkflowAction> = {
    [SKELETON_ACTIONS.scope]: {
      type: "Scope",
      actions: { [SKELETON_ACTIONS.wellFormed]: wellFormedCheck(), [SKELETON_ACTIONS.check]: expectedCheck(handledEventTypes, handler) },
      runAfter: {},
    },
    [SKELETON_ACTIONS.recordFailure]: {
      type: "AppendToArrayVariable",
      inputs: { name: FAILED_EVENTS_VARIABLE, value: `@${SAFE_EVENT_ID_EXPRESSION}` },
      runAfter: { [SKELETON_ACTIONS.scope]: ["Failed", "TimedOut"] },
    },
  };
  if (calls.length > 0) {
    actions[SKELETON_ACTIONS.throttled] = {
      type: "If",
      expression: `@${throttledExpression(calls)}`,
      actions: {
        [SKELETON_ACTIONS.recordThrottled]: {
          type: "AppendToArrayVariable",
          inputs: { name: THROTTLED_EVENTS_VARIABLE, value: `@${SAFE_EVENT_ID_EXPRESSION}` },
          runAfter: {},
        },
      },
      runAfter: { [SKELETON_ACTIONS.recordFailure]: ["Succeeded"] },
    };
  }
  return { type: "Foreach", foreach: `@${DELIVERED_EVENTS_EXPRESSION}`, actions, runtimeConfiguration: { concurrency: { repetitions: 1 } }, runAfter };
}

const hasAny = (variable: string): string => `greater(length(variables(${literal(variable)})), 0)`;

/**
 * The delivery's status code (as an expression): 400 for a body that is not an array; else 429/503
 * when an event failed in a retryable way (429 when one of its calls was throttled); else 400 when an
 * event was rejected; else 200. See the file comment for the reasoning.
 */
export const DELIVERY_STATUS_EXPRESSION =
  `@if(not(${BODY_IS_ARRAY_EXPRESSION}), 400, ` +
  `if(${hasAny(FAILED_EVENTS_VARIABLE)}, if(${hasAny(THROTTLED_EVENTS_VARIABLE)}, 429, 503), ` +
  `if(${hasAny(REJECTED_EVENTS_VARIABLE)}, 400, 200)))`;

/** The final Response: the truthful status, and the ids behind it. */
export function deliveryResponse(runAfter: RunAfter): ResponseAction {
  return {
    type: "Response",
    kind: "Http",
    inputs: {
      statusCode: DELIVERY_STATUS_EXPRESSION,
      headers: { "Content-Type": "application/json" },
      body: {
        received: `@length(${DELIVERED_EVENTS_EXPRESSION})`,
        failedEventIds: `@variables(${literal(FAILED_EVENTS_VARIABLE)})`,
        throttledEventIds: `@variables(${literal(THROTTLED_EVENTS_VARIABLE)})`,
        rejectedEventIds: `@variables(${literal(REJECTED_EVENTS_VARIABLE)})`,
      },
    },
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
  /** The action's time limit (ISO 8601, e.g. `PT5S`): see responseBound.ts. @default - Logic Apps' own limits */
  readonly timeout?: string;
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
    ...(args.timeout !== undefined ? { limit: { timeout: args.timeout } } : {}),
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
 * The skeleton's array variables, one InitializeVariable action each, chained: Learn, "Create, modify, or
 * initialize a variable in Azure Logic Apps": the action "can create only one variable at a time".
 */
function skeletonVariables(): ActionMap {
  const steps: readonly (readonly [string, string])[] = [
    [SKELETON_ACTIONS.initialize, FAILED_EVENTS_VARIABLE],
    [SKELETON_ACTIONS.initializeThrottled, THROTTLED_EVENTS_VARIABLE],
    [SKELETON_ACTIONS.initializeRejected, REJECTED_EVENTS_VARIABLE],
  ];
  const actions: Record<string, WorkflowAction> = {};
  steps.forEach(([action, name], i) => {
    actions[action] = {
      type: "InitializeVariable",
      inputs: { variables: [{ name, type: "array", value: [] }] },
      runAfter: i === 0 ? {} : { [steps[i - 1][0]]: ["Succeeded"] },
    };
  });
  return actions;
}

/**
 * A complete definition for an Event Grid webhook workflow: handshake, per-event loop with shape,
 * topic and type checks and isolation, and a final truthful answer (see the file comment). Throws when a template
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
      ...skeletonVariables(),
      [SKELETON_ACTIONS.handshake]: validationHandshake(
        {
          [SKELETON_ACTIONS.loop]: perEventLoop(args.handledEventTypes, args.handler),
          [SKELETON_ACTIONS.accept]: deliveryResponse({ [SKELETON_ACTIONS.loop]: ["Succeeded", "Failed", "TimedOut"] }),
        },
        { [SKELETON_ACTIONS.initializeRejected]: ["Succeeded"] },
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
