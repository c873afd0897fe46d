// @vitest-environment node
/**
 * Hostile review of the name search over the cache (RecordCache.searchByName). A sales team's
 * address book has thousands of Maries and dozens of archived Duponts: the search must still find
 * the one record that matches every word typed, and a live record before archived ones.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CachedRecord } from '@/lib/cache/schema';

let db = 0;

function record(sellsyId: number, name: string, extra: Partial<CachedRecord> = {}): CachedRecord {
  return {
    key: `contact:${sellsyId}`,
    kind: 'contact',
    sellsyId,
    name,
    phones: [`+336${String(sellsyId).padStart(8, '0')}`],
    rawPhones: [],
    updated: '',
    ...extra,
  };
}

/** One sync page: one transaction, as the contact sync writes them. */
async function cacheWith(records: CachedRecord[]): Promise<RecordCache> {
  const cache = new RecordCache(openCacheDb(`review1-name-search-${++db}`));
  await cache.writePage({ kind: 'contact', put: records, remove: [] }, () => undefined);
  return cache;
}

/** A record as the cache keeps it, company name included (a contact's comes from its company's links in a sync). */
async function cacheHolding(record: CachedRecord): Promise<RecordCache> {
  const cache = new RecordCache(openCacheDb(`review1-name-search-${++db}`));
  await cache.put(record);
  return cache;
}

const names = async (cache: RecordCache, query: string) => (await cache.searchByName(query, 20)).map((r) => r.name);

describe('review 1: the name search in a large address book', () => {
  it('finds the one Marie whose surname starts with the other word typed, however many Maries there are', async () => {
    // 2,100 Maries (a French team's book of 100,000 contacts has more), and Marie Zucca, whose key
    // sorts after theirs in the "marie" entries of the index.
    const maries = Array.from({ length: 2100 }, (_, i) => record(1000 + i, `Marie Martin${i}`));
    const cache = await cacheWith([...maries, record(99_999, 'Marie Zucca')]);
    // Both words are typed in full: she is the only match, and the panel says "no result".
    expect(await names(cache, 'marie zucca')).toEqual(['Marie Zucca']);
  }, 30_000);

  it('lists a live Dupont before archived ones, even when many archived Duponts come first in the index', async () => {
    // Old customers stay in Sellsy, archived; the live Dupont has a later id than all of them.
    const archived = Array.from({ length: 70 }, (_, i) => record(100 + i, `Dupont Ancien${i}`, { archived: true }));
    const cache = await cacheWith([...archived, record(900, 'Dupont Actuel')]);
    const found = await cache.searchByName('dupont', 20);
    expect(found[0]?.name).toBe('Dupont Actuel');
  });

  it('finds a contact with a long name by her company too', async () => {
    // French names with particles and double first names are long; the company's words must
    // still find her, as the search promises ("finds a contact by her company").
    const cache = await cacheHolding(
      record(1, 'Marie-Claire Anne-Sophie de La Roche-Foucauld du Plessis', { companyName: 'Cabinet d’Avocats Lefèvre et Associés' }),
    );
    expect(await names(cache, 'plessis lefevre')).toEqual(['Marie-Claire Anne-Sophie de La Roche-Foucauld du Plessis']);
  });

  it('finds a name pasted with a typographic ligature by the letters a person types', async () => {
    // Names copied from a PDF (an invoice, a signature) carry U+FB01 "ﬁ" and U+FB02 "ﬂ".
    const cache = await cacheHolding(record(1, 'Soﬁane Raﬄin', { companyName: 'Eﬃcience Conseil' }));
    expect(await names(cache, 'sofiane')).toEqual(['Soﬁane Raﬄin']);
    expect(await names(cache, 'efficience')).toEqual(['Soﬁane Raﬄin']);
  });
});
