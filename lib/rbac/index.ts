export * from "./guid";
export * from "./roles";
export * from "./assignment";
