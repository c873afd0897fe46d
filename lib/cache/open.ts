import { openDB, type IDBPDatabase, unwrap } from 'idb';
import { nameWords } from '../search/name-words';
import { DB_NAME, DB_VERSION, type AlloDb } from './schema';

export type CacheDb = IDBPDatabase<AlloDb>;

/** Only the background opens the database; a content script (the page's origin) cannot. */
export function openCacheDb(name = DB_NAME): Promise<CacheDb> {
  return openDB<AlloDb>(name, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        const records = db.createObjectStore('records', { keyPath: 'key' });
        records.createIndex('phones', 'phones', { multiEntry: true });
        records.createIndex('kind', 'kind');
        db.createObjectStore('meta');
        db.createObjectStore('contactCompanies', { keyPath: 'contactId' });
      }
      if (oldVersion < 2) {
        const calls = db.createObjectStore('calls', { keyPath: 'alloId' });
        calls.createIndex('state', 'state');
        calls.createIndex('date', 'date');
      }
      if (oldVersion < 3) {
        // Only calls with copies still to settle have `settleAt`, so the index holds just those.
        tx.objectStore('calls').createIndex('settleAt', 'settleAt');
      }
      if (oldVersion < 4) {
        // A company's links are replaced by what its latest row says (RecordCache.writePage).
        tx.objectStore('contactCompanies').createIndex('companyId', 'companyId');
      }
      if (oldVersion < 5) {
        // Keyed by contact alone, a second company naming her overwrote the first one's link, and
        // either company letting her go erased both. The links move to a [contact, company] key;
        // only database requests are awaited here, so the upgrade transaction stays open.
        const links = await tx.objectStore('contactCompanies').getAll();
        db.deleteObjectStore('contactCompanies');
        const store = db.createObjectStore('contactCompanies', { keyPath: ['contactId', 'companyId'] });
        store.createIndex('companyId', 'companyId');
        store.createIndex('contactId', 'contactId');
        await Promise.all(links.map((link) => store.put(link)));
      }
      if (oldVersion < 6) {
        // Records cached before the name search get their words here, once, in the upgrade's own
        // transaction. Version 6 also indexed them (multiEntry `words`); version 7 drops that.
        const records = tx.objectStore('records');
        let cursor = await records.openCursor();
        while (cursor) {
          await cursor.update({ ...cursor.value, words: nameWords(cursor.value.name, cursor.value.companyName) });
          cursor = await cursor.continue();
        }
      }
      if (oldVersion < 7) {
        // Reading the `words` index cost 10–40 µs an entry in Chromium, and a common start has
        // thousands: the name search moves to a snapshot in memory (lib/cache/name-search.ts),
        // built from the records on the first search, and the index goes. Records keep `words`.
        // Unwrapped: today's schema no longer names the index it removes.
        const records = unwrap(tx.objectStore('records'));
        if (records.indexNames.contains('words')) records.deleteIndex('words');
        db.createObjectStore('searchIndex');
        db.createObjectStore('searchChanges', { autoIncrement: true });
      }
    },
  });
}
