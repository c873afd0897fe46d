import type { IDBPObjectStore, StoreNames } from 'idb';
import { nameWords } from '../search/name-words';
import { EVERYTHING, logChanges, NameSearch } from './name-search';
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
  private readonly names: NameSearch;

  constructor(private readonly db: Promise<CacheDb>) {
    this.names = new NameSearch(db);
  }

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
   * ones first, each group by name, at most `limit` (lib/cache/name-search.ts).
   */
  searchByName(query: string, limit: number): Promise<CachedRecord[]> {
    return this.names.search(query, limit);
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
    const tx = (await this.db).transaction(['records', 'meta', 'contactCompanies', 'searchChanges'], 'readwrite');
    const records = tx.objectStore('records');
    const links = tx.objectStore('contactCompanies');
    const meta = tx.objectStore('meta');
    const writes: Array<Promise<unknown>> = [];
    const changed = new Set([...page.put.map((record) => record.key), ...page.remove]);
    try {
      // Checked inside the transaction, so a clear() cannot slip between the check and the writes.
      if (generation !== undefined && asGeneration(await meta.get('generation')) !== generation) {
        await tx.done;
        return false;
      }
      // One after the other: two companies of a page may name the same contact.
      for (const company of page.companies ?? []) await replaceLinks(records, links, company, changed);
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
      writes.push(logChanges(tx.objectStore('searchChanges'), changed));
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
    const tx = (await this.db).transaction(['records', 'contactCompanies', 'searchChanges'], 'readwrite');
    const records = tx.objectStore('records');
    await records.delete(key);
    const changed = new Set([key]);
    const [kind, id] = key.split(':');
    if (kind === 'company') await replaceLinks(records, tx.objectStore('contactCompanies'), { companyId: Number(id), links: [] }, changed);
    await logChanges(tx.objectStore('searchChanges'), changed);
    await tx.done;
  }

  /**
   * A record made by the extension itself (a lead, a contact from the side panel), cached at once
   * so its calls match. With `generation`, nothing is written once the cache was cleared since
   * (Sellsy disconnected, perhaps another account connected, while the record was being made);
   * the answer says whether it was written.
   */
  async put(record: CachedRecord, generation?: number): Promise<boolean> {
    const tx = (await this.db).transaction(['records', 'meta', 'searchChanges'], 'readwrite');
    // Checked inside the transaction, so a clear() cannot slip between the check and the write.
    if (generation !== undefined && asGeneration(await tx.objectStore('meta').get('generation')) !== generation) {
      await tx.done;
      return false;
    }
    await Promise.all([tx.objectStore('records').put(stored(record)), logChanges(tx.objectStore('searchChanges'), [record.key]), tx.done]);
    return true;
  }

  /** Forgets every record and sync state, and moves to the next generation. */
  async clear(): Promise<void> {
    const tx = (await this.db).transaction(['records', 'meta', 'contactCompanies', 'searchIndex', 'searchChanges'], 'readwrite');
    const meta = tx.objectStore('meta');
    const log = tx.objectStore('searchChanges');
    await Promise.all([
      tx.objectStore('records').clear(),
      tx.objectStore('contactCompanies').clear(),
      // The snapshot names records gone now; "everything" tells a worker holding it in memory.
      tx.objectStore('searchIndex').clear(),
      log.clear().then(() => log.add(EVERYTHING)),
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
async function replaceLinks(records: RecordStore, links: LinkStore, { companyId, links: current }: CompanyLinks, changed: Set<string>): Promise<void> {
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
    else if (!shown && contact.companyName !== undefined) await records.put(stored(withoutCompany(contact)));
    else continue;
    // Her company's words are her words too: the name search must see the change.
    changed.add(contact.key);
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
