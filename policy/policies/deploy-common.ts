/** Helpers for the deploy-readiness policies: Flex detection and globally unique names. */

/** True when a `web.WebApp` runs on the Flex Consumption plan (it declares `functionAppConfig`). */
export function isFlexApp(props: { functionAppConfig?: unknown }): boolean {
  return props.functionAppConfig !== undefined && props.functionAppConfig !== null;
}

/**
 * True when `name` ends in a suffix that makes it unlikely to collide: a last segment (after `-`, or
 * the last `minLength` characters when the name has no hyphen, as storage names can't) of at least
 * `minLength` lowercase letters/digits containing a digit — Pulumi's auto-name suffix, a random or
 * hashed suffix, a subscription-derived hash.
 */
export function hasUniqueSuffix(name: string, minLength: number): boolean {
  const lower = name.toLowerCase();
  const segment = lower.includes("-") ? lower.slice(lower.lastIndexOf("-") + 1) : lower.slice(-minLength);
  return segment.length >= minLength && /^[a-z0-9]+$/.test(segment) && /\d/.test(segment) && segment !== lower;
}

/** The tag every deploy-readiness policy carries. */
export const DEPLOY_READINESS = "deploy-readiness";
