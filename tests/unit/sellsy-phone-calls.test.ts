// @vitest-environment node
/**
 * The local Sellsy's phone calls (tests/servers/sellsy-phone-calls.ts) through real HTTP: the
 * call-logging pipeline codes against the contract only, so bodies, status codes, the error
 * envelope and commit-then-drop must be what docs/sellsy-and-allo.md says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_SCOPES, type SellsyServer } from '../servers/sellsy';
import type { Company, Contact, Individual } from '../servers/sellsy-crm';
import type { PhoneCall, PhoneCallCreateItem } from '../servers/sellsy-phone-calls';
import { START, useSellsyApi, type Page } from '../support/sellsy-api';

describe('local Sellsy: phone calls', () => {
  let clock = START;
  const api = useSellsyApi({ now: () => clock });
  const { call, ok, failure } = api;
  let sellsy: SellsyServer;
  let contact: Contact;
  let company: Company;
  let individual: Individual;

  beforeAll(() => {
    sellsy = api.sellsy;
    contact = sellsy.crm.addContact({ first_name: 'Aline', last_name: 'Lefèvre', phone_number: '06 12 34 56 78' });
    company = sellsy.crm.addCompany({ name: 'Boulangerie Morel SAS', phone_number: '01 42 00 00 00' });
    individual = sellsy.crm.addIndividual({ last_name: 'Dupont', type: 'prospect' });
    sellsy.crm.link(contact.id, company.id);
  });

  /** The contract's minimal body, for the contact and its company. */
  function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      owner_id: sellsy.staff.id,
      date: '2025-03-15T11:02:00+01:00',
      result: 'connected',
      source: 'incoming',
      duration: 95,
      description: 'Rappel devis\nAllo call cll-123',
      related: [
        { type: 'contact', id: contact.id },
        { type: 'company', id: company.id },
      ],
      ...overrides,
    };
  }

  it('creates with 201: result and topic as objects, ids from related, owner as staff', async () => {
    clock = Date.parse('2025-03-15T10:05:00Z');
    const before = sellsy.phoneCalls.created.length;
    const created = await ok<PhoneCall>(call('POST', '/phone-calls', { body: body({ topic: 2, priority: 1, id: 7, created: '2000-01-01' }) }), 201);
    expect(created).toEqual({
      id: expect.any(Number),
      description: 'Rappel devis\nAllo call cll-123',
      source: 'incoming',
      duration: 95,
      date: '2025-03-15T11:02:00+01:00',
      created: '2025-03-15T11:05:00+01:00',
      updated: '2025-03-15T11:05:00+01:00',
      company_id: company.id,
      individual_id: null,
      contact_id: contact.id,
      related: [
        { id: contact.id, type: 'contact' },
        { id: company.id, type: 'company' },
      ],
      priority: 1,
      owner: { id: sellsy.staff.id, type: 'staff' },
      topic: { id: 2, name: expect.any(String) },
      result: { id: 'connected', name: expect.any(String) },
    });
    expect(created.id).not.toBe(7);
    expect(sellsy.phoneCalls.created.length).toBe(before + 1);
    expect(sellsy.phoneCalls.items.get(created.id)).toEqual(created);
    expect(await ok<PhoneCall>(call('GET', `/phone-calls/${created.id}`))).toEqual(created);
    expect(sellsy.phoneCalls.byRelated('contact', contact.id).map((c) => c.id)).toContain(created.id);
    expect(sellsy.phoneCalls.byRelated('company', company.id).map((c) => c.id)).toContain(created.id);

    // Minimal body: no topic, defaults; ids increase; a date in UTC comes back in Paris time.
    const second = await ok<PhoneCall>(
      call('POST', '/phone-calls', {
        body: {
          owner_id: sellsy.staff.id,
          date: '2025-03-15T10:00:30.250Z',
          result: 'noanswer',
          source: 'outcoming',
          related: [{ id: individual.id, type: 'individual' }],
        },
      }),
      201,
    );
    expect(second.id).toBeGreaterThan(created.id);
    expect(second).toMatchObject({
      topic: null,
      description: null,
      duration: 0,
      priority: 0,
      individual_id: individual.id,
      contact_id: null,
      company_id: null,
    });
    expect(second.date).toBe('2025-03-15T11:00:30+01:00');
    expect(second.result).toEqual({ id: 'noanswer', name: expect.any(String) });

    // `scheduled` forces the duration to 0.
    expect((await ok<PhoneCall>(call('POST', '/phone-calls', { body: body({ result: 'scheduled', duration: 60 }) }), 201)).duration).toBe(0);
  });

  it('answers 400 with details per field, and stores nothing', async () => {
    const before = sellsy.phoneCalls.created.length;
    const { owner_id: _omitted, ...withoutOwner } = body();
    expect((await failure(call('POST', '/phone-calls', { body: withoutOwner }), 400)).details).toEqual({ owner_id: expect.any(String) });
    const outgoing = await failure(call('POST', '/phone-calls', { body: body({ source: 'outgoing' }) }), 400);
    expect(outgoing.context).toBe('validation_error');
    expect(outgoing.details).toEqual({ source: expect.stringContaining('outcoming') });
    expect((await failure(call('POST', '/phone-calls', { body: body({ related: [] }) }), 400)).details).toHaveProperty('related');
    const four = [
      { type: 'contact', id: contact.id },
      { type: 'company', id: company.id },
      { type: 'individual', id: individual.id },
      { type: 'opportunity', id: 1 },
    ];
    expect((await failure(call('POST', '/phone-calls', { body: body({ related: four }) }), 400)).details).toHaveProperty('related');
    const twoContacts = [
      { type: 'contact', id: contact.id },
      { type: 'contact', id: sellsy.crm.addContact({ last_name: 'Autre' }).id },
    ];
    expect((await failure(call('POST', '/phone-calls', { body: body({ related: twoContacts }) }), 400)).details).toHaveProperty('related');
    expect((await failure(call('POST', '/phone-calls', { body: body({ related: [{ type: 'lead', id: 3 }] }) }), 400)).details).toHaveProperty([
      'related[0].type',
    ]);
    // Several fields at once, each named.
    const several = await failure(
      call('POST', '/phone-calls', { body: body({ owner_id: 0, date: '15/03/2025 11:02', result: 'ok', duration: -1, priority: 2, description: 12 }) }),
      400,
    );
    expect(Object.keys(several.details).sort()).toEqual(['date', 'description', 'duration', 'owner_id', 'priority', 'result']);
    // An owner that is not a staff of the account, and a naive local time.
    expect((await failure(call('POST', '/phone-calls', { body: body({ owner_id: sellsy.staff.id + 1 }) }), 400)).details).toHaveProperty('owner_id');
    expect((await failure(call('POST', '/phone-calls', { body: body({ date: '2025-03-15T11:02:00' }) }), 400)).details).toHaveProperty('date');
    expect((await failure(call('POST', '/phone-calls', { body: body({ topic: 999 }) }), 400)).details).toHaveProperty('topic');
    // Malformed JSON.
    const raw = await fetch(`${sellsy.apiUrl}/phone-calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
      body: '{"owner_id":',
    });
    expect(raw.status).toBe(400);
    expect(sellsy.phoneCalls.created.length).toBe(before);
  });

  it('answers 404 once a related contact is deleted (and for records that never existed)', async () => {
    const doomed = sellsy.crm.addContact({ last_name: 'Supprimé' });
    const related = [{ type: 'contact', id: doomed.id }];
    await ok<PhoneCall>(call('POST', '/phone-calls', { body: body({ related }) }), 201);
    sellsy.crm.deleteContact(doomed.id);
    const before = sellsy.phoneCalls.created.length;
    const gone = await failure(call('POST', '/phone-calls', { body: body({ related: [{ type: 'company', id: company.id }, ...related] }) }), 404);
    expect(gone.context).toBe('not_found');
    expect(gone.details).toEqual({ 'related[1]': expect.stringContaining(String(doomed.id)) });
    await failure(call('POST', '/phone-calls', { body: body({ related: [{ type: 'company', id: 987_654 }] }) }), 404);
    await failure(call('POST', '/phone-calls', { body: body({ related: [{ type: 'individual', id: 987_654 }] }) }), 404);
    await failure(call('POST', '/phone-calls', { body: body({ related: [{ type: 'opportunity', id: 1 }] }) }), 404);
    expect(sellsy.phoneCalls.created.length).toBe(before);
    // Calls logged before the deletion stay.
    expect(sellsy.phoneCalls.byRelated('contact', doomed.id)).toHaveLength(1);
  });

  it('searches by contacts and a created window (the reconciliation the pipeline runs)', async () => {
    clock = Date.parse('2025-04-01T08:00:00Z');
    const target = sellsy.crm.addContact({ last_name: 'Cible' });
    const first = await ok<PhoneCall>(
      call('POST', '/phone-calls', { body: body({ related: [{ type: 'contact', id: target.id }], description: 'Allo call cll-A' }) }),
      201,
    );
    clock += 60_000;
    const second = await ok<PhoneCall>(
      call('POST', '/phone-calls', { body: body({ related: [{ type: 'contact', id: target.id }], description: 'Allo call cll-B', source: 'outcoming' }) }),
      201,
    );
    await ok<PhoneCall>(call('POST', '/phone-calls', { body: body({ related: [{ type: 'company', id: company.id }] }) }), 201);

    const search = (filters: Record<string, unknown>, query: Record<string, string | number> = {}) =>
      ok<Page<PhoneCall>>(call('POST', '/phone-calls/search', { query, body: { filters } }));
    const window = { start: '2025-04-01T10:00:00+02:00', end: '2025-04-01T10:30:00+02:00' };
    const found = await search({ contacts: [target.id], created: window });
    expect(found.data.map((c) => c.id)).toEqual([first.id, second.id]);
    expect(found.data[0]).toEqual(first);
    expect(found.pagination).toMatchObject({ count: 2, total: 2, limit: 25 });
    expect((await search({ contacts: [target.id], created: { start: '2025-04-01T10:00:30+02:00' } })).data.map((c) => c.id)).toEqual([second.id]);
    expect((await search({ contacts: [target.id], created: { end: '2025-03-31T00:00:00+02:00' } })).data).toEqual([]);
    expect((await search({ related_objects: [{ type: 'contact', id: target.id }], source: 'outcoming' })).data.map((c) => c.id)).toEqual([second.id]);
    expect((await search({ contacts: [target.id], result: 'noanswer' })).data).toEqual([]);
    expect((await search({ companies: [company.id], created: window })).data).toHaveLength(1);
    expect((await search({ owners: [sellsy.staff.id + 1] })).data).toEqual([]);

    // Seek paging: one at a time, each exactly once; desc reverses.
    const all = await search({ contacts: [target.id] });
    const seen: number[] = [];
    let offset: string | undefined;
    for (let i = 0; i < 10; i++) {
      const pageOne = await search({ contacts: [target.id] }, { limit: 1, ...(offset !== undefined && { offset }) });
      if (pageOne.data.length === 0) break;
      seen.push(...pageOne.data.map((c) => c.id));
      offset = pageOne.pagination.offset as string;
    }
    expect(seen).toEqual(all.data.map((c) => c.id));
    expect((await search({ contacts: [target.id] }, { direction: 'desc' })).data.map((c) => c.id)).toEqual([second.id, first.id]);
    const listed = await ok<Page<PhoneCall>>(call('GET', '/phone-calls', { query: { limit: 100 } }));
    expect(listed.data.map((c) => c.id)).toEqual(sellsy.phoneCalls.sorted().map((c) => c.id));

    expect((await failure(call('POST', '/phone-calls/search', { body: {} }), 400)).details).toHaveProperty('filters');
    expect((await failure(call('POST', '/phone-calls/search', { body: { filters: { contacts: 'x', result: 'ok' } } }), 400)).details).toEqual({
      'filters.contacts': expect.any(String),
      'filters.result': expect.any(String),
    });
  });

  it('updates with PUT (given fields only, `updated` moves), deletes with 204, then 404', async () => {
    clock = Date.parse('2025-05-02T08:00:00Z');
    const created = await ok<PhoneCall>(call('POST', '/phone-calls', { body: body({ description: 'Appel en attente de résumé' }) }), 201);
    clock += 15 * 60_000;
    const updated = await ok<PhoneCall>(call('PUT', `/phone-calls/${created.id}`, { body: { description: 'Résumé : devis accepté\nAllo call cll-123' } }));
    expect(updated).toEqual({ ...created, description: 'Résumé : devis accepté\nAllo call cll-123', updated: '2025-05-02T10:15:00+02:00' });
    expect(await ok<PhoneCall>(call('GET', `/phone-calls/${created.id}`))).toEqual(updated);
    expect((await failure(call('PUT', `/phone-calls/${created.id}`, { body: { source: 'outgoing' } }), 400)).details).toHaveProperty('source');
    const relinked = await ok<PhoneCall>(call('PUT', `/phone-calls/${created.id}`, { body: { related: [{ type: 'individual', id: individual.id }] } }));
    expect(relinked).toMatchObject({ individual_id: individual.id, contact_id: null, company_id: null });

    const response = await call('DELETE', `/phone-calls/${created.id}`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(sellsy.phoneCalls.deleted).toContain(created.id);
    expect(sellsy.phoneCalls.created.map((c) => c.id)).toContain(created.id);
    await failure(call('GET', `/phone-calls/${created.id}`), 404);
    await failure(call('PUT', `/phone-calls/${created.id}`, { body: { description: 'x' } }), 404);
    await failure(call('DELETE', `/phone-calls/${created.id}`), 404);
    await failure(call('GET', '/phone-calls/abc'), 404);
  });

  it('commit-then-drop: the call is stored, the connection closes without an answer', async () => {
    const before = sellsy.phoneCalls.created.length;
    sellsy.faults.inject({ method: 'POST', path: '/v2/phone-calls' }, { drop: 'after' });
    await expect(call('POST', '/phone-calls', { body: body({ description: 'Allo call cll-DROP' }) })).rejects.toThrow();
    expect(sellsy.phoneCalls.created.length).toBe(before + 1);
    const stored = sellsy.phoneCalls.created[before]!;
    expect(stored.description).toBe('Allo call cll-DROP');
    expect(sellsy.phoneCalls.items.get(stored.id)).toEqual(stored);
    // The client's reconciliation finds it.
    const found = await ok<Page<PhoneCall>>(call('POST', '/phone-calls/search', { body: { filters: { contacts: [contact.id] } }, query: { limit: 100 } }));
    expect(found.data.filter((c) => c.description === 'Allo call cll-DROP').map((c) => c.id)).toEqual([stored.id]);
    // `drop: 'before'` stores nothing.
    sellsy.faults.inject({ method: 'POST', path: '/v2/phone-calls' }, { drop: 'before' });
    await expect(call('POST', '/phone-calls', { body: body() })).rejects.toThrow();
    expect(sellsy.phoneCalls.created.length).toBe(before + 1);
  });

  it('answers 429 with Retry-After (injected or over the per-second quota), storing nothing', async () => {
    const before = sellsy.phoneCalls.created.length;
    sellsy.faults.inject({ method: 'POST', path: '/v2/phone-calls' }, { retryAfterS: 3 });
    const injected = await call('POST', '/phone-calls', { body: body() });
    expect(injected.headers.get('retry-after')).toBe('3');
    expect((await failure(Promise.resolve(injected), 429)).code).toBe(429);
    expect(sellsy.phoneCalls.created.length).toBe(before);

    clock = Math.floor(clock / 1000) * 1000 + 1_000_000;
    sellsy.rateLimitPerSecond = 1;
    expect((await call('POST', '/phone-calls', { body: body() })).status).toBe(201);
    const limited = await call('POST', '/phone-calls', { body: body() });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-quota-remaining-by-second')).toBe('0');
    expect(sellsy.phoneCalls.created.length).toBe(before + 1);
  });

  it('checks scopes: 403 without phonecalls.write or phonecalls.read', async () => {
    const existing = sellsy.phoneCalls.sorted()[0]!;
    const readOnly = sellsy.issueTokens(EXTENSION_SCOPES.filter((s) => s !== 'phonecalls.write')).access_token;
    const before = sellsy.phoneCalls.created.length;
    expect((await failure(call('POST', '/phone-calls', { token: readOnly, body: body() }), 403)).context).toBe('insufficient_scope');
    await failure(call('PUT', `/phone-calls/${existing.id}`, { token: readOnly, body: { description: 'x' } }), 403);
    await failure(call('DELETE', `/phone-calls/${existing.id}`, { token: readOnly }), 403);
    expect((await call('POST', '/phone-calls/search', { token: readOnly, body: { filters: {} } })).status).toBe(200);
    expect(sellsy.phoneCalls.created.length).toBe(before);
    const noRead = sellsy.issueTokens(EXTENSION_SCOPES.filter((s) => s !== 'phonecalls.read')).access_token;
    await failure(call('POST', '/phone-calls/search', { token: noRead, body: { filters: {} } }), 403);
    await failure(call('GET', `/phone-calls/${existing.id}`, { token: noRead }), 403);
    await failure(call('GET', '/phone-calls', { token: noRead }), 403);
  });

  it('answers the side panel’s history: a record’s latest by date, with `embed[]=owner` (null without staffs.read)', async () => {
    sellsy.phoneCalls.addColleague({ id: 4343, firstname: 'Julie', lastname: 'Roux', email: 'julie.roux@example.fr', status: 'ok' });
    const person = sellsy.crm.addIndividual({ last_name: 'Historique', type: 'prospect' });
    const ours = sellsy.phoneCalls.create({
      ...(body() as unknown as PhoneCallCreateItem),
      date: '2025-03-20T09:00:00Z',
      related: [{ type: 'individual', id: person.id }],
    });
    const theirs = sellsy.phoneCalls.create({
      ...(body() as unknown as PhoneCallCreateItem),
      owner_id: 4343,
      date: '2025-03-21T09:00:00Z',
      related: [{ type: 'individual', id: person.id }],
    });
    const older = sellsy.phoneCalls.create({
      ...(body() as unknown as PhoneCallCreateItem),
      owner_id: 4343,
      date: '2025-03-19T09:00:00Z',
      related: [{ type: 'individual', id: person.id }],
    });
    const query = { limit: 2, order: 'date', direction: 'desc', 'embed[]': 'owner' };
    const page = await ok<Page<PhoneCall & { _embed: { owner: unknown } }>>(
      call('POST', '/phone-calls/search', { query, body: { filters: { individuals: [person.id] } } }),
    );
    expect(page.data.map((p) => p.id)).toEqual([theirs.id, ours.id]);
    expect(page.pagination).toMatchObject({ count: 2, total: 3 });
    expect(page.data.map((p) => p._embed.owner)).toEqual([
      { id: 4343, firstname: 'Julie', lastname: 'Roux', email: 'julie.roux@example.fr', status: 'ok' },
      sellsy.staff,
    ]);
    // Without the embed, no `_embed`.
    const plain = await ok<Page<PhoneCall>>(call('POST', '/phone-calls/search', { query: { order: 'date' }, body: { filters: { individuals: [person.id] } } }));
    expect(plain.data.map((p) => p.id)).toEqual([older.id, ours.id, theirs.id]);
    expect(plain.data.every((p) => !('_embed' in p))).toBe(true);
    // An embed whose scope is missing comes back null (Sellsy's "Embed objects" section).
    const noStaff = sellsy.issueTokens(EXTENSION_SCOPES.filter((s) => s !== 'staffs.read')).access_token;
    const hidden = await ok<Page<PhoneCall & { _embed: { owner: unknown } }>>(
      call('POST', '/phone-calls/search', { token: noStaff, query, body: { filters: { individuals: [person.id] } } }),
    );
    expect(hidden.data.map((p) => p._embed.owner)).toEqual([null, null]);
    const one = await ok<PhoneCall & { _embed: { owner: { id: number } } }>(call('GET', `/phone-calls/${theirs.id}`, { query: { 'embed[]': 'owner' } }));
    expect(one._embed.owner.id).toBe(4343);
    expect((await failure(call('POST', '/phone-calls/search', { query: { 'embed[]': 'staff' }, body: { filters: {} } }), 400)).details).toHaveProperty('embed');
  });

  it('offers the store API to tests: create, update, delete, byRelated', () => {
    const store = sellsy.phoneCalls;
    const made = store.create({
      owner_id: sellsy.staff.id,
      date: '2025-05-03T09:00:00Z',
      result: 'msgvocal',
      source: 'outcoming',
      related: [{ type: 'individual', id: individual.id }],
    });
    expect(store.byRelated('individual', individual.id).map((c) => c.id)).toContain(made.id);
    expect(store.update(made.id, { description: 'Message laissé' }).description).toBe('Message laissé');
    expect(store.created.find((c) => c.id === made.id)?.description).toBeNull(); // as created
    expect(store.delete(made.id)).toBe(true);
    expect(store.byRelated('individual', individual.id).map((c) => c.id)).not.toContain(made.id);
    expect(() => store.create({ owner_id: sellsy.staff.id, date: 'x', result: 'busy', source: 'incoming', related: [] })).toThrow();
  });
});
