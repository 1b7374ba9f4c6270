export * from "./types";
export * from "./validate";
export * from "./lock";
export * from "./diagnostics";
export * from "./diagnosticSinks";
export * from "./roleAssignments";
export * from "./identities";
export * from "./apply";
