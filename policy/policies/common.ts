/**
 * Helpers shared by the policies: configuration with schema defaults, ARM id parsing, role ids,
 * and the common shape of Event Grid subscriptions (system-topic and scope-based).
 */
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import {
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  validateResourceOfType,
} from "@pulumi/policy";
import { parseRoleDefinitionId } from "../../lib/rbac/armScope";
import { BuiltInRole, BuiltInRoleName, builtInRoleName } from "../../lib/rbac/roles";
import { UnknownValueError } from "../sdk";

/** Anything that hands out policy configuration (resource and stack validation args both do). */
export interface ConfigSource {
  getConfig<T extends object>(): T;
}

/** The defaults declared in a config schema, as a fresh object (arrays and objects copied). */
export function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (property.default !== undefined) out[key] = structuredClone(property.default);
  }
  return out;
}

/**
 * The policy's configuration: the schema defaults overlaid with what the engine passed. The Pulumi CLI
 * already merges defaults before `Configure`; doing it again here keeps policies correct when the pack
 * runs without a CLI-supplied config (in-process, or an older CLI).
 */
export function configOf<T extends object>(args: ConfigSource, schema: PolicyConfigSchema): T {
  const given = args.getConfig<Record<string, unknown>>();
  // Only the defaults the engine's config lacks are copied (it usually has them all: the CLI merges them).
  const missing = Object.keys(schema.properties ?? {}).some((key) => !(key in given));
  return (missing ? { ...schemaDefaults(schema), ...given } : given) as T;
}

/** Marker returned by {@link known} when a value is unknown during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

/**
 * Reads a value through the engine's unknown-checking proxy; returns {@link UNKNOWN} instead of
 * throwing when the value can't be known during preview. Stack policies use it to skip the one
 * resource whose value is unknown rather than giving up on the whole stack.
 */
export function known<T>(read: () => T): T | typeof UNKNOWN {
  try {
    return read();
  } catch (e) {
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}

/**
 * A value read with {@link known}, for a message: quoted when known, a plain note when unknown during
 * preview (messages must never read an unknown value: the engine would turn the verdict into an advisory).
 */
export function knownText(value: unknown): string {
  return value === UNKNOWN ? "(unknown until deployment)" : show(value);
}

/** A string value, or undefined for anything else. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Quotes a value for a message. */
export function show(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

/** What an ARM scope covers. */
export type ScopeKind = "root" | "managementGroup" | "subscription" | "resourceGroup" | "resource" | "invalid";

/** Classifies an ARM scope (a role assignment's `scope`, or any resource id). */
export function scopeKind(scope: string): ScopeKind {
  const s = scope.trim().replace(/\/+$/, "");
  if (s === "" || s === "/") return "root";
  if (/^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i.test(s)) return "managementGroup";
  if (/^\/subscriptions\/[^/]+$/i.test(s)) return "subscription";
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(s)) return "resourceGroup";
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+(\/[^/]+\/[^/]+)*$/i.test(s)) return "resource";
  return "invalid";
}

/**
 * The full resource type of an ARM resource id, e.g. `Microsoft.EventHub/namespaces/eventhubs`
 * for an Event Hub, or undefined when `id` is not a resource id.
 */
export function resourceTypeOf(id: string): string | undefined {
  const m = /\/providers\/([^/]+)\/(.+)$/i.exec(id.replace(/\/+$/, ""));
  if (!m) return undefined;
  const parts = m[2].split("/");
  if (parts.length < 2 || parts.length % 2 !== 0) return undefined;
  return [m[1], ...parts.filter((_, i) => i % 2 === 0)].join("/");
}

/** True when `scope` is `id` itself or one of its ancestors (case-insensitive ARM comparison). */
export function scopeCovers(scope: string, id: string): boolean {
  const a = scope.toLowerCase().replace(/\/+$/, "");
  const b = id.toLowerCase().replace(/\/+$/, "");
  return a === b || b.startsWith(`${a}/`);
}

/**
 * The role GUID of a role definition id (full ARM id or bare GUID), normalised (lower case, hyphenated;
 * braces and missing hyphens accepted); the raw last segment, lower-cased, when it doesn't parse.
 */
export function roleGuidOf(roleDefinitionId: string): string {
  const parsed = parseRoleDefinitionId(roleDefinitionId);
  return "guid" in parsed ? parsed.guid : (roleDefinitionId.split("/").pop() ?? roleDefinitionId).toLowerCase();
}

/** A role for messages: `Owner (8e3af657-…)` for built-ins, the GUID otherwise. */
export function roleLabel(guid: string): string {
  const name = builtInRoleName(guid);
  return name === undefined ? guid : `${name} (${guid})`;
}

/**
 * Role GUIDs from config entries that may be built-in role names (`AzureEventHubsDataSender`),
 * GUIDs or full role definition ids.
 */
export function roleGuids(entries: readonly string[]): string[] {
  return entries.map((e) => (e in BuiltInRole ? BuiltInRole[e as BuiltInRoleName] : roleGuidOf(e)));
}

/** An Event Grid destination block, narrowed to the fields the policies read. */
export interface DestinationLike {
  readonly endpointType?: string;
  readonly endpointUrl?: string;
  readonly resourceId?: string;
  /** Storage queue destinations name the queue inside the account `resourceId`. */
  readonly queueName?: string;
}

/** A managed identity reference on a subscription's identity-based delivery or dead-letter. */
export interface IdentityLike {
  readonly type?: string;
  readonly userAssignedIdentity?: string;
}

/** The fields of `SystemTopicEventSubscription` and `EventSubscription` the policies read. */
export interface SubscriptionLike {
  readonly filter?: unknown;
  readonly destination?: DestinationLike;
  readonly deliveryWithResourceIdentity?: { readonly identity?: IdentityLike; readonly destination?: DestinationLike };
  readonly deadLetterDestination?: { readonly endpointType?: string; readonly resourceId?: string; readonly blobContainerName?: string };
  readonly deadLetterWithResourceIdentity?: {
    readonly identity?: IdentityLike;
    readonly deadLetterDestination?: { readonly endpointType?: string; readonly resourceId?: string; readonly blobContainerName?: string };
  };
  readonly retryPolicy?: { readonly maxDeliveryAttempts?: number; readonly eventTimeToLiveInMinutes?: number };
  readonly eventSubscriptionName?: string;
  readonly labels?: readonly string[];
}

/** Where a subscription delivers: the destination block and whether Event Grid uses the topic's identity. */
export interface Delivery {
  readonly destination: DestinationLike;
  readonly withIdentity: boolean;
  readonly identity?: IdentityLike;
}

/** The subscription's delivery target, or undefined when it declares none. */
export function deliveryOf(props: SubscriptionLike): Delivery | undefined {
  const viaIdentity = props.deliveryWithResourceIdentity;
  if (viaIdentity?.destination !== undefined) {
    return { destination: viaIdentity.destination, withIdentity: true, identity: viaIdentity.identity };
  }
  if (props.destination !== undefined) return { destination: props.destination, withIdentity: false };
  return undefined;
}

/** The subscription's dead-letter target, or undefined when it has none. */
export function deadLetterOf(props: SubscriptionLike): { resourceId?: string; blobContainerName?: string; withIdentity: boolean } | undefined {
  const viaIdentity = props.deadLetterWithResourceIdentity?.deadLetterDestination;
  if (viaIdentity !== undefined) return { ...viaIdentity, withIdentity: true };
  const plain = props.deadLetterDestination;
  if (plain !== undefined) return { ...plain, withIdentity: false };
  return undefined;
}

/** The name Azure gives the subscription: `eventSubscriptionName`, else the Pulumi name (auto-named). */
export function subscriptionNameOf(props: SubscriptionLike, args: ResourceValidationArgs): string {
  return props.eventSubscriptionName ?? args.name;
}

/** A validation of Event Grid subscription props, shared by both subscription resource types. */
export type SubscriptionValidation = (props: SubscriptionLike, args: ResourceValidationArgs, reportViolation: ReportViolation) => void;

/**
 * Applies `validate` to `SystemTopicEventSubscription` and to the scope-based `EventSubscription`,
 * each through `validateResourceOfType` (typed props, engine type filtering, not-applicable otherwise).
 */
export function forEventSubscriptions(validate: SubscriptionValidation): ResourceValidation[] {
  return [
    validateResourceOfType(eventgrid.SystemTopicEventSubscription, (props, args, report) => validate(props, args, report)),
    validateResourceOfType(eventgrid.EventSubscription, (props, args, report) => validate(props, args, report)),
  ];
}

/** Endpoint types Event Grid can reach with the topic's managed identity, and the data role each needs. */
export const IDENTITY_DELIVERY_ROLES: Readonly<Record<string, BuiltInRoleName>> = {
  EventHub: "AzureEventHubsDataSender",
  ServiceBusQueue: "AzureServiceBusDataSender",
  ServiceBusTopic: "AzureServiceBusDataSender",
  StorageQueue: "StorageQueueDataMessageSender",
};

/** The data role identity-based dead-lettering needs on the storage account. */
export const DEAD_LETTER_ROLE: BuiltInRoleName = "StorageBlobDataContributor";
