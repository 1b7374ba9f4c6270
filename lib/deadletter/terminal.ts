/**
 * Text from dead-letter blobs (blob names, event ids and types, `deadLetterReason`, `lastDeliveryOutcome`) is
 * written by whoever can write to the container or publish an event: printed raw, an ESC or CSI sequence can
 * rewrite the terminal (hide lines, fake a prompt, set the window title), and a bidirectional override can make
 * a name read differently from what it is. Everything printed passes through here.
 */

/** C0 controls except tab/newline, DEL, C1 controls, line/paragraph separators, bidirectional controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** One value for a line of terminal output: every control character (newlines included) shown as `\uXXXX`. */
export function safeValue(text: string): string {
  return text.replace(UNSAFE_OR_NEWLINE, escape);
}

/** A block of terminal output: tabs and newlines kept, every other control character shown as `\uXXXX`. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, escape);
}

/**
 * JSON for the terminal: `JSON.stringify` escapes C0 controls but leaves C1 controls (U+009B is a CSI on many
 * terminals) and bidirectional controls as they are; this escapes those too. The result parses to the same value.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE, escape);
}
