import { QueueClient, QueueServiceClient } from "@azure/storage-queue";
import type { TokenCredential } from "@azure/core-auth";
import { DeadLetteredEvent } from "./records";

/** Why a send did not succeed. `refused`: the destination answered no (safe to retry later); `unknown`: no answer (it may have arrived). */
export class SendError extends Error {
  constructor(
    message: string,
    readonly kind: "refused" | "unknown",
  ) {
    super(message);
  }
}

/** Where redelivered events go. */
export interface RedeliveryDestination {
  /** Label for output and the ledger (no secrets). */
  readonly label: string;
  /** Sends one event; resolves only when the destination acknowledged it. */
  send(event: DeadLetteredEvent): Promise<void>;
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

/**
 * HTTP delivery as Event Grid does it: POST of a one-element array (Event Grid schema, `application/json`) or a
 * CloudEvents batch (`application/cloudevents-batch+json`), header `aeg-event-type: Notification`; only 200-204
 * counts as delivered ("Event Grid message delivery and retry", Microsoft Learn).
 */
export class WebhookRedelivery implements RedeliveryDestination {
  readonly label: string;

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 30000,
  ) {
    const u = new URL(url);
    const loopback = u.hostname === "127.0.0.1" || u.hostname === "localhost" || u.hostname === "[::1]";
    if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback)) {
      throw new Error(`--webhook ${redactUrl(url)}: Event Grid delivers to HTTPS endpoints only; use an https:// URL (http:// is accepted for 127.0.0.1 when testing).`);
    }
    this.label = `webhook ${redactUrl(url)}`;
  }

  async send(event: DeadLetteredEvent): Promise<void> {
    const contentType = event.schema === "CloudEvents" ? "application/cloudevents-batch+json" : "application/json";
    let status: number;
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": contentType, "aeg-event-type": "Notification" },
        body: JSON.stringify([event.original]),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (e) {
      throw new SendError(`no answer from ${this.label}: ${(e as Error).message}`, "unknown");
    }
    if (status < 200 || status > 204) throw new SendError(`${this.label} answered ${status}; only 200-204 counts as delivered`, "refused");
  }
}

/** How to reach a storage queue. */
export type QueueAccess =
  | { readonly kind: "connectionString"; readonly connectionString: string; readonly queue: string }
  | { readonly kind: "url"; readonly queueUrl: string; readonly credential: TokenCredential };

/** Storage queue delivery: one message per event, the event's JSON as the message text. */
export class QueueRedelivery implements RedeliveryDestination {
  readonly label: string;
  private readonly client: QueueClient;

  constructor(access: QueueAccess) {
    this.client =
      access.kind === "connectionString"
        ? QueueServiceClient.fromConnectionString(access.connectionString).getQueueClient(access.queue)
        : new QueueClient(access.queueUrl, access.credential);
    this.label = `storage queue ${this.client.name}`;
  }

  async send(event: DeadLetteredEvent): Promise<void> {
    try {
      await this.client.sendMessage(JSON.stringify(event.original));
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      throw new SendError(`${this.label}: ${(e as Error).message.split("\n")[0]}`, status !== undefined && status >= 400 ? "refused" : "unknown");
    }
  }
}

/** Token scope for Event Hubs data-plane calls with Microsoft Entra ID. */
export const EVENT_HUBS_SCOPE = "https://eventhubs.azure.net/.default";

/** `https://<namespace>.servicebus.windows.net/<hub>` from a URL, or from the `<namespace>/<hub>` shorthand. */
export function eventHubUrl(value: string): string {
  const short = /^([A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9])\/([A-Za-z0-9][A-Za-z0-9._-]{0,255})$/.exec(value);
  if (short) return `https://${short[1]}.servicebus.windows.net/${short[2]}`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`--event-hub ${JSON.stringify(value)} is neither <namespace>/<hub> nor https://<namespace>.servicebus.windows.net/<hub>.`);
  }
  const loopback = u.hostname === "127.0.0.1" || u.hostname === "localhost";
  const hub = u.pathname.replace(/^\/+|\/+$/g, "");
  if ((u.protocol !== "https:" && !(u.protocol === "http:" && loopback)) || hub === "" || hub.includes("/") || u.search !== "") {
    throw new Error(`--event-hub ${redactUrl(value)}: expected https://<namespace>.servicebus.windows.net/<hub> (no query string; http:// only for 127.0.0.1 when testing).`);
  }
  return `${u.protocol}//${u.host}/${hub}`;
}

/**
 * Event Hubs delivery through the service's REST "Send event" operation (`POST …/<hub>/messages`,
 * `api-version=2014-01`, 201 on success) with a Microsoft Entra token, as Microsoft Learn's Event Hubs
 * REST reference allows ("Common parameters and headers"). One message per event whose body is the
 * event's JSON, and the `aeg-*` properties Event Grid sets on the messages it delivers to a hub ("Event
 * hub as an event handler for Azure Event Grid events") as user properties (REST custom headers).
 * The caller needs "Azure Event Hubs Data Sender" on the hub.
 */
export class EventHubRedelivery implements RedeliveryDestination {
  readonly label: string;
  private readonly url: string;

  constructor(
    hub: string,
    private readonly credential: TokenCredential,
    private readonly timeoutMs = 30000,
  ) {
    this.url = eventHubUrl(hub);
    this.label = `event hub ${this.url}`;
  }

  private async token(): Promise<string> {
    try {
      const t = await this.credential.getToken(EVENT_HUBS_SCOPE);
      if (t?.token) return t.token;
    } catch (e) {
      throw new SendError(`${this.label}: no Microsoft Entra token for ${EVENT_HUBS_SCOPE}: ${(e as Error).message.split("\n")[0]}`, "refused");
    }
    throw new SendError(`${this.label}: no Microsoft Entra token for ${EVENT_HUBS_SCOPE}`, "refused");
  }

  async send(event: DeadLetteredEvent): Promise<void> {
    const token = await this.token();
    let status: number;
    try {
      const res = await fetch(`${this.url}/messages?timeout=60&api-version=2014-01`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/atom+xml;type=entry;charset=utf-8",
          "aeg-event-type": "Notification",
          "aeg-output-event-id": event.id,
        },
        body: JSON.stringify(event.original),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (e) {
      throw new SendError(`no answer from ${this.label}: ${(e as Error).message}`, "unknown");
    }
    if (status !== 201) {
      const hint = status === 401 || status === 403 ? " (grant the signed-in identity Azure Event Hubs Data Sender on the hub)" : "";
      throw new SendError(`${this.label} answered ${status}; only 201 counts as sent${hint}`, "refused");
    }
  }
}
