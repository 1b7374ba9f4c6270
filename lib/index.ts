/**
 * aml-event-workflows: Pulumi components that wire Azure Machine Learning workspace events to the
 * work that should follow them. This file only re-exports.
 */
export * from "./arm";
export * from "./events";
export * from "./filters";
export * from "./rbac";
export * from "./destinations";
export * from "./workspace";
export * from "./streaming";
export * from "./simulate";
export * from "./workflows";
export * from "./notifications";
export * from "./retraining";
export * from "./deployment";
export * from "./composite";
export * from "./observability";
export { PublicNetworkAccess, validatePublicNetworkAccess, SUBNET_ID, storageNetworkProps, monitorNetworkProps } from "./interfaces/network";
export { PRIVATE_LINK_SERVICES, validatePrivateEndpoints } from "./interfaces/privateEndpoints";
export type { PrivateEndpoint } from "./interfaces/privateEndpoints";
export { validateCustomerManagedKey } from "./interfaces/customerManagedKey";
export type { CustomerManagedKey } from "./interfaces/customerManagedKey";
export { ISOLATION_ARG_KEYS, validateIsolationArgs } from "./interfaces/isolation";
export type { IsolationArgs } from "./interfaces/isolation";
export * from "./interfaces";
