/** Drift-triggered retraining: DatasetDriftDetected → Logic App → Data Factory pipeline run. */
export * from "./adf";
export * from "./types";
export * from "./validate";
export * from "./definition";
export * from "./preview";
export * from "./driftRetrainTrigger";
