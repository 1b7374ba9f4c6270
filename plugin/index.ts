/**
 * The components of the `aml-events` package for Python, Go, .NET and YAML (`pulumi package add <this folder>`),
 * described by Pulumi's component analyzer from their args interfaces (plain data) and doc comments;
 * see docs/installation-configuration.md. `ModelMonitor` is the plain-data twin of TypeScript's (./modelMonitor.ts).
 */
export { EventHubStream } from "../lib/streaming/eventHubStream";
export { WorkspaceEvents } from "../lib/workspace/workspaceEvents";
export { EmailAlerts } from "../lib/notifications/emailAlerts";
export { DriftRetrainTrigger } from "../lib/retraining/driftRetrainTrigger";
export { ModelDeployer } from "../lib/deployment/modelDeployer";
export { MlEventWorkflows } from "../lib/composite/mlEventWorkflows";
export { Observability } from "../lib/observability/observability";
export { ModelMonitor } from "./modelMonitor";
