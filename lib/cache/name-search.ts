import type { IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import { NameIndex } from '../search/name-index';
import { buildNameSnapshot, type IndexedName, parseNameSnapshot } from '../search/name-snapshot';
import { matchesAll, nameWords, queryWords } from '../search/name-words';
import type { CacheDb } from './open';
import type { AlloDb, StoredRecord } from './schema';

/**
 * Changes replayed onto a snapshot before it is rebuilt instead: replaying reads each changed
 * record (a first sync's 100,000 would take longer than a rebuild), and the index scans them on
 * every query.
 */
export const MAX_PENDING_CHANGES = 5000;
/** Past this many changed records in memory, a rebuild starts after the answer. */
const REBUILD_AFTER = 2000;
/** Candidates read beyond the limit, so a record the verification drops does not shorten the list. */
const SPARE = 5;
const MAX_PASSES = 3;
/** Records a rebuild reads per request. */
const READ_BATCH = 2000;
/** The change-log entry that says every record may have changed. */
export const EVERYTHING = '*';

/**
 * The name search over the cache, answered from an index in the worker's memory
 * (lib/search/name-index.ts), loaded once per worker wake from its snapshot in IndexedDB — or
 * built from the records on the first search when there is none (a database from before it, a
 * cleared cache, a long change log).
 *
 * Why it is never wrong: every transaction that changes a record (RecordCache) also appends the
 * record's key to `searchChanges`. Each search, in one read-only transaction, first replays the
 * log entries after the index's position (re-reading those records), then reads the records it
 * is about to answer, and keeps only those that exist and still match. So a record deleted is never
 * answered, a record added is found, whichever worker or instance wrote it; a snapshot older than
 * the log is only slower until rebuilt, and the log itself is bounded (logChanges). An index that
 * another instance's saved snapshot overtook (its log entries dropped) sees it and reloads.
 */
export class NameSearch {
  private index: NameIndex | undefined;
  private loading: Promise<NameIndex> | undefined;
  private rebuilding: Promise<NameIndex> | undefined;

  constructor(private readonly db: Promise<CacheDb>) {}

  async search(query: string, limit: number): Promise<StoredRecord[]> {
    const words = queryWords(query);
    if (words.length === 0 || limit <= 0) return [];
    for (let pass = 0; ; pass++) {
      const index = this.index ?? (await this.load());
      const tx = (await this.db).transaction(['records', 'searchChanges', 'searchIndex']);
      const records = tx.objectStore('records');
      const state = await replay(tx, index);
      // Another pass loads the saved snapshot (this index is behind it) or rebuilds; each reads
      // the log's end anew, so the next replay is short. Only a log reset again within those
      // milliseconds, pass after pass, gets an answer from an index behind: still read back below.
      if (state !== 'current' && pass < MAX_PASSES) {
        await tx.done;
        if (this.index === index) this.index = undefined;
        if (state === 'rebuild') await this.rebuild();
        continue;
      }
      const keys = index.search(words, limit + SPARE);
      const read = await Promise.all(keys.map((key) => records.get(key)));
      await tx.done;
      if (index.changes > REBUILD_AFTER) void this.rebuild().catch(() => undefined);
      return read.filter((record): record is StoredRecord => !!record && matchesAll(wordsOf(record), words)).slice(0, limit);
    }
  }

  /** The stored snapshot, or a new one when it is missing or not one this code reads. */
  private load(): Promise<NameIndex> {
    this.loading ??= (async () => {
      try {
        const snapshot = parseNameSnapshot(await (await this.db).get('searchIndex', 'names'));
        if (!snapshot) return await this.rebuild();
        this.index = new NameIndex(snapshot);
        return this.index;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /**
   * Builds the index from every record and saves its snapshot. The records and the log's last
   * sequence number (or the saved position, when the log is empty) are read in one transaction,
   * so the snapshot is exactly the records as of that position; saving drops the entries it
   * includes, unless a newer snapshot was saved meanwhile.
   */
  private rebuild(): Promise<NameIndex> {
    this.rebuilding ??= (async () => {
      try {
        const db = await this.db;
        const tx = db.transaction(['records', 'searchChanges', 'searchIndex']);
        const [all, last, saved] = await Promise.all([
          readAllIndexed(tx.objectStore('records')),
          tx.objectStore('searchChanges').openKeyCursor(null, 'prev'),
          tx.objectStore('searchIndex').get('upTo'),
        ]);
        // An empty log (the last save dropped it) still has a position: the saved one. Counting
        // from 0 would leave an unreadable snapshot in place (not newer than the saved position)
        // and this index behind it, so every search would rebuild again.
        const upTo = Math.max(last?.key ?? 0, typeof saved === 'number' ? saved : 0);
        await tx.done;
        // In slices: number lookups for click-to-call are answered while it builds.
        const snapshot = await buildNameSnapshot(all, upTo);
        const index = new NameIndex(snapshot);
        this.index = index;
        try {
          const save = db.transaction(['searchIndex', 'searchChanges'], 'readwrite');
          const store = save.objectStore('searchIndex');
          const saved = await store.get('upTo');
          if (typeof saved !== 'number' || saved <= upTo) {
            await Promise.all([store.put(snapshot, 'names'), store.put(upTo, 'upTo'), save.objectStore('searchChanges').delete(IDBKeyRange.upperBound(upTo))]);
          }
          await save.done;
        } catch {
          // Not saved (storage full): this worker searches from memory, the next one rebuilds.
        }
        return index;
      } finally {
        this.rebuilding = undefined;
      }
    })();
    return this.rebuilding;
  }
}

type SearchTx = IDBPTransaction<AlloDb, ['records', 'searchChanges', 'searchIndex'], 'readonly'>;

/**
 * Brings the index up to the log's end as this transaction sees it. `behind`: a snapshot saved
 * since this index was loaded dropped log entries it has not replayed (load that one instead);
 * `rebuild`: the log says everything changed, or holds more than is worth replaying.
 */
async function replay(tx: SearchTx, index: NameIndex): Promise<'current' | 'behind' | 'rebuild'> {
  const log = tx.objectStore('searchChanges');
  const after = IDBKeyRange.lowerBound(index.applied, true);
  const [saved, seqs, keys] = await Promise.all([
    tx.objectStore('searchIndex').get('upTo'),
    log.getAllKeys(after, MAX_PENDING_CHANGES + 1),
    log.getAll(after, MAX_PENDING_CHANGES + 1),
  ]);
  if (typeof saved === 'number' && saved > index.applied) return 'behind';
  if (seqs.length > MAX_PENDING_CHANGES || keys.includes(EVERYTHING)) return 'rebuild';
  if (seqs.length === 0) return 'current';
  const unique = [...new Set(keys)];
  const records = await Promise.all(unique.map((key) => tx.objectStore('records').get(key)));
  // Two searches may replay at once; the one that saw the log further along wins, and entries
  // the index has passed are not applied again.
  const last = seqs[seqs.length - 1] as number;
  if (last <= index.applied) return 'current';
  unique.forEach((key, i) => {
    const record = records[i];
    index.apply(key, record ? indexed(record) : undefined);
  });
  index.applied = last;
  return 'current';
}

type LogStores = IDBPObjectStore<AlloDb, ArrayLike<StoreNames<AlloDb>>, 'searchChanges', 'readwrite'>;

/**
 * Notes in the name search's log that these records changed, in the writer's transaction. A log
 * longer than is worth replaying becomes one "everything" entry: the next search rebuilds.
 */
export async function logChanges(log: LogStores, keys: Iterable<string>): Promise<void> {
  // Requests of one transaction run in order: the last added has the highest number.
  const added = await Promise.all([...new Set(keys)].map((key) => log.add(key)));
  const last = added[added.length - 1];
  if (last === undefined) return;
  const first = await log.openKeyCursor();
  if (first && last - first.key >= MAX_PENDING_CHANGES) {
    await log.clear();
    await log.add(EVERYTHING);
  }
}

/**
 * Every record, read in batches within the caller's transaction: each batch arrives in its own
 * task, so the worker answers other messages between them (one read of 100,000 records is one
 * long task).
 */
async function readAllIndexed(records: IDBPObjectStore<AlloDb, ArrayLike<StoreNames<AlloDb>>, 'records', 'readonly'>): Promise<IndexedName[]> {
  const all: IndexedName[] = [];
  let batch = await records.getAll(null, READ_BATCH);
  for (;;) {
    for (const record of batch) all.push(indexed(record));
    const last = batch[batch.length - 1];
    if (batch.length < READ_BATCH || !last) return all;
    batch = await records.getAll(IDBKeyRange.lowerBound(last.key, true), READ_BATCH);
  }
}

function indexed(record: StoredRecord): IndexedName {
  return { key: record.key, name: record.name, ...(record.archived ? { archived: true } : {}), words: wordsOf(record) };
}

/** Records are stored with their words since database version 6; the fallback costs nothing then. */
function wordsOf(record: StoredRecord): readonly string[] {
  return record.words ?? nameWords(record.name, record.companyName);
}
