import { EventFilter } from "../filters/types";
import { analyzeFilter } from "../filters/analyze";
import { EventDestination } from "../destinations/types";
import { ArgKeys } from "./argKeys";

/** Event subscription names: 3–64 letters, digits and hyphens. */
export const SUBSCRIPTION_NAME = /^[A-Za-z0-9-]{3,64}$/;

/** The schemas Event Grid delivers events in. */
export const EventDeliverySchema = { EventGridSchema: "EventGridSchema", CloudEventSchemaV1_0: "CloudEventSchemaV1_0" } as const;
/** The schemas Event Grid delivers events in. */
export type EventDeliverySchema = (typeof EventDeliverySchema)[keyof typeof EventDeliverySchema];

/** Retry and delivery options shared by `subscribe` and the components that call it. */
export interface DeliveryOptions {
  /** Delivery attempts before the event is dead-lettered or dropped, 1–30. @default 30 */
  readonly maxDeliveryAttempts?: number;
  /** Minutes an event is retried before it is dead-lettered or dropped, 1–1440. @default 1440 */
  readonly eventTimeToLiveInMinutes?: number;
  /** Schema events are delivered in. @default "EventGridSchema" */
  readonly eventDeliverySchema?: EventDeliverySchema;
  /** Labels shown on the subscription. @default [] */
  readonly labels?: string[];
  /** When the subscription expires (ISO 8601 UTC). @default - never */
  readonly expirationTimeUtc?: string;
}

/** The names of `DeliveryOptions`, for run-time checks of JavaScript callers' args. */
export const DELIVERY_OPTION_KEYS = {
  maxDeliveryAttempts: true,
  eventTimeToLiveInMinutes: true,
  eventDeliverySchema: true,
  labels: true,
  expirationTimeUtc: true,
} as const satisfies ArgKeys<DeliveryOptions>;

/** Checks delivery options; messages name the argument, the value and the fix (prefixed with `where: ` unless `where` is empty). */
export function validateDeliveryOptions(where: string, o: DeliveryOptions): string[] {
  const problems: string[] = [];
  const at = where === "" ? "" : `${where}: `;
  const attempts = o.maxDeliveryAttempts;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1 && attempts <= 30)) {
    problems.push(`${at}maxDeliveryAttempts ${attempts} is out of range; Event Grid accepts an integer from 1 to 30.`);
  }
  const ttl = o.eventTimeToLiveInMinutes;
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 1 && ttl <= 1440)) {
    problems.push(`${at}eventTimeToLiveInMinutes ${ttl} is out of range; Event Grid accepts an integer from 1 to 1440 (24 hours).`);
  }
  const schema: string | undefined = o.eventDeliverySchema;
  if (schema !== undefined && schema !== "EventGridSchema" && schema !== "CloudEventSchemaV1_0") {
    problems.push(`${at}eventDeliverySchema ${JSON.stringify(schema)} is not supported; use "EventGridSchema" or "CloudEventSchemaV1_0".`);
  }
  if (o.expirationTimeUtc !== undefined && Number.isNaN(Date.parse(o.expirationTimeUtc))) {
    problems.push(`${at}expirationTimeUtc ${JSON.stringify(o.expirationTimeUtc)} is not a date; use ISO 8601 such as "2027-01-01T00:00:00Z".`);
  } else if (o.expirationTimeUtc !== undefined && Date.parse(o.expirationTimeUtc) <= Date.now()) {
    problems.push(`${at}expirationTimeUtc ${JSON.stringify(o.expirationTimeUtc)} is in the past; Event Grid rejects it. Use a future time, or omit it for a subscription that never expires.`);
  }
  for (const label of o.labels ?? []) {
    if (label.trim() === "") problems.push(`${at}labels contains an empty label; remove it.`);
  }
  return problems;
}

/**
 * Component names that become part of Azure resource names (topics, subscriptions, namespaces) must
 * stay within the letters, digits and hyphens every one of those accepts.
 */
export function componentNameProblems(where: string | undefined, name: string, maxLength = 50): string[] {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name) && name.length <= maxLength
    ? []
    : [`${where ? `${where}: ` : ""}name ${JSON.stringify(name)} is used in Azure resource names, which take 1-${maxLength} letters, digits and hyphens (not at either end); rename the component (e.g. ${JSON.stringify(name.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, maxLength) || "ml-events")}).`];
}

/** Checks a resource group name and a region that are known at construction. */
export function placementProblems(where: string, resourceGroupName: unknown, location: unknown): string[] {
  const problems: string[] = [];
  if (typeof resourceGroupName === "string" && !/^[-\w.()]{0,89}[-\w()]$/.test(resourceGroupName)) {
    problems.push(`${where}: resourceGroupName ${JSON.stringify(resourceGroupName)} is not a valid resource group name; use 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'.`);
  }
  if (typeof location === "string" && !/^[a-z0-9]+$/i.test(location.replace(/\s+/g, ""))) {
    problems.push(`${where}: location ${JSON.stringify(location)} is not an Azure region; use a region name such as "westeurope".`);
  }
  return problems;
}

/** How undeliverable events are handled, when no container of your own is given. */
export const DeadLetterMode = {
  /** WorkspaceEvents only: create a locked-down storage account and container written by the topic's identity. */
  Create: "create",
  /** A subscription only: the WorkspaceEvents component's container. */
  Default: "default",
  /** No dead-lettering: undeliverable events are dropped (an explicit opt-out). */
  None: "none",
} as const;
/** How undeliverable events are handled, when no container of your own is given. */
export type DeadLetterMode = (typeof DeadLetterMode)[keyof typeof DeadLetterMode];

/** Where undeliverable events go: exactly one of `mode` and your container (`storageAccountId` with `containerName`). */
export interface DeadLetterSettings {
  /** `"create"` (WorkspaceEvents), `"default"` (a subscription: the component's container) or `"none"` (drop them, explicitly). @default - none; give your container instead */
  readonly mode?: DeadLetterMode;
  /** ARM id of your storage account; the topic's identity is granted Storage Blob Data Contributor on the container only. @default - none; give mode instead */
  readonly storageAccountId?: string;
  /** Your blob container in that account (3-63 lowercase letters, digits and single hyphens). @default - none; required with storageAccountId */
  readonly containerName?: string;
}

/** @deprecated Renamed `DeadLetterSettings` (plain data, for every language). */
export type DeadLetterChoice = DeadLetterSettings;

/** The names of `DeadLetterSettings`. */
export const DEAD_LETTER_KEYS = { mode: true, storageAccountId: true, containerName: true } as const satisfies ArgKeys<DeadLetterSettings>;

/** A dead-letter setting resolved: a mode, or your container. */
export type ResolvedDeadLetter = DeadLetterMode | { readonly storageAccountId: string; readonly containerName: string };

/** The mode or container of valid settings (call after `validateDeadLetter`); `fallback` when unset. */
export function resolveDeadLetter(dl: DeadLetterSettings | undefined, fallback: DeadLetterMode): ResolvedDeadLetter {
  if (dl === undefined) return fallback;
  return dl.mode ?? { storageAccountId: dl.storageAccountId as string, containerName: dl.containerName as string };
}

function modeList(modes: readonly DeadLetterMode[]): string {
  return modes.map((m) => `{ mode: "${m}" }`).join(", ");
}

/** Checks dead-letter settings: exactly one of a mode allowed here and a container; the previous string form names the new one. */
export function validateDeadLetter(where: string, dl: unknown, modes: readonly DeadLetterMode[] = ["default", "none"]): string[] {
  if (dl === undefined) return [];
  if (typeof dl === "string") {
    return [`${where}: deadLetter ${JSON.stringify(dl)} is the previous form; write deadLetter: { mode: ${JSON.stringify(dl)} } (modes here: ${modeList(modes)}).`];
  }
  if (typeof dl !== "object" || dl === null) {
    return [`${where}: deadLetter ${JSON.stringify(dl)} is not supported; use ${modeList(modes)} or { storageAccountId, containerName }.`];
  }
  const { mode, storageAccountId, containerName } = dl as { mode?: unknown; storageAccountId?: unknown; containerName?: unknown };
  if (mode !== undefined) {
    if (storageAccountId !== undefined || containerName !== undefined) {
      return [`${where}: deadLetter sets both mode ${JSON.stringify(mode)} and a container; give one: { mode } or { storageAccountId, containerName }.`];
    }
    return modes.includes(mode as DeadLetterMode) ? [] : [`${where}: deadLetter.mode ${JSON.stringify(mode)} is not supported here; use ${modeList(modes)} or { storageAccountId, containerName }.`];
  }
  const problems: string[] = [];
  if (typeof storageAccountId !== "string" || !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i.test(storageAccountId)) {
    problems.push(`${where}: deadLetter.storageAccountId ${JSON.stringify(storageAccountId)} is not a storage account id; expected /subscriptions/…/providers/Microsoft.Storage/storageAccounts/{account} (or give deadLetter.mode).`);
  }
  if (typeof containerName !== "string" || !/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(containerName)) {
    problems.push(`${where}: deadLetter.containerName ${JSON.stringify(containerName)} is invalid; use 3-63 lowercase letters, digits and single hyphens.`);
  }
  return problems;
}

/** Checks a subscription's filter with the analyzer: errors block, warnings are returned separately. */
export function checkFilter(where: string, filter: EventFilter | undefined, acceptWarnings: readonly string[] = []): { errors: string[]; warnings: string[] } {
  const findings = analyzeFilter(filter ?? {}).filter((f) => f.severity === "error" || !acceptWarnings.includes(f.code));
  return {
    errors: findings.filter((f) => f.severity === "error").map((f) => `${where}: ${f.message} [${f.code}]`),
    warnings: findings.filter((f) => f.severity === "warning").map((f) => `${where}: ${f.message} [${f.code}]`),
  };
}

/** Checks a subscription's name, delivery options, destination and dead-letter choice. */
export function validateSubscription(
  name: string,
  args: DeliveryOptions & { readonly destination?: EventDestination; readonly deadLetter?: DeadLetterSettings },
): string[] {
  const where = `subscribe("${name}")`;
  const problems: string[] = [];
  if (!SUBSCRIPTION_NAME.test(name)) {
    problems.push(`${where}: name ${JSON.stringify(name)} is invalid; event subscription names are 3-64 characters of letters, digits and hyphens.`);
  }
  if (args.destination === undefined) {
    problems.push(`${where}: destination is missing; pass one of the destinations from aml-event-workflows (e.g. new EventHubDestination({...})).`);
  } else {
    problems.push(...args.destination.validate().map((p) => `${where}: ${p}`));
  }
  problems.push(...validateDeadLetter(where, args.deadLetter));
  return [...problems, ...validateDeliveryOptions(where, args)];
}

/** What a component knows of the WorkspaceEvents it subscribes through, for `subscriptionNameClash`. */
export interface SubscriptionNames {
  /** The subscriptions already declared on the topic. */
  readonly subscriptions: readonly { readonly name: string }[];
}

/**
 * A component's subscription name already used on the same topic, in the caller's terms: names the
 * component's argument that sets it (`subscriptionName`), or how the default name is derived.
 */
export function subscriptionNameClash(events: SubscriptionNames | undefined, name: string, how: { readonly argument?: string; readonly derived?: string }): string[] {
  if (events === undefined || !Array.isArray(events.subscriptions)) return [];
  // ARM resource names are case-insensitive unless noted (Microsoft Learn, "Naming rules and restrictions for
  // Azure resources", learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
  if (!events.subscriptions.some((s) => s.name.toLowerCase() === name.toLowerCase())) return [];
  const fix = how.argument !== undefined ? `set ${how.argument} to another name (e.g. ${JSON.stringify(`${name}-2`.slice(0, 64))})` : "give the component another name";
  const from = how.derived !== undefined ? ` (${how.derived})` : "";
  return [`the event subscription name ${JSON.stringify(name)}${from} is already used on this workspace's system topic (names are unique per topic, ignoring case); ${fix}.`];
}

/** The delivery options of a component's args, for passing on to `subscribe`. */
export function pickDelivery(o: DeliveryOptions): DeliveryOptions {
  return {
    ...(o.maxDeliveryAttempts === undefined ? {} : { maxDeliveryAttempts: o.maxDeliveryAttempts }),
    ...(o.eventTimeToLiveInMinutes === undefined ? {} : { eventTimeToLiveInMinutes: o.eventTimeToLiveInMinutes }),
    ...(o.eventDeliverySchema === undefined ? {} : { eventDeliverySchema: o.eventDeliverySchema }),
    ...(o.labels === undefined ? {} : { labels: o.labels }),
    ...(o.expirationTimeUtc === undefined ? {} : { expirationTimeUtc: o.expirationTimeUtc }),
  };
}
