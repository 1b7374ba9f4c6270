import * as assert from "assert";
import { MlEventWorkflows, MlEventWorkflowsArgs } from "../../lib/composite";
import { AmlEventType } from "../../lib/events";
import { registered, workspaceId } from "../helpers/pulumi";
import { LAW, place, PRINCIPAL, UAI } from "./cases";

const LOCK = "azure-native:authorization:ManagementLockByScope";
const DIAG = "azure-native:monitor:DiagnosticSetting";

function composite(name: string, extra: Partial<MlEventWorkflowsArgs>): MlEventWorkflows {
  return new MlEventWorkflows(name, {
    workspaceId: workspaceId(name),
    ...place,
    email: { recipients: ["ops@example.com"], alerts: [{ eventType: AmlEventType.ModelRegistered }] },
    streaming: { eventHub: { namespaceName: `${name}-ns` } },
    monitoring: { recipients: ["ops@example.com"] },
    ...extra,
  });
}

describe("AVM interfaces on MlEventWorkflows: what each capability gets", () => {
  it("defaults create no lock, interface diagnostic setting or extra grant", async () => {
    composite("avmcomp0", {});
    const rs = await registered("avmcomp0");
    assert.deepStrictEqual(rs.filter((r) => r.type === LOCK || (r.type === DIAG && /-diag-\d/.test(r.name)) || /-ra-/.test(r.name)).map((r) => r.name), []);
  });

  it("forwards lock, diagnostics and identities to every capability; grants go on the system topic", async () => {
    const ml = composite("avmcomp1", {
      lock: { kind: "CanNotDelete" },
      diagnosticSettings: [{ workspaceResourceId: LAW }],
      roleAssignments: [{ roleDefinitionIdOrName: "Reader", principalId: PRINCIPAL }],
      managedIdentities: { userAssignedResourceIds: [UAI] },
    });
    const rs = await registered("avmcomp1");
    assert.deepStrictEqual(rs.filter((r) => r.type === LOCK).map((r) => r.name).sort(), ["avmcomp1-email-lock", "avmcomp1-monitoring-lock", "avmcomp1-stream-lock", "avmcomp1-topic-lock"]);
    assert.deepStrictEqual(
      rs.filter((r) => r.type === DIAG && /-diag-0/.test(r.name)).map((r) => r.name).sort(),
      ["avmcomp1-diag-0", "avmcomp1-diag-0-deadletter", "avmcomp1-email-diag-0", "avmcomp1-monitoring-diag-0", "avmcomp1-stream-diag-0"],
    );
    const grants = rs.filter((r) => /-ra-/.test(r.name));
    assert.deepStrictEqual(grants.map((g) => [g.name.replace(/-ra-.*/, ""), g.inputs.scope]), [["avmcomp1", await new Promise((r) => ml.events.systemTopicId.apply(r))]]);
    const identityOf = (type: string) => rs.find((r) => r.type === type)?.inputs.identity;
    assert.deepStrictEqual(identityOf("azure-native:eventgrid:SystemTopic"), { type: "UserAssigned", userAssignedIdentities: { [UAI]: {} } });
    assert.deepStrictEqual(identityOf("azure-native:logic:Workflow"), { type: "UserAssigned", userAssignedIdentities: [UAI] });
  });

  it("refuses categories that not every capability exports, a ReadOnly lock with email, and misspelt interfaces, naming the composite", () => {
    assert.throws(() => composite("avmcomp2", { diagnosticSettings: [{ workspaceResourceId: LAW, logCategoriesAndGroups: [{ category: "WorkflowRuntime" }] }] }), /MlEventWorkflows\("avmcomp2"\): diagnosticSettings\[0\]\.logCategoriesAndGroups\[0\].*forwarded to every capability/);
    assert.throws(() => composite("avmcomp3", { lock: { kind: "ReadOnly" } }), /MlEventWorkflows\("avmcomp3"\): lock\.kind "ReadOnly" is forwarded to email\/retrain/);
    assert.throws(() => composite("avmcomp4", { lock: { kind: "cannotdelete" as "CanNotDelete" } }), /MlEventWorkflows\("avmcomp4"\): lock\.kind "cannotdelete"/);
    assert.throws(() => composite("avmcomp5", { roleAssignments: [{ roleDefinitionIdOrName: "owner", principalId: PRINCIPAL }] }), /privileged role Owner/);
    assert.throws(() => composite("avmcomp6", { managedIdentites: {} } as unknown as Partial<MlEventWorkflowsArgs>), /unknown argument 'managedIdentites'; did you mean 'managedIdentities'\?/);
  });

  it("an adopted topic keeps its own lock and identities; the capabilities still get theirs", async () => {
    composite("avmcomp7", { existingSystemTopic: { name: "adopted" }, lock: { kind: "CanNotDelete" }, managedIdentities: { userAssignedResourceIds: [UAI] } });
    const rs = await registered("avmcomp7");
    assert.deepStrictEqual(rs.filter((r) => r.type === LOCK).map((r) => r.name).sort(), ["avmcomp7-email-lock", "avmcomp7-monitoring-lock", "avmcomp7-stream-lock"]);
  });
});
