import { markdownToText } from './markdown-text';

/**
 * The block of text the extension writes into a Sellsy Phone Call's description, and how it is
 * found again. Sellsy has no idempotency key and no field of ours, so this block is how a Phone
 * Call is recognised as a call's, and it is the only part of a description we ever rewrite:
 *
 *     [Allo #3f9a07c2]                     opening line: a checksum of the lines below it
 *     Summary: …
 *     Recording: …
 *     In Allo: https://web.withallo.com/
 *     [Allo call cll-123]                   the marker: one exact line
 *
 * The checksum tells whether anyone changed the block since it was written; anything outside it
 * (a note a user prepended) is the user's. Lines of the body that could pass for an opening or
 * a marker line (an AI summary quoting another call) are quoted, so only we write those lines.
 * Phone Calls posted before the opening line existed end with the same two last lines.
 */

export const ALLO_WEB_APP = 'https://web.withallo.com/';

const OPENING = /^\[Allo #([0-9a-f]{8})\]$/;
const OURS_LOOKALIKE = /^\s*\[Allo/;
const ANY_MARKER = /^\[Allo call ([^\]]+)\]$/;
const LINE_BREAK = /\r?\n|<br\s*\/?>/i;

/** The marker line of one call: searched for before any second POST. */
export function callMarker(alloId: string): string {
  return `[Allo call ${alloId}]`;
}

/** The full block for a call, from its body lines (summary, recording, link to Allo). */
export function writeBlock(alloId: string, bodyLines: string[]): string {
  // Split as a description is read back (linesOf): a `<br>` in a summary must not start a line of
  // ours unquoted, or a summary could forge another call's marker.
  const body = bodyLines.flatMap((line) => line.split(LINE_BREAK)).map((line) => (OURS_LOOKALIKE.test(line) ? `> ${line}` : line).trimEnd());
  return [`[Allo #${checksum(body)}]`, ...body, callMarker(alloId)].join('\n');
}

/**
 * The description's lines as Sellsy may hand them back: CRLF, trailing spaces, or `<br>` should
 * its editor turn the text into HTML (the block is plain ASCII apart from what it quotes, so
 * entities cannot hide it).
 */
function linesOf(description: string): string[] {
  return description.split(LINE_BREAK).map((line) => line.trimEnd());
}

/**
 * Where this call's marker closes a block of ours: the line is exactly the marker and the line
 * before it is the link to Allo, as only a block we wrote has it. -1 when there is none.
 */
function markerIndex(lines: string[], alloId: string): number {
  const marker = callMarker(alloId);
  for (let i = lines.length - 1; i > 0; i--) {
    if (lines[i] === marker && lines[i - 1]!.endsWith(`: ${ALLO_WEB_APP}`)) return i;
  }
  return -1;
}

/** Whether the description holds a block of ours for this call (edited or not). */
export function hasOwnBlock(description: string | null | undefined, alloId: string): boolean {
  return !!description && markerIndex(linesOf(description), alloId) >= 0;
}

/**
 * Whether the description holds a block of ours as we wrote it, for any call: a Phone Call this
 * extension wrote. Only an intact block counts, so another tool's text quoting a marker line
 * (an AI summary citing another call) is not taken for ours.
 */
export function hasIntactOwnBlock(description: string | null | undefined): boolean {
  if (!description) return false;
  return linesOf(description).some((line) => {
    const alloId = ANY_MARKER.exec(line)?.[1];
    return alloId !== undefined && !!locate(description, alloId)?.intact;
  });
}

interface Located {
  lines: string[];
  opening: number;
  marker: number;
  intact: boolean;
}

function locate(description: string, alloId: string): Located | undefined {
  const lines = linesOf(description);
  const marker = markerIndex(lines, alloId);
  if (marker < 0) return undefined;
  for (let i = marker - 1; i >= 0; i--) {
    const opening = OPENING.exec(lines[i]!);
    if (opening) return { lines, opening: i, marker, intact: checksum(lines.slice(i + 1, marker)) === opening[1] };
  }
  return undefined;
}

/**
 * True only when the description is one block of ours for this call, exactly as written: nobody
 * added to it or changed it, so deleting that Phone Call removes nothing a person wrote.
 */
export function isUntouchedBlock(description: string | null | undefined, alloId: string): boolean {
  if (!description) return false;
  const found = locate(description, alloId);
  return !!found && found.intact && found.opening === 0 && found.marker === found.lines.length - 1;
}

/**
 * The description with this call's block replaced by `block`, keeping everything around it. When
 * the block is not found as written (edited inside, or written before it had a checksum), the
 * new block is appended instead: what a person wrote is never replaced.
 */
export function replaceBlock(description: string | null | undefined, alloId: string, block: string): string {
  if (!description) return block;
  const found = locate(description, alloId);
  if (!found?.intact) return `${description.trimEnd()}\n\n${block}`;
  return [...found.lines.slice(0, found.opening), block, ...found.lines.slice(found.marker + 1)].join('\n');
}

/** FNV-1a, 32 bits, hex: the same in every browser, cheap, and enough to see an edit. */
function checksum(lines: string[]): string {
  const text = lines.join('\n');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': '’', apos: '’', nbsp: ' ' };
const MAX_LINE = 200;
// What is read of a line: enough for MAX_LINE characters once entities and spaces are folded.
const READ_OF_A_LINE = 20 * MAX_LINE;

/**
 * The summary label and the "no summary yet" line each language writes (public/_locales, kept in
 * step by a test): a teammate's block is read whatever language their browser wrote it in.
 * Earlier versions wrote `Résumé: ` and a straight apostrophe; labels are compared loosely
 * (`looseLabel`), so those read too.
 */
export const WRITTEN_LABELS: { summary: readonly string[]; noSummary: readonly string[] } = {
  summary: ['Summary:', 'R\u00e9sum\u00e9\u202f:'],
  noSummary: ['The Allo summary is not available yet.', 'Le r\u00e9sum\u00e9 Allo n\u2019est pas encore disponible.'],
};

// Any run of spaces (the narrow no-break space French puts before a colon included) is one space,
// no space before a colon, one kind of apostrophe.
function looseLabel(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/ :/g, ':').replace(/[’']/g, "'").trim();
}

/**
 * The line without its tags. A scan, not `/<[^>]*>/g`: on a line of `<` with no `>` that
 * expression retries from every `<` to the end of the line, and a megabyte description a
 * colleague pasted would freeze the worker.
 */
function withoutTags(line: string): string {
  let text = '';
  let at = 0;
  for (;;) {
    const open = line.indexOf('<', at);
    const close = open < 0 ? -1 : line.indexOf('>', open + 1);
    // No tag from here on: a `<` that no `>` follows is text.
    if (close < 0) return text + line.slice(at);
    text += `${line.slice(at, open)} `;
    at = close + 1;
  }
}

/** The lines of `linesOf`, one at a time: the first line of a megabyte description is read alone. */
function* eachLine(description: string): Generator<string> {
  const breaks = new RegExp(LINE_BREAK.source, 'gi');
  let at = 0;
  for (let found = breaks.exec(description); found; found = breaks.exec(description)) {
    yield description.slice(at, found.index).trimEnd();
    at = found.index + found[0].length;
  }
  yield description.slice(at).trimEnd();
}

function cut(text: string): string {
  return text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 1)}…` : text;
}

/**
 * The first line a person would read in a Phone Call's description, as text: our block's own
 * lines (its opening, marker and link to Allo) are passed over, and its summary line is given
 * without its label, as text (versions before the summary was converted wrote Allo's Markdown);
 * a block still without a summary gives nothing. Labels are `WRITTEN_LABELS` and any `labels`
 * given. Tags an editor may have added are dropped. Undefined: nothing to read.
 */
export function firstLine(description: string | null | undefined, labels?: { summary: readonly string[]; noSummary: readonly string[] }): string | undefined {
  if (!description) return undefined;
  const summaries = [...WRITTEN_LABELS.summary, ...(labels?.summary ?? [])].map(looseLabel);
  const noSummaries = new Set([...WRITTEN_LABELS.noSummary, ...(labels?.noSummary ?? [])].map(looseLabel));
  for (const raw of eachLine(description)) {
    // Only the start of a long line can be shown: the rest is not worked on.
    const line = withoutTags(raw)
      .trimStart()
      .slice(0, READ_OF_A_LINE)
      .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    if (!line || OURS_LOOKALIKE.test(line) || line.endsWith(`: ${ALLO_WEB_APP}`)) continue;
    const loose = looseLabel(line);
    if (noSummaries.has(loose)) return undefined;
    if (!summaries.some((summary) => loose.startsWith(`${summary} `))) return cut(line);
    // What follows the label's colon, as text.
    const summary = markdownToText(line.slice(line.indexOf(':') + 1).trim())
      .split('\n')
      .map((part) => part.trim())
      .find(Boolean);
    return summary ? cut(summary) : undefined;
  }
  return undefined;
}

/**
 * The calls whose block of ours the description holds (each marker closing a block, edited or
 * not): one call logged on several records carries the same one in each Phone Call.
 */
export function ownBlockCallIds(description: string | null | undefined): string[] {
  if (!description?.includes('[Allo call ')) return [];
  const lines = linesOf(description);
  const ids: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const alloId = ANY_MARKER.exec(lines[i]!)?.[1];
    if (alloId !== undefined && lines[i - 1]!.endsWith(`: ${ALLO_WEB_APP}`) && !ids.includes(alloId)) ids.push(alloId);
  }
  return ids;
}
