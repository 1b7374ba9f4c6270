/**
 * The deployer's core, independent of the Functions host: takes one delivered event and an
 * `AzureMachineLearningWorkspaces` client, and deploys the model version when a rule says so.
 *
 * Contract with Event Grid: resolving means "acknowledged" (success, nothing to do, or a permanent
 * problem that a retry cannot fix); throwing {@link TransientDeploymentError} means "retry later".
 */
import type { AzureMachineLearningWorkspaces, OnlineDeployment, OnlineEndpoint } from "@azure/arm-machinelearning";
import { EventGridDeserializer } from "@azure/eventgrid";
import { isRecord } from "../../events/parse";
import { deploymentBody, endpointBody, planTraffic } from "../arm";
import { blockingNewer, DeploymentSummary, repairTraffic, sameTraffic, summarize } from "../traffic";
import { DEPLOYER_SETTINGS } from "../constants";
import { parseWorkspaceId, WorkspaceRef } from "../../arm/ids";
import { EndpointLocker, LeaseBusyError, LeaseGuard, LeaseLostError, processOnlyLocker } from "./lease";
import { Decision, DeployRule, effectiveTrafficPercent, parseDeployRules, planModelDeployment } from "../decision";

/** The handler's configuration, read from app settings by {@link loadDeployerConfig}. */
export interface DeployerConfig {
  /** ARM id of the trusted workspace. */
  readonly workspaceId: string;
  /** The deployment rules, validated. */
  readonly rules: readonly DeployRule[];
  /** Region for new endpoints and deployments. @default - the existing endpoint's, else the workspace's (one extra GET) */
  readonly location?: string;
  /** Polling interval for long-running operations when the service sends no Retry-After. @default 2000 */
  readonly pollIntervalMs?: number;
  /** How long to wait for an endpoint or deployment to leave Creating/Updating before retrying the event later. @default 1200000 (20 minutes) */
  readonly settleTimeoutMs?: number;
  /** How long to read back the endpoint after a traffic write until it shows the traffic written. @default 300000 (5 minutes) */
  readonly readBackTimeoutMs?: number;
}

/** One structured log line (written as JSON). */
export interface LogLine {
  readonly level: "info" | "warn" | "error";
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** What the core needs: the ARM client, the configuration and a log sink. */
export interface DeployerDeps {
  readonly client: AzureMachineLearningWorkspaces;
  readonly config: DeployerConfig;
  readonly log: (line: LogLine) => void;
  /** Per-endpoint serialization inside this process. @default - one map per worker process */
  readonly locks?: EndpointLocks;
  /** Per-endpoint exclusion across instances and processes (a blob lease in production). @default - `processOnlyLocker` */
  readonly locker?: EndpointLocker;
}

/** What happened to one event (the function then returns success). */
export type DeployOutcome =
  | { readonly status: "ignored"; readonly reason: string }
  | { readonly status: "up-to-date"; readonly endpointName: string; readonly deploymentName: string }
  | {
      readonly status: "deployed";
      readonly endpointName: string;
      readonly deploymentName: string;
      readonly endpointCreated: boolean;
      readonly deploymentCreated: boolean;
      readonly traffic: Readonly<Record<string, number>>;
    }
  | { readonly status: "failed"; readonly reason: string };

/** Thrown for failures no retry can fix: the event is acknowledged with the message logged. */
export class PermanentDeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentDeploymentError";
  }
}

/** Thrown for failures worth retrying (throttling, 5xx, network, operations in progress): the Function fails so Event Grid redelivers. */
export class TransientDeploymentError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = "TransientDeploymentError";
  }
}

/** Reads and validates the handler's app settings; throws one error listing every problem. */
export function loadDeployerConfig(env: Readonly<Record<string, string | undefined>>): DeployerConfig {
  const problems: string[] = [];
  const workspaceId = env[DEPLOYER_SETTINGS.workspaceId] ?? "";
  if (parseWorkspaceId(workspaceId) === undefined) {
    problems.push(
      `${DEPLOYER_SETTINGS.workspaceId} must be a workspace ARM id (/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}), got ${JSON.stringify(workspaceId)}.`,
    );
  }
  let rules: DeployRule[] = [];
  try {
    rules = parseDeployRules(env[DEPLOYER_SETTINGS.rules] ?? "");
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (problems.length > 0) throw new Error(`The model deployer is misconfigured:\n${problems.join("\n")}`);
  const location = env[DEPLOYER_SETTINGS.workspaceLocation];
  return { workspaceId, rules, ...(location ? { location } : {}) };
}

/** Classification of an error from the Azure SDK. */
export interface ErrorClass {
  readonly transient: boolean;
  readonly statusCode?: number;
  readonly message: string;
}

/**
 * Decides whether an error is worth a retry. HTTP 408, 409 (another operation in progress), 429,
 * 5xx, 401/403 (role assignments take minutes to propagate; after the retries the event is
 * dead-lettered, not lost) and network errors are transient; other 4xx and long-running operations
 * that ended Failed are permanent.
 */
export function classifyError(error: unknown): ErrorClass {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof PermanentDeploymentError) return { transient: false, message };
  if (error instanceof LeaseBusyError || error instanceof LeaseLostError) return { transient: true, message };
  if (error instanceof TransientDeploymentError) return { transient: true, message, ...(error.statusCode ? { statusCode: error.statusCode } : {}) };
  if (isRecord(error) && error.name === "RestError") {
    const statusCode = typeof error.statusCode === "number" ? error.statusCode : undefined;
    if (statusCode === undefined) return { transient: true, message };
    const transient = statusCode === 401 || statusCode === 403 || statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500;
    return { transient, statusCode, message };
  }
  if (message.startsWith("The long-running operation has failed")) return { transient: false, message };
  return { transient: true, message };
}

function statusOf(error: unknown): number | undefined {
  return isRecord(error) && typeof error.statusCode === "number" ? error.statusCode : undefined;
}

const IN_PROGRESS = new Set(["creating", "updating", "scaling", "deleting"]);

function provisioningState(resource: { properties?: { provisioningState?: string } } | undefined): string {
  return (resource?.properties?.provisioningState ?? "").toLowerCase();
}

/**
 * Handles one delivered event. Resolves with what happened (the Function returns success);
 * throws {@link TransientDeploymentError} when Event Grid should retry.
 */
export async function handleEvent(delivered: unknown, deps: DeployerDeps): Promise<DeployOutcome> {
  const eventId = isRecord(delivered) && typeof delivered.id === "string" ? delivered.id : undefined;
  const log = (line: LogLine): void => deps.log({ ...line, ...(eventId ? { eventId } : {}) });
  const envelope = await readEnvelope(delivered);
  if ("problem" in envelope) {
    const reason = `malformed event: ${envelope.problem}`;
    log({ level: "info", msg: "event ignored", reason });
    return { status: "ignored", reason };
  }
  const decision = planModelDeployment(envelope.event, deps.config);
  if (decision.action === "ignore") {
    // A near miss (a model name or tag value that almost matches a rule) is a warning, never silent.
    log({ level: decision.reason.includes("(near misses: ") ? "warn" : "info", msg: "event ignored", reason: decision.reason });
    return { status: "ignored", reason: decision.reason };
  }
  log({
    level: "info",
    msg: "rule matched",
    model: `${decision.modelName}:${decision.modelVersion}`,
    endpointName: decision.endpointName,
    deploymentName: decision.deploymentName,
  });
  try {
    const outcome = await deploy(decision, deps, log);
    log({ level: "info", msg: `outcome ${outcome.status}`, ...outcome });
    return outcome;
  } catch (error) {
    const c = classifyError(error);
    if (c.transient) {
      log({ level: "error", msg: "transient failure; failing the invocation so Event Grid retries", statusCode: c.statusCode, error: c.message });
      throw error instanceof TransientDeploymentError ? error : new TransientDeploymentError(c.message, c.statusCode);
    }
    log({ level: "error", msg: "permanent failure; acknowledging the event (a retry cannot fix it)", statusCode: c.statusCode, error: c.message });
    return { status: "failed", reason: c.message };
  }
}

/**
 * The event inside a queue message. Event Grid's storage queue delivery has written plain JSON and
 * Base64-encoded JSON at different times (MicrosoftDocs/azure-docs#69702, #102923), and host.json
 * sets `messageEncoding: "none"`, so the worker hands over an object (JSON it parsed), a JSON
 * string, or a Base64 string: all three are read. Anything else passes through for the decision to
 * reject with a reason.
 */
export function parseQueueMessage(message: unknown): unknown {
  if (typeof message !== "string") return message;
  const text = message.trim();
  const json = (t: string): unknown => {
    try {
      return JSON.parse(t);
    } catch {
      return undefined;
    }
  };
  const direct = json(text);
  if (direct !== undefined) return direct;
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) {
    const decoded = json(Buffer.from(text, "base64").toString("utf8"));
    if (decoded !== undefined) return decoded;
  }
  return message;
}

const deserializer = new EventGridDeserializer();

/**
 * Validates the delivered envelope with the Event Grid SDK's deserializer (Event Grid schema, or
 * CloudEvents 1.0 when the subscription delivers that schema) and returns it in the Event Grid shape
 * the decision reads. Non-objects pass through: the decision explains why they are not events.
 */
export async function readEnvelope(delivered: unknown): Promise<{ readonly event: unknown } | { readonly problem: string }> {
  if (!isRecord(delivered)) return { event: delivered };
  try {
    if (delivered.specversion !== undefined) {
      const [ce] = await deserializer.deserializeCloudEvents(delivered);
      return {
        event: { id: ce.id, topic: ce.source, subject: ce.subject ?? "", eventType: ce.type, eventTime: ce.time?.toISOString() ?? "", data: ce.data, dataVersion: "" },
      };
    }
    const [eg] = await deserializer.deserializeEventGridEvents(delivered);
    return { event: { ...delivered, eventTime: eg.eventTime.toISOString() } };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

async function getEndpoint(client: AzureMachineLearningWorkspaces, ws: WorkspaceRef, name: string): Promise<OnlineEndpoint | undefined> {
  try {
    return await client.onlineEndpoints.get(ws.resourceGroupName, ws.workspaceName, name);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Per-endpoint serialization inside one worker: the tail of each endpoint's chain of work. */
export type EndpointLocks = Map<string, Promise<unknown>>;
const workerLocks: EndpointLocks = new Map();

/** Runs `work` after every earlier work on the same key has settled (success or failure). */
export async function serialized<T>(locks: EndpointLocks, key: string, work: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

async function deploy(decision: DeployDecision, deps: DeployerDeps, log: (line: LogLine) => void): Promise<DeployOutcome> {
  const ws = parseWorkspaceId(deps.config.workspaceId);
  if (ws === undefined) return { status: "failed", reason: `workspace id ${deps.config.workspaceId} is not a workspace ARM id` };
  const key = `${deps.config.workspaceId}/${decision.endpointName}`.toLowerCase();
  const lro = { updateIntervalInMs: deps.config.pollIntervalMs ?? 2000 };
  return serialized(deps.locks ?? workerLocks, key, () =>
    (deps.locker ?? processOnlyLocker).withLease(key, (guard) => deployLocked({ decision, deps, log, ws, lro, guard })),
  );
}

type DeployDecision = Extract<Decision, { action: "deploy" }>;

interface Ctx {
  readonly decision: DeployDecision;
  readonly deps: DeployerDeps;
  readonly log: (line: LogLine) => void;
  readonly ws: WorkspaceRef;
  readonly lro: { readonly updateIntervalInMs: number };
  /** The endpoint's lease: renewed (and so checked) before every write. */
  readonly guard: LeaseGuard;
}

async function deployLocked(ctx: Ctx): Promise<DeployOutcome> {
  const { decision } = ctx;
  const { endpointName, deploymentName } = decision;
  const { endpoint, location, created: endpointCreated } = await ensureEndpoint(ctx);
  let existing = await listDeployments(ctx);
  const newer = blockingNewer(existing.map(summarize), decision.modelName, decision.modelVersion);
  if (newer !== undefined) return newerOutcome(ctx, newer);
  const percent = effectiveTrafficPercent(decision.rule, anotherModelServes(endpoint, existing, decision.modelName));
  const body = deploymentBody(decision, ctx.deps.config.workspaceId, endpoint.location || location, percent);
  let same = existing.find((d) => d.name === deploymentName);
  if (same !== undefined && (same.properties.model ?? "").toLowerCase() !== body.properties.model.toLowerCase()) {
    return {
      status: "failed",
      reason: `deployment ${deploymentName} on ${endpointName} already serves ${same.properties.model}, not ${body.properties.model}; the model names collide after sanitizing — rename one model`,
    };
  }
  // An earlier attempt's create may still run (the client gave up, the service did not): wait for it.
  if (same !== undefined && IN_PROGRESS.has(provisioningState(same))) same = await settled(ctx, `deployment ${deploymentName}`, () => getDeployment(ctx, deploymentName));
  const deploymentCreated = same === undefined || provisioningState(same) !== "succeeded";
  if (deploymentCreated) {
    ctx.log({ level: "info", msg: same ? "re-deploying a deployment that did not succeed" : "creating deployment", deploymentName, model: body.properties.model });
    await ctx.guard.assertHeld();
    await ctx.deps.client.onlineDeployments.beginCreateOrUpdateAndWait(ctx.ws.resourceGroupName, ctx.ws.workspaceName, endpointName, deploymentName, body, ctx.lro);
    const done = await settled(ctx, `deployment ${deploymentName}`, () => getDeployment(ctx, deploymentName));
    if (provisioningState(done) !== "succeeded") throw new PermanentDeploymentError(`deployment ${deploymentName} ended ${done?.properties.provisioningState ?? "missing"}`);
  }
  // Traffic is computed only from a state read now, under the lease, with the endpoint settled.
  const current = await settled(ctx, `endpoint ${endpointName}`, () => getEndpoint(ctx.deps.client, ctx.ws, endpointName));
  if (current === undefined) throw new TransientDeploymentError(`endpoint ${endpointName} disappeared; retry`);
  // Minutes may have passed while creating: a newer version may have succeeded meanwhile (an instance that held the lease before).
  if (deploymentCreated) existing = await listDeployments(ctx);
  const newerNow = blockingNewer(existing.map(summarize), decision.modelName, decision.modelVersion);
  if (newerNow !== undefined && newerNow.state === "succeeded") return newerOutcome(ctx, newerNow);
  // The share is decided again from this state, not from the endpoint read before the deployment was
  // created: that read can be stale (AML reads back the previous traffic for a while after an update,
  // Azure/azure-dev#3881) or predate another model's canary that an earlier, failed attempt wrote. A
  // share decided on it gave a new version 100 % and took the other model's traffic (found by the soak).
  const share = effectiveTrafficPercent(decision.rule, anotherModelServes(current, existing, decision.modelName));
  return setTraffic(ctx, current, existing, share, { endpointCreated, deploymentCreated });
}

async function getDeployment(ctx: Ctx, name: string): Promise<OnlineDeployment | undefined> {
  try {
    return await ctx.deps.client.onlineDeployments.get(ctx.ws.resourceGroupName, ctx.ws.workspaceName, ctx.decision.endpointName, name);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Reads a resource until its provisioning state is terminal (not Creating/Updating/Scaling/Deleting),
 * bounded by `settleTimeoutMs`; past it the event is retried later (transient).
 */
async function settled<T extends { properties: { provisioningState?: string } }>(ctx: Ctx, what: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + (ctx.deps.config.settleTimeoutMs ?? 1_200_000);
  for (let round = 0; ; round++) {
    const resource = await read();
    if (!IN_PROGRESS.has(provisioningState(resource))) return resource;
    if (round === 0) ctx.log({ level: "info", msg: `waiting for ${what} to settle`, state: resource?.properties.provisioningState });
    if (Date.now() > deadline) throw new TransientDeploymentError(`${what} is still ${resource?.properties.provisioningState}; retry when it settles`);
    await pause(ctx.lro.updateIntervalInMs);
  }
}

/** True when a deployment of another model (or of an unknown one) holds traffic on the endpoint: a new model then starts as a canary. */
export function anotherModelServes(endpoint: OnlineEndpoint, deployments: readonly OnlineDeployment[], modelName: string): boolean {
  const traffic = endpoint.properties.traffic ?? {};
  return Object.entries(traffic).some(([name, share]) => {
    if (share <= 0) return false;
    const model = summarize(deployments.find((d) => d.name === name) ?? { properties: {} }).model;
    return model?.name !== modelName;
  });
}

function newerOutcome(ctx: Ctx, newer: DeploymentSummary): DeployOutcome {
  const { decision } = ctx;
  return {
    status: "ignored",
    reason: `a newer version of ${decision.modelName} (${newer.model?.version}) is already deployed as ${newer.name} on ${decision.endpointName}; not rolling back to ${decision.modelVersion}`,
  };
}

/**
 * Sets the decision's share unless this deployment already serves (a redelivered event never moves
 * traffic again after it was acknowledged), folds in any rollback repair, writes under the lease, then
 * reads back until the endpoint shows what was written (AML can read back stale traffic right after an
 * update: Azure/azure-dev#3881 waits for the same). The split never gives 0 % to a serving deployment
 * unless the new one takes 100 % in the same write, so there is no window without a serving deployment.
 */
async function setTraffic(ctx: Ctx, current: OnlineEndpoint, existing: readonly OnlineDeployment[], percent: number, made: { endpointCreated: boolean; deploymentCreated: boolean }): Promise<DeployOutcome> {
  const { endpointName, deploymentName } = ctx.decision;
  const before = current.properties.traffic ?? {};
  const serving = !made.deploymentCreated && (before[deploymentName] ?? 0) > 0;
  const planned = serving ? { ...before } : planTraffic(before, deploymentName, percent);
  const traffic = repairTraffic(planned, existing.map(summarize)) ?? planned;
  if (sameTraffic(before, traffic)) {
    if (!made.deploymentCreated && !made.endpointCreated) return { status: "up-to-date", endpointName, deploymentName };
    return { status: "deployed", endpointName, deploymentName, ...made, traffic: before };
  }
  await ctx.guard.assertHeld();
  ctx.log({ level: "info", msg: "setting endpoint traffic", endpointName, traffic });
  try {
    await ctx.deps.client.onlineEndpoints.beginCreateOrUpdateAndWait(
      ctx.ws.resourceGroupName,
      ctx.ws.workspaceName,
      endpointName,
      { ...current, properties: { ...current.properties, traffic } },
      ctx.lro,
    );
  } catch (err) {
    await settleFailedWrite(ctx, traffic, err);
  }
  await readBack(ctx, traffic);
  return { status: "deployed", endpointName, deploymentName, ...made, traffic };
}

/**
 * A traffic write that failed may still have been applied (the connection reset after ARM accepted it),
 * and AML reads back stale traffic for a while after an update. The lease is kept until the endpoint shows
 * what was written (bounded): the next holder then never computes traffic from a state our write is about
 * to replace. When it never shows, the original error stands and the event is retried.
 */
async function settleFailedWrite(ctx: Ctx, traffic: Readonly<Record<string, number>>, err: unknown): Promise<void> {
  try {
    await readBack(ctx, traffic);
  } catch {
    throw err;
  }
}

/** Reads the endpoint until it is settled and shows `traffic`, bounded by `readBackTimeoutMs`; otherwise the event is retried (transient). */
async function readBack(ctx: Ctx, traffic: Readonly<Record<string, number>>): Promise<void> {
  const deadline = Date.now() + (ctx.deps.config.readBackTimeoutMs ?? 300_000);
  for (;;) {
    const after = await getEndpoint(ctx.deps.client, ctx.ws, ctx.decision.endpointName);
    const shown = after?.properties.traffic ?? {};
    if (after !== undefined && !IN_PROGRESS.has(provisioningState(after)) && sameTraffic(shown, traffic)) return;
    if (Date.now() > deadline) {
      throw new TransientDeploymentError(`endpoint ${ctx.decision.endpointName} does not show the traffic written (${JSON.stringify(traffic)}; it shows ${JSON.stringify(shown)}); retrying the event`);
    }
    await pause(ctx.lro.updateIntervalInMs);
  }
}

async function listDeployments(ctx: Ctx): Promise<OnlineDeployment[]> {
  const out: OnlineDeployment[] = [];
  for await (const d of ctx.deps.client.onlineDeployments.list(ctx.ws.resourceGroupName, ctx.ws.workspaceName, ctx.decision.endpointName)) out.push(d);
  return out;
}

/** Matches ARM's answers when an online endpoint name is already used in the region by someone else. */
const NAME_TAKEN = /already (exists|in use|taken)|not available|is taken|NameNotAvailable|EndpointNameAlreadyExists|must be unique/i;

/** True when an endpoint-creation error says the name is taken in the region (not a transient conflict). */
export function endpointNameTaken(error: unknown): boolean {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return (status === 409 || status === 400) && NAME_TAKEN.test(message);
}

async function ensureEndpoint(ctx: Ctx): Promise<{ endpoint: OnlineEndpoint; location: string; created: boolean }> {
  const { client, config } = ctx.deps;
  const { endpointName } = ctx.decision;
  const endpoint = await getEndpoint(client, ctx.ws, endpointName);
  const location = config.location ?? endpoint?.location ?? (await client.workspaces.get(ctx.ws.resourceGroupName, ctx.ws.workspaceName)).location ?? "";
  if (endpoint !== undefined) {
    const ready = IN_PROGRESS.has(provisioningState(endpoint)) ? await settled(ctx, `endpoint ${endpointName}`, () => getEndpoint(client, ctx.ws, endpointName)) : endpoint;
    if (ready === undefined) throw new TransientDeploymentError(`endpoint ${endpointName} disappeared; retry`);
    return { endpoint: ready, location, created: false };
  }
  ctx.log({ level: "info", msg: "creating online endpoint", endpointName, location });
  try {
    await ctx.guard.assertHeld();
    const created = await client.onlineEndpoints.beginCreateOrUpdateAndWait(ctx.ws.resourceGroupName, ctx.ws.workspaceName, endpointName, endpointBody(ctx.decision.rule, location), ctx.lro);
    return { endpoint: created, location, created: true };
  } catch (error) {
    if (!endpointNameTaken(error)) throw error;
    const message =
      `online endpoint name ${endpointName} is taken in region ${location} (names are unique per region across all subscriptions): ` +
      `give the rule a more specific endpointName (e.g. prefixed with your organisation or workspace) and redeploy the ModelDeployer; this event will not be retried`;
    ctx.log({ level: "error", msg: "endpoint name taken in this region", endpointName, location, action: "rename the rule's endpointName", error: error instanceof Error ? error.message : String(error) });
    throw new PermanentDeploymentError(message);
  }
}
