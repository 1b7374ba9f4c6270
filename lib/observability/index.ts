export * from "./builders";
export * from "./observability";
