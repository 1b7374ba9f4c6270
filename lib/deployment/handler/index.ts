/**
 * The Function App's entry point (Azure Functions Node.js v4 programming model): registers the
 * queue-triggered `deployOnModelRegistered` function (Event Grid delivers ModelRegistered events to
 * the deployer's storage queue, so minutes of work never race a 30-second delivery). The v4 model
 * registers functions when the worker loads this module, so registration stays here; the invocation
 * side and the Azure SDKs it needs (./runtime.ts, most of the bundle) load on the first invocation,
 * which keeps the worker's cold start short. scripts/bundle-handler.mjs bundles this file into
 * `index.js` and ./runtime.ts into `runtime.js` beside it.
 */
import { app, InvocationContext } from "@azure/functions";
import { DEPLOYER_FUNCTION_NAME, DEPLOYER_QUEUE_NAME } from "../constants";

type Runtime = typeof import("./runtime");
let runtime: Runtime | undefined;

/** The invocation side, required once per worker on first use (a load failure fails the invocation, so the message is retried). */
function loadRuntime(): Runtime {
  // A plain require (not import()), so both the tsc output and the bundle load it synchronously from beside this file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  runtime ??= require("./runtime") as Runtime;
  return runtime;
}

/** Resolves to delete the message, rejects to have it dequeued again later (see ./runtime.ts); a runtime that fails to load rejects too. */
export async function deployOnModelRegistered(message: unknown, context: InvocationContext): Promise<void> {
  return loadRuntime().deployOnModelRegistered(message, context);
}

// Identity connection: AzureWebJobsStorage__accountName (the queue service URI is derived from it), plus
// __credential/__clientId when the app acts as a user-assigned identity (../identity.ts): the host's settings.
app.storageQueue(DEPLOYER_FUNCTION_NAME, { queueName: DEPLOYER_QUEUE_NAME, connection: "AzureWebJobsStorage", handler: deployOnModelRegistered });
