/**
 * The deployer Function's invocation side, loaded on the first invocation by the entry module
 * (./index.ts): wires the core ({@link handleEvent}) to a managed identity, the Azure Machine Learning
 * management client and the blob lease. The Azure SDKs it imports are most of the bundle; keeping them
 * out of the entry module keeps the worker's start (and the function's registration) short.
 * scripts/bundle-handler.mjs bundles this file into its own `runtime.js` next to `index.js`.
 */
import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import type { InvocationContext } from "@azure/functions";
import { ManagedIdentityCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { BlobEndpointLocker, DEPLOYER_LEASE_CONTAINER, EndpointLocker } from "./lease";
import { keepForever } from "./poison";
import { DEPLOYER_FUNCTION_NAME, DEPLOYER_MAX_DEQUEUE_COUNT, DEPLOYER_POISON_QUEUE_NAME, DEPLOYER_SETTINGS } from "../constants";
import { parseWorkspaceId } from "../../arm/ids";
import { DeployerConfig, DeployerDeps, handleEvent, LogLine, loadDeployerConfig, parseQueueMessage } from "./deployer";

interface Setup {
  readonly credential: ManagedIdentityCredential;
  readonly client: AzureMachineLearningWorkspaces;
  readonly config: DeployerConfig;
  readonly locker: EndpointLocker;
}
let cached: Setup | undefined;

/**
 * The blob service of the host storage account, by identity: `AzureWebJobsStorage__blobServiceUri`
 * when set (sovereign clouds), else `https://{AzureWebJobsStorage__accountName}.blob.core.windows.net`
 * (the identity-based connection settings of the Functions host, "Azure Functions app settings reference").
 */
function blobServiceUrl(env: Readonly<Record<string, string | undefined>>): string {
  const uri = env.AzureWebJobsStorage__blobServiceUri;
  if (uri) return uri;
  const account = env.AzureWebJobsStorage__accountName;
  if (!account) throw new Error("AzureWebJobsStorage__accountName is not set: the deployer needs its storage account for the endpoint leases.");
  return `https://${account}.blob.core.windows.net`;
}

/** A client id: a GUID (Microsoft Entra application ids are). */
const CLIENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The managed identity every SDK client of the handler uses: the user-assigned identity whose client id
 * is in `AZURE_CLIENT_ID` (ModelDeployer writes it when the app acts as a user-assigned identity), else
 * the system-assigned one. A set but malformed value throws, so the message is retried and then kept,
 * instead of each call failing later with a token error that does not name the setting.
 */
export function deployerCredential(env: Readonly<Record<string, string | undefined>>): ManagedIdentityCredential {
  const clientId = env[DEPLOYER_SETTINGS.clientId];
  if (clientId === undefined || clientId === "") return new ManagedIdentityCredential();
  if (!CLIENT_ID.test(clientId)) throw new Error(`${DEPLOYER_SETTINGS.clientId} is ${JSON.stringify(clientId)}, not a client id (a GUID such as 00000000-0000-0000-0000-000000000000); set it to the user-assigned identity's client id, or remove it to use the system-assigned identity.`);
  return new ManagedIdentityCredential({ clientId });
}

/** Builds (once per worker) the client and configuration from app settings. Throws on bad settings so events are retried, then dead-lettered, never dropped. */
function setup(): Setup {
  if (cached) return cached;
  const config = loadDeployerConfig(process.env);
  const ws = parseWorkspaceId(config.workspaceId);
  if (ws === undefined) throw new Error(`${DEPLOYER_SETTINGS.workspaceId} is not a workspace ARM id.`);
  const credential = deployerCredential(process.env);
  const container = new BlobServiceClient(blobServiceUrl(process.env), credential).getContainerClient(DEPLOYER_LEASE_CONTAINER);
  const locker = new BlobEndpointLocker(container, {}, (msg, fields) => console.log(JSON.stringify({ function: DEPLOYER_FUNCTION_NAME, msg, ...fields })));
  cached = { credential, client: new AzureMachineLearningWorkspaces(credential, ws.subscriptionId), config, locker };
  return cached;
}

function writer(context: InvocationContext): (line: LogLine) => void {
  return (line) => {
    const text = JSON.stringify({ function: DEPLOYER_FUNCTION_NAME, invocationId: context.invocationId, ...line });
    if (line.level === "error") context.error(text);
    else if (line.level === "warn") context.warn(text);
    else context.log(text);
  };
}

/** The queue service of the host storage account, by identity (same settings as {@link blobServiceUrl}). */
function queueServiceUrl(env: Readonly<Record<string, string | undefined>>): string {
  return env.AzureWebJobsStorage__queueServiceUri || blobServiceUrl(env).replace(".blob.", ".queue.");
}

/**
 * The invocation handler: resolves to delete the message, rejects to have it dequeued again later; the
 * last attempt keeps the message in the poison queue without expiry and acknowledges it.
 */
export async function deployOnModelRegistered(message: unknown, context: InvocationContext): Promise<void> {
  const { client, config, locker } = setup();
  const deps: DeployerDeps = { client, config, locker, log: writer(context) };
  try {
    await handleEvent(parseQueueMessage(message), deps);
  } catch (error) {
    const attempt = Number(context.triggerMetadata?.dequeueCount ?? 0);
    if (attempt < DEPLOYER_MAX_DEQUEUE_COUNT) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    // The host would move the message to the poison queue with the Queue service's default time-to-live
    // (7 days, "Put Message" on Microsoft Learn), after which it vanishes. Keep it ourselves with
    // messagettl -1 ("doesn't expire", same page), then acknowledge; if that fails, the host moves it.
    try {
      await keepForever(message, new QueueServiceClient(queueServiceUrl(process.env), setup().credential));
    } catch (keepError) {
      deps.log({ level: "error", msg: `last attempt failed and the message could not be kept; the host moves it to ${DEPLOYER_POISON_QUEUE_NAME} (default time-to-live 7 days)`, attempt, error: reason, keepError: String(keepError) });
      throw error;
    }
    deps.log({ level: "error", msg: `last attempt failed; the message is kept in ${DEPLOYER_POISON_QUEUE_NAME} without expiry`, attempt, error: reason });
  }
}
