// @vitest-environment node
/**
 * Sellsy names are not bounded at the edge. The snapshot keeps names only to order records, and
 * it kept each whole: a few thousand hostile names of 50,000 characters made the snapshot (kept
 * in memory, saved in IndexedDB) hundreds of megabytes, and each collator comparison of two
 * such names cost ~0.15 ms inside sorts that cannot pause.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CachedRecord } from '@/lib/cache/schema';
import { buildNameSnapshot, type IndexedName } from '@/lib/search/name-snapshot';
import { nameWords } from '@/lib/search/name-words';

const LONG = 'Hervé Lefèvre '.repeat(3600);

describe('hostile long names in the name search', () => {
  it('keep the snapshot small, whatever the names’ length', async () => {
    const records: IndexedName[] = Array.from({ length: 300 }, (_, i) => {
      const name = `${i % 2 ? LONG : LONG.toUpperCase()}${i}`;
      return { key: `contact:${i}`, name, words: nameWords(name) };
    });
    const snapshot = await buildNameSnapshot(records, 0, async () => undefined);
    expect(snapshot.names.length).toBeLessThanOrEqual(300 * 200);
  });

  it('still order by name, live before archived, and find by any word', async () => {
    const cache = new RecordCache(openCacheDb('review-search-long-names'));
    const contact = (id: number, name: string, archived = false): CachedRecord => ({
      key: `contact:${id}`,
      kind: 'contact',
      sellsyId: id,
      name,
      phones: [],
      rawPhones: [],
      updated: '',
      ...(archived ? { archived: true } : {}),
    });
    await cache.writePage(
      {
        kind: 'contact',
        put: [contact(1, `Zoé ${LONG}`), contact(2, `émile ${LONG}`), contact(3, `Anne ${LONG}`, true), contact(4, `Émilie ${LONG}`)],
        remove: [],
      },
      () => undefined,
    );
    expect((await cache.searchByName('lefevre', 10)).map((r) => r.key)).toEqual(['contact:2', 'contact:4', 'contact:1', 'contact:3']);
    // The records answered are whole.
    expect((await cache.searchByName('zoe', 1))[0]?.name).toBe(`Zoé ${LONG}`);
    // A change after the snapshot is ordered among its records the same way.
    await cache.put(contact(5, `Emile ${LONG}`));
    expect((await cache.searchByName('herve', 10)).map((r) => r.key)).toEqual(['contact:2', 'contact:5', 'contact:4', 'contact:1', 'contact:3']);
  });
});
