/**
 * An update must not lose what an older version stored. Each shape below is one this repository
 * wrote at the commit named beside it (`git show <commit>:lib/calls/call-poller.ts`,
 * `lib/cache/schema.ts`, `lib/cache/open.ts`); today's code opens it and nothing pending is lost.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AlloClient } from '@/lib/allo/api-client';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CallPoller as Poller } from '@/lib/calls/call-poller';
import { CallStore } from '@/lib/calls/call-store';
import { hasOwnBlock } from '@/lib/calls/description-block';
import { CallPipeline, SEARCH_SETTLE_MS } from '@/lib/calls/pipeline';
import { describeCall } from '@/lib/calls/phone-call-mapping';
import { FakeSellsyForCalls } from '../support/fake-sellsy-for-calls';

const NOW = Date.parse('2026-12-05T08:00:00Z');
const LAST_POLL = Date.parse('2026-12-04T18:30:00Z');
const USER = 'usr-1';

/** `local:callPoll` as each version wrote it: where the last poll stood, the evening before. */
const POLL_SHAPES = {
  'c6c8a0b (first release)': { userId: USER, watermark: LAST_POLL },
  'a849337 (since)': { userId: USER, since: LAST_POLL - 86_400_000, watermark: LAST_POLL },
  'ae05baf (behind)': { userId: USER, since: LAST_POLL - 86_400_000, watermark: LAST_POLL, behind: false },
  'd819e20 (account)': { userId: USER, account: '42', since: LAST_POLL - 86_400_000, watermark: LAST_POLL },
};

beforeEach(() => {
  fakeBrowser.reset();
  vi.resetModules();
});

describe('the poll position, in every shape it was stored', () => {
  for (const [commit, shape] of Object.entries(POLL_SHAPES)) {
    it(`${commit}: keeps its place, so a call made overnight (Allo's mobile app) is logged`, async () => {
      // Written by the older version: no version mark, today's module not loaded yet.
      await fakeBrowser.storage.local.set({ callPoll: shape });
      const { CallPoller, callPollState, readPollState } = await import('@/lib/calls/call-poller');
      const searched: string[] = [];
      const overnight = {
        id: 'cll-overnight',
        type: 'CALL',
        direction: 'OUTBOUND',
        allo_number: '+33159000000',
        contact_number: '+33612345678',
        contacts: [],
        user: { id: USER, name: 'Camille', email: 'camille@example.fr' },
        date: '2026-12-04T21:10:00Z',
        duration: 40,
        result: 'ANSWERED',
        recording_url: null,
        summary: null,
        tags: [],
      };
      const allo = new AlloClient({
        apiUrl: 'https://allo',
        apiKey: async () => 'key',
        fetch: async (url, init) => {
          if (String(url).includes('/search')) searched.push(String(init?.body));
          const body = String(url).includes('/search') ? { data: [overnight], pagination: { has_more: false } } : { data: [] };
          return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
        },
      });
      const calls = new CallStore(openCacheDb(`shapes-poll-${commit}`));
      const poller: Poller = new CallPoller({
        allo,
        calls,
        loadState: readPollState,
        saveState: (state) => callPollState.setValue(state),
        now: () => NOW,
      });
      // Connected now: a position thrown away would start at NOW and miss the evening's call.
      await poller.poll(USER, NOW, '42');
      expect(await calls.get('cll-overnight')).toBeDefined();
      expect(searched[0]).toContain('2026-12-03');
      expect(await readPollState()).toMatchObject({ userId: USER, account: '42', watermark: NOW });
      expect(await fakeBrowser.storage.local.get('callPoll$')).toEqual({ callPoll$: { v: 2 } });
    });
  }

  it('an unreadable value is treated as absent, never a crash', async () => {
    await fakeBrowser.storage.local.set({ callPoll: { userId: 7, watermark: 'yesterday' } });
    const { readPollState } = await import('@/lib/calls/call-poller');
    expect(await readPollState()).toBeNull();
  });
});

describe('the call log in the database of the first release (version 2, no settleAt index)', () => {
  it('upgrades, and its pending call goes out exactly once per record, its logged call stays logged', async () => {
    const name = 'shapes-db-v2';
    // lib/cache/open.ts at c6c8a0b: stores and indexes of database version 2.
    const old = await openDB(name, 2, {
      upgrade(db) {
        const records = db.createObjectStore('records', { keyPath: 'key' });
        records.createIndex('phones', 'phones', { multiEntry: true });
        records.createIndex('kind', 'kind');
        db.createObjectStore('meta');
        db.createObjectStore('contactCompanies', { keyPath: 'contactId' });
        const calls = db.createObjectStore('calls', { keyPath: 'alloId' });
        calls.createIndex('state', 'state');
        calls.createIndex('date', 'date');
      },
    });
    const base = {
      direction: 'INBOUND',
      alloNumber: '+33159000000',
      counterpart: '+33612345678',
      durationS: 60,
      result: 'ANSWERED',
      summary: 'Devis.',
      recordingUrl: null,
      userId: USER,
      attempts: 0,
      firstSeenAt: NOW - 3600_000,
    };
    const record = (id: number) => ({
      key: `contact:${id}`,
      kind: 'contact',
      sellsyId: id,
      name: `Contact ${id}`,
      phones: ['+33612345678'],
      rawPhones: [],
      updated: '',
    });
    await old.put('records', record(1));
    await old.put('records', record(2));
    await old.put('meta', { contact: { done: true }, company: { done: true }, individual: { done: true } }, 'sync');
    // c6c8a0b's CallRecord: no account, no settleAt; targets 'todo' | 'posting' | 'done' with firstAttemptAt only.
    const pending = {
      ...base,
      alloId: 'cll-pending',
      date: new Date(NOW - 3600_000).toISOString(),
      state: 'pending',
      nextAttemptAt: 0,
      targets: [
        {
          key: 'contact:1',
          kind: 'contact',
          sellsyId: 1,
          name: 'Contact 1',
          related: [{ type: 'contact', id: 1 }],
          state: 'posting',
          firstAttemptAt: NOW - 3000_000,
        },
        { key: 'contact:2', kind: 'contact', sellsyId: 2, name: 'Contact 2', related: [{ type: 'contact', id: 2 }], state: 'todo' },
      ],
    };
    const logged = {
      ...base,
      alloId: 'cll-logged',
      date: new Date(NOW - 7200_000).toISOString(),
      state: 'synced',
      nextAttemptAt: 0,
      targets: [
        {
          key: 'contact:1',
          kind: 'contact',
          sellsyId: 1,
          name: 'Contact 1',
          related: [{ type: 'contact', id: 1 }],
          state: 'done',
          sellsyPhoneCallId: 9001,
          postedSummary: 'Devis.',
        },
      ],
    };
    await old.put('calls', pending);
    await old.put('calls', logged);
    old.close();

    const sellsy = new FakeSellsyForCalls();
    sellsy.addRecord('contact', 1);
    sellsy.addRecord('contact', 2);
    const loggedCopy = sellsy.seed([{ type: 'contact', id: 1 }], describeCall(logged as never));
    expect(loggedCopy.id).toBe(9001);
    // The old version's POST for contact 1 had landed before the update; its answer was lost.
    sellsy.seed([{ type: 'contact', id: 1 }], describeCall(pending as never));
    const db = openCacheDb(name);
    const calls = new CallStore(db);
    let now = NOW;
    const pipeline = new CallPipeline({
      calls,
      cache: new RecordCache(db),
      sellsy,
      ownerId: async () => 42,
      settings: async () => ({ createLeads: false }),
      now: () => now,
    });
    await pipeline.run();
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    const copies = [...sellsy.phoneCalls.values()].filter((p) => hasOwnBlock(p.description, 'cll-pending'));
    expect(sellsy.phoneCalls.get(9001)?.description).toBe(loggedCopy.description);
    expect(copies.map((p) => p.related)).toEqual([[{ type: 'contact', id: 1 }], [{ type: 'contact', id: 2 }]]);
    expect(await calls.get('cll-pending')).toMatchObject({ state: 'synced' });
    expect(await calls.get('cll-logged')).toMatchObject({ state: 'synced', targets: [{ state: 'done', sellsyPhoneCallId: 9001 }] });
  });
});

describe('the contact cache of database version 6 (the name search read a words index)', () => {
  const cached = (id: number, name: string, extra: object = {}) => ({
    key: `contact:${id}`,
    kind: 'contact',
    sellsyId: id,
    name,
    phones: [`+3361200000${id}`],
    rawPhones: [],
    updated: '',
    ...extra,
  });
  const keys = async (cache: RecordCache, query: string) => (await cache.searchByName(query, 20)).map((r) => r.key);

  it('opens a version 6 database (the words index), drops the index and searches its records', async () => {
    const name = 'shapes-db-v6';
    // lib/cache/open.ts at a1ca12e (version 6): records with their words, and a multiEntry index of them.
    const old = await openDB(name, 6, {
      upgrade(database) {
        const records = database.createObjectStore('records', { keyPath: 'key' });
        records.createIndex('phones', 'phones', { multiEntry: true });
        records.createIndex('kind', 'kind');
        records.createIndex('words', 'words', { multiEntry: true });
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
    await old.put('records', { ...cached(1, 'Hervé Lefèvre', { companyName: 'Néolis' }), words: ['herve', 'lefevre', 'neolis'] });
    await old.put('records', { ...cached(2, 'Marie Lefort', { archived: true }), words: ['marie', 'lefort'] });
    old.close();
    const dbPromise = openCacheDb(name);
    const cache = new RecordCache(dbPromise);
    expect(await keys(cache, 'lef')).toEqual(['contact:1', 'contact:2']);
    expect(await keys(cache, 'neo herve')).toEqual(['contact:1']);
    const db = await dbPromise;
    expect([...db.transaction('records').store.indexNames]).toEqual(['kind', 'phones']);
    expect((await cache.findByNumber('+33612000001')).map((r) => r.name)).toEqual(['Hervé Lefèvre']);
  });
});
