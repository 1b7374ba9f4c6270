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

/** Registers `count` storage queues under the mocks and returns ns per resource (median of 3 batches). */
async function mockEngineCost(count: number): Promise<number> {
  installAzureMocks("aml-event-workflows", "bench");
  const samples: number[] = [];
  for (let batch = 0; batch < 3; batch++) {
    const start = process.hrtime.bigint();
    const queues = Array.from({ length: count }, (_, i) => new storage.Queue(`bench-${batch}-${i}`, { accountName: "stbench", queueName: `q${batch}x${i}`, resourceGroupName: "rg-bench" }));
    await Promise.all(queues.map((q) => new Promise((resolve) => pulumi.output(q.id).apply(resolve))));
    samples.push(Number(process.hrtime.bigint() - start) / count);
  }
  samples.sort((a, b) => a - b);
  return samples[1];
}

/** The figures for `npm run bench`. */
export async function run(): Promise<BenchFigure[]> {
  const stack: PolicyResourceInput[] = [...goodStack(), ...badStack()];
  const perStack = await timeAsync(() => checkResources(stack), 50);
  const policyUs = perStack / stack.length / 1000;
  const mockUs = (await mockEngineCost(200)) / 1000;
  return [
    { name: `policy pack: all policies per resource (${stack.length}-resource stack)`, unit: "µs/resource", value: Number(policyUs.toFixed(1)) },
    { name: "mock engine: register one azure-native resource", unit: "µs/resource", value: Number(mockUs.toFixed(1)) },
    {
      name: "policy evaluation vs mock-engine registration, per resource",
      note: "below 1: checking a plan costs less than building it",
      unit: "x",
      value: policyUs / mockUs,
    },
  ];
}
