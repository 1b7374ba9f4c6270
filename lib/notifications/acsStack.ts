import * as communication from "@pulumi/azure-native/communication";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_SENDER_USERNAME, DomainDnsRecord, dnsRecordsOf, EmailDomain, parseDomainId, verificationSteps } from "./acsDomain";

/** What the created ACS email stack gives the workflow. */
export interface AcsEmailStack {
  readonly communicationServiceId: pulumi.Output<string>;
  readonly hostName: pulumi.Output<string>;
  readonly senderAddress: pulumi.Output<string>;
  /** DNS records a customer-managed domain needs (empty otherwise). */
  readonly verificationRecords: pulumi.Output<DomainDnsRecord[]>;
  readonly manualSteps: pulumi.Output<string[]>;
  /** Whether mail leaves through an Azure-managed domain (5/minute, 10/hour per subscription). */
  readonly azureManaged: boolean;
}

/** Inputs of {@link createAcsEmailStack}. */
export interface AcsEmailStackArgs {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly dataLocation?: string;
  readonly domain: EmailDomain;
  readonly tags: Record<string, string>;
}

interface SenderDomain {
  readonly id: pulumi.Output<string>;
  readonly fromSenderDomain: pulumi.Output<string>;
  readonly link: boolean;
  readonly records: pulumi.Output<DomainDnsRecord[]>;
  readonly steps: pulumi.Output<string[]>;
  /** Where a SenderUsername goes, when one is created. */
  readonly parent?: { readonly resourceGroupName: pulumi.Input<string>; readonly emailServiceName: pulumi.Input<string>; readonly domainName: pulumi.Input<string> };
  readonly dataLocation: pulumi.Input<string>;
}

function createdDomain(name: string, args: AcsEmailStackArgs, opts: pulumi.CustomResourceOptions): SenderDomain {
  const { resourceGroupName, tags } = args;
  const dataLocation = args.dataLocation ?? "Europe";
  const emailService = new communication.EmailService(`${name}-service`, { resourceGroupName, location: "global", dataLocation, tags }, opts);
  const custom = args.domain.kind === "customerManaged" ? args.domain : undefined;
  const domain = new communication.Domain(
    `${name}-domain`,
    {
      resourceGroupName,
      emailServiceName: emailService.name,
      domainName: custom ? custom.domainName : "AzureManagedDomain",
      location: "global",
      domainManagement: custom ? "CustomerManaged" : "AzureManaged",
      userEngagementTracking: "Disabled",
      tags,
    },
    opts,
  );
  const verified = custom?.verified === true;
  const customSender = custom?.senderUsername !== undefined && custom.senderUsername.toLowerCase() !== DEFAULT_SENDER_USERNAME.toLowerCase();
  const records = custom ? domain.verificationRecords.apply((r) => dnsRecordsOf(r)) : pulumi.output([]);
  return {
    id: domain.id,
    fromSenderDomain: domain.fromSenderDomain,
    link: custom === undefined || verified,
    records,
    steps: custom && !verified ? records.apply((r) => verificationSteps(custom.domainName ?? "", r, customSender)) : pulumi.output([]),
    ...(custom && verified ? { parent: { resourceGroupName, emailServiceName: emailService.name, domainName: domain.name } } : {}),
    dataLocation,
  };
}

function existingDomain(domainId: string, args: AcsEmailStackArgs, opts: pulumi.InvokeOutputOptions): SenderDomain {
  const parts = parseDomainId(domainId);
  if (parts === undefined) throw new Error(`email.domain.domainId ${JSON.stringify(domainId)} is not an email domain ARM id`);
  const existing = communication.getDomainOutput(parts, opts);
  return {
    id: pulumi.output(domainId),
    fromSenderDomain: existing.fromSenderDomain,
    link: true,
    records: pulumi.output([]),
    steps: pulumi.output([]),
    parent: parts,
    dataLocation: args.dataLocation ?? existing.dataLocation,
  };
}

/**
 * Creates the Email Communication Service and its domain (or reads an existing domain), the
 * Communication Service linking it once it can be linked, and a SenderUsername when a custom one is
 * asked for on a linked customer domain. `name` is the EmailAlerts name; children keep their names.
 */
export function createAcsEmailStack(name: string, args: AcsEmailStackArgs, parent: pulumi.Resource): AcsEmailStack {
  const opts = { parent };
  const d = args.domain;
  const domain = d.kind === "existing" ? existingDomain(d.domainId ?? "", args, opts) : createdDomain(name, args, opts);
  const acs = new communication.CommunicationService(
    `${name}-acs`,
    { resourceGroupName: args.resourceGroupName, location: "global", dataLocation: domain.dataLocation, linkedDomains: domain.link ? [domain.id] : [], tags: args.tags },
    opts,
  );
  const wanted = d.kind === "azureManaged" ? undefined : d.senderUsername;
  if (d.kind !== "azureManaged" && wanted !== undefined && wanted.toLowerCase() !== DEFAULT_SENDER_USERNAME.toLowerCase() && domain.parent) {
    const sender = new communication.SenderUsername(
      `${name}-sender-username`,
      { ...domain.parent, senderUsername: wanted, username: wanted, ...(d.senderDisplayName !== undefined ? { displayName: d.senderDisplayName } : {}) },
      opts,
    );
    return stack(acs, pulumi.interpolate`${sender.username}@${domain.fromSenderDomain}`, domain, d);
  }
  // Until a customer domain is verified (and linked) only the default sender exists.
  return stack(acs, pulumi.interpolate`${DEFAULT_SENDER_USERNAME}@${domain.fromSenderDomain}`, domain, d);
}

function stack(acs: communication.CommunicationService, senderAddress: pulumi.Output<string>, domain: SenderDomain, d: EmailDomain): AcsEmailStack {
  return {
    communicationServiceId: acs.id,
    hostName: acs.hostName,
    senderAddress,
    verificationRecords: domain.records,
    manualSteps: domain.steps,
    // Azure names every Azure-managed domain AzureManagedDomain.
    azureManaged: d.kind === "azureManaged" || (d.kind === "existing" && parseDomainId(d.domainId ?? "")?.domainName.toLowerCase() === "azuremanageddomain"),
  };
}
