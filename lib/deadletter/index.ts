export * from "./records";
export * from "./storage";
export * from "./destinations";
export * from "./redeliver";
export * from "./explain";
export { deadletterCommand, loadDeadLetters, CONNECTION_STRING_ENV, CONFIRM_ABOVE, DeadletterIo } from "./command";
export * from "./hosts";
export * from "./terminal";
