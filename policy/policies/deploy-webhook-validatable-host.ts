import { ResourceValidationPolicy } from "@pulumi/policy";
import { webhookHostProblem } from "../../lib/destinations/webhookHost";
import { deliveryOf, forEventSubscriptions, known, str } from "./common";

/**
 * Names reserved for documentation and testing that never reach a real endpoint:
 * RFC 2606 (example.com/.net/.org, .example, .test, .invalid, .localhost) and RFC 6761 (localhost).
 */
const RESERVED = [/(^|\.)example\.(com|net|org)$/, /\.(example|test|invalid|localhost)$/, /^localhost$/];

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return undefined;
  }
}

/** Webhook hosts can answer Event Grid's validation handshake. */
export const deployWebhookValidatableHost: ResourceValidationPolicy = {
  name: "deploy-webhook-validatable-host",
  description: "WebHook endpoints are on a DNS-named host that can answer Event Grid's validation handshake: not an IP literal (loopback, link-local, private or any other address) and not a reserved example/test name (RFC 2606, RFC 6761).",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["deploy-readiness", "delivery"],
  // "Endpoint validation with Event Grid event schema": Event Grid validates a webhook when the subscription is created.
  url: "https://learn.microsoft.com/azure/event-grid/end-point-validation-event-grid-events-schema",
  remediationSteps: "Point endpointUrl at the deployed handler (its real https:// URL); placeholders like https://example.com/hook belong in tests, not stacks.",
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    const delivery = deliveryOf(props);
    if (delivery === undefined || delivery.destination.endpointType !== "WebHook") args.notApplicable("Not a WebHook destination");
    const url = known(() => str(delivery?.destination.endpointUrl));
    if (typeof url !== "string") return;
    const literal = webhookHostProblem(url);
    if (literal !== undefined) {
      reportViolation(
        `WebHook endpoint host ${literal}; subscription ${args.name} would send events to an address instead of a named HTTPS endpoint (IP literals, loopback, link-local such as 169.254.169.254, and private ranges are refused). Fix: use the deployed handler's https:// host name.`,
      );
      return;
    }
    const host = hostOf(url);
    if (host === undefined || !RESERVED.some((r) => r.test(host))) return;
    reportViolation(
      `WebHook endpoint host ${JSON.stringify(host)} is reserved for examples and tests (RFC 2606/6761) and can't answer Event Grid's validation handshake, so creating subscription ${args.name} fails. Fix: use the deployed handler's URL.`,
    );
  }),
};
