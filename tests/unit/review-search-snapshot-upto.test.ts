// @vitest-environment node
/**
 * A snapshot this code cannot read (damaged, or of an older shape after an update) is replaced
 * by the rebuild even when the change log is empty, as it is after every saved rebuild: the
 * rebuilt snapshot includes the saved position, not position 0.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CachedRecord } from '@/lib/cache/schema';
import { buildNameSnapshot, type NameSnapshot, parseNameSnapshot } from '@/lib/search/name-snapshot';

function contact(sellsyId: number, name: string): CachedRecord {
  return { key: `contact:${sellsyId}`, kind: 'contact', sellsyId, name, phones: [], rawPhones: [], updated: '' };
}

const keys = async (cache: RecordCache, query: string) => (await cache.searchByName(query, 10)).map((r) => r.key);

describe('a snapshot it cannot read, with an empty change log', () => {
  it('is rebuilt once and saved, not rebuilt again on every search', async () => {
    const name = 'review-search-upto';
    const cache = new RecordCache(openCacheDb(name));
    await cache.put(contact(1, 'Hervé Lefèvre'));
    await cache.put(contact(2, 'Marie Dupont'));
    expect(await keys(cache, 'herve')).toEqual(['contact:1']);
    const db = await openCacheDb(name);
    // The rebuild on the first search saved a snapshot and emptied the log.
    expect(await db.count('searchChanges')).toBe(0);
    const saved = (await db.get('searchIndex', 'names')) as NameSnapshot;
    // A snapshot of another version, as an update that changes the shape leaves behind.
    await db.put('searchIndex', { ...saved, version: 0 } as never, 'names');

    const woken = new RecordCache(openCacheDb(name));
    let reads = 0;
    const getAll = IDBObjectStore.prototype.getAll;
    IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAll']>) {
      if (this.name === 'records') reads++;
      return getAll.apply(this, args);
    };
    try {
      expect(await keys(woken, 'herve')).toEqual(['contact:1']);
      expect(await keys(woken, 'dup')).toEqual(['contact:2']);
    } finally {
      IDBObjectStore.prototype.getAll = getAll;
    }
    // One rebuild (every record read once), and its snapshot replaced the unreadable one.
    expect(reads).toBe(1);
    expect(parseNameSnapshot(await db.get('searchIndex', 'names'))).toBeDefined();
    expect(await keys(new RecordCache(openCacheDb(name)), 'dup')).toEqual(['contact:2']);
    db.close();
  });
});

describe('a snapshot whose keys do not match its names', () => {
  it('is not read', async () => {
    const records = ['Anne', 'Zoé', 'Marc'].map((name, i) => ({ key: `contact:${i}`, name, words: [name.toLowerCase()] }));
    const snapshot = await buildNameSnapshot(records, 0, async () => undefined);
    expect(parseNameSnapshot(snapshot)).toBeDefined();
    expect(parseNameSnapshot({ ...snapshot, keys: 'contact:0\ncontact:1' })).toBeUndefined();
    expect(parseNameSnapshot({ ...snapshot, keys: 'contact:0\ncontact:1\ncontact:2\ncontact:3' })).toBeUndefined();
    expect(parseNameSnapshot({ ...snapshot, keys: '' })).toBeUndefined();
  });
});
