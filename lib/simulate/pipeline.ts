/**
 * A side-effect-free Azure Data Factory pipeline simulator for control-flow pipelines: Web,
 * SetVariable, Wait (virtual clock, no sleeping), Until, IfCondition and Fail activities, with
 * dependency conditions, activity retry policies and ADF's pipeline outcome rule. HTTP goes to a
 * caller-supplied function. Expressions (`@pipeline().parameters.x`, `@activity('A').output.x`,
 * `@variables('v')`, `@{…}` interpolation, `{value, type: "Expression"}` objects) run on the Logic Apps
 * evaluator of this folder, which shares ADF's syntax and core functions; `pipeline()` and
 * `activity()` are supplied as host functions.
 *
 * Semantics modelled from Microsoft Learn: "Pipeline failure and error handling" (a skipped leaf is
 * replaced by its parent; the run succeeds only if every evaluated leaf succeeded), "Until activity"
 * (do-until: the inner activities run, then the condition is checked; timeout `d.hh:mm:ss`, default
 * 7 days), "Web activity" (JSON object responses; `turnOffAsync`), activity `policy.retry` /
 * `retryIntervalInSeconds` (default 30 s). Siblings run one at a time in definition order (ADF runs
 * independent branches in parallel; the outcome rule is the same).
 */
import { ExpressionContext, evaluateExpression } from "./evaluate";
import { isObject } from "./values";

/** The request a Web activity sends. */
export interface AdfHttpRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Absolute URL. */
  readonly url: string;
  /** Request headers as configured. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent (objects are serialized to JSON). */
  readonly body?: string;
  /** `{type: "MSI", resource}` with the factory's system identity; `{type: "UserAssignedManagedIdentity", resource, credential}` with the user-assigned identity of the named factory credential. */
  readonly authentication?: { readonly type: string; readonly resource?: string; readonly credential?: string };
}

/** What the endpoint answers. */
export interface AdfHttpResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Parsed JSON body. */
  readonly body?: unknown;
}

/** The caller's HTTP transport (a fake endpoint, or a client to a loopback server). */
export type AdfHttp = (request: AdfHttpRequest) => Promise<AdfHttpResponse>;

/** An ADF error as the run reports it. */
export interface AdfError {
  /** Error code, e.g. `2108` for a failed Web call or the Fail activity's own code. */
  readonly errorCode: string;
  /** Error message. */
  readonly message: string;
  /** `UserError` or `SystemError`. */
  readonly failureType: string;
  /** The activity that failed. */
  readonly target: string;
}

/** One activity run (each Until iteration records its inner activities again). */
export interface AdfActivityRun {
  /** Activity name. */
  readonly name: string;
  /** Activity type. */
  readonly type: string;
  /** Outcome. */
  readonly status: "Succeeded" | "Failed" | "Skipped";
  /** Attempts made (1 + retries used). */
  readonly attempts: number;
  /** Virtual seconds since the run started, at start and end. */
  readonly startSeconds: number;
  /** Virtual seconds at the end. */
  readonly endSeconds: number;
  /** The activity's output, when it has one. */
  readonly output?: unknown;
  /** The error, when it failed. */
  readonly error?: AdfError;
}

/** A pipeline as azure-native's `datafactory.Pipeline` takes it (the parts the simulator reads). */
export interface AdfPipelineDefinition {
  /** Top-level activities. */
  readonly activities: readonly unknown[];
  /** Parameter declarations. @default {} */
  readonly parameters?: Readonly<Record<string, { readonly type?: string; readonly defaultValue?: unknown }>>;
  /** Variable declarations. @default {} */
  readonly variables?: Readonly<Record<string, { readonly type?: string; readonly defaultValue?: unknown }>>;
}

/** Options of {@link simulatePipeline}. */
export interface SimulatePipelineOptions {
  /** Parameter values (`createRun` body). @default {} */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The HTTP transport for Web activities. */
  readonly http: AdfHttp;
  /** Start of the virtual clock. @default "2026-01-01T00:00:00Z" */
  readonly startTime?: string;
  /** Guard against endless loops: most Until iterations in one run. @default 100000 */
  readonly maxIterations?: number;
}

/** The run's outcome. */
export interface PipelineRunResult {
  /** `Succeeded` or `Failed`. */
  readonly status: "Succeeded" | "Failed";
  /** The error of the failed activity that decided the outcome. */
  readonly error?: AdfError;
  /** Every activity run, in order. */
  readonly activities: readonly AdfActivityRun[];
  /** Every HTTP request sent (retries included), in order. */
  readonly requests: readonly AdfHttpRequest[];
  /** Final variable values. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Virtual seconds the run took. */
  readonly durationSeconds: number;
}

type Activity = Record<string, unknown> & { readonly name: string; readonly type: string };
type Status = AdfActivityRun["status"];
interface Outcome {
  readonly status: Status;
  readonly output?: unknown;
  readonly error?: AdfError;
}
/** What an expression may read: parameters, variables, earlier activities' outcomes. */
export interface AdfExpressionState {
  /** Pipeline parameter values. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Variable values. @default {} */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** Activity outcomes by name. @default {} */
  readonly activities?: Readonly<Record<string, { status: string; output?: unknown; error?: unknown }>>;
  /** Current virtual time (for `utcNow()`). @default the real clock */
  readonly now?: string;
}

/** The Logic Apps evaluator's context for ADF expressions: `pipeline()` and `activity('A')` as host functions. */
export function adfExpressionContext(state: AdfExpressionState): ExpressionContext {
  const activity = (args: readonly unknown[]): unknown => {
    const name = String(args[0]);
    const run = state.activities?.[name];
    if (run === undefined) throw new Error(`activity '${name}' has not run yet; reference an activity this one depends on`);
    return { status: run.status, output: run.output ?? null, error: run.error ?? null };
  };
  return {
    variables: state.variables ?? {},
    ...(state.now !== undefined ? { now: state.now } : {}),
    functions: {
      pipeline: () => ({ parameters: state.parameters, RunId: "simulated-run", Pipeline: "simulated-pipeline", DataFactory: "simulated-factory" }),
      activity,
    },
  };
}

/** Evaluates an ADF property value: `"@…"` strings and `{value, type: "Expression"}` objects are expressions; objects and arrays member by member. */
export function evaluateAdfValue(value: unknown, state: AdfExpressionState): unknown {
  const ctx = adfExpressionContext(state);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return evaluateExpression(v, ctx);
    if (isObject(v) && v.type === "Expression" && typeof v.value === "string" && Object.keys(v).length === 2) return evaluateExpression(v.value, ctx);
    if (Array.isArray(v)) return v.map(walk);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

/** The request a Web activity would send for the given state (used by previews and by the simulator). */
export function adfWebRequest(activity: Readonly<Record<string, unknown>>, state: AdfExpressionState): AdfHttpRequest {
  const url = evaluateAdfValue(activity.url, state);
  if (typeof url !== "string" || !/^https?:\/\//i.test(url)) throw new Error(`Web activity ${String(activity.name)}: url evaluated to ${JSON.stringify(url)}, not an http(s) URL`);
  const headers = evaluateAdfValue(activity.headers ?? {}, state);
  const body = activity.body === undefined ? undefined : evaluateAdfValue(activity.body, state);
  const auth = activity.authentication;
  return {
    method: String(activity.method).toUpperCase(),
    url,
    headers: isObject(headers) ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])) : {},
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    ...(isObject(auth) ? { authentication: webAuthentication(auth, state) } : {}),
  };
}

/** A Web activity's authentication as the request shows it: type, evaluated resource, and the credential's name. */
function webAuthentication(auth: Readonly<Record<string, unknown>>, state: AdfExpressionState): NonNullable<AdfHttpRequest["authentication"]> {
  const credential = isObject(auth.credential) ? auth.credential.referenceName : undefined;
  return {
    type: String(auth.type),
    ...(auth.resource !== undefined ? { resource: String(evaluateAdfValue(auth.resource, state)) } : {}),
    ...(credential !== undefined ? { credential: String(credential) } : {}),
  };
}

/** Seconds of an ADF timespan `d.hh:mm:ss` or `hh:mm:ss`. */
export function adfTimespanSeconds(span: string): number {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(span);
  if (!m) throw new Error(`timespan ${JSON.stringify(span)} is not d.hh:mm:ss`);
  return Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

const failure = (target: string, errorCode: string, message: string, failureType = "UserError"): AdfError => ({ errorCode, message, failureType, target });

class PipelineRun {
  clock = 0;
  iterations = 0;
  readonly variables: Record<string, unknown> = {};
  readonly outcomes: Record<string, Outcome> = {};
  readonly log: AdfActivityRun[] = [];
  readonly requests: AdfHttpRequest[] = [];

  constructor(
    readonly definition: AdfPipelineDefinition,
    readonly parameters: Readonly<Record<string, unknown>>,
    readonly options: SimulatePipelineOptions,
  ) {
    for (const [name, decl] of Object.entries(definition.variables ?? {})) this.variables[name] = decl.defaultValue ?? null;
  }

  state(): AdfExpressionState {
    const start = Date.parse(this.options.startTime ?? "2026-01-01T00:00:00Z");
    return { parameters: this.parameters, variables: this.variables, activities: this.outcomes, now: new Date(start + this.clock * 1000).toISOString() };
  }

  value(v: unknown): unknown {
    return evaluateAdfValue(v, this.state());
  }

  /** Runs a container's activities in dependency order; answers the container's failure, if any. */
  async container(list: readonly unknown[]): Promise<AdfError | undefined> {
    const activities = list.map(asActivity);
    const done = new Map<string, Status>();
    while (done.size < activities.length) {
      const next = activities.find((a) => !done.has(a.name) && deps(a).every((d) => done.has(d.activity)));
      if (next === undefined) throw new Error(`activities ${activities.filter((a) => !done.has(a.name)).map((a) => a.name).join(", ")} depend on unknown activities or on each other`);
      const runIt = deps(next).every((d) => d.dependencyConditions.some((c) => matches(c, done.get(d.activity) as Status)));
      const outcome = runIt ? await this.activity(next) : this.skip(next);
      done.set(next.name, outcome.status);
    }
    return this.leafFailure(activities, done);
  }

  leafFailure(activities: readonly Activity[], done: ReadonlyMap<string, Status>): AdfError | undefined {
    const dependedOn = new Set(activities.flatMap((a) => deps(a).map((d) => d.activity)));
    const evaluate = (a: Activity): Activity[] => (done.get(a.name) === "Skipped" ? deps(a).flatMap((d) => evaluate(byName(activities, d.activity))) : [a]);
    const failed = activities.filter((a) => !dependedOn.has(a.name)).flatMap(evaluate).filter((a) => done.get(a.name) === "Failed");
    const first = activities.find((a) => failed.includes(a));
    return first ? this.outcomes[first.name].error : undefined;
  }

  skip(a: Activity): Outcome {
    const outcome: Outcome = { status: "Skipped" };
    this.outcomes[a.name] = outcome;
    this.log.push({ name: a.name, type: a.type, status: "Skipped", attempts: 0, startSeconds: this.clock, endSeconds: this.clock });
    return outcome;
  }

  async activity(a: Activity): Promise<Outcome> {
    const start = this.clock;
    const policy = isObject(a.policy) ? a.policy : {};
    const retries = Number(policy.retry ?? 0);
    const interval = Number(policy.retryIntervalInSeconds ?? 30);
    let attempts = 0;
    let outcome: Outcome;
    for (;;) {
      attempts++;
      outcome = await this.attempt(a);
      if (outcome.status !== "Failed" || attempts > retries) break;
      this.clock += interval;
    }
    this.outcomes[a.name] = outcome;
    this.log.push({ name: a.name, type: a.type, status: outcome.status, attempts, startSeconds: start, endSeconds: this.clock, ...(outcome.output !== undefined ? { output: outcome.output } : {}), ...(outcome.error ? { error: outcome.error } : {}) });
    return outcome;
  }

  async attempt(a: Activity): Promise<Outcome> {
    switch (a.type) {
      case "WebActivity":
        return this.web(a);
      case "SetVariable":
        return this.setVariable(a);
      case "Wait":
        this.clock += Number(this.value(a.waitTimeInSeconds));
        return { status: "Succeeded" };
      case "Until":
        return this.until(a);
      case "IfCondition":
        return this.ifCondition(a);
      case "Fail":
        return { status: "Failed", error: failure(a.name, String(this.value(a.errorCode)), String(this.value(a.message))) };
      default:
        throw new Error(`activity ${a.name}: type ${JSON.stringify(a.type)} is not simulated (Web, SetVariable, Wait, Until, IfCondition, Fail are)`);
    }
  }

  async web(a: Activity): Promise<Outcome> {
    let request: AdfHttpRequest;
    try {
      request = adfWebRequest(a, this.state());
    } catch (e) {
      return { status: "Failed", error: failure(a.name, "2011", e instanceof Error ? e.message : String(e)) };
    }
    this.requests.push(request);
    let response: AdfHttpResponse;
    try {
      response = await this.options.http(request);
      response = await this.followAsync(a, response);
    } catch (e) {
      return { status: "Failed", error: failure(a.name, "2108", `Error calling the endpoint '${request.url}': ${e instanceof Error ? e.message : String(e)}`) };
    }
    if (response.status < 200 || response.status > 299) {
      return { status: "Failed", error: failure(a.name, "2108", `Invoking endpoint '${request.url}' failed with HttpStatusCode - '${response.status}', message - '${JSON.stringify(response.body ?? null)}'`) };
    }
    if (!isObject(response.body)) return { status: "Failed", error: failure(a.name, "2108", `Response Content from '${request.url}' is not a JSON object`) };
    return { status: "Succeeded", output: { ...response.body, ADFWebActivityResponseHeaders: response.headers ?? {} } };
  }

  /** A 202 with a Location header is followed with GETs unless `turnOffAsync` is set. */
  async followAsync(a: Activity, first: AdfHttpResponse): Promise<AdfHttpResponse> {
    let response = first;
    for (let i = 0; response.status === 202 && a.turnOffAsync !== true && response.headers?.location !== undefined; i++) {
      if (i >= 1000) throw new Error("the endpoint answered 202 1000 times in a row");
      const poll: AdfHttpRequest = { method: "GET", url: response.headers.location, headers: {}, ...(this.requests[this.requests.length - 1].authentication ? { authentication: this.requests[this.requests.length - 1].authentication } : {}) };
      this.requests.push(poll);
      response = await this.options.http(poll);
    }
    return response;
  }

  setVariable(a: Activity): Outcome {
    const name = String(a.variableName);
    if (!Object.prototype.hasOwnProperty.call(this.definition.variables ?? {}, name)) {
      throw new Error(`SetVariable ${a.name}: variable ${JSON.stringify(name)} is not declared in the pipeline's variables`);
    }
    try {
      this.variables[name] = this.value(a.value);
    } catch (e) {
      return { status: "Failed", error: failure(a.name, "2011", e instanceof Error ? e.message : String(e)) };
    }
    return { status: "Succeeded", output: { value: this.variables[name] } };
  }

  async until(a: Activity): Promise<Outcome> {
    const start = this.clock;
    const timeout = adfTimespanSeconds(typeof a.timeout === "string" ? a.timeout : "7.00:00:00");
    const max = this.options.maxIterations ?? 100_000;
    for (;;) {
      if (++this.iterations > max) throw new Error(`Until ${a.name}: more than ${max} iterations; raise maxIterations or check the loop's condition`);
      const inner = await this.container(asList(a.activities));
      if (inner) return { status: "Failed", error: inner };
      const expression = isObject(a.expression) ? a.expression.value : a.expression;
      if (this.value(expression) === true) return { status: "Succeeded" };
      if (this.clock - start >= timeout) {
        return { status: "Failed", error: failure(a.name, "ActivityTimedOut", `Until activity ${a.name} timed out after ${timeout} seconds before its condition became true`) };
      }
    }
  }

  async ifCondition(a: Activity): Promise<Outcome> {
    const expression = isObject(a.expression) ? a.expression.value : a.expression;
    const cond = this.value(expression);
    if (typeof cond !== "boolean") return { status: "Failed", error: failure(a.name, "2011", `IfCondition ${a.name}: the expression evaluated to ${JSON.stringify(cond)}, not a boolean`) };
    const inner = await this.container(asList(cond ? a.ifTrueActivities : a.ifFalseActivities));
    return inner ? { status: "Failed", error: inner } : { status: "Succeeded" };
  }
}

interface Dependency {
  readonly activity: string;
  readonly dependencyConditions: readonly string[];
}

function asActivity(v: unknown): Activity {
  if (!isObject(v) || typeof v.name !== "string" || typeof v.type !== "string") throw new Error(`activity ${JSON.stringify(v)} has no name or type`);
  return v as Activity;
}

function asList(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

function deps(a: Activity): readonly Dependency[] {
  return asList(a.dependsOn) as Dependency[];
}

function byName(activities: readonly Activity[], name: string): Activity {
  const a = activities.find((x) => x.name === name);
  if (a === undefined) throw new Error(`no activity named ${JSON.stringify(name)}`);
  return a;
}

function matches(condition: string, status: Status): boolean {
  return condition === "Completed" ? status === "Succeeded" || status === "Failed" : condition === status;
}

/** Checks parameters like `createRun` does: declared defaults apply, a declared parameter without a default must be given. */
function runParameters(definition: AdfPipelineDefinition, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, decl] of Object.entries(definition.parameters ?? {})) {
    if (Object.prototype.hasOwnProperty.call(given, name)) out[name] = given[name];
    else if (decl.defaultValue !== undefined) out[name] = decl.defaultValue;
    else throw new Error(`createRun: missing value for pipeline parameter ${JSON.stringify(name)}; pass it in the parameters`);
  }
  return { ...given, ...out };
}

/**
 * Runs a pipeline against `options.http`. Returns the ADF run status (a Fail activity or a failed
 * leaf makes it `Failed`), each activity run, each HTTP request and the final variables. Throws for
 * definitions ADF would refuse to publish (unknown activity types, undeclared variables, cycles).
 */
export async function simulatePipeline(definition: AdfPipelineDefinition, options: SimulatePipelineOptions): Promise<PipelineRunResult> {
  const run = new PipelineRun(definition, runParameters(definition, options.parameters ?? {}), options);
  const error = await run.container(definition.activities);
  return {
    status: error ? "Failed" : "Succeeded",
    ...(error ? { error } : {}),
    activities: run.log,
    requests: run.requests,
    variables: { ...run.variables },
    durationSeconds: run.clock,
  };
}
