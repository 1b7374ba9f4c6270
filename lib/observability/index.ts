export * from "./builders";
export * from "./observability";
export * from "./sinkChecks";
