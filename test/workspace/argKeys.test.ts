import * as assert from "assert";
import { MlEventWorkflows, MlEventWorkflowsArgs } from "../../lib/composite";
import { ModelDeployer, ModelDeployerArgs } from "../../lib/deployment/modelDeployer";
import { AmlEventType } from "../../lib/events";
import { EmailAlerts, EmailAlertsArgs } from "../../lib/notifications";
import { Observability, ObservabilityArgs } from "../../lib/observability";
import { DriftRetrainTrigger, DriftRetrainTriggerArgs } from "../../lib/retraining";
import { EventHubStream, EventHubStreamArgs } from "../../lib/streaming";
import { closestName, unknownArgumentProblems, WorkspaceEvents, WorkspaceEventsArgs } from "../../lib/workspace";
import { EventHubDestination } from "../../lib/destinations";
import { workspaceId } from "../helpers/pulumi";

/** What a JavaScript caller can pass: any object, unchecked by the compiler. */
function js<T>(value: Record<string, unknown>): T {
  return value as unknown as T;
}

function events(label: string): WorkspaceEvents {
  return new WorkspaceEvents(`argk-${label}`, { workspaceId: workspaceId(label), resourceGroupName: "rg-ml", location: "westeurope" });
}

const HUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.EventHub/namespaces/ns1/eventhubs/aml";
const FACTORY = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ml/providers/Microsoft.DataFactory/factories/adf1";

function throwsWith(make: () => unknown, ...parts: (string | RegExp)[]): void {
  assert.throws(make, (err: Error) => {
    for (const p of parts) {
      if (typeof p === "string") assert.ok(err.message.includes(p), `expected ${JSON.stringify(p)} in:\n${err.message}`);
      else assert.match(err.message, p);
    }
    return true;
  });
}

describe("argument names checked at run time", () => {
  it("suggests the closest name, ignoring case and small typos, and lists the names when none is close", () => {
    assert.strictEqual(closestName("maxDeliveryAttempt", ["maxDeliveryAttempts", "labels"]), "maxDeliveryAttempts");
    assert.strictEqual(closestName("RECIPIENTS", ["recipients", "alerts"]), "recipients");
    assert.strictEqual(closestName("colour", ["recipients", "alerts"]), undefined);
    assert.deepStrictEqual(unknownArgumentProblems({ a: 1, colour: 2 }, { a: true, b: true }, "opt."), ["unknown argument 'opt.colour'; the arguments of opt are a, b."]);
    assert.deepStrictEqual(unknownArgumentProblems({ a: 1, b: 2 }, { a: true, b: true }), []);
  });

  it("WorkspaceEvents names the component and the unknown argument, nested ones with their path", () => {
    throwsWith(
      () => new WorkspaceEvents("argk-ws", js<WorkspaceEventsArgs>({ workspaceId: workspaceId("w"), resourceGroupName: "rg", location: "westeurope", systemTopicname: "t1", defaults: { maxDeliveryAttempt: 3 } })),
      `WorkspaceEvents("argk-ws"): unknown argument 'systemTopicname'; did you mean 'systemTopicName'?`,
      `WorkspaceEvents("argk-ws"): unknown argument 'defaults.maxDeliveryAttempt'; did you mean 'defaults.maxDeliveryAttempts'?`,
    );
  });

  it("subscribe() catches a misspelt option", () => {
    const ev = events("sub");
    throwsWith(() => ev.subscribe("hub-sub", js({ destination: new EventHubDestination({ eventHubId: HUB }), fitler: {} })), `subscribe("hub-sub"): unknown argument 'fitler'; did you mean 'filter'?`);
  });

  it("EmailAlerts checks its args, each rule and the email transport", () => {
    const ev = events("mail");
    throwsWith(
      () =>
        new EmailAlerts(
          "argk-mail",
          js<EmailAlertsArgs>({
            events: ev,
            recipients: ["ml-oncall@contoso.com"],
            maxDeliveryAttempt: 3,
            alerts: [AmlEventType.RunCompleted, { eventType: AmlEventType.RunStatusChanged, experimentPrefix: "churn-" }],
            email: { kind: "communicationServices", datalocation: "Europe" },
          }),
        ),
      `EmailAlerts("argk-mail"):`,
      "unknown argument 'maxDeliveryAttempt'; did you mean 'maxDeliveryAttempts'?",
      "unknown argument 'alerts[1].experimentPrefix'; did you mean 'alerts[1].experimentNamePrefix'?",
      "unknown argument 'email.datalocation'; did you mean 'email.dataLocation'?",
    );
  });

  it("DriftRetrainTrigger checks its args and its pipeline options", () => {
    const ev = events("drift");
    throwsWith(
      () =>
        new DriftRetrainTrigger(
          "argk-drift",
          js<DriftRetrainTriggerArgs>({ events: ev, existingPipeline: { factoryId: FACTORY, pipeline: "retrain" }, coolDownHour: 24 }),
        ),
      `DriftRetrainTrigger("argk-drift"): unknown argument 'coolDownHour'; did you mean 'coolDownHours'?`,
      `DriftRetrainTrigger("argk-drift"): unknown argument 'existingPipeline.pipeline'; did you mean 'existingPipeline.pipelineName'?`,
    );
  });

  it("DriftRetrainTrigger checks the model monitor scope, the batch endpoint and the retrained model (a misspelt scope would widen the subscription)", () => {
    const ev = events("drift2");
    throwsWith(
      () =>
        new DriftRetrainTrigger(
          "argk-breach",
          js<DriftRetrainTriggerArgs>({
            events: ev,
            modelMonitor: { monitorName: ["credit-default-monitor"] },
            retrainedModel: { name: "credit-default", tag: { type: "classification" } },
            createPipeline: { batchEndpoint: { endpointName: "retrain-credit", region: "westeurope", pollInterval: 60 } },
          }),
        ),
      `DriftRetrainTrigger("argk-breach"): unknown argument 'modelMonitor.monitorName'; did you mean 'modelMonitor.monitorNames'?`,
      `unknown argument 'retrainedModel.tag'; did you mean 'retrainedModel.tags'?`,
      `unknown argument 'createPipeline.batchEndpoint.pollInterval'; did you mean 'createPipeline.batchEndpoint.pollIntervalSeconds'?`,
    );
  });

  it("ModelDeployer checks its args and each rule", () => {
    const ev = events("deploy");
    throwsWith(
      () =>
        new ModelDeployer(
          "argk-deploy",
          js<ModelDeployerArgs>({ events: ev, resourceGroupName: "rg-ml", location: "westeurope", rules: [{ tags: { stage: ["production"] }, endpoint: "churn-ep-7f3a" }], instanceMemoryMb: 2048 }),
        ),
      `ModelDeployer("argk-deploy")`,
      "unknown argument 'instanceMemoryMb'; did you mean 'instanceMemoryMB'?",
      "rules[0]: unknown property 'endpoint'",
    );
  });

  it("EventHubStream checks its args and the hub settings", () => {
    const ev = events("stream");
    throwsWith(
      () => new EventHubStream("argk-stream", js<EventHubStreamArgs>({ events: ev, eventHub: { partitions: 4 }, includeEventTypes: [AmlEventType.ModelRegistered] })),
      `EventHubStream("argk-stream"): unknown argument 'includeEventTypes'; did you mean 'includedEventTypes'?`,
      `EventHubStream("argk-stream"): unknown argument 'eventHub.partitions'; the arguments of eventHub are namespaceName, eventHubName, capacity, partitionCount, retentionTimeInHours.`,
    );
  });

  it("Observability checks its args and thresholds", () => {
    throwsWith(
      () => new Observability("argk-obs", js<ObservabilityArgs>({ resourceGroupName: "rg-ml", location: "westeurope", recipients: ["ops@contoso.com"], factoryId: FACTORY, thresholds: { deadLettered: 1 }, retentionDays: 30 })),
      `Observability("argk-obs"): unknown argument 'retentionDays'; did you mean 'retentionInDays'?`,
      `Observability("argk-obs"): unknown argument 'thresholds.deadLettered'; did you mean 'thresholds.deadlettered'?`,
    );
  });

  it("MlEventWorkflows names nested capability options by the path the caller wrote", () => {
    throwsWith(
      () =>
        new MlEventWorkflows(
          "argk-composite",
          js<MlEventWorkflowsArgs>({
            workspaceId: workspaceId("composite"),
            resourceGroupName: "rg-ml",
            location: "westeurope",
            email: { recipients: ["ml-oncall@contoso.com"], alerts: [{ eventType: AmlEventType.ModelRegistered, tag: { stage: ["prod"] } }] },
            deployer: { rules: [], resourceGroupName: "rg-other" },
            streaming: { eventHub: { partitionCount: 4 }, subscriptionname: "s-1" },
          }),
        ),
      `MlEventWorkflows("argk-composite"): unknown argument 'email.alerts[0].tag'; did you mean 'email.alerts[0].tags'?`,
      `MlEventWorkflows("argk-composite"): unknown argument 'deployer.resourceGroupName'`,
      `MlEventWorkflows("argk-composite"): unknown argument 'streaming.subscriptionname'; did you mean 'streaming.subscriptionName'?`,
    );
  });
});

describe("errors in the caller's terms", () => {
  it("EmailAlerts({maxDeliveryAttempts: 0}) names the component and its argument, not the internal subscribe call", () => {
    const ev = events("mail0");
    assert.throws(
      () => new EmailAlerts("argk-mail0", { events: ev, recipients: ["ml-oncall@contoso.com"], maxDeliveryAttempts: 0, eventTimeToLiveInMinutes: 2000 }),
      (err: Error) => {
        assert.match(err.message, /^EmailAlerts\("argk-mail0"\):\n/);
        assert.ok(err.message.includes("maxDeliveryAttempts 0 is out of range; Event Grid accepts an integer from 1 to 30."), err.message);
        assert.ok(err.message.includes("eventTimeToLiveInMinutes 2000 is out of range"), err.message);
        assert.ok(!err.message.includes("subscribe("), err.message);
        return true;
      },
    );
  });

  it("ModelDeployer and EventHubStream report delivery options as their own arguments", () => {
    const ev = events("deliv");
    throwsWith(
      () => new ModelDeployer("argk-deliv", { events: ev, resourceGroupName: "rg-ml", location: "westeurope", rules: [{ models: ["sklearn_regression_model"], tags: { stage: ["production"] }, endpointName: "churn-ep-7f3a" }], eventTimeToLiveInMinutes: 0 }),
      `ModelDeployer("argk-deliv") has invalid arguments:\neventTimeToLiveInMinutes 0 is out of range`,
    );
    assert.throws(
      () => new EventHubStream("argk-deliv-stream", { events: ev, existingEventHubId: HUB, maxDeliveryAttempts: 31 }),
      (err: Error) => err.message.startsWith(`EventHubStream("argk-deliv-stream"): maxDeliveryAttempts 31 is out of range`) && !err.message.includes("subscribe("),
    );
  });

  it("a subscription-name clash names the taken name and suggests subscriptionName", () => {
    const ev = events("clash");
    new EventHubStream("argk-clash-a", { events: ev, existingEventHubId: HUB });
    throwsWith(
      () => new EventHubStream("argk-clash-b", { events: ev, existingEventHubId: HUB }),
      `EventHubStream("argk-clash-b"): the event subscription name "stream-to-event-hub" (the default) is already used on this workspace's system topic`,
      `set subscriptionName to another name (e.g. "stream-to-event-hub-2")`,
    );
    throwsWith(
      () => new DriftRetrainTrigger("argk-clash-c", { events: ev, existingPipeline: { factoryId: FACTORY, pipelineName: "retrain" }, subscriptionName: "STREAM-to-event-hub" }),
      `DriftRetrainTrigger("argk-clash-c"): the event subscription name "STREAM-to-event-hub" is already used`,
      "set subscriptionName to another name",
    );
    throwsWith(
      () => new ModelDeployer("argk-clash-d", { events: ev, resourceGroupName: "rg-ml", location: "westeurope", rules: [{ models: ["sklearn_regression_model"], tags: { stage: ["production"] }, endpointName: "churn-ep-7f3a" }], subscriptionName: "stream-to-event-hub" }),
      `the event subscription name "stream-to-event-hub" is already used`,
      "set subscriptionName to another name",
    );
  });

  it("an EmailAlerts whose derived subscription name is taken says how the name is derived", () => {
    const ev = events("clash-mail");
    new EventHubStream("argk-clash-mail-s", { events: ev, existingEventHubId: HUB, subscriptionName: "argk-cm-alerts" });
    throwsWith(
      () => new EmailAlerts("argk-cm", { events: ev, recipients: ["ml-oncall@contoso.com"], alerts: [{ eventType: AmlEventType.ModelRegistered }] }),
      `EmailAlerts("argk-cm"):`,
      `the event subscription name "argk-cm-alerts" (EmailAlerts names its subscriptions {name}-alerts, {name}-run-status and {name}-breach) is already used`,
      "give the component another name",
    );
  });

  it("subscribe()'s own clash message points at subscriptionName", () => {
    const ev = events("clash-sub");
    const destination = new EventHubDestination({ eventHubId: HUB });
    ev.subscribe("to-hub", { destination });
    throwsWith(() => ev.subscribe("TO-HUB", { destination }), `subscribe("TO-HUB"): a subscription named "TO-HUB" already exists`, "subscriptionName argument");
  });
});
