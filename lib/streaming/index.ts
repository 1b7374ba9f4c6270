export * from "./eventHubStream";
export * from "./streamFilter";
