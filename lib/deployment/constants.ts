/**
 * Names shared by the Function's code and the component that deploys it. Kept apart from both so
 * the handler bundle does not pull in Pulumi and the component does not pull in the Azure SDKs.
 */

/** Name of the queue-triggered function that deploys models (given to `app.storageQueue`; the code deployment waits until it is indexed). */
export const DEPLOYER_FUNCTION_NAME = "deployOnModelRegistered";

/** App settings the handler reads. */
export const DEPLOYER_SETTINGS = {
  /** ARM id of the workspace whose ModelRegistered events are trusted. */
  workspaceId: "AML_WORKSPACE_ID",
  /** Azure region of the workspace, where endpoints and deployments are created. */
  workspaceLocation: "AML_WORKSPACE_LOCATION",
  /** The deployment rules as a JSON array. */
  rules: "DEPLOY_RULES",
  /** Client id of a user-assigned identity to use instead of the system-assigned one. */
  clientId: "AZURE_CLIENT_ID",
} as const;


/** The storage queue Event Grid delivers ModelRegistered events to (the function works off the delivery path). */
export const DEPLOYER_QUEUE_NAME = "model-registered";

/** Where the Functions host moves a message after `maxDequeueCount` failed attempts (`<queue>-poison`); kept for inspection. */
export const DEPLOYER_POISON_QUEUE_NAME = `${DEPLOYER_QUEUE_NAME}-poison`;

/** Attempts per queued event before it goes to the poison queue (host.json `extensions.queues.maxDequeueCount`). */
export const DEPLOYER_MAX_DEQUEUE_COUNT = 10;

/** The container of the deployer's storage account holding one lease blob per endpoint (cross-instance exclusion). */
export const DEPLOYER_LEASE_CONTAINER = "deployer-leases";
