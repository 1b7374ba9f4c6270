/**
 * Drift-triggered retraining: DatasetDriftDetected (legacy v1) or a model monitoring (v2) breach → Logic App → Data Factory
 * pipeline run. The monitor itself and the breach tag, filter and fields are the monitoring capability (../monitoring).
 */
export * from "./adf";
export * from "./driftFields";
export * from "./types";
export * from "./validate";
export * from "./definition";
export * from "./preview";
export * from "./driftRetrainTrigger";
export { DEFAULT_BREACH_PIPELINE_NAME, DEFAULT_ML_LINKED_SERVICE_NAME, DEFAULT_RETRAIN_PIPELINE_NAME, driftRetrainDefinitionFor, driftRetrainFilter, legacyDriftWarning } from "./triggerBuilders";
export * from "./breachDefinition";
export * from "./runHistory";
export * from "./retrainedModel";
export * from "./batchPipeline";
export * from "./batchPreview";
