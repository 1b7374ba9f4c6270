/**
 * AVM `lock`: one `authorization.ManagementLockByScope` on the component's main resource. A lock on a
 * resource is inherited by its child resources (REST "Management Locks": "When you apply a lock at a
 * parent scope, all child resources inherit the same lock"), so a `CanNotDelete` lock also blocks
 * deleting (and so replacing) them, and `ReadOnly` blocks every change. Creating or deleting a lock
 * needs `Microsoft.Authorization/locks/*` (of the built-in roles, Owner and User Access Administrator).
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { Lock } from "./types";

/** The inputs of the lock resource (pure). */
export function lockArgs(name: string, lock: Lock, scope: pulumi.Input<string>, what: string): authorization.ManagementLockByScopeArgs {
  return {
    scope,
    level: lock.kind,
    lockName: lock.name ?? `${name}-lock`,
    notes: lock.notes ?? `Protects ${what} of ${name}.`,
  };
}

/**
 * Creates the lock as `${name}-lock` (Pulumi name and default lock name). `what` names the locked
 * resource in the default notes. Pass `dependsOn` with the children the lock must outlive at
 * destroy time (resources are destroyed in reverse dependency order, so the lock goes first).
 */
export function createLock(name: string, lock: Lock | undefined, scope: pulumi.Input<string>, what: string, opts: pulumi.CustomResourceOptions): authorization.ManagementLockByScope | undefined {
  if (lock === undefined) return undefined;
  return new authorization.ManagementLockByScope(`${name}-lock`, lockArgs(name, lock, scope, what), opts);
}
