import { ResourceValidationPolicy } from "@pulumi/policy";
import { deliveryOf, forEventSubscriptions, SubscriptionLike } from "./common";

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
  // Upgrades http:// to https:// when the URL is otherwise identical: default port (80 dropped, no explicit port), same host, path and query.
  remediateResource: (args) => {
    if (!/^azure-native:eventgrid:(SystemTopicEventSubscription|EventSubscription)$/.test(args.type)) return undefined;
    const props = args.props as SubscriptionLike & Record<string, unknown>;
    const delivery = deliveryOf(props);
    const url = delivery?.destination.endpointUrl;
    if (delivery === undefined || delivery.destination.endpointType !== "WebHook" || typeof url !== "string") return undefined;
    const upgraded = httpsUpgrade(url);
    if (upgraded === undefined) return undefined;
    const destination = { ...delivery.destination, endpointUrl: upgraded };
    return delivery.withIdentity ? { ...props, deliveryWithResourceIdentity: { ...props.deliveryWithResourceIdentity, destination } } : { ...props, destination };
  },
};

/** `https://…` for a plain `http://` URL on the default port; undefined when it isn't one (an explicit port would change the target). */
export function httpsUpgrade(url: string): string | undefined {
  const m = /^http:\/\/([^/?#:\s]+)(:80)?([/?#].*)?$/i.exec(url);
  if (m === null) return undefined;
  return `https://${m[1]}${m[3] ?? ""}`;
}
