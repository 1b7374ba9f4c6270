import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import type * as inputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { parseWorkspaceId } from "../arm/ids";
import { buildMonitorScheduleProperties, monitorSignalIds, monitorSignalNames } from "./monitorDefinition";
import { ModelMonitorArgs } from "./monitorTypes";
import { validateModelMonitorArgs } from "./monitorValidate";

/**
 * An Azure ML model monitor (v2): one workspace `Schedule` whose action is `CreateMonitor`, named by the
 * monitor name, with typed data drift, prediction drift and data quality signals. Each signal is named
 * `<monitorName>_<signal>` in Azure ML ({@link ModelMonitor.signalIds}), the form Microsoft asks for in
 * Event Grid filters. A breach tags the signal's threshold-evaluation run (which ends Completed)
 * `azureml_modelmonitor_threshold_breached`, quoting that name; pass the monitor itself to a breach
 * trigger (`DriftRetrainTrigger`'s `modelMonitor: { monitors: [monitor] }`) or its names to
 * `modelMonitorBreachFilter`. Creates no role assignment:
 * the job runs with the Azure ML token unless `compute.userAssignedIdentityId` is given.
 */
export class ModelMonitor extends pulumi.ComponentResource {
  /** Pulumi type token. */
  static readonly __type = "aml-events:retraining:ModelMonitor";

  /** The monitor's (schedule's) name in the workspace: the `<monitor>` of breach tags. */
  readonly monitorName: string;
  /** The signal names, in declaration order: the `<signal>` of breach tags. */
  readonly signalNames: string[];
  /** The signals' names in Azure ML, `<monitorName>_<signal>`: the exact scope values of a breach trigger. */
  readonly signalIds: string[];
  /** The schedule's `properties` as declared (plain, known at construction). */
  readonly properties: inputs.machinelearningservices.SchedulePropertiesArgs;
  /** The `Schedule` resource. */
  readonly schedule: machinelearningservices.Schedule;
  /** ARM id of the schedule. */
  readonly scheduleId: pulumi.Output<string>;

  constructor(name: string, args: ModelMonitorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ModelMonitor.__type, name, {}, opts);
    const problems = validateModelMonitorArgs(args, name);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(problems.map((p) => `ModelMonitor("${name}"): ${p}`).join("\n"), this);
    }
    const ws = parseWorkspaceId(args.workspaceId) as NonNullable<ReturnType<typeof parseWorkspaceId>>;
    this.monitorName = args.monitorName ?? name;
    this.signalNames = monitorSignalNames(args);
    this.signalIds = monitorSignalIds(this.monitorName, args);
    this.properties = buildMonitorScheduleProperties({ ...args, monitorName: this.monitorName });
    this.schedule = new machinelearningservices.Schedule(
      `${name}-schedule`,
      { name: this.monitorName, resourceGroupName: ws.resourceGroupName, workspaceName: ws.workspaceName, properties: this.properties },
      { parent: this },
    );
    this.scheduleId = this.schedule.id;
    this.registerOutputs({ scheduleId: this.scheduleId });
  }
}
