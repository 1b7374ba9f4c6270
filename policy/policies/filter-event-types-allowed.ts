import { ResourceValidationPolicy } from "@pulumi/policy";
import { closestAmlEventType, isAllEventTypesEntry } from "../../lib/filters";
import { ALL_AML_EVENT_TYPES } from "../../lib/events/types";
import { configOf, forEventSubscriptions } from "./common";

/** Knobs of {@link filterEventTypesAllowed}. */
export interface FilterEventTypesAllowedConfig {
  /** Event types subscriptions may name. */
  readonly allowedEventTypes: string[];
  /** Accept subscriptions that receive every type, including future ones (includedEventTypes omitted, or `["All"]`). */
  readonly allowAllEventTypes: boolean;
}

/** Subscriptions list their event types explicitly, from the AML allow-list. */
export const filterEventTypesAllowed: ResourceValidationPolicy = {
  name: "filter-event-types-allowed",
  description: "Subscriptions list a non-empty includedEventTypes drawn from the allowed event types (by default the five Azure Machine Learning types).",
  enforcementLevel: "mandatory",
  severity: "medium",
  configSchema: {
    properties: {
      allowedEventTypes: { type: "array", items: { type: "string" }, default: [...ALL_AML_EVENT_TYPES], description: "Event types subscriptions may name." },
      allowAllEventTypes: { type: "boolean", default: false, description: "Accept subscriptions that receive every event type (includedEventTypes omitted, or [\"All\"])." },
    },
  },
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    const config = configOf<FilterEventTypesAllowedConfig>(args, filterEventTypesAllowed.configSchema!);
    const filter = props.filter;
    const types = typeof filter === "object" && filter !== null ? (filter as { includedEventTypes?: unknown }).includedEventTypes : undefined;
    // `["All"]` is Microsoft's documented spelling of "every event type": the same as omitting the list.
    const allEntry = Array.isArray(types) ? types.find((t): t is string => typeof t === "string" && isAllEventTypesEntry(t)) : undefined;
    if (types === undefined || types === null || allEntry !== undefined) {
      if (!config.allowAllEventTypes) {
        reportViolation(
          `filter.includedEventTypes ${allEntry === undefined ? "is not set" : `contains ${JSON.stringify(allEntry)}`}, so the subscription receives every event type the topic publishes, including future ones. ` +
            `Fix: list the types the handler understands, e.g. includedEventTypes: ["${ALL_AML_EVENT_TYPES[0]}"] (or set 'allowAllEventTypes' in the policy config).`,
        );
      }
      return;
    }
    if (!Array.isArray(types) || types.length === 0) {
      reportViolation(`filter.includedEventTypes is ${JSON.stringify(types)}; it must be a non-empty list. Fix: list the AML event types to deliver, e.g. ["${ALL_AML_EVENT_TYPES[0]}"].`);
      return;
    }
    const allowed = config.allowedEventTypes.map((t) => t.toLowerCase());
    types.forEach((t: unknown, i: number) => {
      if (typeof t === "string" && allowed.includes(t.toLowerCase())) return;
      const hint = typeof t === "string" ? `did you mean "${closestAmlEventType(t)}"? ` : "";
      reportViolation(
        `filter.includedEventTypes[${i}] ${JSON.stringify(t)} is not an allowed event type. Fix: ${hint}Allowed: ${config.allowedEventTypes.join(", ")} (extend 'allowedEventTypes' in the policy config to allow more).`,
      );
    });
  }),
};
