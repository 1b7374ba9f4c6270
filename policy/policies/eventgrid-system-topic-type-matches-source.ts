import * as eventgrid from "@pulumi/azure-native/eventgrid";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf, scopeKind } from "./common";

/** Knobs of {@link eventgridSystemTopicTypeMatchesSource}. */
export interface EventgridSystemTopicTypeMatchesSourceConfig {
  /** Extra source resource type → topic type pairs, for sources whose topic type isn't `<Namespace>.<Type>`. */
  readonly topicTypes: Record<string, string>;
}

/** The topic type Azure expects for a source id, or undefined when the source isn't an ARM id. */
export function expectedTopicType(source: string, extra: Readonly<Record<string, string>> = {}): string | undefined {
  const kind = scopeKind(source);
  switch (kind) {
    case "subscription":
      return "Microsoft.Resources.Subscriptions";
    case "resourceGroup":
      return "Microsoft.Resources.ResourceGroups";
    case "resource": {
      const m = /\/providers\/([^/]+)\/([^/]+)\/[^/]+$/i.exec(source.replace(/\/+$/, ""));
      if (!m) return undefined; // child resources aren't topic sources
      const type = `${m[1]}/${m[2]}`;
      const mapped = Object.entries(extra).find(([k]) => k.toLowerCase() === type.toLowerCase());
      return mapped ? mapped[1] : `${m[1]}.${m[2]}`;
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
    const expected = expectedTopicType(source, config.topicTypes);
    if (expected === undefined) {
      reportViolation(`System topic source ${JSON.stringify(source)} is not the ARM id of a subscription, resource group or top-level resource. Fix: pass the source resource's id (e.g. workspace.id).`);
      return;
    }
    if (expected.toLowerCase() === topicType.toLowerCase()) return;
    reportViolation(
      `topicType ${JSON.stringify(topicType)} does not match source ${source}, which publishes ${JSON.stringify(expected)}. ` +
        `Fix: set topicType to ${JSON.stringify(expected)} (or map the source type in 'topicTypes' if Azure names it differently).`,
    );
  }),
};
