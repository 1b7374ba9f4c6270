import { ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, forEventSubscriptions } from "./common";

/** Knobs of {@link deliveryRetryPolicyBounded}. */
export interface DeliveryRetryPolicyBoundedConfig {
  /** Highest maxDeliveryAttempts accepted (Azure's own limit is 30). */
  readonly maxDeliveryAttempts: number;
  /** Highest eventTimeToLiveInMinutes accepted (Azure's own limit is 1440). */
  readonly maxEventTimeToLiveInMinutes: number;
}

const AZURE_MAX_ATTEMPTS = 30;
const AZURE_MAX_TTL = 1440;

function check(value: unknown, field: string, azureMax: number, configuredMax: number): string | undefined {
  if (value === undefined) return undefined;
  const limit = Math.min(azureMax, configuredMax);
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= limit) return undefined;
  const why = typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= azureMax ? `this pack allows at most ${limit}` : `Azure accepts integers 1–${azureMax}`;
  return `retryPolicy.${field} is ${JSON.stringify(value)}; ${why}. Fix: set retryPolicy.${field} between 1 and ${limit} (omit it for Azure's default ${azureMax}).`;
}

/** Retry policies stay within the bounds Azure accepts (and any tighter configured bound). */
export const deliveryRetryPolicyBounded: ResourceValidationPolicy = {
  name: "delivery-retry-policy-bounded",
  description: "Retry policies use maxDeliveryAttempts 1–30 and eventTimeToLiveInMinutes 1–1440 (or tighter configured bounds).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      maxDeliveryAttempts: { type: "integer", minimum: 1, maximum: AZURE_MAX_ATTEMPTS, default: AZURE_MAX_ATTEMPTS, description: "Highest maxDeliveryAttempts accepted." },
      maxEventTimeToLiveInMinutes: { type: "integer", minimum: 1, maximum: AZURE_MAX_TTL, default: AZURE_MAX_TTL, description: "Highest eventTimeToLiveInMinutes accepted." },
    },
  },
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    const retry = props.retryPolicy;
    if (retry === undefined) return;
    const config = configOf<DeliveryRetryPolicyBoundedConfig>(args, deliveryRetryPolicyBounded.configSchema!);
    const problems = [
      check(retry.maxDeliveryAttempts, "maxDeliveryAttempts", AZURE_MAX_ATTEMPTS, config.maxDeliveryAttempts),
      check(retry.eventTimeToLiveInMinutes, "eventTimeToLiveInMinutes", AZURE_MAX_TTL, config.maxEventTimeToLiveInMinutes),
    ];
    for (const p of problems) if (p !== undefined) reportViolation(p);
  }),
};
