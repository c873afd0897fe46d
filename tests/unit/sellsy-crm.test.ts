// @vitest-environment node
/**
 * The local Sellsy's CRM records (tests/servers/sellsy-crm.ts) through real HTTP: the sync
 * engine codes against the contract only, so paging, filters, status codes and the error
 * envelope must be what docs/sellsy-and-allo.md says.
 */
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_SCOPES, startSellsyServer, type SellsyServer } from '../servers/sellsy';
import { JUNK_PHONES, SellsyCrm, formatSellsyDate, parseSellsyDate, type Company, type Contact, type Individual } from '../servers/sellsy-crm';
import { START, useSellsyApi, type Page } from '../support/sellsy-api';

describe('local Sellsy: CRM records', () => {
  let clock = START;
  const api = useSellsyApi({ now: () => clock, seed: { contacts: 1234, companies: 200, individuals: 150, seed: 11 } });
  const { call, ok, failure } = api;
  let sellsy: SellsyServer;

  beforeAll(() => {
    sellsy = api.sellsy;
  });

  /** Every page of a list or search, following `pagination.offset` until `data` comes back empty. */
  async function pageAll<T extends { id: number }>(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string | number> = {},
    body?: unknown,
  ): Promise<{ items: T[]; pages: Array<Page<T>> }> {
    const pages: Array<Page<T>> = [];
    let offset: string | undefined;
    for (let i = 0; i < 10_000; i++) {
      const page = await ok<Page<T>>(call(method, path, { query: { ...query, ...(offset !== undefined && { offset }) }, body }));
      pages.push(page);
      if (page.data.length === 0) break;
      expect(typeof page.pagination.offset).toBe('string');
      offset = page.pagination.offset as string;
    }
    return { items: pages.flatMap((page) => page.data), pages };
  }

  const sortedIds = (map: Map<number, unknown>) => [...map.keys()].sort((a, b) => a - b);

  it('pages through all contacts with the seek cursor, each exactly once', async () => {
    const { items, pages } = await pageAll<Contact>('GET', '/contacts', { limit: 100 });
    expect(items.map((c) => c.id)).toEqual(sortedIds(sellsy.crm.contacts));
    expect(pages).toHaveLength(Math.ceil(1234 / 100) + 1);
    for (const page of pages) {
      expect(Object.keys(page).sort()).toEqual(['data', 'pagination']);
      expect(page.pagination).toMatchObject({ limit: 100, total: 1234, count: page.data.length });
    }
    // The cursor is Sellsy-like: base64 of a JSON array; past the end, the same cursor again and no data.
    const last = pages[pages.length - 2]!;
    expect(JSON.parse(Buffer.from(last.pagination.offset as string, 'base64').toString())).toEqual([String(items[items.length - 1]!.id)]);
    expect(pages[pages.length - 1]!.pagination).toEqual({ limit: 100, count: 0, total: 1234, offset: last.pagination.offset });
  });

  it('defaults to 25 per page in id order, and pages in any documented order and direction', async () => {
    const first = await ok<Page<Contact>>(call('GET', '/contacts'));
    expect(first.pagination.limit).toBe(25);
    expect(first.data.map((c) => c.id)).toEqual(sortedIds(sellsy.crm.contacts).slice(0, 25));

    const byName = await pageAll<Contact>('GET', '/contacts', { limit: 100, order: 'name', direction: 'desc' });
    expect(new Set(byName.items.map((c) => c.id)).size).toBe(1234);
    const names = byName.items.map((c) =>
      `${c.last_name} ${c.first_name ?? ''}`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase(),
    );
    expect(names).toEqual([...names].sort().reverse());

    const companies = await pageAll<Company>('GET', '/companies', { limit: 37, order: 'updated_at', direction: 'asc' });
    expect(companies.items).toHaveLength(sellsy.crm.companies.size);
    const times = companies.items.map((c) => Date.parse(c.updated_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const individuals = await pageAll<Individual>('GET', '/individuals', { limit: 100, order: 'created_at', direction: 'desc' });
    expect(individuals.items.map((i) => i.id).sort((a, b) => a - b)).toEqual(sortedIds(sellsy.crm.individuals));
  });

  it('resumes after a record that changed or vanished between pages', async () => {
    const crm = sellsy.crm;
    const first = await ok<Page<Contact>>(call('GET', '/contacts', { query: { limit: 50 } }));
    const lastSeen = first.data[49]!;
    crm.deleteContact(lastSeen.id); // the cursor's own record is gone
    const later = sortedIds(crm.contacts).find((id) => id > lastSeen.id + 100)!;
    clock += 1000;
    crm.updateContact(later, { note: 'touched' });
    const rest: Contact[] = [];
    let offset = first.pagination.offset as string;
    for (;;) {
      const page = await ok<Page<Contact>>(call('GET', '/contacts', { query: { limit: 100, offset } }));
      if (page.data.length === 0) break;
      rest.push(...page.data);
      offset = page.pagination.offset as string;
    }
    const seen = [...first.data.slice(0, 49), ...rest].map((c) => c.id);
    expect(seen).toEqual(sortedIds(crm.contacts));
    expect(rest.find((c) => c.id === later)?.note).toBe('touched');
  });

  it('pages with a numeric offset when the first call sends offset=0', async () => {
    const ids: number[] = [];
    for (let offset = 0; ; offset += 25) {
      const page = await ok<Page<Company>>(call('GET', '/companies', { query: { offset } }));
      expect(page.pagination).toEqual({ limit: 25, count: page.data.length, total: sellsy.crm.companies.size, offset });
      if (page.data.length === 0) break;
      ids.push(...page.data.map((c) => c.id));
    }
    expect(ids).toEqual(sortedIds(sellsy.crm.companies));
  });

  it('refuses limit > 100, a garbled cursor, an unknown order or direction with 400 in Sellsy’s envelope', async () => {
    expect((await failure(call('GET', '/contacts', { query: { limit: 101 } }), 400)).details).toHaveProperty('limit');
    expect((await failure(call('POST', '/contacts/search', { query: { limit: 500 }, body: { filters: {} } }), 400)).details).toHaveProperty('limit');
    expect((await failure(call('GET', '/contacts', { query: { offset: 'not-a-cursor!' } }), 400)).details).toHaveProperty('offset');
    const garbage = Buffer.from('{"id": 12}').toString('base64');
    expect((await failure(call('GET', '/contacts', { query: { offset: garbage } }), 400)).details).toHaveProperty('offset');
    expect((await failure(call('GET', '/contacts', { query: { order: 'updated_at' } }), 400)).details).toHaveProperty('order');
    expect((await failure(call('GET', '/companies', { query: { direction: 'up' } }), 400)).details).toHaveProperty('direction');
    expect((await ok<Page<Contact>>(call('GET', '/contacts', { query: { limit: 100 } }))).data).toHaveLength(100);
  });

  it('searches contacts by an `updated` window, bounds inclusive and compared as instants', async () => {
    const crm = sellsy.crm;
    const id = sortedIds(crm.contacts)[10]!;
    clock = Date.parse('2025-03-20T08:00:00Z');
    const touched = crm.updateContact(id, { position: 'Acheteuse' });
    expect(touched.updated).toBe('2025-03-20T09:00:00+01:00');

    const start = '2025-01-01T00:00:00+01:00';
    const expected = [...crm.contacts.values()]
      .filter((c) => Date.parse(c.updated) >= Date.parse(start) && Date.parse(c.updated) <= Date.parse('2025-03-20T08:00:00Z'))
      .map((c) => c.id)
      .sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(20);
    const { items, pages } = await pageAll<Contact>(
      'POST',
      '/contacts/search',
      { limit: 20 },
      { filters: { updated: { start, end: '2025-03-20T08:00:00Z' } } },
    );
    expect(items.map((c) => c.id)).toEqual(expected);
    expect(pages[0]!.pagination.total).toBe(expected.length);
    expect(items.find((c) => c.id === id)?.position).toBe('Acheteuse');

    // Only a start: everything since; the end bound equals the update instant in another offset.
    const since = await ok<Page<Contact>>(call('POST', '/contacts/search', { body: { filters: { updated: { start: '2025-03-20T09:00:00+01:00' } } } }));
    expect(since.data.map((c) => c.id)).toEqual([id]);
    const upTo = await ok<Page<Contact>>(call('POST', '/contacts/search', { body: { filters: { updated: { end: '2025-03-20T07:59:59Z' } } } }));
    expect(upTo.pagination.total).toBe(crm.contacts.size - 1);
  });

  it('searches by id list (missing ids are simply absent) and by exact phone number', async () => {
    const crm = sellsy.crm;
    const ids = sortedIds(crm.contacts);
    const asked = [ids[3]!, ids[500]!, 99_999_999, ids[1000]!];
    const byId = await ok<Page<Contact>>(call('POST', '/contacts/search', { body: { filters: { id: asked } } }));
    expect(byId.data.map((c) => c.id)).toEqual([ids[3], ids[500], ids[1000]]);
    expect(byId.pagination.total).toBe(3);

    const withPhone = [...crm.contacts.values()].find((c) => c.phone_number && isValidPhoneNumber(c.phone_number, 'FR'))!;
    const phone = withPhone.phone_number!;
    const hits = await ok<Page<Contact>>(call('POST', '/contacts/search', { body: { filters: { phone_number: phone } } }));
    expect(hits.data.map((c) => c.id)).toContain(withPhone.id);
    expect(hits.data.every((c) => c.phone_number === phone)).toBe(true);
    const mobile = [...crm.contacts.values()].find((c) => c.mobile_number && isValidPhoneNumber(c.mobile_number, 'FR'))!;
    const mobileHits = await ok<Page<Contact>>(call('POST', '/contacts/search', { body: { filters: { mobile_number: mobile.mobile_number } } }));
    expect(mobileHits.data.map((c) => c.id)).toContain(mobile.id);
    // Exact means exact: the same number typed otherwise does not match.
    const e164 = parsePhoneNumberFromString(phone, 'FR')!.number;
    const other = [...crm.contacts.values()].filter((c) => c.phone_number === e164).length;
    const e164Hits = await ok<Page<Contact>>(call('POST', '/contacts/search', { body: { filters: { phone_number: e164 } } }));
    expect(e164Hits.pagination.total).toBe(other);
  });

  it('needs `filters` in a search body, and ignores filter keys it does not know', async () => {
    expect((await failure(call('POST', '/contacts/search', { body: {} }), 400)).details).toHaveProperty('filters');
    expect((await failure(call('POST', '/companies/search', {}), 400)).details).toHaveProperty('filters');
    expect((await failure(call('POST', '/contacts/search', { body: { filters: { updated: { start: 'yesterday' } } } }), 400)).details).toHaveProperty([
      'filters.updated.start',
    ]);
    const all = await ok<Page<Contact>>(call('POST', '/contacts/search', { body: { filters: { favourite_colour: 'blue' } } }));
    expect(all.pagination.total).toBe(sellsy.crm.contacts.size);
  });

  it('companies and individuals use `updated_at` (field and filter), contacts `updated`', async () => {
    const crm = sellsy.crm;
    const company = (await ok<Page<Company>>(call('GET', '/companies', { query: { limit: 1 } }))).data[0]!;
    expect(company).toHaveProperty('updated_at');
    expect(company).not.toHaveProperty('updated');
    expect(company.legal_france).toEqual({
      siret: expect.stringMatching(/^\d{14}$/),
      siren: expect.stringMatching(/^\d{9}$/),
      vat: expect.stringMatching(/^FR\d{11}$/),
      ape_naf_code: expect.any(String),
      company_type: expect.any(String),
      rcs_immatriculation: expect.any(String),
    });
    const contact = (await ok<Page<Contact>>(call('GET', '/contacts', { query: { limit: 1 } }))).data[0]!;
    expect(contact).toHaveProperty('updated');
    expect(contact).not.toHaveProperty('updated_at');

    clock = Date.parse('2025-04-02T12:00:00Z');
    crm.updateCompany(company.id, { note: 'rappel' });
    const individualId = sortedIds(crm.individuals)[0]!;
    crm.updateIndividual(individualId, { note: 'rappel' });
    const window = { start: '2025-04-02T00:00:00+02:00', end: '2025-04-03T00:00:00+02:00' };
    const companies = await ok<Page<Company>>(call('POST', '/companies/search', { body: { filters: { updated_at: window } } }));
    expect(companies.data.map((c) => [c.id, c.updated_at])).toEqual([[company.id, '2025-04-02T14:00:00+02:00']]);
    const individuals = await ok<Page<Individual>>(call('POST', '/individuals/search', { body: { filters: { updated_at: window } } }));
    expect(individuals.data.map((i) => i.id)).toEqual([individualId]);
    // `updated` is not a company filter: ignored, so everything matches.
    const ignored = await ok<Page<Company>>(call('POST', '/companies/search', { body: { filters: { updated: window } } }));
    expect(ignored.pagination.total).toBe(crm.companies.size);
    const archived = await ok<Page<Company>>(call('POST', '/companies/search', { query: { limit: 100 }, body: { filters: { is_archived: true } } }));
    expect(archived.data.every((c) => c.is_archived)).toBe(true);
  });

  it('reads one record, 404 in the envelope once deleted', async () => {
    const crm = sellsy.crm;
    const id = sortedIds(crm.contacts)[20]!;
    expect(await ok<Contact>(call('GET', `/contacts/${id}`))).toEqual(crm.contacts.get(id));
    crm.deleteContact(id);
    await failure(call('GET', `/contacts/${id}`), 404);
    await failure(call('GET', '/contacts/abc'), 404);
    const companyId = sortedIds(crm.companies)[5]!;
    expect((await ok<Company>(call('GET', `/companies/${companyId}`))).id).toBe(companyId);
    crm.deleteCompany(companyId);
    await failure(call('GET', `/companies/${companyId}`), 404);
    const individualId = sortedIds(crm.individuals)[5]!;
    expect((await ok<Individual>(call('GET', `/individuals/${individualId}`))).id).toBe(individualId);
    crm.deleteIndividual(individualId);
    await failure(call('GET', `/individuals/${individualId}`), 404);
    const search = await ok<Page<Contact>>(call('POST', '/contacts/search', { body: { filters: { id: [id] } } }));
    expect(search.data).toEqual([]);
  });

  it('lists a contact’s companies; the first linked contact is the company’s main contact', async () => {
    const crm = sellsy.crm;
    const [contactId, companyIds] = [...crm.links].find(([, ids]) => ids.size === 2)!;
    const page = await ok<Page<Company>>(call('GET', `/contacts/${contactId}/companies`));
    expect(page.data.map((c) => c.id)).toEqual([...companyIds].sort((a, b) => a - b));
    expect(page.pagination).toMatchObject({ count: 2, total: 2 });
    const withMain = [...crm.companies.values()].find((c) => c.main_contact_id !== null)!;
    expect(crm.links.get(withMain.main_contact_id!)?.has(withMain.id)).toBe(true);
    await failure(call('GET', '/contacts/99999999/companies'), 404);
    const fresh = crm.addCompany({ name: 'Nouvelle SAS', type: 'client' });
    crm.link(contactId, fresh.id);
    expect(crm.companies.get(fresh.id)?.main_contact_id).toBe(contactId);
    expect((await ok<Page<Company>>(call('GET', `/contacts/${contactId}/companies`))).pagination.total).toBe(3);
  });

  it('POST /contacts creates with 201 (server sets id, created, updated), 400 without last_name', async () => {
    clock = Date.parse('2025-05-01T07:30:00Z');
    const before = sellsy.crm.stats.contactsCreated;
    const created = await ok<Contact>(
      call('POST', '/contacts', { body: { last_name: 'Lefèvre', first_name: 'Aline', phone_number: '+33 6 98 76 54 32', id: 5, updated: '2000-01-01' } }),
      201,
    );
    expect(created).toMatchObject({ last_name: 'Lefèvre', first_name: 'Aline', phone_number: '+33 6 98 76 54 32', mobile_number: null, is_archived: false });
    expect(created.id).toBeGreaterThan(Math.max(...sortedIds(sellsy.crm.contacts).filter((id) => id !== created.id)));
    expect(created.created).toBe('2025-05-01T09:30:00+02:00');
    expect(created.updated).toBe('2025-05-01T09:30:00+02:00');
    expect(created.owner).toEqual({ id: 4242, type: 'staff' });
    expect(sellsy.crm.stats.contactsCreated).toBe(before + 1);
    expect(await ok<Contact>(call('GET', `/contacts/${created.id}`))).toEqual(created);
    const found = await ok<Page<Contact>>(call('POST', '/contacts/search', { body: { filters: { phone_number: '+33 6 98 76 54 32' } } }));
    expect(found.data.map((c) => c.id)).toEqual([created.id]);

    const missing = await failure(call('POST', '/contacts', { body: { first_name: 'Sans', phone_number: '0612345678' } }), 400);
    expect(missing.details).toHaveProperty('last_name');
    expect((await failure(call('POST', '/contacts', { body: { last_name: 'X', civility: 'dr' } }), 400)).details).toHaveProperty('civility');
    expect(sellsy.crm.stats.contactsCreated).toBe(before + 1);
    expect((await call('POST', '/contacts', { query: { verify: 'true' }, body: { last_name: 'Vérif' } })).status).toBe(204);
    expect(sellsy.crm.stats.contactsCreated).toBe(before + 1);
  });

  it('checks scopes: 403 without contacts.read, contacts.write or companies.read', async () => {
    const noContacts = sellsy.issueTokens(EXTENSION_SCOPES.filter((s) => s !== 'contacts.read')).access_token;
    expect((await failure(call('GET', '/contacts', { token: noContacts }), 403)).context).toBe('insufficient_scope');
    await failure(call('POST', '/contacts/search', { token: noContacts, body: { filters: {} } }), 403);
    await failure(call('GET', `/contacts/${sortedIds(sellsy.crm.contacts)[0]}`, { token: noContacts }), 403);
    expect((await call('GET', '/companies', { token: noContacts })).status).toBe(200);
    const readOnly = sellsy.issueTokens(['contacts.read']).access_token;
    await failure(call('POST', '/contacts', { token: readOnly, body: { last_name: 'Non' } }), 403);
    await failure(call('GET', '/individuals', { token: readOnly }), 403);
    await failure(call('GET', `/contacts/${sortedIds(sellsy.crm.contacts)[0]}/companies`, { token: readOnly }), 403);
  });

  it('counts CRM requests against the per-second quota', async () => {
    clock = Math.floor(clock / 1000) * 1000 + 1_000_000;
    sellsy.rateLimitPerSecond = 5;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call('GET', '/contacts', { query: { limit: 1 } })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    clock += 1000;
    expect((await call('POST', '/contacts/search', { body: { filters: {} } })).status).toBe(200);
  });
});

describe('local Sellsy: generated CRM data', () => {
  const fixed = () => new Date(START);

  it('is deterministic: the same seed (and clock) gives the same records', () => {
    const a = new SellsyCrm({ now: fixed });
    const b = new SellsyCrm({ now: fixed });
    a.seed({ contacts: 500, companies: 80, individuals: 60, seed: 3 });
    b.seed({ contacts: 500, companies: 80, individuals: 60, seed: 3 });
    expect([...b.contacts.values()]).toEqual([...a.contacts.values()]);
    expect([...b.companies.values()]).toEqual([...a.companies.values()]);
    expect([...b.individuals.values()]).toEqual([...a.individuals.values()]);
    expect([...b.links]).toEqual([...a.links]);
    const c = new SellsyCrm({ now: fixed });
    c.seed({ contacts: 500, companies: 80, individuals: 60, seed: 4 });
    expect([...c.contacts.values()]).not.toEqual([...a.contacts.values()]);
  });

  it('looks French: valid or deliberately junk phones, about three in four callable, fax-only and duplicates', () => {
    const crm = new SellsyCrm({ now: fixed });
    crm.seed({ contacts: 5000, companies: 800, individuals: 600, seed: 1 });
    const callable = (text: string | null) => !!text && isValidPhoneNumber(text, 'FR');
    const kinds: Array<[string, Array<Contact | Company | Individual>]> = [
      ['contacts', [...crm.contacts.values()]],
      ['companies', [...crm.companies.values()]],
      ['individuals', [...crm.individuals.values()]],
    ];
    for (const [kind, records] of kinds) {
      for (const record of records) {
        for (const text of [record.phone_number, record.mobile_number, record.fax_number]) {
          if (text === null || text === '' || JUNK_PHONES.includes(text)) continue;
          expect(isValidPhoneNumber(text, 'FR'), `${kind} ${record.id}: ${text}`).toBe(true);
        }
      }
      const share = records.filter((r) => callable(r.phone_number) || callable(r.mobile_number)).length / records.length;
      expect(share, kind).toBeGreaterThanOrEqual(0.7);
      expect(share, kind).toBeLessThanOrEqual(0.85);
      const faxOnly = records.filter((r) => !r.phone_number && !r.mobile_number && callable(r.fax_number));
      expect(faxOnly.length, kind).toBeGreaterThan(records.length * 0.02);
      expect(
        records.some((r) => !r.phone_number && !r.mobile_number && !r.fax_number),
        kind,
      ).toBe(true);
    }
    const contacts = kinds[0]![1] as Contact[];
    const texts = contacts.flatMap((c) => [c.phone_number, c.mobile_number]).filter((t): t is string => !!t);
    for (const format of [
      /^0[1-9]( \d\d){4}$/,
      /^0[1-9](\.\d\d){4}$/,
      /^0[1-9]\d{8}$/,
      /^\+33 [1-9]( \d\d){4}$/,
      /^\+33 \(0\)[1-9]( \d\d){4}$/,
      /^0033 [1-9]( \d\d){4}$/,
      /^\+33[1-9]\d{8}$/,
    ]) {
      expect(
        texts.some((t) => format.test(t)),
        String(format),
      ).toBe(true);
    }
    for (const country of ['+32', '+41', '+44', '+1 '])
      expect(
        texts.some((t) => t.startsWith(country)),
        country,
      ).toBe(true);
    expect(texts).toContain('à compléter');
    expect(texts).toContain('06 12');

    // Contacts that give their company's standard, and a company sharing a number with a contact.
    const e164 = (t: string | null) => (t && isValidPhoneNumber(t, 'FR') ? parsePhoneNumberFromString(t, 'FR')!.number : undefined);
    let sharingStandard = 0;
    for (const [contactId, companyIds] of crm.links) {
      const contact = crm.contacts.get(contactId)!;
      for (const companyId of companyIds) {
        const standard = e164(crm.companies.get(companyId)!.phone_number);
        if (standard && e164(contact.phone_number) === standard) sharingStandard++;
      }
    }
    expect(sharingStandard).toBeGreaterThan(100);
    const companyMobiles = [...crm.companies.values()].filter((c) => {
      const mobile = e164(c.mobile_number);
      return mobile && c.main_contact_id !== null && e164(crm.contacts.get(c.main_contact_id)!.mobile_number) === mobile;
    });
    expect(companyMobiles.length).toBeGreaterThan(5);
    expect([...crm.companies.values()].some((c) => / (SAS|SARL)$/.test(c.name))).toBe(true);

    // Dates: Paris time with offset, updated within the last two years and after created.
    for (const record of contacts) {
      expect(record.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);
      const updated = Date.parse(record.updated);
      expect(Date.parse(record.created)).toBeLessThan(updated);
      expect(updated).toBeLessThanOrEqual(START);
      expect(updated).toBeGreaterThan(START - 2 * 366 * 24 * 3600 * 1000);
    }
  });

  it('formats and parses dates in Paris time', () => {
    expect(formatSellsyDate(Date.parse('2024-05-29T09:22:03Z'))).toBe('2024-05-29T11:22:03+02:00');
    expect(formatSellsyDate(Date.parse('2024-12-01T09:22:03Z'))).toBe('2024-12-01T10:22:03+01:00');
    expect(formatSellsyDate(Date.parse('2024-03-31T01:00:00Z'))).toBe('2024-03-31T03:00:00+02:00');
    expect(parseSellsyDate('2024-05-29T11:22:03+02:00')).toBe(Date.parse('2024-05-29T09:22:03Z'));
    expect(parseSellsyDate('2024-05-29T11:22:03')).toBe(Date.parse('2024-05-29T09:22:03Z'));
    expect(parseSellsyDate('2024-01-10')).toBe(Date.parse('2024-01-09T23:00:00Z'));
    expect(parseSellsyDate('soon')).toBeNaN();
  });

  it('seeds 100,000 contacts fast, and an `updated` search pages through them in linear time', async () => {
    // The CPU this process spent seeding, not the wall clock: npm test runs this beside the
    // browsers, and a busy machine must not read as a slow seed.
    const cpu = process.cpuUsage();
    const sellsy = await startSellsyServer({ now: () => START, seed: { contacts: 100_000, seed: 5 } });
    const spent = process.cpuUsage(cpu);
    const seededMs = (spent.user + spent.system) / 1000;
    try {
      expect(sellsy.crm.contacts.size).toBe(100_000);
      expect(seededMs).toBeLessThan(2000);

      const token = sellsy.issueTokens().access_token;
      const start = formatSellsyDate(START - 120 * 24 * 3600 * 1000);
      const expected = [...sellsy.crm.contacts.values()].filter((c) => Date.parse(c.updated) >= Date.parse(start)).length;
      const pagedStarted = performance.now();
      let offset: string | undefined;
      let seen = 0;
      let requests = 0;
      for (;;) {
        const url = new URL(`${sellsy.apiUrl}/contacts/search`);
        url.searchParams.set('limit', '100');
        if (offset) url.searchParams.set('offset', offset);
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ filters: { updated: { start } } }),
        });
        const page = (await response.json()) as Page<Contact>;
        requests++;
        expect(page.pagination.total).toBe(expected);
        if (page.data.length === 0) break;
        seen += page.data.length;
        offset = page.pagination.offset as string;
      }
      expect(seen).toBe(expected);
      expect(requests).toBe(Math.ceil(expected / 100) + 1);
      // ~170 pages; a per-page full scan and sort would take several times this.
      expect(performance.now() - pagedStarted).toBeLessThan(8000);
    } finally {
      await sellsy.close();
    }
  }, 30_000);
});
