import { ResourceValidationPolicy } from "@pulumi/policy";
import { AmlEventType } from "../../lib/events/types";
import { configOf, forEventSubscriptions, subscriptionNameOf } from "./common";

/** Knobs of {@link filterDeployerModelTags}. */
export interface FilterDeployerModelTagsConfig {
  /** Subscription labels that mark a model deployer. */
  readonly deployerLabels: string[];
  /** Case-insensitive regular expression on the subscription name that marks a model deployer. */
  readonly deployerNamePattern: string;
}

const POSITIVE_TAG_OPERATORS = ["StringIn", "StringBeginsWith", "StringEndsWith", "StringContains", "IsNotNull"];

/** Model deployers only react to models carrying the tags they deploy. */
export const filterDeployerModelTags: ResourceValidationPolicy = {
  name: "filter-deployer-model-tags",
  description: "Subscriptions that feed a model deployer with ModelRegistered events filter on model tags (data.modelTags.<tag>), so not every registered model reaches the deployer (advisory: the deployer's own tag rules are the second line).",
  enforcementLevel: "advisory",
  severity: "high",
  configSchema: {
    properties: {
      deployerLabels: { type: "array", items: { type: "string" }, default: ["model-deployer"], description: "Labels that mark a deployer subscription." },
      deployerNamePattern: { type: "string", default: "deploy", description: "Case-insensitive pattern on the subscription name that marks a deployer subscription." },
    },
  },
  validateResource: forEventSubscriptions((props, args, reportViolation) => {
    const config = configOf<FilterDeployerModelTagsConfig>(args, filterDeployerModelTags.configSchema!);
    const name = subscriptionNameOf(props, args);
    const labels = (props.labels ?? []).map((l) => l.toLowerCase());
    const isDeployer = config.deployerLabels.some((l) => labels.includes(l.toLowerCase())) || new RegExp(config.deployerNamePattern, "i").test(name);
    if (!isDeployer) args.notApplicable("Not a model deployer subscription");
    const filter = (props.filter ?? {}) as { includedEventTypes?: unknown; advancedFilters?: unknown };
    const types = filter.includedEventTypes;
    const registered = !Array.isArray(types) || types.some((t) => typeof t === "string" && t.toLowerCase() === AmlEventType.ModelRegistered.toLowerCase());
    if (!registered) args.notApplicable("Does not receive ModelRegistered");
    const advanced = Array.isArray(filter.advancedFilters) ? (filter.advancedFilters as unknown[]) : [];
    const onTags = advanced.some((f) => {
      if (typeof f !== "object" || f === null) return false;
      const { key, operatorType } = f as { key?: unknown; operatorType?: unknown };
      // The `data` root matches in any case; the payload path after it is exact (real events say `modelTags`).
      const onModelTags = typeof key === "string" && /^data\.$/i.test(key.slice(0, 5)) && /^modelTags\.[^.]+$/.test(key.slice(5));
      return onModelTags && typeof operatorType === "string" && POSITIVE_TAG_OPERATORS.includes(operatorType);
    });
    if (onTags) return;
    reportViolation(
      `Deployer subscription ${name} receives ModelRegistered events without a model-tag filter, so every registered model reaches the deployer. ` +
        `Fix: add an advanced filter on the tags that select deployable models, e.g. modelTagIn("stage", ["production"]) → {operatorType: "StringIn", key: "data.modelTags.stage", values: ["production"]}.`,
    );
  }),
};
