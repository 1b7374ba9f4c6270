import * as assert from "assert";
import * as http from "http";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { sampleCloudEvents, sampleEvents } from "../../lib/events/samples";
import { DeadLetteredEvent, EventHubRedelivery, eventHubUrl, parseDeadLetterBlob, parseDeadLetterPath, SendError } from "../../lib/deadletter";

/** A credential handing out a fixed token and recording the scopes asked for. */
class FixedCredential implements TokenCredential {
  readonly scopes: string[] = [];
  constructor(private readonly fail = false) {}
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    if (this.fail) throw new Error("CredentialUnavailableError: no sign-in");
    return { token: "entra-token", expiresOnTimestamp: Date.now() + 3600_000 };
  }
}

/** A loopback Event Hubs REST front: records each request, answers what `decide` says. */
class HubFront {
  readonly requests: { url: string; headers: http.IncomingHttpHeaders; body: unknown }[] = [];
  decide: () => number | "hang" | { status: number; location: string } = () => 201;
  private server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      this.requests.push({ url: String(req.url), headers: req.headers, body: body === "" ? undefined : JSON.parse(body) });
      const answer = this.decide();
      if (typeof answer === "number") res.writeHead(answer).end();
      else if (answer !== "hang") res.writeHead(answer.status, { location: answer.location }).end();
    });
  });
  base = "";
  host = "";
  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.host = `127.0.0.1:${(this.server.address() as { port: number }).port}`;
    this.base = `http://${this.host}`;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Sends one event the way `redeliver` does: prepare the body, then send it. */
const send = (hub: EventHubRedelivery, event: DeadLetteredEvent): Promise<void> => hub.send(event, hub.prepare(event));

function deadLettered(events: readonly object[]): DeadLetteredEvent[] {
  const path = parseDeadLetterPath("PLATFORM-STREAM-TO-EVENT-HUB/2026/11/22/9/0a0b0c0d-0000-4000-8000-000000000001.json");
  assert.ok(path);
  const blob = events.map((e) => ({ ...e, deadLetterReason: "MaxDeliveryAttemptsExceeded", deliveryAttempts: 30, lastHttpStatusCode: 503 }));
  return parseDeadLetterBlob(path, JSON.stringify(blob)).events;
}

describe("deadletter: redelivery to Event Hubs (REST send with a Microsoft Entra token)", () => {
  const front = new HubFront();
  before(() => front.start());
  after(() => front.stop());
  beforeEach(() => {
    front.requests.length = 0;
    front.decide = () => 201;
  });

  it("sends one message per event: the event's JSON, the Event Grid properties, a bearer token for Event Hubs", async () => {
    const credential = new FixedCredential();
    const hub = new EventHubRedelivery(`${front.base}/aml-events`, credential, undefined, [front.host]);
    const [gridEvent, cloudEvent] = deadLettered([sampleEvents()[2], sampleCloudEvents()[0]]);
    await send(hub, gridEvent);
    await send(hub, cloudEvent);
    assert.deepStrictEqual(credential.scopes, ["https://eventhubs.azure.net/.default", "https://eventhubs.azure.net/.default"]);
    assert.deepStrictEqual(front.requests.map((r) => r.url), ["/aml-events/messages?timeout=60&api-version=2014-01", "/aml-events/messages?timeout=60&api-version=2014-01"]);
    const [first] = front.requests;
    assert.strictEqual(first.headers.authorization, "Bearer entra-token");
    assert.strictEqual(first.headers["content-type"], "application/atom+xml;type=entry;charset=utf-8");
    assert.strictEqual(first.headers["aeg-event-type"], "Notification");
    assert.strictEqual(first.headers["aeg-output-event-id"], sampleEvents()[2].id);
    assert.deepStrictEqual(first.body, sampleEvents()[2], "the event as published, without the dead-letter fields");
    assert.deepStrictEqual(front.requests[1].body, sampleCloudEvents()[0]);
  });

  it("counts only 201 as sent; a refusal says why, with the role to grant on 401/403", async () => {
    const [event] = deadLettered([sampleEvents()[0]]);
    const hub = new EventHubRedelivery(`${front.base}/aml-events`, new FixedCredential(), undefined, [front.host]);
    for (const [status, message] of [
      [200, /answered 200; only 201 counts as sent$/],
      [401, /answered 401.*Azure Event Hubs Data Sender on the hub/],
      [503, /answered 503/],
    ] as const) {
      front.decide = () => status;
      await assert.rejects(send(hub, event), (e: unknown) => e instanceof SendError && e.kind === "refused" && message.test(e.message));
    }
  });

  it("no answer is 'unknown' (it may have arrived), and a missing sign-in is refused before anything is sent", async () => {
    const [event] = deadLettered([sampleEvents()[0]]);
    front.decide = () => "hang";
    await assert.rejects(send(new EventHubRedelivery(`${front.base}/aml-events`, new FixedCredential(), 200, [front.host]), event), (e: unknown) => e instanceof SendError && e.kind === "unknown");
    front.requests.length = 0;
    await assert.rejects(
      send(new EventHubRedelivery(`${front.base}/aml-events`, new FixedCredential(true), undefined, [front.host]), event),
      (e: unknown) => e instanceof SendError && e.kind === "not-sent" && /no Microsoft Entra token for https:\/\/eventhubs\.azure\.net\/\.default: CredentialUnavailableError/.test(e.message),
    );
    assert.strictEqual(front.requests.length, 0);
  });

  it("takes a hub URL or <namespace>/<hub>, and refuses anything else with the expected form", () => {
    assert.strictEqual(eventHubUrl("evh-ml-platform/aml-events"), "https://evh-ml-platform.servicebus.windows.net/aml-events");
    assert.strictEqual(eventHubUrl("https://evh-ml-platform.servicebus.windows.net/aml-events/"), "https://evh-ml-platform.servicebus.windows.net/aml-events");
    assert.throws(() => eventHubUrl("aml-events"), /--event-hub "aml-events" is neither <namespace>\/<hub> nor https:\/\/<namespace>\.servicebus\.windows\.net\/<hub>/);
    assert.throws(() => eventHubUrl("http://evh.servicebus.windows.net/aml-events"), /a Microsoft Entra token is sent only over https:\/\//);
    assert.throws(() => eventHubUrl("https://evh.servicebus.windows.net/aml-events?sig=x"), /no query string/);
  });

  it("sends the token only to Event Hubs hosts of the public and sovereign clouds, unless a host is allowed by name", () => {
    for (const ok of ["https://evh.servicebus.windows.net/h", "https://evh.servicebus.chinacloudapi.cn/h", "https://evh.servicebus.usgovcloudapi.net/h", "https://EVH.ServiceBus.Windows.Net/h"]) {
      assert.doesNotThrow(() => eventHubUrl(ok), ok);
    }
    for (const bad of [
      "https://attacker.example.net/hub",
      "https://evh.servicebus.windows.net.attacker.example/hub",
      "https://a.b.servicebus.windows.net/hub",
      "https://servicebus.windows.net/hub",
      "https://evh.blob.core.windows.net/hub",
      "https://evh-servicebus.windows.net/hub",
      "https://evh.servicebus.windows.net@attacker.example/hub",
      `${front.base}/aml-events`,
    ]) {
      assert.throws(() => eventHubUrl(bad), /not an Event Hubs host|user name or password|only over https/, bad);
    }
    assert.throws(() => eventHubUrl("https://attacker.example.net/hub"), /pass --allow-token-host attacker\.example\.net/);
    assert.strictEqual(eventHubUrl("https://emulator.test:5671/hub", ["emulator.test:5671"]), "https://emulator.test:5671/hub");
    assert.throws(() => eventHubUrl("http://emulator.test/hub", ["emulator.test"]), /only for a loopback host/);
    assert.throws(() => eventHubUrl("https://attacker.example.net/hub", ["attacker.example.net:443"]), /not an Event Hubs host/, "the allowed host[:port] must match exactly");
  });

  it("never follows a redirect: a 307 to another host is refused, and that host receives nothing (no token)", async () => {
    const other = new HubFront();
    await other.start();
    try {
      front.decide = () => ({ status: 307, location: `${other.base}/aml-events/messages` });
      const [event] = deadLettered([sampleEvents()[0]]);
      const hub = new EventHubRedelivery(`${front.base}/aml-events`, new FixedCredential(), undefined, [front.host, other.host]);
      await assert.rejects(send(hub, event), (e: unknown) => e instanceof SendError && e.kind === "refused" && /answered 307 \(a redirect to http:\/\/127\.0\.0\.1:\d+\/aml-events\/messages\); redirects are never followed/.test(e.message));
      assert.strictEqual(front.requests.length, 1);
      assert.strictEqual(other.requests.length, 0, "the redirect target got nothing");
    } finally {
      await other.stop();
    }
  });
});
