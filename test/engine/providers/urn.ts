/** Small helpers shared by the offline provider plugins. */
import { readFileSync } from "node:fs";
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

/** The installed version of an npm package (the version its SDK asks the engine for). */
export function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
}
