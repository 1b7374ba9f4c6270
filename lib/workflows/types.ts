/**
 * Typed Logic Apps (Consumption) workflow definitions: the subset of the workflow definition
 * language our builders emit. Values are plain JSON; strings starting with `@` or holding `@{…}`
 * are expressions (see lib/simulate).
 */

/** The definition language schema our definitions declare. */
export const WORKFLOW_SCHEMA = "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#";

/** Statuses an action can end in, as `runAfter` lists them. */
export type RunAfterStatus = "Succeeded" | "Failed" | "Skipped" | "TimedOut";

/** `runAfter`: the actions (same scope) this one waits for, and the statuses it accepts from each. */
export type RunAfter = Readonly<Record<string, readonly RunAfterStatus[]>>;

/** A JSON value as definitions hold it. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Actions of one scope by name. */
export type ActionMap = Readonly<Record<string, WorkflowAction>>;

/** Fields every action has. */
interface ActionBase {
  /** The actions this one runs after. `{}` for the first action(s) of a scope. */
  readonly runAfter: RunAfter;
}

/** `Compose`: evaluates its inputs. */
export interface ComposeAction extends ActionBase {
  /** The action type. */
  readonly type: "Compose";
  /** The value to evaluate (templates allowed); the action's output. */
  readonly inputs: JsonValue;
}

/** Managed identity authentication for `Http` actions. */
export interface ManagedIdentityAuthentication {
  readonly type: "ManagedServiceIdentity";
  /** The token audience, e.g. `https://communication.azure.com` or `https://management.azure.com/`. */
  readonly audience: string;
  /** A user-assigned identity's ARM id; absent for the system-assigned identity. */
  readonly identity?: string;
}

/** Inputs of an `Http` action. */
export interface HttpInputs {
  /** The HTTP method. */
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The URL (templates allowed). */
  readonly uri: string;
  /** Request headers. @default - none */
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body. @default - none */
  readonly body?: JsonValue;
  /** Managed identity authentication. @default - anonymous */
  readonly authentication?: ManagedIdentityAuthentication;
  /** Retry policy. @default - Logic Apps' default (exponential, 4 retries on 408, 429 and 5xx) */
  readonly retryPolicy?: { readonly type: "none" } | { readonly type: "exponential" | "fixed"; readonly count: number; readonly interval: string };
}

/** `Http`: calls an endpoint. */
export interface HttpAction extends ActionBase {
  /** The action type. */
  readonly type: "Http";
  /** The request. */
  readonly inputs: HttpInputs;
  /** `DisableAsyncPattern` treats a 202 as the final answer instead of polling `Location`. @default - the asynchronous pattern */
  readonly operationOptions?: "DisableAsyncPattern";
  /** The action's time limit (ISO 8601, e.g. `PT5S`); on expiry the action ends TimedOut. @default - Logic Apps' own limits */
  readonly limit?: { readonly timeout: string };
}

/** `ApiConnection`: calls a managed connector through a `Microsoft.Web/connections` resource. */
export interface ApiConnectionAction extends ActionBase {
  /** The action type. */
  readonly type: "ApiConnection";
  /** The connector call. */
  readonly inputs: {
    /** The connection, e.g. `@parameters('$connections')['office365']['connectionId']`. */
    readonly host: { readonly connection: { readonly name: string } };
    /** The connector operation's method. */
    readonly method: "get" | "post" | "put" | "patch" | "delete";
    /** The connector operation's path, e.g. `/v2/Mail`. */
    readonly path: string;
    /** The operation's body. @default - none */
    readonly body?: JsonValue;
    /** Retry policy. @default - Logic Apps' default (exponential, 4 retries on 408, 429 and 5xx) */
    readonly retryPolicy?: HttpInputs["retryPolicy"];
  };
  /** The action's time limit (ISO 8601, e.g. `PT5S`); on expiry the action ends TimedOut. @default - Logic Apps' own limits */
  readonly limit?: { readonly timeout: string };
}

/** `Response`: answers the Request trigger's caller. */
export interface ResponseAction extends ActionBase {
  /** The action type. */
  readonly type: "Response";
  /** Always `Http`. */
  readonly kind: "Http";
  /** The answer: status code (a number, or an expression such as `@if(…, 503, 200)`), headers (@default none) and body (@default none). */
  readonly inputs: { readonly statusCode: number | string; readonly headers?: Readonly<Record<string, string>>; readonly body?: JsonValue };
}

/** `If`: runs `actions` when `expression` is true, `else.actions` otherwise. */
export interface IfAction extends ActionBase {
  /** The action type. */
  readonly type: "If";
  /** A boolean expression, e.g. `@equals(…)`. */
  readonly expression: string;
  /** Actions run when the expression is true. */
  readonly actions: ActionMap;
  /** Actions run when it is false. @default - none */
  readonly else?: { readonly actions: ActionMap };
}

/** `Foreach`: runs `actions` for each item of `foreach`. */
export interface ForeachAction extends ActionBase {
  /** The action type. */
  readonly type: "Foreach";
  /** An expression yielding an array. */
  readonly foreach: string;
  /** Actions run for each item. */
  readonly actions: ActionMap;
  /** `{concurrency: {repetitions: 1}}` makes the loop sequential. @default - parallel (20 iterations at a time) */
  readonly runtimeConfiguration?: { readonly concurrency: { readonly repetitions: number } };
}

/** `Until`: runs `actions` again until `expression` is true after an iteration, within `limit`. */
export interface UntilAction extends ActionBase {
  /** The action type. */
  readonly type: "Until";
  /** A boolean expression checked after each iteration. */
  readonly expression: string;
  /** Upper bounds: iterations and an ISO 8601 duration. */
  readonly limit: { readonly count: number; readonly timeout: string };
  /** Actions run in each iteration. */
  readonly actions: ActionMap;
}

/** `Query` (Filter array): the items of `from` for which `where` (with `item()`) is true; read with `body('<name>')`. */
export interface QueryAction extends ActionBase {
  /** The action type. */
  readonly type: "Query";
  /** The array and the condition. */
  readonly inputs: { readonly from: string; readonly where: string };
}

/** `IncrementVariable`: adds `value` to an integer variable. */
export interface IncrementVariableAction extends ActionBase {
  /** The action type. */
  readonly type: "IncrementVariable";
  /** The variable and the amount (an expression yielding an integer). */
  readonly inputs: { readonly name: string; readonly value: JsonValue };
}

/** `Scope`: groups actions; its status reflects their unhandled failures. */
export interface ScopeAction extends ActionBase {
  /** The action type. */
  readonly type: "Scope";
  /** The grouped actions. */
  readonly actions: ActionMap;
}

/** `InitializeVariable` (top level only). */
export interface InitializeVariableAction extends ActionBase {
  /** The action type. */
  readonly type: "InitializeVariable";
  /** The variables: name, type and initial value (@default the type's empty value). */
  readonly inputs: { readonly variables: readonly { readonly name: string; readonly type: "array" | "string" | "integer" | "float" | "boolean" | "object"; readonly value?: JsonValue }[] };
}

/** `SetVariable` / `AppendToArrayVariable`. */
export interface VariableAction extends ActionBase {
  /** The action type. */
  readonly type: "SetVariable" | "AppendToArrayVariable";
  /** The variable's name and the value to set or append. */
  readonly inputs: { readonly name: string; readonly value: JsonValue };
}

/** `Terminate`: ends the run with a status. */
export interface TerminateAction extends ActionBase {
  /** The action type (not allowed inside Foreach or Until loops). */
  readonly type: "Terminate";
  /** The run's final status and, for Failed, an error (@default none). */
  readonly inputs: { readonly runStatus: "Succeeded" | "Failed" | "Cancelled"; readonly runError?: { readonly code?: string; readonly message?: string } };
}

/** Every action type our builders emit. */
export type WorkflowAction =
  | ComposeAction
  | HttpAction
  | ApiConnectionAction
  | ResponseAction
  | IfAction
  | ForeachAction
  | UntilAction
  | QueryAction
  | IncrementVariableAction
  | ScopeAction
  | InitializeVariableAction
  | VariableAction
  | TerminateAction;

/** A Request trigger (`kind: Http`): the workflow's callback URL. */
export interface RequestTrigger {
  /** The trigger type. */
  readonly type: "Request";
  /** Always `Http`. */
  readonly kind: "Http";
  /** The body's JSON schema and the accepted method (@default any method). */
  readonly inputs: { readonly schema: JsonValue; readonly method?: "POST" };
}

/** A definition parameter. */
export interface WorkflowParameter {
  /** The parameter's type. */
  readonly type: "String" | "Int" | "Bool" | "Array" | "Object" | "SecureString";
  /** Value used when the Workflow resource passes none. @default - none (a value is required) */
  readonly defaultValue?: JsonValue;
  /** A description for people. @default - none */
  readonly metadata?: { readonly description: string };
}

/** A workflow definition (the `definition` input of `logic.Workflow`). */
export interface WorkflowDefinition {
  /** The definition language schema. */
  readonly $schema: typeof WORKFLOW_SCHEMA;
  /** The definition's version. */
  readonly contentVersion: "1.0.0.0";
  /** Definition parameters by name. */
  readonly parameters: Readonly<Record<string, WorkflowParameter>>;
  /** The one Request trigger by name. */
  readonly triggers: Readonly<Record<string, RequestTrigger>>;
  /** Top-level actions by name. */
  readonly actions: ActionMap;
  /** Run outputs by name (type and value template). */
  readonly outputs: Readonly<Record<string, { readonly type: string; readonly value: JsonValue }>>;
}
