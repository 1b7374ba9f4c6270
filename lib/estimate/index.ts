export * from "./estimate";
export * from "./format";
export * from "./prices";
export * from "./rates";
export * from "./usage";
