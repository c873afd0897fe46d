/**
 * The words a record is found by in the name search: its name and its company's, lower-cased,
 * without accents or ligatures, split at anything that is not a letter or a digit ("Jean-Marie
 * d’Aubigné" gives jean, marie, d, aubigne). Bounded: a hostile name of any length gives at most
 * MAX_WORDS_PER_TEXT words of at most MAX_WORD_LENGTH characters, and a long name does not crowd
 * out the company's words.
 */
export const MAX_WORDS_PER_TEXT = 12;
/** Name and company. */
export const MAX_WORDS = 2 * MAX_WORDS_PER_TEXT;
export const MAX_WORD_LENGTH = 30;
/** A query's words beyond these add nothing a person types. */
export const MAX_QUERY_WORDS = 5;
const MAX_TEXT = 400;

export function nameWords(name: string | undefined, companyName?: string): string[] {
  const words = new Set<string>();
  for (const text of [name, companyName]) {
    let taken = 0;
    for (const word of splitWords(text ?? '')) {
      if (taken >= MAX_WORDS_PER_TEXT) break;
      if (!words.has(word)) taken++;
      words.add(word);
    }
  }
  return [...words];
}

/** The words of what a person typed, longest first: the longest narrows the search most. */
export function queryWords(query: string): string[] {
  return [...new Set(splitWords(query))].sort((a, b) => b.length - a.length).slice(0, MAX_QUERY_WORDS);
}

/** Whether every query word begins one of the record's words ("dup mar" finds Marie Dupont). */
export function matchesAll(recordWords: readonly string[], query: readonly string[]): boolean {
  return query.every((word) => recordWords.some((known) => known.startsWith(word)));
}

function splitWords(text: string): string[] {
  return text
    .slice(0, MAX_TEXT)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) => word.slice(0, MAX_WORD_LENGTH));
}
