/**
 * One deployer instance in its own process (forked by soak.test.ts): the real handler core
 * ({@link handleEvent}), the real `@azure/arm-machinelearning` client against the parent's fake ARM,
 * and the real blob lease against the parent's Azurite. The parent sends deliveries; the worker answers
 * each with the outcome (acknowledge) or the error (the parent redelivers or dead-letters).
 */
import { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import { BlobServiceClient } from "@azure/storage-blob";
import { DeployerConfig, handleEvent } from "../../lib/deployment/handler/deployer";
import { BlobEndpointLocker, DEPLOYER_LEASE_CONTAINER } from "../../lib/deployment/handler/lease";

/** First message from the parent. */
export interface WorkerInit {
  readonly kind: "init";
  readonly armUrl: string;
  readonly ca: string;
  readonly storage: string;
  readonly subscriptionId: string;
  readonly config: DeployerConfig;
}

/** One delivery to handle. */
export interface WorkerJob {
  readonly kind: "job";
  readonly job: number;
  readonly payload: unknown;
}

/** The answer to a job. */
export type WorkerReply =
  | { readonly job: number; readonly ok: true; readonly status: string; readonly deployment?: string; readonly reason?: string; readonly leaseWaits: number }
  | { readonly job: number; readonly ok: false; readonly name: string; readonly message: string; readonly leaseWaits: number };

/** Times this process found an endpoint's lease held by another holder, since its last reply. */
let leaseWaits = 0;
const takeWaits = (): number => {
  const n = leaseWaits;
  leaseWaits = 0;
  return n;
};

let deps: Parameters<typeof handleEvent>[1] | undefined;

function init(m: WorkerInit): void {
  const client = new AzureMachineLearningWorkspaces(
    { getToken: async () => ({ token: "soak-token", expiresOnTimestamp: Date.now() + 3_600_000 }) },
    m.subscriptionId,
    { endpoint: m.armUrl, $host: m.armUrl, tlsOptions: { ca: m.ca }, retryOptions: { maxRetries: 2, retryDelayInMs: 2, maxRetryDelayInMs: 10 } },
  );
  const container = BlobServiceClient.fromConnectionString(m.storage).getContainerClient(DEPLOYER_LEASE_CONTAINER);
  const locker = new BlobEndpointLocker(container, { leaseSeconds: 15, waitMs: 8_000, retryMs: 15 }, (msg) => {
    if (msg.startsWith("waiting")) leaseWaits += 1;
  });
  deps = { client, config: m.config, locker, log: () => undefined };
}

async function run(m: WorkerJob): Promise<WorkerReply> {
  if (deps === undefined) return { job: m.job, ok: false, name: "Error", message: "worker not initialised", leaseWaits: 0 };
  try {
    const outcome = await handleEvent(m.payload, deps);
    return { job: m.job, ok: true, status: outcome.status, ...("deploymentName" in outcome ? { deployment: outcome.deploymentName } : {}), ...("reason" in outcome ? { reason: outcome.reason } : {}), leaseWaits: takeWaits() };
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    return { job: m.job, ok: false, name: error.name, message: error.message, leaseWaits: takeWaits() };
  }
}

process.on("message", (m: WorkerInit | WorkerJob) => {
  if (m.kind === "init") {
    init(m);
    process.send?.({ ready: true });
    return;
  }
  void run(m).then((reply) => process.send?.(reply));
});
process.on("disconnect", () => process.exit(0));
