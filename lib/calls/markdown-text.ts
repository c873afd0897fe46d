/**
 * Allo's call summaries are Markdown (its API's summary endpoint "replaces the markdown
 * content"), but a Sellsy Phone Call's description and the popup show plain text, where
 * `**Objet**` or `## Appel` would appear raw. This turns the Markdown an AI summary uses into
 * the text a reader expects: headings and emphasis lose their marks, links keep their text and
 * their address, lists keep a plain `-` or `1.`, code keeps its content. Anything that looks like
 * HTML stays as the characters it is: nothing here interprets or drops it.
 *
 * Hand-written rather than a parser library: only this subset is needed, the output is text
 * (never HTML), and every pattern below is a negated character class, so a summary crafted to
 * make a regular expression backtrack costs linear time, not a frozen worker. Code spans are
 * found by a scan, not a regex: a back-referenced run of backticks retries at every offset.
 *
 * No word is ever dropped: only marks go. A fence's info string (```js foo) is kept as a line,
 * and a fence-looking line with words after it does not close a code block: it is part of it.
 */

// A code block opens on three or more backticks or tildes; a backtick fence's info string may
// not hold a backtick (then the line is inline code, as in CommonMark).
const FENCE_OPEN = /^[ ]{0,3}(`{3,}|~{3,})(.*)$/;
// It closes on the same mark, at least as long, with nothing after it but spaces.
const FENCE_CLOSE = /^[ ]{0,3}(`{3,}|~{3,})[ \t]*$/;
// Matched on a line with its end trimmed; closing #s are cut without a regex (`\s+#+$` would
// retry over a long run of spaces: quadratic on hostile text).
const HEADING = /^\s{0,3}#{1,6}(?:\s+(.*))?$/;
// A setext heading's underline or a thematic break: marks only, no words.
const RULE = /^\s{0,3}(?:(?:[-*_][ \t]*){3,}|=+[ \t]*)$/;
const BULLET = /^(\s*)[-*+]\s+(.*)$/;
const NUMBERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^(\s*>\s?)(.*)$/;

const IMAGE = /!\[([^[\]\n]*)\]\(([^()\s]+)(?:\s+"([^"\n]*)")?\)/g;
const LINK = /\[([^[\]\n]*)\]\(([^()\s]+)(?:\s+"([^"\n]*)")?\)/g;
const AUTOLINK = /<((?:https?|mailto):[^<>\s]+)>/g;
const BOLD_STARS = /\*\*(?=\S)([^*]+?)(?<=\S)\*\*/g;
const BOLD_UNDERSCORES = /(?<![\p{L}\p{N}_])__(?=\S)([^_]+?)(?<=\S)__(?![\p{L}\p{N}_])/gu;
const STRIKE = /~~(?=\S)([^~]+?)(?<=\S)~~/g;
const ITALIC_STAR = /\*(?=[^\s*])([^*]+?)(?<=\S)\*/g;
// Not inside a word: `snake_case_name` is a name, not emphasis.
const ITALIC_UNDERSCORE = /(?<![\p{L}\p{N}_])_(?=[^\s_])([^_]+?)(?<=\S)_(?![\p{L}\p{N}_])/gu;
const ESCAPED = /\\([!-/:-@[-`{-~])/g;

// An escaped mark (`\*`) is parked on a private-use character while emphasis is read, then put
// back as the plain character. Text that already holds such characters keeps its backslashes.
const PARK_BASE = 0xe000;
const PARKED = /[\ue021-\ue07e]/g;

/** The Markdown of an AI summary as clean text, line breaks kept, blank runs folded to one. */
export function markdownToText(markdown: string): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    if (fence !== null) {
      const close = FENCE_CLOSE.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) fence = null;
      else out.push(line.trimEnd());
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      fence = open[1]!;
      // The info string usually names a language; whatever it says, its words stay.
      out.push(open[2]!.trim());
      continue;
    }
    out.push(blockLine(line));
  }
  return foldBlankLines(out).join('\n');
}

function blockLine(line: string): string {
  const heading = HEADING.exec(line.trimEnd());
  if (heading) return inline(withoutClosingHashes(heading[1] ?? ''));
  if (RULE.test(line)) return '';
  const bullet = BULLET.exec(line);
  if (bullet) return `${bullet[1]}- ${inline(bullet[2]!)}`;
  const numbered = NUMBERED.exec(line);
  if (numbered) return `${numbered[1]}${numbered[2]}. ${inline(numbered[3]!)}`;
  const quote = QUOTE.exec(line);
  if (quote) return `${quote[1]}${inline(quote[2]!)}`.trimEnd();
  return inline(line);
}

/** One line's inline marks; code spans are kept verbatim, without their backticks. */
function inline(text: string): string {
  let result = '';
  let last = 0;
  for (const span of codeSpans(text)) {
    result += marks(text.slice(last, span.start)) + text.slice(span.contentStart, span.contentEnd);
    last = span.end;
  }
  return (result + marks(text.slice(last))).trimEnd();
}

interface CodeSpan {
  start: number;
  contentStart: number;
  contentEnd: number;
  end: number;
}

/**
 * A code span opens on a run of backticks and closes on the next run of the same length; a run
 * with no such closer is plain text. One pass over the runs, with a cursor per run length that
 * only moves forward, so the whole line costs linear time whatever its backticks.
 */
function codeSpans(text: string): CodeSpan[] {
  const runs: { start: number; length: number }[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let end = i;
    while (text[end] === '`') end++;
    runs.push({ start: i, length: end - i });
    i = end;
  }
  const byLength = new Map<number, number[]>();
  runs.forEach((run, index) => {
    const same = byLength.get(run.length);
    if (same) same.push(index);
    else byLength.set(run.length, [index]);
  });
  const cursor = new Map<number, number>();
  const spans: CodeSpan[] = [];
  for (let index = 0; index < runs.length; index++) {
    const open = runs[index]!;
    const same = byLength.get(open.length)!;
    let at = cursor.get(open.length) ?? 0;
    while (at < same.length && same[at]! <= index) at++;
    cursor.set(open.length, at);
    if (at === same.length) continue;
    const closeIndex = same[at]!;
    const close = runs[closeIndex]!;
    spans.push({ start: open.start, contentStart: open.start + open.length, contentEnd: close.start, end: close.start + close.length });
    index = closeIndex;
  }
  return spans;
}

function marks(text: string): string {
  const canPark = !PARKED.test(text);
  PARKED.lastIndex = 0;
  let out = canPark ? text.replace(ESCAPED, (_, mark: string) => String.fromCharCode(PARK_BASE + mark.charCodeAt(0))) : text;
  out = out
    .replace(IMAGE, (_, alt: string, url: string, title?: string) => withUrl(alt, url, title))
    .replace(LINK, (_, label: string, url: string, title?: string) => withUrl(label, url, title))
    .replace(AUTOLINK, '$1')
    .replace(BOLD_STARS, '$1')
    .replace(BOLD_UNDERSCORES, '$1')
    .replace(STRIKE, '$1')
    .replace(ITALIC_STAR, '$1')
    .replace(ITALIC_UNDERSCORE, '$1');
  return canPark ? out.replace(PARKED, (parked) => String.fromCharCode(parked.charCodeAt(0) - PARK_BASE)) : out;
}

/** A link as text: its words and where it goes (just the address when they are the same), and its title. */
function withUrl(label: string, url: string, title: string | undefined): string {
  const words = label.trim();
  const where = title?.trim() ? `${url}, ${title.trim()}` : url;
  return words === '' || (words === url && where === url) ? where : `${words} (${where})`;
}

function foldBlankLines(lines: string[]): string[] {
  const folded: string[] = [];
  for (const line of lines) {
    if (line.trim() === '' && (folded.length === 0 || folded.at(-1) === '')) continue;
    folded.push(line.trim() === '' ? '' : line);
  }
  while (folded.at(-1) === '') folded.pop();
  return folded;
}

/** A heading's text without its closing sequence of #s (`## Appel ##` → `Appel`), in linear time. */
function withoutClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  if (end === text.length || end === 0) return end === 0 ? '' : text;
  // Closing #s count only after a space; `C#` keeps its #.
  return /\s/.test(text[end - 1]!) ? text.slice(0, end).trimEnd() : text;
}
