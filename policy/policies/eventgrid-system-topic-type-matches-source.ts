import * as eventgrid from "@pulumi/azure-native/eventgrid";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf, scopeKind } from "./common";

/** Knobs of {@link eventgridSystemTopicTypeMatchesSource}. */
export interface EventgridSystemTopicTypeMatchesSourceConfig {
  /** Extra source resource type → topic type pairs, for sources whose topic type isn't `<Namespace>.<Type>`. */
  readonly topicTypes: Record<string, string>;
}

/**
 * Topic types whose source is an Azure subscription: Azure Resource Manager events, and the services
 * that publish per subscription (Azure Policy state changes, Azure Resource Notifications).
 */
export const SUBSCRIPTION_TOPIC_TYPES: readonly string[] = [
  "Microsoft.Resources.Subscriptions",
  "Microsoft.PolicyInsights.PolicyStates",
  "Microsoft.ResourceNotifications.HealthResources",
  "Microsoft.ResourceNotifications.Resources",
  "Microsoft.ResourceNotifications.ContainerServiceEventResources",
];

/** The topic types Azure accepts for a source id (the first is the usual one), or undefined when the source isn't an ARM id. */
export function expectedTopicTypes(source: string, extra: Readonly<Record<string, string>> = {}): readonly string[] | undefined {
  const kind = scopeKind(source);
  switch (kind) {
    case "subscription":
      return SUBSCRIPTION_TOPIC_TYPES;
    case "resourceGroup":
      return ["Microsoft.Resources.ResourceGroups"];
    case "resource": {
      const m = /\/providers\/([^/]+)\/([^/]+)\/[^/]+$/i.exec(source.replace(/\/+$/, ""));
      if (!m) return undefined; // child resources aren't topic sources
      const type = `${m[1]}/${m[2]}`;
      const mapped = Object.entries(extra).find(([k]) => k.toLowerCase() === type.toLowerCase());
      return [mapped ? mapped[1] : `${m[1]}.${m[2]}`];
    }
    case "root":
    case "managementGroup":
    case "invalid":
      return undefined;
    default: {
      const unexpected: never = kind;
      return unexpected;
    }
  }
}

/** A system topic's topicType is the one for its source (AML workspaces: Microsoft.MachineLearningServices.Workspaces). */
export const eventgridSystemTopicTypeMatchesSource: ResourceValidationPolicy = {
  name: "eventgrid-system-topic-type-matches-source",
  description: "A system topic names a source resource id and the topicType that source publishes (Microsoft.MachineLearningServices.Workspaces for a workspace); Azure rejects a mismatch.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      topicTypes: {
        type: "object",
        additionalProperties: { type: "string" },
        default: {},
        description: "Source resource type (e.g. Microsoft.Foo/bars) → topic type, where it isn't <Namespace>.<Type>.",
      },
    },
  },
  validateResource: validateResourceOfType(eventgrid.SystemTopic, (props, args, reportViolation) => {
    const config = configOf<EventgridSystemTopicTypeMatchesSourceConfig>(args, eventgridSystemTopicTypeMatchesSource.configSchema!);
    const { source, topicType } = props;
    if (source === undefined || topicType === undefined) {
      reportViolation(`System topic ${args.name} must set both source and topicType (got source ${JSON.stringify(source)}, topicType ${JSON.stringify(topicType)}). Fix: set source to the workspace id and topicType to "Microsoft.MachineLearningServices.Workspaces".`);
      return;
    }
    const expected = expectedTopicTypes(source, config.topicTypes);
    if (expected === undefined) {
      reportViolation(`System topic source ${JSON.stringify(source)} is not the ARM id of a subscription, resource group or top-level resource. Fix: pass the source resource's id (e.g. workspace.id).`);
      return;
    }
    if (expected.some((t) => t.toLowerCase() === topicType.toLowerCase())) return;
    reportViolation(
      `topicType ${JSON.stringify(topicType)} does not match source ${source}, which publishes ${expected.map((t) => JSON.stringify(t)).join(" or ")}. ` +
        `Fix: set topicType to ${JSON.stringify(expected[0])} (or map the source type in 'topicTypes' if Azure names it differently).`,
    );
  }),
};
