/** Typed Logic Apps workflow definitions and pure builders for Event Grid–triggered workflows. */
export * from "./types";
export * from "./builders";
export * from "./limits";
export * from "./responseBound";
