import * as v from 'valibot';
import type { SellsyClient } from './api-client';
import { SellsyError } from './errors';

/** Sellsy contacts as the call log needs them (leads for unknown numbers, a contact's companies). */

export interface SellsyContact {
  id: number;
  first_name?: string | null;
  last_name?: string | null;
  phone_number?: string | null;
  mobile_number?: string | null;
  updated?: string | null;
}

const ContactItem = v.object({
  id: v.number(),
  first_name: v.nullish(v.string()),
  last_name: v.nullish(v.string()),
  phone_number: v.nullish(v.string()),
  mobile_number: v.nullish(v.string()),
  updated: v.nullish(v.string()),
});
const Rows = v.object({ data: v.array(v.unknown()) });
const CompanyRef = v.object({ id: v.number() });

/** Contacts whose phone or mobile is exactly this E.164 number, lowest id first. */
export async function contactsWithNumber(client: SellsyClient, e164: string): Promise<SellsyContact[]> {
  const found = new Map<number, SellsyContact>();
  for (const field of ['phone_number', 'mobile_number'] as const) {
    const reply = await client.request('POST', '/contacts/search?limit=100', Rows, { filters: { [field]: e164 } }, { attempts: 3 });
    for (const row of reply.data) {
      const parsed = v.safeParse(ContactItem, row);
      if (parsed.success) found.set(parsed.output.id, parsed.output);
    }
  }
  return [...found.values()].sort((a, b) => a.id - b.id);
}

/** What a new contact is made with (`ContactCreateItem`: only `last_name` is required, 200 characters at most). */
export interface NewContactFields {
  first_name?: string;
  last_name: string;
  phone_number: string;
  /** Free text on the contact (the company a person typed, where no company is linked). */
  note?: string;
}

/** One POST, never repeated here: a creation whose answer is lost is looked for by number before another. */
export async function createContact(client: SellsyClient, fields: NewContactFields): Promise<SellsyContact> {
  return client.request('POST', '/contacts', ContactItem, fields);
}

/** False when it was already gone. */
export async function deleteContact(client: SellsyClient, id: number): Promise<boolean> {
  try {
    await client.request('DELETE', `/contacts/${id}`, v.unknown(), undefined, { attempts: 3 });
    return true;
  } catch (error) {
    if (error instanceof SellsyError && error.code === 'not-found') return false;
    throw error;
  }
}

/** The ids of the companies a contact belongs to. */
export async function companiesOfContact(client: SellsyClient, contactId: number): Promise<number[]> {
  const reply = await client.request('GET', `/contacts/${contactId}/companies`, Rows, undefined, { attempts: 3 });
  return reply.data.flatMap((row) => {
    const parsed = v.safeParse(CompanyRef, row);
    return parsed.success ? [parsed.output.id] : [];
  });
}
