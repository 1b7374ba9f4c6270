import * as web from "@pulumi/azure-native/web";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { DEPLOYER_SETTINGS } from "../../lib/deployment/constants";

/** The deployer's rules as its Function App carries them (`DEPLOY_RULES` app setting); undefined when absent or not a JSON array. */
function deployRulesOf(props: { siteConfig?: { appSettings?: unknown } }): unknown[] | undefined {
  const settings = props.siteConfig?.appSettings;
  if (!Array.isArray(settings)) return undefined;
  const setting = settings.find((s: unknown) => typeof s === "object" && s !== null && (s as { name?: unknown }).name === DEPLOYER_SETTINGS.rules) as { value?: unknown } | undefined;
  if (typeof setting?.value !== "string") return undefined;
  try {
    const rules: unknown = JSON.parse(setting.value);
    return Array.isArray(rules) ? rules : undefined;
  } catch {
    return undefined;
  }
}

/** Model deployer rules name the models they deploy instead of deploying any model with matching tags. */
export const deployRuleNamesModels: ResourceValidationPolicy = {
  name: "deploy-rule-names-models",
  description: "Model deployer rules name the AML models they may deploy (models: [...]); a rule with anyModel: true lets anyone who can register a model with matching tags replace what the endpoint serves.",
  enforcementLevel: "advisory",
  severity: "high",
  tags: ["deploy-readiness"],
  // Azure ML: "Work with models" — anyone with model write access in the workspace can register a model with any tags.
  url: "https://learn.microsoft.com/azure/machine-learning/how-to-manage-models",
  remediationSteps: 'Replace anyModel: true with models: ["<model name>", ...] listing the models the endpoint may serve.',
  validateResource: validateResourceOfType(web.WebApp, (props, args, reportViolation) => {
    const rules = deployRulesOf(props as { siteConfig?: { appSettings?: unknown } });
    if (rules === undefined) args.notApplicable(`No ${DEPLOYER_SETTINGS.rules} app setting (not a model deployer)`);
    (rules ?? []).forEach((rule, i) => {
      if (typeof rule !== "object" || rule === null) return;
      const { anyModel, models, endpointName } = rule as { anyModel?: unknown; models?: unknown; endpointName?: unknown };
      if (anyModel !== true && Array.isArray(models) && models.length > 0) return;
      reportViolation(
        `Model deployer ${args.name}: rules[${i}] (endpoint ${JSON.stringify(endpointName)}) deploys ${anyModel === true ? "any model (anyModel: true)" : "models it does not name"} whose tags match, so anyone who can register a model in the workspace can replace what that endpoint serves. ` +
          'Fix: list the models, e.g. models: ["credit-default"].',
      );
    });
  }),
};
