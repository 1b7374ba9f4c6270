/**
 * The components Pulumi's component analyzer can describe today (plain-data args, `index` tokens).
 * The rest (WorkspaceEvents, EmailAlerts, DriftRetrainTrigger, ModelDeployer, MlEventWorkflows) join
 * as their args become plain data; see README "Use from Python, Go, .NET or YAML".
 */
export { EventHubStream } from "../lib/streaming/eventHubStream";
export { WorkspaceEvents } from "../lib/workspace/workspaceEvents";
export { EmailAlerts } from "../lib/notifications/emailAlerts";
export { DriftRetrainTrigger } from "../lib/retraining/driftRetrainTrigger";
export { ModelDeployer } from "../lib/deployment/modelDeployer";
export { MlEventWorkflows } from "../lib/composite/mlEventWorkflows";
