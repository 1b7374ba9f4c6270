import { RedeliveryDestination, SendError } from "./destinations";
import { DeadLetteredEvent } from "./records";
import { CorruptLedgerEntry, DeadLetterStore, LedgerEntry, ledgerKey } from "./storage";

/** What happened to one selected event. */
export type RedeliveryStatus =
  | "would-send"
  | "sent"
  | "already-sent"
  | "duplicate"
  | "in-doubt"
  | "claimed-elsewhere"
  | "refused"
  | "no-answer"
  | "unsendable"
  | "corrupt-mark"
  | "error";

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
  /** Blobs never deleted although all their events were sent: those with parts that could not be read as events. */
  readonly keepBlobs?: readonly string[];
  /** Called after each event. */
  readonly onProgress?: (done: number) => void;
  /** Clock. @default - the current time */
  readonly now?: () => string;
}

type Ledger = Pick<DeadLetterStore, "ledgerGet" | "ledgerPut" | "ledgerDelete" | "delete">;

/**
 * Redelivers events one at a time. Per event: skip if the ledger says `sent`; stop at `pending` (an earlier run
 * may have delivered it) unless told to resend; serialise the event (an event that cannot be serialised is
 * reported `unsendable` and never marked); write `pending` (create-only, so two concurrent runs never both send);
 * send; on a documented success write `sent`; when the destination answered no, or the request never left, remove
 * the mark so a rerun may retry; on no answer keep `pending` ("in doubt": something may have been sent). An
 * unreadable mark is reported `corrupt-mark` and the event left alone; any other failure of one event is reported
 * `error` and the run goes on. Blobs are deleted only after every event in them is recorded `sent`.
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
      results.push({ ...base, ...(await guarded(() => redeliverOne(store, destination, event, key, options, now))) });
    }
    options.onProgress?.(results.length);
  }
  if (options.execute && options.deleteDelivered) await deleteFinishedBlobs(store, options, results);
  return results;
}

/** One event's outcome; a corrupt mark or an unexpected failure is reported for this event only. */
async function guarded(run: () => Promise<{ status: RedeliveryStatus; detail?: string }>): Promise<{ status: RedeliveryStatus; detail?: string }> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof CorruptLedgerEntry) return { status: "corrupt-mark", detail: e.message };
    return { status: "error", detail: `${(e as Error).message.split("\n")[0]}; if a mark was written it stays (check before resending)` };
  }
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
  let body: string;
  try {
    body = destination.prepare(event);
  } catch (e) {
    return { status: "unsendable", detail: `cannot be serialised (${(e as Error).message}); nothing was sent` };
  }
  if (!options.execute) return { status: "would-send", detail: destination.label };
  const entry = (state: LedgerEntry["state"]): LedgerEntry => ({ state, eventId: event.id, blobName: event.path.blobName, destination: destination.label, at: now() });
  const claimed = await store.ledgerPut(key, entry("pending"), existing === undefined);
  if (!claimed) return { status: "claimed-elsewhere", detail: "another run marked it first" };
  try {
    await destination.send(event, body);
  } catch (e) {
    if (e instanceof SendError && e.kind !== "unknown") {
      await store.ledgerDelete(key);
      return { status: "refused", detail: e.message };
    }
    return { status: "no-answer", detail: `${(e as Error).message}; left marked pending (in doubt)` };
  }
  await store.ledgerPut(key, entry("sent"), false);
  return { status: "sent", detail: destination.label };
}

async function deleteFinishedBlobs(store: Ledger, options: RedeliverOptions, results: RedeliveryResult[]): Promise<void> {
  const keep = new Set(options.keepBlobs ?? []);
  const touched = new Set(results.filter((r) => r.status === "sent" || r.status === "already-sent" || r.status === "duplicate").map((r) => r.blobName));
  for (const blobName of touched) {
    if (keep.has(blobName)) continue;
    const inBlob = options.allEvents.filter((e) => e.path.blobName === blobName);
    try {
      let done = inBlob.length > 0;
      for (const e of inBlob) {
        if (!done) break;
        done = (await store.ledgerGet(ledgerKey(e.path.subscription, e.id)))?.state === "sent";
      }
      if (done) await store.delete(blobName);
    } catch (e) {
      results.push({ eventId: "", blobName, status: "error", detail: `blob kept: ${(e as Error).message.split("\n")[0]}` });
    }
  }
}
