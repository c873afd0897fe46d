import { plainLine } from '../text/plain-line';

/** Sellsy's reference gives no length for a task's title: kept short enough for any list. */
export const TITLE_MAX = 150;

/**
 * The task's title: "Call back Marie Dupont — wants a quote", the words before the name in the
 * user's language, then the note's first line when there is one. One plain line (a name from
 * Sellsy or a pasted note cannot forge a line or turn the text around), at most TITLE_MAX
 * UTF-16 units, never half an emoji.
 */
export function followUpTitle(prefix: string, recordName: string, noteFirstLine?: string): string {
  const name = plainLine(recordName);
  const note = plainLine(noteFirstLine ?? '');
  const head = plainLine(`${prefix} ${name}`);
  return bounded(note ? `${head} — ${note}` : head, TITLE_MAX);
}

function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = text.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(out)) out = out.slice(0, -1);
  return `${out.trimEnd()}…`;
}
