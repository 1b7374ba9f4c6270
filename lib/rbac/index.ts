export * from "./guid";
export * from "./roles";
export * from "./assignment";
export * from "./armScope";
export * from "./builtInRoles";
export * from "./privilege";
export * from "./customRoles";
