/**
 * A local HTTPS peer on 127.0.0.1 speaking just enough of the Azure Resource Manager protocol for
 * the model deployer: GET/PUT online endpoints and deployments with `Azure-AsyncOperation`
 * polling, listing deployments, reading the workspace, and scripted faults (429 with Retry-After,
 * 5xx, 4xx, failed operations). It records every request. It stops when asked and, as a safety
 * net, after a minute on its own.
 */
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import * as https from "https";
import { AddressInfo } from "net";
import { tmpdir } from "os";
import { join } from "path";

/** One request the server received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly apiVersion: string | null;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

/** A canned response for a scripted fault. */
export interface ScriptedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Runs when this response is served (e.g. another writer acting during a throttling wait). */
  readonly then?: () => void;
}

type Resource = Record<string, unknown> & { properties: Record<string, unknown> };

interface Operation {
  pollsLeft: number;
  readonly outcome: "Succeeded" | "Failed";
  readonly resourceKey: string;
  readonly store: Map<string, Resource>;
}

/** A self-signed certificate for 127.0.0.1, made with openssl in a temporary folder. */
export function makeLocalCertificate(): { readonly key: string; readonly cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "arm-cert-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
        "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
      { stdio: "ignore" },
    );
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fake ARM server. */
export class FakeArm {
  readonly requests: RecordedRequest[] = [];
  /** Online endpoints by lower-cased ARM path. */
  readonly endpoints = new Map<string, Resource>();
  /** Online deployments by lower-cased ARM path. */
  readonly deployments = new Map<string, Resource>();
  /** InProgress answers before an operation completes. */
  pollsBeforeDone = 1;
  /** InProgress answers for operations on specific resources (lower-cased ARM path), overriding {@link pollsBeforeDone}. */
  readonly pollsFor = new Map<string, number>();
  /** When set, deployment operations end Failed with this message. */
  failDeploymentsWith: string | undefined;
  /** The workspace's region (GET workspace). */
  workspaceLocation = "westeurope";
  private readonly faults: { method: string; path: RegExp; responses: ScriptedResponse[] }[] = [];
  private readonly operations = new Map<string, Operation>();
  private server: https.Server | undefined;
  private url = "";
  private opCounter = 0;
  private safety: NodeJS.Timeout | undefined;

  constructor(private readonly tls: { readonly key: string; readonly cert: string }) {}

  /** Starts listening on 127.0.0.1 (random port); resolves with the base URL. */
  async start(): Promise<string> {
    const server = https.createServer({ key: this.tls.key, cert: this.tls.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req.method ?? "GET", req.url ?? "/", req.headers.authorization, Buffer.concat(chunks).toString("utf8"), res));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.safety = setTimeout(() => void this.stop(), 60_000);
    this.safety.unref();
    return this.url;
  }

  /** Stops the server and drops open connections. */
  async stop(): Promise<void> {
    if (this.safety) clearTimeout(this.safety);
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Forgets recorded requests (state is kept). */
  clearRequests(): void {
    this.requests.length = 0;
  }

  /** The next matching requests get these responses, in order, before normal handling resumes. */
  inject(method: string, path: RegExp, ...responses: ScriptedResponse[]): void {
    this.faults.push({ method, path, responses: [...responses] });
  }

  /** Seeds an existing resource (endpoint or deployment) as if created earlier. */
  seed(kind: "endpoint" | "deployment", path: string, resource: Resource): void {
    const store = kind === "endpoint" ? this.endpoints : this.deployments;
    store.set(path.toLowerCase(), { id: path, name: path.split("/").pop(), ...resource });
  }

  /** Requests other than operation polls, as `METHOD path`. */
  calls(): string[] {
    return this.requests.filter((r) => !r.path.includes("/mfeOperationsStatus/")).map((r) => `${r.method} ${r.path}`);
  }

  /** Number of operation polls received. */
  polls(): number {
    return this.requests.filter((r) => r.path.includes("/mfeOperationsStatus/")).length;
  }

  private send(res: import("http").ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-ms-request-id": `req-${this.requests.length}`, ...headers });
    res.end(text);
  }

  private notFound(res: import("http").ServerResponse, path: string): void {
    this.send(res, 404, { error: { code: "UserError", message: `Resource ${path} not found.` } });
  }

  private handle(method: string, rawUrl: string, authorization: string | undefined, text: string, res: import("http").ServerResponse): void {
    const url = new URL(rawUrl, this.url);
    const path = decodeURIComponent(url.pathname);
    let body: unknown = undefined;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    this.requests.push({ method, path, apiVersion: url.searchParams.get("api-version"), authorization, body });

    const fault = this.faults.find((f) => f.method === method && f.path.test(path) && f.responses.length > 0);
    if (fault) {
      const r = fault.responses.shift() as ScriptedResponse;
      r.then?.();
      this.send(res, r.status, r.body, r.headers);
      return;
    }

    const key = path.toLowerCase();
    const op = /\/mfeOperationsStatus\/([^/]+)$/.exec(path);
    if (op && method === "GET") return this.poll(op[1], res);
    if (/\/workspaces\/[^/]+$/i.test(path) && method === "GET") {
      this.send(res, 200, { id: path, name: path.split("/").pop(), location: this.workspaceLocation, properties: {} });
      return;
    }
    if (/\/onlineEndpoints\/[^/]+\/deployments$/i.test(path) && method === "GET") {
      const value = [...this.deployments.entries()].filter(([k]) => k.startsWith(`${key}/`)).map(([, v]) => v);
      this.send(res, 200, { value });
      return;
    }
    const isDeployment = /\/onlineEndpoints\/[^/]+\/deployments\/[^/]+$/i.test(path);
    const isEndpoint = /\/onlineEndpoints\/[^/]+$/i.test(path);
    if (!isDeployment && !isEndpoint) return this.notFound(res, path);
    const store = isDeployment ? this.deployments : this.endpoints;
    if (method === "GET") {
      const found = store.get(key);
      if (found) this.send(res, 200, found);
      else this.notFound(res, path);
      return;
    }
    if (method === "PUT") return this.put(path, key, store, isDeployment, body, res);
    this.send(res, 405, { error: { code: "MethodNotAllowed", message: method } });
  }

  private put(path: string, key: string, store: Map<string, Resource>, isDeployment: boolean, body: unknown, res: import("http").ServerResponse): void {
    const input = (body ?? {}) as Record<string, unknown>;
    const props = (input.properties ?? {}) as Record<string, unknown>;
    if (isDeployment) {
      const parent = key.replace(/\/deployments\/[^/]+$/, "");
      if (!this.endpoints.has(parent)) return this.notFound(res, path.replace(/\/deployments\/[^/]+$/, ""));
    }
    const existed = store.has(key);
    const resource: Resource = {
      id: path,
      name: path.split("/").pop(),
      type: isDeployment ? "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments" : "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
      location: input.location,
      ...(input.tags ? { tags: input.tags } : {}),
      ...(input.sku ? { sku: input.sku } : {}),
      ...(input.identity ? { identity: { ...(input.identity as object), principalId: "22222222-2222-2222-2222-222222222222" } } : {}),
      kind: isDeployment ? "Managed" : "Managed",
      properties: isDeployment
        ? { ...props, provisioningState: existed ? "Updating" : "Creating" }
        : {
            ...props,
            traffic: props.traffic ?? {},
            provisioningState: existed ? "Updating" : "Creating",
            scoringUri: `https://${path.split("/").pop()}.westeurope.inference.ml.azure.com/score`,
          },
    };
    store.set(key, resource);
    const id = `op-${++this.opCounter}`;
    const sub = path.split("/")[2];
    this.operations.set(id, {
      pollsLeft: this.pollsFor.get(key) ?? this.pollsBeforeDone,
      outcome: isDeployment && this.failDeploymentsWith !== undefined ? "Failed" : "Succeeded",
      resourceKey: key,
      store,
    });
    const asyncUrl = `${this.url}/subscriptions/${sub}/providers/Microsoft.MachineLearningServices/locations/westeurope/mfeOperationsStatus/${id}?api-version=2022-10-01`;
    this.send(res, existed ? 200 : 201, resource, { "azure-asyncoperation": asyncUrl, "retry-after": "0" });
  }

  private poll(id: string, res: import("http").ServerResponse): void {
    const op = this.operations.get(id);
    if (!op) return this.notFound(res, id);
    if (op.pollsLeft > 0) {
      op.pollsLeft -= 1;
      this.send(res, 200, { status: "InProgress" }, { "retry-after": "0" });
      return;
    }
    const resource = op.store.get(op.resourceKey);
    if (resource) resource.properties.provisioningState = op.outcome;
    if (op.outcome === "Failed") {
      this.send(res, 200, { status: "Failed", error: { code: "DeploymentFailed", message: this.failDeploymentsWith ?? "failed" } });
    } else {
      this.send(res, 200, { status: "Succeeded" });
    }
  }
}
