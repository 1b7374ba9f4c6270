/**
 * The ModelMonitor upgrade and twin test's program. Config `phase`: `legacy` declares the monitor as the
 * previous release did (its token `aml-events:retraining:ModelMonitor`, the same Schedule child), `current`
 * with today's ModelMonitor (new token, alias from the old one), `plain` with the multi-language package's
 * ModelMonitor (plugin/modelMonitor.ts) given the same monitor as plain data. Same name throughout.
 */
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as pulumi from "@pulumi/pulumi";
import { buildMonitorScheduleProperties, MODEL_MONITOR_LEGACY_TYPE, ModelMonitor, ModelMonitorArgs, SAMPLE_WORKSPACE_ID } from "aml-event-workflows";
import { ModelMonitor as PortableModelMonitor } from "../../../../plugin/modelMonitor";
import { ModelMonitorPlainArgs } from "../../../../plugin/monitorArgs";

const workspaceId = SAMPLE_WORKSPACE_ID;
const data = (name: string, version: number): string => `${workspaceId}/data/${name}/versions/${version}`;
const inputs = { uri: data("credit-default-main-model_inputs", 1), type: "uri_folder", windowSize: "P7D" } as const;
const reference = { uri: data("credit-reference", 1), type: "mltable", dataContext: "training", columns: { target_column: "DEFAULT_NEXT_MONTH" } } as const;

const typescriptArgs: ModelMonitorArgs = {
  workspaceId,
  monitorName: "credit-default-monitor",
  taskType: "Classification",
  signals: {
    "data-drift": { kind: "dataDrift", features: { top: 10 }, productionData: inputs, referenceData: reference, categorical: false },
    "data-quality": { kind: "dataQuality", productionData: inputs, referenceData: reference },
  },
  schedule: { cron: "15 3 * * *" },
};

const plainArgs: ModelMonitorPlainArgs = {
  workspaceId,
  monitorName: "credit-default-monitor",
  taskType: "Classification",
  signals: {
    "data-drift": { kind: "dataDrift", topFeatures: 10, productionData: inputs, referenceData: reference, categorical: [] },
    "data-quality": { kind: "dataQuality", productionData: inputs, referenceData: reference },
  },
  schedule: { cron: "15 3 * * *" },
};

/** The previous release's ModelMonitor, as its state records it: the old token, the same Schedule. */
class LegacyModelMonitor extends pulumi.ComponentResource {
  constructor(name: string, args: ModelMonitorArgs) {
    super(MODEL_MONITOR_LEGACY_TYPE, name, {}, {});
    const properties = buildMonitorScheduleProperties({ ...args, monitorName: args.monitorName ?? name });
    new machinelearningservices.Schedule(`${name}-schedule`, { name: args.monitorName ?? name, resourceGroupName: "rg-ml-platform", workspaceName: "mlw-platform", properties }, { parent: this });
  }
}

const phase = new pulumi.Config().require("phase");
const monitor =
  phase === "legacy" ? new LegacyModelMonitor("monitor", typescriptArgs)
  : phase === "plain" ? new PortableModelMonitor("monitor", plainArgs)
  : new ModelMonitor("monitor", typescriptArgs);
export const urn = monitor.urn;
