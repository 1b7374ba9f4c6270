/**
 * What each component does with the AVM interfaces, in one place: the checks that depend on what the
 * component creates (pure), and the resources (diagnostic settings, extra role grants, the lock).
 */
import * as pulumi from "@pulumi/pulumi";
import { createDiagnosticSettings, diagnosticCoverageProblems, DiagnosticResourceType, diagnosticSinkProblems, DiagnosticTarget } from "./diagnostics";
import { IdentityResourceType, identitySupportProblems } from "./identities";
import { createLock } from "./lock";
import { createRoleAssignments } from "./roleAssignments";
import { AvmInterfaces } from "./types";
import { validateAvmInterfaces } from "./validate";

/** What a component creates, as the interface checks need to know it. */
export interface InterfaceShape {
  /** Why there is no main resource to lock or grant on (e.g. an existing hub is used); undefined when there is one. */
  readonly noMainResource?: string;
  /** Types of the created resources diagnostic settings apply to. */
  readonly diagnosticTypes: readonly DiagnosticResourceType[];
  /** Identity-capable resources: type, and why the component needs its system identity there (undefined: it can act as a user-assigned one). */
  readonly identities: readonly (readonly [IdentityResourceType, string | undefined])[];
  /** The component's own work needs an identity (so `systemAssigned: false` without user-assigned ids is refused). @default false */
  readonly needsIdentity?: boolean;
  /** Why `managedIdentities` can't apply (no identity-capable resource); undefined when it can. */
  readonly noIdentity?: string;
  /**
   * Why a `ReadOnly` lock would break the component (a ReadOnly lock blocks POST operations on the
   * resource, such as listing keys or callback URLs: Learn, "Lock your resources to protect your
   * infrastructure", Considerations: https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources);
   * undefined when it wouldn't.
   */
  readonly readOnlyLockBreaks?: string;
}

/** Every interface problem of one component (pure): the generic checks plus what this component creates. */
export function interfaceProblems(where: string, args: AvmInterfaces, shape: InterfaceShape): string[] {
  const problems = validateAvmInterfaces(where, args, "", shape.needsIdentity ?? false);
  if (shape.noMainResource !== undefined) {
    if (args.lock !== undefined) problems.push(`${where}: lock is set, but ${shape.noMainResource}; lock that resource where it is managed, or drop lock.`);
    if (args.roleAssignments !== undefined && args.roleAssignments.length > 0) problems.push(`${where}: roleAssignments is set, but ${shape.noMainResource}; grant on that resource where it is managed, or drop roleAssignments.`);
  }
  if (args.lock?.kind === "ReadOnly" && shape.readOnlyLockBreaks !== undefined) {
    problems.push(`${where}: lock.kind "ReadOnly" would break the component: ${shape.readOnlyLockBreaks} (a ReadOnly lock blocks POST operations). Use "CanNotDelete".`);
  }
  if (args.managedIdentities !== undefined && shape.noIdentity !== undefined) {
    problems.push(`${where}: managedIdentities is set, but ${shape.noIdentity}; drop managedIdentities (see docs/avm-interfaces.md).`);
  }
  for (const [type, needs] of shape.identities) problems.push(...identitySupportProblems(where, "managedIdentities", args.managedIdentities, type, needs));
  problems.push(...diagnosticCoverageProblems(where, "diagnosticSettings", args.diagnosticSettings, shape.diagnosticTypes));
  problems.push(...diagnosticSinkProblems(where, "diagnosticSettings", args.diagnosticSettings, shape.diagnosticTypes));
  return problems;
}

/** The resources a component's interfaces apply to. */
export interface InterfaceTargets {
  /** The main resource (lock and role scope) and a few words naming it for the lock's notes. */
  readonly main?: { readonly id: pulumi.Input<string>; readonly what: string };
  /** The created resources diagnostic settings apply to. */
  readonly diagnostics: readonly DiagnosticTarget[];
  /** Resources the lock must outlive at destroy time (children of the main resource, subscriptions on it). */
  readonly lockDependsOn?: readonly pulumi.Resource[];
}

/**
 * Creates the diagnostic settings, the extra role grants on the main resource and the lock, as
 * children of `parent`. The lock depends on everything else the interfaces create and on
 * `lockDependsOn`, so `pulumi destroy` removes it first.
 */
export function applyInterfaces(name: string, args: AvmInterfaces, targets: InterfaceTargets, parent: pulumi.Resource): void {
  const settings = createDiagnosticSettings(name, args.diagnosticSettings, targets.diagnostics, { parent });
  if (targets.main === undefined) return;
  const grants = createRoleAssignments(name, args.roleAssignments, targets.main.id, { parent });
  createLock(name, args.lock, targets.main.id, targets.main.what, { parent, dependsOn: [...settings, ...grants, ...(targets.lockDependsOn ?? [])] });
}
