/**
 * Typed access to the parts of `@pulumi/policy` the engine uses at run time but whose declarations the
 * package strips (`@internal`): the unknown-checking proxy, its error, the sentinels the engine sends
 * for values unknown during preview, and the analyzer's in-process RPC handlers.
 */

/** Thrown by the unknown-checking proxy when a policy reads a value unknown during preview. */
export interface UnknownValueErrorLike extends Error {
  /** The property path that was read, e.g. `["filter", "includedEventTypes"]`. */
  readonly props: readonly (string | symbol)[];
}

interface PolicyRuntime {
  unknownCheckingProxy<T extends object>(value: T): T;
  UnknownValueError: new (...args: never[]) => UnknownValueErrorLike;
}

interface PolicyModule {
  isResourcePolicy(policy: unknown): boolean;
  isStackPolicy(policy: unknown): boolean;
  getPulumiType(value: unknown): string | undefined;
}

interface ProxyModule {
  unknownStringValue: string;
  unknownNumberValue: string;
  unknownBooleanValue: string;
  unknownArrayValue: string;
  unknownObjectValue: string;
  unknownAssetValue: string;
  unknownArchiveValue: string;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const runtime: PolicyRuntime = require("@pulumi/policy");
const proxy: ProxyModule = require("@pulumi/policy/proxy");
const policyModule: PolicyModule = require("@pulumi/policy/policy");
/* eslint-enable @typescript-eslint/no-require-imports */

/** `@pulumi/policy`'s own proxy: reading an unknown value through it throws {@link UnknownValueError}. */
export const unknownCheckingProxy = runtime.unknownCheckingProxy;

/** `@pulumi/policy`'s own error class for unknown values (the engine turns it into an advisory diagnostic). */
export const UnknownValueError = runtime.UnknownValueError;

/**
 * How the engine represents a value unknown during preview (e.g. an output of a resource not yet
 * created): the sentinel string `@pulumi/policy` recognises. Put it anywhere in `props` to simulate one.
 */
export const UNKNOWN_VALUE: string = proxy.unknownStringValue;

/** Every sentinel the engine may send for an unknown value, by the kind of value expected. */
export const UNKNOWN_SENTINELS: readonly string[] = [
  proxy.unknownStringValue,
  proxy.unknownNumberValue,
  proxy.unknownBooleanValue,
  proxy.unknownArrayValue,
  proxy.unknownObjectValue,
  proxy.unknownAssetValue,
  proxy.unknownArchiveValue,
];

/** True when `value` is one of the engine's unknown-value sentinels. */
export function isUnknownSentinel(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.includes(value);
}

/** The engine's own test for "this policy validates resources" (a function or an array of functions). */
export const isResourcePolicy = policyModule.isResourcePolicy;

/** The engine's own test for "this policy validates the whole stack". */
export const isStackPolicy = policyModule.isStackPolicy;

/** The Pulumi type token attached to a resource class or a typed validation function, if any. */
export const getPulumiType = policyModule.getPulumiType;
