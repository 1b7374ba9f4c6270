export * from "./types";
export * from "./webhook";
export * from "./azureFunction";
export * from "./eventHub";
export * from "./serviceBus";
export * from "./storageQueue";
export * from "./logicApp";
export { checkArmId, IdentityDestination, IdentityTarget } from "./identityDelivery";
