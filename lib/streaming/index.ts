export * from "./eventHubStream";
