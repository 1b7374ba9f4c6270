/**
 * A Logic App delivery whose workflow is replaced between two `pulumi up` runs (config `workflowName`):
 * the subscription must follow the new workflow's callback URL in the same `up`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as logic from "@pulumi/azure-native/logic";
import { LogicAppDestination } from "../../../../lib/destinations";
import { SAMPLE_WORKSPACE_ID } from "../../../../lib/events";
import { WorkspaceEvents } from "../../../../lib/workspace";

const workflowName = new pulumi.Config().require("workflowName");
const workflow = new logic.Workflow("alerts", {
  resourceGroupName: "rg-ml-platform",
  workflowName,
  location: "westeurope",
  definition: { $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json", contentVersion: "1.0.0.0", triggers: {}, actions: {} },
});
const events = new WorkspaceEvents("rot", { workspaceId: SAMPLE_WORKSPACE_ID, resourceGroupName: "rg-ml-platform", location: "westeurope" });
events.subscribe("to-logic", { destination: new LogicAppDestination({ resourceGroupName: "rg-ml-platform", workflowName: workflow.name, workflow }) });
