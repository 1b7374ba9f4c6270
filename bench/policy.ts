/**
 * Policy pack cost: evaluating every policy (engine-faithful harness: proxy, type filtering, config
 * reconciliation, stack policies) per resource of a realistic stack, against what the Pulumi mock
 * engine spends registering one simple azure-native resource, measured in the same run. The ratio is
 * taken on CPU time (bench/stats.ts says why); the wall-time ratio is printed beside it.
 */
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { installAzureMocks } from "../lib/plan/mocks";
import { checkResources, PolicyResourceInput } from "../policy/api";
import { badStack } from "../test/policy/bad-stack";
import { goodStack } from "../test/policy/fixtures";
import { clocked, Clocks, collectGarbage, median, roundRatios } from "./stats";
import { BenchFigure } from "./types";

/** Wall and CPU time of `iterations` awaited calls of `fn`, per call, in µs (after one call to warm up). */
async function timeAsync(fn: () => Promise<unknown>, iterations: number): Promise<Clocks> {
  await fn();
  collectGarbage();
  const t = await clocked(async () => {
    for (let i = 0; i < iterations; i++) await fn();
  });
  return { wall: (t.wall * 1000) / iterations, cpu: (t.cpu * 1000) / iterations };
}

/** Registers `count` storage queues under the mocks; µs per resource (one batch; `batch` names it). */
async function mockEngineCost(count: number, batch: number): Promise<Clocks> {
  installAzureMocks("aml-event-workflows", "bench");
  collectGarbage();
  const t = await clocked(async () => {
    const queues = Array.from({ length: count }, (_, i) => new storage.Queue(`bench-${batch}-${i}`, { accountName: "stbench", queueName: `q${batch}x${i}`, resourceGroupName: "rg-bench" }));
    await Promise.all(queues.map((q) => new Promise((resolve) => pulumi.output(q.id).apply(resolve))));
  });
  return { wall: (t.wall * 1000) / count, cpu: (t.cpu * 1000) / count };
}

/**
 * The figures for `npm run bench`. The pack and the mock engine are timed in alternating rounds and the
 * ratio is the median of the per-round ratios, so load that changes during the run hits both sides; each
 * side of a round takes about as long as the other (60 checks of the stack, 100 registrations), and
 * garbage is collected before each, so neither pays for the other's.
 */
export async function run(): Promise<BenchFigure[]> {
  const stack: PolicyResourceInput[] = [...goodStack(), ...badStack()];
  const rounds = 15;
  const policy: Clocks[] = [];
  const mock: Clocks[] = [];
  await mockEngineCost(50, -1); // warm-up: the SDK's first registrations load modules
  for (let r = 0; r < rounds; r++) {
    const p = await timeAsync(() => checkResources(stack), 60);
    policy.push({ wall: p.wall / stack.length, cpu: p.cpu / stack.length });
    mock.push(await mockEngineCost(100, r));
  }
  const cpu = (xs: Clocks[]) => xs.map((x) => x.cpu);
  const wall = (xs: Clocks[]) => xs.map((x) => x.wall);
  const ratio = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]));
  return [
    { name: `policy pack: all policies per resource (${stack.length}-resource stack)`, unit: "µs/resource", value: Number(median(cpu(policy)).toFixed(1)), note: `CPU, median of ${rounds} rounds; wall ${median(wall(policy)).toFixed(1)}` },
    { name: "mock engine: register one azure-native resource", unit: "µs/resource", value: Number(median(cpu(mock)).toFixed(1)), note: `CPU, median of ${rounds} rounds; wall ${median(wall(mock)).toFixed(1)}` },
    {
      name: "policy evaluation vs mock-engine registration, per resource",
      note: `target <= 0.05; CPU time, median of per-round ratios ${roundRatios(cpu(policy), cpu(mock), 3)}; wall ${ratio(wall(policy), wall(mock)).toFixed(3)}`,
      unit: "x",
      value: ratio(cpu(policy), cpu(mock)),
    },
  ];
}
