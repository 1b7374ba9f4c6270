import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** Length of the random suffix on globally unique names. */
export const GLOBAL_NAME_SUFFIX_LENGTH = 8;

/**
 * The suffix of a globally unique name (storage accounts, Function Apps, Event Hubs namespaces: DNS
 * names shared by every Azure customer). A hash of project/stack/name is stable but the same for two
 * organisations that pick the same names, so the suffix is random and kept in state by
 * `@pulumi/random` (stable across updates; it only changes if the RandomString is replaced). Names
 * scoped to our own resources (subscriptions, role assignments, containers) stay deterministic.
 */
export function globalNameSuffix(name: string, parent: pulumi.Resource): pulumi.Output<string> {
  const options = { length: GLOBAL_NAME_SUFFIX_LENGTH, lower: true, upper: false, numeric: true, special: false };
  return new random.RandomString(`${name}-suffix`, options, { parent }).result;
}
