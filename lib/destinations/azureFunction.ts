import * as pulumi from "@pulumi/pulumi";
import { checkArmId } from "./identityDelivery";
import { DestinationBinding, EventDestination } from "./types";
import { BatchingArgs, batchingBlock, validateBatching } from "./webhook";

/** Arguments of {@link AzureFunctionDestination}. */
export interface AzureFunctionDestinationArgs extends BatchingArgs {
  /** ARM id of the Function App (`…/Microsoft.Web/sites/{app}`). */
  readonly functionAppId: pulumi.Input<string>;
  /** The Event Grid-triggered function's name (for the Node v4 model, the name given to `app.eventGrid`). */
  readonly functionName: string;
  /** Resources that deploy the function's code: the subscription waits for them. @default [] */
  readonly deployedBy?: readonly pulumi.Resource[];
}

/**
 * Delivers to an Event Grid-triggered Azure Function (`AzureFunction` endpoint, validated by the
 * platform). The subscription waits for the code deployment: creating it before the function is
 * indexed fails with "Destination endpoint not found".
 */
export class AzureFunctionDestination implements EventDestination {
  readonly kind = "AzureFunction";
  readonly description: string;

  constructor(private readonly args: AzureFunctionDestinationArgs) {
    this.description = `Azure Function ${args.functionName}`;
  }

  validate(): string[] {
    const problems = [
      ...validateBatching(this.args),
      ...checkArmId("functionAppId", this.args.functionAppId, /\/providers\/Microsoft\.Web\/sites\/[^/]+$/i, "/subscriptions/…/providers/Microsoft.Web/sites/{app}"),
    ];
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,127}$/.test(this.args.functionName)) {
      problems.push(`functionName ${JSON.stringify(this.args.functionName)} is not a valid function name; use letters, digits, '-' or '_', starting with a letter.`);
    }
    return problems;
  }

  bind(): DestinationBinding {
    return {
      destination: {
        endpointType: "AzureFunction",
        resourceId: pulumi.interpolate`${this.args.functionAppId}/functions/${this.args.functionName}`,
        ...batchingBlock(this.args),
      },
      dependsOn: [...(this.args.deployedBy ?? [])],
    };
  }
}
