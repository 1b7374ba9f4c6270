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
