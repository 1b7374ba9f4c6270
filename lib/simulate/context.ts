/**
 * What a workflow expression can read: the context the evaluator (evaluate.ts) and the function
 * library (functions.ts) share. A leaf module, so neither has to import the other for its types.
 */
/** One action's recorded result, as `actions('name')`, `body('name')` and `outputs('name')` read it. */
export interface ActionResult {
  readonly name?: string;
  readonly inputs?: unknown;
  readonly outputs?: unknown;
  /** Shorthand body; `body('x')` reads `outputs.body` first, then this. */
  readonly body?: unknown;
  readonly status?: string;
  readonly error?: unknown;
}

/** What an expression can read. Every field is optional; reading a missing one is an evaluation error. */
export interface ExpressionContext {
  /** The trigger's body (`triggerBody()`): for an Event Grid request trigger, the array of events. */
  readonly triggerBody?: unknown;
  /** The trigger's outputs (`triggerOutputs()`): `{headers, body}`. */
  readonly triggerOutputs?: { readonly headers?: Record<string, unknown>; readonly body?: unknown };
  /** Parameter values by name (`parameters('x')`). */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Variable values by name (`variables('x')`). */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** Results of actions that already ran (`actions('x')`, `body('x')`, `outputs('x')`). */
  readonly actions?: Readonly<Record<string, ActionResult>>;
  /** The current Foreach item (`item()`). */
  readonly item?: unknown;
  /** Current items of enclosing Foreach loops by loop name (`items('Loop')`). */
  readonly items?: Readonly<Record<string, unknown>>;
  /** Results of scoped actions' first-level actions (`result('Scope')`). */
  readonly results?: Readonly<Record<string, readonly unknown[]>>;
  /** The workflow object (`workflow()`). @default {name: "simulated-workflow", run: {name: "simulated-run"}} */
  readonly workflow?: unknown;
  /** The clock for `utcNow()` and friends, as an ISO timestamp or Date. @default the real clock */
  readonly now?: string | Date;
  /** Counter state for deterministic `guid()` values; shared across one run. */
  readonly guidState?: { next: number };
  /**
   * Host functions by lower-case name, consulted before the built-in library: lets another expression
   * dialect (Data Factory's `pipeline()`, `activity('A')`) reuse this evaluator. @default {}
   */
  readonly functions?: Readonly<Record<string, (args: readonly unknown[]) => unknown>>;
}
