import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { configOf, deliveryOf, known, str, SubscriptionLike, UNKNOWN } from "./common";

/** Knobs of {@link deployFunctionDestinationAfterCode}. */
export interface DeployFunctionDestinationAfterCodeConfig {
  /** Resource types that put code into a Function App (an upload, a one-deploy call, a CLI step). */
  readonly codeDeploymentTypes: string[];
}

const CODE_TYPES = ["azure-native:storage:Blob", "pulumi-nodejs:dynamic:Resource", "command:local:Command", "command:remote:Command", "azure-native:web:WebAppFunction"];
const SUBSCRIPTIONS = ["azure-native:eventgrid:SystemTopicEventSubscription", "azure-native:eventgrid:EventSubscription"];

/** The site name of an AzureFunction destination's `.../sites/<site>/functions/<fn>` id. */
function siteOf(resourceId: string | undefined): string | undefined {
  return resourceId === undefined ? undefined : /\/providers\/Microsoft\.Web\/sites\/([^/]+)\/functions\/[^/]+$/i.exec(resourceId)?.[1]?.toLowerCase();
}

/** Every resource `r` depends on, directly or through others. */
function closure(r: PolicyResource): PolicyResource[] {
  const seen = new Map<string, PolicyResource>();
  const stack = [...r.dependencies];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seen.has(d.urn)) continue;
    seen.set(d.urn, d);
    stack.push(...d.dependencies);
  }
  return [...seen.values()];
}

/** AzureFunction destinations wait for the function's code. */
export const deployFunctionDestinationAfterCode: StackValidationPolicy = {
  name: "deploy-function-destination-after-code",
  description: "Subscriptions with an AzureFunction destination on a Function App of the same stack depend on the resource that deploys its code; Event Grid checks the function exists when the subscription is created.",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["deploy-readiness", "delivery"],
  // "Azure Function as an event handler for Azure Event Grid events": the destination is a function of a deployed app.
  url: "https://learn.microsoft.com/azure/event-grid/handler-functions",
  remediationSteps: "Add the code deployment resource (package upload, one-deploy step) to the subscription's dependsOn, so the function exists before Event Grid validates the destination.",
  configSchema: {
    properties: {
      codeDeploymentTypes: { type: "array", items: { type: "string" }, default: CODE_TYPES, description: "Resource types that deploy code into a Function App." },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = configOf<DeployFunctionDestinationAfterCodeConfig>(args, deployFunctionDestinationAfterCode.configSchema!);
    const apps = new Map<string, PolicyResource>();
    for (const r of args.resources) {
      if (r.type !== "azure-native:web:WebApp") continue;
      const name = known(() => str(r.props.name));
      if (typeof name === "string") apps.set(name.toLowerCase(), r);
    }
    const subs = args.resources.filter((r) => SUBSCRIPTIONS.includes(r.type));
    if (apps.size === 0 || subs.length === 0) args.notApplicable("No Function App with a subscription in the stack");
    for (const sub of subs) {
      const delivery = known(() => deliveryOf(sub.props as SubscriptionLike));
      if (delivery === UNKNOWN || delivery?.destination.endpointType !== "AzureFunction") continue;
      const site = known(() => siteOf(str(delivery.destination.resourceId)));
      const app = typeof site === "string" ? apps.get(site) : undefined;
      if (app === undefined) continue; // the app lives elsewhere (or its name is unknown in preview)
      if (closure(sub).some((d) => config.codeDeploymentTypes.includes(d.type))) continue;
      reportViolation(
        `Subscription ${sub.name} delivers to a function of ${app.name} but doesn't depend on anything deploying its code (${config.codeDeploymentTypes.join(", ")}); ` +
          `on a first deployment Event Grid finds no function and creating the subscription fails. Fix: add the code deployment to the subscription's dependsOn.`,
        sub.urn,
      );
    }
  },
};
