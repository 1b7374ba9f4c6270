/**
 * What a delivery does, in the reviewer's terms: who gets mail, which pipeline runs with which
 * parameters, which endpoint gets which model and traffic. Read from the calls the plan simulated;
 * reads (GETs, run queries) are left out.
 */
import { isRecord } from "../events/parse";
import { ReviewCall, ReviewDelivery } from "./read";

/** One thing a delivery makes happen. */
export interface Effect {
  /** Identity within one delivery: `mail to a@contoso.com`, `Data Factory f pipeline p`, … */
  readonly what: string;
  /** What is compared between plans: the subject of a mail, a run's parameters, a deployment's model and size. */
  readonly detail: string;
  /** False for outcomes that do nothing (`nothing to do`, `ignore (…)`): losing one removes no flow. */
  readonly acts: boolean;
  /** More than `detail` shows, compared too (a mail's whole content): a difference reads "text changed". @default - `detail` alone */
  readonly fullText?: string;
}

function get(obj: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((o, k) => (isRecord(o) ? o[k] : undefined), obj);
}

const json = (v: unknown): string => JSON.stringify(v) ?? "nothing";
/** Longest body shown in a line; the whole body is still compared. */
const SHOWN_BODY = 160;

/** A request body in a line: the routed event(s) named as such, anything else as JSON cut to {@link SHOWN_BODY}. */
function bodyText(body: unknown): string {
  if (Array.isArray(body) && body.length > 0 && body.every((e) => isRecord(e) && typeof e.eventType === "string")) return body.length === 1 ? "the event" : `${body.length} events`;
  const text = json(body);
  return text.length > SHOWN_BODY ? `${text.slice(0, SHOWN_BODY - 1)}…` : text;
}

/** A batch job's inputs as name → value (the `JobInputType` wrappers left out). */
function jobInputs(body: unknown): Record<string, unknown> {
  const inputs = get(body, "properties", "InputData");
  if (!isRecord(inputs)) return {};
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, isRecord(v) && "Value" in v ? v.Value : v]));
}

function mailEffects(call: ReviewCall): Effect[] | undefined {
  const recipients = get(call.body, "recipients");
  if (!isRecord(recipients)) return undefined;
  const subject = get(call.body, "content", "subject");
  const fullText = json(get(call.body, "content"));
  return (["to", "cc", "bcc"] as const).flatMap((field) => {
    const list: unknown[] = Array.isArray(recipients[field]) ? recipients[field] : [];
    return list.map((r): Effect => ({ what: `mail ${field} ${String(get(r, "address") ?? r)}`, detail: `subject ${json(subject)}`, acts: true, fullText }));
  });
}

/** The model of a deployment PUT body: `name:version` from its ARM id. */
function modelOf(body: unknown): string {
  const id = String(get(body, "properties", "model") ?? get(body, "model") ?? "");
  const m = /\/models\/([^/]+)\/versions\/([^/]+)$/i.exec(id);
  return m ? `${m[1]}:${m[2]}` : id;
}

function armEffect(call: ReviewCall, path: string): Effect | undefined {
  const deployment = /\/onlineEndpoints\/([^/?]+)\/deployments\/([^/?]+)$/i.exec(path);
  if (deployment && call.method === "PUT") {
    const size = `${json(get(call.body, "sku", "capacity") ?? get(call.body, "instanceCount"))} × ${String(get(call.body, "properties", "instanceType") ?? get(call.body, "instanceType"))}`;
    return { what: `deploy to endpoint ${deployment[1]}`, detail: `model ${modelOf(call.body)} as ${deployment[2]} on ${size}`, acts: true };
  }
  const endpoint = /\/onlineEndpoints\/([^/?]+)$/i.exec(path);
  if (endpoint && call.method === "PUT") {
    const traffic = get(call.body, "traffic") ?? get(call.body, "properties", "traffic");
    if (traffic !== undefined) return { what: `traffic of endpoint ${endpoint[1]}`, detail: typeof traffic === "string" ? traffic : json(traffic), acts: true };
    return { what: `create endpoint ${endpoint[1]} if missing`, detail: `auth ${String(get(call.body, "properties", "authMode") ?? get(call.body, "authMode"))}`, acts: true };
  }
  const pipeline = /\/factories\/([^/]+)\/pipelines\/([^/]+)\/createRun$/i.exec(path);
  if (pipeline) return { what: `run Data Factory ${pipeline[1]} pipeline ${pipeline[2]}`, detail: `parameters ${json(call.body)}`, acts: true };
  return undefined;
}

/** What one call does, or undefined for a read (GET, pipeline-run query). */
export function callEffects(call: ReviewCall): Effect[] {
  if (call.method.toUpperCase() === "GET" || /\/queryPipelineRuns\?/.test(call.url)) return [];
  const mail = mailEffects(call);
  if (mail) return mail;
  let url: URL | undefined;
  try {
    url = new URL(call.url);
  } catch {
    url = undefined;
  }
  const arm = url ? armEffect(call, url.pathname) : undefined;
  if (arm) return [arm];
  if (url && /\/jobs$/.test(url.pathname)) return [{ what: `start a job on batch endpoint ${url.host.split(".")[0]}`, detail: `inputs ${json(jobInputs(call.body))}`, acts: true }];
  const where = url ? `${url.origin}${url.pathname}` : call.url;
  return [{ what: `${call.method} ${where}`, detail: `body ${bodyText(call.body)}`, acts: true, fullText: json(call.body) }];
}

/** Every effect of a delivery; a delivery that calls nothing has one: its outcome in words. */
export function deliveryEffects(d: ReviewDelivery): Effect[] {
  const effects = d.calls.flatMap(callEffects);
  if (effects.length > 0 || d.calls.length > 0) return effects;
  const acts = !/^(nothing to do|ignore \()/.test(d.summary);
  return [{ what: "outcome", detail: d.summary, acts }];
}
