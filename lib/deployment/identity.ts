/**
 * Which identity ModelDeployer's Function App acts as, and the settings that make every caller in the app
 * use it (pure). With `managedIdentities.userAssignedResourceIds`, the app acts as the FIRST user-assigned
 * identity for everything it does, because every caller below can name a user-assigned identity:
 *
 * - [host-storage] The Functions host and the queue trigger (`connection: "AzureWebJobsStorage"`, so the
 *   same settings) connect by identity with `AzureWebJobsStorage__accountName`; the common properties of an
 *   identity-based connection pick a user-assigned identity: `<prefix>__credential` = `managedidentity` and
 *   `<prefix>__clientId` = its client id ("If not specified, the system-assigned identity is used"). Learn,
 *   Azure Functions developer guide, "Connecting to host storage with an identity" and "Common properties
 *   for identity-based connections":
 *   https://learn.microsoft.com/azure/azure-functions/functions-reference#common-properties-for-identity-based-connections
 * - [deployment-storage] Flex Consumption's deployment container: `functionAppConfig.deployment.storage
 *   .authentication` = `{ type: "UserAssignedIdentity", userAssignedIdentityResourceId }` (REST
 *   Microsoft.Web `FunctionsDeploymentStorage.authentication`, as generated into azure-native 3.x
 *   `web.FunctionsDeploymentStorageAuthenticationArgs`; `AuthenticationType` is `SystemAssignedIdentity`,
 *   `UserAssignedIdentity` or `StorageAccountConnectionString`).
 * - [insights] Entra ID-authenticated telemetry: `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` is
 *   `Authorization=AAD` for the system identity and `Authorization=AAD;ClientId=<client id>` for a
 *   user-assigned one, applied to the host and the language agents (Learn, "App settings reference for
 *   Azure Functions", APPLICATIONINSIGHTS_AUTHENTICATION_STRING:
 *   https://learn.microsoft.com/azure/azure-functions/functions-app-settings#applicationinsights_authentication_string).
 * - [sdk] The handler's Azure SDK clients (Azure ML, the lease blobs, the poison queue) share one
 *   `ManagedIdentityCredential`, built with `{ clientId }` from `AZURE_CLIENT_ID` (handler/runtime.ts,
 *   `deployerCredential`); without a client id it asks for the system-assigned identity.
 *
 * Nothing in the deployer needs the system identity, so with user-assigned ids it is off unless
 * `managedIdentities.systemAssigned` is true (then attached, unused by the component).
 */
import * as pulumi from "@pulumi/pulumi";
import { DEPLOYER_SETTINGS } from "./constants";

/** One app setting. */
export interface AppSetting {
  readonly name: string;
  readonly value: pulumi.Input<string>;
}

/** The identity the app acts as, with the client id a user-assigned one is named by. */
export type DeployerIdentity = { readonly kind: "SystemAssigned" } | { readonly kind: "UserAssigned"; readonly resourceId: string; readonly clientId: pulumi.Input<string> };

/**
 * The app settings that connect the host storage and Application Insights by identity, and name the
 * identity for the handler's SDK clients, in a fixed order. For the system identity they are exactly the
 * settings earlier versions wrote (no diff on upgrade).
 */
export function identityAppSettings(identity: DeployerIdentity, accountName: pulumi.Input<string>, insightsConnectionString: pulumi.Input<string>): AppSetting[] {
  const storage: AppSetting = { name: "AzureWebJobsStorage__accountName", value: accountName };
  const insights: AppSetting = { name: "APPLICATIONINSIGHTS_CONNECTION_STRING", value: insightsConnectionString };
  const authentication = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
  switch (identity.kind) {
    case "SystemAssigned":
      return [storage, insights, { name: authentication, value: "Authorization=AAD" }];
    case "UserAssigned":
      return [
        storage,
        { name: "AzureWebJobsStorage__credential", value: "managedidentity" },
        { name: "AzureWebJobsStorage__clientId", value: identity.clientId },
        insights,
        { name: authentication, value: pulumi.interpolate`Authorization=AAD;ClientId=${identity.clientId}` },
        { name: DEPLOYER_SETTINGS.clientId, value: identity.clientId },
      ];
    default: {
      const never: never = identity;
      throw new Error(`unknown identity ${JSON.stringify(never)}`);
    }
  }
}

/** `functionAppConfig.deployment.storage.authentication` for the identity [deployment-storage]. */
export function deploymentStorageAuthentication(identity: DeployerIdentity): { type: "SystemAssignedIdentity" } | { type: "UserAssignedIdentity"; userAssignedIdentityResourceId: string } {
  return identity.kind === "SystemAssigned" ? { type: "SystemAssignedIdentity" } : { type: "UserAssignedIdentity", userAssignedIdentityResourceId: identity.resourceId };
}
