/**
 * Event rates for the operations estimate: how often a workspace sends each kind of event. Every
 * default is a documented guess (the run figures are the email quota estimate's, lib/notifications/quota.ts);
 * override them for all workspaces or per workspace (`--rates <file.json>`).
 */
import { AmlEventType } from "../events";
import { EventGridEvent } from "../events/types";
import { DEFAULT_ALERT_VOLUME_ASSUMPTIONS } from "../notifications/quota";

/** Hours in the estimate's month (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;
/** Days in the estimate's month. */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** What one workspace produces. */
export interface EventRates {
  /** Training and pipeline-step runs finishing per hour. @default 12 (the email quota estimate's figure) */
  readonly runsPerHour: number;
  /** Share of runs that end Failed. @default 0.1 */
  readonly failedRunShare: number;
  /** Share of runs that end Canceled. @default 0.05 */
  readonly canceledRunShare: number;
  /** RunStatusChanged events per run before its final status (e.g. Queued, Running, Finalizing). @default 3 */
  readonly statusChangesPerRun: number;
  /** Model versions registered per day. @default 24 */
  readonly registrationsPerDay: number;
  /** Model deployments per day. @default 12 */
  readonly deploymentsPerDay: number;
  /** Model monitor (v2) runs per day, all monitors together. @default 4 */
  readonly monitorRunsPerDay: number;
  /** Share of monitor runs that breach a threshold (the run fails with the breach tag). @default 0.1 */
  readonly breachShare: number;
  /** Legacy (v1) dataset drift detections per day; Microsoft retired v1 drift monitors on 2025-09-01. @default 0 */
  readonly driftDetectionsPerDay: number;
  /** The busiest minute's rate over the average (6 runs in a minute at 12 an hour is 30). @default 30 */
  readonly peakFactor: number;
  /** How long a batch scoring job runs, in minutes (how often a batch pipeline polls it). @default 30 */
  readonly batchJobMinutes: number;
}

const a = DEFAULT_ALERT_VOLUME_ASSUMPTIONS;

/** The defaults of {@link EventRates}. */
export const DEFAULT_EVENT_RATES: EventRates = {
  runsPerHour: a.runsPerHour,
  failedRunShare: a.failedRunShare,
  canceledRunShare: a.canceledRunShare,
  statusChangesPerRun: 3,
  registrationsPerDay: 24 * a.modelsRegisteredPerHour,
  deploymentsPerDay: 24 * a.modelsDeployedPerHour,
  monitorRunsPerDay: 4,
  breachShare: 0.1,
  driftDetectionsPerDay: 0,
  peakFactor: a.peakRunsPerMinute / (a.runsPerHour / 60),
  batchJobMinutes: 30,
};

/** The rates file: defaults for every workspace, and per workspace (ARM id or workspace name). */
export interface RatesInput {
  readonly default?: Partial<EventRates>;
  readonly workspaces?: Readonly<Record<string, Partial<EventRates>>>;
}

const RATE_KEYS = Object.keys(DEFAULT_EVENT_RATES) as (keyof EventRates)[];
const SHARES: readonly (keyof EventRates)[] = ["failedRunShare", "canceledRunShare", "breachShare"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function rateProblems(where: string, value: unknown): string[] {
  if (!isRecord(value)) return [`${where} is ${JSON.stringify(value)}; expected an object like {"runsPerHour": 20}.`];
  return Object.entries(value).flatMap(([k, v]) => {
    if (!(RATE_KEYS as string[]).includes(k)) return [`${where}.${k} is not a rate; use one of ${RATE_KEYS.join(", ")}.`];
    const max = SHARES.includes(k as keyof EventRates) ? 1 : Infinity;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > max) return [`${where}.${k} is ${JSON.stringify(v)}; expected a finite number ≥ 0${max === 1 ? " and ≤ 1" : ""}.`];
    return [];
  });
}

/** Problems of a rates file (pure); empty when usable. */
export function validateRates(input: unknown): string[] {
  if (!isRecord(input)) return [`the rates file holds ${JSON.stringify(input)}; expected {"default": {"runsPerHour": 20}, "workspaces": {"mlw-prod": {"registrationsPerDay": 2}}}.`];
  const out = Object.keys(input).filter((k) => k !== "default" && k !== "workspaces").map((k) => `rates key ${JSON.stringify(k)} is unknown; use default or workspaces.`);
  if (input.default !== undefined) out.push(...rateProblems("default", input.default));
  if (input.workspaces !== undefined) {
    if (!isRecord(input.workspaces)) out.push(`workspaces is ${JSON.stringify(input.workspaces)}; expected an object keyed by workspace ARM id or name.`);
    else for (const [ws, r] of Object.entries(input.workspaces)) out.push(...rateProblems(`workspaces[${JSON.stringify(ws)}]`, r));
  }
  return out;
}

/** The rates of one workspace: defaults, then the file's defaults, then its entry (by ARM id or name, case-insensitive). */
export function ratesFor(workspaceId: string, input: RatesInput = {}): EventRates {
  const name = workspaceId.split("/").pop() ?? workspaceId;
  const own = Object.entries(input.workspaces ?? {}).find(([k]) => [workspaceId.toLowerCase(), name.toLowerCase()].includes(k.toLowerCase()))?.[1];
  return { ...DEFAULT_EVENT_RATES, ...(input.default ?? {}), ...(own ?? {}) };
}

/** Which stream an event belongs to, and how many of it a workspace sends a month. */
export interface EventKind {
  /** e.g. `RunStatusChanged failed (training run)`. */
  readonly label: string;
  readonly perMonth: number;
}

function field(event: EventGridEvent, key: string): unknown {
  const data = event.data as Record<string, unknown> | undefined;
  return data?.[key] ?? data?.[key.charAt(0).toUpperCase() + key.slice(1)];
}

function isMonitorRun(event: EventGridEvent): boolean {
  const tags = field(event, "runTags");
  return field(event, "experimentName") === "azureml-monitoring" || (isRecord(tags) && Object.keys(tags).some((k) => k.startsWith("azureml_modelmonitor")));
}

function runShare(status: string, monitor: boolean, r: EventRates): number {
  switch (status) {
    case "completed":
      return monitor ? 1 - r.breachShare : Math.max(0, 1 - r.failedRunShare - r.canceledRunShare);
    case "failed":
      return monitor ? r.breachShare : r.failedRunShare;
    case "canceled":
    case "cancelled":
      return monitor ? 0 : r.canceledRunShare;
    default:
      return r.statusChangesPerRun;
  }
}

function runKind(event: EventGridEvent, r: EventRates): EventKind {
  const monitor = isMonitorRun(event);
  const status = event.eventType === AmlEventType.RunCompleted ? "completed" : String(field(event, "runStatus") ?? "").toLowerCase();
  const runs = monitor ? r.monitorRunsPerDay * DAYS_PER_MONTH : r.runsPerHour * HOURS_PER_MONTH;
  const terminal = ["completed", "failed", "canceled", "cancelled"].includes(status);
  const what = `${event.eventType.split(".").pop() ?? ""}${event.eventType === AmlEventType.RunCompleted ? "" : ` ${terminal ? status : "(non-final statuses)"}`}`;
  return { label: `${what} (${monitor ? "monitor run" : "training run"})`, perMonth: runs * runShare(status, monitor, r) };
}

/** The kind of an event and its monthly count in a workspace with rates `r`. */
export function eventKind(event: EventGridEvent, r: EventRates): EventKind {
  switch (event.eventType) {
    case AmlEventType.RunCompleted:
    case AmlEventType.RunStatusChanged:
      return runKind(event, r);
    case AmlEventType.ModelRegistered:
      return { label: "ModelRegistered", perMonth: r.registrationsPerDay * DAYS_PER_MONTH };
    case AmlEventType.ModelDeployed:
      return { label: "ModelDeployed", perMonth: r.deploymentsPerDay * DAYS_PER_MONTH };
    case AmlEventType.DatasetDriftDetected:
      return { label: "DatasetDriftDetected (v1)", perMonth: r.driftDetectionsPerDay * DAYS_PER_MONTH };
    default:
      return { label: event.eventType, perMonth: 0 };
  }
}

/**
 * The run events a plan's samples leave out: one per run kind (training, monitor) in a status before
 * the final one, standing for every such status change (`statusChangesPerRun`). Each is routed like
 * the others: Event Grid counts their ingress and filter evaluations even when nothing receives them.
 */
export function nonFinalStatusEvents(events: readonly EventGridEvent[]): EventGridEvent[] {
  const seen = new Set<string>();
  const out: EventGridEvent[] = [];
  for (const e of events) {
    if (e.eventType !== AmlEventType.RunStatusChanged) continue;
    const key = `${e.topic ?? ""}|${isMonitorRun(e)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const data = { ...(e.data as Record<string, unknown>) };
    data["RunStatus" in data ? "RunStatus" : "runStatus"] = "Running";
    out.push({ ...e, id: `${e.id}-running`, data });
  }
  return out;
}
