/**
 * Builds the analyzer RPC messages the Pulumi engine sends (`Analyze`, `AnalyzeStack`, `Configure`)
 * and reads its answers, so tests can drive `@pulumi/policy`'s own analyzer — in process, or the
 * real pack over gRPC — and compare it with `checkResources`.
 */
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PolicyResourceInput, ResolvedPolicyConfig, Violation } from "../../policy/api";

/** What the engine keeps of one diagnostic. */
export interface EngineDiagnostic {
  readonly policyName: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "disabled" | "remediate";
  readonly message: string;
  readonly urn: string;
}

const urnOf = (r: PolicyResourceInput): string => r.urn ?? `urn:pulumi:offline::aml-event-workflows::${r.type}::${r.name}`;
const json = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

/** The engine's `Analyze` request for one resource. */
export function analyzeRequest(r: PolicyResourceInput): analyzerpb.AnalyzeRequest {
  const req = new analyzerpb.AnalyzeRequest();
  req.setType(r.type);
  req.setName(r.name);
  req.setUrn(urnOf(r));
  req.setProperties(Struct.fromJavaScript(json(r.props) as never));
  req.setOptions(new analyzerpb.AnalyzerResourceOptions());
  return req;
}

/** The engine's `AnalyzeStack` request for all resources. */
export function analyzeStackRequest(resources: readonly PolicyResourceInput[]): analyzerpb.AnalyzeStackRequest {
  const req = new analyzerpb.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const res = new analyzerpb.AnalyzerResource();
      res.setType(r.type);
      res.setName(r.name);
      res.setUrn(urnOf(r));
      res.setProperties(Struct.fromJavaScript(json(r.props) as never));
      res.setOptions(new analyzerpb.AnalyzerResourceOptions());
      if (r.parent) res.setParent(r.parent);
      res.setDependenciesList([...(r.dependencies ?? [])]);
      return res;
    }),
  );
  return req;
}

const LEVEL: Readonly<Record<string, analyzerpb.EnforcementLevel>> = {
  advisory: analyzerpb.EnforcementLevel.ADVISORY,
  disabled: analyzerpb.EnforcementLevel.DISABLED,
  mandatory: analyzerpb.EnforcementLevel.MANDATORY,
  remediate: analyzerpb.EnforcementLevel.REMEDIATE,
};

/** The engine's `Configure` request for a reconciled config (what the CLI sends after merging defaults). */
export function configureRequest(config: Readonly<Record<string, ResolvedPolicyConfig>>): analyzerpb.ConfigureAnalyzerRequest {
  const req = new analyzerpb.ConfigureAnalyzerRequest();
  for (const [name, c] of Object.entries(config)) {
    const pc = new analyzerpb.PolicyConfig();
    pc.setEnforcementlevel(LEVEL[c.enforcementLevel ?? "advisory"]);
    pc.setProperties(Struct.fromJavaScript(json(c.properties) as never));
    req.getPolicyconfigMap().set(name, pc);
  }
  return req;
}

/** The diagnostics of an analyzer response. */
export function diagnosticsOf(resp: analyzerpb.AnalyzeResponse): EngineDiagnostic[] {
  const names = ["advisory", "mandatory", "disabled", "remediate"] as const;
  return resp.getDiagnosticsList().map((d) => ({
    enforcementLevel: names[d.getEnforcementlevel()],
    message: d.getMessage(),
    policyName: d.getPolicyname(),
    urn: d.getUrn(),
  }));
}

/** A harness violation as the SDK's `reportViolation` would word it: description, newline, message (unknown-value diagnostics as is). */
export function asEngineMessage(v: Violation): string {
  return v.message.startsWith("can't run policy ") ? v.message : `${v.description}\n${v.message}`;
}
