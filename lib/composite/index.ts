export * from "./mlEventWorkflows";
