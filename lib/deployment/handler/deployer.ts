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
import { compareVersions, deploymentBody, endpointBody, parseModelRef, planTraffic } from "../arm";
import { DEPLOYER_SETTINGS } from "../constants";
import { parseWorkspaceId, WorkspaceRef } from "../../arm/ids";
import { Decision, DEPLOY_RULE_DEFAULTS, DeployRule, parseDeployRules, planModelDeployment } from "../decision";

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
    log({ level: "info", msg: "event ignored", reason: decision.reason });
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

async function deploy(
  decision: Extract<Decision, { action: "deploy" }>,
  deps: DeployerDeps,
  log: (line: LogLine) => void,
): Promise<DeployOutcome> {
  const { client, config } = deps;
  const ws = parseWorkspaceId(config.workspaceId);
  if (ws === undefined) return { status: "failed", reason: `workspace id ${config.workspaceId} is not a workspace ARM id` };
  const lro = { updateIntervalInMs: config.pollIntervalMs ?? 2000 };
  const { endpointName, deploymentName } = decision;

  // 1. The endpoint: create it when missing.
  let endpoint = await getEndpoint(client, ws, endpointName);
  const location =
    config.location ?? endpoint?.location ?? (await client.workspaces.get(ws.resourceGroupName, ws.workspaceName)).location ?? "";
  let endpointCreated = false;
  if (endpoint === undefined) {
    log({ level: "info", msg: "creating online endpoint", endpointName, location });
    endpoint = await client.onlineEndpoints.beginCreateOrUpdateAndWait(
      ws.resourceGroupName,
      ws.workspaceName,
      endpointName,
      endpointBody(decision.rule, location),
      lro,
    );
    endpointCreated = true;
  } else if (IN_PROGRESS.has(provisioningState(endpoint))) {
    throw new TransientDeploymentError(`endpoint ${endpointName} is ${endpoint.properties.provisioningState}; retry when it settles`);
  }

  // 2. Existing deployments: never go backwards, never redo what is done.
  const existing: OnlineDeployment[] = [];
  for await (const d of client.onlineDeployments.list(ws.resourceGroupName, ws.workspaceName, endpointName)) existing.push(d);
  const newer = existing.find((d) => {
    const ref = parseModelRef(d.properties.model);
    return ref !== undefined && ref.name === decision.modelName && compareVersions(ref.version, decision.modelVersion) > 0;
  });
  if (newer !== undefined) {
    const ref = parseModelRef(newer.properties.model);
    return {
      status: "ignored",
      reason: `a newer version of ${decision.modelName} (${ref?.version}) is already deployed as ${newer.name} on ${endpointName}; not rolling back to ${decision.modelVersion}`,
    };
  }
  const body = deploymentBody(decision, config.workspaceId, endpoint.location || location);
  const same = existing.find((d) => d.name === deploymentName);
  if (same !== undefined && (same.properties.model ?? "").toLowerCase() !== body.properties.model.toLowerCase()) {
    return {
      status: "failed",
      reason: `deployment ${deploymentName} on ${endpointName} already serves ${same.properties.model}, not ${body.properties.model}; the model names collide after sanitizing — rename one model`,
    };
  }
  if (same !== undefined && IN_PROGRESS.has(provisioningState(same))) {
    throw new TransientDeploymentError(`deployment ${deploymentName} is ${same.properties.provisioningState}; retry when it settles`);
  }
  let deploymentCreated = false;
  if (same === undefined || provisioningState(same) !== "succeeded") {
    log({ level: "info", msg: same ? "re-deploying a deployment that did not succeed" : "creating deployment", deploymentName, model: body.properties.model });
    await client.onlineDeployments.beginCreateOrUpdateAndWait(ws.resourceGroupName, ws.workspaceName, endpointName, deploymentName, body, lro);
    deploymentCreated = true;
  }

  // 3. Traffic, read fresh (another invocation may have changed it).
  const current = (await client.onlineEndpoints.get(ws.resourceGroupName, ws.workspaceName, endpointName)) as OnlineEndpoint;
  const percent = decision.rule.trafficPercent ?? DEPLOY_RULE_DEFAULTS.trafficPercent;
  const before = current.properties.traffic ?? {};
  const traffic = planTraffic(before, deploymentName, percent);
  const unchanged = Object.keys(traffic).every((k) => (before[k] ?? 0) === traffic[k]);
  if (unchanged) {
    if (!deploymentCreated && !endpointCreated) return { status: "up-to-date", endpointName, deploymentName };
  } else {
    log({ level: "info", msg: "setting endpoint traffic", endpointName, traffic });
    await client.onlineEndpoints.beginCreateOrUpdateAndWait(
      ws.resourceGroupName,
      ws.workspaceName,
      endpointName,
      { ...current, properties: { ...current.properties, traffic } },
      lro,
    );
  }
  return { status: "deployed", endpointName, deploymentName, endpointCreated, deploymentCreated, traffic };
}
