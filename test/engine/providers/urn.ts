/** Small helpers shared by the offline provider plugins. */
import { isDeepStrictEqual } from "node:util";

export type Props = Record<string, unknown>;

/** The type token and name of a resource from its URN (`urn:pulumi:stack::project::parent$type::name`). */
export function typeAndName(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  return { type: parts[2].split("$").pop() ?? parts[2], name: parts.slice(3).join("::") };
}

/** Input keys whose new value differs from the old state (Azure's output-only keys are not inputs). */
export function diffInputs(olds: Props, news: Props): string[] {
  return Object.keys(news).filter((k) => !isDeepStrictEqual(olds[k], news[k]));
}
