import * as logic from "@pulumi/azure-native/logic";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { configOf } from "./common";

/** Knobs of {@link logicAppRequestTriggerRestricted}. */
export interface LogicAppRequestTriggerRestrictedConfig {
  /** Tag that records "the callback URL's SAS signature is the only control" as a deliberate choice. */
  readonly sasOnlyTag: string;
  /** The value of that tag which accepts SAS-only access. */
  readonly sasOnlyTagValue: string;
}

/** The names of the workflow definition's Request triggers. */
export function requestTriggers(definition: unknown): string[] {
  if (typeof definition !== "object" || definition === null) return [];
  const triggers = (definition as { triggers?: unknown }).triggers;
  if (typeof triggers !== "object" || triggers === null) return [];
  return Object.entries(triggers as Record<string, unknown>)
    .filter(([, t]) => typeof t === "object" && t !== null && String((t as { type?: unknown }).type).toLowerCase() === "request")
    .map(([name]) => name);
}

/**
 * Logic App request triggers are not left open to anyone holding the URL without a recorded reason.
 * The rule: a workflow with a Request trigger either restricts callers (`accessControl.triggers`
 * `allowedCallerIpAddresses` or an Entra ID `openAuthenticationPolicies` policy), or carries the tag
 * `aml-events:trigger-auth = sas`, which records that the SAS signature in the callback URL is the
 * control — the usual case for Event Grid delivery, whose outbound addresses can't be pinned there.
 */
export const logicAppRequestTriggerRestricted: ResourceValidationPolicy = {
  name: "logic-app-request-trigger-restricted",
  description: "Logic App request triggers restrict callers (IP ranges or Entra ID policies) or record with a tag that the callback URL's SAS signature is the intended control.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      sasOnlyTag: { type: "string", default: "aml-events:trigger-auth", description: "Tag recording that SAS-only access is deliberate." },
      sasOnlyTagValue: { type: "string", default: "sas", description: "Tag value that accepts SAS-only access." },
    },
  },
  validateResource: validateResourceOfType(logic.Workflow, (props, args, reportViolation) => {
    const definition: unknown = props.definition;
    const triggers = requestTriggers(definition);
    if (triggers.length === 0) args.notApplicable("No Request trigger");
    const config = configOf<LogicAppRequestTriggerRestrictedConfig>(args, logicAppRequestTriggerRestricted.configSchema!);
    const policy = props.accessControl?.triggers;
    const ipRestricted = (policy?.allowedCallerIpAddresses ?? []).some((r) => typeof r.addressRange === "string" && r.addressRange !== "");
    const entraRestricted = Object.keys(policy?.openAuthenticationPolicies?.policies ?? {}).length > 0;
    const tagged = (props.tags ?? {})[config.sasOnlyTag]?.toLowerCase() === config.sasOnlyTagValue.toLowerCase();
    if (ipRestricted || entraRestricted || tagged) return;
    reportViolation(
      `Workflow ${args.name} has Request trigger(s) ${triggers.join(", ")} that anyone holding the callback URL can call. ` +
        `Fix: restrict callers with accessControl.triggers.allowedCallerIpAddresses or openAuthenticationPolicies, or, for Event Grid delivery, tag the workflow ${config.sasOnlyTag}: "${config.sasOnlyTagValue}" and keep the URL secret (pulumi.secret).`,
    );
  }),
};
