import * as eventgrid from "@pulumi/azure-native/eventgrid";
import { StackValidationPolicy, validateStackResourcesOfType } from "@pulumi/policy";
import { known, str, UNKNOWN } from "./common";

/** At most one system topic per source resource (Azure refuses a second one). */
export const eventgridOneSystemTopicPerSource: StackValidationPolicy = {
  name: "eventgrid-one-system-topic-per-source",
  description: "A stack declares at most one Event Grid system topic per source resource; Azure refuses a second one, so share one topic per workspace.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: validateStackResourcesOfType(eventgrid.SystemTopic, (_topics, args, reportViolation) => {
    const bySource = new Map<string, string[]>();
    const spelled = new Map<string, string>();
    for (const topic of args.resources) {
      const source = known(() => str(topic.props.source));
      if (source === UNKNOWN || source === undefined) continue; // unknown in preview: can't compare
      const key = source.toLowerCase().replace(/\/+$/, "");
      bySource.set(key, [...(bySource.get(key) ?? []), topic.urn]);
      if (!spelled.has(key)) spelled.set(key, source);
    }
    for (const [source, urns] of bySource) {
      if (urns.length < 2) continue;
      const names = urns.map((u) => u.split("::").pop());
      for (const urn of urns.slice(1)) {
        reportViolation(
          `${names.length} system topics (${names.join(", ")}) have source ${spelled.get(source) ?? source}; Azure allows one per source and the second fails to create. ` +
            `Fix: create one topic and subscribe everything to it (one WorkspaceEvents per workspace), or adopt the existing one with WorkspaceEvents' existingSystemTopic: { name }.`,
          urn,
        );
      }
    }
  }),
};
