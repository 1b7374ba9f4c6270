import { ContainerClient, BlobServiceClient, RestError } from "@azure/storage-blob";
import type { TokenCredential } from "@azure/core-auth";
import { checkTokenHost } from "./hosts";
import { parseDeadLetterPath } from "./records";

/** A listed blob. */
export interface ListedBlob {
  readonly name: string;
  readonly size: number;
}

/** The redelivery ledger entry of one event (a small blob beside the dead letters). */
export interface LedgerEntry {
  /** `pending`: about to be sent, outcome unknown if still pending later; `sent`: the destination acknowledged. */
  readonly state: "pending" | "sent";
  readonly eventId: string;
  readonly blobName: string;
  /** Destination label (no secrets). */
  readonly destination: string;
  /** When the state was written. */
  readonly at: string;
}

/** Prefix of ledger blobs inside the dead-letter container; Event Grid's own blobs never start with it. */
export const LEDGER_PREFIX = "_redelivery/";

/** Ledger blob name of an event of a subscription (keyed by subscription and event id, so duplicates share one mark). */
export function ledgerKey(subscription: string, eventId: string): string {
  return `${LEDGER_PREFIX}${subscription.toUpperCase()}/${encodeURIComponent(eventId)}.json`;
}

/** Reads of one blob before a concurrent rewrite is reported as an error. */
const READ_ATTEMPTS = 3;

/** Whether a read failed because the blob changed under it (short stream, or a 412 on its ETag). */
function changedWhileReading(e: unknown): boolean {
  if (e instanceof RestError) return e.statusCode === 412;
  return e instanceof Error && /Stream drains before getting enough data/.test(e.message);
}

/** How to reach the dead-letter container. */
export type StorageAccess =
  | { readonly kind: "connectionString"; readonly connectionString: string; readonly container: string }
  | {
      readonly kind: "accountUrl";
      readonly accountUrl: string;
      readonly credential: TokenCredential;
      readonly container: string;
      /** `host[:port]` values outside Azure Blob Storage that may receive the token (`--allow-token-host`). */
      readonly allowTokenHosts?: readonly string[];
    };

/** A ledger blob that exists but is not a ledger entry (truncated, edited, or written by something else). */
export class CorruptLedgerEntry extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`redelivery mark ${key} is unreadable (${detail}); the event is left alone: check the destination, then delete the mark blob to send it again`);
  }
}

/** Parses a ledger blob's text, or says why it is not an entry. */
export function parseLedgerEntry(key: string, text: string): LedgerEntry {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CorruptLedgerEntry(key, `not JSON: ${(e as Error).message.slice(0, 60)}`);
  }
  const r = raw as Partial<Record<keyof LedgerEntry, unknown>> | null;
  if (typeof r !== "object" || r === null || (r.state !== "pending" && r.state !== "sent") || typeof r.eventId !== "string" || typeof r.destination !== "string" || typeof r.at !== "string") {
    throw new CorruptLedgerEntry(key, "not a {state: pending|sent, eventId, destination, at} object");
  }
  return r as LedgerEntry;
}

/** Dead-letter container operations the commands need; the only place that talks to Blob Storage. */
export class DeadLetterStore {
  private readonly client: ContainerClient;

  constructor(access: StorageAccess) {
    if (access.kind === "accountUrl") {
      let url: URL;
      try {
        url = new URL(access.accountUrl);
      } catch {
        throw new Error(`--account-url ${JSON.stringify(access.accountUrl)} is not a URL; give https://<account>.blob.core.windows.net.`);
      }
      checkTokenHost("--account-url", url, "blob", access.allowTokenHosts ?? []);
    }
    const service =
      access.kind === "connectionString"
        ? BlobServiceClient.fromConnectionString(access.connectionString)
        : new BlobServiceClient(access.accountUrl, access.credential);
    this.client = service.getContainerClient(access.container);
  }

  /** Lists dead-letter blobs (ledger blobs excluded), at most `max`; says whether more exist. */
  async list(max: number, prefix?: string): Promise<{ blobs: ListedBlob[]; truncated: boolean }> {
    const blobs: ListedBlob[] = [];
    for await (const item of this.client.listBlobsFlat(prefix ? { prefix } : {})) {
      if (item.name.startsWith(LEDGER_PREFIX)) continue;
      if (blobs.length >= max) return { blobs, truncated: true };
      blobs.push({ name: item.name, size: item.properties.contentLength ?? 0 });
    }
    return { blobs, truncated: false };
  }

  /**
   * Reads a blob as UTF-8 text. A ledger blob can be rewritten by a concurrent run between the size
   * lookup and the download (the download then ends short, or its ETag no longer matches): read again.
   */
  async read(name: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        const buffer = await this.client.getBlobClient(name).downloadToBuffer();
        return buffer.toString("utf8");
      } catch (e) {
        if (attempt >= READ_ATTEMPTS || !changedWhileReading(e)) throw e;
      }
    }
  }

  /** Reads a ledger entry, or `undefined`; throws {@link CorruptLedgerEntry} for a blob that is not one. */
  async ledgerGet(key: string): Promise<LedgerEntry | undefined> {
    let text: string;
    try {
      text = await this.read(key);
    } catch (e) {
      if (e instanceof RestError && e.statusCode === 404) return undefined;
      throw e;
    }
    return parseLedgerEntry(key, text);
  }

  /** Writes a ledger entry; with `onlyIfAbsent`, returns false when another writer got there first. */
  async ledgerPut(key: string, entry: LedgerEntry, onlyIfAbsent: boolean): Promise<boolean> {
    const body = JSON.stringify(entry);
    try {
      await this.client.getBlockBlobClient(key).upload(body, Buffer.byteLength(body), {
        blobHTTPHeaders: { blobContentType: "application/json" },
        ...(onlyIfAbsent ? { conditions: { ifNoneMatch: "*" } } : {}),
      });
      return true;
    } catch (e) {
      if (onlyIfAbsent && e instanceof RestError && (e.statusCode === 409 || e.statusCode === 412)) return false;
      throw e;
    }
  }

  /** Removes a ledger entry (after a definite refusal, so a rerun may try again). */
  async ledgerDelete(key: string): Promise<void> {
    await this.client.getBlobClient(key).deleteIfExists();
  }

  /** Deletes a dead-letter blob; refuses any name outside Event Grid's dead-letter layout. */
  async delete(name: string): Promise<void> {
    if (!parseDeadLetterPath(name)) throw new Error(`refusing to delete ${JSON.stringify(name)}: not in Event Grid's dead-letter layout`);
    await this.client.getBlobClient(name).deleteIfExists();
  }
}
