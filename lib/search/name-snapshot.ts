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
  /** Each name's first ORDERED_NAME_LENGTH characters, all the order needs. */
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
/**
 * Names are ordered by their start: Sellsy does not bound them, and comparing two hostile names of
 * 50,000 characters costs ~0.15 ms. Names alike this far are ordered by key; the snapshot keeps
 * no more of each name, since it keeps names only to order them.
 */
export const ORDERED_NAME_LENGTH = 200;

/** The order the search answers in: live first, then by name (accents and case aside), then key. */
export function compareFound(a: Omit<IndexedName, 'words'>, b: Omit<IndexedName, 'words'>): number {
  return (
    Number(!!a.archived) - Number(!!b.archived) ||
    collator.compare(a.name.slice(0, ORDERED_NAME_LENGTH), b.name.slice(0, ORDERED_NAME_LENGTH)) ||
    a.key.localeCompare(b.key)
  );
}

/**
 * Lets the worker answer its other messages between slices of a long build: the background
 * answers click-to-call's number lookups on the same thread, and a build from 100,000 records
 * takes most of a second.
 */
export type Pause = () => Promise<void>;

const nextTask: Pause = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Work between pauses: well under the 50 ms of a long task. */
const SLICE_MS = 10;
/** The clock is read once per this many steps, so checking costs nothing beside the work. */
const STEPS_PER_CHECK = 512;

class Slices {
  private since = performance.now();
  private steps = 0;

  constructor(private readonly pause: Pause) {}

  /** Called after each piece of work (`steps`: its size): true when the slice has run its time (then `await next()`). */
  due(steps = 1): boolean {
    this.steps += steps;
    if (this.steps < STEPS_PER_CHECK) return false;
    this.steps = 0;
    return performance.now() - this.since >= SLICE_MS;
  }

  /** For the few large steps (a join of every name): pauses between them when due. */
  async after(steps: number): Promise<void> {
    if (this.due(steps)) await this.next();
  }

  async next(): Promise<void> {
    await this.pause();
    this.since = performance.now();
  }
}

export async function buildNameSnapshot(records: readonly IndexedName[], upTo: number, pause: Pause = nextTask): Promise<NameSnapshot> {
  const slices = new Slices(pause);
  const ordered = await sortInSlices(records, compareFound, slices);
  const seen = new Set<string>();
  for (const record of ordered) {
    for (const word of record.words) seen.add(word);
    if (slices.due(record.words.length)) await slices.next();
  }
  const unique = await sortInSlices([...seen], (a, b) => (a < b ? -1 : a > b ? 1 : 0), slices);
  const wordNumber = new Map<string, number>();
  for (const [i, word] of unique.entries()) {
    wordNumber.set(word, i);
    if (slices.due()) await slices.next();
  }
  const recordWordEnds = new Uint32Array(ordered.length);
  const recordWords: number[] = [];
  const perWord = unique.map(() => [] as number[]);
  for (const [ordinal, record] of ordered.entries()) {
    for (const word of new Set(record.words)) {
      const number = wordNumber.get(word) as number;
      recordWords.push(number);
      // Ordinals are visited ascending, so each word's postings come out sorted.
      perWord[number]?.push(ordinal);
    }
    recordWordEnds[ordinal] = recordWords.length;
    if (slices.due(record.words.length)) await slices.next();
  }
  const postingEnds = new Uint32Array(unique.length);
  const postings = new Uint32Array(recordWords.length);
  let at = 0;
  for (const [number, list] of perWord.entries()) {
    postings.set(list, at);
    at += list.length;
    postingEnds[number] = at;
    if (slices.due(list.length + 1)) await slices.next();
  }
  const liveCount = ordered.findIndex((record) => record.archived);
  const keys = ordered.map((record) => record.key).join('\n');
  await slices.after(ordered.length);
  const names = joined(
    'names',
    'nameEnds',
    ordered.map((record) => record.name.slice(0, ORDERED_NAME_LENGTH)),
  );
  await slices.after(ordered.length);
  const words = joined('words', 'wordEnds', unique);
  await slices.after(unique.length);
  return {
    version: NAME_SNAPSHOT_VERSION,
    upTo,
    liveCount: liveCount === -1 ? ordered.length : liveCount,
    keys,
    ...names,
    ...words,
    postingEnds,
    postings,
    recordWordEnds,
    recordWords: Uint32Array.from(recordWords),
  };
}

/** Items sorted at once by Array.prototype.sort (one unit of work) before the merges, which pause. */
const RUN = 1024;

/**
 * A merge sort that pauses between slices (one Array.prototype.sort of 100,000 names takes
 * ~150 ms). `compare` must be a total order: equal items may come out in any order.
 */
async function sortInSlices<T>(items: readonly T[], compare: (a: T, b: T) => number, slices: Slices): Promise<T[]> {
  let from = [...items];
  for (let i = 0; i < from.length; i += RUN) {
    const run = from.slice(i, i + RUN).sort(compare);
    for (const [j, item] of run.entries()) from[i + j] = item;
    if (slices.due(run.length)) await slices.next();
  }
  let to = new Array<T>(from.length);
  for (let width = RUN; width < from.length; width *= 2) {
    for (let left = 0; left < from.length; left += 2 * width) {
      const middle = Math.min(left + width, from.length);
      const end = Math.min(left + 2 * width, from.length);
      let a = left;
      let b = middle;
      for (let k = left; k < end; k++) {
        if (b >= end || (a < middle && compare(from[a] as T, from[b] as T) <= 0)) to[k] = from[a++] as T;
        else to[k] = from[b++] as T;
        if (slices.due()) await slices.next();
      }
    }
    [from, to] = [to, from];
  }
  return from;
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
    (count === 0 ? s.keys === '' : linesIn(s.keys) === count);
  return fits ? s : undefined;
}

/** Counted without splitting: the index splits the keys once more when it loads. */
function linesIn(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

function ascendingEndingAt(ends: Uint32Array, total: number): boolean {
  let previous = 0;
  for (const end of ends) {
    if (end < previous) return false;
    previous = end;
  }
  return previous === total;
}
