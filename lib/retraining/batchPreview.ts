/** The exact batch endpoint invocation the v2 pipeline makes for given parameters (for the offline plan and tests). */
import { adfWebRequest } from "../simulate/pipeline";
import { BATCH_ACTIVITIES, batchRetrainPipelineActivities, BatchRetrainOptions } from "./batchPipeline";

/** The HTTP request of the pipeline's invoke step. */
export interface BatchInvocationPreview {
  /** Always `POST`. */
  readonly method: string;
  /** The endpoint's scoring URI. */
  readonly url: string;
  /** Request headers (`Content-Type`, and `azureml-model-deployment` when a deployment is named). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent (JSON text). */
  readonly body: string;
  /** The body parsed: `{properties: {InputData: {<input>: {JobInputType: "Literal", Value}}, properties?: {experimentName}}}`. */
  readonly json: unknown;
  /** `{type: "MSI", resource: "https://ml.azure.com"}` (the factory's system identity and the token audience), or `{type: "UserAssignedManagedIdentity", resource, credential}` (the factory credential naming a user-assigned identity). */
  readonly authentication: { readonly type: string; readonly resource?: string; readonly credential?: string };
}

/**
 * Evaluates the built invoke activity with `pipelineParameters` (the `createRun` body) through the
 * same ADF evaluator the simulator uses, so the preview is what the pipeline sends. Throws when a
 * parameter the inputs read is missing.
 */
export function previewBatchInvocation(options: Pick<BatchRetrainOptions, "endpoint" | "inputs" | "credentialName">, pipelineParameters: Readonly<Record<string, unknown>>): BatchInvocationPreview {
  const missing = [...new Set(Object.values(options.inputs))].filter((p) => !Object.prototype.hasOwnProperty.call(pipelineParameters, p));
  if (missing.length > 0) {
    throw new Error(`previewBatchInvocation: pipeline parameter(s) ${missing.map((m) => JSON.stringify(m)).join(", ")} have no value; pass every parameter the job inputs read.`);
  }
  // The invocation does not depend on the workspace id (only the status poll does).
  const invoke = batchRetrainPipelineActivities({ ...options, workspaceId: "" }).activities.find((a) => a.name === BATCH_ACTIVITIES.invoke) as unknown as Record<string, unknown>;
  const request = adfWebRequest(invoke, { parameters: pipelineParameters });
  const body = request.body ?? "";
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body,
    json: JSON.parse(body) as unknown,
    authentication: request.authentication ?? { type: "None" },
  };
}
