// @vitest-environment node
/**
 * The side panel's "Create contact" (lib/dialer/new-contact.ts) against the local Sellsy: one
 * contact with the typed names, in the cache at once (by number and by name), the number's calls
 * waiting as "Contact not found" logged on it at once and once only; a lost answer or a second
 * click never makes a second contact; each refusal is told apart, and nothing is cached then.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallRecord } from '@/lib/calls/call-record';
import { toCallRecord } from '@/lib/calls/call-poller';
import { callMarker } from '@/lib/calls/description-block';
import { NOT_FOUND_AFTER_MS } from '@/lib/calls/pipeline';
import { createNewContacts, type NewContactInput } from '@/lib/dialer/new-contact';
import { SellsyError } from '@/lib/sellsy/errors';
import type { NewCallItem } from '../servers/allo-calls';
import { createBrowser, startServers, type Browser, type Clock, type Servers } from '../support/call-harness';

const UNKNOWN = '+33677665544';

let servers: Servers;
let clock: Clock;

beforeEach(async () => {
  servers = await startServers();
  clock = { now: Date.now() };
});

afterEach(async () => {
  await servers.close();
});

async function callWith(browser: Browser, fields: NewCallItem = {}): Promise<CallRecord> {
  const item = servers.allo.calls.add({ result: 'ANSWERED', duration: 90, summary: 'Wants a quote.', contact_number: UNKNOWN, ...fields });
  const call = toCallRecord(item as never, item.user.id, clock.now)!;
  await browser.calls.addIfNew(call);
  return call;
}

function newContactsOf(browser: Browser, contactAdded = (e164: string) => browser.pipeline.contactAdded(e164)) {
  return createNewContacts({ sellsy: browser.sellsy, cache: browser.cache, country: async () => 'FR', companyLabel: 'Company:', contactAdded });
}

const input = (fields: Partial<NewContactInput> = {}): NewContactInput => ({ e164: UNKNOWN, firstName: 'Paul', lastName: 'Inconnu', company: '', ...fields });
const contactsWithUnknown = () => [...servers.sellsy.crm.contacts.values()].filter((c) => c.phone_number === UNKNOWN);
const phoneCallsFor = (alloId: string) => [...servers.sellsy.phoneCalls.items.values()].filter((p) => p.description?.includes(callMarker(alloId)));

describe('Create contact from the side panel', () => {
  it('creates one contact with the typed names, caches it at once, and logs the calls waiting for it, once', async () => {
    const browser = createBrowser(servers, clock);
    await browser.sync.run();
    const notFound = await callWith(browser);
    await browser.pipeline.run();
    clock.now += NOT_FOUND_AFTER_MS;
    await browser.pipeline.run();
    expect(await browser.calls.get(notFound.alloId)).toMatchObject({ state: 'contact_not_found' });
    // A later call with the number, still within its 24 h wait.
    const waiting = await callWith(browser, { date: new Date(clock.now - 60_000) });
    await browser.pipeline.run();
    expect(await browser.calls.get(waiting.alloId)).toMatchObject({ state: 'pending', waitingFor: 'contact' });

    const result = await newContactsOf(browser)(input({ firstName: '  Paul ', lastName: ' Inconnu  ', company: ' Acme SAS ' }));

    expect(result).toEqual({ ok: true, created: true, name: 'Paul Inconnu' });
    const [contact, ...more] = contactsWithUnknown();
    expect(more).toEqual([]);
    expect(contact).toMatchObject({ first_name: 'Paul', last_name: 'Inconnu', note: 'Company: Acme SAS' });
    // In the cache as the sync would put it, found by the number and by the name's words.
    expect(await browser.cache.findByNumber(UNKNOWN)).toEqual([
      expect.objectContaining({ key: `contact:${contact!.id}`, name: 'Paul Inconnu', phones: [UNKNOWN] }),
    ]);
    expect((await browser.cache.searchByName('inc pa', 10)).map((r) => r.sellsyId)).toEqual([contact!.id]);
    // Both calls are logged on it at once, with no 24 h wait.
    for (const call of [notFound, waiting]) {
      expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced', targets: [{ sellsyId: contact!.id }] });
      expect(phoneCallsFor(call.alloId)).toEqual([expect.objectContaining({ related: [expect.objectContaining({ type: 'contact', id: contact!.id })] })]);
    }

    // Told again (a second panel, a late message): nothing is logged twice.
    await browser.pipeline.contactAdded(UNKNOWN);
    await browser.pipeline.run();
    expect(phoneCallsFor(notFound.alloId)).toHaveLength(1);
    expect(phoneCallsFor(waiting.alloId)).toHaveLength(1);
  });

  it('leaves calls with other numbers, and calls already logged, as they are', async () => {
    const browser = createBrowser(servers, clock);
    await browser.sync.run();
    const other = await callWith(browser, { contact_number: '+33677660000' });
    await browser.pipeline.run();
    const before = await browser.calls.get(other.alloId);
    await newContactsOf(browser)(input());
    expect(await browser.calls.get(other.alloId)).toEqual(before);
  });

  it('makes no second contact when the answer to the POST was lost and the person clicks again', async () => {
    const browser = createBrowser(servers, clock);
    await browser.sync.run();
    const create = newContactsOf(browser);
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/contacts' }, { drop: 'after' });

    expect(await create(input())).toEqual({ ok: false, problem: 'offline' });
    // Sellsy made it, but the panel could not know: nothing was cached.
    expect(contactsWithUnknown()).toHaveLength(1);
    expect(await browser.cache.findByNumber(UNKNOWN)).toEqual([]);

    expect(await create(input())).toEqual({ ok: true, created: false, name: 'Paul Inconnu' });
    expect(contactsWithUnknown()).toHaveLength(1);
    expect(servers.sellsy.crm.stats.contactsCreated).toBe(1);
    expect((await browser.cache.findByNumber(UNKNOWN)).map((r) => r.sellsyId)).toEqual([contactsWithUnknown()[0]!.id]);
  });

  it('sends one POST for a double click, both clicks hearing the same answer', async () => {
    const browser = createBrowser(servers, clock);
    await browser.sync.run();
    const create = newContactsOf(browser);
    const [first, second] = await Promise.all([create(input()), create(input())]);
    expect(first).toEqual({ ok: true, created: true, name: 'Paul Inconnu' });
    expect(second).toEqual(first);
    expect(servers.sellsy.crm.stats.contactsCreated).toBe(1);
    // Done: a later click looks in Sellsy again, and finds it.
    expect(await create(input())).toEqual({ ok: true, created: false, name: 'Paul Inconnu' });
    expect(servers.sellsy.crm.stats.contactsCreated).toBe(1);
  });

  it('says which refusal it was, caches nothing and logs nothing', async () => {
    const browser = createBrowser(servers, clock);
    await browser.sync.run();
    const contactAdded = vi.fn(async () => undefined);
    const create = newContactsOf(browser, contactAdded);
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/contacts' }, { status: 403 });
    expect(await create(input())).toEqual({ ok: false, problem: 'no-rights' });
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/contacts' }, { status: 400 });
    expect(await create(input())).toEqual({ ok: false, problem: 'refused' });
    // The search is tried three times before the panel is told.
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/contacts/search' }, { drop: 'before', times: 3 });
    expect(await create(input())).toEqual({ ok: false, problem: 'offline' });
    expect(contactsWithUnknown()).toEqual([]);
    expect(await browser.cache.findByNumber(UNKNOWN)).toEqual([]);
    expect(contactAdded).not.toHaveBeenCalled();
  });

  it('tells a disconnected Sellsy and a busy one apart from a refusal', async () => {
    const answers = [
      new SellsyError('not-connected', 'x'),
      new SellsyError('revoked', 'x'),
      new SellsyError('rate-limited', 'x'),
      new SellsyError('server', 'x', 502),
    ];
    const problems = [];
    for (const error of answers) {
      const create = createNewContacts({
        sellsy: { contactsWithNumber: async () => [], createContact: async () => Promise.reject(error) },
        cache: { put: async () => true, findByNumber: async () => [], generation: async () => 0 },
        country: async () => 'FR',
        companyLabel: 'Company:',
        contactAdded: async () => undefined,
      });
      problems.push(await create(input()));
    }
    expect(problems.map((p) => (p.ok ? 'ok' : p.problem))).toEqual(['disconnected', 'disconnected', 'busy', 'busy']);
  });

  it('sends the names trimmed and bounded, the first name and company only when typed', async () => {
    const createContact = vi.fn(async (fields: { last_name: string; phone_number: string }) => ({ id: 7, ...fields }));
    const create = createNewContacts({
      sellsy: { contactsWithNumber: async () => [], createContact },
      cache: { put: async () => true, findByNumber: async () => [], generation: async () => 0 },
      country: async () => 'FR',
      companyLabel: 'Company:',
      contactAdded: async () => undefined,
    });
    await create(input({ firstName: '   ', lastName: `  ${'D'.repeat(250)}`, company: '' }));
    expect(createContact).toHaveBeenCalledWith({ last_name: 'D'.repeat(200), phone_number: UNKNOWN });
    expect(await create(input({ lastName: '   ' }))).toEqual({ ok: false, problem: 'refused' });
    expect(createContact).toHaveBeenCalledTimes(1);
  });
});
