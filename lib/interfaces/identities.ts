/**
 * AVM `managedIdentities`: the `identity` block of each identity-capable resource, and which identity
 * the component acts with. What Azure allows per resource type:
 * - Event Grid system topics: "one system-assigned identity and up to two user-assigned identities"
 *   (Learn, "Enable managed identity on Azure Event Grid system topic":
 *   https://learn.microsoft.com/azure/event-grid/enable-identity-system-topics). Delivery and
 *   dead-letter name the identity per subscription: `deliveryWithResourceIdentity.identity` /
 *   `deadLetterWithResourceIdentity.identity` = `{ type: "UserAssigned", userAssignedIdentity: <id> }`
 *   (Learn, "Deliver events using a managed identity":
 *   https://learn.microsoft.com/azure/event-grid/managed-service-identity; REST `EventSubscriptionIdentity`).
 * - Logic Apps (Consumption): either the system-assigned identity or ONE user-assigned identity, not
 *   both (Learn, "Authenticate access and connections to Azure resources with managed identities in
 *   Azure Logic Apps", "Consumption versus Standard logic apps":
 *   https://learn.microsoft.com/azure/logic-apps/authenticate-with-managed-identity).
 * - Data Factory, Function Apps (Microsoft.Web/sites), Event Hubs namespaces: system-assigned and
 *   user-assigned together (the REST identity types `SystemAssigned,UserAssigned` /
 *   `SystemAssigned, UserAssigned`, as spelled in azure-native 3.x's enums for each provider).
 * - Log Analytics workspaces: `SystemAssigned`, `UserAssigned` or `None`, not both (azure-native
 *   `operationalinsights.IdentityType`).
 */
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { ManagedIdentities } from "./types";

/** What a resource type allows. */
export interface IdentitySupport {
  /** The `type` spelling for both identities, or undefined when Azure refuses both at once. */
  readonly combined?: string;
  /** At most this many user-assigned identities (undefined: no documented limit). */
  readonly maxUserAssigned?: number;
}

/** Identity rules per resource type (see the file's sources). */
export const IDENTITY_SUPPORT = {
  "Microsoft.EventGrid/systemTopics": { combined: "SystemAssigned, UserAssigned", maxUserAssigned: 2 },
  "Microsoft.Logic/workflows": { maxUserAssigned: 1 },
  "Microsoft.DataFactory/factories": { combined: "SystemAssigned,UserAssigned" },
  "Microsoft.Web/sites": { combined: "SystemAssigned, UserAssigned" },
  "Microsoft.EventHub/namespaces": { combined: "SystemAssigned, UserAssigned" },
  "Microsoft.OperationalInsights/workspaces": { maxUserAssigned: 1 },
} as const satisfies Readonly<Record<string, IdentitySupport>>;

/** A resource type with identity support. */
export type IdentityResourceType = keyof typeof IDENTITY_SUPPORT;

/** The identities a resource gets: `keepsSystem` resources keep the system identity unless told `systemAssigned: false`. */
export function effectiveIdentities(mi: ManagedIdentities | undefined, keepsSystem: boolean): { systemAssigned: boolean; userAssigned: readonly string[] } {
  const userAssigned = mi?.userAssignedResourceIds ?? [];
  return { systemAssigned: mi?.systemAssigned ?? (keepsSystem || userAssigned.length === 0), userAssigned };
}

/** An identity block with the user-assigned ids as a list (Logic Apps, Web, Event Hubs, Log Analytics in azure-native). */
export interface IdentityBlock {
  readonly type: string;
  readonly userAssignedIdentities?: string[];
}

/** The identity block of `type` (pure); undefined when the resource gets no identity. */
export function identityBlock(mi: ManagedIdentities | undefined, type: IdentityResourceType, keepsSystem: boolean): IdentityBlock | undefined {
  const support: IdentitySupport = IDENTITY_SUPPORT[type];
  const { systemAssigned, userAssigned } = effectiveIdentities(mi, keepsSystem);
  const ua = userAssigned.length === 0 ? {} : { userAssignedIdentities: [...userAssigned] };
  if (systemAssigned && userAssigned.length > 0) return { type: support.combined ?? "SystemAssigned", ...ua };
  if (systemAssigned) return { type: "SystemAssigned" };
  return userAssigned.length > 0 ? { type: "UserAssigned", ...ua } : undefined;
}

/** The same block with the ids as a map `{ [id]: {} }`, as azure-native's Event Grid and Data Factory take them. */
export function asIdentityMap(block: IdentityBlock | undefined): { type: string; userAssignedIdentities?: Record<string, Record<string, never>> } | undefined {
  if (block === undefined) return undefined;
  const ids = block.userAssignedIdentities;
  return { type: block.type, ...(ids === undefined ? {} : { userAssignedIdentities: Object.fromEntries(ids.map((id) => [id, {}])) }) };
}

/**
 * Problems with `managedIdentities` for one resource type (pure). `needsSystem` is the reason the
 * component's own calls need the system identity on that resource (undefined when it can act as a
 * user-assigned one).
 */
export function identitySupportProblems(component: string, argName: string, mi: ManagedIdentities | undefined, type: IdentityResourceType, needsSystem?: string): string[] {
  if (mi === undefined) return [];
  const support: IdentitySupport = IDENTITY_SUPPORT[type];
  const { systemAssigned, userAssigned } = effectiveIdentities(mi, needsSystem !== undefined);
  const problems: string[] = [];
  if (support.combined === undefined && systemAssigned && userAssigned.length > 0) {
    problems.push(`${component}: ${argName} asks for both a system-assigned and user-assigned identities on ${type}, which Azure refuses (one or the other; see docs/avm-interfaces.md). Drop systemAssigned: true, or the user-assigned ids.`);
  }
  if (support.maxUserAssigned !== undefined && userAssigned.length > support.maxUserAssigned) {
    problems.push(`${component}: ${argName}.userAssignedResourceIds has ${userAssigned.length} ids; ${type} takes at most ${support.maxUserAssigned}. Pass ${support.maxUserAssigned === 1 ? "one" : support.maxUserAssigned}.`);
  }
  if (needsSystem !== undefined && !systemAssigned) {
    problems.push(`${component}: ${argName}.systemAssigned is false, but ${type} keeps its system-assigned identity: ${needsSystem}. Drop systemAssigned: false (user-assigned ids are attached alongside).`);
  }
  return problems;
}

/** The identity a resource acts with: its first user-assigned identity when it has one and no system identity is kept for its own calls. */
export type ActingIdentity = { readonly kind: "SystemAssigned" } | { readonly kind: "UserAssigned"; readonly resourceId: string };

/** See {@link ActingIdentity}. */
export function actingIdentity(mi: ManagedIdentities | undefined, keepsSystem: boolean): ActingIdentity {
  const first = mi?.userAssignedResourceIds?.[0];
  return first === undefined || keepsSystem ? { kind: "SystemAssigned" } : { kind: "UserAssigned", resourceId: first };
}

/**
 * A Logic Apps workflow definition whose managed-identity `Http` authentications name the
 * user-assigned identity (pure): with a user-assigned identity, an action's `authentication.identity`
 * holds its ARM id (Learn, "Authenticate access … with managed identities in Azure Logic Apps",
 * "Managed identity authentication" in the workflow definition). Unchanged for the system identity.
 */
export function definitionActingAs<T>(definition: T, acting: ActingIdentity): T {
  if (acting.kind === "SystemAssigned") return definition;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== "object" || v === null) return v;
    const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return o.type === "ManagedServiceIdentity" && typeof o.audience === "string" ? { ...o, identity: acting.resourceId } : o;
  };
  return walk(definition) as T;
}

/** The `identity` of an event subscription's delivery or dead-letter block (pure). */
export function eventSubscriptionIdentity(acting: ActingIdentity): { type: "SystemAssigned" } | { type: "UserAssigned"; userAssignedIdentity: string } {
  return acting.kind === "SystemAssigned" ? { type: "SystemAssigned" } : { type: "UserAssigned", userAssignedIdentity: acting.resourceId };
}

/**
 * The principal (object) id of a user-assigned identity, read from Azure by its id (an invoke: the
 * identity must be readable with the provider's credentials, in the provider's subscription).
 */
export function userAssignedPrincipalId(resourceId: string, opts: pulumi.InvokeOptions): pulumi.Output<string> {
  return userAssignedIdentity(resourceId, opts).principalId;
}

/** The ids of a user-assigned identity that callers name it by: its principal (object) id and its client (application) id. */
export interface UserAssignedIdentityIds {
  /** The principal (object) id: what role assignments name. */
  readonly principalId: pulumi.Output<string>;
  /** The client (application) id: what code and app settings name to pick this identity among several. */
  readonly clientId: pulumi.Output<string>;
}

/**
 * The principal and client ids of a user-assigned identity, read from Azure by its id with one invoke
 * (`managedidentity.getUserAssignedIdentity`; the identity must be readable with the provider's
 * credentials, in the provider's subscription). The id's segments match case-insensitively, as ARM's do.
 */
export function userAssignedIdentity(resourceId: string, opts: pulumi.InvokeOptions): UserAssignedIdentityIds {
  const m = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+)\/?$/i.exec(resourceId);
  if (m === null) throw new pulumi.ResourceError(`${JSON.stringify(resourceId)} is not a Microsoft.ManagedIdentity/userAssignedIdentities id.`, opts.parent);
  const identity = managedidentity.getUserAssignedIdentityOutput({ resourceGroupName: m[1], resourceName: m[2] }, opts);
  // The invoke reads the provider's subscription, not the one written in the id (azure-native 3.x
  // `GetUserAssignedIdentityArgs` has no subscription): a same-named identity there must not get the roles.
  const checked = identity.apply((found) => {
    const problem = identitySubscriptionProblem(resourceId, found.id);
    if (problem !== undefined) throw new pulumi.ResourceError(problem, opts.parent);
    return found;
  });
  return { principalId: checked.principalId, clientId: checked.clientId };
}

/** Why the identity read from Azure is not the one asked for (pure): its subscription differs from the id's. */
export function identitySubscriptionProblem(requested: string, found: string | undefined): string | undefined {
  const sub = (id: string | undefined): string => /^\/subscriptions\/([^/]+)\//i.exec(id ?? "")?.[1]?.toLowerCase() ?? "";
  if (found === undefined || found === "" || sub(found) === sub(requested)) return undefined;
  return `user-assigned identity ${JSON.stringify(requested)} is in subscription ${sub(requested)}, but the provider reads subscription ${sub(found)} (it found ${JSON.stringify(found)}); ` +
    "roles would go to the wrong identity. Use an identity in the provider's subscription, or give the component a provider for the identity's subscription.";
}

/** The principal id the component grants roles to: the acting user-assigned identity's, else `systemPrincipalId`. */
export function actingPrincipalId(acting: ActingIdentity, systemPrincipalId: pulumi.Input<string>, opts: pulumi.InvokeOptions): pulumi.Output<string> {
  return acting.kind === "UserAssigned" ? userAssignedPrincipalId(acting.resourceId, opts) : pulumi.output(systemPrincipalId);
}
