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
 * make a regular expression backtrack costs linear time, not a frozen worker.
 */

const FENCE = /^\s{0,3}(```|~~~)/;
// Matched on a line with its end trimmed; closing #s are cut without a regex (`\s+#+$` would
// retry over a long run of spaces: quadratic on hostile text).
const HEADING = /^\s{0,3}#{1,6}(?:\s+(.*))?$/;
// A setext heading's underline or a thematic break: marks only, no words.
const RULE = /^\s{0,3}(?:(?:[-*_][ \t]*){3,}|=+[ \t]*)$/;
const BULLET = /^(\s*)[-*+]\s+(.*)$/;
const NUMBERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^(\s*>\s?)(.*)$/;

const CODE_SPAN = /(`+)([^`]+?)\1/g;
const IMAGE = /!\[([^[\]\n]*)\]\(([^()\s]+)(?:\s+"[^"\n]*")?\)/g;
const LINK = /\[([^[\]\n]*)\]\(([^()\s]+)(?:\s+"[^"\n]*")?\)/g;
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
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) out.push(line.trimEnd());
    else out.push(blockLine(line));
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
  for (const span of text.matchAll(CODE_SPAN)) {
    result += marks(text.slice(last, span.index)) + span[2]!;
    last = span.index + span[0].length;
  }
  return (result + marks(text.slice(last))).trimEnd();
}

function marks(text: string): string {
  const canPark = !PARKED.test(text);
  PARKED.lastIndex = 0;
  let out = canPark ? text.replace(ESCAPED, (_, mark: string) => String.fromCharCode(PARK_BASE + mark.charCodeAt(0))) : text;
  out = out
    .replace(IMAGE, (_, alt: string, url: string) => withUrl(alt, url))
    .replace(LINK, (_, label: string, url: string) => withUrl(label, url))
    .replace(AUTOLINK, '$1')
    .replace(BOLD_STARS, '$1')
    .replace(BOLD_UNDERSCORES, '$1')
    .replace(STRIKE, '$1')
    .replace(ITALIC_STAR, '$1')
    .replace(ITALIC_UNDERSCORE, '$1');
  return canPark ? out.replace(PARKED, (parked) => String.fromCharCode(parked.charCodeAt(0) - PARK_BASE)) : out;
}

/** A link as text: its words and where it goes, or just the address when they are the same. */
function withUrl(label: string, url: string): string {
  const words = label.trim();
  return words === '' || words === url ? url : `${words} (${url})`;
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
