import { matchesAll } from './name-words';
import { compareFound, type IndexedName, type NameSnapshot } from './name-snapshot';

/**
 * The name search in memory: a snapshot of the records as they were (read-only), and what changed
 * since — records put since are kept whole in `changed`, and their ordinals in the snapshot (and
 * those of removed records) are marked superseded. A query answers from both, so it is exact as
 * long as every change reached `apply`; the changes are few (the caller rebuilds the snapshot
 * when they grow), so scanning them costs little.
 */
export class NameIndex {
  /** Change-log sequence number up to which this index is true. */
  applied: number;
  private readonly keys: string[];
  private readonly ordinals = new Map<string, number>();
  private readonly superseded: Uint8Array;
  private readonly changed = new Map<string, IndexedName>();

  constructor(private readonly snapshot: NameSnapshot) {
    this.applied = snapshot.upTo;
    this.keys = snapshot.keys === '' ? [] : snapshot.keys.split('\n');
    // A loop, not a Map of [key, ordinal] pairs: 100,000 pairs to allocate doubled the time this
    // takes on the first search after a wake (~30 ms against ~13 in Node).
    for (const [ordinal, key] of this.keys.entries()) this.ordinals.set(key, ordinal);
    this.superseded = new Uint8Array(this.keys.length);
  }

  /** How many records differ from the snapshot: past a few thousand, a rebuild is worth it. */
  get changes(): number {
    return this.changed.size;
  }

  /** A record as it is now (undefined: gone from the cache). */
  apply(key: string, record: IndexedName | undefined): void {
    const ordinal = this.ordinals.get(key);
    if (ordinal !== undefined) this.superseded[ordinal] = 1;
    if (record) this.changed.set(key, record);
    else this.changed.delete(key);
  }

  /** The keys of the first `limit` records, in answer order, whose words start with every query word. */
  search(query: readonly string[], limit: number): string[] {
    if (query.length === 0 || limit <= 0) return [];
    const fromSnapshot = this.searchSnapshot(query, limit).map((ordinal) => this.entry(ordinal));
    const fromChanges = [...this.changed.values()].filter((record) => matchesAll(record.words, query)).sort(compareFound);
    const merged: string[] = [];
    let a = 0;
    let b = 0;
    while (merged.length < limit && (a < fromSnapshot.length || b < fromChanges.length)) {
      const left = fromSnapshot[a];
      const right = fromChanges[b];
      if (left && (!right || compareFound(left, right) <= 0)) {
        merged.push(left.key);
        a++;
      } else if (right) {
        merged.push(right.key);
        b++;
      }
    }
    return merged;
  }

  /**
   * The smallest `limit` ordinals matching every word. Each query word's records are one
   * contiguous run of postings (the words it starts are a range of the sorted words); the
   * shortest run is walked, and each of its records is checked against the other words' ranges by
   * its word numbers: integer comparisons, at most the run's length times the record's words.
   */
  private searchSnapshot(query: readonly string[], limit: number): number[] {
    const s = this.snapshot;
    const ranges: Array<[number, number]> = [];
    for (const word of query) {
      const from = this.firstWordAtLeast(word);
      const to = this.firstWordAtLeast(`${word}\uffff`);
      if (from === to) return [];
      ranges.push([from, to]);
    }
    const runOf = ([from, to]: [number, number]) => [from === 0 ? 0 : (s.postingEnds[from - 1] as number), s.postingEnds[to - 1] as number] as const;
    let shortest = 0;
    ranges.forEach((range, i) => {
      const [start, end] = runOf(range);
      const [bestStart, bestEnd] = runOf(ranges[shortest] as [number, number]);
      if (end - start < bestEnd - bestStart) shortest = i;
    });
    const others = ranges.filter((_, i) => i !== shortest);
    const [start, end] = runOf(ranges[shortest] as [number, number]);
    const best: number[] = [];
    for (let p = start; p < end; p++) {
      const ordinal = s.postings[p] as number;
      if (best.length === limit && ordinal >= (best[limit - 1] as number)) continue;
      if (this.superseded[ordinal] || !this.hasWordsIn(ordinal, others)) continue;
      insertSorted(best, ordinal, limit);
    }
    return best;
  }

  private hasWordsIn(ordinal: number, ranges: ReadonlyArray<[number, number]>): boolean {
    const s = this.snapshot;
    const from = ordinal === 0 ? 0 : (s.recordWordEnds[ordinal - 1] as number);
    const to = s.recordWordEnds[ordinal] as number;
    return ranges.every(([low, high]) => {
      for (let i = from; i < to; i++) {
        const word = s.recordWords[i] as number;
        if (word >= low && word < high) return true;
      }
      return false;
    });
  }

  /** Binary search over the sorted words, comparing by code unit as they were sorted. */
  private firstWordAtLeast(target: string): number {
    const s = this.snapshot;
    let low = 0;
    let high = s.wordEnds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const word = s.words.slice(middle === 0 ? 0 : s.wordEnds[middle - 1], s.wordEnds[middle]);
      if (word < target) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private entry(ordinal: number): Omit<IndexedName, 'words'> {
    const s = this.snapshot;
    const name = s.names.slice(ordinal === 0 ? 0 : s.nameEnds[ordinal - 1], s.nameEnds[ordinal]);
    const key = this.keys[ordinal] as string;
    return ordinal >= s.liveCount ? { key, name, archived: true } : { key, name };
  }
}

/** Keeps `list` the `limit` smallest distinct numbers seen, ascending (a record may have two words of one start). */
function insertSorted(list: number[], value: number, limit: number): void {
  let at = list.length;
  while (at > 0 && (list[at - 1] as number) > value) at--;
  if (list[at - 1] === value) return;
  list.splice(at, 0, value);
  if (list.length > limit) list.pop();
}
