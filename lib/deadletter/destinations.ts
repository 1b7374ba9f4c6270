import { QueueClient, QueueServiceClient } from "@azure/storage-queue";
import type { TokenCredential } from "@azure/core-auth";
import { checkTokenHost, isLoopback } from "./hosts";
import { DeadLetteredEvent } from "./records";

/**
 * Why a send did not succeed. `refused`: the destination answered, and not with success (safe to retry later);
 * `not-sent`: the request never left (connection refused, unknown host, TLS handshake failed: the body is written
 * only after the handshake); `unknown`: no answer after the request left (it may have arrived).
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly kind: "refused" | "not-sent" | "unknown",
  ) {
    super(message);
  }
}

/** Where redelivered events go. */
export interface RedeliveryDestination {
  /** Label for output and the ledger (no secrets). */
  readonly label: string;
  /**
   * The exact bytes that will be sent for the event. Called before the event is marked, so an event that cannot
   * be serialised (e.g. nested too deeply for `JSON.stringify`) is reported without ever being in doubt.
   */
  prepare(event: DeadLetteredEvent): string;
  /** Sends one prepared event; resolves only when the destination acknowledged it with a documented success. */
  send(event: DeadLetteredEvent, body: string): Promise<void>;
}

/** A URL with its query string (the Logic App `sig`) and credentials hidden. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? "?[redacted]" : ""}`;
  } catch {
    return "[invalid url]";
  }
}

/** Error codes of a request that never left this machine: nothing can have arrived. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT",
  "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "CERT_HAS_EXPIRED", "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** A `fetch` failure as a {@link SendError}: `not-sent` when the connection was never made, else `unknown`. */
export function fetchFailure(label: string, e: unknown): SendError {
  const cause = (e as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  const message = `no answer from ${label}: ${(e as Error).message}${code ? ` (${code})` : ""}`;
  return new SendError(message, code !== undefined && NOT_SENT_CODES.has(code) ? "not-sent" : "unknown");
}

/**
 * POSTs a body without following redirects and returns the status. A 3xx is returned as it is (never followed: a
 * 302/303 would turn the POST into a GET whose 200 proves nothing, a 307/308 would re-send the event, with its
 * credentials, to another host). The answer must come from the URL it was sent to.
 */
export async function postOnce(url: string, label: string, init: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<number> {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", redirect: "manual", headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
    await res.arrayBuffer();
  } catch (e) {
    throw fetchFailure(label, e);
  }
  if (res.redirected || (res.url !== "" && new URL(res.url).host !== new URL(url).host)) {
    throw new SendError(`${label}: the answer came from ${new URL(res.url).host}, not the host the event was sent to`, "unknown");
  }
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get("location");
    throw new SendError(
      `${label} answered ${res.status} (a redirect${location ? ` to ${redactUrl(new URL(location, url).toString())}` : ""}); redirects are never followed, ` +
        `as Event Grid counts any status outside 200-204 as a failed delivery; redeliver to the final URL itself`,
      "refused",
    );
  }
  return res.status;
}

/**
 * HTTP delivery as Event Grid does it: POST of a one-element array (Event Grid schema, `application/json`) or a
 * CloudEvents batch (`application/cloudevents-batch+json`), header `aeg-event-type: Notification`. Only 200, 201,
 * 202, 203 and 204 count as delivered; Event Grid treats every other code, 3xx included, as a failure ("Event
 * Grid message delivery and retry — success codes / failure codes", Microsoft Learn,
 * https://learn.microsoft.com/azure/event-grid/delivery-and-retry).
 */
export class WebhookRedelivery implements RedeliveryDestination {
  readonly label: string;

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 30000,
  ) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new Error(`--webhook ${JSON.stringify(redactUrl(url))} is not a URL; give the endpoint's https:// URL.`);
    }
    if (u.username !== "" || u.password !== "") throw new Error(`--webhook ${redactUrl(url)}: a URL with user name or password is not accepted.`);
    if (u.protocol !== "https:" && !(u.protocol === "http:" && isLoopback(u.hostname))) {
      throw new Error(`--webhook ${redactUrl(url)}: Event Grid delivers to HTTPS endpoints only; use an https:// URL (http:// is accepted for 127.0.0.1 when testing).`);
    }
    this.label = `webhook ${redactUrl(url)}`;
  }

  prepare(event: DeadLetteredEvent): string {
    return JSON.stringify([event.original]);
  }

  async send(event: DeadLetteredEvent, body: string): Promise<void> {
    const contentType = event.schema === "CloudEvents" ? "application/cloudevents-batch+json" : "application/json";
    const status = await postOnce(this.url, this.label, { headers: { "content-type": contentType, "aeg-event-type": "Notification" }, body, timeoutMs: this.timeoutMs });
    if (status < 200 || status > 204) throw new SendError(`${this.label} answered ${status}; only 200-204 counts as delivered`, "refused");
  }
}

/** How to reach a storage queue. */
export type QueueAccess =
  | { readonly kind: "connectionString"; readonly connectionString: string; readonly queue: string }
  | { readonly kind: "url"; readonly queueUrl: string; readonly credential: TokenCredential; readonly allowTokenHosts?: readonly string[] };

/** Storage queue delivery: one message per event, the event's JSON as the message text. */
export class QueueRedelivery implements RedeliveryDestination {
  readonly label: string;
  private readonly client: QueueClient;

  constructor(access: QueueAccess) {
    if (access.kind === "url") checkTokenHost("--queue-url", parseUrl("--queue-url", access.queueUrl), "queue", access.allowTokenHosts ?? []);
    this.client =
      access.kind === "connectionString"
        ? QueueServiceClient.fromConnectionString(access.connectionString).getQueueClient(access.queue)
        : new QueueClient(access.queueUrl, access.credential);
    this.label = `storage queue ${this.client.name}`;
  }

  prepare(event: DeadLetteredEvent): string {
    return JSON.stringify(event.original);
  }

  async send(_event: DeadLetteredEvent, body: string): Promise<void> {
    try {
      // The SDK follows only same-origin redirects and drops the token when it does (core-rest-pipeline
      // redirectPolicy); any answer but 201 Created is an error here.
      await this.client.sendMessage(body);
    } catch (e) {
      const { statusCode, code } = e as { statusCode?: number; code?: unknown };
      const kind = statusCode !== undefined && statusCode >= 300 ? "refused" : typeof code === "string" && NOT_SENT_CODES.has(code) ? "not-sent" : "unknown";
      throw new SendError(`${this.label}: ${(e as Error).message.split("\n")[0]}`, kind);
    }
  }
}

function parseUrl(flag: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new Error(`${flag} ${JSON.stringify(redactUrl(value))} is not a URL.`);
  }
}

/** Token scope for Event Hubs data-plane calls with Microsoft Entra ID. */
export const EVENT_HUBS_SCOPE = "https://eventhubs.azure.net/.default";

/**
 * `https://<namespace>.servicebus.windows.net/<hub>` from a URL, or from the `<namespace>/<hub>` shorthand. The
 * host must be an Event Hubs host (public or sovereign cloud) unless listed in `allowTokenHosts`: the request
 * carries a Microsoft Entra token.
 */
export function eventHubUrl(value: string, allowTokenHosts: readonly string[] = []): string {
  const short = /^([A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9])\/([A-Za-z0-9][A-Za-z0-9._-]{0,255})$/.exec(value);
  if (short) return `https://${short[1]}.servicebus.windows.net/${short[2]}`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`--event-hub ${JSON.stringify(value)} is neither <namespace>/<hub> nor https://<namespace>.servicebus.windows.net/<hub>.`);
  }
  const hub = u.pathname.replace(/^\/+|\/+$/g, "");
  if (hub === "" || hub.includes("/") || u.search !== "" || u.hash !== "") {
    throw new Error(`--event-hub ${redactUrl(value)}: expected https://<namespace>.servicebus.windows.net/<hub> (one path segment, no query string).`);
  }
  checkTokenHost("--event-hub", u, "eventHubs", allowTokenHosts);
  return `${u.protocol}//${u.host}/${hub}`;
}

/**
 * Event Hubs delivery through the service's REST "Send event" operation (`POST …/<hub>/messages`,
 * `api-version=2014-01`, 201 on success) with a Microsoft Entra token, as Microsoft Learn's Event Hubs
 * REST reference allows ("Common parameters and headers"). One message per event whose body is the
 * event's JSON, and the `aeg-*` properties Event Grid sets on the messages it delivers to a hub ("Event
 * hub as an event handler for Azure Event Grid events") as user properties (REST custom headers).
 * The caller needs "Azure Event Hubs Data Sender" on the hub. Redirects are never followed (the token would go
 * along).
 */
export class EventHubRedelivery implements RedeliveryDestination {
  readonly label: string;
  private readonly url: string;

  constructor(
    hub: string,
    private readonly credential: TokenCredential,
    private readonly timeoutMs = 30000,
    allowTokenHosts: readonly string[] = [],
  ) {
    this.url = eventHubUrl(hub, allowTokenHosts);
    this.label = `event hub ${this.url}`;
  }

  private async token(): Promise<string> {
    try {
      const t = await this.credential.getToken(EVENT_HUBS_SCOPE);
      if (t?.token) return t.token;
    } catch (e) {
      throw new SendError(`${this.label}: no Microsoft Entra token for ${EVENT_HUBS_SCOPE}: ${(e as Error).message.split("\n")[0]}`, "not-sent");
    }
    throw new SendError(`${this.label}: no Microsoft Entra token for ${EVENT_HUBS_SCOPE}`, "not-sent");
  }

  prepare(event: DeadLetteredEvent): string {
    return JSON.stringify(event.original);
  }

  async send(event: DeadLetteredEvent, body: string): Promise<void> {
    const token = await this.token();
    const headers = {
      authorization: `Bearer ${token}`,
      "content-type": "application/atom+xml;type=entry;charset=utf-8",
      "aeg-event-type": "Notification",
      "aeg-output-event-id": event.id,
    };
    const status = await postOnce(`${this.url}/messages?timeout=60&api-version=2014-01`, this.label, { headers, body, timeoutMs: this.timeoutMs });
    if (status !== 201) {
      const hint = status === 401 || status === 403 ? " (grant the signed-in identity Azure Event Hubs Data Sender on the hub)" : "";
      throw new SendError(`${this.label} answered ${status}; only 201 counts as sent${hint}`, "refused");
    }
  }
}
