/**
 * The `defaults` profile: every capability with only the inputs it requires, so each of its defaults
 * is what gets deployed (Azure Verified Modules test a module this way). Compare with `waf-aligned`
 * (secure, private) and `max` (every option).
 */
import { MlEventWorkflows } from "aml-event-workflows";
import { profileSettings, publishEndpoints } from "../settings";

const settings = profileSettings();

const workflows = new MlEventWorkflows("defaults", {
  workspaceId: settings.workspaceId,
  resourceGroupName: settings.resourceGroupName,
  location: settings.location,
  email: { recipients: ["ml-oncall@contoso.com"] },
  retrain: {
    modelMonitor: { monitorNames: ["credit-default-monitor"] },
    createPipeline: { batchEndpoint: { endpointName: "retrain-credit-default", region: settings.location } },
  },
  deployer: {
    rules: [{ models: ["credit-default"], tags: { type: ["classification"] }, endpointName: "contoso-credit-7m3q8" }],
    ...publishEndpoints(settings),
  },
  streaming: {},
});

export const outputs = workflows.outputs;
