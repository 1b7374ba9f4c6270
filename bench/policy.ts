/**
 * Policy pack cost: evaluating every policy (engine-faithful harness: proxy, type filtering, config
 * reconciliation, stack policies) per resource of a realistic stack, against what the Pulumi mock
 * engine spends registering one simple azure-native resource, measured in the same run.
 */
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { installAzureMocks } from "../lib/plan/mocks";
import { checkResources, PolicyResourceInput } from "../policy/api";
import { badStack } from "../test/policy/bad-stack";
import { goodStack } from "../test/policy/fixtures";
import { median } from "./stats";
import { BenchFigure } from "./types";

/** Median wall time in ns of `fn()` over `rounds` rounds of `iterations` awaited calls each. */
async function timeAsync(fn: () => Promise<unknown>, iterations: number, rounds = 5): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn();
    samples.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** Registers `count` storage queues under the mocks and returns ns per resource (one batch; `batch` names it). */
async function mockEngineCost(count: number, batch: number): Promise<number> {
  installAzureMocks("aml-event-workflows", "bench");
  const start = process.hrtime.bigint();
  const queues = Array.from({ length: count }, (_, i) => new storage.Queue(`bench-${batch}-${i}`, { accountName: "stbench", queueName: `q${batch}x${i}`, resourceGroupName: "rg-bench" }));
  await Promise.all(queues.map((q) => new Promise((resolve) => pulumi.output(q.id).apply(resolve))));
  return Number(process.hrtime.bigint() - start) / count;
}

/**
 * The figures for `npm run bench`. The pack and the mock engine are timed in alternating rounds and the
 * ratio is the median of the per-round ratios, so load that changes during the run hits both sides.
 */
export async function run(): Promise<BenchFigure[]> {
  const stack: PolicyResourceInput[] = [...goodStack(), ...badStack()];
  const rounds = 7;
  const policy: number[] = [];
  const mock: number[] = [];
  await mockEngineCost(50, -1); // warm-up: the SDK's first registrations load modules
  for (let r = 0; r < rounds; r++) {
    policy.push((await timeAsync(() => checkResources(stack), 10, 3)) / stack.length / 1000);
    mock.push((await mockEngineCost(200, r)) / 1000);
  }
  const ratios = policy.map((p, i) => p / mock[i]);
  return [
    { name: `policy pack: all policies per resource (${stack.length}-resource stack)`, unit: "µs/resource", value: Number(median(policy).toFixed(1)), note: `median of ${rounds} rounds` },
    { name: "mock engine: register one azure-native resource", unit: "µs/resource", value: Number(median(mock).toFixed(1)), note: `median of ${rounds} rounds` },
    {
      name: "policy evaluation vs mock-engine registration, per resource",
      note: `target <= 0.05; below 1: checking a plan costs less than building it; median of per-round ratios ${ratios.map((x) => x.toFixed(3)).join(", ")}`,
      unit: "x",
      value: median(ratios),
    },
  ];
}
