import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { configOf, known, str } from "./common";
import { isFlexApp } from "./deploy-common";

/** Knobs of {@link deployFlexCodeDeployed}. */
export interface DeployFlexCodeDeployedConfig {
  /** Resource types that publish to a Flex app (its one-deploy endpoint), not just upload a blob. */
  readonly publishTypes: string[];
}

const PUBLISH_TYPES = ["pulumi-nodejs:dynamic:Resource", "command:local:Command", "command:remote:Command"];

/** Whether `r` depends on `app` (directly). */
const dependsOn = (r: PolicyResource, app: PolicyResource): boolean => r.dependencies.some((d) => d.urn === app.urn);

/** Flex apps get their code through a publish (one deploy), not only a blob in the deployment container. */
export const deployFlexCodeDeployed: StackValidationPolicy = {
  name: "deploy-flex-code-deployed",
  description: "Flex Consumption apps whose package is only uploaded as a blob into their deployment container also get a publish (one deploy) step; Flex runs what one deploy publishes, and a dropped blob may never be indexed.",
  enforcementLevel: "advisory",
  severity: "medium",
  tags: ["deploy-readiness"],
  // "Package-based deployment for Azure Functions": Flex Consumption uses managed package deployment (one deploy).
  url: "https://learn.microsoft.com/azure/azure-functions/deployment-zip-push",
  remediationSteps: "Publish the package with one deploy (POST <scm>/api/publish, `az functionapp deployment source config-zip`) from a resource that depends on the app, e.g. a dynamic resource or a command.",
  configSchema: {
    properties: {
      publishTypes: { type: "array", items: { type: "string" }, default: PUBLISH_TYPES, description: "Resource types that publish code to a Flex app." },
    },
  },
  validateStack: (args, reportViolation) => {
    const config = configOf<DeployFlexCodeDeployedConfig>(args, deployFlexCodeDeployed.configSchema!);
    const flexApps = args.resources.filter((r) => r.type === "azure-native:web:WebApp" && known(() => isFlexApp(r.props as { functionAppConfig?: unknown })) === true);
    if (flexApps.length === 0) args.notApplicable("No Flex Consumption app in the stack");
    for (const app of flexApps) {
      const container = known(() => str((app.props as { functionAppConfig?: { deployment?: { storage?: { value?: unknown } } } }).functionAppConfig?.deployment?.storage?.value));
      if (typeof container !== "string") continue;
      const containerName = container.replace(/\/+$/, "").split("/").pop()?.toLowerCase();
      const blobs = args.resources.filter((r) => r.type === "azure-native:storage:Blob" && known(() => str(r.props.containerName)?.toLowerCase()) === containerName);
      if (blobs.length === 0) continue;
      if (args.resources.some((r) => config.publishTypes.includes(r.type) && dependsOn(r, app))) continue;
      reportViolation(
        `Flex app ${app.name} gets its package only as blob ${blobs.map((b) => b.name).join(", ")} in its deployment container ${containerName}; nothing publishes it (one deploy), so the functions may never appear. ` +
          `Fix: publish the package with one deploy from a resource that depends on the app.`,
        app.urn,
      );
    }
  },
};
