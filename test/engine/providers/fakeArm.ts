/**
 * The fake provider's memory of what "exists" in ARM, kept in one JSON file so that it survives
 * between the CLI's provider processes (`pulumi up`, then `pulumi destroy`). It enforces the one ARM
 * rule the tests rely on: a resource under a management lock cannot be deleted until the lock is.
 * "When you apply a lock at a parent scope, all child resources inherit the same lock" (Microsoft
 * Learn, Management Locks - Create Or Update At Resource Level,
 * https://learn.microsoft.com/rest/api/resources/management-locks/create-or-update-at-resource-level);
 * ARM answers 409 ScopeLocked with the message below (as reported for child resources such as blob
 * containers under a locked storage account, github.com/microsoft/AzureTRE/issues/4664). Deleting a
 * resource removes its children (ids under its own) with it.
 */
import * as fs from "node:fs";

const LOCK_TYPE = "azure-native:authorization:ManagementLockByScope";

interface ArmStore {
  /** ARM id -> type token; for locks, the locked scope too. */
  resources: Record<string, { type: string; scope?: string }>;
}

function file(): string | undefined {
  return process.env.AML_EVENTS_FAKE_ARM_STATE || undefined;
}

function load(): ArmStore {
  const f = file();
  if (f === undefined || !fs.existsSync(f)) return { resources: {} };
  return JSON.parse(fs.readFileSync(f, "utf8")) as ArmStore;
}

function save(store: ArmStore): void {
  const f = file();
  if (f !== undefined) fs.writeFileSync(f, JSON.stringify(store, null, 2));
}

/** Records a created resource (and the scope a lock protects). */
export function remember(id: string, type: string, scope?: string): void {
  const store = load();
  store.resources[id] = { type, ...(type === LOCK_TYPE && scope ? { scope } : {}) };
  save(store);
}

/** Deletes a resource, refusing like ARM's `ScopeLocked` while a lock covers it. */
export function forget(id: string, type: string): void {
  const store = load();
  if (type !== LOCK_TYPE) {
    const lock = Object.entries(store.resources).find(([, r]) => r.scope !== undefined && (id === r.scope || id.startsWith(`${r.scope}/`)));
    if (lock) {
      throw new Error(`ScopeLocked: The scope '${id}' cannot perform delete operation because following scope(s) are locked: '${lock[1].scope}'. Please remove the lock and try again.`);
    }
  }
  // Deleting a resource deletes its child resources with it (e.g. a factory's managed virtual network,
  // which has no delete operation of its own and is kept on delete by the program).
  for (const known of Object.keys(store.resources)) if (known === id || known.startsWith(`${id}/`)) delete store.resources[known];
  save(store);
}
