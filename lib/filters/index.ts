export * from "./types";
export * from "./builders";
