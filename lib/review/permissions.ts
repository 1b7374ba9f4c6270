/**
 * Permissions compared per identity: role assignments added or removed, a role moved to a wider or
 * narrower scope or swapped for another, and custom roles whose actions grew or shrank. Anything that
 * grants more is marked "privilege widened".
 */
import { ReviewGrant, ReviewPlan, ReviewRole } from "./read";
import { ChangeLine, DiffGroup, group } from "./types";

const WIDENED = "privilege widened" as const;

/** A scope in a reviewer's words: `Microsoft.Storage/storageAccounts/st1 in resource group rg-ml`. */
export function scopeLabel(scope: string): string {
  const rg = /\/resourceGroups\/([^/]+)/i.exec(scope)?.[1];
  const at = scope.toLowerCase().lastIndexOf("/providers/");
  if (at >= 0) return `${scope.slice(at + "/providers/".length)}${rg ? ` in resource group ${rg}` : ""}`;
  if (rg) return `resource group ${rg}`;
  const sub = /^\/subscriptions\/([^/]+)\/?$/i.exec(scope)?.[1];
  return sub ? `subscription ${sub}` : scope;
}

const fold = (s: string): string => s.toLowerCase().replace(/\/+$/, "");
const within = (inner: string, outer: string): boolean => fold(inner).startsWith(`${fold(outer)}/`);
const roleText = (g: ReviewGrant): string => `${g.role}${g.privileged ? " (privileged)" : ""}`;

function roleActions(roles: readonly ReviewRole[], resource: string | undefined): string[] | undefined {
  const r = roles.find((x) => x.resource === resource);
  return r ? [...r.actions, ...r.dataActions.map((a) => `data: ${a}`)] : undefined;
}

/** Grants of one identity compared; `rest` are the unmatched base grants after scope and role moves. */
function grantLines(before: readonly ReviewGrant[], after: readonly ReviewGrant[], base: ReviewPlan, head: ReviewPlan): ChangeLine[] {
  const same = (a: ReviewGrant, b: ReviewGrant): boolean => a.role === b.role && fold(a.scope) === fold(b.scope);
  const removed = before.filter((b) => !after.some((a) => same(a, b)));
  const added = after.filter((a) => !before.some((b) => same(a, b)));
  const lines: ChangeLine[] = [];
  for (const a of added) {
    const moved = removed.findIndex((b) => b.role === a.role && (within(b.scope, a.scope) || within(a.scope, b.scope)));
    const swapped = moved >= 0 ? -1 : removed.findIndex((b) => fold(b.scope) === fold(a.scope));
    if (moved >= 0) {
      const [b] = removed.splice(moved, 1);
      const wider = within(b.scope, a.scope);
      lines.push({ sign: "~", text: `${roleText(a)}: scope ${wider ? "widened" : "narrowed"} from ${scopeLabel(b.scope)} to ${scopeLabel(a.scope)}`, ...(wider ? { attention: WIDENED } : {}) });
    } else if (swapped >= 0) {
      const [b] = removed.splice(swapped, 1);
      const was = roleActions(base.permissions?.roles ?? [], b.customRole);
      const now = roleActions(head.permissions?.roles ?? [], a.customRole);
      const narrower = was !== undefined && now !== undefined && now.every((x) => was.includes(x)) && !a.privileged;
      lines.push({ sign: "~", text: `on ${scopeLabel(a.scope)}: role ${roleText(b)} → ${roleText(a)}`, ...(narrower ? {} : { attention: WIDENED }) });
    } else lines.push({ sign: "+", text: `${roleText(a)} on ${scopeLabel(a.scope)}`, attention: WIDENED });
  }
  for (const b of removed) lines.push({ sign: "-", text: `${roleText(b)} on ${scopeLabel(b.scope)}` });
  return lines;
}

/** Changes to the actions of a custom role both plans declare. */
function actionLines(role: string, was: readonly string[], now: readonly string[]): ChangeLine[] {
  return [
    ...now.filter((x) => !was.includes(x)).map((x): ChangeLine => ({ sign: "+", text: `custom role ${role} gains action ${x}`, attention: WIDENED })),
    ...was.filter((x) => !now.includes(x)).map((x): ChangeLine => ({ sign: "-", text: `custom role ${role} loses action ${x}` })),
  ];
}

function customRoleLines(grants: readonly ReviewGrant[], base: ReviewPlan, head: ReviewPlan): ChangeLine[] {
  const held = [...new Set(grants.map((g) => g.customRole).filter((r): r is string => r !== undefined))];
  return held.flatMap((resource) => {
    const was = roleActions(base.permissions?.roles ?? [], resource);
    const now = roleActions(head.permissions?.roles ?? [], resource);
    const name = head.permissions?.roles.find((r) => r.resource === resource)?.roleName ?? resource;
    return was && now ? actionLines(name, was, now) : [];
  });
}

/** One group per identity whose grants or held custom roles changed (identities sorted by name); nothing when a plan records no permissions. */
export function comparePermissions(base: ReviewPlan, head: ReviewPlan): DiffGroup[] {
  if (base.permissions === undefined || head.permissions === undefined) return [];
  const b = base.permissions?.grants ?? [];
  const h = head.permissions?.grants ?? [];
  const principals = [...new Set([...b, ...h].map((g) => g.principal))].sort();
  const byIdentity = principals.flatMap((p) => {
    const before = b.filter((g) => g.principal === p);
    const after = h.filter((g) => g.principal === p);
    return group(p, [...grantLines(before, after, base, head), ...customRoleLines(after.filter((a) => before.some((x) => x.customRole === a.customRole)), base, head)]);
  });
  const assigned = new Set(h.map((g) => g.customRole));
  const unassigned = (head.permissions?.roles ?? [])
    .filter((r) => !assigned.has(r.resource))
    .flatMap((r) => {
      const was = roleActions(base.permissions?.roles ?? [], r.resource);
      return was ? group(`custom role ${r.roleName} (assigned to no identity in the head)`, actionLines(r.roleName, was, roleActions([r], r.resource) ?? [])) : [];
    });
  return [...byIdentity, ...unassigned];
}
