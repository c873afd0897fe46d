// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCacheDb, type CacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import { MAX_WAIT_IN_REQUEST_MS, SellsyClient } from '@/lib/sellsy/api-client';
import { phonesOf } from '@/lib/sellsy/crm-records';
import type { TokenSet } from '@/lib/sellsy/oauth';
import { SellsySession } from '@/lib/sellsy/session';
import { ContactSync, OVERLAP_MS, RECONCILE_EVERY_MS } from '@/lib/sync/contact-sync';
import type { SyncStatus } from '@/lib/sync/status';
import { startSellsyServer, type SellsyServer } from '../servers/sellsy';

let server: SellsyServer;
let dbCount = 0;
let clock: number;

beforeEach(async () => {
  clock = Date.parse('2026-11-25T09:00:00Z');
  server = await startSellsyServer({
    seed: { contacts: 320, companies: 60, individuals: 40, seed: 7 },
    accessTokenTtlS: 10 * 24 * 3600,
    now: () => clock,
  });
});

afterEach(async () => {
  await server.close();
});

interface Harness {
  sync: ContactSync;
  cache: RecordCache;
  db: Promise<CacheDb>;
  status: SyncStatus;
  sleeps: number[];
  requests: () => Array<{ method: string; path: string; query: URLSearchParams; body: unknown }>;
}

/** A sync against the local server; `dbName` lets a second instance share the first one's database. */
function harness(
  dbName = `sync-${++dbCount}`,
  fetchImpl: typeof fetch = fetch,
  tokens?: { value: TokenSet },
  /** How far this browser's clock is ahead of Sellsy's. */
  skewMs = 0,
  pageSize?: number,
): Harness {
  const browserNow = () => clock + skewMs;
  const issued = server.issueTokens();
  const store = tokens ?? { value: { accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: clock + 3_600_000 } };
  const session = new SellsySession({
    endpoints: { tokenUrl: server.tokenUrl, clientId: server.clientId },
    tokens: {
      get: async () => store.value,
      set: async (t) => {
        store.value = t;
      },
      clear: async () => undefined,
    },
    onRevoked: async () => undefined,
    now: browserNow,
  });
  const sleeps: number[] = [];
  const client = new SellsyClient({ apiUrl: server.apiUrl, session, fetch: fetchImpl, sleep: async (ms) => void sleeps.push(ms), now: browserNow });
  const db = openCacheDb(dbName);
  const cache = new RecordCache(db);
  const h: Harness = {
    cache,
    db,
    sleeps,
    status: { running: false },
    requests: () => server.requests.filter((r) => r.path.startsWith('/v2/')),
    sync: new ContactSync({
      cache,
      client,
      country: async () => 'FR',
      report: async (change) => {
        h.status = { ...h.status, ...change };
      },
      now: browserNow,
      pageSize,
    }),
  };
  return h;
}

/** What the cache should hold: every record of the server with a callable phone or mobile. */
function expectedKeys(): string[] {
  const keys: string[] = [];
  const callable = (r: { phone_number?: string | null; mobile_number?: string | null }) =>
    phonesOf(r.phone_number, 'FR').length + phonesOf(r.mobile_number, 'FR').length > 0;
  for (const c of server.crm.contacts.values()) if (callable(c)) keys.push(`contact:${c.id}`);
  for (const c of server.crm.companies.values()) if (callable(c)) keys.push(`company:${c.id}`);
  for (const c of server.crm.individuals.values()) if (callable(c)) keys.push(`individual:${c.id}`);
  return keys.sort();
}

async function cachedKeys(cache: RecordCache): Promise<string[]> {
  const keys: string[] = [];
  for (const kind of ['contact', 'company', 'individual'] as const) keys.push(...(await cache.idsOfKind(kind)).map((id) => `${kind}:${id}`));
  return keys.sort();
}

describe('first sync', () => {
  it('mirrors every record with a callable number, and shows progress up to the total', async () => {
    const h = harness();
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect(await cachedKeys(h.cache)).toEqual(expectedKeys());
    expect(h.status).toMatchObject({ running: false, cached: expectedKeys().length, lastSuccessAt: clock });
    // Progress counted every record read, callable or not.
    const total = server.crm.contacts.size + server.crm.companies.size + server.crm.individuals.size;
    expect(h.requests().filter((r) => r.query.get('limit') === '100').length).toBeGreaterThanOrEqual(Math.ceil(320 / 100));
    expect(total).toBe(420);
  });

  it('keeps duplicates: one number, every record that has it', async () => {
    const h = harness();
    const company = server.crm.addCompany({ name: 'Doublon SA', phone_number: '01 99 88 77 66' });
    server.crm.addContact({ last_name: 'Un', phone_number: '01.99.88.77.66' });
    server.crm.addContact({ last_name: 'Deux', mobile_number: '+33 1 99 88 77 66' });
    await h.sync.run();
    const owners = await h.cache.findByNumber('+33199887766');
    expect(owners.map((r) => r.name).sort()).toEqual(['Deux', 'Doublon SA', 'Un']);
    expect(owners.find((r) => r.kind === 'company')?.sellsyId).toBe(company.id);
  });

  it('resumes from its saved cursor after the worker is stopped mid-way, without starting over', async () => {
    let calls = 0;
    // Requests: 3 counts, 1 page of companies, 1 of individuals, then contacts; the worker
    // "dies" on the third page of contacts: nothing after it runs.
    const dying: typeof fetch = async (input, init) => {
      if (++calls >= 8) throw new Error('worker stopped');
      return fetch(input, init);
    };
    const first = harness('resume', dying);
    await first.sync.run();
    const before = await first.cache.count();
    expect(before).toBeGreaterThan(0);
    server.requests.length = 0;

    const second = harness('resume');
    await second.sync.run();
    expect(second.status.lastError).toBeUndefined();
    expect(await cachedKeys(second.cache)).toEqual(expectedKeys());
    // The resumed pass asked for no page it already had: nothing of the finished kinds, and
    // the contacts from the cursor of the last page written.
    const pages = second.requests().filter((r) => r.method === 'GET');
    expect(pages.map((r) => r.path)).toEqual(['/v2/contacts', '/v2/contacts']);
    expect(pages.every((r) => r.query.get('offset'))).toBe(true);
  });

  it('leaves the cache as it was when a page is malformed, says so, and goes on next time', async () => {
    const h = harness('malformed');
    let contactPages = 0;
    const breaking: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (url.pathname === '/v2/contacts' && url.searchParams.get('limit') === '100' && ++contactPages === 2) {
        return new Response('{"pagination": {"limit": 100, "count": 100', { status: 200, headers: { 'content-type': 'application/json' } });
      }
      return fetch(input, init);
    };
    const broken = harness('malformed', breaking);
    await broken.sync.run();
    expect(broken.status.lastError).toMatchObject({ code: 'invalid-response' });
    const cursors = await broken.cache.cursors();
    expect(cursors.contact).toMatchObject({ done: false, seen: 100 });
    const cachedContacts = (await broken.cache.idsOfKind('contact')).length;
    expect(cachedContacts).toBeLessThanOrEqual(100);

    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect(await cachedKeys(h.cache)).toEqual(expectedKeys());
  });

  it('drops the page in flight when the cache is cleared beneath it (Sellsy disconnected), and starts afresh', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const held = new Promise<void>((resolve) => (arrived = resolve));
    let contactPages = 0;
    // The second page of contacts is answered only after the cache was cleared.
    const slow: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (url.pathname === '/v2/contacts' && url.searchParams.get('limit') === '100' && ++contactPages === 2) {
        const answer = await fetch(input, init);
        arrived();
        await released;
        return answer;
      }
      return fetch(input, init);
    };
    const h = harness('cleared', slow);
    const first = h.sync.run();
    await held;
    await h.cache.clear();
    h.status = { running: false };
    // Reconnected: a pass asked for now is a new one, not the one that was cut off.
    const second = h.sync.run();
    release();
    await Promise.all([first, second]);

    expect(h.status.lastError).toBeUndefined();
    expect(await cachedKeys(h.cache)).toEqual(expectedKeys());
    expect(await h.cache.cursors()).toMatchObject({ contact: { done: true, seen: server.crm.contacts.size } });
  });

  it('leaves nothing behind when the cache is cleared during a pass and no one asks again', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const held = new Promise<void>((resolve) => (arrived = resolve));
    const slow: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (url.pathname === '/v2/contacts' && url.searchParams.get('limit') === '100') {
        const answer = await fetch(input, init);
        arrived();
        await released;
        return answer;
      }
      return fetch(input, init);
    };
    const h = harness('cleared-idle', slow);
    const pass = h.sync.run();
    await held;
    await h.cache.clear();
    h.status = { running: false };
    release();
    await pass;
    expect(await h.cache.count()).toBe(0);
    expect(await h.cache.cursors()).toEqual({});
    // What the stopped pass would have said belongs to the connection that is gone.
    expect(h.status).toEqual({ running: false });
  });

  it('skips and counts a row it cannot read, and finishes the sync', async () => {
    const odd = [...server.crm.contacts.values()].filter((c) => phonesOf(c.phone_number, 'FR').length > 0).at(-10)!;
    // One row of one page has a field of the wrong type.
    const oddRow: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (!new URL(String(input)).pathname.startsWith('/v2/contacts')) return answer;
      const body = (await answer.json()) as { data: Array<Record<string, unknown>> };
      body.data = body.data.map((row) => (row.id === odd.id ? { ...row, phone_number: 612345678 } : row));
      return Response.json(body, { status: answer.status });
    };
    const h = harness('odd-row', oddRow);
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect(h.status.skipped).toBe(1);
    expect(await cachedKeys(h.cache)).toEqual(expectedKeys().filter((key) => key !== `contact:${odd.id}`));
    expect(await h.cache.isComplete()).toBe(true);
  });

  it.each([
    ['a short last page', 320],
    ['a full last page', 300],
  ])('ends cleanly on %s whose next offset is null', async (_, contacts) => {
    for (const id of [...server.crm.contacts.keys()].slice(contacts)) server.crm.deleteContact(id);
    const lastId = Math.max(...server.crm.contacts.keys());
    const nullOffset: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (new URL(String(input)).pathname !== '/v2/contacts') return answer;
      const body = (await answer.json()) as { pagination: { offset: unknown }; data: Array<{ id: number }> };
      if (body.data.some((row) => row.id === lastId)) body.pagination.offset = null;
      return Response.json(body, { status: answer.status });
    };
    const h = harness(`null-offset-${contacts}`, nullOffset);
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect(await cachedKeys(h.cache)).toEqual(expectedKeys());
    expect(await h.cache.isComplete()).toBe(true);
    // Nothing asked after the last page.
    expect(h.requests().filter((r) => r.method === 'GET' && r.path === '/v2/contacts' && r.query.get('limit') === '100')).toHaveLength(
      Math.ceil(contacts / 100),
    );
  });

  it('waits and retries on 429 and 500 instead of failing', async () => {
    const h = harness();
    server.faults.inject({ method: 'GET', path: '/v2/contacts' }, { status: 429, retryAfterS: 2, times: 1 });
    server.faults.inject({ method: 'GET', path: '/v2/companies' }, { status: 500, times: 2 });
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect(h.sleeps).toEqual(expect.arrayContaining([2000, 500, 1000]));
    expect(await cachedKeys(h.cache)).toEqual(expectedKeys());
  });

  it('stops at a long Retry-After instead of holding the pass for an hour, and goes on from there once it has passed', async () => {
    const h = harness();
    server.faults.inject({ method: 'GET', path: '/v2/contacts' }, { status: 429, retryAfterS: 3600, times: 1 });
    await h.sync.run();
    expect(h.status).toMatchObject({ running: false, lastError: { code: 'rate-limited' } });
    expect(h.sleeps.filter((ms) => ms > MAX_WAIT_IN_REQUEST_MS)).toEqual([]);
    // Another pass before the hour is over does not even ask.
    clock += 30 * 60_000;
    const asked = h.requests().length;
    await h.sync.run();
    expect(h.requests()).toHaveLength(asked);
    clock += 30 * 60_000;
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect(await cachedKeys(h.cache)).toEqual(expectedKeys());
  });
});

describe('incremental sync', () => {
  it('asks only for what changed since the watermark (with the overlap), and follows edits', async () => {
    const h = harness();
    // The latest date Sellsy showed during the first pass (never this browser's clock): the
    // next pass looks back from it.
    const sellsyTime = Math.max(
      ...[...server.crm.companies.values(), ...server.crm.individuals.values()].map((r) => Date.parse(r.updated_at)),
      ...[...server.crm.contacts.values()].map((c) => Date.parse(c.updated)),
    );
    await h.sync.run();
    clock += 10 * 60_000;

    const withPhone = [...server.crm.contacts.values()].find((c) => phonesOf(c.mobile_number, 'FR').length > 0 && !c.phone_number)!;
    server.crm.updateContact(withPhone.id, { mobile_number: '07 68 42 19 05' });
    const dropped = [...server.crm.contacts.values()].find((c) => c.id !== withPhone.id && phonesOf(c.phone_number, 'FR').length > 0)!;
    server.crm.updateContact(dropped.id, { phone_number: null, mobile_number: null });
    const fresh = server.crm.addContact({ first_name: 'Nina', last_name: 'Nouvelle', phone_number: '04 72 10 20 30' });
    server.requests.length = 0;

    await h.sync.run();
    const searches = h.requests().filter((r) => r.path === '/v2/contacts/search');
    expect(searches[0]?.body).toEqual({ filters: { updated: { start: new Date(sellsyTime - OVERLAP_MS).toISOString() } } });
    expect(h.requests().filter((r) => r.method === 'GET' && r.path === '/v2/contacts')).toEqual([]);
    expect((await h.cache.findByNumber('+33768421905')).map((r) => r.sellsyId)).toEqual([withPhone.id]);
    expect(await h.cache.idsOfKind('contact')).not.toContain(dropped.id);
    expect((await h.cache.findByNumber('+33472102030')).map((r) => r.name)).toContain('Nina Nouvelle');
    expect(fresh.id).toBeGreaterThan(0);
  });

  it('takes its watermark from Sellsy’s dates: a browser clock 20 minutes fast misses no change', async () => {
    const h = harness(undefined, fetch, undefined, 20 * 60_000);
    await h.sync.run();
    const callable = (number: string | null) => phonesOf(number, 'FR').length > 0;
    const [first, second] = [...server.crm.contacts.values()].filter((c) => callable(c.phone_number) && !c.mobile_number);

    clock += 5 * 60_000;
    server.crm.updateContact(first!.id, { mobile_number: '07 68 42 19 05' });
    clock += 5 * 60_000;
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect((await h.cache.findByNumber('+33768421905')).map((r) => r.sellsyId)).toEqual([first!.id]);

    // And the next pass, from the watermark the incremental one left.
    clock += 5 * 60_000;
    server.crm.updateContact(second!.id, { mobile_number: '07 11 22 33 44' });
    clock += 5 * 60_000;
    await h.sync.run();
    expect((await h.cache.findByNumber('+33711223344')).map((r) => r.sellsyId)).toEqual([second!.id]);
  });

  it('uses updated_at for companies and individuals', async () => {
    const h = harness();
    await h.sync.run();
    server.requests.length = 0;
    clock += 60_000;
    await h.sync.run();
    const bodies = Object.fromEntries(
      h
        .requests()
        .filter((r) => r.path.endsWith('/search'))
        .map((r) => [r.path, Object.keys((r.body as { filters: object }).filters)]),
    );
    expect(bodies).toEqual({ '/v2/companies/search': ['updated_at'], '/v2/individuals/search': ['updated_at'], '/v2/contacts/search': ['updated'] });
  });
});

describe('reconciliation', () => {
  it('drops, once a day, the records deleted in Sellsy', async () => {
    const h = harness();
    await h.sync.run();
    const gone = [...server.crm.contacts.values()].find((c) => phonesOf(c.phone_number, 'FR').length > 0)!;
    server.crm.deleteContact(gone.id);
    clock += 60 * 60_000;
    await h.sync.run();
    // Deletions leave no trace in an incremental sync: still cached an hour later…
    expect(await h.cache.idsOfKind('contact')).toContain(gone.id);
    clock += 24 * 60 * 60_000;
    await h.sync.run();
    // …and gone after the daily reconciliation.
    expect(await h.cache.idsOfKind('contact')).not.toContain(gone.id);
    expect(await cachedKeys(h.cache)).toEqual(expectedKeys());
  });
});

/** What the cache should hold, record by record: its key and numbers, as Sellsy has them now. */
function expectedMirror(): Record<string, string[]> {
  const mirror: Record<string, string[]> = {};
  const add = (key: string, r: { phone_number?: string | null; mobile_number?: string | null }) => {
    const phones = [...new Set([...phonesOf(r.phone_number, 'FR'), ...phonesOf(r.mobile_number, 'FR')])].sort();
    if (phones.length > 0) mirror[key] = phones;
  };
  for (const c of server.crm.contacts.values()) add(`contact:${c.id}`, c);
  for (const c of server.crm.companies.values()) add(`company:${c.id}`, c);
  for (const c of server.crm.individuals.values()) add(`individual:${c.id}`, c);
  return mirror;
}

async function cachedMirror(h: Harness): Promise<Record<string, string[]>> {
  const records = await (await h.db).getAll('records');
  return Object.fromEntries(records.map((r) => [r.key, [...r.phones].sort()]));
}

function callable(r: { phone_number?: string | null }): boolean {
  return phonesOf(r.phone_number, 'FR').length > 0;
}

describe('archived records', () => {
  it('answers a number with its live records; an archived record only when none is live', async () => {
    const h = harness();
    server.crm.addContact({ last_name: 'Ancien', phone_number: '01 99 88 77 11', is_archived: true });
    server.crm.addContact({ last_name: 'Actuel', phone_number: '01 99 88 77 11' });
    server.crm.addCompany({ name: 'Archivée SA', phone_number: '01 99 88 77 11', is_archived: true });
    server.crm.addContact({ last_name: 'Seul', phone_number: '01 99 88 77 22', is_archived: true });
    await h.sync.run();
    expect((await h.cache.findByNumber('+33199887711')).map((r) => r.name)).toEqual(['Actuel']);
    expect((await h.cache.findByNumber('+33199887722')).map((r) => r.name)).toEqual(['Seul']);
  });

  it('follows a record archived, then brought back: it answers beside the live one again', async () => {
    const h = harness();
    const back = server.crm.addContact({ last_name: 'Revenue', phone_number: '01 99 88 77 33' });
    server.crm.addContact({ last_name: 'Collègue', phone_number: '01 99 88 77 33' });
    await h.sync.run();
    expect((await h.cache.findByNumber('+33199887733')).map((r) => r.name).sort()).toEqual(['Collègue', 'Revenue']);
    clock += 60_000;
    server.crm.updateContact(back.id, { is_archived: true });
    await h.sync.run();
    expect((await h.cache.findByNumber('+33199887733')).map((r) => r.name)).toEqual(['Collègue']);
    clock += 60_000;
    server.crm.updateContact(back.id, { is_archived: false });
    await h.sync.run();
    expect((await h.cache.findByNumber('+33199887733')).map((r) => r.name).sort()).toEqual(['Collègue', 'Revenue']);
  });
});

describe('contact ↔ company links', () => {
  it('forgets a contact’s company once Sellsy no longer links them: she left it, or it was deleted', async () => {
    const h = harness();
    const acme = server.crm.addCompany({ name: 'Acme', phone_number: '01 99 88 77 33' });
    const globex = server.crm.addCompany({ name: 'Globex', phone_number: '01 99 88 77 44' });
    const left = server.crm.addContact({ last_name: 'Partie', phone_number: '06 99 88 77 33' });
    const orphan = server.crm.addContact({ last_name: 'Orpheline', phone_number: '06 99 88 77 44' });
    // A company with no number of its own is not cached, yet it names its contacts.
    const initech = server.crm.addCompany({ name: 'Initech', phone_number: null, mobile_number: null });
    const stranded = server.crm.addContact({ last_name: 'Esseulée', phone_number: '06 99 88 77 55' });
    server.crm.link(left.id, acme.id);
    server.crm.link(orphan.id, globex.id);
    server.crm.link(stranded.id, initech.id);
    await h.sync.run();
    expect((await h.cache.findByNumber('+33699887733'))[0]?.companyName).toBe('Acme');
    expect((await h.cache.findByNumber('+33699887755'))[0]?.companyName).toBe('Initech');
    expect((await h.cache.companyLinks([left.id, orphan.id, stranded.id])).size).toBe(3);

    server.crm.unlink(left.id, acme.id);
    server.crm.deleteCompany(globex.id);
    server.crm.deleteCompany(initech.id);
    clock += RECONCILE_EVERY_MS + 60_000;
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect((await h.cache.findByNumber('+33699887733'))[0]?.companyName).toBeUndefined();
    expect((await h.cache.findByNumber('+33699887744'))[0]?.companyName).toBeUndefined();
    expect((await h.cache.findByNumber('+33699887755'))[0]?.companyName).toBeUndefined();
    // Call logging reads the same links: no Phone Call relates a company she has left.
    expect((await h.cache.companyLinks([left.id, orphan.id, stranded.id])).size).toBe(0);
  });
});

describe('a contact two companies name', () => {
  it('keeps the other company’s name and link when one company stops naming her', async () => {
    const h = harness();
    const acme = server.crm.addCompany({ name: 'Acme', phone_number: '01 99 88 77 61' });
    const globex = server.crm.addCompany({ name: 'Globex', phone_number: '01 99 88 77 62' });
    // The group's accountant: Acme's and Globex's invoicing contact.
    const shared = server.crm.addContact({ last_name: 'Partagée', phone_number: '06 99 88 77 61' });
    server.crm.link(shared.id, acme.id);
    server.crm.link(shared.id, globex.id);
    await h.sync.run();
    const shown = (await h.cache.findByNumber('+33699887761'))[0]?.companyName;
    expect(['Acme', 'Globex']).toContain(shown);

    // Later edits move the watermark past both companies: they are not read again by default.
    clock += 30 * 60_000;
    server.crm.updateCompany(Math.min(...server.crm.companies.keys()), { note: 'later' });
    await h.sync.run();

    // The company whose name she shows lets her go (and its row changes the same day); the
    // other still names her, and only the leaving company is read again.
    const [leaving, staying] = shown === 'Acme' ? [acme, globex] : [globex, acme];
    clock += 30 * 60_000;
    server.crm.unlink(shared.id, leaving.id);
    server.crm.updateCompany(leaving.id, { phone_number: '01 99 88 77 63' });
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect((await h.cache.findByNumber('+33699887761'))[0]?.companyName).toBe(staying.name);
    expect((await h.cache.companyLinks([shared.id])).get(shared.id)?.companyId).toBe(staying.id);

    // And once the other lets her go too, she names none.
    clock += 30 * 60_000;
    server.crm.unlink(shared.id, staying.id);
    server.crm.updateCompany(staying.id, { phone_number: '01 99 88 77 64' });
    await h.sync.run();
    expect((await h.cache.findByNumber('+33699887761'))[0]?.companyName).toBeUndefined();
    expect((await h.cache.companyLinks([shared.id])).size).toBe(0);
  });
});

describe('rows that can no longer be read', () => {
  it('drops the record whose latest row cannot be read, rather than keep its old number', async () => {
    const h = harness('unreadable');
    await h.sync.run();
    const victim = [...server.crm.contacts.values()].find((c) => callable(c) && !c.mobile_number)!;
    const oldNumber = phonesOf(victim.phone_number, 'FR')[0]!;
    clock += 60_000;
    server.crm.updateContact(victim.id, { phone_number: '06 99 11 22 33' });
    // Sellsy now sends the row with a field this version cannot read.
    const oddRow: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (!new URL(String(input)).pathname.startsWith('/v2/contacts')) return answer;
      const body = (await answer.json()) as { data: Array<Record<string, unknown>> };
      body.data = body.data.map((row) => (row.id === victim.id ? { ...row, updated: 17 } : row));
      return Response.json(body, { status: answer.status });
    };
    const odd = harness('unreadable', oddRow);
    await odd.sync.run();
    expect(odd.status.skipped).toBe(1);
    expect((await h.cache.findByNumber(oldNumber)).map((r) => r.sellsyId)).not.toContain(victim.id);
  });
});

describe('incremental look-back', () => {
  it('covers the run’s own length: a record changed behind the cursor of a 60-minute run is learnt next time', async () => {
    const h = harness('long-run', fetch, undefined, 0, 50);
    await h.sync.run();
    clock += 60_000;
    const ids = [...server.crm.contacts.keys()].sort((a, b) => a - b);
    // A bulk edit: six pages of 50 for the next incremental pass.
    for (const id of ids.slice(0, 300)) server.crm.updateContact(id, { note: 'bulk' });
    const first = ids[0]!;
    const lastId = ids.at(-1)!;
    let page = 0;
    // Each page takes ten minutes; the first contact changes once the run is past it, and the last
    // one near the run's end (so the run sees a late date).
    const slow: typeof fetch = async (input, init) => {
      if (new URL(String(input)).pathname === '/v2/contacts/search') {
        clock += 10 * 60_000;
        page += 1;
        if (page === 2) server.crm.updateContact(first, { mobile_number: '07 11 22 33 01' });
        if (page === 6) server.crm.updateContact(lastId, { mobile_number: '07 11 22 33 02' });
      }
      return fetch(input, init);
    };
    const long = harness('long-run', slow, undefined, 0, 50);
    await long.sync.run();
    expect(long.status.lastError).toBeUndefined();
    expect((await long.cache.findByNumber('+33711223302')).map((r) => r.sellsyId)).toEqual([lastId]);
    clock += 60_000;
    await h.sync.run();
    expect((await h.cache.findByNumber('+33711223301')).map((r) => r.sellsyId)).toEqual([first]);
  });
});

describe('reconciliation against a Sellsy that pages its answers', () => {
  it('deletes only what Sellsy says is gone, reading every page of the answer', async () => {
    server.crm.maxPageSize = 25;
    const h = harness();
    await h.sync.run();
    expect(await cachedMirror(h)).toEqual(expectedMirror());
    const gone = [...server.crm.contacts.values()].filter(callable).at(-3)!;
    server.crm.deleteContact(gone.id);
    clock += RECONCILE_EVERY_MS + 60_000;
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect(await cachedMirror(h)).toEqual(expectedMirror());
    expect(await h.cache.idsOfKind('contact')).not.toContain(gone.id);
  });
});

describe('every pass resumes where it was cut', () => {
  type Phase = 'full' | 'incremental' | 'reconcile';
  /** The requests that are pages of this pass. */
  const pageOf = (phase: Phase) => (method: string, url: URL, body: unknown) => {
    if (phase === 'full') return method === 'GET' && url.searchParams.get('order') === 'id';
    const filters = typeof body === 'string' ? (JSON.parse(body) as { filters?: Record<string, unknown> }).filters : undefined;
    if (!filters || method !== 'POST') return false;
    return phase === 'reconcile' ? 'id' in filters : 'updated' in filters || 'updated_at' in filters;
  };

  /** Sellsy as it is before the pass runs, and the cache as the earlier passes left it. */
  async function prepare(phase: Phase, dbName: string): Promise<void> {
    if (phase === 'full') return;
    await harness(dbName, fetch, undefined, 0, 50).sync.run();
    clock += 60_000;
    const contacts = [...server.crm.contacts.values()];
    if (phase === 'incremental') {
      for (const [i, c] of contacts.slice(0, 240).entries())
        server.crm.updateContact(c.id, { mobile_number: `07 12 ${String(100_000 + i).slice(1, 3)} ${String(100_000 + i).slice(3)}` });
    } else {
      for (const c of contacts.filter(callable).filter((_, i) => i % 7 === 0)) server.crm.deleteContact(c.id);
      clock += RECONCILE_EVERY_MS;
    }
  }

  it.each<Phase>(['full', 'incremental', 'reconcile'])(
    '%s: cut at each of its pages, then run again, ends equal to Sellsy',
    async (phase) => {
      const isPage = pageOf(phase);
      const seed = server.crm;
      // How many pages the pass takes uncut.
      const baselineDb = `cut-${phase}-baseline`;
      const snapshot = { contacts: new Map(seed.contacts), companies: new Map(seed.companies), individuals: new Map(seed.individuals), clock };
      const restore = () => {
        for (const kind of ['contacts', 'companies', 'individuals'] as const) {
          seed[kind].clear();
          for (const [id, record] of snapshot[kind]) (seed[kind] as Map<number, unknown>).set(id, record);
        }
        seed.queryCache.clear();
        clock = snapshot.clock;
      };
      await prepare(phase, baselineDb);
      // The kind of record each page of the pass is about, in order.
      const kinds: string[] = [];
      const counting: typeof fetch = async (input, init) => {
        const url = new URL(String(input));
        if (isPage(init?.method ?? 'GET', url, init?.body)) kinds.push(url.pathname.split('/')[2]!);
        return fetch(input, init);
      };
      await harness(baselineDb, counting, undefined, 0, 50).sync.run();
      const pages = kinds.length;
      expect(pages).toBeGreaterThan(2);

      for (let cut = 1; cut <= pages; cut++) {
        restore();
        const dbName = `cut-${phase}-${cut}`;
        await prepare(phase, dbName);
        let seen = 0;
        let stopped = false;
        // The worker stops while the cut-th page is being asked for: nothing after it runs.
        const dying: typeof fetch = async (input, init) => {
          if (isPage(init?.method ?? 'GET', new URL(String(input)), init?.body) && ++seen === cut) stopped = true;
          if (stopped) throw new Error('worker stopped');
          return fetch(input, init);
        };
        await harness(dbName, dying, undefined, 0, 50).sync.run();
        // While the worker is stopped (longer than the look-back's overlap: Chrome restarts it at
        // the next alarm or browser start), the team goes on in Sellsy: numbers edited behind
        // where the pass stood, then, 20 minutes later, ahead of it; for the reconciliation, a
        // contact deleted.
        clock += 60_000;
        const ids = [...server.crm.contacts.keys()].sort((a, b) => a - b);
        server.crm.updateContact(ids[0]!, { mobile_number: '07 19 00 00 01' });
        server.crm.updateCompany(Math.min(...server.crm.companies.keys()), { phone_number: '01 19 00 00 04' });
        clock += 20 * 60_000;
        server.crm.updateContact(ids[Math.floor(ids.length / 2)]!, { mobile_number: '07 19 00 00 02' });
        server.crm.updateContact(ids.at(-1)!, { mobile_number: '07 19 00 00 03' });
        if (phase === 'reconcile') server.crm.deleteContact(ids.at(-2)!);
        let again = 0;
        const resumed: typeof fetch = async (input, init) => {
          if (isPage(init?.method ?? 'GET', new URL(String(input)), init?.body)) again += 1;
          return fetch(input, init);
        };
        const h = harness(dbName, resumed, undefined, 0, 50);
        await h.sync.run();
        expect(h.status.lastError, `cut at page ${cut}`).toBeUndefined();
        // A full or reconciling pass ends with an incremental one that learns every edit made
        // meanwhile; an incremental pass leaves an edit behind its cursor to the next run.
        if (phase !== 'incremental') expect(await cachedMirror(h), `cut at page ${cut}`).toEqual(expectedMirror());
        // Progress was kept: the pages written before the cut are not asked again. An incremental
        // pass that had finished for a kind before the cut is a pass of its own: the next run makes
        // a new one (one page: nothing changed since).
        const finishedKinds = phase === 'incremental' ? new Set(kinds.slice(0, cut - 1).filter((kind) => kind !== kinds[cut - 1])).size : 0;
        expect(again, `pages after a cut at page ${cut} of ${pages}`).toBe(pages - cut + 1 + finishedKinds);
        clock += 60_000;
        await h.sync.run();
        expect(await cachedMirror(h), `cut at page ${cut}, then one more run`).toEqual(expectedMirror());
      }
      // A sync per cut: seconds on a busy machine.
    },
    60_000,
  );
});

describe('a Sellsy that answers badly', () => {
  /** Whether a request is a page of the given pass (full list, incremental search, id search). */
  const isFullPage = (method: string, url: URL) => method === 'GET' && url.pathname === '/v2/contacts' && url.searchParams.get('order') === 'id';
  const filtersOf = (body: unknown): Record<string, unknown> =>
    typeof body === 'string' ? (JSON.parse(body) as { filters: Record<string, unknown> }).filters : {};
  const isIdSearch = (method: string, url: URL, body: unknown) => method === 'POST' && url.pathname === '/v2/contacts/search' && 'id' in filtersOf(body);
  const isUpdatedSearch = (method: string, url: URL, body: unknown) =>
    method === 'POST' && url.pathname === '/v2/contacts/search' && 'updated' in filtersOf(body);

  /**
   * A Sellsy that ignores the `offset` it is given on these requests: every page is the first one
   * again, with the same next cursor. A broken loop would ask forever; it is cut at 60 pages.
   */
  function ignoringOffset(matches: (method: string, url: URL, body: unknown) => boolean): { fetch: typeof fetch; pages: () => number } {
    let pages = 0;
    return {
      pages: () => pages,
      fetch: async (input, init) => {
        const url = new URL(String(input));
        if (!matches(init?.method ?? 'GET', url, init?.body)) return fetch(input, init);
        if (++pages > 60) throw new Error('asked the same page forever');
        url.searchParams.delete('offset');
        return fetch(url, init);
      },
    };
  }

  it('full sync: a page that repeats stops the pass instead of asking it forever, and the next pass finishes', async () => {
    const repeating = ignoringOffset(isFullPage);
    const broken = harness('repeat-full', repeating.fetch);
    await broken.sync.run();
    expect(repeating.pages()).toBeLessThanOrEqual(2);
    expect(broken.status.lastError?.code).toBe('invalid-response');
    expect(await broken.cache.isComplete()).toBe(false);

    const h = harness('repeat-full');
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect(await cachedMirror(h)).toEqual(expectedMirror());
  });

  it('incremental sync: a page that repeats stops the pass, and the next pass learns every change', async () => {
    await harness('repeat-incremental', fetch, undefined, 0, 50).sync.run();
    clock += 60_000;
    const contacts = [...server.crm.contacts.values()].filter(callable).slice(0, 120);
    for (const [i, c] of contacts.entries())
      server.crm.updateContact(c.id, { mobile_number: `07 13 ${String(100_000 + i).slice(1, 3)} ${String(100_000 + i).slice(3)}` });
    const repeating = ignoringOffset(isUpdatedSearch);
    const broken = harness('repeat-incremental', repeating.fetch, undefined, 0, 50);
    await broken.sync.run();
    expect(repeating.pages()).toBeLessThanOrEqual(2);
    expect(broken.status.lastError?.code).toBe('invalid-response');

    const h = harness('repeat-incremental', fetch, undefined, 0, 50);
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect(await cachedMirror(h)).toEqual(expectedMirror());
  });

  it('reconciliation: a page that repeats costs one more request at most, and drops nothing that exists', async () => {
    await harness('repeat-reconcile').sync.run();
    const gone = [...server.crm.contacts.values()].filter(callable).at(-2)!;
    server.crm.deleteContact(gone.id);
    clock += RECONCILE_EVERY_MS + 60_000;
    const repeating = ignoringOffset(isIdSearch);
    const h = harness('repeat-reconcile', repeating.fetch);
    await h.sync.run();
    const batches = Math.ceil(((await h.cache.idsOfKind('contact')).length + 1) / 100);
    expect(repeating.pages()).toBeLessThanOrEqual(2 * batches);
    expect(h.status.lastError).toBeUndefined();
    expect(await cachedMirror(h)).toEqual(expectedMirror());
  });

  it('reconciliation: a Sellsy that ignores the ids asked for is not paged through whole, and drops nothing', async () => {
    await harness('ignored-ids').sync.run();
    clock += RECONCILE_EVERY_MS + 60_000;
    let pages = 0;
    // Every contact of the account, whatever ids were asked for.
    const ignoring: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (!isIdSearch(init?.method ?? 'GET', url, init?.body)) return fetch(input, init);
      if (++pages > 200) throw new Error('paged through the whole account');
      return fetch(input, { ...init, body: JSON.stringify({ filters: {} }) });
    };
    server.crm.maxPageSize = 25;
    const before = await cachedMirror(harness('ignored-ids'));
    const h = harness('ignored-ids', ignoring);
    await h.sync.run();
    const batches = Math.ceil((await h.cache.idsOfKind('contact')).length / 100);
    // One batch holds 100 ids: an answer of more rows than that is not one Sellsy could give.
    expect(pages).toBeLessThanOrEqual(4 * batches);
    expect(await cachedMirror(h)).toEqual(before);
  });

  it('reconciliation: a total that shrinks between two pages of one answer (a bulk delete meanwhile) drops no live record', async () => {
    await harness('shrinking').sync.run();
    clock += RECONCILE_EVERY_MS + 60_000;
    server.crm.maxPageSize = 25;
    let pages = 0;
    // The 50 contacts read on the first two pages are deleted in Sellsy before the third is asked.
    const read: number[] = [];
    const deleting: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (!isIdSearch(init?.method ?? 'GET', url, init?.body)) return fetch(input, init);
      pages += 1;
      if (pages === 3) for (const id of read) server.crm.deleteContact(id);
      const answer = await fetch(input, init);
      const body = (await answer.clone().json()) as { data: Array<{ id: number }> };
      if (pages <= 2) read.push(...body.data.map((row) => row.id));
      return answer;
    };
    const h = harness('shrinking', deleting);
    await h.sync.run();
    expect(read).toHaveLength(50);
    const mirror = await cachedMirror(h);
    // Every live record is still cached; the deleted ones may wait for the next day.
    for (const [key, phones] of Object.entries(expectedMirror())) expect(mirror[key], key).toEqual(phones);
  });

  it('reconciliation: a total that says each page is the whole answer drops no live record', async () => {
    await harness('lying-total').sync.run();
    clock += RECONCILE_EVERY_MS + 60_000;
    server.crm.maxPageSize = 25;
    const lying: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      const answer = await fetch(input, init);
      if (!isIdSearch(init?.method ?? 'GET', url, init?.body)) return answer;
      const body = (await answer.json()) as { pagination: { total: number; count: number } };
      body.pagination.total = body.pagination.count;
      return Response.json(body, { status: answer.status });
    };
    const h = harness('lying-total', lying);
    await h.sync.run();
    expect(await cachedMirror(h)).toEqual(expectedMirror());
  });
});

describe('a row dated far in the future', () => {
  /** Sellsy sends one contact dated 2099 (an import gone wrong), created and updated. */
  function datedIn2099(id: number): typeof fetch {
    return async (input, init) => {
      const answer = await fetch(input, init);
      if (!new URL(String(input)).pathname.startsWith('/v2/contacts')) return answer;
      const body = (await answer.json()) as { data: Array<Record<string, unknown>> };
      body.data = body.data.map((row) => (row.id === id ? { ...row, created: '2099-01-01T00:00:00+01:00', updated: '2099-01-01T00:00:00+01:00' } : row));
      return Response.json(body, { status: answer.status });
    };
  }

  it('does not move the watermark past every change to come', async () => {
    const newest = Math.max(...server.crm.contacts.keys());
    const odd = datedIn2099(newest);
    const h = harness('future', odd);
    await h.sync.run();
    const other = [...server.crm.contacts.values()].find((c) => callable(c) && c.id !== newest)!;
    clock += 60 * 60_000;
    server.crm.updateContact(other.id, { mobile_number: '07 19 20 99 01' });
    await h.sync.run();
    clock += 60 * 60_000;
    server.crm.updateContact(other.id, { mobile_number: '07 19 20 99 02' });
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect((await h.cache.findByNumber('+33719209902')).map((r) => r.sellsyId)).toEqual([other.id]);
  });

  it('recovers a watermark an older version set in the future', async () => {
    const h = harness('future-stored');
    await h.sync.run();
    const cursors = await h.cache.cursors();
    const poisoned = Date.parse('2099-01-01T00:00:00Z');
    await (await h.db).put('meta', { ...cursors, contact: { ...cursors.contact!, watermark: poisoned } }, 'sync');
    const other = [...server.crm.contacts.values()].find(callable)!;
    clock += 60 * 60_000;
    server.crm.updateContact(other.id, { mobile_number: '07 19 20 99 03' });
    await h.sync.run();
    expect((await h.cache.findByNumber('+33719209903')).map((r) => r.sellsyId)).toEqual([other.id]);
  });
});

describe('an empty page before the total is reached', () => {
  /** Sellsy answers one page of these requests empty, with the same offset, as a glitch would. */
  function oneEmptyPage(matches: (url: URL, method: string) => boolean): typeof fetch {
    let emptied = false;
    return async (input, init) => {
      const url = new URL(String(input));
      const answer = await fetch(input, init);
      if (emptied || !matches(url, init?.method ?? 'GET') || !url.searchParams.get('offset')) return answer;
      emptied = true;
      const body = (await answer.json()) as { pagination: { count: number; offset: unknown }; data: unknown[] };
      body.data = [];
      body.pagination.count = 0;
      body.pagination.offset = url.searchParams.get('offset');
      return Response.json(body, { status: answer.status });
    };
  }

  it('does not end the first sync with most records never read', async () => {
    const h = harness(
      'empty-full',
      oneEmptyPage((url, method) => method === 'GET' && url.pathname === '/v2/contacts'),
    );
    await h.sync.run();
    expect(h.status.lastError).toBeUndefined();
    expect(await cachedMirror(h)).toEqual(expectedMirror());
  });

  it('does not end an incremental pass, and move its watermark, with changes never read', async () => {
    await harness('empty-incremental', fetch, undefined, 0, 50).sync.run();
    clock += 60_000;
    // A bulk edit, then, half an hour later, the first page's contacts edited again: the first
    // page read carries the latest date, the pages after it earlier ones.
    const contacts = [...server.crm.contacts.values()].filter(callable).slice(0, 120);
    const mobile = (i: number) => `07 14 ${String(100_000 + i).slice(1, 3)} ${String(100_000 + i).slice(3)}`;
    for (const [i, c] of contacts.entries()) server.crm.updateContact(c.id, { mobile_number: mobile(i) });
    clock += 30 * 60_000;
    for (const [i, c] of contacts.slice(0, 50).entries()) server.crm.updateContact(c.id, { mobile_number: mobile(500 + i) });
    const h = harness(
      'empty-incremental',
      oneEmptyPage((url, method) => method === 'POST' && url.pathname === '/v2/contacts/search'),
      undefined,
      0,
      50,
    );
    await h.sync.run();
    clock += 60_000;
    await h.sync.run();
    expect(await cachedMirror(h)).toEqual(expectedMirror());
  });
});
