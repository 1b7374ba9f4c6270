import type * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as pulumi from "@pulumi/pulumi";
import { SubscribeArgs, WorkspaceEvents } from "./workspaceEvents";
import { ManagedIdentities } from "../interfaces/types";

/**
 * The events component a TypeScript program already has (`WorkspaceEvents` satisfies it).
 * Declared with accessors and methods only, which Pulumi's component analyzer skips: Python, Go, .NET
 * and YAML programs see an empty object and pass `workspace` instead.
 */
export interface WorkspaceEventSource {
  /** ARM id of the workspace. */
  get workspaceId(): pulumi.Output<string>;
  /** Resource group of the workspace's system topic. */
  get resourceGroupName(): pulumi.Output<string>;
  /** Region of the workspace. */
  get location(): pulumi.Output<string>;
  /** The subscriptions already declared on the topic (names are unique per topic). */
  get subscriptions(): readonly { readonly name: string }[];
  /** Adds an event subscription on the workspace's system topic. */
  subscribe(name: string, args: SubscribeArgs): eventgrid.SystemTopicEventSubscription;
}

/** The workspace whose events a component handles, as plain data (every language): the component then owns its events component. */
export interface WorkspaceSource {
  /** ARM id of the Azure Machine Learning workspace. */
  readonly workspaceId: pulumi.Input<string>;
  /** Resource group for the system topic, the dead-letter storage and the resources the component creates. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region of the workspace. */
  readonly location: pulumi.Input<string>;
  /** Name of the workspace's existing system topic to adopt (Azure allows one per workspace). @default - create one */
  readonly existingSystemTopicName?: pulumi.Input<string>;
}

/** The two ways to name the events a component subscribes to. */
export interface EventSourceArgs {
  /** TypeScript: the workspace's events component. Pass exactly one of `events` and `workspace`. */
  readonly events?: WorkspaceEventSource;
  /** Any language: the workspace; the component creates (or adopts) its system topic. Pass exactly one of `events` and `workspace`. */
  readonly workspace?: WorkspaceSource;
}

/** True when `events` is a usable events component (not plain data from another language). */
export function isEventSource(events: unknown): events is WorkspaceEventSource {
  return typeof events === "object" && events !== null && typeof (events as { subscribe?: unknown }).subscribe === "function";
}

/**
 * "Exactly one of events and workspace", and events must be a component; messages name both and the fix
 * (prefixed with `where: ` unless `where` is empty, for components that prefix every message themselves).
 */
export function eventSourceProblems(where: string, args: EventSourceArgs): string[] {
  const at = where === "" ? "" : `${where}: `;
  if ((args.events === undefined) === (args.workspace === undefined)) {
    return [
      args.events === undefined
        ? `${at}neither events nor workspace is set; pass events (a WorkspaceEvents, TypeScript) or workspace ({workspaceId, resourceGroupName, location}, any language).`
        : `${at}events and workspace are both set; pass one — the WorkspaceEvents to subscribe on, or the workspace for the component to subscribe to itself.`,
    ];
  }
  if (args.events !== undefined && !isEventSource(args.events)) {
    return [`${at}events is ${JSON.stringify(args.events)}, not a WorkspaceEvents component; from Python, Go, .NET or YAML pass workspace ({workspaceId, resourceGroupName, location}) instead.`];
  }
  const ws = args.workspace;
  if (ws !== undefined && (typeof ws !== "object" || ws === null || ws.workspaceId === undefined || ws.resourceGroupName === undefined || ws.location === undefined)) {
    return [`${at}workspace ${JSON.stringify(ws)} lacks workspaceId, resourceGroupName or location; pass all three.`];
  }
  return [];
}

/**
 * The events component to subscribe on: `events` as given, or a `WorkspaceEvents` named
 * `${name}-events`, a child of `parent`, for a plain-data `workspace`. Call after `eventSourceProblems`.
 */
export function resolveEventSource(parent: pulumi.Resource, name: string, args: EventSourceArgs, tags?: Readonly<Record<string, string>>, managedIdentities?: ManagedIdentities): WorkspaceEventSource {
  if (args.events !== undefined) return args.events;
  const { existingSystemTopicName, ...placement } = args.workspace as WorkspaceSource;
  return new WorkspaceEvents(
    `${name}-events`,
    {
      ...placement,
      tags: tags ?? {},
      ...(existingSystemTopicName === undefined ? {} : { existingSystemTopic: { name: existingSystemTopicName } }),
      // The created topic delivers and dead-letters as the component's user-assigned identity too (not for an adopted topic).
      ...(managedIdentities !== undefined && existingSystemTopicName === undefined ? { managedIdentities } : {}),
    },
    { parent },
  );
}
