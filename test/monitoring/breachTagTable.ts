/**
 * Realistic breach-tag texts, shaped like Azure/azureml-assets `_generate_error_message`: a head sentence,
 * a second sentence, then a Python list of Spark `toJSON()` rows. Shared by every parser test.
 */
export const HEAD_FRAGMENT = "has failed due to one or more features violating metric thresholds";

function tag(signalId: string, rows: readonly string[]): string {
  return (
    `The signal '${signalId}' ${HEAD_FRAGMENT}.\n` +
    "The feature names and their corresponding computed metric values violating the threshold are \n" +
    `[${rows.map((r) => `'${r}'`).join(", ")}]\n`
  );
}

export const DRIFT_TWO_FEATURES = tag("credit-default-monitor_data-drift-signal", [
  '{"group":"age","metric_value":0.3127,"metric_name":"jensen_shannon_distance","threshold_value":0.1}',
  '{"group":"credit_limit","metric_value":0.0452,"metric_name":"population_stability_index","threshold_value":0.02}',
]);

export const PREDICTION_DRIFT = tag("churn_prediction_drift", [
  '{"group":"prediction","metric_value":1.7E-1,"metric_name":"normalized_wasserstein_distance","threshold_value":0.15}',
]);

export const NO_ROWS = `The signal 'fraudmon_dataquality' ${HEAD_FRAGMENT}.\n`;

/** Texts that are not a readable breach, with the reason fragment the parser must give. */
export const MALFORMED: ReadonlyArray<readonly [string, unknown, RegExp]> = [
  ["missing tag", undefined, /missing or empty/],
  ["empty tag", "  ", /missing or empty/],
  ["non-string tag", 42, /missing or empty/],
  ["ordinary failure text", "UserError: training script exited with code 1", /does not start with/],
  ["signal without monitor", `The signal 'datadrift' ${HEAD_FRAGMENT}.`, /is not '<monitor>_<signal>'/],
  ["truncated row", tag("m_s", ['{"group":"age","metric_value":0.31,}']), /is not JSON/],
  ["non-numeric value", tag("m_s", ['{"group":"age","metric_value":"NaN","metric_name":"psi","threshold_value":0.1}']), /non-numeric metric_value/],
  ["missing metric name", tag("m_s", ['{"group":"age","metric_value":0.2,"threshold_value":0.1}']), /lacks a string group or metric_name/],
];
