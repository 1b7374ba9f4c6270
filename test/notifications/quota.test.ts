import * as assert from "assert";
import { AmlEventType } from "../../lib/events";
import { ACS_EMAIL_RATE_LIMITS, DEFAULT_ALERT_EVENTS, estimateAlertVolume, quotaExceedances } from "../../lib/notifications";

describe("estimateAlertVolume / quotaExceedances", () => {
  it("adds one email per rule and matching event, with the assumption of each rule", () => {
    const e = estimateAlertVolume(DEFAULT_ALERT_EVENTS);
    assert.deepStrictEqual(
      e.rules.map((r) => [r.eventType.split(".").pop(), r.perHour, r.perMinutePeak]),
      [
        ["RunStatusChanged", 1.2, 0.6],
        ["RunStatusChanged", 0.25, 0.25], // the breach rule: tagged runs only, not every completed or failed run
        ["RunCompleted", 12, 6],
        ["ModelRegistered", 1, 1],
        ["ModelDeployed", 0.5, 0.5],
      ],
    );
    assert.strictEqual(e.perHour, 14.95);
    assert.strictEqual(e.perMinutePeak, 8.35);
    assert.match(e.rules[0].assumption, /^runs reaching failed: 12 runs\/hour \(peak 6\/minute\) × 0\.1$/);
  });

  it("counts statuses per rule and a second rule of the same type again (rules × event types × statuses)", () => {
    const e = estimateAlertVolume(
      [
        { eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed", "canceled", "Running"] },
        { eventType: AmlEventType.ModelRegistered, recipients: ["a@contoso.com"] },
        { eventType: AmlEventType.ModelRegistered, recipients: ["b@contoso.com"], tags: { stage: ["prod"] } },
      ],
      { runsPerHour: 20, modelsRegisteredPerHour: 3 },
    );
    assert.deepStrictEqual(e.rules.map((r) => r.perHour), [20 * (0.1 + 0.05 + 1), 3, 3]);
    assert.strictEqual(e.perHour, 29);
  });

  it("finds the default rule set over the Azure-managed limits and a failures-only set within them", () => {
    const over = quotaExceedances(estimateAlertVolume(DEFAULT_ALERT_EVENTS));
    assert.strictEqual(over.length, 1);
    assert.match(over[0], /14\.95 emails\/hour against 10 and 8\.35 emails\/minute at a peak against 5 \(the Azure-managed domain's limit per subscription; sends over it fail with 429\)/);
    assert.match(over[0], /Use a custom verified domain \(email\.domain\)/);
    assert.deepStrictEqual(quotaExceedances(estimateAlertVolume([{ eventType: AmlEventType.RunStatusChanged, runStatuses: ["failed"] }])), []);
    assert.deepStrictEqual(quotaExceedances(estimateAlertVolume(DEFAULT_ALERT_EVENTS), ACS_EMAIL_RATE_LIMITS.customDomainDefault, "custom"), []);
  });

  it("refuses a negative or non-finite assumption with its name and value", () => {
    assert.throws(() => estimateAlertVolume(undefined, { runsPerHour: -1 }), /alert volume assumption runsPerHour is -1; expected a finite number ≥ 0\./);
    assert.throws(() => estimateAlertVolume(undefined, { failedRunShare: Number.NaN }), /failedRunShare is null/);
  });
});
