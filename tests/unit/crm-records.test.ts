import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { callTitle, type CallTitleMessages } from '@/lib/allo/call-title';
import { describeNumber } from '@/lib/cache/describe-number';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import { companyLinks, phonesOf, toCachedRecord } from '@/lib/sellsy/crm-records';

let dbCount = 0;
const freshCache = () => new RecordCache(openCacheDb(`test-${++dbCount}`));

const contact = (id: number, fields: Record<string, string | null>) => ({
  id,
  first_name: 'Marie',
  last_name: 'Dupont',
  phone_number: null,
  mobile_number: null,
  updated: '2024-05-29T11:22:03+02:00',
  ...fields,
});

describe('phone fields', () => {
  it.each([
    ['06 12 34 56 78', ['+33612345678']],
    ['+33 (0)1 42 68 53 00', ['+33142685300']],
    ['0033 6 12 34 56 78', ['+33612345678']],
    ['06.12.34.56.78 / 01 23 45 67 89', ['+33612345678', '+33123456789']],
    ['+32 2 511 12 34', ['+3225111234']],
    ['à compléter', []],
    ['06 12', []],
    ['', []],
    [null, []],
  ])('%s → %j', (raw, expected) => {
    expect(phonesOf(raw, 'FR')).toEqual(expected);
  });

  it('keeps a record only when a phone or mobile is callable; a fax is not', () => {
    expect(toCachedRecord('contact', contact(1, { phone_number: '06 12 34 56 78', mobile_number: '06.12.34.56.78' }), 'FR')).toEqual({
      key: 'contact:1',
      kind: 'contact',
      sellsyId: 1,
      name: 'Marie Dupont',
      phones: ['+33612345678'],
      rawPhones: ['06 12 34 56 78', '06.12.34.56.78'],
      updated: '2024-05-29T11:22:03+02:00',
    });
    expect(toCachedRecord('contact', { ...contact(2, {}), fax_number: '01 23 45 67 89' } as never, 'FR')).toBeUndefined();
    expect(toCachedRecord('contact', contact(3, { phone_number: 'à compléter' }), 'FR')).toBeUndefined();
  });

  it('names companies by name, people by first and last name, and links a company to its contacts', () => {
    const company = {
      id: 9,
      name: 'Acme SAS',
      phone_number: '01 42 68 53 00',
      mobile_number: null,
      updated_at: '2024-01-01T00:00:00+01:00',
      main_contact_id: 1,
      invoicing_contact_id: 1,
      dunning_contact_id: 2,
    };
    expect(toCachedRecord('company', company, 'FR')).toMatchObject({ key: 'company:9', name: 'Acme SAS', updated: '2024-01-01T00:00:00+01:00' });
    expect(companyLinks(company)).toEqual([
      { contactId: 1, companyId: 9, companyName: 'Acme SAS' },
      { contactId: 2, companyId: 9, companyName: 'Acme SAS' },
    ]);
    expect(toCachedRecord('company', company, 'FR')).not.toHaveProperty('companyType');
    expect(toCachedRecord('company', { ...company, type: 'prospect' }, 'FR')).toMatchObject({ companyType: 'prospect' });
    expect(toCachedRecord('company', { ...company, type: 'client' }, 'FR')).toMatchObject({ companyType: 'client' });
    // An unknown type keeps the record (it links as a client) rather than dropping it.
    expect(toCachedRecord('company', { ...company, type: 'partner' }, 'FR')).not.toHaveProperty('companyType');
  });
});

describe('RecordCache', () => {
  it('finds every record that has a number: duplicates stay duplicates', async () => {
    const cache = freshCache();
    const shared = '01 42 68 53 00';
    const records = [
      toCachedRecord('contact', contact(1, { phone_number: shared }), 'FR')!,
      toCachedRecord('contact', contact(2, { phone_number: shared, first_name: 'Jean', last_name: 'Martin' }), 'FR')!,
      toCachedRecord('company', { id: 9, name: 'Acme SAS', phone_number: shared, mobile_number: null, updated_at: 'x' }, 'FR')!,
    ];
    await cache.writePage({ kind: 'contact', put: records, remove: [] }, () => undefined);
    expect((await cache.findByNumber('+33142685300')).map((r) => r.key).sort()).toEqual(['company:9', 'contact:1', 'contact:2']);
    expect(await cache.findByNumber('+33612345678')).toEqual([]);
    expect(await cache.count()).toBe(3);
  });

  it('gives a contact its company’s name, whichever page comes first', async () => {
    const cache = freshCache();
    const company = {
      id: 9,
      name: 'Acme SAS',
      phone_number: '01 42 68 53 00',
      mobile_number: null,
      updated_at: 'x',
      main_contact_id: 1,
      invoicing_contact_id: null,
      dunning_contact_id: 2,
    };
    await cache.writePage(
      { kind: 'contact', put: [toCachedRecord('contact', contact(1, { mobile_number: '06 12 34 56 78' }), 'FR')!], remove: [] },
      () => undefined,
    );
    await cache.writePage(
      { kind: 'company', put: [toCachedRecord('company', company, 'FR')!], remove: [], companies: [{ companyId: company.id, links: companyLinks(company) }] },
      () => undefined,
    );
    await cache.writePage(
      { kind: 'contact', put: [toCachedRecord('contact', contact(2, { mobile_number: '07 68 42 19 05', first_name: 'Jean' }), 'FR')!], remove: [] },
      () => undefined,
    );
    expect((await cache.findByNumber('+33612345678'))[0]?.companyName).toBe('Acme SAS');
    expect((await cache.findByNumber('+33768421905'))[0]?.companyName).toBe('Acme SAS');
  });

  it('writes a page and its sync state together, or neither', async () => {
    const cache = freshCache();
    const record = toCachedRecord('contact', contact(1, { mobile_number: '06 12 34 56 78' }), 'FR')!;
    // A record the index cannot take (no key) makes the transaction fail as a whole.
    const broken = { ...record, key: undefined } as unknown as typeof record;
    await expect(
      cache.writePage({ kind: 'contact', put: [record, broken], remove: [] }, () => ({ cursor: 'c1', done: false, seen: 2, startedAt: 1 })),
    ).rejects.toThrow();
    expect(await cache.count()).toBe(0);
    expect(await cache.cursors()).toEqual({});
  });

  it('answers the content script with names only', async () => {
    const cache = freshCache();
    const records = [1, 2, 3, 4].map((id) => toCachedRecord('contact', contact(id, { phone_number: '01 42 68 53 00', last_name: `N${id}` }), 'FR')!);
    await cache.writePage({ kind: 'contact', put: records, remove: [] }, () => ({ cursor: 'x', done: true, seen: 4, startedAt: 1 }));
    const description = await describeNumber(cache, '+33142685300');
    expect(description).toEqual({
      owners: [{ name: 'Marie N1' }, { name: 'Marie N2' }, { name: 'Marie N3' }],
      more: 1,
      complete: true,
    });
  });
});

describe('callTitle', () => {
  const messages: CallTitleMessages = {
    call: () => 'Call with Allo',
    callOwners: (owners) => `Call ${owners} with Allo`,
    notInSellsy: () => 'Call with Allo (number not in Sellsy)',
    andMore: (count) => `${count} more`,
  };
  it('names who will be called, or says the number is not in Sellsy once the cache is complete', () => {
    expect(callTitle({ owners: [{ name: 'Marie Dupont', companyName: 'Acme' }], more: 0, complete: true }, messages)).toBe(
      'Call Marie Dupont (Acme) with Allo',
    );
    expect(callTitle({ owners: [{ name: 'A' }, { name: 'B' }], more: 2, complete: true }, messages)).toBe('Call A, B, 2 more with Allo');
    expect(callTitle({ owners: [], more: 0, complete: true }, messages)).toBe('Call with Allo (number not in Sellsy)');
    expect(callTitle({ owners: [], more: 0, complete: false }, messages)).toBe('Call with Allo');
    expect(callTitle(undefined, messages)).toBe('Call with Allo');
  });
});

describe('the cache opened by this version over an older one', () => {
  it('keeps version 3’s records, links and sync state, and finds links by company', async () => {
    const name = `v3-${++dbCount}`;
    // The database as version 3 left it.
    const old = await openDB(name, 3, {
      upgrade(db) {
        const records = db.createObjectStore('records', { keyPath: 'key' });
        records.createIndex('phones', 'phones', { multiEntry: true });
        records.createIndex('kind', 'kind');
        db.createObjectStore('meta');
        db.createObjectStore('contactCompanies', { keyPath: 'contactId' });
        const calls = db.createObjectStore('calls', { keyPath: 'alloId' });
        calls.createIndex('state', 'state');
        calls.createIndex('date', 'date');
        calls.createIndex('settleAt', 'settleAt');
      },
    });
    await old.put('records', {
      key: 'contact:1',
      kind: 'contact',
      sellsyId: 1,
      name: 'Marie Dupont',
      companyName: 'Acme SAS',
      phones: ['+33612345678'],
      rawPhones: ['06 12 34 56 78'],
      updated: '2024-05-29T11:22:03+02:00',
    });
    await old.put('contactCompanies', { contactId: 1, companyId: 9, companyName: 'Acme SAS' });
    await old.put('meta', { contact: { cursor: null, done: true, seen: 1, startedAt: 0, watermark: 5 } }, 'sync');
    old.close();

    const cache = new RecordCache(openCacheDb(name));
    expect((await cache.findByNumber('+33612345678'))[0]).toMatchObject({ name: 'Marie Dupont', companyName: 'Acme SAS' });
    expect(await cache.cursors()).toEqual({ contact: { cursor: null, done: true, seen: 1, startedAt: 0, watermark: 5 } });
    // Acme's latest row names no contact: the link made under version 3 goes.
    await cache.writePage({ kind: 'company', put: [], remove: [], companies: [{ companyId: 9, links: [] }] }, () => undefined);
    expect((await cache.companyLinks([1])).size).toBe(0);
    expect((await cache.findByNumber('+33612345678'))[0]?.companyName).toBeUndefined();
  });

  it('keeps version 4’s links, each contact then named by as many companies as Sellsy says', async () => {
    const name = `v4-${++dbCount}`;
    // The database as version 4 left it: links keyed by contact alone, indexed by company.
    const old = await openDB(name, 4, {
      upgrade(db) {
        const records = db.createObjectStore('records', { keyPath: 'key' });
        records.createIndex('phones', 'phones', { multiEntry: true });
        records.createIndex('kind', 'kind');
        db.createObjectStore('meta');
        db.createObjectStore('contactCompanies', { keyPath: 'contactId' }).createIndex('companyId', 'companyId');
        const calls = db.createObjectStore('calls', { keyPath: 'alloId' });
        calls.createIndex('state', 'state');
        calls.createIndex('date', 'date');
        calls.createIndex('settleAt', 'settleAt');
      },
    });
    const contact = (id: number, companyName: string) => ({
      key: `contact:${id}`,
      kind: 'contact',
      sellsyId: id,
      name: `Contact ${id}`,
      companyName,
      phones: [`+3361234567${id}`],
      rawPhones: [`06 12 34 56 7${id}`],
      updated: '2024-05-29T11:22:03+02:00',
    });
    await old.put('records', contact(1, 'Globex'));
    await old.put('records', contact(2, 'Acme SAS'));
    await old.put('contactCompanies', { contactId: 1, companyId: 12, companyName: 'Globex' });
    await old.put('contactCompanies', { contactId: 2, companyId: 9, companyName: 'Acme SAS' });
    old.close();

    const cache = new RecordCache(openCacheDb(name));
    const links = await cache.companyLinks([1, 2]);
    expect(links.get(1)).toEqual({ contactId: 1, companyId: 12, companyName: 'Globex' });
    expect(links.get(2)).toEqual({ contactId: 2, companyId: 9, companyName: 'Acme SAS' });
    expect(await cache.linkedCompanyIds()).toEqual([9, 12]);
    // Acme now names contact 1 too: she shows Acme (the lower id), and keeps Globex's link.
    await cache.writePage(
      {
        kind: 'company',
        put: [],
        remove: [],
        companies: [{ companyId: 9, links: [1, 2].map((contactId) => ({ contactId, companyId: 9, companyName: 'Acme SAS' })) }],
      },
      () => undefined,
    );
    expect((await cache.findByNumber('+33612345671'))[0]?.companyName).toBe('Acme SAS');
    // Acme lets her go: she shows Globex again.
    await cache.writePage(
      { kind: 'company', put: [], remove: [], companies: [{ companyId: 9, links: [{ contactId: 2, companyId: 9, companyName: 'Acme SAS' }] }] },
      () => undefined,
    );
    expect((await cache.findByNumber('+33612345671'))[0]?.companyName).toBe('Globex');
    expect((await cache.companyLinks([1])).get(1)?.companyId).toBe(12);
  });
});
