// @vitest-environment node
/**
 * The side panel's search by name: the words a record is found by, the search over the cache's
 * `words` index, and the upgrade that gives records cached before it their words.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CachedRecord } from '@/lib/cache/schema';
import { MAX_WORD_LENGTH, MAX_WORDS, matchesAll, nameWords, queryWords } from '@/lib/search/name-words';

let db = 0;

function record(kind: CachedRecord['kind'], sellsyId: number, name: string, extra: Partial<CachedRecord> = {}): CachedRecord {
  return { key: `${kind}:${sellsyId}`, kind, sellsyId, name, phones: [`+3361200${String(sellsyId).padStart(4, '0')}`], rawPhones: [], updated: '', ...extra };
}

async function cacheWith(...records: CachedRecord[]): Promise<RecordCache> {
  const cache = new RecordCache(openCacheDb(`name-search-${++db}`));
  for (const r of records) await cache.put(r);
  return cache;
}

const names = async (cache: RecordCache, query: string, limit = 20) => (await cache.searchByName(query, limit)).map((r) => r.name);

describe('the words a record is found by', () => {
  it('are its name’s and its company’s, lower-cased, without accents, split at punctuation', () => {
    expect(nameWords('Jean-Marie d’Aubigné', 'Œuvres & Cie')).toEqual(['jean', 'marie', 'd', 'aubigne', 'oeuvres', 'cie']);
    expect(nameWords('ÉLOÏSE Lefèvre')).toEqual(['eloise', 'lefevre']);
  });

  it('are bounded, whatever the name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000, unit: 'binary' }), fc.option(fc.string({ maxLength: 2000 }), { nil: undefined }), (name, company) => {
        const words = nameWords(name, company);
        expect(words.length).toBeLessThanOrEqual(MAX_WORDS);
        for (const word of words) {
          expect(word.length).toBeGreaterThan(0);
          expect(word.length).toBeLessThanOrEqual(MAX_WORD_LENGTH);
          // What a query of the same text gives is found by it: the two sides agree.
          expect(word).toBe(queryWords(word)[0]);
        }
      }),
    );
  });

  it('find a record by any start of any of its words, in any case and accents', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('Éloïse', 'Dupont', 'Lefèvre', 'Ngô', 'O’Neil', 'Müller', 'SAS', 'Hervé'), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (parts, cut) => {
          const words = nameWords(parts.join(' '));
          const part = parts[cut % parts.length]!;
          const typed = part.slice(0, 1 + (cut % part.length)).toUpperCase();
          expect(matchesAll(words, queryWords(typed))).toBe(true);
        },
      ),
    );
  });
});

describe('RecordCache.searchByName', () => {
  it('finds Marie Dupont by "dup mar", in any order, and not by a word she lacks; by name order', async () => {
    const cache = await cacheWith(record('contact', 1, 'Marie Dupont'), record('contact', 2, 'Marc Dupuis'), record('individual', 3, 'Martin Durand'));
    expect(await names(cache, 'dup mar')).toEqual(['Marc Dupuis', 'Marie Dupont']);
    expect(await names(cache, 'mar dup')).toEqual(['Marc Dupuis', 'Marie Dupont']);
    expect(await names(cache, 'dupon marie')).toEqual(['Marie Dupont']);
    expect(await names(cache, 'dup zo')).toEqual([]);
    expect(await names(cache, '  ')).toEqual([]);
  });

  it('finds a contact by her company, a company by its name, accents and case aside', async () => {
    const cache = await cacheWith(record('contact', 1, 'Éloïse Martin', { companyName: 'Néolis SAS' }), record('company', 10, 'Néolis SAS'));
    expect(await names(cache, 'NEOLIS')).toEqual(['Éloïse Martin', 'Néolis SAS']);
    expect(await names(cache, 'eloise neo')).toEqual(['Éloïse Martin']);
  });

  it('follows the company a contact shows when the sync changes it', async () => {
    const cache = new RecordCache(openCacheDb(`name-search-${++db}`));
    const contact = record('contact', 1, 'Éloïse Martin');
    const link = (name: string) => ({
      kind: 'company' as const,
      put: [record('company', 10, name)],
      remove: [],
      companies: [{ companyId: 10, links: [{ contactId: 1, companyId: 10, companyName: name }] }],
    });
    await cache.writePage({ kind: 'contact', put: [contact], remove: [] }, () => undefined);
    await cache.writePage(link('Néolis'), () => undefined);
    expect(await names(cache, 'neolis')).toEqual(['Éloïse Martin', 'Néolis']);
    await cache.writePage(link('Altimea'), () => undefined);
    expect(await names(cache, 'neolis')).toEqual([]);
    expect(await names(cache, 'alti elo')).toEqual(['Éloïse Martin']);
  });

  it('lists live records before archived ones, each once, at most the limit', async () => {
    const cache = await cacheWith(
      record('contact', 1, 'Marie Marchand', { archived: true }),
      record('contact', 2, 'Marie Martin'),
      record('contact', 3, 'Mario Marais'),
    );
    expect(await names(cache, 'mar')).toEqual(['Marie Martin', 'Mario Marais', 'Marie Marchand']);
    expect(await names(cache, 'mar', 2)).toEqual(['Marie Martin', 'Mario Marais']);
  });

  it('forgets a record removed from the cache', async () => {
    const cache = await cacheWith(record('contact', 1, 'Marie Dupont'));
    await cache.remove('contact:1');
    expect(await names(cache, 'dupont')).toEqual([]);
  });

  it('finds records cached by the version before it (database version 5, no words)', async () => {
    const name = `name-search-v5-${++db}`;
    // lib/cache/open.ts before the name search: version 5, records without words.
    const old = await openDB(name, 5, {
      upgrade(database) {
        const records = database.createObjectStore('records', { keyPath: 'key' });
        records.createIndex('phones', 'phones', { multiEntry: true });
        records.createIndex('kind', 'kind');
        database.createObjectStore('meta');
        const links = database.createObjectStore('contactCompanies', { keyPath: ['contactId', 'companyId'] });
        links.createIndex('companyId', 'companyId');
        links.createIndex('contactId', 'contactId');
        const calls = database.createObjectStore('calls', { keyPath: 'alloId' });
        calls.createIndex('state', 'state');
        calls.createIndex('date', 'date');
        calls.createIndex('settleAt', 'settleAt');
      },
    });
    await old.put('records', record('contact', 1, 'Hervé Lefèvre', { companyName: 'Néolis' }));
    old.close();
    const cache = new RecordCache(openCacheDb(name));
    expect(await names(cache, 'lefe herve')).toEqual(['Hervé Lefèvre']);
    expect(await names(cache, 'neo')).toEqual(['Hervé Lefèvre']);
    expect((await cache.findByNumber('+33612000001')).map((r) => r.name)).toEqual(['Hervé Lefèvre']);
  });
});
