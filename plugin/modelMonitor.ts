import * as pulumi from "@pulumi/pulumi";
import { declareModelMonitor, MODEL_MONITOR_TYPE, modelMonitorOptions } from "../lib/monitoring/modelMonitor";
import { modelMonitorArgsFromPlain, ModelMonitorPlainArgs } from "./monitorArgs";

/**
 * An Azure ML model monitor (v2): one workspace `Schedule` whose action is `CreateMonitor`, named by the
 * monitor name, with data drift, prediction drift and data quality signals. Each signal is named
 * `<monitorName>_<signal>` in Azure ML (`signalIds`), the form a breach trigger's scope takes: pass
 * `monitorName` and `signalNames` to `DriftRetrainTrigger`'s `modelMonitor.monitors`. The same component as
 * TypeScript's `ModelMonitor` (same token, same Schedule, same checks), its arguments as plain data.
 * Creates no role assignment: the job runs with the Azure ML token unless `compute.userAssignedIdentityId` is given.
 */
export class ModelMonitor extends pulumi.ComponentResource {
  /** The monitor's (schedule's) name in the workspace: the `<monitor>` of breach tags. */
  readonly monitorName: string;
  /** The signal names, in declaration order: the `<signal>` of breach tags. */
  readonly signalNames: string[];
  /** The signals' names in Azure ML, `<monitorName>_<signal>`: the exact scope values of a breach trigger. */
  readonly signalIds: string[];
  /** ARM id of the schedule. */
  readonly scheduleId: pulumi.Output<string>;

  constructor(name: string, args: ModelMonitorPlainArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MODEL_MONITOR_TYPE, name, {}, modelMonitorOptions(opts));
    const { args: converted, problems } = modelMonitorArgsFromPlain(args);
    if (problems.length > 0) throw new pulumi.ResourceError(problems.map((p) => `ModelMonitor("${name}"): ${p}`).join("\n"), this);
    const declared = declareModelMonitor(this, name, converted);
    this.monitorName = declared.monitorName;
    this.signalNames = declared.signalNames;
    this.signalIds = declared.signalIds;
    this.scheduleId = declared.schedule.id;
    this.registerOutputs({ scheduleId: this.scheduleId });
  }
}
