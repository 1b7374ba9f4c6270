/**
 * The network-isolation argument set every component takes (`publicNetworkAccess`, `privateEndpoints`,
 * `customerManagedKey`) and its one validation entry point. Each component says what it can do with
 * them (`IsolationSupport`); anything it can't do is refused at construction with the reason and the
 * fix, never dropped. Sources are in network.ts, privateEndpoints.ts and customerManagedKey.ts.
 */
import { ArgKeys } from "../workspace/argKeys";
import { CustomerManagedKey, validateCustomerManagedKey } from "./customerManagedKey";
import { PublicNetworkAccess, validatePublicNetworkAccess, Where, at } from "./network";
import { PrivateEndpoint, PrivateLinkOffer, validatePrivateEndpoints } from "./privateEndpoints";

/** Private networking and encryption of the resources a component creates (AVM's interface names). */
export interface IsolationArgs {
  /**
   * Public network access of every created resource that has a public endpoint (storage accounts, Event
   * Hubs namespace, Data Factory, Function App, Log Analytics, Application Insights; an Event Grid system
   * topic and a Consumption Logic App have no such setting). "Disabled" keeps Azure's trusted-services
   * exception on storage and Event Hubs, so Event Grid still delivers and dead-letters with its identity.
   * Exact case: "Enabled" or "Disabled".
   * @default - "Disabled" when `privateEndpoints` are given, otherwise Azure's default (Enabled)
   */
  readonly publicNetworkAccess?: PublicNetworkAccess;
  /** Private endpoints on the component's main resource and the storage it owns (see `PrivateEndpoint.service`). @default [] */
  readonly privateEndpoints?: PrivateEndpoint[];
  /** A Key Vault key, read by a user-assigned identity, that encrypts the created storage accounts and factory where Azure supports it. @default - Microsoft-managed keys */
  readonly customerManagedKey?: CustomerManagedKey;
}

/** The names of `IsolationArgs`, spread into each component's argument table. */
export const ISOLATION_ARG_KEYS = { publicNetworkAccess: true, privateEndpoints: true, customerManagedKey: true } as const satisfies ArgKeys<IsolationArgs>;

/** What a component can do with `IsolationArgs`: an offer, or the sentence saying why not (with the fix). */
export interface IsolationSupport {
  /** Private-link services of what it creates, or why it has none. */
  readonly privateEndpoints: PrivateLinkOffer | string;
  /** Why a customer-managed key can't be applied; undefined when it can. */
  readonly customerManagedKey?: string;
  /** Why public network access has nothing to apply to; undefined when it applies. */
  readonly publicNetworkAccess?: string;
}

/** Every problem of the isolation arguments for a component supporting `support`. */
export function validateIsolationArgs(where: Where, args: IsolationArgs, support: IsolationSupport): string[] {
  const problems = validatePublicNetworkAccess(where, "publicNetworkAccess", args.publicNetworkAccess);
  if (problems.length === 0 && args.publicNetworkAccess !== undefined && support.publicNetworkAccess !== undefined) {
    problems.push(`${at(where)}publicNetworkAccess ${JSON.stringify(args.publicNetworkAccess)} is not supported here: ${support.publicNetworkAccess}`);
  }
  problems.push(...validatePrivateEndpoints(where, "privateEndpoints", args.privateEndpoints, support.privateEndpoints, args.publicNetworkAccess));
  problems.push(...validateCustomerManagedKey(where, "customerManagedKey", args.customerManagedKey, support.customerManagedKey));
  return problems;
}
