/**
 * Deploy readiness per resource, from the deploy-readiness policies' own results: each pitfall a
 * resource hits (its violation), and each one it avoids (the policy applied and reported nothing).
 */
import { Policies, ResourceValidationPolicy } from "@pulumi/policy";
import { AnalysisResult, PolicyResourceInput, ViolationLevel } from "./harness";
import { isResourcePolicy } from "./sdk";

/** One deploy-time pitfall for one resource. */
export interface ReadinessItem {
  /** Logical name of the resource. */
  readonly resourceName: string;
  /** The deploy-readiness policy. */
  readonly policyName: string;
  /** `hits`: the policy reports it (with its level); `avoids`: the policy applied and found nothing. */
  readonly status: "hits" | "avoids";
  /** The violation's level, when the resource hits the pitfall. */
  readonly level?: ViolationLevel;
  /** The violation message, or the pitfall avoided (the policy's description). */
  readonly text: string;
}

const TAG = "deploy-readiness";

/**
 * Per resource (in declaration order), the deploy-readiness pitfalls it hits or avoids. Stack-wide
 * policies appear only where they report a violation (they can't say which resources they checked).
 */
export function deployReadiness(pack: Policies, resources: readonly PolicyResourceInput[], result: AnalysisResult): ReadinessItem[] {
  const readinessPolicies = pack.filter((p) => p.tags?.includes(TAG));
  const items: ReadinessItem[] = [];
  for (const r of resources) {
    for (const p of readinessPolicies) {
      const hits = result.violations.filter((v) => v.policyName === p.name && v.resourceName === r.name);
      for (const v of hits) items.push({ resourceName: r.name, policyName: p.name, status: "hits", level: v.enforcementLevel, text: v.message });
      if (hits.length > 0 || !isResourcePolicy(p)) continue;
      // A policy with several validations (one per resource type) applied when not all of them were skipped.
      const validations = Array.isArray((p as ResourceValidationPolicy).validateResource) ? ((p as ResourceValidationPolicy).validateResource as unknown[]).length : 1;
      const skipped = result.notApplicable.filter((n) => n.policyName === p.name && n.resourceName === r.name).length >= validations;
      if (!skipped) items.push({ resourceName: r.name, policyName: p.name, status: "avoids", text: p.description });
    }
  }
  return items;
}

/** The readiness items as console lines: `✗ [level] resource  policy: message` or `✓ resource  policy avoided`. */
export function formatReadiness(items: readonly ReadinessItem[]): string {
  const hits = items.filter((i) => i.status === "hits");
  const lines = [`Deploy readiness (${hits.length} pitfall(s) hit, ${items.length - hits.length} avoided)`];
  for (const i of items) {
    lines.push(i.status === "hits" ? `  ✗ [${i.level}] ${i.resourceName}  ${i.policyName}: ${i.text}` : `  ✓ ${i.resourceName}  avoids ${i.policyName}`);
  }
  return lines.join("\n");
}
