export * from "./types";
export * from "./builders";
export * from "./normalize";
export * from "./subject-formats";
export * from "./analyze";
export * from "./evaluate";
export * from "./route";
export * from "./semantics";
