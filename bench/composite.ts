/**
 * What the components cost at plan time: the composite (`MlEventWorkflows` with every capability)
 * against the very same resources declared directly as azure-native custom resources, on the same
 * mock engine in the same run, at 1 and 50 workspaces. The direct baseline replays the composite's
 * recorded resources with the real azure-native classes (same types, names, inputs and output wiring),
 * so the ratio isolates what our code adds: validation, filter analysis, definition building and the
 * component layer. Times are CPU time of this process (bench/stats.ts says why), wall time beside them.
 */
import * as logic from "@pulumi/azure-native/logic";
import * as pulumi from "@pulumi/pulumi";
import { RandomString } from "@pulumi/random";
import { MlEventWorkflows } from "../lib/composite";
import { functionCodePublishProvider } from "../lib/deployment/codePublish";
import { AmlEventType } from "../lib/events";
import { MockedResource } from "../lib/plan/mocks";
import { runProgram } from "../lib/plan/run";
import { deterministicGuid } from "../lib/rbac/guid";
import { clocked, collectGarbage, median, roundRatios } from "./stats";
import { BenchFigure } from "./types";

function workspaceId(i: number): string {
  return `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml-${i}/providers/Microsoft.MachineLearningServices/workspaces/mlw-${i}`;
}

/** The composite for `count` workspaces, every capability on. */
export function compositeProgram(count: number): () => void {
  return () => {
    for (let i = 0; i < count; i++) {
      new MlEventWorkflows(`ws${i}`, {
        workspaceId: workspaceId(i),
        resourceGroupName: `rg-ml-${i}`,
        location: "westeurope",
        email: { recipients: ["ml-oncall@contoso.com"], alerts: [{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] }, { eventType: AmlEventType.ModelRegistered }] },
        retrain: {
          modelMonitor: { monitorNames: [`monitor-${i}`] },
          coolDownHours: 6,
          createPipeline: { batchEndpoint: { endpointName: `retrain-${i}`, region: "westeurope" } },
        },
        deployer: { rules: [{ models: [`model-${i}`], tags: { stage: ["production"] }, endpointName: `ep-${i}` }] },
        streaming: {},
      });
    }
  };
}

/** An azure-native resource class, looked up by type token (`azure-native:storage:StorageAccount`). */
type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource & {
  readonly name?: pulumi.Output<string>;
};

/** An explicit dynamic-resource provider instance without inputs, as the deployer declares one. */
class DynamicProvider extends pulumi.ProviderResource {
  constructor(name: string) {
    super("pulumi-nodejs", name, {});
  }
}

let directProvider: DynamicProvider | undefined;

/**
 * A hand-written program declares the deployer's code publish and the role waits with the same dynamic
 * provider, on one explicit instance for the program (as the library does: lib/arm/dynamicProvider.ts).
 */
class CodePublish extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
    const { __provider: _serialized, ...inputs } = args;
    void _serialized;
    super(functionCodePublishProvider, name, inputs, { ...opts, provider: (directProvider ??= new DynamicProvider("direct-dynamic")) });
  }
}

function classFor(type: string): ResourceClass {
  if (type === "pulumi-nodejs:dynamic:Resource") return CodePublish as unknown as ResourceClass;
  if (type === "random:index/randomString:RandomString") return RandomString as unknown as ResourceClass;
  const [, mod, cls] = type.split(":");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(`@pulumi/azure-native/${mod}`) as Record<string, unknown>;
  const ctor = exports[cls];
  if (typeof ctor !== "function") throw new Error(`bench: no azure-native class for ${type}`);
  return ctor as ResourceClass;
}

/**
 * The same custom resources, declared the way a hand-written program would: the real azure-native
 * classes, with the recorded inputs, every reference to an earlier resource's id or name wired as that
 * resource's output, and the same dependencies (so ordering flows as it does in the composite).
 */
export function directProgram(resources: readonly MockedResource[]): () => void {
  // Provider instances come with the resources that use them (CodePublish declares its own).
  const custom = resources.filter((r) => r.custom && r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"));
  return () => {
    const byId = new Map<string, pulumi.Output<string>>();
    const byName = new Map<string, pulumi.Output<string>>();
    const wire = (value: unknown, key = ""): unknown => {
      if (typeof value === "string") return byId.get(value) ?? (key.endsWith("Name") ? byName.get(value) : undefined) ?? value;
      if (Array.isArray(value)) return value.map((v) => wire(v));
      if (typeof value === "object" && value !== null && value.constructor === Object) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wire(v, k)]));
      }
      return value;
    };
    const workflows = custom.filter((r) => r.type === "azure-native:logic:Workflow");
    const byUrn = new Map<string, pulumi.Resource>();
    for (const r of custom) {
      const Resource = classFor(r.type);
      const inputs = wire(r.inputs) as Record<string, unknown>;
      // A hand-written program fetches a Logic App's callback URL too, and keeps it secret.
      const url = (r.inputs.destination as { endpointUrl?: unknown } | undefined)?.endpointUrl;
      const workflow = typeof url === "string" ? workflows.find((w) => url.includes(deterministicGuid(String(w.inputs.workflowName)).replace(/-/g, ""))) : undefined;
      if (workflow) {
        const callback = logic.listWorkflowTriggerCallbackUrlOutput({
          resourceGroupName: String(workflow.inputs.resourceGroupName),
          workflowName: byName.get(String(workflow.inputs.workflowName)) ?? String(workflow.inputs.workflowName),
          triggerName: "When_events_arrive",
        });
        inputs.destination = { ...(inputs.destination as Record<string, unknown>), endpointUrl: pulumi.secret(callback.apply((c) => c.value ?? "")) };
      }
      // The same ordering the components declare (grants before identity delivery, code before its subscription).
      const dependsOn = r.dependencies.map((u) => byUrn.get(u)).filter((d): d is pulumi.Resource => d !== undefined);
      const created = new Resource(r.name, inputs, dependsOn.length > 0 ? { dependsOn } : {});
      byUrn.set(r.urn, created);
      if (r.id) byId.set(r.id, created.id);
      const azureName = typeof r.state.name === "string" ? r.state.name : undefined;
      if (azureName && created.name && !byName.has(azureName)) byName.set(azureName, created.name);
    }
  };
}

interface Timed {
  /** CPU time of the run (this process, user + system), ms: what the ratios are taken on. */
  readonly ms: number;
  /** Wall time of the run, ms (printed beside the CPU figures). */
  readonly wallMs: number;
  /** Peak heap in use during the run, over the heap in use before it (MB, sampled every 5 ms). */
  readonly peakMb: number;
  readonly resources: MockedResource[];
}

async function timed(program: () => void): Promise<Timed> {
  // Start every run from a collected heap (node --expose-gc), so one side doesn't pay for the other's garbage.
  collectGarbage();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  let resources: MockedResource[] = [];
  const t = await clocked(async () => {
    resources = (await runProgram(program, { stack: "bench" })).resources;
  });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms: t.cpu, wallMs: t.wall, peakMb: (peak - base) / 2 ** 20, resources };
}

/** The composite program with every component's legacy-token alias removed (a stack transformation): what the aliases cost. */
function withoutAliases(program: () => void): () => void {
  return () => {
    // Only our components' legacy-token aliases: azure-native classes carry aliases of their own (older API
    // versions' tokens), which a hand-written program pays as well.
    pulumi.runtime.registerStackTransformation((a) => (a.opts.aliases === undefined || !a.type.startsWith("aml-events:") ? undefined : { props: a.props, opts: { ...a.opts, aliases: [] } }));
    program();
  };
}

/** The same program under a no-op stack transformation, so both alias variants pay for the transformation alike. */
function withNoopTransformation(program: () => void): () => void {
  return () => {
    pulumi.runtime.registerStackTransformation(() => undefined);
    program();
  };
}

interface Side {
  readonly label: string;
  readonly program: () => void;
  readonly runs: Timed[];
}

/** Runs each side `rounds` times, rotating the order every round so drift on a shared machine hits every side. */
async function interleaved(sides: readonly Omit<Side, "runs">[], rounds: number): Promise<Side[]> {
  const out: Side[] = sides.map((s) => ({ ...s, runs: [] }));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < out.length; i++) {
      const side = out[(i + r) % out.length];
      side.runs.push(await timed(side.program));
    }
  }
  return out;
}

/** Composite vs direct at `count` workspaces: medians of interleaved rounds, with the fastest for reference. */
async function compare(count: number, rounds: number): Promise<{ figures: BenchFigure[]; composite: number; resources: number }> {
  const first = await timed(compositeProgram(count));
  const resources = first.resources.filter((r) => r.custom && r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:")).length;
  const [composite, direct] = await interleaved([{ label: "composite", program: compositeProgram(count) }, { label: "direct", program: directProgram(first.resources) }], rounds);
  const cpu = (side: Side) => side.runs.map((x) => x.ms);
  const wall = (side: Side) => side.runs.map((x) => x.wallMs);
  const [c, d] = [median(cpu(composite)), median(cpu(direct))];
  const wallRatio = median(wall(composite)) / median(wall(direct));
  const figures: BenchFigure[] = [
    { name: `plan ${count} workspace(s), composite (${resources} Azure resources)`, value: Math.round(c), unit: "ms", note: `CPU, median of ${rounds}; wall ${median(wall(composite)).toFixed(0)}` },
    { name: `plan ${count} workspace(s), same resources declared directly`, value: Math.round(d), unit: "ms", note: `CPU, median of ${rounds}; wall ${median(wall(direct)).toFixed(0)}` },
    { name: `  per resource: composite / direct`, value: Number((c / resources).toFixed(2)), unit: "ms", note: `CPU; direct ${(d / resources).toFixed(2)} ms` },
    { name: `  peak heap: composite / direct`, value: Number(median(composite.runs.map((x) => x.peakMb)).toFixed(0)), unit: "MB", note: `direct ${median(direct.runs.map((x) => x.peakMb)).toFixed(0)} MB` },
    { name: `composite vs direct, ${count} workspace(s)`, value: c / d, unit: "x", note: `target <= 1.10; CPU time; per round ${roundRatios(cpu(composite), cpu(direct))}; wall ${wallRatio.toFixed(3)}` },
  ];
  return { figures, composite: c, resources };
}

/** What the legacy-token aliases cost: the composite with its aliases against the composite without them. */
async function aliasShare(count: number, rounds: number): Promise<BenchFigure> {
  const [kept, stripped] = await interleaved([
    { label: "aliases", program: withNoopTransformation(compositeProgram(count)) },
    { label: "no aliases", program: withoutAliases(compositeProgram(count)) },
  ], rounds);
  const ratio = median(kept.runs.map((x) => x.ms)) / median(stripped.runs.map((x) => x.ms));
  return { name: `composite with vs without its legacy aliases, ${count} workspace(s)`, value: ratio, unit: "x", note: `CPU time, median of ${rounds}` };
}

/**
 * Bench entry: composite vs direct at 1 and 50 workspaces, the aliases' share, and with `--scale`
 * (or BENCH_SCALE=1) 200 workspaces and the growth 200/50 (minutes on a 2-core machine, hence opt-in).
 */
export async function run(): Promise<BenchFigure[]> {
  const only = Number(process.env.BENCH_WORKSPACES ?? 0);
  if (only > 0) return (await compare(only, Number(process.env.BENCH_ROUNDS ?? 3))).figures;
  // BENCH_SCALE_ROUNDS lowers the rounds at 50 and 200 workspaces (each 200-workspace round is minutes on a loaded 2-core machine).
  const scaleRounds = Number(process.env.BENCH_SCALE_ROUNDS ?? 3);
  const one = await compare(1, 15);
  const fifty = await compare(50, scaleRounds);
  const figures = [...one.figures, await aliasShare(1, 15), ...fifty.figures];
  if (!(process.argv.includes("--scale") || process.env.BENCH_SCALE === "1")) {
    return [...figures, { name: "200 workspaces (scale)", value: 0, unit: "ms", note: "skipped: add --scale (npm run bench -- --scale) for 200 workspaces and the 200/50 growth" }];
  }
  const twoHundred = await compare(200, scaleRounds);
  const growth = twoHundred.composite / fifty.composite;
  return [...figures, ...twoHundred.figures, { name: "plan time 200 vs 50 workspaces (composite; linear is 4.0)", value: growth, unit: "x", note: "target <= 4.4; CPU time" }];
}

if (require.main === module) {
  run().then(
    (figures: BenchFigure[]) => figures.forEach((f) => console.log(`${f.name}: ${f.value.toFixed(3)} ${f.unit}${f.note ? ` (${f.note})` : ""}`)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
