/** Logic Apps workflow definition language evaluator and a side-effect-free workflow simulator. */
export * from "./expression";
export * from "./evaluate";
export * from "./validate";
export * from "./workflow";
export { formatTimestamp, parseTimestamp, Timestamp } from "./datetime";
export { isKnownFunction, looseEquals, simulatedFunctionNames } from "./functions";
export * from "./pipeline";
