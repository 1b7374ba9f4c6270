export * from "./workspaceEvents";
export * from "./validate";
export { releaseWorkspaceClaims } from "./registry";
export * from "./argKeys";
export * from "./eventSource";
export * from "./subscriptionSpec";
