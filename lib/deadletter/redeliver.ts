import { RedeliveryDestination, SendError } from "./destinations";
import { DeadLetteredEvent } from "./records";
import { DeadLetterStore, LedgerEntry, ledgerKey } from "./storage";

/** What happened to one selected event. */
export type RedeliveryStatus =
  | "would-send"
  | "sent"
  | "already-sent"
  | "duplicate"
  | "in-doubt"
  | "claimed-elsewhere"
  | "refused"
  | "no-answer";

/** One line of the redelivery report. */
export interface RedeliveryResult {
  readonly eventId: string;
  readonly blobName: string;
  readonly status: RedeliveryStatus;
  readonly detail?: string;
}

/** Options of {@link redeliver}. */
export interface RedeliverOptions {
  /** Actually send; otherwise report what would be sent. */
  readonly execute: boolean;
  /** Send events whose earlier attempt has no recorded outcome (a previous run stopped mid-send). */
  readonly resendInDoubt: boolean;
  /** Delete a dead-letter blob once every event in it is recorded as sent. */
  readonly deleteDelivered: boolean;
  /** Every event of the blobs read (to know when a whole blob is done), not only the selected ones. */
  readonly allEvents: readonly DeadLetteredEvent[];
  /** Called after each event. */
  readonly onProgress?: (done: number) => void;
  /** Clock. @default - the current time */
  readonly now?: () => string;
}

type Ledger = Pick<DeadLetterStore, "ledgerGet" | "ledgerPut" | "ledgerDelete" | "delete">;

/**
 * Redelivers events one at a time. Per event: skip if the ledger says `sent`; stop at `pending` (an earlier run
 * may have delivered it) unless told to resend; write `pending` (create-only, so two concurrent runs never both
 * send); send; on acknowledgement write `sent`; on a definite refusal remove the mark so a rerun may retry; on no
 * answer keep `pending`. Blobs are deleted only after every event in them is recorded `sent`.
 */
export async function redeliver(store: Ledger, destination: RedeliveryDestination, selected: readonly DeadLetteredEvent[], options: RedeliverOptions): Promise<RedeliveryResult[]> {
  const now = options.now ?? (() => new Date().toISOString());
  const results: RedeliveryResult[] = [];
  const seen = new Set<string>();
  for (const event of selected) {
    const key = ledgerKey(event.path.subscription, event.id);
    const base = { eventId: event.id, blobName: event.path.blobName };
    if (seen.has(key)) {
      results.push({ ...base, status: "duplicate", detail: "same event id earlier in this run" });
    } else {
      seen.add(key);
      results.push({ ...base, ...(await redeliverOne(store, destination, event, key, options, now)) });
    }
    options.onProgress?.(results.length);
  }
  if (options.execute && options.deleteDelivered) await deleteFinishedBlobs(store, options.allEvents, results);
  return results;
}

async function redeliverOne(
  store: Ledger,
  destination: RedeliveryDestination,
  event: DeadLetteredEvent,
  key: string,
  options: RedeliverOptions,
  now: () => string,
): Promise<{ status: RedeliveryStatus; detail?: string }> {
  const existing = await store.ledgerGet(key);
  if (existing?.state === "sent") return { status: "already-sent", detail: `to ${existing.destination} at ${existing.at}` };
  if (existing?.state === "pending" && !options.resendInDoubt) {
    return { status: "in-doubt", detail: `a run started sending it to ${existing.destination} at ${existing.at} and recorded no outcome; check the destination, then rerun with --resend-in-doubt` };
  }
  if (!options.execute) return { status: "would-send", detail: destination.label };
  const entry = (state: LedgerEntry["state"]): LedgerEntry => ({ state, eventId: event.id, blobName: event.path.blobName, destination: destination.label, at: now() });
  const claimed = await store.ledgerPut(key, entry("pending"), existing === undefined);
  if (!claimed) return { status: "claimed-elsewhere", detail: "another run marked it first" };
  try {
    await destination.send(event);
  } catch (e) {
    if (e instanceof SendError && e.kind === "refused") {
      await store.ledgerDelete(key);
      return { status: "refused", detail: e.message };
    }
    return { status: "no-answer", detail: `${(e as Error).message}; left marked pending (in doubt)` };
  }
  await store.ledgerPut(key, entry("sent"), false);
  return { status: "sent", detail: destination.label };
}

async function deleteFinishedBlobs(store: Ledger, all: readonly DeadLetteredEvent[], results: readonly RedeliveryResult[]): Promise<void> {
  const touched = new Set(results.filter((r) => r.status === "sent" || r.status === "already-sent" || r.status === "duplicate").map((r) => r.blobName));
  for (const blobName of touched) {
    const inBlob = all.filter((e) => e.path.blobName === blobName);
    let done = inBlob.length > 0;
    for (const e of inBlob) {
      if (!done) break;
      done = (await store.ledgerGet(ledgerKey(e.path.subscription, e.id)))?.state === "sent";
    }
    if (done) await store.delete(blobName);
  }
}
