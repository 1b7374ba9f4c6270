/**
 * The sender domain of the created Azure Communication Services email stack: Azure-managed (the
 * default), a customer-managed domain this stack creates, or an existing verified domain.
 *
 * Sources (Microsoft Learn): "Quickstart: How to add custom verified email domains" — a custom domain
 * is verified by a TXT record, and SPF and DKIM/DKIM2 records authenticate the sender; "Quickstart: How
 * to connect a verified email domain" — a domain must be fully verified before it is linked to a
 * Communication Service, and only within the same data geography; "Quickstart: How to add and remove
 * multiple email sender addresses" — every domain has the default `DoNotReply` sender, and extra
 * sender usernames can't be enabled on Azure-managed domains or on custom domains with the default
 * sending limits. ARM shapes: azure-native 3.x `communication.Domain` (`domainManagement`
 * `AzureManaged` | `CustomerManaged`, output `verificationRecords` {Domain, SPF, DKIM, DKIM2, DMARC}
 * of {name, type, value, ttl}) and `communication.SenderUsername` (`username`, `displayName`).
 */
import type * as outputs from "@pulumi/azure-native/types/output";
import { KindFields, kindProblems } from "../arm/kinds";

/** The sender every ACS email domain has without a SenderUsername resource. */
export const DEFAULT_SENDER_USERNAME = "DoNotReply";

/** Which domain the created Email Communication Service sends from. */
export const EmailDomainKind = {
  /** An Azure-managed `…azurecomm.net` domain: no DNS work, but 5 emails a minute and 10 an hour per subscription. */
  AzureManaged: "azureManaged",
  /** Create a customer-managed domain; add the DNS records in `verificationRecords` and verify it before mail flows. */
  CustomerManaged: "customerManaged",
  /** A verified domain that already exists (in the same data geography as `dataLocation`). */
  Existing: "existing",
} as const;
/** Which domain the created Email Communication Service sends from. */
export type EmailDomainKind = (typeof EmailDomainKind)[keyof typeof EmailDomainKind];

/** The sender domain: a `kind` and that kind's fields (checked at construction). */
export interface EmailDomain {
  /** `azureManaged` (no DNS work, 5 emails a minute and 10 an hour), `customerManaged` (created here; DNS records to add) or `existing` (a verified domain). */
  readonly kind: EmailDomainKind;
  /** kind customerManaged (required): the DNS domain mail is sent from, e.g. `alerts.contoso.com`. @default - none */
  readonly domainName?: string;
  /**
   * kind customerManaged: set to true once Azure shows the domain verified: then the domain is linked to the
   * Communication Service (Azure refuses to link an unverified domain) and a custom sender username is created.
   * @default false
   */
  readonly verified?: boolean;
  /** kind existing (required): ARM id `/subscriptions/…/providers/Microsoft.Communication/emailServices/{service}/domains/{domain}`. @default - none */
  readonly domainId?: string;
  /** kinds customerManaged and existing: local part of the sender address; other than DoNotReply needs raised sending limits on the domain. @default "DoNotReply" */
  readonly senderUsername?: string;
  /** kinds customerManaged and existing: display name of a custom sender username. @default - none */
  readonly senderDisplayName?: string;
}

/** The fields of each `EmailDomain` kind. */
export const EMAIL_DOMAIN_KINDS: KindFields = {
  azureManaged: {},
  customerManaged: { required: ["domainName"], optional: ["verified", "senderUsername", "senderDisplayName"] },
  existing: { required: ["domainId"], optional: ["senderUsername", "senderDisplayName"] },
};

const DOMAIN_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Communication\/emailServices\/([^/]+)\/domains\/([^/]+)$/i;
const DNS_NAME = /^(?=.{4,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
/**
 * The local part of a sender: RFC 5322 dot-atom restricted to what is also a safe ARM resource name
 * (the username is the SenderUsername's name in the URL): letters, digits, `.`, `_`, `-`, `+`; no
 * leading, trailing or doubled dot; at most 64 characters (RFC 5321 §4.5.3.1.1). Microsoft documents
 * no stricter rule for ACS sender usernames.
 */
const LOCAL_PART = /^(?=.{1,64}$)[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*$/;

/** Resource group, email service and domain names of an email domain ARM id, or undefined. */
export function parseDomainId(id: string): { resourceGroupName: string; emailServiceName: string; domainName: string } | undefined {
  const m = DOMAIN_ID.exec(id);
  return m ? { resourceGroupName: m[1], emailServiceName: m[2], domainName: m[3] } : undefined;
}

/** Checks `email.domain`; each message names the argument, the value and the fix. */
export function validateEmailDomain(domain: EmailDomain | undefined): string[] {
  if (domain === undefined) return [];
  const problems: string[] = kindProblems("email.domain", domain, EMAIL_DOMAIN_KINDS);
  // From here the kind is one of the three and carries only its own fields.
  if (problems.length > 0) return problems;
  if (domain.kind === "customerManaged" && !DNS_NAME.test(domain.domainName ?? "")) {
    problems.push(`email.domain.domainName ${JSON.stringify(domain.domainName)} is not a DNS domain name; give the domain mail is sent from, e.g. "alerts.contoso.com".`);
  }
  if (domain.kind === "existing" && !parseDomainId(domain.domainId ?? "")) {
    problems.push(
      `email.domain.domainId ${JSON.stringify(domain.domainId)} is not an email domain ARM id; expected /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Communication/emailServices/{service}/domains/{domain}.`,
    );
  }
  if (domain.kind === "customerManaged" || domain.kind === "existing") {
    const user = domain.senderUsername;
    if (user !== undefined && !LOCAL_PART.test(user)) {
      problems.push(
        `email.domain.senderUsername ${JSON.stringify(user)} is not a valid sender username; use 1-64 letters, digits, ".", "_", "-" or "+", ` +
          `without "@", spaces or a leading, trailing or doubled dot (e.g. "ml-alerts").`,
      );
    }
    if (domain.senderDisplayName !== undefined && (user === undefined || user.toLowerCase() === DEFAULT_SENDER_USERNAME.toLowerCase())) {
      problems.push(`email.domain.senderDisplayName is set without a custom senderUsername; give senderUsername (e.g. "ml-alerts") or drop senderDisplayName.`);
    }
  }
  return problems;
}

/** One DNS record a customer-managed domain needs. */
export interface DomainDnsRecord {
  /** What it proves: `Domain` (ownership), `SPF`, `DKIM`, `DKIM2`, `DMARC`. */
  readonly purpose: string;
  /** The DNS record type to create: `TXT` or `CNAME`. */
  readonly type: string;
  /** The record's name (host) in your DNS zone. */
  readonly name: string;
  /** The record's value. */
  readonly value: string;
  /** Time to live in seconds, as Azure suggests it. */
  readonly ttl: number;
}

/** The records of a Domain's `verificationRecords` output, in a stable order, absent ones skipped. */
export function dnsRecordsOf(records: outputs.communication.DomainPropertiesVerificationRecordsResponse | undefined): DomainDnsRecord[] {
  if (records === undefined || records === null) return [];
  const byPurpose: [string, outputs.communication.DnsRecordResponse | undefined][] = [
    ["Domain", records.domain],
    ["SPF", records.sPF],
    ["DKIM", records.dKIM],
    ["DKIM2", records.dKIM2],
    ["DMARC", records.dMARC],
  ];
  return byPurpose.flatMap(([purpose, r]) => (r ? [{ purpose, type: r.type, name: r.name, value: r.value, ttl: r.ttl }] : []));
}

/** The one-time steps for a customer-managed domain that is not verified yet. */
export function verificationSteps(domainName: string, records: readonly DomainDnsRecord[], customSender: boolean): string[] {
  const list = records.length > 0 ? records.map((r) => `${r.purpose}: ${r.type} ${r.name} → ${r.value}`).join("; ") : "see the verificationRecords output";
  return [
    `Add the DNS records of ${domainName} (${list}), then verify each of Domain, SPF, DKIM and DKIM2: Azure portal → Email Communication Service → Provision domains → ${domainName}, or ` +
      `az communication email domain initiate-verification --verification-type <Domain|SPF|DKIM|DKIM2>. Then set email.domain.verified to true and run pulumi up: ` +
      `the domain is linked to the Communication Service only then, and mail fails until it is.`,
    ...(customSender ? [`Request higher sending limits for ${domainName} (Azure support, Service and Subscription Limits): a sender username other than DoNotReply is refused on default limits.`] : []),
  ];
}
