// Control characters and line or paragraph breaks become spaces; the invisible format characters
// (bidi embeddings, overrides, isolates and marks, zero widths, BOM) go, but for the joiners that
// scripts and emoji need.
const BREAKS = /[\p{Cc}\p{Zl}\p{Zp}]/gu;
const INVISIBLE = /(?![\u200C\u200D])\p{Cf}/gu;

/**
 * Text from outside (a Sellsy name or note, a caller's name, what a person pasted) as one plain
 * line: it can neither forge a line of what shows it nor turn the text beside it around.
 */
export function plainLine(text: string): string {
  return text.replace(BREAKS, ' ').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}
