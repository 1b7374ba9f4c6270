/**
 * One row per component for the AVM interface tests: how to build it with the interfaces, and which
 * child resources each interface must create. Components are built under the Pulumi mocks.
 */
import { AvmInterfaces } from "../../lib/interfaces";
import { deterministicGuid } from "../../lib/rbac";
import { WorkspaceEvents } from "../../lib/workspace";
import { EventHubStream } from "../../lib/streaming";
import { Observability } from "../../lib/observability";
import { EmailAlerts } from "../../lib/notifications";
import { AmlEventType } from "../../lib/events";
import { ModelMonitor } from "../../lib/monitoring";
import { DriftRetrainTrigger } from "../../lib/retraining";
import { ModelDeployer } from "../../lib/deployment";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/** An empty zip standing in for the deployer's code package. */
export const PACKAGE = join(mkdtempSync(join(tmpdir(), "avm-pkg-")), "function-app.zip");
writeFileSync(PACKAGE, "PK\u0005\u0006" + "\u0000".repeat(18));
import { workspaceId } from "../helpers/pulumi";

export const RG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml";
export const LAW = `${RG}/providers/Microsoft.OperationalInsights/workspaces/central-logs`;
export const UAI = `${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/platform`;
export const PRINCIPAL = "11111111-2222-3333-4444-555555555555";
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
/** The principal id the mocks give the user-assigned identity `UAI`. */
export const UAI_PRINCIPAL = deterministicGuid("principal", UAI.toLowerCase());

export const place = { resourceGroupName: "rg-ml", location: "westeurope" };
export const MONITOR_INPUTS = { uri: "azureml://datastores/workspaceblobstore/paths/credit/model_inputs/", type: "uri_folder", windowSize: "P7D" } as const;
export const MONITOR_TRAINING = { uri: "azureml://datastores/workspaceblobstore/paths/credit/reference/", type: "mltable", dataContext: "training", columns: { target_column: "DEFAULT" } } as const;

/** How one component meets the interfaces. */
export interface InterfaceCase {
  /** Component class name (messages name it). */
  readonly component: string;
  /** Builds the component named `name` with the interfaces `iface`. */
  readonly build: (name: string, iface: AvmInterfaces) => void;
  /** azure-native type of the main resource (lock and role scope), or undefined when none is created here. */
  readonly main?: string;
  /** Whether a ReadOnly lock is refused (it would break the component). @default false */
  readonly readOnlyRefused?: boolean;
  /** The lock's Pulumi child name. @default `${name}-lock` */
  readonly lockChild?: (name: string) => string;
  /** Diagnostic targets: child-name suffix (`""` for the main resource) and azure-native type; empty when diagnostics are refused. */
  readonly diagnosticTargets: readonly (readonly [string, string])[];
  /** azure-native type whose `identity` block reflects `managedIdentities`, and the expected block for `{ userAssignedResourceIds: [UAI] }`. */
  readonly identity?: readonly [string, Record<string, unknown>];
}

export const CASES: readonly InterfaceCase[] = [
  {
    component: "WorkspaceEvents",
    build: (name, iface) => new WorkspaceEvents(name, { workspaceId: workspaceId(name), ...place, ...iface }),
    main: "azure-native:eventgrid:SystemTopic",
    lockChild: (name) => `${name}-topic-lock`,
    diagnosticTargets: [
      ["", "azure-native:eventgrid:SystemTopic"],
      ["deadletter", "azure-native:storage:StorageAccount"],
    ],
    identity: ["azure-native:eventgrid:SystemTopic", { type: "UserAssigned", userAssignedIdentities: { [UAI]: {} } }],
  },
  {
    component: "EventHubStream",
    build: (name, iface) => new EventHubStream(name, { workspace: { workspaceId: workspaceId(name), ...place }, eventHub: { namespaceName: `${name}-ns` }, ...iface }),
    main: "azure-native:eventhub:Namespace",
    diagnosticTargets: [["", "azure-native:eventhub:Namespace"]],
    identity: ["azure-native:eventhub:Namespace", { type: "UserAssigned", userAssignedIdentities: [UAI] }],
  },
  {
    component: "Observability",
    build: (name, iface) => new Observability(name, { ...place, recipients: ["ops@example.com"], systemTopic: { id: `${RG}/providers/Microsoft.EventGrid/systemTopics/t1` }, ...iface }),
    main: "azure-native:operationalinsights:Workspace",
    diagnosticTargets: [["", "azure-native:operationalinsights:Workspace"]],
    identity: ["azure-native:operationalinsights:Workspace", { type: "UserAssigned", userAssignedIdentities: [UAI] }],
  },
  {
    component: "EmailAlerts",
    build: (name, iface) => new EmailAlerts(name, { workspace: { workspaceId: workspaceId(name), ...place }, recipients: ["ops@example.com"], alerts: [{ eventType: AmlEventType.ModelRegistered }], ...iface }),
    main: "azure-native:logic:Workflow",
    readOnlyRefused: true,
    diagnosticTargets: [["", "azure-native:logic:Workflow"]],
    identity: ["azure-native:logic:Workflow", { type: "UserAssigned", userAssignedIdentities: [UAI] }],
  },
  {
    component: "DriftRetrainTrigger",
    build: (name, iface) =>
      new DriftRetrainTrigger(name, {
        workspace: { workspaceId: workspaceId(name), ...place },
        modelMonitor: { monitorNames: ["credit-monitor"], signalNames: ["credit-monitor_drift"] },
        createPipeline: { mlPipelineId: "5adc0a4f-e025-04a5-86f0-9a4fcbb241f9", experimentName: "retrain-on-breach" },
        ...iface,
      }),
    main: "azure-native:datafactory:Factory",
    readOnlyRefused: true,
    diagnosticTargets: [
      ["", "azure-native:datafactory:Factory"],
      ["workflow", "azure-native:logic:Workflow"],
    ],
    identity: ["azure-native:datafactory:Factory", { type: "SystemAssigned,UserAssigned", userAssignedIdentities: { [UAI]: {} } }],
  },
  {
    component: "ModelDeployer",
    build: (name, iface) =>
      new ModelDeployer(name, {
        workspace: { workspaceId: workspaceId(name), ...place },
        rules: [{ models: ["credit"], tags: { stage: ["prod"] }, endpointName: "credit" }],
        ...place,
        packagePath: PACKAGE,
        ...iface,
      }),
    main: "azure-native:web:WebApp",
    diagnosticTargets: [
      ["", "azure-native:web:WebApp"],
      ["storage", "azure-native:storage:StorageAccount"],
      ["insights", "azure-native:applicationinsights:Component"],
      ["logs", "azure-native:operationalinsights:Workspace"],
    ],
    identity: ["azure-native:web:WebApp", { type: "UserAssigned", userAssignedIdentities: [UAI] }],
  },
  {
    component: "ModelMonitor",
    build: (name, iface) =>
      new ModelMonitor(name, {
        workspaceId: workspaceId(name),
        taskType: "Regression",
        signals: { drift: { kind: "dataDrift", productionData: MONITOR_INPUTS, referenceData: MONITOR_TRAINING } },
        ...iface,
      }),
    main: "azure-native:machinelearningservices:Schedule",
    diagnosticTargets: [],
  },
];

