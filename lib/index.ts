/**
 * aml-event-workflows: Pulumi components that wire Azure Machine Learning workspace events to the
 * work that should follow them. This file only re-exports.
 */
export * from "./arm";
export * from "./events";
export * from "./filters";
export * from "./rbac";
export * from "./destinations";
export * from "./workspace";
export * from "./streaming";
export * from "./simulate";
export * from "./workflows";
export * from "./notifications";
export * from "./monitoring";
export * from "./retraining";
export * from "./deployment";
export * from "./composite";
export * from "./observability";
export * from "./interfaces";
