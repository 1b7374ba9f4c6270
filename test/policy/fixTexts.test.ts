/**
 * Every argument a policy's fix text names must exist: in the azure-native 3.x input types the policy
 * checks, in this library's component args (their key tables), in Pulumi's resource options, or in the
 * pack's own config knobs. A fix text naming a misspelt or invented argument sends the user hunting.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { policies } from "../../policy/api";
import * as lib from "../../lib";
import { CAPABILITY_OPTION_KEYS, ML_EVENT_WORKFLOWS_ARG_KEYS } from "../../lib/composite";
import { DEPLOY_RULE_KEYS, MODEL_DEPLOYER_ARG_KEYS } from "../../lib/deployment/modelDeployer";
import { EMAIL_ALERT_RULE_KEYS, EMAIL_ALERTS_ARG_KEYS, EMAIL_TRANSPORT_KEYS } from "../../lib/notifications";
import { ALERT_THRESHOLD_KEYS, ALERT_TIMING_KEYS, OBSERVABILITY_ARG_KEYS } from "../../lib/observability";
import { CREATE_RETRAIN_PIPELINE_KEYS, DRIFT_RETRAIN_TRIGGER_ARG_KEYS, EXISTING_RETRAIN_PIPELINE_KEYS } from "../../lib/retraining";
import { EVENT_HUB_SETTINGS_KEYS, EVENT_HUB_STREAM_ARG_KEYS } from "../../lib/streaming";
import { DELIVERY_OPTION_KEYS, SUBSCRIBE_ARG_KEYS, WORKSPACE_EVENTS_ARG_KEYS } from "../../lib/workspace";

const ROOT = path.resolve(__dirname, "../../..");
const AZURE_NATIVE = path.join(ROOT, "node_modules/@pulumi/azure-native");
/** The azure-native modules whose resources the policies check. */
const MODULES = ["eventgrid", "web", "authorization", "logic", "datafactory", "storage", "machinelearningservices", "eventhub", "monitor", "operationalinsights", "communication"];

/** Property names declared in a .d.ts file (interface members), read from its text. */
function declaredProperties(file: string): string[] {
  return [...fs.readFileSync(file, "utf8").matchAll(/^\s+(?:readonly\s+)?([A-Za-z_$][\w$]*)\??:/gm)].map((m) => m[1]);
}

/** Every name a fix text may rightly call an argument. */
function knownArguments(): Set<string> {
  const known = new Set<string>();
  const add = (names: Iterable<string>): void => {
    for (const n of names) known.add(n);
  };
  add(declaredProperties(path.join(AZURE_NATIVE, "types/input.d.ts")));
  for (const m of MODULES) {
    const dir = path.join(AZURE_NATIVE, m);
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".d.ts"))) add(declaredProperties(path.join(dir, f)));
  }
  add(declaredProperties(path.join(ROOT, "node_modules/@pulumi/pulumi/resource.d.ts"))); // dependsOn, ignoreChanges, …
  add(declaredProperties(path.join(ROOT, "node_modules/@pulumi/policy/policy.d.ts"))); // remediationSteps, enforcementLevel, …
  const tables = [
    WORKSPACE_EVENTS_ARG_KEYS, SUBSCRIBE_ARG_KEYS, DELIVERY_OPTION_KEYS, EMAIL_ALERTS_ARG_KEYS, EMAIL_ALERT_RULE_KEYS, EMAIL_TRANSPORT_KEYS,
    DRIFT_RETRAIN_TRIGGER_ARG_KEYS, CREATE_RETRAIN_PIPELINE_KEYS, EXISTING_RETRAIN_PIPELINE_KEYS, MODEL_DEPLOYER_ARG_KEYS, DEPLOY_RULE_KEYS,
    EVENT_HUB_STREAM_ARG_KEYS, EVENT_HUB_SETTINGS_KEYS, OBSERVABILITY_ARG_KEYS, ALERT_THRESHOLD_KEYS, ALERT_TIMING_KEYS, ML_EVENT_WORKFLOWS_ARG_KEYS,
    ...Object.values(CAPABILITY_OPTION_KEYS),
  ];
  for (const t of tables) add(Object.keys(t));
  add(Object.keys(lib)); // helpers a fix text may point to (assignRole, modelTagIn, …)
  for (const p of policies) add(Object.keys((p.configSchema?.properties ?? {}) as object));
  return known;
}

/** Argument-like names in a text: camelCase identifiers and dotted paths of them (`retryPolicy.maxDeliveryAttempts`). */
export function argumentNames(text: string): string[] {
  return [...text.matchAll(/(?<![\w./@'-])[a-z][a-z0-9]*(?:[A-Z][A-Za-z0-9]*)+(?:\.[a-z][A-Za-z0-9]*)*/g)].map((m) => m[0]);
}

/** The fix texts of the pack: remediation steps, descriptions, and every message literal in policies/*.ts. */
function fixTexts(): { where: string; text: string }[] {
  const out = policies.flatMap((p) => [
    { where: `${p.name} remediationSteps`, text: p.remediationSteps ?? "" },
    { where: `${p.name} description`, text: p.description },
  ]);
  const dir = path.join(ROOT, "policy/policies");
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".ts"))) {
    const src = ts.createSourceFile(f, fs.readFileSync(path.join(dir, f), "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      const literal = ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n);
      // Sentences only: a literal without a space is a key, a type token or an identifier, not prose.
      if (literal && /\s/.test(n.text)) out.push({ where: `${f}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`, text: n.text });
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return out;
}

/** The names in `texts` that are no known argument (each path segment must be one). */
function unknownNames(texts: readonly { where: string; text: string }[], known: ReadonlySet<string>): string[] {
  return texts.flatMap(({ where, text }) => argumentNames(text).filter((name) => !name.split(".").every((seg) => known.has(seg))).map((name) => `${where}: ${name}`));
}

describe("policy fix texts name real arguments", () => {
  const known = knownArguments();

  it("finds the argument names fix texts use", () => {
    assert.deepStrictEqual(argumentNames("Set retryPolicy.maxDeliveryAttempts to 1-30 and eventTimeToLiveInMinutes to 1-1440 (see https://learn.microsoft.com/x)."), [
      "retryPolicy.maxDeliveryAttempts",
      "eventTimeToLiveInMinutes",
    ]);
    const texts = fixTexts();
    assert.ok(texts.length > policies.length * 2, `only ${texts.length} texts found`);
    assert.ok(texts.some((t) => argumentNames(t.text).includes("deadLetterWithResourceIdentity")));
  });

  it("every argument named in remediation steps, descriptions and violation messages exists", () => {
    assert.deepStrictEqual(unknownNames(fixTexts(), known), []);
  });

  it("catches a fix text naming an argument that doesn't exist", () => {
    const bad = [
      { where: "example", text: "Set retryPolicy.maxDeliveryAttempt to 1-30." },
      { where: "example", text: "Pass deadLetterStorage to WorkspaceEvents." },
    ];
    assert.deepStrictEqual(unknownNames(bad, known), ["example: retryPolicy.maxDeliveryAttempt", "example: deadLetterStorage"]);
  });
});
