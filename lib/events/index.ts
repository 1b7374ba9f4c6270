export * from "./types";
export * from "./subjects";
export * from "./parse";
export * from "./samples";
export * from "./catalog";
