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
  managedIdentityHttpAction,
  oneOfIgnoringCase,
  WorkflowAction,
  WorkflowDefinition,
  WorkflowParameter,
  WORKSPACE_PARAMETER,
} from "../workflows";
import { compileTemplate, DEFAULT_SUBJECT_TEMPLATE, defaultBodyTemplate, TemplateProblem } from "./templates";

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

/** One alert rule: which events of a type send mail, to whom, with which text. */
export interface EmailAlertRule {
  /** The AML event type. */
  readonly eventType: AmlEventTypeName;
  /** Recipients for this rule. @default - the component's `recipients` */
  readonly recipients?: readonly string[];
  /** RunStatusChanged/RunCompleted: alert only for these `data.runStatus` values (case-insensitive). @default ["failed"] for RunStatusChanged ({@link DEFAULT_RUN_STATUSES}), any status for RunCompleted */
  readonly runStatuses?: readonly string[];
  /** Run events: alert only when `data.experimentName` starts with this (case-insensitive, like Logic Apps' startsWith). @default - any experiment */
  readonly experimentNamePrefix?: string;
  /** ModelRegistered/ModelDeployed: every listed tag must have one of the listed values (case-insensitive). @default - any tags */
  readonly tags?: Readonly<Record<string, readonly string[]>>;
  /** Subject template for this rule. @default - the component's subject template */
  readonly subjectTemplate?: string;
  /** Body template for this rule. @default - the component's body template, else the event type's default body */
  readonly bodyTemplate?: string;
}

/** An event type (with its default rule) or a full rule. */
export type EmailAlertEvent = AmlEventTypeName | EmailAlertRule;

/** How mail leaves the workflow. */
export type EmailChannel = "communicationServices" | "office365";

/** Options of {@link buildEmailAlertsDefinition}: everything known at construction. */
export interface EmailDefinitionOptions {
  /** Default recipients. */
  readonly recipients: readonly string[];
  /** Which events alert. @default - {@link DEFAULT_ALERT_EVENTS} */
  readonly alerts?: readonly EmailAlertEvent[];
  /** Subject template for every rule without its own. @default {@link DEFAULT_SUBJECT_TEMPLATE} */
  readonly subjectTemplate?: string;
  /** Body template for every rule without its own. @default - a per-event-type body with details and a studio link */
  readonly bodyTemplate?: string;
  /** Mail channel. @default "communicationServices" */
  readonly channel?: EmailChannel;
}

/** The default alerts: failed runs, completed runs, drift, registered and deployed models. */
export const DEFAULT_ALERT_EVENTS: readonly EmailAlertEvent[] = [
  { eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] },
  AmlEventType.RunCompleted,
  AmlEventType.DatasetDriftDetected,
  AmlEventType.ModelRegistered,
  AmlEventType.ModelDeployed,
];

const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** True for a syntactically valid single email address (`name@domain.tld`). */
export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}

/** The run statuses a RunStatusChanged rule alerts on when it lists none. */
export const DEFAULT_RUN_STATUSES: readonly string[] = ["failed"];

/**
 * Normalizes `alerts` into rules: a bare type gets its default rule, and a RunStatusChanged rule
 * without `runStatuses` alerts on {@link DEFAULT_RUN_STATUSES} (RunStatusChanged fires on every
 * status change; list the statuses you want to hear about to widen it).
 */
export function alertRules(events: readonly EmailAlertEvent[] = DEFAULT_ALERT_EVENTS): EmailAlertRule[] {
  return events.map((e) => {
    const rule: EmailAlertRule = typeof e === "string" ? { eventType: e } : e;
    return rule.eventType === AmlEventType.RunStatusChanged && rule.runStatuses === undefined ? { ...rule, runStatuses: DEFAULT_RUN_STATUSES } : rule;
  });
}

function shortType(t: AmlEventTypeName): string {
  return t.split(".").pop() ?? t;
}

/** Names of each rule's If and send actions (`Alert_RunCompleted`, `Send_email_RunCompleted`, `…_2` for a second rule of a type). */
export function ruleActionNames(rules: readonly EmailAlertRule[]): { readonly check: string; readonly send: string }[] {
  const seen = new Map<string, number>();
  return rules.map((r) => {
    const base = shortType(r.eventType);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const suffix = n === 1 ? base : `${base}_${n}`;
    return { check: `Alert_${suffix}`, send: `Send_email_${suffix}` };
  });
}

function describeTemplateProblems(where: string, template: string, problems: readonly TemplateProblem[]): string[] {
  return problems.map((p) => `${where}: ${p.message} at position ${p.position} in ${JSON.stringify(template)}; fix the template (see the EmailAlerts template fields).`);
}

/** Checks the options; each message names the argument, the value and the fix. Empty when fine. */
export function validateEmailDefinitionOptions(options: EmailDefinitionOptions): string[] {
  const problems: string[] = [];
  const checkRecipients = (where: string, list: readonly string[] | undefined, required: boolean): void => {
    if (list === undefined) return;
    if (list.length === 0 && required) problems.push(`${where} is empty; give at least one email address.`);
    for (const a of list) {
      if (typeof a !== "string" || !isEmailAddress(a.trim())) problems.push(`${where}: ${JSON.stringify(a)} is not a valid email address; expected name@domain.tld.`);
    }
  };
  checkRecipients("recipients", options.recipients, false);
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
    if (recipients.length === 0) problems.push(`${where} (${shortType(type)}) has no recipients: recipients is empty and the rule gives none; add addresses.`);
    if (rule.runStatuses !== undefined && type !== AmlEventType.RunStatusChanged && type !== AmlEventType.RunCompleted) {
      problems.push(`${where}.runStatuses applies to run events only, not ${type}; remove it.`);
    }
    if (rule.runStatuses !== undefined && rule.runStatuses.length === 0) problems.push(`${where}.runStatuses is empty; list statuses such as "failed", or remove it.`);
    (rule.runStatuses ?? []).forEach((st, j) => {
      if (typeof st !== "string" || st.trim() === "") problems.push(`${where}.runStatuses[${j}]: ${JSON.stringify(st)} is not a run status; use a status name such as "failed" or "canceled".`);
    });
    if (rule.experimentNamePrefix !== undefined && (typeof rule.experimentNamePrefix !== "string" || rule.experimentNamePrefix === "")) {
      problems.push(`${where}.experimentNamePrefix: ${JSON.stringify(rule.experimentNamePrefix)} matches every experiment; give a prefix such as "churn-", or remove it.`);
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
    const subject = rule.subjectTemplate ?? options.subjectTemplate ?? DEFAULT_SUBJECT_TEMPLATE;
    const body = rule.bodyTemplate ?? options.bodyTemplate ?? defaultBodyTemplate(type);
    const subjectName = rule.subjectTemplate !== undefined ? `${where}.subjectTemplate` : options.subjectTemplate !== undefined ? "subjectTemplate" : "default subject";
    const bodyName = rule.bodyTemplate !== undefined ? `${where}.bodyTemplate` : options.bodyTemplate !== undefined ? "bodyTemplate" : "default body";
    const s = compileTemplate(subject, type);
    if (!s.ok) problems.push(...describeTemplateProblems(`${subjectName} (for ${shortType(type)})`, subject, s.problems));
    const b = compileTemplate(body, type);
    if (!b.ok) problems.push(...describeTemplateProblems(`${bodyName} (for ${shortType(type)})`, body, b.problems));
  });
  return [...new Set(problems)];
}

function ruleCondition(rule: EmailAlertRule): string {
  const parts = [`equals(string(${eventExpr(["eventType"])}), ${literal(rule.eventType)})`];
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

function compiled(template: string, type: AmlEventTypeName, newline?: string): string {
  const r = compileTemplate(template, type, newline === undefined ? {} : { newline });
  if (!r.ok) throw new Error(describeTemplateProblems("template", template, r.problems).join("\n"));
  return r.value;
}

function sendAction(rule: EmailAlertRule, options: EmailDefinitionOptions): WorkflowAction {
  const recipients = (rule.recipients ?? options.recipients).map((a) => a.trim());
  const subject = compiled(rule.subjectTemplate ?? options.subjectTemplate ?? DEFAULT_SUBJECT_TEMPLATE, rule.eventType);
  const bodyTemplate = rule.bodyTemplate ?? options.bodyTemplate ?? defaultBodyTemplate(rule.eventType);
  const channel = options.channel ?? "communicationServices";
  switch (channel) {
    case "communicationServices":
      return managedIdentityHttpAction({
        method: "POST",
        uri: `@{parameters(${literal(EMAIL_ENDPOINT_PARAMETER)})}/emails:send?api-version=${ACS_EMAIL_API_VERSION}`,
        audience: ACS_AUDIENCE,
        body: {
          senderAddress: `@parameters(${literal(SENDER_ADDRESS_PARAMETER)})`,
          content: { subject, plainText: compiled(bodyTemplate, rule.eventType) },
          recipients: { to: recipients.map((address) => ({ address })) },
        },
        disableAsyncPattern: true,
      });
    case "office365":
      return {
        type: "ApiConnection",
        inputs: {
          host: { connection: { name: `@parameters(${literal(CONNECTIONS_PARAMETER)})['office365']['connectionId']` } },
          method: "post",
          path: "/v2/Mail",
          body: { To: recipients.join(";"), Subject: subject, Body: compiled(bodyTemplate, rule.eventType, "<br>"), Importance: "Normal" },
        },
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
 * {@link validateEmailDefinitionOptions} (templates: name, position, template).
 */
export function buildEmailAlertsDefinition(options: EmailDefinitionOptions): WorkflowDefinition {
  const problems = validateEmailDefinitionOptions(options);
  if (problems.length > 0) throw new Error(`EmailAlerts definition:\n${problems.join("\n")}`);
  const rules = alertRules(options.alerts);
  const names = ruleActionNames(rules);
  const handler: Record<string, IfAction> = {};
  rules.forEach((rule, i) => {
    handler[names[i].check] = {
      type: "If",
      expression: ruleCondition(rule),
      actions: { [names[i].send]: sendAction(rule, options) },
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
