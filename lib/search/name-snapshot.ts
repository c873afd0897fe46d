import * as v from 'valibot';

/**
 * The name search's index as one compact IndexedDB value: read in one request on a worker wake,
 * with no per-entry cost (typed arrays and a few long strings clone as blocks). Records are
 * numbered (ordinals) in the order the search lists them — live before archived, then by name
 * with the French collator, then by key — so a posting list read in ascending order is already
 * in answer order, and a query stops caring about a record once `limit` better ones are found.
 *
 * Strings are stored joined, with the end offset of each part: 100,000 names are one string, not
 * 100,000 values to clone.
 */
export interface NameSnapshot {
  version: typeof NAME_SNAPSHOT_VERSION;
  /** The last change-log sequence number this snapshot includes (lib/cache/name-search.ts). */
  upTo: number;
  /** Ordinals below it are live records, the others archived. */
  liveCount: number;
  /** Record keys joined by '\n' (a key never holds one), in ordinal order. */
  keys: string;
  names: string;
  nameEnds: Uint32Array;
  /** The unique words of every record, sorted by code unit, so the words a prefix starts are a range. */
  words: string;
  wordEnds: Uint32Array;
  /** For word i, `postings[postingEnds[i - 1] .. postingEnds[i]]`: its records' ordinals, ascending. */
  postingEnds: Uint32Array;
  postings: Uint32Array;
  /** For ordinal o, `recordWords[recordWordEnds[o - 1] .. recordWordEnds[o]]`: its word numbers. */
  recordWordEnds: Uint32Array;
  recordWords: Uint32Array;
}

export const NAME_SNAPSHOT_VERSION = 1;

/** What the index needs of a record: enough to order it and to match it. */
export interface IndexedName {
  key: string;
  name: string;
  archived?: true;
  words: readonly string[];
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

/** The order the search answers in: live first, then by name (accents and case aside), then key. */
export function compareFound(a: Omit<IndexedName, 'words'>, b: Omit<IndexedName, 'words'>): number {
  return Number(!!a.archived) - Number(!!b.archived) || collator.compare(a.name, b.name) || a.key.localeCompare(b.key);
}

export function buildNameSnapshot(records: readonly IndexedName[], upTo: number): NameSnapshot {
  const ordered = [...records].sort(compareFound);
  const unique = [...new Set(ordered.flatMap((record) => record.words))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const wordNumber = new Map(unique.map((word, i) => [word, i]));
  const recordWordEnds = new Uint32Array(ordered.length);
  const recordWords: number[] = [];
  const perWord = unique.map(() => [] as number[]);
  ordered.forEach((record, ordinal) => {
    for (const word of new Set(record.words)) {
      const number = wordNumber.get(word) as number;
      recordWords.push(number);
      // Ordinals are visited ascending, so each word's postings come out sorted.
      perWord[number]?.push(ordinal);
    }
    recordWordEnds[ordinal] = recordWords.length;
  });
  const postingEnds = new Uint32Array(unique.length);
  const postings = new Uint32Array(recordWords.length);
  let at = 0;
  perWord.forEach((list, number) => {
    postings.set(list, at);
    at += list.length;
    postingEnds[number] = at;
  });
  const liveCount = ordered.findIndex((record) => record.archived);
  return {
    version: NAME_SNAPSHOT_VERSION,
    upTo,
    liveCount: liveCount === -1 ? ordered.length : liveCount,
    keys: ordered.map((record) => record.key).join('\n'),
    ...joined(
      'names',
      'nameEnds',
      ordered.map((record) => record.name),
    ),
    ...joined('words', 'wordEnds', unique),
    postingEnds,
    postings,
    recordWordEnds,
    recordWords: Uint32Array.from(recordWords),
  };
}

function joined<S extends string, E extends string>(text: S, ends: E, parts: readonly string[]): Record<S, string> & Record<E, Uint32Array> {
  const offsets = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((part, i) => {
    at += part.length;
    offsets[i] = at;
  });
  return { [text]: parts.join(''), [ends]: offsets } as Record<S, string> & Record<E, Uint32Array>;
}

const SnapshotShape = v.object({
  version: v.literal(NAME_SNAPSHOT_VERSION),
  upTo: v.pipe(v.number(), v.integer(), v.minValue(0)),
  liveCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
  keys: v.string(),
  names: v.string(),
  nameEnds: v.instance(Uint32Array),
  words: v.string(),
  wordEnds: v.instance(Uint32Array),
  postingEnds: v.instance(Uint32Array),
  postings: v.instance(Uint32Array),
  recordWordEnds: v.instance(Uint32Array),
  recordWords: v.instance(Uint32Array),
});

/**
 * The stored value if it is a snapshot this code can search without reading out of bounds, or
 * undefined (an older version, a damaged value): the caller rebuilds it from the records.
 */
export function parseNameSnapshot(value: unknown): NameSnapshot | undefined {
  const parsed = v.safeParse(SnapshotShape, value);
  if (!parsed.success) return undefined;
  const s = parsed.output as NameSnapshot;
  const count = s.nameEnds.length;
  const wordCount = s.wordEnds.length;
  const fits =
    s.liveCount <= count &&
    s.recordWordEnds.length === count &&
    s.postingEnds.length === wordCount &&
    s.postings.length === s.recordWords.length &&
    ascendingEndingAt(s.nameEnds, s.names.length) &&
    ascendingEndingAt(s.wordEnds, s.words.length) &&
    ascendingEndingAt(s.postingEnds, s.postings.length) &&
    ascendingEndingAt(s.recordWordEnds, s.recordWords.length) &&
    s.postings.every((ordinal) => ordinal < count) &&
    s.recordWords.every((word) => word < wordCount) &&
    (count === 0 ? s.keys === '' : s.keys.split('\n').length === count);
  return fits ? s : undefined;
}

function ascendingEndingAt(ends: Uint32Array, total: number): boolean {
  let previous = 0;
  for (const end of ends) {
    if (end < previous) return false;
    previous = end;
  }
  return previous === total;
}
