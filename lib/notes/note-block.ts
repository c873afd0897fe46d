/**
 * The block a call's note takes in a Sellsy description: a second block of ours, apart from the
 * call's own (description-block.ts), so the late summary, which rewrites that one, never erases
 * the note, and a note edit rewrites only this one:
 *
 *     [Allo note #5be2c1d0]        opening line: a checksum of the lines below it
 *     Outcome: Busy
 *     What the user typed…
 *     [Allo note note-5f0c…]       the marker: one exact line, the note's own id
 *
 * Keyed by the note, not the call: the same call noted in two browsers of one person (each its
 * own note) gets two blocks, and neither write takes the other's out.
 * It goes after everything else in the description, so the summary stays the first line read.
 * Lines the user typed that could pass for a line of ours are quoted, as in the call's block.
 */

const LINE_BREAK = /\r?\n|<br\s*\/?>/i;
const OURS_LOOKALIKE = /^\s*\[Allo/;
const OPENING = /^\[Allo note #([0-9a-f]{8})\]$/;
const ANY_MARKER = /^\[Allo note ([^\]#][^\]]*)\]$/;

/** The marker line of a note keyed by `key` (the note's own id). */
export function noteMarker(key: string): string {
  return `[Allo note ${key}]`;
}

/** The note's block: `header` (the outcome line, if any) and the note's lines, quoted where needed. */
export function writeNoteBlock(key: string, header: string[], text: string): string {
  const typed = text
    .trim()
    .split(LINE_BREAK)
    .map((line) => line.trimEnd());
  const body = [...header, ...typed]
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .map((line) => (OURS_LOOKALIKE.test(line) ? `> ${line}` : line));
  return [`[Allo note #${checksum(body)}]`, ...body, noteMarker(key)].join('\n');
}

function linesOf(description: string): string[] {
  return description.split(LINE_BREAK).map((line) => line.trimEnd());
}

interface Located {
  lines: string[];
  opening: number;
  marker: number;
  intact: boolean;
}

/** The last block of ours with this key, and whether it is as we wrote it. */
function locate(description: string, key: string): Located | undefined {
  const lines = linesOf(description);
  const marker = noteMarker(key);
  for (let end = lines.length - 1; end > 0; end--) {
    if (lines[end] !== marker) continue;
    for (let i = end - 1; i >= 0; i--) {
      const opening = OPENING.exec(lines[i]!);
      if (opening) return { lines, opening: i, marker: end, intact: checksum(lines.slice(i + 1, end)) === opening[1] };
      if (ANY_MARKER.test(lines[i]!)) break;
    }
  }
  return undefined;
}

/** Whether the description holds this note's block exactly as `block` says (nothing to write). */
export function holdsNoteBlock(description: string | null | undefined, key: string, block: string): boolean {
  if (!description) return false;
  const found = locate(description, key);
  return !!found?.intact && found.lines.slice(found.opening, found.marker + 1).join('\n') === block;
}

/** Whether the description holds a block of ours for this note, as written or edited. */
export function hasNoteBlock(description: string | null | undefined, key: string): boolean {
  return !!description && locate(description, key) !== undefined;
}

/**
 * The description with this note's block replaced by `block`, everything around it kept; when it
 * is not there as we wrote it (a person edited it in Sellsy: their text now), `block` is added at
 * the end. Undefined when the description already holds `block`.
 */
export function withNoteBlock(description: string | null | undefined, key: string, block: string): string | undefined {
  if (holdsNoteBlock(description, key, block)) return undefined;
  if (!description?.trim()) return block;
  const found = locate(description, key);
  if (!found?.intact) return `${description.trimEnd()}\n\n${block}`;
  return [...found.lines.slice(0, found.opening), block, ...found.lines.slice(found.marker + 1)].join('\n');
}

/**
 * The description without this note's block as we wrote it (a note emptied in the panel), with
 * the blank line that set it apart; undefined when there is none to take out.
 */
export function withoutNoteBlock(description: string | null | undefined, key: string): string | undefined {
  if (!description) return undefined;
  const found = locate(description, key);
  if (!found?.intact) return undefined;
  const before = found.lines.slice(0, found.opening);
  if (before.length > 0 && before[before.length - 1] === '') before.pop();
  return [...before, ...found.lines.slice(found.marker + 1)].join('\n');
}

/**
 * The description without any intact note block of ours: what others wrote, to check that a
 * note written into a Phone Call of Allo's integration changed nothing of theirs.
 */
export function withoutNoteBlocks(description: string | null | undefined): string {
  if (!description) return '';
  const lines = linesOf(description);
  const dropped = new Set<number>();
  for (let end = 0; end < lines.length; end++) {
    if (!ANY_MARKER.test(lines[end]!)) continue;
    for (let i = end - 1; i >= 0 && !ANY_MARKER.test(lines[i]!); i--) {
      const opening = OPENING.exec(lines[i]!);
      if (!opening) continue;
      // An edited block is a person's text now: it stays.
      if (checksum(lines.slice(i + 1, end)) === opening[1]) for (let j = i; j <= end; j++) dropped.add(j);
      break;
    }
  }
  return lines
    .filter((_, i) => !dropped.has(i))
    .join('\n')
    .trimEnd();
}

/** FNV-1a, 32 bits, hex, as the call's block uses. */
function checksum(lines: string[]): string {
  const text = lines.join('\n');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
