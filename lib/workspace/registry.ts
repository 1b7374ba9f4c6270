/**
 * Azure allows one system topic per source resource: a second one for the same workspace fails at
 * deploy time. This registry catches it at construction, per Pulumi project and stack.
 */
const claimed = new Map<string, string>();

/** Claims `workspaceId` for the component named `owner`; returns the previous owner if already claimed. */
export function claimWorkspace(project: string, stack: string, workspaceId: string, owner: string): string | undefined {
  // ARM ids compare case-insensitively, and a trailing slash names the same workspace.
  const key = `${project}/${stack}/${workspaceId.trim().replace(/\/+$/, "").toLowerCase()}`;
  const previous = claimed.get(key);
  if (previous === undefined) claimed.set(key, owner);
  return previous;
}

/** Forgets every claim. For harnesses that construct the same program several times in one process (bench, tests). */
export function releaseWorkspaceClaims(): void {
  claimed.clear();
}
