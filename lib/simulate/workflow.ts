/**
 * A side-effect-free simulator for Consumption Logic Apps workflow definitions started by a Request
 * trigger: actions run in `runAfter` order with Logic Apps' statuses, containers (`If`, `Foreach`,
 * `Scope`, `Until`) run their nested actions, `Http` and `ApiConnection` calls are recorded and
 * answered by a callback, `Response` sets the HTTP answer. Independent actions run in definition
 * order (Logic Apps may run them in parallel).
 */
import { ActionResult, evaluateValue, ExpressionContext, isObject } from "./evaluate";
import { ExpressionError } from "./expression";
import { describeProblem, validateTemplates } from "./validate";

/** Logic Apps action statuses. */
export type ActionStatus = "Succeeded" | "Failed" | "Skipped" | "TimedOut" | "Cancelled";

/** The HTTP answer of a request-triggered run. */
export interface SimulatedResponse {
  readonly statusCode: number;
  readonly headers?: Record<string, unknown>;
  readonly body?: unknown;
}

/** One action the run reached, in execution order. */
export interface SimulatedAction {
  /** The action's name in the definition. */
  readonly name: string;
  /** The action's type as written (`Http`, `Foreach`, …). */
  readonly type: string;
  readonly status: ActionStatus;
  /** Evaluated inputs (for `If` the evaluated `expression`, for `Foreach` the evaluated array). */
  readonly inputs?: unknown;
  readonly outputs?: unknown;
  /** Why the action failed, when it did. */
  readonly error?: string;
  /** `Http`/`ApiConnection`: how many requests the action sent (1 + the retries its retry policy made). */
  readonly attempts?: number;
  /** Where the action sits: container names, branches and iteration numbers, e.g. `Check/else/For_each[1]/Handle_event`. */
  readonly path: string;
  /** Iteration indexes of enclosing Foreach loops, outermost first. */
  readonly iteration: readonly number[];
}

/** What {@link simulateWorkflow} returns. */
export interface SimulationResult {
  /** The HTTP answer: the Response action's, 202 when the definition has none, 502 when it has one that didn't run. */
  readonly response?: SimulatedResponse;
  /** Every action reached, nested ones included, in execution order. */
  readonly actions: readonly SimulatedAction[];
  /** The definition's `outputs`, evaluated at the end. */
  readonly outputs?: Record<string, unknown>;
  /** The run's status: Failed when a top-level action failed without a handler, or `Terminate` said so. */
  readonly status: ActionStatus;
  /** Final variable values. */
  readonly variables: Record<string, unknown>;
}

/** The answer an `Http`/`ApiConnection` action gets, from {@link SimulateOptions.httpResponses}. */
export interface SimulatedHttpResponse {
  readonly statusCode: number;
  readonly headers?: Record<string, unknown>;
  readonly body?: unknown;
}

/** Options of {@link simulateWorkflow}. */
export interface SimulateOptions {
  /** Parameter values in the `logic.Workflow` resource's `parameters` input shape (`{name: {type?, value}}`). @default definition defaults */
  readonly parameters?: Readonly<Record<string, { readonly type?: string; readonly value: unknown }>>;
  /** The clock for `utcNow()`. @default the real clock */
  readonly now?: string | Date;
  /**
   * Answers `Http` and `ApiConnection` actions, once per attempt (`attempt` counts from 1): a retry
   * policy resends on 408, 429 and 5xx. Status 400 and above fails the action. @default 200 with an empty JSON object
   */
  readonly httpResponses?: (actionName: string, inputs: unknown, attempt: number) => SimulatedHttpResponse;
  /** Upper bound on Foreach items and Until iterations. @default 100000 (the Consumption limit) */
  readonly maxIterations?: number;
}

/** The simulator's view of a definition: plain JSON, narrowed at run time. */
export interface SimulatedDefinition {
  readonly $schema?: string;
  readonly contentVersion?: string;
  readonly parameters?: unknown;
  readonly triggers?: unknown;
  readonly actions?: unknown;
  readonly outputs?: unknown;
}

const STATUSES: readonly ActionStatus[] = ["Succeeded", "Failed", "Skipped", "TimedOut", "Cancelled"];
const CONTAINERS = new Set(["if", "foreach", "scope", "until"]);
const SUPPORTED = new Set([
  "compose",
  "query",
  "http",
  "apiconnection",
  "response",
  "if",
  "foreach",
  "scope",
  "until",
  "initializevariable",
  "setvariable",
  "appendtoarrayvariable",
  "appendtostringvariable",
  "incrementvariable",
  "decrementvariable",
  "terminate",
]);

class Terminated extends Error {}

/**
 * Retries of an action's retry policy. Logic Apps' Default policy (no `retryPolicy`, or type
 * `default`) sends up to 4 retries, on 408, 429 and 5xx answers and timeouts; `none` sends none;
 * `fixed`/`exponential` send `count`. Source: Microsoft Learn, "Handle errors and exceptions in
 * Azure Logic Apps" (https://learn.microsoft.com/azure/logic-apps/error-exception-handling#retry-policies).
 * The waits between attempts are not simulated.
 */
export function retryCount(inputs: unknown): number {
  const policy = isObject(inputs) && isObject(inputs.retryPolicy) ? inputs.retryPolicy : undefined;
  const type = String(policy?.type ?? "default").toLowerCase();
  if (type === "none") return 0;
  if (type === "default") return 4;
  const count = Number(policy?.count);
  return Number.isInteger(count) && count >= 0 ? count : 4;
}

/** True for the answers a retry policy resends on: 408, 429 and 5xx. */
export function isRetryableStatus(statusCode: number): boolean {
  return statusCode === 408 || statusCode === 429 || statusCode >= 500;
}

interface Frame {
  readonly path: string;
  readonly iteration: readonly number[];
  readonly item?: { readonly value: unknown };
  readonly items: Record<string, unknown>;
  readonly topLevel: boolean;
}

type ActionMap = Readonly<Record<string, Record<string, unknown>>>;

function asActions(value: unknown, where: string): ActionMap {
  if (value === undefined) return {};
  if (!isObject(value)) throw new Error(`${where}: 'actions' must be an object of actions, got ${JSON.stringify(value)}`);
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, a] of Object.entries(value)) {
    if (!isObject(a)) throw new Error(`${where}.${name}: an action must be an object, got ${JSON.stringify(a)}`);
    out[name] = a;
  }
  return out;
}

function runAfterOf(action: Record<string, unknown>, name: string): Record<string, ActionStatus[]> {
  const ra = action.runAfter;
  if (ra === undefined) return {};
  if (!isObject(ra)) throw new Error(`action '${name}': runAfter must be an object of {action: [statuses]}`);
  const out: Record<string, ActionStatus[]> = {};
  for (const [dep, list] of Object.entries(ra)) {
    if (!Array.isArray(list)) throw new Error(`action '${name}': runAfter.${dep} must be an array of statuses`);
    out[dep] = list.map((s) => {
      const match = STATUSES.find((x) => typeof s === "string" && x.toLowerCase() === s.toLowerCase());
      if (match === undefined) throw new Error(`action '${name}': runAfter.${dep} has unknown status ${JSON.stringify(s)}; expected one of ${STATUSES.join(", ")}`);
      return match;
    });
    if (out[dep].length === 0) out[dep] = ["Succeeded"];
  }
  return out;
}

/** Checks the definition's structure before running: action types, names, runAfter targets, templates. */
function checkDefinition(definition: SimulatedDefinition): void {
  const names = new Set<string>();
  const problems: string[] = [];
  // `loop`: the innermost enclosing Foreach/Until, if any.
  const visit = (actions: ActionMap, where: string, topLevel: boolean, loop?: string): void => {
    for (const [name, a] of Object.entries(actions)) {
      const path = `${where}.${name}`;
      if (names.has(name)) problems.push(`${path}: action names must be unique in a workflow; '${name}' appears twice`);
      names.add(name);
      const type = typeof a.type === "string" ? a.type : "";
      if (!SUPPORTED.has(type.toLowerCase())) {
        problems.push(
          `${path}: action type ${JSON.stringify(a.type)} is not supported by the simulator; supported types: Compose, Query, Http, ApiConnection, Response, If, Foreach, Scope, Until, InitializeVariable, SetVariable, AppendToArrayVariable, AppendToStringVariable, IncrementVariable, DecrementVariable, Terminate`,
        );
        continue;
      }
      const lower = type.toLowerCase();
      if (lower === "initializevariable" && !topLevel) problems.push(`${path}: InitializeVariable must be a top-level action (Logic Apps rule)`);
      if (lower === "initializevariable") problems.push(...initializeVariableCountProblems(path, a));
      if ((lower === "response" || lower === "terminate") && loop !== undefined) {
        problems.push(
          `${path}: a ${type} action can't be inside a Foreach or Until loop (here '${loop}'), sequential ones included (Logic Apps rule); move it after the loop`,
        );
      }
      for (const dep of Object.keys(runAfterOf(a, name))) {
        if (!(dep in actions)) problems.push(`${path}: runAfter names '${dep}', which is not an action in the same scope`);
      }
      const innerLoop = lower === "foreach" || lower === "until" ? name : loop;
      if (CONTAINERS.has(lower)) visit(asActions(a.actions, path), `${path}.actions`, false, innerLoop);
      if (lower === "if" && isObject(a.else)) visit(asActions(a.else.actions, `${path}.else`), `${path}.else.actions`, false, innerLoop);
    }
  };
  visit(asActions(definition.actions, "actions"), "actions", true);
  problems.push(...validateTemplates(definition.actions, "actions").map(describeProblem));
  problems.push(...validateTemplates(definition.outputs, "outputs").map(describeProblem));
  if (problems.length > 0) throw new Error(`The workflow definition is invalid:\n${problems.join("\n")}`);
}

function hasResponse(actions: ActionMap): boolean {
  return Object.values(actions).some((a) => {
    const t = String(a.type ?? "").toLowerCase();
    if (t === "response") return true;
    if (CONTAINERS.has(t) && hasResponse(asActions(a.actions, ""))) return true;
    return t === "if" && isObject(a.else) && hasResponse(asActions(a.else.actions, ""));
  });
}

class Run {
  readonly records: SimulatedAction[] = [];
  readonly results: Record<string, ActionResult> = {};
  readonly scopeResults: Record<string, unknown[]> = {};
  readonly variables: Record<string, unknown> = {};
  readonly guidState = { next: 0 };
  response?: SimulatedResponse;
  terminated?: ActionStatus;

  constructor(
    readonly trigger: { readonly headers: Record<string, unknown>; readonly body: unknown },
    readonly parameters: Record<string, unknown>,
    readonly options: SimulateOptions,
  ) {}

  context(frame: Frame): ExpressionContext {
    return {
      triggerBody: this.trigger.body,
      triggerOutputs: { headers: this.trigger.headers, body: this.trigger.body },
      parameters: this.parameters,
      variables: this.variables,
      actions: this.results,
      items: frame.items,
      results: this.scopeResults,
      guidState: this.guidState,
      ...(frame.item !== undefined ? { item: frame.item.value } : {}),
      ...(this.options.now !== undefined ? { now: this.options.now } : {}),
    };
  }

  record(frame: Frame, name: string, type: string, status: ActionStatus, extra: { inputs?: unknown; outputs?: unknown; error?: string; attempts?: number } = {}): void {
    const rec: SimulatedAction = {
      name,
      type,
      status,
      ...(extra.inputs !== undefined ? { inputs: extra.inputs } : {}),
      ...(extra.outputs !== undefined ? { outputs: extra.outputs } : {}),
      ...(extra.error !== undefined ? { error: extra.error } : {}),
      ...(extra.attempts !== undefined ? { attempts: extra.attempts } : {}),
      path: frame.path === "" ? name : `${frame.path}/${name}`,
      iteration: frame.iteration,
    };
    this.records.push(rec);
    this.results[name] = {
      name,
      status,
      ...(extra.inputs !== undefined ? { inputs: extra.inputs } : {}),
      ...(extra.outputs !== undefined ? { outputs: extra.outputs } : {}),
      ...(extra.error !== undefined ? { error: { message: extra.error } } : {}),
    };
  }

  /** Records `actions` (and everything nested) as Skipped. */
  skipAll(actions: ActionMap, frame: Frame): void {
    for (const [name, a] of Object.entries(actions)) {
      const type = String(a.type);
      this.record(frame, name, type, "Skipped");
      const lower = type.toLowerCase();
      const inner = { ...frame, path: frame.path === "" ? name : `${frame.path}/${name}` };
      if (CONTAINERS.has(lower)) this.skipAll(asActions(a.actions, name), inner);
      if (lower === "if" && isObject(a.else)) this.skipAll(asActions(a.else.actions, name), { ...inner, path: `${inner.path}/else` });
    }
  }

  /** Runs one scope's actions in runAfter order; returns the scope's status. */
  runScope(actions: ActionMap, frame: Frame): ActionStatus {
    const statuses = new Map<string, ActionStatus>();
    const pending = Object.keys(actions);
    const deps = new Map(pending.map((n) => [n, runAfterOf(actions[n], n)]));
    while (pending.length > 0) {
      const idx = pending.findIndex((n) => Object.keys(deps.get(n) ?? {}).every((d) => statuses.has(d)));
      if (idx < 0) throw new Error(`actions ${pending.map((p) => `'${p}'`).join(", ")} wait on each other through runAfter (a cycle)`);
      const [name] = pending.splice(idx, 1);
      const ra = deps.get(name) ?? {};
      const ready = Object.entries(ra).every(([d, allowed]) => allowed.includes(statuses.get(d) ?? "Skipped"));
      const action = actions[name];
      if (!ready) {
        this.skipAll({ [name]: action }, frame);
        statuses.set(name, "Skipped");
        continue;
      }
      statuses.set(name, this.runAction(name, action, frame));
    }
    // A failure counts against the scope unless a sibling declared it handles that status.
    const handled = (name: string, status: ActionStatus): boolean =>
      [...deps.values()].some((ra) => (ra[name] ?? []).includes(status));
    let outcome: ActionStatus = "Succeeded";
    for (const [name, status] of statuses) {
      if ((status === "Failed" || status === "TimedOut" || status === "Cancelled") && !handled(name, status)) {
        if (outcome === "Succeeded" || status === "Failed") outcome = status;
      }
    }
    return outcome;
  }

  runAction(name: string, action: Record<string, unknown>, frame: Frame): ActionStatus {
    const type = String(action.type);
    const lower = type.toLowerCase();
    const ctx = this.context(frame);
    const inner = (suffix = ""): Frame => ({ ...frame, path: (frame.path === "" ? name : `${frame.path}/${name}`) + suffix, topLevel: false });
    const evalOrFail = (value: unknown): { ok: true; value: unknown } | { ok: false; error: string } => {
      try {
        return { ok: true, value: evaluateValue(value, ctx) };
      } catch (e) {
        if (e instanceof ExpressionError) return { ok: false, error: `InvalidTemplate: ${e.message}` };
        throw e;
      }
    };
    switch (lower) {
      case "compose": {
        const r = evalOrFail(action.inputs);
        if (!r.ok) return this.fail(frame, name, type, r.error);
        this.record(frame, name, type, "Succeeded", { inputs: r.value, outputs: r.value });
        return "Succeeded";
      }
      case "query": {
        // Filter array: `inputs.from` an array, `inputs.where` a condition evaluated with item() bound to each element.
        const inputs = (action.inputs ?? {}) as Record<string, unknown>;
        const from = evalOrFail(inputs.from);
        if (!from.ok || !Array.isArray(from.value)) return this.fail(frame, name, type, !from.ok ? from.error : `'from' must evaluate to an array, got ${JSON.stringify(from.value)}`);
        const kept: unknown[] = [];
        for (const item of from.value) {
          try {
            if (evaluateValue(inputs.where, { ...ctx, item }) === true) kept.push(item);
          } catch (e) {
            if (e instanceof ExpressionError) return this.fail(frame, name, type, `InvalidTemplate: ${e.message}`);
            throw e;
          }
        }
        this.record(frame, name, type, "Succeeded", { inputs: { from: from.value, where: inputs.where }, outputs: { body: kept } });
        return "Succeeded";
      }
      case "http":
      case "apiconnection": {
        const r = evalOrFail(action.inputs);
        if (!r.ok) return this.fail(frame, name, type, r.error);
        const retries = retryCount(r.value);
        let attempts = 0;
        let answer: SimulatedHttpResponse;
        do {
          attempts++;
          answer = this.options.httpResponses?.(name, r.value, attempts) ?? { statusCode: 200, headers: {}, body: {} };
        } while (isRetryableStatus(answer.statusCode) && attempts <= retries);
        const outputs = { statusCode: answer.statusCode, headers: answer.headers ?? {}, body: answer.body ?? null };
        const failed = answer.statusCode >= 400;
        this.record(frame, name, type, failed ? "Failed" : "Succeeded", {
          inputs: r.value,
          outputs,
          attempts,
          ...(failed ? { error: `the service answered ${answer.statusCode} (after ${attempts} attempt${attempts === 1 ? "" : "s"})` } : {}),
        });
        return failed ? "Failed" : "Succeeded";
      }
      case "response": {
        const r = evalOrFail(action.inputs);
        if (!r.ok) return this.fail(frame, name, type, r.error);
        if (this.response !== undefined) return this.fail(frame, name, type, "the workflow already sent its response; only one Response action can run", r.value);
        const inputs = isObject(r.value) ? r.value : {};
        const statusCode = inputs.statusCode === undefined ? 200 : Number(inputs.statusCode);
        if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
          return this.fail(frame, name, type, `statusCode must be an integer between 100 and 599, got ${JSON.stringify(inputs.statusCode)}`, r.value);
        }
        this.response = {
          statusCode,
          ...(isObject(inputs.headers) ? { headers: inputs.headers } : {}),
          ...(inputs.body !== undefined ? { body: inputs.body } : {}),
        };
        this.record(frame, name, type, "Succeeded", { inputs: r.value, outputs: this.response });
        return "Succeeded";
      }
      case "if": {
        const r = evalOrFail(action.expression);
        const elseActions = isObject(action.else) ? asActions(action.else.actions, name) : {};
        const thenActions = asActions(action.actions, name);
        if (!r.ok || typeof r.value !== "boolean") {
          const error = !r.ok ? r.error : `the 'expression' of an If must evaluate to a boolean, got ${JSON.stringify(r.value)}`;
          this.fail(frame, name, type, error);
          this.skipAll(thenActions, inner());
          this.skipAll(elseActions, inner("/else"));
          return "Failed";
        }
        const at = this.records.length;
        this.record(frame, name, type, "Succeeded", { inputs: { expression: r.value } });
        const outcome = r.value ? this.runScope(thenActions, inner()) : this.runScope(elseActions, inner("/else"));
        if (r.value) this.skipAll(elseActions, inner("/else"));
        else this.skipAll(thenActions, inner());
        return this.finish(at, name, outcome);
      }
      case "scope": {
        const at = this.records.length;
        this.record(frame, name, type, "Succeeded");
        const outcome = this.runScope(asActions(action.actions, name), inner());
        return this.finish(at, name, outcome);
      }
      case "foreach": {
        const r = evalOrFail(action.foreach);
        const body = asActions(action.actions, name);
        if (!r.ok || !Array.isArray(r.value)) {
          const error = !r.ok ? r.error : `the 'foreach' expression must evaluate to an array, got ${JSON.stringify(r.value)}`;
          this.fail(frame, name, type, error);
          return "Failed";
        }
        const items = r.value;
        const limit = this.options.maxIterations ?? 100_000;
        if (items.length > limit) return this.fail(frame, name, type, `the array has ${items.length} items; the limit is ${limit}`);
        const at = this.records.length;
        this.record(frame, name, type, "Succeeded", { inputs: items });
        let outcome: ActionStatus = "Succeeded";
        this.scopeResults[name] = [];
        items.forEach((item, i) => {
          const f: Frame = {
            path: `${inner().path}[${i}]`,
            iteration: [...frame.iteration, i],
            item: { value: item },
            items: { ...frame.items, [name]: item },
            topLevel: false,
          };
          const before = this.records.length;
          const s = this.runScope(body, f);
          this.collectResults(name, before, f.path);
          if (s !== "Succeeded") outcome = outcome === "Failed" ? outcome : s;
        });
        return this.finish(at, name, outcome);
      }
      case "until": {
        const body = asActions(action.actions, name);
        const limitSpec = isObject(action.limit) ? action.limit : {};
        const count = Math.min(typeof limitSpec.count === "number" ? limitSpec.count : 60, this.options.maxIterations ?? 5_000);
        const at = this.records.length;
        this.record(frame, name, type, "Succeeded");
        let outcome: ActionStatus = "Succeeded";
        for (let i = 0; i < count; i++) {
          const f: Frame = { ...inner(`[${i}]`), iteration: [...frame.iteration, i] };
          const s = this.runScope(body, f);
          if (s !== "Succeeded") outcome = s;
          const r = evalOrFail(action.expression);
          if (!r.ok) return this.finish(at, name, "Failed", r.error);
          if (r.value === true) return this.finish(at, name, outcome);
        }
        return this.finish(at, name, outcome);
      }
      case "initializevariable": {
        const r = evalOrFail(action.inputs);
        if (!r.ok) return this.fail(frame, name, type, r.error);
        const vars = isObject(r.value) && Array.isArray(r.value.variables) ? r.value.variables : [];
        for (const v of vars) {
          if (!isObject(v) || typeof v.name !== "string") return this.fail(frame, name, type, "each variable needs a name", r.value);
          if (v.name in this.variables) return this.fail(frame, name, type, `the variable '${v.name}' is already initialized`, r.value);
          const defaults: Record<string, unknown> = { array: [], string: "", integer: 0, float: 0, boolean: false, object: {} };
          this.variables[v.name] = v.value !== undefined ? v.value : (defaults[String(v.type).toLowerCase()] ?? null);
        }
        this.record(frame, name, type, "Succeeded", { inputs: r.value });
        return "Succeeded";
      }
      case "setvariable":
      case "appendtoarrayvariable":
      case "appendtostringvariable":
      case "incrementvariable":
      case "decrementvariable": {
        const r = evalOrFail(action.inputs);
        if (!r.ok) return this.fail(frame, name, type, r.error);
        const inputs = isObject(r.value) ? r.value : {};
        const varName = String(inputs.name);
        if (!(varName in this.variables)) return this.fail(frame, name, type, `the variable '${varName}' is not initialized; add an InitializeVariable action`, r.value);
        const current = this.variables[varName];
        let next: unknown;
        if (lower === "setvariable") next = inputs.value;
        else if (lower === "appendtoarrayvariable") {
          if (!Array.isArray(current)) return this.fail(frame, name, type, `the variable '${varName}' is not an array`, r.value);
          next = [...current, inputs.value];
        } else if (lower === "appendtostringvariable") {
          if (typeof current !== "string") return this.fail(frame, name, type, `the variable '${varName}' is not a string`, r.value);
          next = current + String(inputs.value ?? "");
        } else {
          const by = inputs.value === undefined ? 1 : Number(inputs.value);
          if (typeof current !== "number") return this.fail(frame, name, type, `the variable '${varName}' is not a number`, r.value);
          next = lower === "incrementvariable" ? current + by : current - by;
        }
        this.variables[varName] = next;
        this.record(frame, name, type, "Succeeded", { inputs: r.value, outputs: { body: { name: varName, value: next } } });
        return "Succeeded";
      }
      case "terminate": {
        const r = evalOrFail(action.inputs);
        const inputs = r.ok && isObject(r.value) ? r.value : {};
        const runStatus = STATUSES.find((s) => s.toLowerCase() === String(inputs.runStatus ?? "Failed").toLowerCase()) ?? "Failed";
        this.record(frame, name, type, "Succeeded", { inputs: r.ok ? r.value : undefined });
        this.terminated = runStatus;
        throw new Terminated();
      }
      default:
        throw new Error(`action '${name}': type '${type}' is not supported by the simulator`);
    }
  }

  private collectResults(scope: string, from: number, prefix: string): void {
    const list = this.scopeResults[scope] ?? (this.scopeResults[scope] = []);
    for (const r of this.records.slice(from)) {
      if (r.path === `${prefix}/${r.name}`) list.push({ name: r.name, status: r.status, inputs: r.inputs, outputs: r.outputs, ...(r.error ? { error: { message: r.error } } : {}) });
    }
  }

  private fail(frame: Frame, name: string, type: string, error: string, inputs?: unknown): ActionStatus {
    this.record(frame, name, type, "Failed", { error, ...(inputs !== undefined ? { inputs } : {}) });
    return "Failed";
  }

  /** Updates a container's record (written before its children ran) with its final status. */
  private finish(index: number, name: string, status: ActionStatus, error?: string): ActionStatus {
    const rec = this.records[index];
    this.records[index] = { ...rec, status, ...(error !== undefined ? { error } : {}) };
    const prev = this.results[name] ?? {};
    this.results[name] = { ...prev, status };
    if (rec.type.toLowerCase() !== "foreach") {
      const prefix = rec.path;
      const list: unknown[] = [];
      for (const r of this.records.slice(index + 1)) {
        if (r.path === `${prefix}/${r.name}` || r.path === `${prefix}/else/${r.name}`) list.push({ name: r.name, status: r.status, inputs: r.inputs, outputs: r.outputs });
      }
      this.scopeResults[name] = list;
    }
    return status;
  }
}

function resolveParameters(definition: SimulatedDefinition, options: SimulateOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const declared = isObject(definition.parameters) ? definition.parameters : {};
  for (const [name, spec] of Object.entries(declared)) {
    if (isObject(spec) && "defaultValue" in spec) out[name] = spec.defaultValue;
  }
  for (const [name, p] of Object.entries(options.parameters ?? {})) {
    if (!(name in declared)) {
      throw new Error(
        `simulateWorkflow: parameter '${name}' is not declared in the definition's parameters (declared: ${Object.keys(declared).join(", ") || "none"}); declare it or remove it`,
      );
    }
    out[name] = p.value;
  }
  for (const name of Object.keys(declared)) {
    if (!(name in out)) throw new Error(`simulateWorkflow: parameter '${name}' has no defaultValue and no value was given in options.parameters`);
  }
  return out;
}

/**
 * Runs a workflow definition against one HTTP request to its Request trigger, without side
 * effects. Throws for definitions Logic Apps would reject (unknown action types, bad templates,
 * runAfter on unknown actions, duplicate names, missing parameters, splitOn, Response or Terminate
 * inside a Foreach/Until loop); expression failures
 * at run time make the action Failed instead, as in Logic Apps.
 */
export function simulateWorkflow(
  definition: SimulatedDefinition,
  request: { readonly headers?: Record<string, unknown>; readonly body: unknown },
  options: SimulateOptions = {},
): SimulationResult {
  const triggers = isObject(definition.triggers) ? Object.entries(definition.triggers) : [];
  if (triggers.length !== 1) throw new Error(`simulateWorkflow: the definition needs exactly one trigger, found ${triggers.length}`);
  const [triggerName, trigger] = triggers[0];
  if (!isObject(trigger) || String(trigger.type).toLowerCase() !== "request") {
    throw new Error(`simulateWorkflow: trigger '${triggerName}' has type ${JSON.stringify(isObject(trigger) ? trigger.type : trigger)}; only Request triggers are simulated`);
  }
  if (trigger.splitOn !== undefined) {
    throw new Error(
      `simulateWorkflow: trigger '${triggerName}' uses splitOn, which makes Logic Apps answer 202 at once and start one run per item, so the workflow can't answer the Event Grid validation handshake; remove splitOn and loop with Foreach`,
    );
  }
  checkDefinition(definition);
  const parameters = resolveParameters(definition, options);
  const actions = asActions(definition.actions, "actions");
  const run = new Run({ headers: request.headers ?? {}, body: request.body }, parameters, options);
  const top: Frame = { path: "", iteration: [], items: {}, topLevel: true };
  let status: ActionStatus;
  try {
    status = run.runScope(actions, top);
  } catch (e) {
    if (!(e instanceof Terminated)) throw e;
    status = run.terminated ?? "Failed";
  }
  let outputs: Record<string, unknown> | undefined;
  if (isObject(definition.outputs)) {
    outputs = {};
    for (const [k, spec] of Object.entries(definition.outputs)) {
      outputs[k] = evaluateValue(isObject(spec) ? spec.value : spec, run.context(top));
    }
  }
  const response: SimulatedResponse =
    run.response ??
    (hasResponse(actions)
      ? { statusCode: 502, body: { error: { code: "NoResponse", message: "The server did not receive a response from an upstream server." } } }
      : { statusCode: 202 });
  return { response, actions: run.records, ...(outputs !== undefined ? { outputs } : {}), status, variables: { ...run.variables } };
}

/**
 * An InitializeVariable action declares exactly one variable: Microsoft Learn, "Create, modify, or
 * initialize a variable in Azure Logic Apps", says the action "can create only one variable at a time"
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-create-variables-store-values).
 */
function initializeVariableCountProblems(path: string, action: { readonly inputs?: unknown }): string[] {
  const inputs = action.inputs;
  const vars = typeof inputs === "object" && inputs !== null && "variables" in inputs ? (inputs as { variables?: unknown }).variables : undefined;
  if (Array.isArray(vars) && vars.length === 1) return [];
  const count = Array.isArray(vars) ? String(vars.length) : "no list of";
  return [`${path}: InitializeVariable declares ${count} variables; Logic Apps creates only one variable per Initialize variable action: split it into one action per variable`];
}
