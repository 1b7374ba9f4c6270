/** The shape of a plan comparison: sections of groups of signed lines, and what a reviewer must look at. */

/** Why a change needs a reviewer's look (the exit code says whether any line carries one). */
export type AttentionReason =
  /** A role assignment added or widened, a custom role given more actions. */
  | "privilege widened"
  /** A delivery, or a mail, run, deployment or call it made, no longer happens. */
  | "flow removed"
  /** A subscription's filter can match fewer event types or subjects, or a subscription was deleted. */
  | "fewer events delivered"
  /** A mandatory policy violation the base did not have. */
  | "new mandatory violation"
  /** A part of the plans could not be compared (an older plan format). */
  | "not compared";

/** Every reason, in the order the summary lists them. */
export const ATTENTION_REASONS: readonly AttentionReason[] = ["privilege widened", "flow removed", "fewer events delivered", "new mandatory violation", "not compared"];

/** One line of the diff: `+` added, `-` removed, `~` changed, `!` could not be compared. */
export interface ChangeLine {
  readonly sign: "+" | "-" | "~" | "!";
  /** The change in words (user text inside is raw: renderers escape it). */
  readonly text: string;
  /** Set when a reviewer must look at this line. */
  readonly attention?: AttentionReason;
}

/** Lines about one thing: an event, a subscription, an identity, a policy. */
export interface DiffGroup {
  readonly title: string;
  readonly lines: readonly ChangeLine[];
}

/** The diff's parts, in the order they are shown. */
export type SectionId = "flows" | "subscriptions" | "permissions" | "policy" | "figures";

/** One part of the diff. */
export interface DiffSection {
  readonly id: SectionId;
  readonly title: string;
  readonly groups: readonly DiffGroup[];
}

/** The comparison of two plans. */
export interface PlanDiff {
  readonly base: { readonly file: string; readonly format: number };
  readonly head: { readonly file: string; readonly format: number };
  /** Only the sections with changes, in {@link SectionId} order. */
  readonly sections: readonly DiffSection[];
  /** How many lines need a look, per reason (reasons with none left out). */
  readonly attention: Readonly<Partial<Record<AttentionReason, number>>>;
  /** Number of changed lines in all. */
  readonly changes: number;
  /** One line: what changed and what needs a look (no user text in it). */
  readonly summary: string;
}

/** A group, or nothing when it has no lines. */
export function group(title: string, lines: readonly ChangeLine[]): DiffGroup[] {
  return lines.length > 0 ? [{ title, lines }] : [];
}
