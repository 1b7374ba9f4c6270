/**
 * Filter-evaluation throughput, measured against JSON.parse of the same event (the cost every
 * handler pays anyway): a realistic 5-advanced-filter subscription on the sample ModelRegistered
 * event (target: under half a JSON.parse), and routing one event across 500 subscriptions. Every
 * figure is CPU time per call (bench/stats.ts says why).
 */
import { AmlEventType, AmlEventTypeName, ALL_AML_EVENT_TYPES, sampleEvents } from "../lib/events";
import { advanced, compileFilter, EventFilter, evaluateFilter, RoutableSubscription, routeEvent } from "../lib/filters";
import { BenchFigure, timePerCall } from "./types";

/** The subscription measured: what a model deployer listening for tagged sklearn models would declare. */
export const MODEL_SUBSCRIPTION: EventFilter = {
  includedEventTypes: [AmlEventType.ModelRegistered],
  subjectBeginsWith: "models/",
  advancedFilters: [
    advanced.stringIn("data.modelTags.area", "diabetes", "churn"),
    advanced.stringIn("data.modelTags.type", "regression", "classification"),
    advanced.stringBeginsWith("data.modelName", "sklearn_", "xgboost_"),
    advanced.stringNotIn("data.modelTags.stage", "archived", "deprecated"),
    advanced.isNotNull("data.modelVersion"),
  ],
};

/** 500 subscriptions shaped like a busy platform topic's: alerts, deployers, drift triggers, streams. */
export function manySubscriptions(count = 500): RoutableSubscription[] {
  const subs: RoutableSubscription[] = [];
  const statuses = ["failed", "completed", "canceled", "running"];
  for (let i = 0; i < count; i++) {
    const type: AmlEventTypeName = ALL_AML_EVENT_TYPES[i % ALL_AML_EVENT_TYPES.length];
    let filter: EventFilter;
    switch (type) {
      case AmlEventType.RunStatusChanged:
        filter = { includedEventTypes: [type], advancedFilters: [advanced.stringIn("data.runStatus", statuses[i % statuses.length]), advanced.stringIn("data.experimentName", `exp-${i % 17}`, "automl-local-regression")] };
        break;
      case AmlEventType.ModelRegistered:
        filter = { includedEventTypes: [type], subjectBeginsWith: `models/${i % 3 === 0 ? "sklearn" : `model-${i}`}`, advancedFilters: [advanced.stringIn("data.modelTags.area", "diabetes", `team-${i % 11}`)] };
        break;
      case AmlEventType.DatasetDriftDetected:
        filter = { includedEventTypes: [type], advancedFilters: [advanced.numberGreaterThanOrEquals("data.driftCoefficient", (i % 10) / 10)] };
        break;
      case AmlEventType.RunCompleted:
        filter = { includedEventTypes: [type], advancedFilters: [advanced.stringIn("data.runType", "azureml.PipelineRun"), advanced.stringNotIn("data.experimentName", `scratch-${i}`)] };
        break;
      default:
        filter = i % 2 === 0 ? {} : { includedEventTypes: [type], subjectEndsWith: `-${i % 7}` };
    }
    subs.push({ name: `sub-${String(i).padStart(3, "0")}`, filter, destination: `dest-${i % 9}` });
  }
  return subs;
}

export async function run(): Promise<BenchFigure[]> {
  const events = sampleEvents();
  const model = events.find((e) => e.eventType === AmlEventType.ModelRegistered);
  if (model === undefined) throw new Error("bench/filters: no ModelRegistered sample event");
  const json = JSON.stringify(model);
  // Measure on the parsed event, as a handler or the plan would hold it.
  const event: unknown = JSON.parse(json);
  if (!evaluateFilter(MODEL_SUBSCRIPTION, event)) throw new Error("bench/filters: the measured subscription must match its event (all clauses evaluated)");

  let sink = 0;
  const parseNs = timePerCall(() => {
    sink += (JSON.parse(json) as { id: string }).id.length;
  });
  const evalNs = timePerCall(() => {
    if (evaluateFilter(MODEL_SUBSCRIPTION, event)) sink++;
  });
  const compileUs = timePerCall(() => {
    sink += compileFilter(MODEL_SUBSCRIPTION).length;
  }) / 1000;

  const subs = manySubscriptions(500);
  const routed = routeEvent(event, subs);
  const routeUs = timePerCall(() => {
    sink += routeEvent(event, subs).delivered.length;
  }) / 1000;
  const evalAllUs = timePerCall(() => {
    for (let i = 0; i < subs.length; i++) if (evaluateFilter(subs[i].filter, event)) sink++;
  }) / 1000;
  if (sink < 0) console.log(sink); // keep the work observable

  return [
    { name: "filter evaluation: 5-advanced-filter subscription on ModelRegistered", value: round(evalNs), unit: "ns/event" },
    { name: "JSON.parse of the same event", value: round(parseNs), unit: "ns/event", note: `${json.length} bytes` },
    { name: "filter evaluation vs JSON.parse", value: round(evalNs / parseNs, 3), unit: "x", note: "target < 0.5; CPU time" },
    { name: "compileFilter of that subscription (once per filter, cached)", value: round(compileUs, 2), unit: "µs" },
    { name: "routeEvent: one event across 500 subscriptions", value: round(routeUs, 2), unit: "µs/event", note: `${routed.delivered.length} delivered, ${routed.skipped.length} skipped with reasons` },
    { name: "routing 500 subscriptions vs JSON.parse", value: round((routeUs * 1000) / parseNs, 1), unit: "x" },
    { name: "evaluateFilter over the same 500 subscriptions (decisions only, no reasons)", value: round(evalAllUs, 2), unit: "µs/event" },
  ];
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

if (require.main === module) {
  run().then(
    (figures) => {
      for (const f of figures) console.log(`${f.name}: ${f.value} ${f.unit}${f.note ? ` (${f.note})` : ""}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
