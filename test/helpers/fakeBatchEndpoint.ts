/**
 * A fake Azure ML batch endpoint and Azure Resource Manager on 127.0.0.1: `POST /jobs` (scoring URI,
 * token for the batch endpoint audience) creates a job and answers the job resource (`id` ending with
 * the job name, `properties.status`); ARM's "Jobs - Get", `GET {workspace id}/jobs/{name}?api-version=…`
 * (token for https://management.azure.com/), answers the job with the next status of its script. The
 * undocumented `GET /jobs/{name}` on the scoring URI answers 404. Faults (429/5xx) can be injected per request.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { AdfHttp, AdfHttpRequest } from "../../lib/simulate/pipeline";

/** A request the server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** Scenario of the fake endpoint. */
export interface FakeEndpointScenario {
  /** Statuses the job reports on successive polls; the last one repeats. */
  readonly statuses: readonly string[];
  /** For request number n (0-based, all requests), answer this status code instead. @default {} */
  readonly faults?: Readonly<Record<number, number>>;
  /** The audience a token must be for. @default "https://ml.azure.com" */
  readonly audience?: string;
}

/** A running fake endpoint. */
export interface FakeBatchEndpoint {
  readonly received: ReceivedRequest[];
  /** The transport the simulator uses: real HTTP to the loopback server, with a token for the activity's MSI resource. */
  readonly http: AdfHttp;
  close(): Promise<void>;
}

/** The workspace the fake jobs live in (pass it as the pipeline's `workspaceId`). */
export const FAKE_WORKSPACE_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws-ml";
const WS = FAKE_WORKSPACE_ID;
const ARM_AUDIENCE = "https://management.azure.com/";
/** ARM "Jobs - Get": …/providers/Microsoft.MachineLearningServices/workspaces/{ws}/jobs/{id}. */
const ARM_JOB_PATH = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+\/jobs\/([^/]+)$/i;

function handler(scenario: FakeEndpointScenario, received: ReceivedRequest[]): http.RequestListener {
  const polls = new Map<string, number>();
  let jobs = 0;
  return (req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const n = received.length;
      received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      const send = (status: number, payload: unknown): void => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      const fault = scenario.faults?.[n];
      if (fault !== undefined) return send(fault, { error: { code: fault === 429 ? "TooManyRequests" : "ServiceUnavailable", message: "injected fault" } });
      const url = new URL(req.url ?? "/", "http://fake");
      const arm = ARM_JOB_PATH.test(url.pathname);
      const audience = arm ? ARM_AUDIENCE : (scenario.audience ?? "https://ml.azure.com");
      if (req.headers.authorization !== `Bearer token-for:${audience}`) return send(401, { error: { code: "InvalidToken" } });
      if (arm && url.searchParams.get("api-version") === null) return send(400, { error: { code: "MissingApiVersionParameter" } });
      if (req.method === "POST" && req.url === "/jobs") {
        const name = `batchjob-${String(++jobs).padStart(4, "0")}`;
        polls.set(name, 0);
        return send(200, { id: `${WS}/batchEndpoints/retrain-ep/jobs/${name}`, name, properties: { status: "NotStarted" } });
      }
      const m = ARM_JOB_PATH.exec(url.pathname);
      if (req.method === "GET" && m && polls.has(m[1])) {
        const i = polls.get(m[1]) ?? 0;
        polls.set(m[1], i + 1);
        return send(200, { id: `${WS}/jobs/${m[1]}`, name: m[1], properties: { status: scenario.statuses[Math.min(i, scenario.statuses.length - 1)] } });
      }
      return send(404, { error: { code: "NotFound" } });
    });
  };
}

/** Starts the fake endpoint; the simulator's requests to any host are sent to it (a DNS override for the scoring URI). */
export async function startFakeBatchEndpoint(scenario: FakeEndpointScenario): Promise<FakeBatchEndpoint> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer(handler(scenario, received));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const transport: AdfHttp = async (request: AdfHttpRequest) => {
    const url = new URL(request.url);
    const token: Record<string, string> = request.authentication?.type === "MSI" ? { authorization: `Bearer token-for:${request.authentication.resource ?? ""}` } : {};
    const res = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, {
      method: request.method,
      headers: { ...request.headers, ...token },
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: text === "" ? undefined : (JSON.parse(text) as unknown) };
  };
  return {
    received,
    http: transport,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
