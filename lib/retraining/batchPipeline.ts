/**
 * Pure builder of the v2 retraining pipeline: a Data Factory Web activity invokes an Azure Machine
 * Learning batch endpoint (a pipeline component deployment) with the factory's managed identity, then
 * an Until loop polls the job it created and an IfCondition fails the Data Factory run when the job
 * did not complete (ended Failed/Canceled, timed out, or could not be polled). No resources are created here.
 *
 * Sources (Microsoft Learn, checked 2026-12):
 * - "Run batch endpoints from Azure Data Factory" (learn.microsoft.com/azure/machine-learning/how-to-use-batch-azure-data-factory):
 *   Data Factory's Azure ML activity works with v1 assets only; the v2 route is a Web activity with the
 *   factory's managed identity that POSTs to the endpoint's scoring URI
 *   `https://<endpoint_name>.<region>.inference.ml.azure.com/jobs`, then a loop (Web "Check status" +
 *   Wait, default 120 s) until the job is Completed or Failed.
 * - "Create jobs and input data for batch endpoints" (…/how-to-access-data-batch-endpoints-jobs, REST tab):
 *   body `{properties: {InputData: {<name>: {JobInputType: "Literal", Value: …}}}}` for literal inputs
 *   (pipeline component deployments only); `properties.properties.experimentName` names the experiment;
 *   the header `azureml-model-deployment: <deployment>` selects a non-default deployment; the token is
 *   requested for the resource `https://ml.azure.com`.
 * - Azure/azureml-examples `cli/batch-score-rest.sh` (the source of the docs' REST snippets): the invoke
 *   answers the job resource; its `id` ends with the job name (the job's name in the workspace).
 * - The job's status is read through the documented Azure Resource Manager API "Jobs - Get"
 *   (`GET https://management.azure.com/{workspace id}/jobs/{id}?api-version=…`, Azure REST API specs,
 *   specification/machinelearningservices, and its generated SDK client `@azure/arm-machinelearning`
 *   `jobs.get`), with the factory's managed identity and an ARM token; the answer's `properties.status`
 *   is the job's status. (Polling `<scoring URI>/<job name>` appears only in a 2021 sample and is not a
 *   documented operation.) It needs `Microsoft.MachineLearningServices/workspaces/jobs/read`.
 *   That it returns the invoke's job by that name is shown, not stated: Azure/azureml-examples' batch
 *   scripts (`cli/endpoints/batch/deploy-models/imagenet-classifier/deploy-and-run.sh`) read the invoke's
 *   `name` and poll `az ml job show -n <name> --query status`, which is azure-ai-ml's `JobOperations._get_job`
 *   calling "Jobs - Get" with `id=name` (Azure/azure-sdk-for-python, sdk/ml/azure-ai-ml/azure/ai/ml/operations/
 *   _job_operations.py). No Microsoft page says it in prose (docs/model-monitoring.md).
 * - `@azure/arm-machinelearning` KnownJobStatus: terminal values Completed, Failed, Canceled (others:
 *   NotStarted, Starting, Provisioning, Preparing, Queued, Running, Finalizing, CancelRequested,
 *   NotResponding, Paused, Unknown).
 * - "Web activity in Azure Data Factory" (…/data-factory/control-flow-web-activity): `authentication
 *   {type: "MSI", resource}`; `turnOffAsync` stops the activity from following a 202's Location header.
 *   The same page lists "User-assigned Managed Identity" among the supported authentication types; the
 *   REST spec's `WebActivityAuthentication` (azure-native 3.28 `datafactory.WebActivityAuthenticationArgs`)
 *   carries it as `credential`, "the credential reference containing authentication information": a
 *   `Microsoft.DataFactory/factories/credentials` of type `ManagedIdentity` naming the identity
 *   ("Managed identity for Azure Data Factory", user-assigned section: "you must first create
 *   credentials … for the UAMI"). The `type` string is free-form in the spec; `UserAssignedManagedIdentity`
 *   is the spelling Data Factory's authentication enums use (azure-native `datafactory.AzureSqlDWAuthenticationType`,
 *   `HDInsightClusterAuthenticationType`, …). No Microsoft page shows a Web activity's JSON for this
 *   case, so that spelling is not verified against a live factory (docs/avm-interfaces.md).
 */
import type * as inputs from "@pulumi/azure-native/types/input";
import { deterministicGuid } from "../rbac/guid";
import { ActivityDependency, pipelineParameterExpression } from "./adf";

/**
 * The GUID of the custom batch-endpoint invoker role for a workspace: deterministic, so one definition
 * per workspace, and so the policy pack recognises the role on that workspace.
 */
export function batchInvokerRoleGuid(workspaceId: string): string {
  return deterministicGuid("aml-events-batch-endpoint-invoker", workspaceId.replace(/\/+$/, "").toLowerCase());
}

/** The token audience (resource) for batch endpoint invocation: `https://ml.azure.com`. */
export const BATCH_ENDPOINT_AUDIENCE = "https://ml.azure.com";
/** Token audience of the status poll: Azure Resource Manager. */
export const ARM_JOB_AUDIENCE = "https://management.azure.com/";
/** api-version of "Jobs - Get" (a stable Microsoft.MachineLearningServices version, as lib/deployment uses). */
export const AML_JOBS_API_VERSION = "2022-10-01";

/** The ADF expression (with `@`) of the ARM "Jobs - Get" URL of the job named by the pipeline variable. */
export function batchJobStatusUrlExpr(workspaceId: string, jobNameVariable: string): string {
  const base = `https://management.azure.com${workspaceId.replace(/\/+$/, "")}/jobs/`;
  return `@concat('${base.replace(/'/g, "''")}', uriComponent(variables('${jobNameVariable}')), '?api-version=${AML_JOBS_API_VERSION}')`;
}

/** The Web activities' `authentication.type` for a user-assigned identity (see the file's sources). */
export const USER_ASSIGNED_WEB_AUTH = "UserAssignedManagedIdentity";

/**
 * A Web activity's `authentication` for a token of `resource` (pure): the factory's system-assigned
 * identity (`MSI`), or the user-assigned identity of the factory credential `credentialName`.
 */
export function webActivityAuthentication(resource: string, credentialName: string | undefined): inputs.datafactory.WebActivityAuthenticationArgs {
  if (credentialName === undefined) return { type: "MSI", resource };
  return { type: USER_ASSIGNED_WEB_AUTH, resource, credential: { referenceName: credentialName, type: "CredentialReference" } };
}

/** The header that routes an invocation to a named (non-default) deployment. */
export const BATCH_DEPLOYMENT_HEADER = "azureml-model-deployment";
/** Job statuses after which a job never changes again. */
export const BATCH_JOB_TERMINAL_STATUSES = ["Completed", "Failed", "Canceled"] as const;
/** Microsoft's template polls every 120 seconds. */
export const DEFAULT_BATCH_POLL_SECONDS = 120;
/** How long the pipeline waits for the job by default: 24 hours. */
export const DEFAULT_BATCH_TIMEOUT_MINUTES = 24 * 60;
/** The longest wait allowed: 7 days, Data Factory's default activity timeout ("PipelineActivityPolicy.Timeout", Azure SDK for .NET reference on Microsoft Learn). */
export const MAX_BATCH_TIMEOUT_MINUTES = 7 * 24 * 60;
/** Default retries of the poll when it fails (429, 5xx, network). */
export const DEFAULT_BATCH_POLL_RETRY = 3;
/** Default seconds between poll retries. */
export const DEFAULT_BATCH_POLL_RETRY_SECONDS = 30;

/**
 * The actions Microsoft lists for a custom role that may invoke batch endpoints ("Authorization on
 * batch endpoints", section "Configure RBAC for Batch Endpoints invoke"). Narrower than AzureML Data
 * Scientist, which also deletes and writes most workspace assets.
 */
export const BATCH_ENDPOINT_INVOKER_ACTIONS: readonly string[] = [
  "workspaces/read",
  "workspaces/data/versions/write",
  "workspaces/datasets/registered/read",
  "workspaces/datasets/registered/write",
  "workspaces/datasets/unregistered/read",
  "workspaces/datasets/unregistered/write",
  "workspaces/datastores/read",
  "workspaces/datastores/write",
  "workspaces/datastores/listsecrets/action",
  "workspaces/listStorageAccountKeys/action",
  "workspaces/batchEndpoints/read",
  "workspaces/batchEndpoints/write",
  "workspaces/batchEndpoints/deployments/read",
  "workspaces/batchEndpoints/deployments/write",
  "workspaces/batchEndpoints/deployments/jobs/write",
  "workspaces/batchEndpoints/jobs/write",
  "workspaces/computes/read",
  "workspaces/computes/listKeys/action",
  "workspaces/metadata/secrets/read",
  "workspaces/metadata/snapshots/read",
  "workspaces/metadata/artifacts/read",
  "workspaces/metadata/artifacts/write",
  "workspaces/experiments/read",
  "workspaces/experiments/runs/submit/action",
  "workspaces/experiments/runs/read",
  "workspaces/experiments/runs/write",
  "workspaces/metrics/resource/write",
  "workspaces/modules/read",
  "workspaces/models/read",
  "workspaces/endpoints/pipelines/read",
  "workspaces/endpoints/pipelines/write",
  "workspaces/environments/read",
  "workspaces/environments/write",
  "workspaces/environments/build/action",
  "workspaces/environments/readSecrets/action",
].map((a) => `Microsoft.MachineLearningServices/${a}`);

/** Activity and variable names of the built pipeline. */
export const BATCH_ACTIVITIES = {
  invoke: "InvokeBatchEndpoint",
  setJobName: "SetBatchJobName",
  until: "WaitForBatchJob",
  wait: "WaitBeforePoll",
  poll: "PollBatchJob",
  setStatus: "SetBatchJobStatus",
  check: "CheckBatchJobOutcome",
  fail: "FailOnBatchJobOutcome",
} as const;
/** Pipeline variables the activities use. */
export const BATCH_VARIABLES = { jobName: "batchJobName", jobStatus: "batchJobStatus" } as const;

/** Which batch endpoint to invoke: its scoring URI, or its name and region. */
export interface BatchEndpointTarget {
  /** The endpoint's scoring URI, `https://<endpoint>.<region>.inference.ml.azure.com/jobs` (studio: endpoint details). @default - built from endpointName and region */
  readonly invocationUrl?: string;
  /** The endpoint's name (with `region`, instead of `invocationUrl`). @default - none */
  readonly endpointName?: string;
  /** The endpoint's Azure region, e.g. `westeurope` (with `endpointName`). @default - none */
  readonly region?: string;
  /** A deployment other than the endpoint's default, sent as the `azureml-model-deployment` header. @default - the endpoint's default deployment */
  readonly deploymentName?: string;
  /** Experiment the job is filed under (`properties.properties.experimentName`). @default - the service's choice */
  readonly experimentName?: string;
}

/** Options of `batchRetrainPipelineActivities`. */
export interface BatchRetrainOptions {
  /** The batch endpoint. */
  readonly endpoint: BatchEndpointTarget;
  /** ARM id of the endpoint's workspace: the job's status is read from its "Jobs - Get" API. */
  readonly workspaceId: string;
  /** Job literal input name → Data Factory pipeline parameter whose value it receives. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Seconds between status polls. @default 120 */
  readonly pollIntervalSeconds?: number;
  /** Minutes to wait for the job before failing the run. @default 1440 */
  readonly timeoutMinutes?: number;
  /** Retries of a failed poll (429, 5xx, network). @default 3 */
  readonly pollRetry?: number;
  /** Seconds between poll retries. @default 30 */
  readonly pollRetryIntervalSeconds?: number;
  /** Activities the invocation runs after (each must succeed), e.g. a Copy step. @default [] */
  readonly dependsOn?: readonly string[];
  /** The factory credential (a user-assigned identity) both Web activities authenticate with. @default - the factory's system-assigned identity (`MSI`) */
  readonly credentialName?: string;
}

/** The invocation URL of an endpoint: given, or `https://{endpoint}.{region}.inference.ml.azure.com/jobs`. */
export function batchInvocationUrl(target: BatchEndpointTarget): string {
  if (target.invocationUrl !== undefined) return target.invocationUrl.replace(/\/+$/, "");
  return `https://${(target.endpointName ?? "").toLowerCase()}.${(target.region ?? "").toLowerCase()}.inference.ml.azure.com/jobs`;
}

type WebActivity = inputs.datafactory.WebActivityArgs;
type SetVariableActivity = inputs.datafactory.SetVariableActivityArgs;
type WaitActivity = inputs.datafactory.WaitActivityArgs;
type UntilActivity = inputs.datafactory.UntilActivityArgs;
type IfConditionActivity = inputs.datafactory.IfConditionActivityArgs;
type FailActivity = inputs.datafactory.FailActivityArgs;
/** One activity of the v2 pipeline, in azure-native's input shape. */
export type BatchPipelineActivity = WebActivity | SetVariableActivity | WaitActivity | UntilActivity | IfConditionActivity | FailActivity;
/** An ADF expression object (`{value, type: "Expression"}`), the form Data Factory stores dynamic content in. */
export interface AdfExpression {
  /** The expression text. */
  readonly value: string;
  /** Always `Expression`. */
  readonly type: "Expression";
}

const expr = (value: string): AdfExpression => ({ value, type: "Expression" });
const after = (...names: string[]): ActivityDependency[] => names.map((activity) => ({ activity, dependencyConditions: ["Succeeded"] }));

/** JSON's short escapes (RFC 8259 §7); every other control character is written `\u00XX`. */
const JSON_SHORT_ESCAPES: Readonly<Record<string, string>> = { "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * The (from, to) replacements that make any text one JSON string body: backslash first (so later
 * escapes are not doubled), then the quote, then EVERY control character U+0000–U+001F (RFC 8259 §7:
 * "All Unicode characters may be placed within the quotation marks, except for the characters that
 * MUST be escaped: quotation mark, reverse solidus, and the control characters (U+0000 through U+001F)").
 */
export const JSON_STRING_ESCAPES: readonly (readonly [string, string])[] = [
  ["\\", "\\\\"],
  ['"', '\\"'],
  ...Array.from({ length: 0x20 }, (_, c): [string, string] => {
    const ch = String.fromCharCode(c);
    return [ch, JSON_SHORT_ESCAPES[ch] ?? `\\u${c.toString(16).padStart(4, "0")}`];
  }),
];

/**
 * An ADF expression yielding the parameter's text escaped for a JSON string (see
 * {@link JSON_STRING_ESCAPES}), so any value lands in the body as one JSON string. ADF string literals
 * take `\` as is and double `'`; the control-character literals are those characters themselves.
 * `replace` takes three arguments (ADF expression function reference).
 */
export function jsonEscapedParameter(param: string): string {
  const p = pipelineParameterExpression(param).slice(1);
  return JSON_STRING_ESCAPES.reduce((inner, [from, to]) => `replace(${inner}, '${from}', '${to}')`, `string(${p})`);
}

/** The invocation body as an ADF interpolated string: one `Literal` input per entry, plus the experiment name. */
export function batchInvocationBody(options: Pick<BatchRetrainOptions, "inputs" | "endpoint">): string {
  const inputsJson = Object.entries(options.inputs)
    .map(([name, param]) => `${JSON.stringify(name)}:{"JobInputType":"Literal","Value":"@{${jsonEscapedParameter(param)}}"}`)
    .join(",");
  const experiment = options.endpoint.experimentName;
  const props = experiment !== undefined ? `,"properties":{"experimentName":${JSON.stringify(experiment)}}` : "";
  return `{"properties":{"InputData":{${inputsJson}}${props}}}`;
}

function invokeActivity(options: BatchRetrainOptions): WebActivity {
  const dependsOn = options.dependsOn ?? [];
  const deployment = options.endpoint.deploymentName;
  return {
    name: BATCH_ACTIVITIES.invoke,
    type: "WebActivity",
    description: "Invokes the batch endpoint's pipeline deployment with the breach values as literal inputs; answers the created job.",
    ...(dependsOn.length > 0 ? { dependsOn: after(...dependsOn) } : {}),
    policy: { retry: 0, timeout: "0.00:10:00" },
    method: "POST",
    url: batchInvocationUrl(options.endpoint),
    headers: { "Content-Type": "application/json", ...(deployment !== undefined ? { [BATCH_DEPLOYMENT_HEADER]: deployment } : {}) },
    body: expr(batchInvocationBody(options)),
    authentication: webActivityAuthentication(BATCH_ENDPOINT_AUDIENCE, options.credentialName),
    turnOffAsync: true,
  } satisfies WebActivity;
}

function pollLoop(options: BatchRetrainOptions): UntilActivity {
  // ADF's `or` takes exactly two arguments (expression function reference: `or(<expression1>, <expression2>)`;
  // "function 'or' does not accept 3 argument(s)", MicrosoftDocs/azure-docs#55549): test membership instead.
  const terminal = `contains(createArray(${BATCH_JOB_TERMINAL_STATUSES.map((s) => `'${s}'`).join(", ")}), variables('${BATCH_VARIABLES.jobStatus}'))`;
  const poll = options.pollIntervalSeconds ?? DEFAULT_BATCH_POLL_SECONDS;
  return {
    name: BATCH_ACTIVITIES.until,
    type: "Until",
    description: "Polls the batch job until it is Completed, Failed or Canceled, or the timeout passes.",
    dependsOn: after(BATCH_ACTIVITIES.setJobName),
    expression: { type: "Expression", value: `@${terminal}` },
    timeout: untilTimeout(options.timeoutMinutes ?? DEFAULT_BATCH_TIMEOUT_MINUTES),
    activities: [
      { name: BATCH_ACTIVITIES.wait, type: "Wait", waitTimeInSeconds: poll } satisfies WaitActivity,
      {
        name: BATCH_ACTIVITIES.poll,
        type: "WebActivity",
        dependsOn: after(BATCH_ACTIVITIES.wait),
        policy: { retry: options.pollRetry ?? DEFAULT_BATCH_POLL_RETRY, retryIntervalInSeconds: options.pollRetryIntervalSeconds ?? DEFAULT_BATCH_POLL_RETRY_SECONDS, timeout: "0.00:10:00" },
        method: "GET",
        url: expr(batchJobStatusUrlExpr(options.workspaceId, BATCH_VARIABLES.jobName)),
        authentication: webActivityAuthentication(ARM_JOB_AUDIENCE, options.credentialName),
        turnOffAsync: true,
      } satisfies WebActivity,
      {
        name: BATCH_ACTIVITIES.setStatus,
        type: "SetVariable",
        dependsOn: after(BATCH_ACTIVITIES.poll),
        variableName: BATCH_VARIABLES.jobStatus,
        value: expr(`@activity('${BATCH_ACTIVITIES.poll}').output.properties.status`),
      } satisfies SetVariableActivity,
    ],
  } satisfies UntilActivity;
}

/** `d.hh:mm:ss` for a number of minutes (the Until activity's timeout format). */
export function untilTimeout(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `${d}.${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00`;
}

/**
 * The outcome check runs whether the loop succeeded or failed (dependency condition `Completed`), so
 * it is the pipeline's only leaf and its Fail message is the run's error: the job's final status, or
 * that it did not finish in time / could not be polled.
 */
function outcomeActivity(options: BatchRetrainOptions): IfConditionActivity {
  const job = `variables('${BATCH_VARIABLES.jobName}')`;
  const status = `variables('${BATCH_VARIABLES.jobStatus}')`;
  const url = batchInvocationUrl(options.endpoint);
  const ended = `or(equals(${status}, 'Failed'), equals(${status}, 'Canceled'))`;
  const minutes = options.timeoutMinutes ?? DEFAULT_BATCH_TIMEOUT_MINUTES;
  return {
    name: BATCH_ACTIVITIES.check,
    type: "IfCondition",
    description: "Fails the run unless the batch job Completed: it ended Failed or Canceled, did not finish in time, or could not be polled.",
    dependsOn: [{ activity: BATCH_ACTIVITIES.until, dependencyConditions: ["Completed"] }],
    expression: { type: "Expression", value: `@not(equals(${status}, 'Completed'))` },
    ifTrueActivities: [
      {
        name: BATCH_ACTIVITIES.fail,
        type: "Fail",
        errorCode: expr(`@if(${ended}, 'BatchJobNotCompleted', 'BatchJobNotFinished')`),
        message: expr(
          `@if(${ended}, concat('Batch endpoint job ', ${job}, ' at ${url} ended ', ${status}, '; see the job in Azure Machine Learning studio.'), ` +
            `concat('Batch endpoint job ', ${job}, ' at ${url} did not finish within ${minutes} minutes or could not be polled (last status ', ${status}, ').'))`,
        ),
      } satisfies FailActivity,
    ],
  } satisfies IfConditionActivity;
}

/** The v2 pipeline's activities and the variables they use. */
export interface BatchRetrainPipeline {
  /** Activities in run order: invoke → set job name → Until(Wait, poll, set status) → IfCondition(Fail) after the loop, succeeded or not. */
  readonly activities: BatchPipelineActivity[];
  /** Pipeline variable declarations (`batchJobName`, `batchJobStatus`). */
  readonly variables: Record<string, { type: "String"; defaultValue: string }>;
}

/** Builds the v2 retraining pipeline: invoke the batch endpoint, poll its job, fail the run unless it Completed. */
export function batchRetrainPipelineActivities(options: BatchRetrainOptions): BatchRetrainPipeline {
  const setJobName: SetVariableActivity = {
    name: BATCH_ACTIVITIES.setJobName,
    type: "SetVariable",
    dependsOn: after(BATCH_ACTIVITIES.invoke),
    variableName: BATCH_VARIABLES.jobName,
    value: expr(`@last(split(activity('${BATCH_ACTIVITIES.invoke}').output.id, '/'))`),
  } satisfies SetVariableActivity;
  return {
    activities: [invokeActivity(options), setJobName, pollLoop(options), outcomeActivity(options)],
    variables: {
      [BATCH_VARIABLES.jobName]: { type: "String", defaultValue: "" },
      [BATCH_VARIABLES.jobStatus]: { type: "String", defaultValue: "NotStarted" },
    },
  };
}
