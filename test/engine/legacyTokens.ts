/**
 * The upgrade from the previous release, as its state records it: every component under its old type
 * token. Rewriting a state's tokens back gives exactly the stack an existing user has (same names, same
 * inputs, the old URNs), so a preview of today's program against it shows what the upgrade would do.
 */
import { ML_EVENT_WORKFLOWS_LEGACY_TYPE, MlEventWorkflows } from "../../lib/composite/mlEventWorkflows";
import { MODEL_DEPLOYER_LEGACY_TYPE, ModelDeployer } from "../../lib/deployment/modelDeployer";
import { EMAIL_ALERTS_LEGACY_TYPE, EmailAlerts } from "../../lib/notifications/emailAlerts";
import { OBSERVABILITY_LEGACY_TYPE, Observability } from "../../lib/observability/observability";
import { DRIFT_RETRAIN_TRIGGER_LEGACY_TYPE, DriftRetrainTrigger } from "../../lib/retraining/driftRetrainTrigger";
import { EVENT_HUB_STREAM_LEGACY_TYPE, EventHubStream } from "../../lib/streaming/eventHubStream";
import { WORKSPACE_EVENTS_LEGACY_TYPE, WorkspaceEvents } from "../../lib/workspace/workspaceEvents";

/** Each multi-language component's token today, and the token the previous release wrote to state. */
export const TOKEN_UPGRADES: readonly (readonly [current: string, legacy: string])[] = [
  [EventHubStream.__type, EVENT_HUB_STREAM_LEGACY_TYPE],
  [WorkspaceEvents.__type, WORKSPACE_EVENTS_LEGACY_TYPE],
  [EmailAlerts.__type, EMAIL_ALERTS_LEGACY_TYPE],
  [DriftRetrainTrigger.__type, DRIFT_RETRAIN_TRIGGER_LEGACY_TYPE],
  [ModelDeployer.__type, MODEL_DEPLOYER_LEGACY_TYPE],
  [MlEventWorkflows.__type, ML_EVENT_WORKFLOWS_LEGACY_TYPE],
  [Observability.__type, OBSERVABILITY_LEGACY_TYPE],
];

/** A `pulumi stack export` with every current token replaced by its legacy one (types, URNs, parents). */
export function toLegacyState(exported: string): { state: string; replaced: string[] } {
  let state = exported;
  const replaced: string[] = [];
  for (const [current, legacy] of TOKEN_UPGRADES) {
    if (!state.includes(current)) continue;
    state = state.split(current).join(legacy);
    replaced.push(current);
  }
  return { state, replaced };
}
