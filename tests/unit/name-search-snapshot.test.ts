// @vitest-environment node
/**
 * The name search's snapshot in memory (lib/cache/name-search.ts): whatever the sync does to the
 * records, in whichever order, through whichever RecordCache, with the worker stopped between
 * steps or not, a search answers exactly what a plain scan of every record answers.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_CHANGES } from '@/lib/cache/name-search';
import { type CacheDb, openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CachedRecord, RecordKind } from '@/lib/cache/schema';
import type { NameSnapshot } from '@/lib/search/name-snapshot';
import { matchesAll, nameWords, queryWords } from '@/lib/search/name-words';

let serial = 0;

function record(kind: RecordKind, sellsyId: number, name: string, extra: Partial<CachedRecord> = {}): CachedRecord {
  return { key: `${kind}:${sellsyId}`, kind, sellsyId, name, phones: [`+3361200${String(sellsyId).padStart(4, '0')}`], rawPhones: [], updated: '', ...extra };
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

/** What the search promises, by reading every record: live first, by name, then key. */
async function naive(db: CacheDb, query: string, limit: number): Promise<string[]> {
  const words = queryWords(query);
  if (words.length === 0) return [];
  const all = await db.getAll('records');
  return all
    .filter((r) => matchesAll(nameWords(r.name, r.companyName), words))
    .sort((a, b) => Number(!!a.archived) - Number(!!b.archived) || collator.compare(a.name, b.name) || a.key.localeCompare(b.key))
    .slice(0, limit)
    .map((r) => r.key);
}

const keys = async (cache: RecordCache, query: string, limit = 20) => (await cache.searchByName(query, limit)).map((r) => r.key);

const NAMES = ['Marie Dupont', 'marie dupont', 'Marc Dupuis', 'Éloïse Martin', 'Zoé Ngô', 'Hervé Lefèvre', 'Dupont SAS', 'Martine', 'Émile Marchand', 'D'];
const COMPANIES = ['Néolis', 'Altimea', 'Marchand & Fils', 'Dupuis Conseil'];
const QUERIES = ['mar', 'dup', 'm', 'dup mar', 'e', 'martin marie', 'sas', 'ngo z', 'lef h', 'd', 'neo', 'alti', 'marchand', 'xyz', 'ma ma'];
const KINDS: RecordKind[] = ['contact', 'company', 'individual'];

const operation = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('put' as const),
      kind: fc.constantFrom(...KINDS),
      id: fc.integer({ min: 1, max: 6 }),
      name: fc.constantFrom(...NAMES),
      archived: fc.boolean(),
      viaPage: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('remove' as const), kind: fc.constantFrom(...KINDS), id: fc.integer({ min: 1, max: 6 }), viaPage: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('company' as const),
      companyId: fc.integer({ min: 1, max: 3 }),
      name: fc.constantFrom(...COMPANIES),
      contacts: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 4 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('search' as const), query: fc.constantFrom(...QUERIES), limit: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('otherSearch' as const), query: fc.constantFrom(...QUERIES) }) },
  // The worker stopped and woken: a new RecordCache, its index loaded from the saved snapshot.
  { weight: 1, arbitrary: fc.record({ op: fc.constant('wake' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const) }) },
);

describe('the name search from its snapshot', () => {
  it('answers exactly what a scan of every record answers, after any puts, removals, company changes, clears and wakes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(operation, fc.boolean()), { minLength: 1, maxLength: 40 }), async (steps) => {
        const dbPromise = openCacheDb(`name-snapshot-${++serial}`);
        const db = await dbPromise;
        // Two caches on one database: the sync's writes may come through either.
        let searcher = new RecordCache(dbPromise);
        const writers = [searcher, new RecordCache(dbPromise)];
        for (const [step, second] of steps) {
          const writer = second ? (writers[1] as RecordCache) : searcher;
          if (step.op === 'put') {
            const r = record(step.kind, step.id, step.name, step.archived ? { archived: true } : {});
            if (step.viaPage) await writer.writePage({ kind: step.kind, put: [r], remove: [] }, () => undefined);
            else await writer.put(r);
          } else if (step.op === 'remove') {
            const key = `${step.kind}:${step.id}`;
            if (step.viaPage) await writer.writePage({ kind: step.kind, put: [], remove: [key] }, () => undefined);
            else await writer.remove(key);
          } else if (step.op === 'company') {
            const links = step.contacts.map((contactId) => ({ contactId, companyId: step.companyId, companyName: step.name }));
            await writer.writePage({ kind: 'company', put: [], remove: [], companies: [{ companyId: step.companyId, links }] }, () => undefined);
          } else if (step.op === 'otherSearch') {
            // The other cache searches too: it may rebuild and save, dropping log entries.
            await keys(writers[1] as RecordCache, step.query);
          } else if (step.op === 'wake') {
            searcher = new RecordCache(dbPromise);
          } else if (step.op === 'clear') {
            await writer.clear();
          } else {
            expect(await keys(searcher, step.query, step.limit)).toEqual(await naive(db, step.query, step.limit));
          }
        }
        for (const query of QUERIES) expect(await keys(searcher, query, 6)).toEqual(await naive(db, query, 6));
        db.close();
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('never answers a deleted record, even when another cache deleted it after this one loaded its index', async () => {
    const dbPromise = openCacheDb(`name-snapshot-${++serial}`);
    const panel = new RecordCache(dbPromise);
    const sync = new RecordCache(dbPromise);
    await sync.writePage({ kind: 'contact', put: [record('contact', 1, 'Marie Dupont'), record('contact', 2, 'Marc Dupuis')], remove: [] }, () => undefined);
    expect(await keys(panel, 'dup')).toEqual(['contact:2', 'contact:1']);
    await sync.writePage({ kind: 'contact', put: [], remove: ['contact:1'] }, () => undefined);
    expect(await keys(panel, 'dup')).toEqual(['contact:2']);
    await sync.remove('contact:2');
    expect(await keys(panel, 'dup')).toEqual([]);
    // And after a wake, from the saved snapshot, which still names them.
    expect(await keys(new RecordCache(dbPromise), 'dup')).toEqual([]);
  });

  it('finds what a first sync wrote after a search, however long the change log grew', async () => {
    const dbPromise = openCacheDb(`name-snapshot-${++serial}`);
    const cache = new RecordCache(dbPromise);
    expect(await keys(cache, 'marie')).toEqual([]);
    // More changes than are worth replaying: the log becomes one "everything" entry.
    const many = Array.from({ length: MAX_PENDING_CHANGES + 10 }, (_, i) => record('contact', i + 1, `Marie Nom${i}`));
    await cache.writePage({ kind: 'contact', put: many, remove: [] }, () => undefined);
    const db = await dbPromise;
    expect(await db.count('searchChanges')).toBe(1);
    expect(await keys(cache, 'marie nom4', 3)).toEqual(await naive(db, 'marie nom4', 3));
    expect(await keys(cache, 'nom5009')).toEqual(['contact:5010']);
    // The rebuild saved a snapshot that includes the log, and emptied it.
    expect(await db.count('searchChanges')).toBe(0);
    expect(await keys(new RecordCache(dbPromise), 'nom5009')).toEqual(['contact:5010']);
  }, 60_000);

  it('reloads when another cache saved a newer snapshot, whose log entries this one never replayed', async () => {
    const dbPromise = openCacheDb(`name-snapshot-${++serial}`);
    const panel = new RecordCache(dbPromise);
    const other = new RecordCache(dbPromise);
    await panel.put(record('contact', 1, 'Marie Dupont'));
    expect(await keys(panel, 'marie')).toEqual(['contact:1']);
    // A page too long to replay (the log becomes "everything"): the other cache's next search
    // rebuilds, saves, and drops the log, "everything" included.
    const many = Array.from({ length: MAX_PENDING_CHANGES + 10 }, (_, i) => record('contact', i + 2, `Marie Nom${i}`));
    await other.writePage({ kind: 'contact', put: many, remove: [] }, () => undefined);
    expect(await keys(other, 'nom4999')).toEqual([`contact:${MAX_PENDING_CHANGES + 1}`]);
    await other.put(record('contact', 90_000, 'Zoé Ngô'));
    expect(await keys(panel, 'nom4999')).toEqual([`contact:${MAX_PENDING_CHANGES + 1}`]);
    expect(await keys(panel, 'ngo')).toEqual(['contact:90000']);
  }, 60_000);

  it('rebuilds a saved snapshot it cannot read, instead of searching it', async () => {
    const name = `name-snapshot-${++serial}`;
    const cache = new RecordCache(openCacheDb(name));
    await cache.put(record('contact', 1, 'Hervé Lefèvre'));
    expect(await keys(cache, 'herve')).toEqual(['contact:1']);
    const db = await openCacheDb(name);
    const saved = (await db.get('searchIndex', 'names')) as NameSnapshot;
    // Postings naming a record the snapshot does not have.
    await db.put('searchIndex', { ...saved, postings: new Uint32Array([7]) }, 'names');
    expect(await keys(new RecordCache(openCacheDb(name)), 'herve')).toEqual(['contact:1']);
    await db.put('searchIndex', 'not a snapshot' as never, 'names');
    expect(await keys(new RecordCache(openCacheDb(name)), 'lef')).toEqual(['contact:1']);
  });
});
