/** Drift-triggered retraining: DatasetDriftDetected (legacy v1) or a model monitoring (v2) breach → Logic App → Data Factory pipeline run. */
export * from "./adf";
export * from "./types";
export * from "./validate";
export * from "./definition";
export * from "./preview";
export * from "./driftRetrainTrigger";
export * from "./breachTag";
export * from "./breachFilter";
export * from "./monitorTypes";
export * from "./monitorDefinition";
export * from "./monitorValidate";
export * from "./modelMonitor";
