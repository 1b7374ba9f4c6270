/**
 * A loopback (127.0.0.1) HTTPS peer of Azure Resource Manager for the multi-process soak: the single
 * source of truth shared by every worker process. Unlike {@link FakeArm} (scripted, poll-driven), its
 * faults and timings come from a seeded generator and its long-running operations run on the clock:
 *
 * - an accepted PUT (201 for a new resource, 202 for an update, with `Azure-AsyncOperation`) is applied
 *   after a delay, whether or not anyone polls; until then the resource reads back Creating/Updating
 *   with its old properties;
 * - after accepting a PUT it sometimes resets the connection (the client sees a network error although
 *   the change will happen — or, with a zero delay, already happened);
 * - it throttles any request with 429 and `Retry-After`;
 * - it answers 409 Conflict to a PUT on an endpoint or deployment whose previous update still runs;
 * - for a short while after an endpoint update is applied, the endpoint reads back its previous traffic
 *   (AML traffic reads back stale right after an update: Azure/azure-dev#3881 waits for the expected
 *   traffic for this reason).
 *
 * It logs every applied change (and the soak adds its acknowledgements to the same log), so invariants
 * are checked against what the service actually applied, in order.
 */
import * as https from "https";
import { ServerResponse } from "http";
import { AddressInfo } from "net";
import { rng } from "../helpers/rng";

type Resource = Record<string, unknown> & { properties: Record<string, unknown> };

/** Timings and fault rates; every choice is drawn from `rng(seed)`. */
export interface ChaosOptions {
  readonly seed: number;
  /** An accepted update is applied after a delay drawn in [0, applyDelayMs]. */
  readonly applyDelayMs: number;
  /** Probability that a PUT's connection is reset after the PUT was accepted. */
  readonly resetRate: number;
  /**
   * Reset the connection of the first accepted PUT whatever the draw: the random draws are shared with every
   * request, whose number depends on timing, so a soak could otherwise see no reset at all. @default false
   */
  readonly resetFirstPut?: boolean;
  /** Probability that any request is answered 429 with Retry-After. */
  readonly throttleRate: number;
  /** How long an endpoint reads back its previous traffic after an update is applied. */
  readonly staleMs: number;
}

/** One entry of the log: what the fake ARM applied or refused, or what the soak acknowledged. */
export type LogEntry =
  | { readonly kind: "traffic"; readonly endpoint: string; readonly before: Record<string, number>; readonly after: Record<string, number> }
  | { readonly kind: "deployment-created"; readonly endpoint: string; readonly deployment: string; readonly model: string }
  | {
      readonly kind: "deployment-rewritten";
      readonly endpoint: string;
      readonly deployment: string;
      readonly previousState: string;
      /** The previous PUT of this deployment had its connection reset (the SDK re-sends a PUT after a network error). */
      readonly afterReset: boolean;
    }
  | { readonly kind: "fault"; readonly fault: "throttle" | "conflict" | "reset"; readonly method: string; readonly path: string }
  | { readonly kind: "ack"; readonly delivery: string; readonly model: string; readonly version: string; readonly status: string; readonly deployment?: string; readonly reason?: string }
  | { readonly kind: "dead-letter"; readonly delivery: string; readonly model: string; readonly version: string; readonly error: string };

interface Operation {
  status: "InProgress" | "Succeeded";
}

const lower = (s: string): string => s.toLowerCase();
const nameOf = (path: string): string => path.split("/").pop() ?? "";
const endpointOf = (deploymentKey: string): string => deploymentKey.replace(/\/deployments\/[^/]+$/, "");

/** The chaotic fake ARM server (one per soak run, in the parent process). */
export class ChaosArm {
  /** Every applied change, refusal and acknowledgement, in the order they happened. */
  readonly log: LogEntry[] = [];
  readonly endpoints = new Map<string, Resource>();
  readonly deployments = new Map<string, Resource>();
  private readonly rand: () => number;
  private readonly busy = new Set<string>();
  /** Resources whose last PUT had its connection reset. */
  private readonly resetPuts = new Set<string>();
  /** Whether a PUT has been reset yet (`resetFirstPut`). */
  private firstPutReset = false;
  private readonly stale = new Map<string, { traffic: Record<string, number>; until: number }>();
  private readonly operations = new Map<string, Operation>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: https.Server | undefined;
  private url = "";
  private opCounter = 0;

  constructor(
    private readonly tls: { readonly key: string; readonly cert: string },
    private readonly options: ChaosOptions,
  ) {
    this.rand = rng(options.seed);
  }

  /** Starts listening on 127.0.0.1 (random port); resolves with the base URL. */
  async start(): Promise<string> {
    const server = https.createServer({ key: this.tls.key, cert: this.tls.cert, keepAlive: true }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req.method ?? "GET", req.url ?? "/", Buffer.concat(chunks).toString("utf8"), res));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Stops the server, cancels pending operations and drops open connections. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** True while some accepted operation has not been applied yet. */
  pending(): boolean {
    return this.timers.size > 0;
  }

  /** Current (fresh) traffic of an endpoint. */
  traffic(endpointPath: string): Record<string, number> {
    return { ...((this.endpoints.get(lower(endpointPath))?.properties.traffic as Record<string, number> | undefined) ?? {}) };
  }

  private send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(body === undefined ? "" : JSON.stringify(body));
  }

  private handle(method: string, rawUrl: string, text: string, res: ServerResponse): void {
    const path = decodeURIComponent(new URL(rawUrl, this.url).pathname);
    if (this.rand() < this.options.throttleRate) {
      this.log.push({ kind: "fault", fault: "throttle", method, path });
      this.send(res, 429, { error: { code: "TooManyRequests", message: "Rate limit exceeded." } }, { "retry-after": "0" });
      return;
    }
    const key = lower(path);
    const op = /\/mfeOperationsStatus\/([^/]+)$/.exec(path);
    if (op && method === "GET") {
      const found = this.operations.get(op[1]);
      return found ? this.send(res, 200, { status: found.status }, { "retry-after": "0" }) : this.send(res, 404, { error: { code: "NotFound", message: op[1] } });
    }
    if (/\/workspaces\/[^/]+$/i.test(path) && method === "GET") return this.send(res, 200, { id: path, name: nameOf(path), location: "westeurope", properties: {} });
    if (/\/onlineEndpoints\/[^/]+\/deployments$/i.test(path) && method === "GET") {
      return this.send(res, 200, { value: [...this.deployments.entries()].filter(([k]) => k.startsWith(`${key}/`)).map(([, v]) => v) });
    }
    const isDeployment = /\/onlineEndpoints\/[^/]+\/deployments\/[^/]+$/i.test(path);
    if (!isDeployment && !/\/onlineEndpoints\/[^/]+$/i.test(path)) return this.send(res, 404, { error: { code: "NotFound", message: path } });
    if (method === "GET") return this.get(key, isDeployment, res);
    if (method === "PUT") return this.put(path, key, isDeployment, text, res);
    this.send(res, 405, { error: { code: "MethodNotAllowed", message: method } });
  }

  private get(key: string, isDeployment: boolean, res: ServerResponse): void {
    const found = (isDeployment ? this.deployments : this.endpoints).get(key);
    if (!found) return this.send(res, 404, { error: { code: "UserError", message: `Resource ${key} not found.` } });
    const stale = isDeployment ? undefined : this.stale.get(key);
    if (stale && Date.now() < stale.until) return this.send(res, 200, { ...found, properties: { ...found.properties, traffic: stale.traffic } });
    this.send(res, 200, found);
  }

  private put(path: string, key: string, isDeployment: boolean, text: string, res: ServerResponse): void {
    const input = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const props = { ...((input.properties ?? {}) as Record<string, unknown>) };
    if (isDeployment && !this.endpoints.has(endpointOf(key))) return this.send(res, 404, { error: { code: "UserError", message: `endpoint of ${path} not found` } });
    if (this.busy.has(key)) {
      this.log.push({ kind: "fault", fault: "conflict", method: "PUT", path });
      return this.send(res, 409, { error: { code: "Conflict", message: "Operation is not allowed: another update of this resource is running." } });
    }
    const store = isDeployment ? this.deployments : this.endpoints;
    const existing = store.get(key);
    const resource: Resource = existing ?? {
      id: path,
      name: nameOf(path),
      type: isDeployment ? "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments" : "Microsoft.MachineLearningServices/workspaces/onlineEndpoints",
      location: input.location,
      kind: "Managed",
      properties: {},
    };
    if (isDeployment) {
      this.log.push(existing
        ? { kind: "deployment-rewritten", endpoint: endpointOf(key), deployment: nameOf(path), previousState: String(existing.properties.provisioningState), afterReset: this.resetPuts.has(key) }
        : { kind: "deployment-created", endpoint: endpointOf(key), deployment: nameOf(path), model: String(props.model) });
    }
    // Accepted: a new resource reads back Creating with the requested properties (an endpoint with no
    // traffic yet); an existing one reads back Updating with its old properties until the update applies.
    resource.properties = existing
      ? { ...resource.properties, provisioningState: "Updating" }
      : { ...props, ...(isDeployment ? {} : { traffic: {} }), provisioningState: "Creating" };
    if (input.tags) resource.tags = input.tags;
    store.set(key, resource);
    this.busy.add(key);
    const id = `op-${++this.opCounter}`;
    const operation: Operation = { status: "InProgress" };
    this.operations.set(id, operation);
    this.later(Math.floor(this.rand() * (this.options.applyDelayMs + 1)), () => this.apply(key, resource, props, isDeployment, operation));
    this.resetPuts.delete(key);
    const forced = this.options.resetFirstPut === true && !this.firstPutReset;
    if (this.rand() < this.options.resetRate || forced) {
      this.firstPutReset = true;
      this.resetPuts.add(key);
      this.log.push({ kind: "fault", fault: "reset", method: "PUT", path });
      res.socket?.destroy();
      return;
    }
    const sub = path.split("/")[2];
    const asyncUrl = `${this.url}/subscriptions/${sub}/providers/Microsoft.MachineLearningServices/locations/westeurope/mfeOperationsStatus/${id}?api-version=2024-04-01`;
    this.send(res, existing ? 202 : 201, existing ? undefined : resource, { "azure-asyncoperation": asyncUrl, "retry-after": "0" });
  }

  private later(ms: number, run: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      run();
    }, ms);
    this.timers.add(t);
  }

  private apply(key: string, resource: Resource, props: Record<string, unknown>, isDeployment: boolean, operation: Operation): void {
    if (!isDeployment) {
      const before = { ...((resource.properties.traffic as Record<string, number> | undefined) ?? {}) };
      const after = { ...((props.traffic as Record<string, number> | undefined) ?? {}) };
      this.log.push({ kind: "traffic", endpoint: key, before, after });
      this.stale.set(key, { traffic: before, until: Date.now() + this.options.staleMs });
      resource.properties = { ...props, traffic: after, scoringUri: `https://${nameOf(key)}.westeurope.inference.ml.azure.com/score` };
    } else {
      resource.properties = { ...props };
    }
    resource.properties.provisioningState = "Succeeded";
    operation.status = "Succeeded";
    this.busy.delete(key);
  }
}
