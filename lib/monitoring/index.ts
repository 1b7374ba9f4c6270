/**
 * Model monitoring (v2): the `ModelMonitor` component (an Azure ML monitor schedule) with its types,
 * builders and validation, and the breach it reports — the run tag, the Event Grid filter that finds
 * it and the event fields a breach hands on. Retraining on a breach is ../retraining.
 */
export * from "./monitorTypes";
export * from "./monitorDefinition";
export * from "./monitorValidate";
export * from "./modelMonitor";
export * from "./breachTag";
export * from "./breachFilter";
export * from "./breachFields";
