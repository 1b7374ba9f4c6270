/** The pull-request view: two offline plans compared in the reviewer's terms. */
export { comparePlans, needsReview } from "./diff";
export { PlanFileError, readPlan, ReviewPlan } from "./read";
export { COMMENT_MARKER, escapeText, GITHUB_COMMENT_LIMIT, renderJson, renderMarkdown, renderText } from "./render";
export { DIFF_EXIT, DIFF_FORMATS, DiffFormat, diffCommand, runDiffCli } from "./cli";
export * from "./types";
