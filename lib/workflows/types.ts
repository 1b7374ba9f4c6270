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
  readonly type: "Compose";
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
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly uri: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: JsonValue;
  readonly authentication?: ManagedIdentityAuthentication;
  readonly retryPolicy?: { readonly type: "none" } | { readonly type: "exponential" | "fixed"; readonly count: number; readonly interval: string };
}

/** `Http`: calls an endpoint. */
export interface HttpAction extends ActionBase {
  readonly type: "Http";
  readonly inputs: HttpInputs;
  /** `DisableAsyncPattern` treats a 202 as the final answer instead of polling `Location`. */
  readonly operationOptions?: "DisableAsyncPattern";
}

/** `ApiConnection`: calls a managed connector through a `Microsoft.Web/connections` resource. */
export interface ApiConnectionAction extends ActionBase {
  readonly type: "ApiConnection";
  readonly inputs: {
    readonly host: { readonly connection: { readonly name: string } };
    readonly method: "get" | "post" | "put" | "patch" | "delete";
    readonly path: string;
    readonly body?: JsonValue;
  };
}

/** `Response`: answers the Request trigger's caller. */
export interface ResponseAction extends ActionBase {
  readonly type: "Response";
  readonly kind: "Http";
  readonly inputs: { readonly statusCode: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: JsonValue };
}

/** `If`: runs `actions` when `expression` is true, `else.actions` otherwise. */
export interface IfAction extends ActionBase {
  readonly type: "If";
  /** A boolean expression, e.g. `@equals(…)`. */
  readonly expression: string;
  readonly actions: ActionMap;
  readonly else?: { readonly actions: ActionMap };
}

/** `Foreach`: runs `actions` for each item of `foreach`. */
export interface ForeachAction extends ActionBase {
  readonly type: "Foreach";
  /** An expression yielding an array. */
  readonly foreach: string;
  readonly actions: ActionMap;
  /** `{concurrency: {repetitions: 1}}` makes the loop sequential. */
  readonly runtimeConfiguration?: { readonly concurrency: { readonly repetitions: number } };
}

/** `Scope`: groups actions; its status reflects their unhandled failures. */
export interface ScopeAction extends ActionBase {
  readonly type: "Scope";
  readonly actions: ActionMap;
}

/** `InitializeVariable` (top level only). */
export interface InitializeVariableAction extends ActionBase {
  readonly type: "InitializeVariable";
  readonly inputs: { readonly variables: readonly { readonly name: string; readonly type: "array" | "string" | "integer" | "float" | "boolean" | "object"; readonly value?: JsonValue }[] };
}

/** `SetVariable` / `AppendToArrayVariable`. */
export interface VariableAction extends ActionBase {
  readonly type: "SetVariable" | "AppendToArrayVariable";
  readonly inputs: { readonly name: string; readonly value: JsonValue };
}

/** `Terminate`: ends the run with a status. */
export interface TerminateAction extends ActionBase {
  readonly type: "Terminate";
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
  | ScopeAction
  | InitializeVariableAction
  | VariableAction
  | TerminateAction;

/** A Request trigger (`kind: Http`): the workflow's callback URL. */
export interface RequestTrigger {
  readonly type: "Request";
  readonly kind: "Http";
  readonly inputs: { readonly schema: JsonValue; readonly method?: "POST" };
}

/** A definition parameter. */
export interface WorkflowParameter {
  readonly type: "String" | "Int" | "Bool" | "Array" | "Object" | "SecureString";
  readonly defaultValue?: JsonValue;
  readonly metadata?: { readonly description: string };
}

/** A workflow definition (the `definition` input of `logic.Workflow`). */
export interface WorkflowDefinition {
  readonly $schema: typeof WORKFLOW_SCHEMA;
  readonly contentVersion: "1.0.0.0";
  readonly parameters: Readonly<Record<string, WorkflowParameter>>;
  readonly triggers: Readonly<Record<string, RequestTrigger>>;
  readonly actions: ActionMap;
  readonly outputs: Readonly<Record<string, { readonly type: string; readonly value: JsonValue }>>;
}
