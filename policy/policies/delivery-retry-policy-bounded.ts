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
  // Clamps numbers above the bound down to it (and below 1 up to 1); never adds a retry policy, never touches non-numbers.
  remediateResource: (args) => {
    if (!/^azure-native:eventgrid:(SystemTopicEventSubscription|EventSubscription)$/.test(args.type)) return undefined;
    const retry = (args.props as { retryPolicy?: Record<string, unknown> }).retryPolicy;
    if (retry === undefined) return undefined;
    const config = configOf<DeliveryRetryPolicyBoundedConfig>(args, deliveryRetryPolicyBounded.configSchema!);
    const clamp = (v: unknown, max: number): unknown => (typeof v === "number" && Number.isInteger(v) ? Math.max(1, Math.min(v, max)) : v);
    const fixed = {
      ...retry,
      ...(retry.maxDeliveryAttempts !== undefined ? { maxDeliveryAttempts: clamp(retry.maxDeliveryAttempts, Math.min(AZURE_MAX_ATTEMPTS, config.maxDeliveryAttempts)) } : {}),
      ...(retry.eventTimeToLiveInMinutes !== undefined ? { eventTimeToLiveInMinutes: clamp(retry.eventTimeToLiveInMinutes, Math.min(AZURE_MAX_TTL, config.maxEventTimeToLiveInMinutes)) } : {}),
    };
    if (fixed.maxDeliveryAttempts === retry.maxDeliveryAttempts && fixed.eventTimeToLiveInMinutes === retry.eventTimeToLiveInMinutes) return undefined;
    return { ...args.props, retryPolicy: fixed };
  },
};
