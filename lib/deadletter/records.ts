/**
 * Pure parsing of Event Grid dead-letter blobs.
 *
 * Layout ("Dead letter and retry policies — set dead-letter location", Microsoft Learn,
 * https://learn.microsoft.com/azure/event-grid/manage-event-delivery): blobs are named
 * `{SUBSCRIPTION-NAME}/{yyyy}/{M}/{d}/{H}/{guid}.json` inside the container, the subscription name upper-cased and the
 * date and hour (UTC) not zero-padded; Microsoft's example is
 * `myblobcontainer/MY-BLOB-SUBSCRIPTION/2019/8/8/5/111111111-1111-1111-1111-111111111111.json` (container first,
 * no topic segment). Older write-ups show a topic segment before the subscription; we accept one optional segment
 * of topic-name characters and report it. Anything else in the container (names with `..`, `%`, other characters,
 * a last segment that is not a GUID) is foreign: listed as such, never read as events, never deleted.
 * Content: a JSON array of one or more events in the subscription's delivery schema, each with extra properties
 * `deadLetterReason`, `deliveryAttempts`, `lastDeliveryOutcome`, `lastHttpStatusCode`, `publishTime`,
 * `lastDeliveryAttemptTime` ("Event Grid message delivery and retry", Microsoft Learn,
 * https://learn.microsoft.com/azure/event-grid/delivery-and-retry).
 */

/** Properties Event Grid adds to a dead-lettered event. */
export const DEAD_LETTER_FIELDS = ["deadLetterReason", "deliveryAttempts", "lastDeliveryOutcome", "lastHttpStatusCode", "publishTime", "lastDeliveryAttemptTime"] as const;

/** Where a dead-letter blob sits. */
export interface DeadLetterPath {
  /** The blob name as listed. */
  readonly blobName: string;
  /** Optional topic segment before the subscription (upper-case as written). */
  readonly topic?: string;
  /** Subscription name as written (upper-case). */
  readonly subscription: string;
  /** UTC hour the blob was written, ISO 8601. */
  readonly hour: string;
}

/** Topic and subscription names: letters, digits and hyphens (Event Grid's naming rules); the last segment a GUID (hex groups). */
const PATH = /^(?:([A-Za-z0-9-]{3,128})\/)?([A-Za-z0-9-]{3,64})\/(\d{4})\/(\d{1,2})\/(\d{1,2})\/(\d{1,2})\/([0-9A-Fa-f]{1,16}(?:-[0-9A-Fa-f]{1,16}){4})\.json$/;

/** How a foreign blob name is described (shown by `list`, never acted on). */
export const FOREIGN_BLOB = "foreign: not in Event Grid's dead-letter layout {SUBSCRIPTION}/{yyyy}/{M}/{d}/{H}/{guid}.json; never read or deleted";

/** Parses a dead-letter blob name; `undefined` for names outside Event Grid's layout. */
export function parseDeadLetterPath(blobName: string): DeadLetterPath | undefined {
  const m = PATH.exec(blobName);
  if (!m) return undefined;
  const [, topic, subscription, y, mo, d, h] = m;
  const [month, day, hourOfDay] = [Number(mo), Number(d), Number(h)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hourOfDay > 23) return undefined;
  const pad = (n: number) => String(n).padStart(2, "0");
  return { blobName, ...(topic ? { topic } : {}), subscription, hour: `${y}-${pad(month)}-${pad(day)}T${pad(hourOfDay)}:00:00Z` };
}

/** One dead-lettered event. */
export interface DeadLetteredEvent {
  /** The blob it came from. */
  readonly path: DeadLetterPath;
  /** Position in the blob's array. */
  readonly index: number;
  /** Delivery schema of the event. */
  readonly schema: "EventGrid" | "CloudEvents";
  /** Event id. */
  readonly id: string;
  /** `eventType` (Event Grid) or `type` (CloudEvents). */
  readonly eventType: string;
  /** Subject, if any. */
  readonly subject?: string;
  /** Why Event Grid gave up, e.g. `MaxDeliveryAttemptsExceeded`, `TimeToLiveExceeded`, or `unknown`. */
  readonly deadLetterReason: string;
  /** Delivery attempts made. */
  readonly deliveryAttempts?: number;
  /** The last outcome, e.g. `Probation`, `BadRequest`, or the endpoint's answer. */
  readonly lastDeliveryOutcome?: string;
  /** The last HTTP status code. */
  readonly lastHttpStatusCode?: number;
  /** The last attempt, as written. */
  readonly lastDeliveryAttemptTime?: string;
  /** The event as it was originally delivered (dead-letter properties removed). */
  readonly original: Record<string, unknown>;
}

/** A blob that could not be read as dead-lettered events. */
export interface BlobProblem {
  readonly blobName: string;
  readonly problem: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** Reads one array element as a dead-lettered event, or says why not. */
export function toDeadLetteredEvent(path: DeadLetterPath, index: number, raw: unknown): DeadLetteredEvent | string {
  if (!isRecord(raw)) return `element ${index} is not a JSON object`;
  const cloud = raw.specversion !== undefined;
  const id = str(raw.id);
  const eventType = cloud ? str(raw.type) : str(raw.eventType);
  if (!id || !eventType) return `element ${index} has no ${!id ? "id" : cloud ? "type" : "eventType"}; not an Event Grid or CloudEvents event`;
  const original: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!(DEAD_LETTER_FIELDS as readonly string[]).includes(k)) original[k] = v;
  const subject = str(raw.subject);
  const attempts = num(raw.deliveryAttempts);
  const outcome = str(raw.lastDeliveryOutcome);
  const status = num(raw.lastHttpStatusCode);
  const last = str(raw.lastDeliveryAttemptTime);
  return {
    path,
    index,
    schema: cloud ? "CloudEvents" : "EventGrid",
    id,
    eventType,
    ...(subject !== undefined ? { subject } : {}),
    deadLetterReason: str(raw.deadLetterReason) ?? "unknown",
    ...(attempts !== undefined ? { deliveryAttempts: attempts } : {}),
    ...(outcome !== undefined ? { lastDeliveryOutcome: outcome } : {}),
    ...(status !== undefined ? { lastHttpStatusCode: status } : {}),
    ...(last !== undefined ? { lastDeliveryAttemptTime: last } : {}),
    original,
  };
}

/** Parses a dead-letter blob's text: the events it holds and one problem per unreadable part (never throws). */
export function parseDeadLetterBlob(path: DeadLetterPath, text: string): { events: DeadLetteredEvent[]; problems: BlobProblem[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { events: [], problems: [{ blobName: path.blobName, problem: `not JSON (${(e as Error).message.slice(0, 80)})` }] };
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const events: DeadLetteredEvent[] = [];
  const problems: BlobProblem[] = [];
  items.forEach((raw, i) => {
    const r = toDeadLetteredEvent(path, i, raw);
    if (typeof r === "string") problems.push({ blobName: path.blobName, problem: r });
    else events.push(r);
  });
  return { events, problems };
}

/** Dead-lettered events grouped by subscription and reason, largest groups first. */
export interface DeadLetterGroup {
  readonly subscription: string;
  readonly reason: string;
  readonly count: number;
  /** Distinct last outcomes with counts, e.g. `{"500 InternalServerError": 3}`. */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly eventTypes: readonly string[];
  readonly oldest: string;
  readonly newest: string;
}

/** Groups events by subscription and dead-letter reason. */
export function groupDeadLetters(events: readonly DeadLetteredEvent[]): DeadLetterGroup[] {
  const groups = new Map<string, DeadLetteredEvent[]>();
  for (const e of events) {
    const key = `${e.path.subscription}\u0000${e.deadLetterReason}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()]
    .map((list) => {
      const outcomes: Record<string, number> = {};
      for (const e of list) {
        const label = [e.lastHttpStatusCode, e.lastDeliveryOutcome].filter((x) => x !== undefined).join(" ") || "unknown";
        outcomes[label] = (outcomes[label] ?? 0) + 1;
      }
      const hours = list.map((e) => e.path.hour).sort();
      return {
        subscription: list[0].path.subscription,
        reason: list[0].deadLetterReason,
        count: list.length,
        outcomes,
        eventTypes: [...new Set(list.map((e) => e.eventType))].sort(),
        oldest: hours[0],
        newest: hours[hours.length - 1],
      };
    })
    .sort((a, b) => b.count - a.count || a.subscription.localeCompare(b.subscription) || a.reason.localeCompare(b.reason));
}

/** Which events to act on. */
export interface Selection {
  /** Subscription name, compared ignoring case (blob paths are upper-case). */
  readonly subscription?: string;
  /** Dead-letter reason, ignoring case. */
  readonly reason?: string;
  /** Event ids. */
  readonly ids?: readonly string[];
  /** Event type, ignoring case. */
  readonly eventType?: string;
  /** At most this many. */
  readonly limit?: number;
}

/** Applies a selection; order is the hour written, blob name, then position, so reruns see the same order. */
export function selectEvents(events: readonly DeadLetteredEvent[], sel: Selection): DeadLetteredEvent[] {
  const eq = (a: string | undefined, b: string | undefined) => b === undefined || (a ?? "").toLowerCase() === b.toLowerCase();
  const out = events
    .filter((e) => eq(e.path.subscription, sel.subscription) && eq(e.deadLetterReason, sel.reason) && eq(e.eventType, sel.eventType))
    .filter((e) => !sel.ids || sel.ids.length === 0 || sel.ids.includes(e.id))
    .sort((a, b) => a.path.hour.localeCompare(b.path.hour) || a.path.blobName.localeCompare(b.path.blobName) || a.index - b.index);
  return sel.limit !== undefined ? out.slice(0, sel.limit) : out;
}
