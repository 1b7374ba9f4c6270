/**
 * A loopback peer for the deployer's code publish under the real engine: it answers as ARM (the Function
 * App's record, its functions list) and as the app's SCM site (`/api/publish`, the deployment record),
 * for any app id, so `pulumi up` of a program with a ModelDeployer completes offline.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { ROLE_DEFINITION_PATH, roleDefinitionAnswer } from "./roleDefinitionPeer";

/** What the peer saw: one line per request, `METHOD path`. */
export interface FlexPeer {
  readonly base: string;
  readonly seen: string[];
  close(): Promise<void>;
}

/** Answers one request; functions are listed as soon as a package was published to that app. */
function answer(req: http.IncomingMessage, body: Buffer, published: Set<string>, send: (status: number, json?: unknown, headers?: Record<string, string>) => void): void {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const site = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites\/([^/]+))(\/functions)?$/i.exec(url.pathname);
  if (!req.headers.authorization?.startsWith("Bearer ")) return send(401, { error: { code: "AuthenticationFailed" } });
  if (req.method === "POST" && url.pathname === "/api/publish" && body.length > 0) {
    published.add("any");
    return send(202, "", { location: "/api/deployments/engine-1" });
  }
  if (req.method === "GET" && url.pathname === "/api/deployments/engine-1") return send(200, { id: "engine-1", status: 4, complete: true });
  if (req.method === "GET" && site && site[3]) {
    const functions = published.size ? [{ id: `${site[1]}/functions/deployOnModelRegistered`, properties: { name: "deployOnModelRegistered" } }] : [];
    return send(200, { value: functions });
  }
  // The deployer's custom role replication wait reads its definition from the same ARM endpoint.
  if (req.method === "GET" && ROLE_DEFINITION_PATH.test(url.pathname)) return send(200, roleDefinitionAnswer(url.pathname).body);
  if (req.method === "GET" && site) return send(200, { properties: { hostNameSslStates: [{ name: `${site[2]}.scm.azurewebsites.net`, hostType: "Repository" }] } });
  send(404, { error: { code: "NotFound", message: `${req.method} ${url.pathname}` } });
}

/** Starts the peer on 127.0.0.1 with a free port. */
export async function startFlexPeer(): Promise<FlexPeer> {
  const seen: string[] = [];
  const published = new Set<string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push(`${req.method} ${new URL(req.url ?? "/", "http://127.0.0.1").pathname}`);
      answer(req, Buffer.concat(chunks), published, (status, json, headers = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(json === undefined ? "" : typeof json === "string" ? json : JSON.stringify(json));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
