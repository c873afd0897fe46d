/**
 * What "Copy diagnostics" may copy of text that came from outside (Allo's dialer frame, an API's
 * answer): only short plain tokens that cannot be a phone number, an e-mail address or a
 * person's name, and never a control character, which would forge a line of the report or hide
 * text. Anything else is replaced by `(other)`, so the report still says something was there.
 */

export const OTHER = '(other)';

const TOKEN = /^[A-Za-z0-9_.-]{1,40}$/;
// A JSON field name as code writes it: starting in lower case, as a capitalised word is how a
// person's name looks; no dot, dash, space or @.
const FIELD_NAME = /^[a-z_][A-Za-z0-9_]{0,40}$/;
const DIGIT_RUN = /\d{3}/;
const MAX_DIGITS = 4;
// Control characters, and the invisible ones that reorder or hide text (bidi overrides, zero widths).
const CONTROLS = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** A number hides in three digits in a row, or in five or more split by dots or dashes. */
function holdsNumber(text: string): boolean {
  return DIGIT_RUN.test(text) || (text.match(/\d/g)?.length ?? 0) > MAX_DIGITS;
}

/** An error code or a message type as it may be copied, else `(other)`. */
export function safeToken(text: unknown): string {
  return typeof text === 'string' && TOKEN.test(text) && !holdsNumber(text) ? text : OTHER;
}

/** Whether a field name may be copied; a name that fails is counted, never shown. */
export function isSafeFieldName(name: string): boolean {
  return FIELD_NAME.test(name) && !holdsNumber(name);
}

/** The last guard on every line of the report: no control character survives. */
export function withoutControls(text: string): string {
  return text.replace(CONTROLS, ' ');
}
