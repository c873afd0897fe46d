// @vitest-environment node
/**
 * Hostile review of the side panel's "Create contact" (lib/dialer/new-contact.ts), with fakes:
 * what reaches Sellsy and the cache when the input, Sellsy's search or the connection misbehave.
 */
import { describe, expect, it, vi } from 'vitest';
import type { CachedRecord } from '@/lib/cache/schema';
import { createNewContacts, type NewContactDeps, type NewContactInput } from '@/lib/dialer/new-contact';
import type { NewContactFields, SellsyContact } from '@/lib/sellsy/contacts';

const E164 = '+33677665544';
const input = (fields: Partial<NewContactInput> = {}): NewContactInput => ({ e164: E164, firstName: 'Paul', lastName: 'Inconnu', company: '', ...fields });

function fakes() {
  const cached: CachedRecord[] = [];
  let generation = 1;
  let nextId = 500;
  const posted: NewContactFields[] = [];
  const sellsy = {
    // Sellsy's search lags behind its writes: a contact made a moment ago is not found yet.
    contactsWithNumber: vi.fn(async (_e164: string): Promise<SellsyContact[]> => []),
    createContact: vi.fn(async (fields: NewContactFields): Promise<SellsyContact> => {
      posted.push(fields);
      return { id: nextId++, first_name: fields.first_name ?? null, last_name: fields.last_name, phone_number: fields.phone_number };
    }),
  };
  const cache = {
    put: vi.fn(async (record: CachedRecord, since?: number) => {
      if (since !== undefined && since !== generation) return false;
      cached.push(record);
      return true;
    }),
    findByNumber: vi.fn(async (e164: string) => cached.filter((r) => r.phones.includes(e164) && !r.archived)),
    generation: vi.fn(async () => generation),
  };
  const contactAdded = vi.fn(async (_e164: string) => undefined);
  const deps: NewContactDeps = { sellsy, cache, country: async () => 'FR', companyLabel: 'Company:', contactAdded };
  return {
    deps,
    sellsy,
    cache,
    cached,
    posted,
    contactAdded,
    clear: () => {
      generation++;
      cached.length = 0;
    },
  };
}

describe('Create contact, hostile review', () => {
  it('sends no control characters to Sellsy, and refuses a last name made only of them', async () => {
    const f = fakes();
    const create = createNewContacts(f.deps);
    const made = await create(input({ firstName: 'Pa\u0000ul', lastName: 'In\ncon\u0007nu\u200b', company: 'ACME\r\n\u001bSA' }));
    expect(made).toMatchObject({ ok: true, created: true });
    expect(f.posted[0]).toEqual({ first_name: 'Pa ul', last_name: 'In con nu', phone_number: E164, note: 'Company: ACME SA' });
    expect(Object.values(f.posted[0]!).join('')).not.toMatch(/[\p{Cc}\u200b]/u);
    expect(await create(input({ e164: '+33611111111', lastName: '\u0000\u0007\t' }))).toEqual({ ok: false, problem: 'refused' });
    expect(f.posted).toHaveLength(1);
  });

  it('keeps emoji whole, and cuts a long name on a character, never inside one', async () => {
    const f = fakes();
    const create = createNewContacts(f.deps);
    // 199 letters then an emoji (two UTF-16 units): cut at 200 units it would leave half of it.
    await create(input({ firstName: `${'a'.repeat(199)}😀`, lastName: 'Dupont 😀' }));
    expect(f.posted[0]!.last_name).toBe('Dupont 😀');
    expect(f.posted[0]!.first_name).not.toMatch(/[\ud800-\udbff]$/);
    expect(f.posted[0]!.first_name).toBe('a'.repeat(199));
  });

  it('makes no second contact when asked again after the first was made, while Sellsy’s search does not show it yet', async () => {
    const f = fakes();
    const create = createNewContacts(f.deps);
    expect(await create(input())).toMatchObject({ ok: true, created: true });
    // A second panel, or the same one reopened, asks again: the search lags, the cache knows.
    expect(await create(input({ firstName: 'Paulo' }))).toEqual({ ok: true, created: false, name: 'Paul Inconnu' });
    expect(f.sellsy.createContact).toHaveBeenCalledTimes(1);
  });

  it('puts nothing in the cache of a Sellsy account connected while the contact was being made', async () => {
    const f = fakes();
    f.sellsy.createContact.mockImplementationOnce(async (fields) => {
      // Sellsy disconnected (the cache cleared) and another account connected meanwhile.
      f.clear();
      return { id: 900, last_name: fields.last_name, phone_number: fields.phone_number };
    });
    const create = createNewContacts(f.deps);
    expect(await create(input())).toMatchObject({ ok: true });
    expect(f.cached).toEqual([]);
    expect(f.contactAdded).not.toHaveBeenCalled();
  });
});
