import { ResourceValidationPolicy } from "@pulumi/policy";
import { forEventSubscriptions } from "./common";

const VALID = /^[A-Za-z0-9-]{3,64}$/;

/** Subscription names are what Azure accepts: 3–64 letters, digits and hyphens. */
export const deliverySubscriptionNameValid: ResourceValidationPolicy = {
  name: "delivery-subscription-name-valid",
  description: "Event subscription names are 3–64 characters of letters, digits and hyphens, as Azure requires.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    const explicit = props.eventSubscriptionName;
    if (explicit !== undefined) {
      if (VALID.test(explicit)) return;
      reportViolation(
        `eventSubscriptionName ${JSON.stringify(explicit)} is invalid: Azure accepts 3–64 characters of A–Z, a–z, 0–9 and "-". ` +
          `Fix: rename it, e.g. ${JSON.stringify(explicit.replace(/[^A-Za-z0-9-]+/g, "-").slice(0, 64).padEnd(3, "0"))}.`,
      );
      return;
    }
    // Auto-named: the provider derives the name from the resource name plus a random suffix.
    if (/^[A-Za-z0-9-]+$/.test(args.name)) return;
    reportViolation(
      `The subscription is auto-named from resource name ${JSON.stringify(args.name)}, which has characters Azure rejects in event subscription names. ` +
        `Fix: set eventSubscriptionName to 3–64 characters of A–Z, a–z, 0–9 and "-".`,
    );
  }),
};
