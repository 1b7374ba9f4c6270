import { builtInRoleName } from "../rbac/roles";
import { MockedResource } from "./mocks";

function roleLabel(guid: string): string {
  return builtInRoleName(guid) ?? guid;
}

/** A resource as the plan shows and writes it (`out/plan.json`). */
export interface PlanResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent?: string;
  /** The ARM id the resource would get (in its provider's subscription); absent for components. */
  readonly id?: string;
  /** Inputs with secret values replaced by {@link REDACTED}. */
  readonly inputs: Record<string, unknown>;
}

/** What replaces a secret in plans and reports. */
export const REDACTED = "[secret]";

/** Keys whose values are never secret, kept when the engine marks a whole object secret. */
const NON_SECRET_KEYS = new Set(["endpointType", "type", "name"]);

/** Redacts the strings of a secret value; an object keeps its shape and its non-secret keys. */
function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, NON_SECRET_KEYS.has(k) || typeof v !== "string" ? (typeof v === "object" ? redactValue(v) : v) : REDACTED]));
  }
  return typeof value === "string" ? REDACTED : value;
}

function redactPath(value: unknown, segments: readonly string[]): unknown {
  if (segments.length === 0) return redactValue(value);
  if (typeof value !== "object" || value === null) return value;
  const [head, ...rest] = segments;
  if (Array.isArray(value)) return value.map((v, i) => (String(i) === head ? redactPath(v, rest) : v));
  const record = value as Record<string, unknown>;
  return head in record ? { ...record, [head]: redactPath(record[head], rest) } : record;
}

/** Inputs with every secret path replaced by {@link REDACTED}; a `sig=` in any URL is masked too. */
export function redactInputs(resource: Pick<MockedResource, "inputs" | "secretPaths">): Record<string, unknown> {
  let inputs: unknown = resource.inputs;
  for (const p of resource.secretPaths) inputs = redactPath(inputs, p === "" ? [] : p.split("."));
  return JSON.parse(JSON.stringify(inputs).replace(/([?&]sig=)[^"&]+/g, `$1${REDACTED}`)) as Record<string, unknown>;
}

/** The plan's view of the registered resources: redacted, stack root left out. */
export function planResources(resources: readonly MockedResource[]): PlanResource[] {
  return resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      ...(r.parent && !isStackUrn(r.parent) ? { parent: r.parent } : {}),
      ...(r.custom && r.id ? { id: r.id } : {}),
      inputs: redactInputs(r),
    }));
}

/** True for the URN of the root stack resource. */
function isStackUrn(urn: string): boolean {
  return urn.split("::")[2]?.split("$").pop() === "pulumi:pulumi:Stack";
}

/** The last segment of a URN (the resource name), for display. */
export function urnName(urn: string | undefined): string {
  return urn ? (urn.split("::").pop() ?? urn) : "";
}

/** One line of key settings per resource type, for the plan table. */
export function keySettings(r: PlanResource): string {
  const i = r.inputs;
  const get = (obj: unknown, ...keys: string[]): unknown =>
    keys.reduce<unknown>((o, k) => (typeof o === "object" && o !== null ? (o as Record<string, unknown>)[k] : undefined), obj);
  switch (r.type) {
    case "azure-native:eventgrid:SystemTopic":
      return `source=${String(i.source).split("/").pop()} identity=${String(get(i, "identity", "type"))}`;
    case "azure-native:eventgrid:SystemTopicEventSubscription": {
      const types = (get(i, "filter", "includedEventTypes") as string[] | undefined)?.map((t) => t.split(".").pop()).join(",") ?? "all";
      const adv = (get(i, "filter", "advancedFilters") as unknown[] | undefined)?.length ?? 0;
      const kind = String(get(i, "destination", "endpointType") ?? get(i, "deliveryWithResourceIdentity", "destination", "endpointType"));
      const identity = i.deliveryWithResourceIdentity ? "+identity" : "";
      const dl = i.deadLetterWithResourceIdentity || i.deadLetterDestination ? "dead-letter" : "NO dead-letter";
      return `${kind}${identity} types=${types} advanced=${adv} retry=${String(get(i, "retryPolicy", "maxDeliveryAttempts"))}/${String(get(i, "retryPolicy", "eventTimeToLiveInMinutes"))}m ${dl}`;
    }
    case "azure-native:authorization:RoleAssignment":
      return `role=${roleLabel(String(i.roleDefinitionId).split("/").pop() ?? "")} scope=…/${String(i.scope).split("/").slice(-2).join("/")}`;
    case "azure-native:logic:Workflow":
      return `identity=${String(get(i, "identity", "type"))} state=${String(i.state ?? "Enabled")}`;
    case "azure-native:web:WebApp":
      return `kind=${String(i.kind)} httpsOnly=${String(i.httpsOnly)}`;
    case "azure-native:storage:StorageAccount":
      return `sku=${String(get(i, "sku", "name"))} sharedKey=${String(i.allowSharedKeyAccess)}`;
    case "azure-native:eventhub:EventHub":
      return `partitions=${String(i.partitionCount)}`;
    case "azure-native:monitor:DiagnosticSetting": {
      const logs = (i.logs as { category?: string }[] | undefined)?.map((l) => l.category).join(",") ?? "none";
      return `on=${String(i.resourceUri).split("/").pop()} logs=${logs}${i.metrics ? " +AllMetrics" : ""} to=${String(i.workspaceId).split("/").pop()}`;
    }
    case "azure-native:monitor:MetricAlert": {
      const c = (get(i, "criteria", "allOf") as { metricName?: string; threshold?: number; dimensions?: { name: string; values: string[] }[] }[] | undefined)?.[0];
      const split = c?.dimensions?.map((d) => ` per ${d.name}=${d.values.join(",")}`).join("") ?? "";
      return `${String(c?.metricName)} > ${String(c?.threshold)} in ${String(i.windowSize)} sev=${String(i.severity)}${split}`;
    }
    case "azure-native:monitor:ActionGroup":
      return `email=${(i.emailReceivers as { emailAddress?: string }[] | undefined)?.map((e) => e.emailAddress).join(",") ?? "none"}`;
    default:
      return "";
  }
}
