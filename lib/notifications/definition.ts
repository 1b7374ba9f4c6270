/**
 * The email alerts workflow definition (pure): for each accepted event, one `If` per alert rule
 * (event type + conditions) that sends one email through Azure Communication Services (Http action,
 * managed identity) or Office 365 Outlook (ApiConnection). Plus `previewEmails`, which runs the
 * built definition in the simulator and reads the emails it would send.
 */
import { ALL_AML_EVENT_TYPES, AmlEventType, AmlEventTypeName, isAmlEventType } from "../events";
import { simulateWorkflow, SimulateOptions } from "../simulate/workflow";
import { isObject } from "../simulate/values";
import {
  ActionMap,
  dataFieldExpr,
  eventExpr,
  eventGridDefinition,
  IfAction,
  literal,
  EVENT_CALL_TIMEOUT,
  managedIdentityHttpAction,
  oneOfIgnoringCase,
  WorkflowAction,
  WorkflowDefinition,
  WorkflowParameter,
  WORKSPACE_PARAMETER,
} from "../workflows";
import { BREACH_TAG } from "../monitoring/breachTag";
import { BREACH_HEAD_FRAGMENT } from "../monitoring/breachFilter";
import {
  compileTemplate,
  DEFAULT_BREACH_BODY_TEMPLATE,
  DEFAULT_BREACH_SUBJECT_TEMPLATE,
  DEFAULT_SUBJECT_TEMPLATE,
  defaultBodyTemplate,
  TemplateProblem,
} from "./templates";

/** The ACS Email REST API version the Http action calls. */
export const ACS_EMAIL_API_VERSION = "2023-03-31";
/**
 * Token audience for Azure Communication Services data-plane calls with Entra ID: the Azure SDKs
 * request the scope `https://communication.azure.com//.default`, i.e. this audience with its
 * trailing slash followed by `/.default` (azure-sdk `communication-common` token credential).
 */
export const ACS_AUDIENCE = "https://communication.azure.com/";
/** Definition parameter: `https://{acs host}` (no trailing slash). */
export const EMAIL_ENDPOINT_PARAMETER = "emailEndpoint";
/** Definition parameter: the sender, e.g. `DoNotReply@{guid}.azurecomm.net`. */
export const SENDER_ADDRESS_PARAMETER = "senderAddress";
/** Definition parameter for managed connectors (Office 365). */
export const CONNECTIONS_PARAMETER = "$connections";

/** Special alert rules. */
export const EmailAlertRuleKind = {
  /** A plain event rule (the default). */
  Event: "event",
  /** Model monitoring (v2) threshold breaches only (RunStatusChanged with the breach run tag). */
  ModelMonitorBreach: "modelMonitorBreach",
} as const;
/** Special alert rules. */
export type EmailAlertRuleKind = (typeof EmailAlertRuleKind)[keyof typeof EmailAlertRuleKind];

/** One alert rule: which events of a type send mail, to whom, with which text. */
export interface EmailAlertRule {
  /** The AML event type. */
  readonly eventType: AmlEventType;
  /** Recipients for this rule. @default - the component's `recipients` */
  readonly recipients?: string[];
  /** RunStatusChanged/RunCompleted: alert only for these `data.runStatus` values (case-insensitive). @default ["failed"] for RunStatusChanged (`DEFAULT_RUN_STATUSES`), any status for RunCompleted */
  readonly runStatuses?: string[];
  /** Run events: alert only when `data.experimentName` starts with this (case-insensitive, like Logic Apps' startsWith). @default - any experiment */
  readonly experimentNamePrefix?: string;
  /** ModelRegistered/ModelDeployed: every listed tag must have one of the listed values (case-insensitive). @default - any tags */
  readonly tags?: { readonly [key: string]: string[] };
  /** Subject template for this rule. @default - the component's subject template */
  readonly subjectTemplate?: string;
  /** Body template for this rule. @default - the component's body template, else the event type's (or the breach's) default body */
  readonly bodyTemplate?: string;
  /**
   * `"modelMonitorBreach"`: alert on model monitoring (v2) threshold breaches only — RunStatusChanged
   * events whose `azureml_modelmonitor_threshold_breached` run tag holds the documented head sentence,
   * whatever the run's status (the tagged run ends Completed; `runStatuses`, default `["completed", "failed"]`:
   * the run's end, not its Running/Finalizing steps). While such a rule is in the alerts, the plain run rules
   * skip tagged runs, so a breach is mailed once (as a breach), not also as a completed or failed run. Its default subject and body name the signal and list the
   * breaching features (`BREACH_FIELDS`). Only with `eventType` RunStatusChanged.
   * @default "event" - a plain event rule
   */
  readonly kind?: EmailAlertRuleKind;
}

/** The default model monitoring (v2) breach alert. */
export const MODEL_MONITOR_BREACH_ALERT: EmailAlertRule = { eventType: AmlEventType.RunStatusChanged, kind: "modelMonitorBreach" };

/** An event type (with its default rule) or a full rule. */
export type EmailAlertEvent = AmlEventTypeName | EmailAlertRule;

/** How mail leaves the workflow. */
export type EmailChannel = "communicationServices" | "office365";

/** Options of `buildEmailAlertsDefinition`: everything known at construction. */
export interface EmailDefinitionOptions {
  /** Default recipients. */
  readonly recipients: readonly string[];
  /** Which events alert. @default - `DEFAULT_ALERT_EVENTS` */
  readonly alerts?: readonly EmailAlertEvent[];
  /** Subject template for every rule without its own. @default `DEFAULT_SUBJECT_TEMPLATE` */
  readonly subjectTemplate?: string;
  /** Body template for every rule without its own. @default - a per-event-type body with details and a studio link */
  readonly bodyTemplate?: string;
  /** Mail channel. @default "communicationServices" */
  readonly channel?: EmailChannel;
}

/**
 * The default alerts: failed runs, model monitor (v2) breaches, completed runs, registered and deployed
 * models. DatasetDriftDetected is left out: it comes only from the retired v1 dataset monitors (Microsoft
 * Learn: Event Grid's "Dataset drift detected" applies to data drift v1, not model monitoring); list
 * `AmlEventType.DatasetDriftDetected` (or `LEGACY_DRIFT_ALERT`) to keep mailing legacy drift.
 */
export const DEFAULT_ALERT_EVENTS: readonly EmailAlertEvent[] = [
  { eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] },
  MODEL_MONITOR_BREACH_ALERT,
  AmlEventType.RunCompleted,
  AmlEventType.ModelRegistered,
  AmlEventType.ModelDeployed,
];

/** The legacy (v1 dataset monitor) drift alert, which `DEFAULT_ALERT_EVENTS` no longer holds: list it explicitly. */
export const LEGACY_DRIFT_ALERT: EmailAlertEvent = AmlEventType.DatasetDriftDetected;

const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** True for a syntactically valid single email address (`name@domain.tld`). */
export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}

/**
 * The run statuses Azure ML reports, with its spelling (`Canceled`, one `l`): `KnownJobStatus` of the
 * Azure SDK (`@azure/arm-machinelearning` 2.1.1, generated from the Microsoft.MachineLearningServices
 * REST specification). A rule listing any other status can never fire.
 */
export const AML_RUN_STATUSES = [
  "NotStarted",
  "Starting",
  "Provisioning",
  "Preparing",
  "Queued",
  "Running",
  "Finalizing",
  "CancelRequested",
  "Completed",
  "Failed",
  "Canceled",
  "NotResponding",
  "Paused",
  "Unknown",
] as const;

/** The problem with a run status Azure ML never sends (with the closest real one), or undefined. */
export function runStatusProblem(where: string, status: string): string | undefined {
  const norm = (x: string): string => x.toLowerCase().replace(/[^a-z]/g, "");
  if ((AML_RUN_STATUSES as readonly string[]).some((s) => s.toLowerCase() === status.trim().toLowerCase())) return undefined;
  const alias: Record<string, string> = { cancelled: "Canceled", cancel: "Canceled", succeeded: "Completed", success: "Completed", complete: "Completed", failure: "Failed", fail: "Failed", inprogress: "Running" };
  const closest = alias[norm(status)] ?? AML_RUN_STATUSES.find((s) => norm(s) === norm(status));
  return `${where}: ${JSON.stringify(status)} is not a status Azure ML sends, so the rule never fires; ${closest !== undefined ? `use ${JSON.stringify(closest.toLowerCase())}` : "use one of"} (Azure ML's statuses: ${AML_RUN_STATUSES.join(", ")}).`;
}

/** The run statuses a RunStatusChanged rule alerts on when it lists none. */
export const DEFAULT_RUN_STATUSES: readonly string[] = ["failed"];
/** The run statuses a `modelMonitorBreach` rule alerts on when it lists none: the tagged run's end, either way. */
export const DEFAULT_BREACH_RUN_STATUSES: readonly string[] = ["completed", "failed"];

/**
 * Normalizes `alerts` into rules: a bare type gets its default rule, and a RunStatusChanged rule
 * without `runStatuses` alerts on `DEFAULT_RUN_STATUSES` (RunStatusChanged fires on every
 * status change; list the statuses you want to hear about to widen it).
 */
export function alertRules(events: readonly EmailAlertEvent[] = DEFAULT_ALERT_EVENTS): EmailAlertRule[] {
  return events.map((e) => {
    const rule: EmailAlertRule = typeof e === "string" ? { eventType: e } : e;
    if (rule.eventType !== AmlEventType.RunStatusChanged || rule.runStatuses !== undefined) return rule;
    return { ...rule, runStatuses: [...(rule.kind === "modelMonitorBreach" ? DEFAULT_BREACH_RUN_STATUSES : DEFAULT_RUN_STATUSES)] };
  });
}

function shortType(t: AmlEventTypeName): string {
  return t.split(".").pop() ?? t;
}

/** Names of each rule's If and send actions (`Alert_RunCompleted`, `Send_email_RunCompleted`, `…_2` for a second rule of a type). */
export function ruleActionNames(rules: readonly EmailAlertRule[]): { readonly check: string; readonly send: string }[] {
  const seen = new Map<string, number>();
  return rules.map((r) => {
    const base = r.kind === "modelMonitorBreach" ? "ModelMonitorBreach" : shortType(r.eventType);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const suffix = n === 1 ? base : `${base}_${n}`;
    return { check: `Alert_${suffix}`, send: `Send_email_${suffix}` };
  });
}

function describeTemplateProblems(where: string, template: string, problems: readonly TemplateProblem[]): string[] {
  return problems.map((p) => `${where}: ${p.message} at position ${p.position} in ${JSON.stringify(template)}; fix the template (see the EmailAlerts template fields).`);
}

/**
 * Recipients of one Azure Communication Services email, To, Cc and Bcc together ("Service limits for Azure
 * Communication Services — size limits for email: number of recipients in email 50", Microsoft Learn,
 * https://learn.microsoft.com/azure/communication-services/concepts/service-limits).
 */
export const ACS_MAX_RECIPIENTS = 50;

/** Checks the options; each message names the argument, the value and the fix. Empty when fine. */
export function validateEmailDefinitionOptions(options: EmailDefinitionOptions): string[] {
  const problems: string[] = [];
  const acs = (options.channel ?? "communicationServices") === "communicationServices";
  const checkRecipients = (where: string, list: readonly string[] | undefined, required: boolean): void => {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      problems.push(`${where} must be a list of addresses, e.g. [${JSON.stringify(String(list))}]; got ${JSON.stringify(list)}.`);
      return;
    }
    if (list.length === 0 && required) problems.push(`${where} is empty; give at least one email address.`);
    if (acs && list.length > ACS_MAX_RECIPIENTS) {
      problems.push(
        `${where} has ${list.length} addresses; Azure Communication Services sends one email to at most ${ACS_MAX_RECIPIENTS} recipients ` +
          `(To, Cc and Bcc together; "Service limits for Azure Communication Services — email", Microsoft Learn). ` +
          `Use a distribution list address (it counts as one recipient), or split the addresses over several alert rules.`,
      );
    }
    for (const a of list) {
      if (typeof a !== "string" || !isEmailAddress(a.trim())) problems.push(`${where}: ${JSON.stringify(a)} is not a valid email address; expected name@domain.tld.`);
    }
  };
  checkRecipients("recipients", options.recipients, false);
  if (options.alerts !== undefined && !Array.isArray(options.alerts)) {
    problems.push(`alerts must be a list of event types or rules, e.g. [${JSON.stringify(String(options.alerts))}]; got ${JSON.stringify(options.alerts)}.`);
    return problems;
  }
  if (options.alerts !== undefined && options.alerts.length === 0) problems.push("alerts is empty; list at least one AML event type, or leave it out for the defaults.");
  const events = options.alerts ?? DEFAULT_ALERT_EVENTS;
  events.forEach((e, i) => {
    const where = `alerts[${i}]`;
    const type = typeof e === "string" ? e : e?.eventType;
    if (!isAmlEventType(type)) {
      problems.push(`${where}: ${JSON.stringify(type)} is not an AML event type; use one of ${ALL_AML_EVENT_TYPES.join(", ")}.`);
      return;
    }
    const rule = alertRules([e])[0];
    const recipients = rule.recipients ?? options.recipients;
    if (rule.recipients !== undefined) checkRecipients(`${where}.recipients`, rule.recipients, true);
    if (!Array.isArray(recipients)) return;
    if (recipients.length === 0) problems.push(`${where} (${shortType(type)}) has no recipients: recipients is empty and the rule gives none; add addresses.`);
    if (rule.runStatuses !== undefined && type !== AmlEventType.RunStatusChanged && type !== AmlEventType.RunCompleted) {
      problems.push(`${where}.runStatuses applies to run events only, not ${type}; remove it.`);
    }
    if (rule.runStatuses !== undefined && rule.runStatuses.length === 0) problems.push(`${where}.runStatuses is empty; list statuses such as "failed", or remove it.`);
    if (rule.runStatuses !== undefined && !Array.isArray(rule.runStatuses)) {
      problems.push(`${where}.runStatuses must be a list, e.g. [${JSON.stringify(String(rule.runStatuses))}]; got ${JSON.stringify(rule.runStatuses)}.`);
      return;
    }
    (rule.runStatuses ?? []).forEach((st, j) => {
      if (typeof st !== "string" || st.trim() === "") problems.push(`${where}.runStatuses[${j}]: ${JSON.stringify(st)} is not a run status; use a status name such as "failed" or "canceled".`);
      else {
        const bad = runStatusProblem(`${where}.runStatuses[${j}]`, st);
        if (bad !== undefined) problems.push(bad);
      }
    });
    if (rule.experimentNamePrefix !== undefined && (typeof rule.experimentNamePrefix !== "string" || rule.experimentNamePrefix === "")) {
      problems.push(`${where}.experimentNamePrefix: ${JSON.stringify(rule.experimentNamePrefix)} matches every experiment; give a prefix such as "churn-", or remove it.`);
    }
    if (typeof rule.experimentNamePrefix === "string" && /[*?[\]]/.test(rule.experimentNamePrefix)) {
      const fixed = rule.experimentNamePrefix.split(/[*?[]/)[0];
      problems.push(
        `${where}.experimentNamePrefix: ${JSON.stringify(rule.experimentNamePrefix)} holds a glob character; it is a plain prefix (compared with startsWith), so '*', '?' and '[' match only themselves. ` +
          `Use ${JSON.stringify(fixed === "" ? "<prefix>" : fixed)} instead.`,
      );
    }
    if (rule.experimentNamePrefix !== undefined && type !== AmlEventType.RunStatusChanged && type !== AmlEventType.RunCompleted) {
      problems.push(`${where}.experimentNamePrefix applies to run events only, not ${type}; remove it.`);
    }
    if (rule.tags !== undefined && type !== AmlEventType.ModelRegistered && type !== AmlEventType.ModelDeployed) {
      problems.push(`${where}.tags applies to ModelRegistered and ModelDeployed only, not ${type}; remove it.`);
    }
    for (const [k, values] of Object.entries(rule.tags ?? {})) {
      if (!Array.isArray(values) || values.length === 0) problems.push(`${where}.tags.${k} lists no values (got ${JSON.stringify(values)}); give at least one accepted value.`);
      else if (!values.every((v) => typeof v === "string" && v !== "")) {
        problems.push(`${where}.tags.${k}: ${JSON.stringify(values)} must hold non-empty strings (tag values are text); e.g. ["production"].`);
      }
    }
    if (rule.kind !== undefined && rule.kind !== "modelMonitorBreach" && rule.kind !== "event") problems.push(`${where}.kind: ${JSON.stringify(rule.kind)} is not a rule kind; use "event" (the default) or "modelMonitorBreach", or remove it.`);
    if (rule.kind === "modelMonitorBreach" && type !== AmlEventType.RunStatusChanged) {
      problems.push(`${where}.kind "modelMonitorBreach" needs eventType ${AmlEventType.RunStatusChanged} (the breach tag is on a run), got ${type}; change the event type or remove kind.`);
      return;
    }
    const { subject, body } = ruleTemplates(rule, options);
    const subjectName = rule.subjectTemplate !== undefined ? `${where}.subjectTemplate` : options.subjectTemplate !== undefined ? "subjectTemplate" : "default subject";
    const bodyName = rule.bodyTemplate !== undefined ? `${where}.bodyTemplate` : options.bodyTemplate !== undefined ? "bodyTemplate" : "default body";
    const s = compileTemplate(subject, type);
    if (!s.ok) problems.push(...describeTemplateProblems(`${subjectName} (for ${shortType(type)})`, subject, s.problems));
    const b = compileTemplate(body, type);
    if (!b.ok) problems.push(...describeTemplateProblems(`${bodyName} (for ${shortType(type)})`, body, b.problems));
  });
  return [...new Set(problems)];
}

/** The subject and body templates a rule uses. */
function ruleTemplates(rule: EmailAlertRule, options: EmailDefinitionOptions): { subject: string; body: string } {
  const breach = rule.kind === "modelMonitorBreach";
  return {
    subject: rule.subjectTemplate ?? options.subjectTemplate ?? (breach ? DEFAULT_BREACH_SUBJECT_TEMPLATE : DEFAULT_SUBJECT_TEMPLATE),
    body: rule.bodyTemplate ?? options.bodyTemplate ?? (breach ? DEFAULT_BREACH_BODY_TEMPLATE : defaultBodyTemplate(rule.eventType)),
  };
}

function ruleCondition(rule: EmailAlertRule, breachRulePresent: boolean): string {
  const parts = [`equals(string(${eventExpr(["eventType"])}), ${literal(rule.eventType)})`];
  // The documented head sentence, as Microsoft's Event Grid filter for breaches matches it (lib/monitoring/breachFilter.ts).
  const tagged = `contains(string(${dataFieldExpr("runTags", [BREACH_TAG])}), ${literal(BREACH_HEAD_FRAGMENT)})`;
  if (rule.kind === "modelMonitorBreach") parts.push(tagged);
  else if (breachRulePresent && (rule.eventType === AmlEventType.RunStatusChanged || rule.eventType === AmlEventType.RunCompleted)) parts.push(`not(${tagged})`);
  if (rule.runStatuses !== undefined) {
    parts.push(oneOfIgnoringCase(rule.runStatuses, dataFieldExpr("runStatus")));
  }
  if (rule.experimentNamePrefix !== undefined) {
    parts.push(`startsWith(string(${dataFieldExpr("experimentName")}), ${literal(rule.experimentNamePrefix)})`);
  }
  const tagField = rule.eventType === AmlEventType.ModelDeployed ? "serviceTags" : "modelTags";
  for (const [key, values] of Object.entries(rule.tags ?? {})) {
    parts.push(oneOfIgnoringCase(values, dataFieldExpr(tagField, [key])));
  }
  return parts.length === 1 ? `@${parts[0]}` : `@and(${parts.join(", ")})`;
}

function compiled(template: string, type: AmlEventTypeName, html = false): string {
  const r = compileTemplate(template, type, { html });
  if (!r.ok) throw new Error(describeTemplateProblems("template", template, r.problems).join("\n"));
  return r.value;
}

/**
 * The `Repeatability-Request-Id` of a rule's send (as an expression, without `@`): the event id with
 * its last three hex digits replaced by the rule's index, so every Event Grid retry of the same event
 * and rule sends the same id and distinct rules send distinct ids. AML event ids are GUIDs; an id that
 * is not 36 characters long gets a random GUID (no deduplication for it).
 */
export function repeatabilityRequestIdExpr(ruleIndex: number): string {
  const id = `toLower(string(${eventExpr(["id"])}))`;
  const suffix = ruleIndex.toString(16).padStart(3, "0");
  return `if(equals(length(${id}), 36), concat(substring(concat(${id}, '${"0".repeat(33)}'), 0, 33), '${suffix}'), guid())`;
}

/**
 * Headers that make the ACS send idempotent across Event Grid retries. ACS documents "repeatable
 * requests" (OASIS Repeatable Requests 1.0) for the Email Send API: `Repeatability-Request-Id` (a GUID)
 * and `Repeatability-First-Sent` (IMF-fixdate); a repeat within the tracked window (5 minutes) that
 * matches the first request gets the first request's 2xx/4xx status back instead of a second send.
 * Source: Microsoft Learn, "Repeatable requests" (https://learn.microsoft.com/rest/api/communication/repeatable-requests).
 * `First-Sent` is the time of this attempt (a workflow run can't know when an earlier run sent): an
 * older value would make ACS answer 412 once the window has passed, and the event could never be mailed.
 */
export function repeatabilityHeaders(ruleIndex: number): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "Repeatability-Request-Id": `@{${repeatabilityRequestIdExpr(ruleIndex)}}`,
    "Repeatability-First-Sent": "@{formatDateTime(utcNow(), 'r')}",
  };
}

function sendAction(rule: EmailAlertRule, options: EmailDefinitionOptions, ruleIndex: number): WorkflowAction {
  const recipients = (rule.recipients ?? options.recipients).map((a) => a.trim());
  const templates = ruleTemplates(rule, options);
  const subject = compiled(templates.subject, rule.eventType);
  const bodyTemplate = templates.body;
  const channel = options.channel ?? "communicationServices";
  switch (channel) {
    case "communicationServices":
      return managedIdentityHttpAction({
        method: "POST",
        uri: `@{parameters(${literal(EMAIL_ENDPOINT_PARAMETER)})}/emails:send?api-version=${ACS_EMAIL_API_VERSION}`,
        audience: ACS_AUDIENCE,
        headers: repeatabilityHeaders(ruleIndex),
        body: {
          senderAddress: `@parameters(${literal(SENDER_ADDRESS_PARAMETER)})`,
          content: { subject, plainText: compiled(bodyTemplate, rule.eventType) },
          recipients: { to: recipients.map((address) => ({ address })) },
        },
        disableAsyncPattern: true,
        // No in-action retry and a short limit keep the answer within Event Grid's 30 s (lib/workflows/responseBound.ts):
        // a failed or slow send fails the event (429/503) and Event Grid delivers it again; the repeatability headers make that send once.
        retryPolicy: { type: "none" },
        timeout: EVENT_CALL_TIMEOUT,
      });
    case "office365":
      return {
        type: "ApiConnection",
        inputs: {
          host: { connection: { name: `@parameters(${literal(CONNECTIONS_PARAMETER)})['office365']['connectionId']` } },
          method: "post",
          path: "/v2/Mail",
          body: { To: recipients.join(";"), Subject: subject, Body: compiled(bodyTemplate, rule.eventType, true), Importance: "Normal" },
          retryPolicy: { type: "none" },
        },
        limit: { timeout: EVENT_CALL_TIMEOUT },
        runAfter: {},
      };
    default: {
      const never: never = channel;
      return never;
    }
  }
}

/**
 * Builds the email alerts workflow definition. Throws an Error listing every problem of
 * `validateEmailDefinitionOptions` (templates: name, position, template).
 */
export function buildEmailAlertsDefinition(options: EmailDefinitionOptions): WorkflowDefinition {
  const problems = validateEmailDefinitionOptions(options);
  if (problems.length > 0) throw new Error(`EmailAlerts definition:\n${problems.join("\n")}`);
  const rules = alertRules(options.alerts);
  const names = ruleActionNames(rules);
  const breachRulePresent = rules.some((r) => r.kind === "modelMonitorBreach");
  const handler: Record<string, IfAction> = {};
  rules.forEach((rule, i) => {
    handler[names[i].check] = {
      type: "If",
      expression: ruleCondition(rule, breachRulePresent),
      actions: { [names[i].send]: sendAction(rule, options, i) },
      else: { actions: {} },
      runAfter: {},
    };
  });
  const channel = options.channel ?? "communicationServices";
  const parameters: Record<string, WorkflowParameter> =
    channel === "communicationServices"
      ? {
          [EMAIL_ENDPOINT_PARAMETER]: { type: "String", metadata: { description: "https://{host} of the Azure Communication Services resource." } },
          [SENDER_ADDRESS_PARAMETER]: { type: "String", metadata: { description: "Sender address on a domain linked to that resource." } },
        }
      : { [CONNECTIONS_PARAMETER]: { type: "Object", defaultValue: {} } };
  return eventGridDefinition({
    handledEventTypes: [...new Set(rules.map((r) => r.eventType))],
    handler: handler as ActionMap,
    parameters,
  });
}

/** One email the workflow would send. */
export interface EmailPreview {
  /** Index of the event in the delivered batch. */
  readonly eventIndex: number;
  readonly eventId: string;
  readonly eventType: string;
  /** The send action's name. */
  readonly action: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
}

/** Values for the definition parameters when previewing. */
export interface EmailPreviewOptions {
  /** The workspace whose events are accepted. */
  readonly workspaceId: string;
  /** @default "https://example.communication.azure.com" */
  readonly emailEndpoint?: string;
  /** @default "DoNotReply@example.azurecomm.net" */
  readonly senderAddress?: string;
  /** Clock for the simulation. @default - real clock */
  readonly now?: string;
}

/**
 * Runs the email definition in the simulator on one Event Grid delivery (`events`) and returns the
 * emails its send actions would send, read from their evaluated inputs. Accepts a built definition
 * or the options to build one.
 */
export function previewEmails(definitionOrOptions: WorkflowDefinition | EmailDefinitionOptions, events: readonly unknown[], preview: EmailPreviewOptions): EmailPreview[] {
  const definition = "$schema" in definitionOrOptions ? definitionOrOptions : buildEmailAlertsDefinition(definitionOrOptions);
  const declared = definition.parameters;
  const parameters: NonNullable<SimulateOptions["parameters"]> = {
    [WORKSPACE_PARAMETER]: { value: preview.workspaceId },
    ...(EMAIL_ENDPOINT_PARAMETER in declared ? { [EMAIL_ENDPOINT_PARAMETER]: { value: preview.emailEndpoint ?? "https://example.communication.azure.com" } } : {}),
    ...(SENDER_ADDRESS_PARAMETER in declared ? { [SENDER_ADDRESS_PARAMETER]: { value: preview.senderAddress ?? "DoNotReply@example.azurecomm.net" } } : {}),
    ...(CONNECTIONS_PARAMETER in declared ? { [CONNECTIONS_PARAMETER]: { value: { office365: { connectionId: "office365" } } } } : {}),
  };
  const result = simulateWorkflow(definition, { body: events }, { parameters, httpResponses: () => ({ statusCode: 202, headers: {} }), ...(preview.now ? { now: preview.now } : {}) });
  const out: EmailPreview[] = [];
  for (const a of result.actions) {
    if (a.status === "Skipped" || a.inputs === undefined) continue;
    const index = a.iteration[0] ?? -1;
    const event = isObject(events[index]) ? (events[index] as Record<string, unknown>) : {};
    const base = { eventIndex: index, eventId: String(event.id ?? ""), eventType: String(event.eventType ?? ""), action: a.name };
    const inputs = isObject(a.inputs) ? a.inputs : {};
    const body = isObject(inputs.body) ? inputs.body : {};
    if (a.type === "Http" && isObject(body.content) && isObject(body.recipients)) {
      const to = Array.isArray(body.recipients.to) ? body.recipients.to.map((r) => (isObject(r) ? String(r.address) : String(r))) : [];
      out.push({ ...base, to, subject: String(body.content.subject ?? ""), body: String(body.content.plainText ?? "") });
    } else if (a.type === "ApiConnection") {
      out.push({ ...base, to: String(body.To ?? "").split(";").filter((s) => s !== ""), subject: String(body.Subject ?? ""), body: String(body.Body ?? "") });
    }
  }
  return out;
}
