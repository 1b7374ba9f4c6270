/**
 * Model deployment: the pure decision and ARM request builders, the shared names, and the
 * ModelDeployer component. The Function's own code (`./handler`) is bundled separately and is not
 * re-exported, so requiring the library never loads the Azure SDKs.
 */
export * from "./decision";
export * from "./arm";
export * from "./constants";
export * from "./modelDeployer";
export * from "./codePublish";
export * from "./publish";
