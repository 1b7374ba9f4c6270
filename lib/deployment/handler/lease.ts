/**
 * Per-endpoint mutual exclusion across every instance and process of the deployer: an Azure Storage
 * blob lease on one blob per endpoint in the deployer's own storage account.
 *
 * Why a blob lease ("Lease Blob", Azure Storage REST reference on Microsoft Learn): a lease is a lock on
 * a blob for write and delete operations, acquired for 15 to 60 seconds (or infinite); while it is
 * active, another Acquire answers 409 (LeaseAlreadyPresent); the holder renews it with its lease id and
 * releases it so another client can acquire it at once; a lease that is neither renewed nor released
 * expires when its duration ends, so a crashed instance blocks an endpoint for at most one lease
 * period. Flex Consumption runs up to `maximumInstanceCount` instances, each processing its own queue
 * messages, so an in-process lock is not enough.
 *
 * Limits, stated rather than hidden: a holder that stalls longer than the lease period (a frozen VM)
 * loses the lease; it notices at its next renewal, and {@link LeaseGuard.assertHeld} renews right before
 * every write, so a write happens only within one lease period of a successful renewal.
 */
import type { BlobLeaseClient, ContainerClient } from "@azure/storage-blob";
import { createHash } from "crypto";

export { DEPLOYER_LEASE_CONTAINER } from "../constants";

/** Timing of the lease; defaults suit minutes-long deployments. */
export interface LeaseTiming {
  /** Lease duration in seconds, 15–60 (Lease Blob's bounds). @default 30 */
  readonly leaseSeconds?: number;
  /** How long to wait for another holder before giving up (the event is then retried later). @default 300000 (5 minutes) */
  readonly waitMs?: number;
  /** Pause between acquire attempts while another holder has the endpoint. @default 1000 */
  readonly retryMs?: number;
}

/** What the work under the lease may ask. */
export interface LeaseGuard {
  /** Renews the lease now; throws {@link LeaseLostError} when it was lost. Called before every write. */
  assertHeld(): Promise<void>;
}

/** Runs work while holding the lock of one endpoint. */
export interface EndpointLocker {
  withLease<T>(key: string, work: (guard: LeaseGuard) => Promise<T>): Promise<T>;
}

/** The lease of an endpoint was lost while work ran (renewal failed): nothing more is written; the event is retried. */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LeaseLostError";
  }
}

/** Another holder kept the endpoint for the whole bounded wait: the event is retried later. */
export class LeaseBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LeaseBusyError";
  }
}

/** A locker for a single process (tests, local runs): no cross-process exclusion, guards always hold. */
export const processOnlyLocker: EndpointLocker = { withLease: (_key, work) => work({ assertHeld: async () => undefined }) };

/** The lease blob's name for an endpoint key: readable endpoint part plus a hash of the whole key (workspace included). */
export function leaseBlobName(key: string): string {
  const readable = key.split("/").pop()?.replace(/[^a-z0-9-]/gi, "-").toLowerCase() ?? "endpoint";
  return `endpoints/${readable}-${createHash("sha256").update(key.toLowerCase()).digest("hex").slice(0, 16)}`;
}

const statusOf = (e: unknown): number | undefined => (typeof e === "object" && e !== null && typeof (e as { statusCode?: unknown }).statusCode === "number" ? (e as { statusCode: number }).statusCode : undefined);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Blob-lease locker over the deployer's lease container. `log` hears waits, acquisitions and releases. */
export class BlobEndpointLocker implements EndpointLocker {
  private readonly leaseSeconds: number;
  private readonly waitMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly container: ContainerClient,
    timing: LeaseTiming = {},
    private readonly log: (msg: string, fields: Record<string, unknown>) => void = () => undefined,
  ) {
    this.leaseSeconds = Math.min(60, Math.max(15, timing.leaseSeconds ?? 30));
    this.waitMs = timing.waitMs ?? 300_000;
    this.retryMs = timing.retryMs ?? 1000;
  }

  async withLease<T>(key: string, work: (guard: LeaseGuard) => Promise<T>): Promise<T> {
    const blobName = leaseBlobName(key);
    const lease = await this.acquire(blobName);
    let lost: unknown;
    const renew = async (): Promise<void> => {
      if (lost !== undefined) throw new LeaseLostError(`lost the lease on ${blobName}: ${String(lost)}`);
      try {
        await lease.renewLease();
      } catch (e) {
        lost = e instanceof Error ? e.message : e;
        throw new LeaseLostError(`lost the lease on ${blobName}: ${String(lost)}`);
      }
    };
    const timer = setInterval(() => void renew().catch(() => undefined), (this.leaseSeconds * 1000) / 3);
    try {
      return await work({ assertHeld: renew });
    } finally {
      clearInterval(timer);
      await lease.releaseLease().then(
        () => this.log("endpoint lease released", { blobName }),
        (e: unknown) => this.log("endpoint lease not released (it expires by itself)", { blobName, error: e instanceof Error ? e.message : String(e) }),
      );
    }
  }

  /** Acquires the blob's lease, creating the empty blob first; waits (bounded) while another holder has it. */
  private async acquire(blobName: string): Promise<BlobLeaseClient> {
    const blob = this.container.getBlockBlobClient(blobName);
    await blob.upload("", 0, { conditions: { ifNoneMatch: "*" } }).catch((e: unknown) => {
      // 409 (exists and leased) and 412 (exists) both mean the blob is there.
      if (statusOf(e) !== 409 && statusOf(e) !== 412) throw e;
    });
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 1; ; attempt++) {
      const lease = blob.getBlobLeaseClient();
      try {
        await lease.acquireLease(this.leaseSeconds);
        this.log("endpoint lease acquired", { blobName, attempt });
        return lease;
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        if (attempt === 1) this.log("waiting for the endpoint lease (another instance is deploying to this endpoint)", { blobName });
        if (Date.now() + this.retryMs > deadline) {
          throw new LeaseBusyError(`another instance held the lease on ${blobName} for the whole ${this.waitMs} ms wait; the event is retried later`);
        }
        await sleep(this.retryMs * (0.5 + Math.random()));
      }
    }
  }
}
