import * as authorization from "@pulumi/azure-native/authorization";
import * as eventgrid from "@pulumi/azure-native/eventgrid";
import * as logic from "@pulumi/azure-native/logic";
import * as web from "@pulumi/azure-native/web";
import * as pulumi from "@pulumi/pulumi";
import { LogicAppDestination } from "../destinations";
import { AmlEventType } from "../events";
import { advanced, EventFilter, runStatusIn } from "../filters";
import { modelMonitorBreachFilter } from "../retraining/breachFilter";
import { assignRole, deterministicGuid, resourceGroupOf, roleDefinitionIdFor, subscriptionOf } from "../rbac";
import { EVENT_TRIGGER_NAME, SAS_TRIGGER_TAG, WorkflowDefinition, WORKSPACE_PARAMETER } from "../workflows";
import { EventSourceArgs, eventSourceProblems, isEventSource, resolveEventSource } from "../workspace/eventSource";
import { ArgKeys, unknownArgumentProblems, unknownArgumentProblemsInList } from "../workspace/argKeys";
import { componentNameProblems, DeliveryOptions, subscriptionNameClash, SubscriptionNames, validateDeliveryOptions } from "../workspace/validate";
import {
  alertRules,
  buildEmailAlertsDefinition,
  CONNECTIONS_PARAMETER,
  EMAIL_ENDPOINT_PARAMETER,
  EmailAlertEvent,
  EmailAlertRule,
  SENDER_ADDRESS_PARAMETER,
  validateEmailDefinitionOptions,
} from "./definition";
import { DomainDnsRecord, EmailDomain, validateEmailDomain } from "./acsDomain";
import { createAcsEmailStack } from "./acsStack";
import { HiddenParts } from "../arm/hiddenParts";
import { KindFields, kindProblems } from "../arm/kinds";
import { AlertVolumeAssumptions, AlertVolumeEstimate, estimateAlertVolume, quotaExceedances } from "./quota";
import { IsolationArgs, ISOLATION_ARG_KEYS, validateIsolationArgs } from "../interfaces/isolation";
import { AVM_INTERFACE_ARG_KEYS, AvmInterfaces } from "../interfaces/types";
import { applyInterfaces, interfaceProblems, InterfaceShape } from "../interfaces/apply";
import { actingIdentity, actingPrincipalId, definitionActingAs, identityBlock } from "../interfaces/identities";

/**
 * The least-privilege permissions for sending email through Azure Communication Services with
 * Entra ID: Microsoft documents Contributor *or* a custom role with these two actions on the
 * Communication Services resource. We never grant Contributor.
 */
export const ACS_EMAIL_SENDER_ACTIONS: readonly string[] = [
  "Microsoft.Communication/CommunicationServices/Read",
  "Microsoft.Communication/CommunicationServices/Write",
];

/** What a person must do once when the Office 365 channel is chosen. */
export const OFFICE365_CONSENT_STEP =
  "Authorize the Office 365 Outlook API connection once: Azure portal → the API connection resource → Edit API connection → Authorize → sign in with the mailbox that sends the alerts → Save. Until then every send action fails with 401.";

/** How mail is sent. */
export const EmailTransportKind = {
  /** Create an Email Communication Service, its domain and a Communication Service (no human sign-in). */
  CommunicationServices: "communicationServices",
  /** Use an existing Communication Service with a linked sender domain. */
  ExistingCommunicationServices: "existingCommunicationServices",
  /** Office 365 Outlook managed connector: needs a one-time consent (see `OFFICE365_CONSENT_STEP`). */
  Office365: "office365",
} as const;
/** How mail is sent. */
export type EmailTransportKind = (typeof EmailTransportKind)[keyof typeof EmailTransportKind];

/** How mail is sent: a `kind` and that kind's fields (checked at construction). */
export interface EmailTransport {
  /** `communicationServices` (create the ACS email stack), `existingCommunicationServices` or `office365` (needs a one-time consent). */
  readonly kind: EmailTransportKind;
  /** kind communicationServices: where the services store data at rest, e.g. `Europe`, `United States`. @default "Europe" (an existing domain: its own) */
  readonly dataLocation?: string;
  /**
   * kind communicationServices: the sender domain. An Azure-managed domain sends at most 5 emails a minute
   * and 10 an hour per subscription; production alerting wants a custom verified domain (`customerManaged`
   * or `existing`).
   * @default {kind: "azureManaged"}
   */
  readonly domain?: EmailDomain;
  /** kind existingCommunicationServices (required): ARM id of the Communication Service (the role is scoped to it). @default - none */
  readonly communicationServiceId?: pulumi.Input<string>;
  /** kind existingCommunicationServices (required): its host name, e.g. `acs-prod.europe.communication.azure.com`. @default - none */
  readonly hostName?: pulumi.Input<string>;
  /** kind existingCommunicationServices (required): a sender address on a domain linked to it, e.g. `alerts@contoso.com`. @default - none */
  readonly senderAddress?: pulumi.Input<string>;
}

/** The fields of each `EmailTransport` kind. */
export const EMAIL_TRANSPORT_KINDS: KindFields = {
  communicationServices: { optional: ["dataLocation", "domain"] },
  existingCommunicationServices: { required: ["communicationServiceId", "hostName", "senderAddress"] },
  office365: {},
};

/**
 * Email options: everything but where the component lives and which events it subscribes to.
 * The isolation arguments are accepted for the interface's sake and refused with the reason: a
 * Consumption Logic App has no public network setting nor private endpoint, and it reaches
 * Communication Services over their public endpoint.
 */
export interface EmailOptions extends IsolationArgs {
  /** Default recipients (each rule may override). */
  readonly recipients: string[];
  /** Which events send mail: event types or rules with recipients, conditions and templates. @default failed runs (RunStatusChanged with runStatus failed), model monitor breaches (mailed once, as a breach), RunCompleted, ModelRegistered, ModelDeployed (legacy DatasetDriftDetected only when listed) */
  readonly alerts?: EmailAlertRule[];
  /** Subject template (`{eventType}`, `{workspaceName}`, `{subject}`, `{data.runId}`, …). @default "[Azure ML] {eventTypeShort} in {workspaceName}: {subject}" */
  readonly subjectTemplate?: string;
  /** Body template. @default - per event type: what happened, envelope, details, ML studio link */
  readonly bodyTemplate?: string;
  /** How mail is sent. @default {kind: "communicationServices"} */
  readonly email?: EmailTransport;
  /** Delivery attempts before Event Grid gives up, 1–30. @default - the WorkspaceEvents default */
  readonly maxDeliveryAttempts?: number;
  /** Minutes Event Grid retries an event, 1–1440. @default - the WorkspaceEvents default */
  readonly eventTimeToLiveInMinutes?: number;
  /** Event rates behind the email volume estimate compared with the Azure-managed domain's limits. @default - `DEFAULT_ALERT_VOLUME_ASSUMPTIONS` */
  readonly alertVolumeAssumptions?: AlertVolumeAssumptions;
}

/** Arguments of EmailAlerts: its options, the events it subscribes to and where it lives. */
export interface EmailAlertsArgs extends EmailOptions, EventSourceArgs, AvmInterfaces {
  /** Resource group for the workflow and mail resources. @default - the WorkspaceEvents resource group */
  readonly resourceGroupName?: pulumi.Input<string>;
  /** Region of the workflow. @default - the WorkspaceEvents location */
  readonly location?: pulumi.Input<string>;
  /** Tags for the resources this component creates. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** A `CanNotDelete` lock on the Logic App (`ReadOnly` is refused: it blocks listing the callback URL Event Grid delivers to). @default - no lock */
  readonly lock?: AvmInterfaces["lock"];
  /** Diagnostic settings of the Logic App (`WorkflowRuntime`, metrics). @default [] */
  readonly diagnosticSettings?: AvmInterfaces["diagnosticSettings"];
  /** Extra role grants on the Logic App (e.g. "Logic App Operator" by GUID for the on-call team). @default [] */
  readonly roleAssignments?: AvmInterfaces["roleAssignments"];
  /**
   * The Logic App's identity: its system-assigned one, or ONE user-assigned identity (a Consumption
   * Logic App can't have both). A user-assigned identity sends the mail (the Http action names it) and
   * receives the sender role; the system topic the component creates from `workspace` uses it too.
   * @default - system-assigned
   */
  readonly managedIdentities?: AvmInterfaces["managedIdentities"];
}

/** What EmailAlerts creates, for the interface checks. */
const EMAIL_SHAPE: InterfaceShape = {
  needsIdentity: true,
  diagnosticTypes: ["Microsoft.Logic/workflows"],
  identities: [["Microsoft.Logic/workflows", undefined]],
  readOnlyLockBreaks: "Event Grid's subscription reads the Logic App's callback URL with listCallbackUrl, a POST",
};


/**
 * Why EmailAlerts takes no isolation argument: azure-native's logic.Workflow (Consumption) has no
 * `publicNetworkAccess` and no private endpoint connections (private endpoints are a Standard,
 * single-tenant Logic Apps feature), and the workflow runs in the multi-tenant Logic Apps service, so
 * the Communication Services resource it calls must keep its public endpoint.
 */
const EMAIL_ISOLATION_WHY =
  "EmailAlerts creates a Consumption Logic App, which has no public network setting, private endpoint or key of its own, and which sends mail through Communication Services' public endpoint. Isolate the destinations that hold data (storage, Event Hubs, the factory, the deployer) instead; the Event Grid webhook to the Logic App stays public (Event Grid can't deliver to private endpoints).";
const EMAIL_ISOLATION = { privateEndpoints: EMAIL_ISOLATION_WHY, customerManagedKey: EMAIL_ISOLATION_WHY, publicNetworkAccess: EMAIL_ISOLATION_WHY };

/** The names of `EmailAlertsArgs` (run-time check of JavaScript callers' args). */
export const EMAIL_ALERTS_ARG_KEYS = {
  events: true,
  workspace: true,
  resourceGroupName: true,
  location: true,
  recipients: true,
  alerts: true,
  subjectTemplate: true,
  bodyTemplate: true,
  email: true,
  maxDeliveryAttempts: true,
  eventTimeToLiveInMinutes: true,
  alertVolumeAssumptions: true,
  ...ISOLATION_ARG_KEYS,
  ...AVM_INTERFACE_ARG_KEYS,
} as const satisfies ArgKeys<EmailAlertsArgs>;

/** The names of `EmailAlertRule`. */
export const EMAIL_ALERT_RULE_KEYS = {
  eventType: true,
  recipients: true,
  runStatuses: true,
  experimentNamePrefix: true,
  tags: true,
  subjectTemplate: true,
  bodyTemplate: true,
  kind: true,
} as const satisfies ArgKeys<EmailAlertRule>;

/** The names of `EmailTransport` (every kind's). */
export const EMAIL_TRANSPORT_KEYS = { kind: true, dataLocation: true, communicationServiceId: true, hostName: true, senderAddress: true, domain: true } as const satisfies ArgKeys<EmailTransport>;

/** Unknown names in `EmailAlertsArgs`, its rules and its transport. */
export function unknownEmailAlertsArgs(args: EmailAlertsArgs): string[] {
  return [
    ...unknownArgumentProblems(args, EMAIL_ALERTS_ARG_KEYS),
    ...unknownArgumentProblemsInList(args.alerts, EMAIL_ALERT_RULE_KEYS, "alerts"),
    ...unknownArgumentProblems(args.email, EMAIL_TRANSPORT_KEYS, "email."),
  ];
}

/**
 * The Azure names of the component's subscriptions: `{name}-alerts` for the event types other than
 * RunStatusChanged, `{name}-run-status` for RunStatusChanged (filtered on the alerting statuses), and
 * `{name}-breach` for model monitor breach rules (filtered on the breach tag, so the Completed runs a
 * breach ends with are delivered without delivering every completed run).
 */
export function emailAlertsSubscriptionNames(name: string, alerts?: readonly EmailAlertEvent[]): string[] {
  const usable = alerts?.filter((e) => typeof e === "string" || (typeof e === "object" && e !== null));
  const rules = alertRules(usable);
  const status = rules.some((r) => r.eventType === AmlEventType.RunStatusChanged && r.kind !== "modelMonitorBreach");
  const breach = rules.some((r) => r.kind === "modelMonitorBreach");
  const other = rules.some((r) => r.eventType !== AmlEventType.RunStatusChanged);
  return [...(other ? [`${name}-alerts`] : []), ...(status ? [`${name}-run-status`] : []), ...(breach ? [`${name}-breach`] : [])];
}

/** The breach rules' subscription filter: Microsoft's breach filter (the tag, unscoped) and the rules' statuses. */
export function breachAlertFilter(breachRules: readonly EmailAlertRule[]): EventFilter {
  const base = modelMonitorBreachFilter();
  const statuses = [...new Set(breachRules.flatMap((r) => (r.runStatuses ?? []).map((x) => x.toLowerCase())))];
  return statuses.length === 0 ? base : { ...base, advancedFilters: [...(base.advancedFilters ?? []), advanced.stringIn("data.runStatus", ...statuses)] };
}

/** Checks the arguments known at construction; each message names the argument, the value and the fix. */
export function validateEmailAlertsArgs(name: string, args: EmailAlertsArgs): string[] {
  const problems: string[] = [];
  problems.push(...unknownEmailAlertsArgs(args));
  problems.push(...componentNameProblems(undefined, name));
  problems.push(...interfaceProblems(`EmailAlerts("${name}")`, args, EMAIL_SHAPE));
  const delivery: DeliveryOptions = {
    ...(args.maxDeliveryAttempts !== undefined ? { maxDeliveryAttempts: args.maxDeliveryAttempts } : {}),
    ...(args.eventTimeToLiveInMinutes !== undefined ? { eventTimeToLiveInMinutes: args.eventTimeToLiveInMinutes } : {}),
  };
  problems.push(...validateDeliveryOptions("", delivery));
  problems.push(...validateIsolationArgs("", args, EMAIL_ISOLATION));
  problems.push(...eventSourceProblems("", args), ...previousAlertForms(args.alerts));
  const events: SubscriptionNames | undefined = isEventSource(args.events) ? args.events : undefined;
  for (const sub of Array.isArray(args.alerts) || args.alerts === undefined ? emailAlertsSubscriptionNames(name, args.alerts) : []) {
    problems.push(...subscriptionNameClash(events, sub, { derived: `EmailAlerts names its subscriptions {name}-alerts, {name}-run-status and {name}-breach` }));
  }
  if (args.recipients === undefined) problems.push("recipients is required: give the addresses that receive alerts.");
  else if (Array.isArray(args.recipients)) {
    const noRuleRecipients = Array.isArray(args.alerts) || args.alerts === undefined ? alertRules(args.alerts).some((r) => r.recipients === undefined) : false;
    if (args.recipients.length === 0 && noRuleRecipients) problems.push("recipients is empty; give at least one email address (or recipients on every rule).");
  }
  const definitionProblems = validateEmailDefinitionOptions({ ...args, recipients: args.recipients ?? [], channel: args.email?.kind === "office365" ? "office365" : "communicationServices" });
  problems.push(...definitionProblems);
  const t = args.email;
  if (t?.kind === "communicationServices" && t.dataLocation !== undefined && t.dataLocation.trim() === "") {
    problems.push('email.dataLocation is empty; use a data location such as "Europe" or "United States".');
  }
  problems.push(...kindProblems("email", t, EMAIL_TRANSPORT_KINDS));
  if (t?.kind === "communicationServices") problems.push(...validateEmailDomain(t.domain));
  // The volume estimate reads the rules: only once they are well-formed (their problems are reported above).
  if (definitionProblems.length === 0) {
    try {
      estimateAlertVolume(args.alerts, args.alertVolumeAssumptions);
    } catch (e) {
      problems.push(`alertVolumeAssumptions: ${(e as Error).message}`);
    }
  }
  if (t?.kind === "existingCommunicationServices" && typeof t.communicationServiceId === "string" && !/\/providers\/Microsoft\.Communication\/communicationServices\/[^/]+$/i.test(t.communicationServiceId)) {
    problems.push(
      `email.communicationServiceId ${JSON.stringify(t.communicationServiceId)} is not a Communication Service ARM id; expected /subscriptions/…/providers/Microsoft.Communication/communicationServices/{name}.`,
    );
  }
  return [...new Set(problems)];
}

/** An event type given alone in `alerts` is the previous form: name the rule to write instead. */
function previousAlertForms(alerts: unknown): string[] {
  if (!Array.isArray(alerts)) return [];
  return alerts.flatMap((a: unknown, i) =>
    typeof a === "string" ? [`alerts[${i}] ${JSON.stringify(a)} is the previous form; write { eventType: ${JSON.stringify(a)} } (a rule with that event type's defaults).`] : [],
  );
}

/** The previous token, kept as an alias so stacks created before the multi-language tokens are not replaced. */
export const EMAIL_ALERTS_LEGACY_TYPE = "aml-events:notifications:EmailAlerts";

/** EmailAlerts' TypeScript-only parts (see `HiddenParts`). */
interface EmailAlertsParts {
  definition: WorkflowDefinition;
  workflow: logic.Workflow;
  subscriptions: eventgrid.SystemTopicEventSubscription[];
  roleDefinition: authorization.RoleDefinition;
  alertVolume: AlertVolumeEstimate;
}
const EMAIL_PARTS = new HiddenParts<EmailAlerts, EmailAlertsParts>();

/**
 * Email alerts for an Azure Machine Learning workspace: a Consumption Logic App (system-assigned
 * identity) subscribed to the workspace's system topic sends one email per matching event. By
 * default mail goes through Azure Communication Services with the workflow's managed identity and a
 * least-privilege custom role scoped to that one Communication Service — nothing to click after
 * `pulumi up`. The Office 365 channel needs a one-time consent, listed in `manualSteps`.
 */
export class EmailAlerts extends pulumi.ComponentResource {
  /** Pulumi type token. */
  static readonly __type = "aml-events:index:EmailAlerts";

  /** The Logic App's ARM id. */
  readonly workflowId: pulumi.Output<string>;
  /** Principal id of the identity the Logic App acts with: its system-assigned one, or the user-assigned one of `managedIdentities`. */
  readonly principalId: pulumi.Output<string>;
  /** The Request trigger's callback URL (secret: it carries the `sig`). */
  readonly callbackUrl: pulumi.Output<string>;
  /** The sender address (ACS channels). */
  readonly senderAddress?: pulumi.Output<string>;
  /** The Communication Service the workflow sends through (ACS channels). */
  readonly communicationServiceId?: pulumi.Output<string>;
  /** Steps a person must do once before mail flows: Office 365 consent, or a customer-managed domain's DNS records and verification. */
  readonly manualSteps: pulumi.Output<string[]>;
  /** DNS records a created customer-managed domain needs before it can be verified (empty for other domains). */
  readonly verificationRecords: pulumi.Output<DomainDnsRecord[]>;
  /** Whether mail leaves through an Azure-managed domain (5 emails a minute, 10 an hour per subscription). */
  readonly azureManagedDomain: boolean;

  /** The workflow definition (plain JSON), as deployed. */
  get definition(): WorkflowDefinition {
    return EMAIL_PARTS.required(this, "definition");
  }
  /** The Logic App. */
  get workflow(): logic.Workflow {
    return EMAIL_PARTS.required(this, "workflow");
  }
  /**
   * The Event Grid subscriptions delivering to the workflow: `{name}-alerts` for the event types,
   * `{name}-run-status` for RunStatusChanged filtered on the alerting statuses (so other status changes
   * never start a run), and `{name}-breach` for breach rules, filtered on the breach tag.
   */
  get subscriptions(): eventgrid.SystemTopicEventSubscription[] {
    return EMAIL_PARTS.required(this, "subscriptions");
  }
  /** The custom role allowing the send (created ACS channels). */
  get roleDefinition(): authorization.RoleDefinition | undefined {
    return EMAIL_PARTS.of(this).roleDefinition;
  }
  /** Estimated emails per hour and per peak minute of the configured rules. */
  get alertVolume(): AlertVolumeEstimate {
    return EMAIL_PARTS.required(this, "alertVolume");
  }

  constructor(name: string, args: EmailAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(EmailAlerts.__type, name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: EMAIL_ALERTS_LEGACY_TYPE }] });
    EMAIL_PARTS.of(this).subscriptions = [];
    const problems = validateEmailAlertsArgs(name, args);
    if (problems.length > 0) throw new pulumi.ResourceError(`EmailAlerts("${name}"):\n${problems.join("\n")}`, this);

    const events = resolveEventSource(this, name, args, args.tags, args.managedIdentities);
    const acting = actingIdentity(args.managedIdentities, false);
    const resourceGroupName = pulumi.output(args.resourceGroupName ?? events.resourceGroupName);
    const location = pulumi.output(args.location ?? events.location);
    const tags = { ...(args.tags ?? {}) };
    const transport: EmailTransport = args.email ?? { kind: "communicationServices" };
    const channel = transport.kind === "office365" ? "office365" : "communicationServices";
    EMAIL_PARTS.of(this).definition = buildEmailAlertsDefinition({
      recipients: args.recipients,
      ...(args.alerts !== undefined ? { alerts: args.alerts } : {}),
      ...(args.subjectTemplate !== undefined ? { subjectTemplate: args.subjectTemplate } : {}),
      ...(args.bodyTemplate !== undefined ? { bodyTemplate: args.bodyTemplate } : {}),
      channel,
    });

    const parameters: Record<string, pulumi.Input<{ value: pulumi.Input<unknown> }>> = {
      [WORKSPACE_PARAMETER]: { value: events.workspaceId },
    };
    let serviceId: pulumi.Output<string> | undefined;
    const grantsNeeded: pulumi.Resource[] = [];
    let manualSteps: string[] = [];
    let domainSteps: pulumi.Output<string[]> = pulumi.output([]);
    let verificationRecords: pulumi.Output<DomainDnsRecord[]> = pulumi.output([]);
    let azureManaged = false;

    switch (transport.kind) {
      case "communicationServices": {
        const acs = createAcsEmailStack(
          name,
          { resourceGroupName, ...(transport.dataLocation !== undefined ? { dataLocation: transport.dataLocation } : {}), domain: transport.domain ?? { kind: "azureManaged" }, tags },
          this,
        );
        serviceId = acs.communicationServiceId;
        parameters[EMAIL_ENDPOINT_PARAMETER] = { value: pulumi.interpolate`https://${acs.hostName}` };
        this.senderAddress = acs.senderAddress;
        parameters[SENDER_ADDRESS_PARAMETER] = { value: this.senderAddress };
        verificationRecords = acs.verificationRecords;
        domainSteps = acs.manualSteps;
        azureManaged = acs.azureManaged;
        break;
      }
      case "existingCommunicationServices":
        // kindProblems made these three required for this kind.
        serviceId = pulumi.output(transport.communicationServiceId ?? "");
        parameters[EMAIL_ENDPOINT_PARAMETER] = { value: pulumi.interpolate`https://${transport.hostName ?? ""}` };
        this.senderAddress = pulumi.output(transport.senderAddress ?? "");
        parameters[SENDER_ADDRESS_PARAMETER] = { value: this.senderAddress };
        break;
      case "office365": {
        const apiId = pulumi
          .all([events.workspaceId, location])
          .apply(([ws, loc]) => `${subscriptionOf(ws) ?? ""}/providers/Microsoft.Web/locations/${loc}/managedApis/office365`);
        const connection = new web.Connection(
          `${name}-office365`,
          { resourceGroupName, location, properties: { displayName: `${name} alerts (Office 365 Outlook)`, api: { id: apiId } }, tags },
          { parent: this },
        );
        parameters[CONNECTIONS_PARAMETER] = { value: { office365: { connectionId: connection.id, connectionName: connection.name, id: apiId } } };
        manualSteps = [OFFICE365_CONSENT_STEP];
        break;
      }
      default: {
        throw new pulumi.ResourceError(`EmailAlerts("${name}"): unknown email transport ${JSON.stringify(transport)}`, this);
      }
    }

    EMAIL_PARTS.of(this).workflow = new logic.Workflow(
      `${name}-workflow`,
      {
        resourceGroupName,
        location,
        identity: identityBlock(args.managedIdentities, "Microsoft.Logic/workflows", false),
        state: "Enabled",
        definition: definitionActingAs(this.definition, acting),
        parameters,
        tags: { ...tags, ...SAS_TRIGGER_TAG },
      },
      { parent: this },
    );
    this.workflowId = this.workflow.id;
    this.principalId = actingPrincipalId(acting, this.workflow.identity.apply((i) => i?.principalId ?? ""), { parent: this });

    if (serviceId !== undefined) {
      const scope = serviceId;
      const guid = scope.apply((s) => deterministicGuid("aml-events-acs-email-sender", s.toLowerCase()));
      const roleDefinition = new authorization.RoleDefinition(
        `${name}-sender-role`,
        {
          roleDefinitionId: guid,
          scope: scope.apply((s) => subscriptionOf(s) ?? s),
          roleName: pulumi.interpolate`AML alerts email sender (${guid})`,
          description: "Send email through one Azure Communication Services resource with Entra ID (least privilege instead of Contributor).",
          roleType: "CustomRole",
          permissions: [{ actions: [...ACS_EMAIL_SENDER_ACTIONS], notActions: [], dataActions: [], notDataActions: [] }],
          // Assignable in the service's resource group, assigned on the service alone: Microsoft advises
          // against custom roles assignable at a resource instance ("Understand Azure role definitions",
          // AssignableScopes); the assignment's scope is what limits access.
          assignableScopes: [scope.apply((s) => resourceGroupOf(s) ?? s)],
        },
        { parent: this },
      );
      EMAIL_PARTS.of(this).roleDefinition = roleDefinition;
      const roleDefinitionId = pulumi.all([scope, guid, roleDefinition.id]).apply(([s, g]) => roleDefinitionIdFor(s, g));
      grantsNeeded.push(
        assignRole(
          `${name}-sender`,
          { scope, principalId: this.principalId, role: { roleDefinitionId }, description: "EmailAlerts workflow sends mail through this Communication Service." },
          { parent: this, dependsOn: [roleDefinition] },
        ),
      );
      this.communicationServiceId = scope;
    }

    const destination = new LogicAppDestination({
      resourceGroupName,
      workflowName: this.workflow.name,
      triggerName: EVENT_TRIGGER_NAME,
      workflow: this.workflow,
      description: `Logic App ${name} (email alerts)`,
    });
    this.callbackUrl = destination.callbackUrl;
    // alertRules gives every RunStatusChanged rule its statuses, so RunStatusChanged always gets
    // its own subscription filtered on data.runStatus: other status changes never start a run.
    const rules = alertRules(args.alerts);
    const statusRules = rules.filter((r) => r.eventType === AmlEventType.RunStatusChanged && r.kind !== "modelMonitorBreach");
    const breachRules = rules.filter((r) => r.kind === "modelMonitorBreach");
    const splitStatus = statusRules.length > 0 || breachRules.length > 0;
    const delivery = {
      destination,
      dependsOn: grantsNeeded,
      ...(args.maxDeliveryAttempts !== undefined ? { maxDeliveryAttempts: args.maxDeliveryAttempts } : {}),
      ...(args.eventTimeToLiveInMinutes !== undefined ? { eventTimeToLiveInMinutes: args.eventTimeToLiveInMinutes } : {}),
    };
    const types = [...new Set(rules.map((r) => r.eventType))].filter((t) => !(splitStatus && t === AmlEventType.RunStatusChanged));
    if (types.length > 0) {
      this.subscriptions.push(
        events.subscribe(`${name}-alerts`, {
          ...delivery,
          filter: { includedEventTypes: types },
        }),
      );
    }
    if (statusRules.length > 0) {
      const statuses = [...new Set(statusRules.flatMap((r) => (r.runStatuses ?? []).map((x) => x.toLowerCase())))];
      this.subscriptions.push(events.subscribe(`${name}-run-status`, { ...delivery, filter: runStatusIn(...statuses) }));
    }
    if (breachRules.length > 0) this.subscriptions.push(events.subscribe(`${name}-breach`, { ...delivery, filter: breachAlertFilter(breachRules) }));
    this.manualSteps = domainSteps.apply((steps) => [...manualSteps, ...steps]);
    this.verificationRecords = verificationRecords;
    this.azureManagedDomain = azureManaged;
    EMAIL_PARTS.of(this).alertVolume = estimateAlertVolume(args.alerts, args.alertVolumeAssumptions);
    if (azureManaged) {
      for (const w of quotaExceedances(this.alertVolume)) void pulumi.log.warn(`EmailAlerts(${name}): ${w}`, this);
    }

    applyInterfaces(name, args, { main: { id: this.workflowId, what: "the alerting Logic App" }, diagnostics: [{ label: "", type: "Microsoft.Logic/workflows", resourceId: this.workflowId }] }, this);
    // Only the primary id goes to state: every registered output costs a serialization per component.
    this.registerOutputs({ workflowId: this.workflowId });
  }
}
