import type { IDBPObjectStore, StoreNames } from 'idb';
import { matchesAll, nameWords, queryWords } from '../search/name-words';
import type { CacheDb } from './open';
import {
  recordKey,
  type AlloDb,
  type CachedRecord,
  type CompanyType,
  type ContactCompany,
  type KindSyncState,
  type RecordKind,
  type StoredRecord,
  type SyncCursors,
} from './schema';

/**
 * A word's range of the index is read as keys up to this many: a range that fits narrows the
 * search to the records it names; a longer one (a common start) does not, and is not read.
 */
const SEARCH_KEY_CAP = 400;
/** The most records one search reads, when every word of the query is common. */
const SEARCH_RECORD_CAP = 1000;
const collator = new Intl.Collator('fr', { sensitivity: 'base' });

export interface Page {
  kind: RecordKind;
  put: CachedRecord[];
  /**
   * Keys of records that left the cache: no callable number any more, deleted in Sellsy, or a
   * row that can no longer be read (its old numbers must not keep answering).
   */
  remove: string[];
  /**
   * Companies whose contact links are now exactly these (company pages only): what a company's
   * latest row says, or none for a company gone from Sellsy or unreadable. Links of these
   * companies that are not listed are forgotten, with the company name on those contacts.
   */
  companies?: CompanyLinks[];
}

export interface CompanyLinks {
  companyId: number;
  links: ContactCompany[];
}

/** The cache as the rest of the code sees it: a few questions and atomic writes. */
export class RecordCache {
  constructor(private readonly db: Promise<CacheDb>) {}

  /**
   * Every live record with this number (duplicates in Sellsy stay duplicates here). An archived
   * record answers only when no live one has the number: a number that moved from an archived
   * contact to a live one belongs to the live one now, yet a call from someone Sellsy knows only
   * as archived is still theirs.
   */
  async findByNumber(e164: string): Promise<CachedRecord[]> {
    const records = await (await this.db).getAllFromIndex('records', 'phones', e164);
    const live = records.filter((record) => !record.archived);
    return live.length > 0 ? live : records;
  }

  /**
   * Records whose words begin with every word of `query` ("dup mar" finds Marie Dupont), live
   * ones first, each group by name, at most `limit`. What is read is kept small, as the cost is
   * in the entries read: one word reads a few more records than shown; several words read each
   * word's keys up to a small cap, and the words whose range fits are intersected, so a rare
   * surname beside a common first name is found however many share the first name; only when
   * every word is common are the records of the longest word's range read, up to a cap.
   */
  async searchByName(query: string, limit: number): Promise<CachedRecord[]> {
    const words = queryWords(query);
    if (words.length === 0) return [];
    const store = (await this.db).transaction('records').store;
    const index = store.index('words');
    const range = (word: string) => IDBKeyRange.bound(word, `${word}\uffff`);
    const [longest] = words as [string, ...string[]];
    let read: StoredRecord[];
    if (words.length === 1) {
      // A record is listed once per word it has with that start, so a few more than shown are
      // read; when archived records (or repeats) filled them, the range is read further.
      read = await index.getAll(range(longest), limit * 3);
      if (read.length === limit * 3 && read.filter((r) => !r.archived).length < limit) read = await index.getAll(range(longest), SEARCH_RECORD_CAP);
    } else {
      const lists = await Promise.all(words.map((word) => index.getAllKeys(range(word), SEARCH_KEY_CAP + 1)));
      const fitting = lists.filter((keys) => keys.length <= SEARCH_KEY_CAP).sort((a, b) => a.length - b.length);
      if (fitting.length === 0) read = await index.getAll(range(longest), SEARCH_RECORD_CAP);
      else {
        let candidates = new Set(fitting[0]);
        for (const keys of fitting.slice(1)) {
          const other = new Set(keys);
          candidates = new Set([...candidates].filter((key) => other.has(key)));
        }
        read = (await Promise.all([...candidates].map((key) => store.get(key)))).filter((r): r is StoredRecord => r !== undefined);
      }
    }
    const found = new Map<string, StoredRecord>();
    for (const record of read) if (!found.has(record.key) && matchesAll(record.words ?? [], words)) found.set(record.key, record);
    const byName = [...found.values()].sort((a, b) => collator.compare(a.name, b.name) || a.key.localeCompare(b.key));
    return [...byName.filter((r) => !r.archived), ...byName.filter((r) => r.archived)].slice(0, limit);
  }

  async count(): Promise<number> {
    return (await this.db).count('records');
  }

  /**
   * One cached record of this kind (a company: of this type), live if one is at hand: the
   * options' "Test a link" opens it. Reads at most 50, however large the cache.
   */
  async sample(kind: RecordKind, companyType?: CompanyType): Promise<CachedRecord | undefined> {
    const some = await (await this.db).getAllFromIndex('records', 'kind', kind, 50);
    const fits = some.filter((record) => companyType === undefined || record.companyType === companyType);
    return fits.find((record) => !record.archived) ?? fits[0];
  }

  /** The Sellsy ids of the cached records of this kind, ascending. */
  async idsOfKind(kind: RecordKind): Promise<number[]> {
    const keys = await (await this.db).getAllKeysFromIndex('records', 'kind', kind);
    return keys.map((key) => Number(key.slice(key.indexOf(':') + 1))).sort((a, b) => a - b);
  }

  /**
   * The companies that name a contact, cached or not: a company without a number of its own is not
   * a record here, yet its links name its contacts, so the reconciliation asks about it too.
   */
  async linkedCompanyIds(): Promise<number[]> {
    const links = await (await this.db).getAll('contactCompanies');
    return [...new Set(links.map((link) => link.companyId))].sort((a, b) => a - b);
  }

  /** Whether a first sync of every kind has finished: before that, "not in Sellsy" is a guess. */
  async isComplete(): Promise<boolean> {
    const states = Object.values(await this.cursors());
    return states.length > 0 && states.every((state) => state?.done);
  }

  async cursors(): Promise<SyncCursors> {
    return asCursors(await (await this.db).get('meta', 'sync'));
  }

  /**
   * Bumped by every clear(): a sync pass remembers the generation it started under, and its
   * pages are refused once the cache was cleared beneath it (Sellsy disconnected meanwhile).
   */
  async generation(): Promise<number> {
    return asGeneration(await (await this.db).get('meta', 'generation'));
  }

  /**
   * One page of a sync in one transaction: records put, keys deleted and the kind's sync state,
   * so a worker stopped at any instant leaves either the whole page with its cursor, or neither.
   * With `generation`, nothing is written unless the cache is still in that generation; the
   * answer says whether the page was written.
   */
  async writePage(page: Page, state: (previous: KindSyncState | undefined) => KindSyncState | undefined, generation?: number): Promise<boolean> {
    const tx = (await this.db).transaction(['records', 'meta', 'contactCompanies'], 'readwrite');
    const records = tx.objectStore('records');
    const links = tx.objectStore('contactCompanies');
    const meta = tx.objectStore('meta');
    const writes: Array<Promise<unknown>> = [];
    try {
      // Checked inside the transaction, so a clear() cannot slip between the check and the writes.
      if (generation !== undefined && asGeneration(await meta.get('generation')) !== generation) {
        await tx.done;
        return false;
      }
      // One after the other: two companies of a page may name the same contact.
      for (const company of page.companies ?? []) await replaceLinks(records, links, company);
      for (const record of page.put) {
        if (record.kind !== 'contact') {
          writes.push(records.put(stored(record)));
          continue;
        }
        writes.push(
          links
            .index('contactId')
            .getAll(record.sellsyId)
            .then((named) => {
              const link = shownLink(named);
              return records.put(stored(link ? { ...record, companyName: link.companyName } : withoutCompany(record)));
            }),
        );
      }
      for (const key of page.remove) writes.push(records.delete(key));
      writes.push(
        meta.get('sync').then((value) => {
          const cursors = asCursors(value);
          const next = state(cursors[page.kind]);
          return next ? meta.put({ ...cursors, [page.kind]: next }, 'sync') : undefined;
        }),
      );
      await Promise.all([...writes, tx.done]);
      return true;
    } catch (error) {
      // A request refused synchronously (a bad key) does not abort the transaction by itself.
      abortQuietly(tx);
      throw error;
    }
  }

  /** The company shown for each of these contacts (a company's main, invoicing or dunning contact). */
  async companyLinks(contactIds: number[]): Promise<Map<number, ContactCompany>> {
    const db = await this.db;
    const links = await Promise.all(contactIds.map(async (id) => shownLink(await db.getAllFromIndex('contactCompanies', 'contactId', id))));
    return new Map(links.filter((link): link is ContactCompany => !!link).map((link) => [link.contactId, link]));
  }

  /** A record known to be gone from Sellsy (a 404 while logging a call); a company takes its links along. */
  async remove(key: string): Promise<void> {
    const tx = (await this.db).transaction(['records', 'contactCompanies'], 'readwrite');
    const records = tx.objectStore('records');
    await records.delete(key);
    const [kind, id] = key.split(':');
    if (kind === 'company') await replaceLinks(records, tx.objectStore('contactCompanies'), { companyId: Number(id), links: [] });
    await tx.done;
  }

  /**
   * A record made by the extension itself (a lead, a contact from the side panel), cached at once
   * so its calls match. With `generation`, nothing is written once the cache was cleared since
   * (Sellsy disconnected, perhaps another account connected, while the record was being made);
   * the answer says whether it was written.
   */
  async put(record: CachedRecord, generation?: number): Promise<boolean> {
    const tx = (await this.db).transaction(['records', 'meta'], 'readwrite');
    // Checked inside the transaction, so a clear() cannot slip between the check and the write.
    if (generation !== undefined && asGeneration(await tx.objectStore('meta').get('generation')) !== generation) {
      await tx.done;
      return false;
    }
    await Promise.all([tx.objectStore('records').put(stored(record)), tx.done]);
    return true;
  }

  /** Forgets every record and sync state, and moves to the next generation. */
  async clear(): Promise<void> {
    const tx = (await this.db).transaction(['records', 'meta', 'contactCompanies'], 'readwrite');
    const meta = tx.objectStore('meta');
    await Promise.all([
      tx.objectStore('records').clear(),
      tx.objectStore('contactCompanies').clear(),
      meta.get('generation').then(async (value) => {
        await meta.clear();
        await meta.put(asGeneration(value) + 1, 'generation');
      }),
      tx.done,
    ]);
  }
}

type RecordStore = IDBPObjectStore<AlloDb, ['records', ...StoreNames<AlloDb>[]], 'records', 'readwrite'>;
type LinkStore = IDBPObjectStore<AlloDb, ['records', ...StoreNames<AlloDb>[]], 'contactCompanies', 'readwrite'>;

/**
 * Makes a company's links what Sellsy says now: a contact no longer named loses this company's
 * link (she left, or the company is gone); a contact named gets it. Each contact touched then shows
 * the company of the links she has left, or none.
 */
async function replaceLinks(records: RecordStore, links: LinkStore, { companyId, links: current }: CompanyLinks): Promise<void> {
  const named = new Set(current.map((link) => link.contactId));
  const touched = new Set(named);
  for (const old of await links.index('companyId').getAll(companyId)) {
    if (named.has(old.contactId)) continue;
    await links.delete([old.contactId, companyId]);
    touched.add(old.contactId);
  }
  for (const link of current) await links.put(link);
  for (const contactId of touched) {
    // A contact already cached gets her company's name now; one cached later reads the links.
    const contact = await records.get(recordKey('contact', contactId));
    if (!contact) continue;
    const shown = shownLink(await links.index('contactId').getAll(contactId));
    if (shown && contact.companyName !== shown.companyName) await records.put(stored({ ...contact, companyName: shown.companyName }));
    if (!shown && contact.companyName !== undefined) await records.put(stored(withoutCompany(contact)));
  }
}

/** The link a contact shows of those she has: the lowest company id, the same in every browser. */
function shownLink(links: readonly ContactCompany[]): ContactCompany | undefined {
  return links.reduce<ContactCompany | undefined>((shown, link) => (!shown || link.companyId < shown.companyId ? link : shown), undefined);
}

/** The record with the words of its name and company, as the name search reads them. */
function stored(record: CachedRecord): StoredRecord {
  return { ...record, words: nameWords(record.name, record.companyName) };
}

function withoutCompany(record: CachedRecord): CachedRecord {
  const { companyName: _, ...rest } = record;
  return rest;
}

function asCursors(value: SyncCursors | number | undefined): SyncCursors {
  return typeof value === 'object' ? value : {};
}

function asGeneration(value: SyncCursors | number | undefined): number {
  return typeof value === 'number' ? value : 0;
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted.
  }
}
