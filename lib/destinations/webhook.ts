import * as pulumi from "@pulumi/pulumi";
import { webhookHostProblem } from "./webhookHost";
import { DestinationBinding, EventDestination } from "./types";

/** Batching options shared by push destinations (webhooks, functions). */
export interface BatchingArgs {
  /** Events per delivery batch, 1–5000. @default 1 */
  readonly maxEventsPerBatch?: number;
  /** Preferred batch size in kilobytes, 1–1024. @default 64 */
  readonly preferredBatchSizeInKilobytes?: number;
}

/** Arguments of {@link WebhookDestination}. */
export interface WebhookDestinationArgs extends BatchingArgs {
  /** The HTTPS endpoint. It must answer Event Grid's validation handshake. Wrapped as a secret. */
  readonly endpointUrl: pulumi.Input<string>;
  /** Entra tenant id when the endpoint is protected with Entra ID. @default - none */
  readonly azureActiveDirectoryTenantId?: pulumi.Input<string>;
  /** Entra application id or URI when the endpoint is protected with Entra ID. @default - none */
  readonly azureActiveDirectoryApplicationIdOrUri?: pulumi.Input<string>;
  /** Label for plans and maps. @default - the URL's host */
  readonly description?: string;
}

/** Validates batching options; shared by webhook and function destinations. */
export function validateBatching(args: BatchingArgs): string[] {
  const problems: string[] = [];
  const n = args.maxEventsPerBatch;
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 5000)) {
    problems.push(`maxEventsPerBatch ${n} is out of range; Event Grid accepts an integer from 1 to 5000.`);
  }
  const kb = args.preferredBatchSizeInKilobytes;
  if (kb !== undefined && !(Number.isInteger(kb) && kb >= 1 && kb <= 1024)) {
    problems.push(`preferredBatchSizeInKilobytes ${kb} is out of range; Event Grid accepts an integer from 1 to 1024.`);
  }
  return problems;
}

/** The batching block fields that were set, in a fixed order. */
export function batchingBlock(args: BatchingArgs): BatchingArgs {
  return {
    ...(args.maxEventsPerBatch === undefined ? {} : { maxEventsPerBatch: args.maxEventsPerBatch }),
    ...(args.preferredBatchSizeInKilobytes === undefined ? {} : { preferredBatchSizeInKilobytes: args.preferredBatchSizeInKilobytes }),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Delivers to an HTTPS webhook. Plain http is refused (Event Grid requires HTTPS). The URL may carry
 * a key in its query string, so it is wrapped as a secret; Event Grid never returns the query string
 * when the subscription is read back, so the URL is excluded from diffs.
 */
export class WebhookDestination implements EventDestination {
  readonly kind = "WebHook";
  readonly description: string;

  constructor(private readonly args: WebhookDestinationArgs) {
    this.description = args.description ?? (typeof args.endpointUrl === "string" ? `webhook ${hostOf(args.endpointUrl)}` : "webhook");
  }

  validate(): string[] {
    const problems = validateBatching(this.args);
    const url = this.args.endpointUrl;
    if (typeof url === "string") {
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        problems.push(`endpointUrl ${JSON.stringify(url)} is not a URL; pass an absolute https:// URL.`);
      }
      const hostProblem = parsed ? webhookHostProblem(url) : undefined;
      if (hostProblem !== undefined) {
        problems.push(`endpointUrl host ${hostProblem}; webhooks must name their endpoint by DNS name (IP literals, loopback, link-local and private addresses are refused) — use the handler's https:// host name.`);
      }
      if (parsed && parsed.protocol !== "https:") {
        problems.push(`endpointUrl ${JSON.stringify(url)} uses ${parsed.protocol.replace(":", "")}; Event Grid delivers only to https:// endpoints — serve the webhook over TLS.`);
      }
    }
    return problems;
  }

  bind(): DestinationBinding {
    return {
      destination: {
        endpointType: "WebHook",
        endpointUrl: pulumi.secret(this.args.endpointUrl),
        ...batchingBlock(this.args),
        ...(this.args.azureActiveDirectoryTenantId === undefined ? {} : { azureActiveDirectoryTenantId: this.args.azureActiveDirectoryTenantId }),
        ...(this.args.azureActiveDirectoryApplicationIdOrUri === undefined
          ? {}
          : { azureActiveDirectoryApplicationIdOrUri: this.args.azureActiveDirectoryApplicationIdOrUri }),
      },
      dependsOn: [],
      ignoreChanges: ["destination.endpointUrl"],
    };
  }
}
