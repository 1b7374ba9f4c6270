/** Email alerts: the workflow definition builder (pure), template compiler and the EmailAlerts component. */
export * from "./templates";
export * from "./definition";
export * from "./emailAlerts";
export * from "./quota";
export * from "./acsDomain";
