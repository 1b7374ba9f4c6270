import * as assert from "assert";
import { MockedResource } from "../../lib/plan/mocks";
import { registered } from "../helpers/pulumi";
import { CASES, InterfaceCase, LAW, PRINCIPAL, READER, UAI } from "./cases";

const LOCK = "azure-native:authorization:ManagementLockByScope";
const DIAG = "azure-native:monitor:DiagnosticSetting";
const ROLE = "azure-native:authorization:RoleAssignment";

let counter = 0;
/** A fresh component name per test (tests share one mock engine). */
function fresh(c: InterfaceCase): string {
  counter += 1;
  return `avm${c.component.toLowerCase().slice(0, 6)}${counter}`;
}

/** The component's own children (not those of a WorkspaceEvents it created). */
function own(rs: MockedResource[], name: string): MockedResource[] {
  const component = rs.find((r) => r.name === name && !r.custom);
  return rs.filter((r) => r.parent === component?.urn);
}

function only(rs: MockedResource[], type: string, name?: string): MockedResource {
  const found = rs.filter((r) => r.type === type && (name === undefined || r.name === name));
  assert.strictEqual(found.length, 1, `one ${type}${name ? ` named ${name}` : ""}; got ${found.map((r) => r.name).join(", ") || "none"}`);
  return found[0];
}

/** Builds and expects a construction error that mentions every part. */
function refused(c: InterfaceCase, iface: Parameters<InterfaceCase["build"]>[1], ...parts: string[]): void {
  assert.throws(
    () => c.build(fresh(c), iface),
    (e: Error) => parts.every((p) => e.message.includes(p)) || assert.fail(`${JSON.stringify(e.message)} lacks one of ${JSON.stringify(parts)}`),
  );
}

for (const c of CASES) {
  describe(`AVM interfaces on ${c.component}`, () => {
    it("defaults create no lock, diagnostic setting or extra role assignment", async () => {
      const name = fresh(c);
      c.build(name, {});
      const rs = await registered(name);
      assert.ok(rs.length > 0);
      assert.deepStrictEqual(rs.filter((r) => r.type === LOCK || (r.type === DIAG && /-diag-\d/.test(r.name)) || /-ra-/.test(r.name)).map((r) => r.name), []);
    });

    if (c.main !== undefined) {
      const main = c.main;
      it("lock: one management lock scoped to the main resource", async () => {
        const name = fresh(c);
        const kind = c.readOnlyRefused ? "CanNotDelete" : "ReadOnly";
        c.build(name, { lock: { kind, notes: "change freeze" } });
        const rs = await registered(name);
        const lock = only(rs, LOCK, (c.lockChild ?? ((n: string) => `${n}-lock`))(name));
        assert.strictEqual(lock.inputs.scope, only(rs, main).id);
        assert.strictEqual(lock.inputs.level, kind);
        assert.strictEqual(lock.inputs.notes, "change freeze");
      });

      it("roleAssignments: one grant on the main resource, the role resolved, the name a deterministic GUID", async () => {
        const name = fresh(c);
        c.build(name, { roleAssignments: [{ roleDefinitionIdOrName: "reader", principalId: PRINCIPAL.toUpperCase(), principalType: "Group" }] });
        const rs = await registered(name);
        const grants = rs.filter((r) => r.type === ROLE && r.name.startsWith(`${name}-ra-`));
        assert.strictEqual(grants.length, 1);
        const mainId = only(rs, main).id;
        assert.strictEqual(grants[0].inputs.scope, mainId);
        assert.strictEqual(grants[0].inputs.principalId, PRINCIPAL);
        assert.strictEqual(grants[0].inputs.principalType, "Group");
        assert.strictEqual(grants[0].inputs.roleDefinitionId, `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${READER}`);
        assert.match(String(grants[0].inputs.roleAssignmentName), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      });
    }

    if (c.diagnosticTargets.length === 0) {
      it("diagnosticSettings: refused, since nothing it creates takes diagnostic settings", () => {
        refused(c, { diagnosticSettings: [{ workspaceResourceId: LAW }] }, c.component, "creates no resource that supports diagnostic settings");
      });
    } else it("diagnosticSettings: one setting per entry per target, to the given workspace", async () => {
      const name = fresh(c);
      c.build(name, { diagnosticSettings: [{ workspaceResourceId: LAW }] });
      const rs = await registered(name);
      const settings = rs.filter((r) => r.type === DIAG && r.name.startsWith(`${name}-diag-0`));
      assert.deepStrictEqual(settings.map((s) => s.name).sort(), c.diagnosticTargets.map(([label]) => (label === "" ? `${name}-diag-0` : `${name}-diag-0-${label}`)).sort());
      for (const [label, type] of c.diagnosticTargets) {
        const s = only(rs, DIAG, label === "" ? `${name}-diag-0` : `${name}-diag-0-${label}`);
        assert.strictEqual(s.inputs.resourceUri, only(own(rs, name), type).id);
        assert.strictEqual(s.inputs.workspaceId, LAW);
        assert.strictEqual(s.inputs.name, `${name}-diag-0`);
      }
    });

    if (c.identity !== undefined) {
      const [type, block] = c.identity;
      it("managedIdentities: the user-assigned identity lands on the identity-capable resource", async () => {
        const name = fresh(c);
        c.build(name, { managedIdentities: { userAssignedResourceIds: [UAI] } });
        const rs = await registered(name);
        assert.deepStrictEqual(only(own(rs, name), type).inputs.identity, block);
      });
    }

    it("hostile and misspelt inputs are refused at construction, naming the component and argument", () => {
      refused(c, { lock: { kind: "cannotdelete" as "CanNotDelete" } }, c.component, "lock.kind", '"cannotdelete"');
      refused(c, { diagnosticSettings: [{ name: "no-target" }] }, c.component, "diagnosticSettings[0] has no target");
      refused(c, { diagnosticSettings: [{ workspaceResourceId: `${LAW}/../other` }] }, "diagnosticSettings[0].workspaceResourceId", "'..' segment");
      refused(c, { roleAssignments: [{ roleDefinitionIdOrName: "OWNER", principalId: PRINCIPAL }] }, c.component, "privileged role Owner");
      refused(c, { roleAssignments: [{ roleDefinitionIdOrName: "{8E3AF657-A8FF-443C-A75C-2FE8C4BCB635}", principalId: PRINCIPAL }] }, "privileged role Owner");
      refused(c, { roleAssignments: [{ roleDefinitionIdOrName: "Reader", principalId: "not-a-guid" }] }, "roleAssignments[0].principalId", '"not-a-guid"');
      refused(c, { managedIdentities: { userAssignedResourceIds: [LAW] } }, "managedIdentities.userAssignedResourceIds[0]", "Microsoft.ManagedIdentity/userAssignedIdentities");
    });
  });
}
