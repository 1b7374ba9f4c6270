import { ResourceValidationPolicy } from "@pulumi/policy";
import { deliveryOf, forEventSubscriptions } from "./common";

/** Webhook destinations use HTTPS. */
export const deliveryWebhookHttps: ResourceValidationPolicy = {
  name: "delivery-webhook-https",
  description: "WebHook destinations use an https:// endpoint URL; Event Grid refuses plain HTTP and the URL may carry a secret.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: forEventSubscriptions((props, _args, reportViolation) => {
    const delivery = deliveryOf(props);
    if (delivery === undefined || delivery.destination.endpointType !== "WebHook") return;
    const url = delivery.destination.endpointUrl;
    if (typeof url === "string" && /^https:\/\/[^/\s]+/i.test(url)) return;
    const shown = typeof url === "string" ? JSON.stringify(url.replace(/([?&]sig=)[^&]*/i, "$1…")) : "missing";
    reportViolation(`WebHook endpointUrl is ${shown}; it must be an https:// URL. Fix: serve the handler over HTTPS and use its https:// URL (Logic App and Function URLs already are).`);
  }),
};
