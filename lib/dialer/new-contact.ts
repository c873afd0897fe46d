import { plainLine } from '../text/plain-line';
import type { CountryCode } from 'libphonenumber-js/min';
import type { RecordCache } from '../cache/records';
import type { SellsyForCalls } from '../calls/sellsy-for-calls';
import type { SellsyContact } from '../sellsy/contacts';
import { toCachedRecord } from '../sellsy/crm-records';
import { isDisconnection, SellsyError } from '../sellsy/errors';
import { COMPANY_MAX, NAME_MAX, type NewContactInput, type NewContactProblem, type NewContactResult } from './new-contact-shape';

export { COMPANY_MAX, NAME_MAX, type NewContactInput, type NewContactProblem, type NewContactResult } from './new-contact-shape';

/**
 * The side panel's "Create contact" for a number no Sellsy record has: one Sellsy contact with
 * the names the person typed, put in the cache at once, and the calls with the number that wait
 * as "Contact not found" matched again at once (the call pipeline logs them, exactly once).
 */

export interface NewContactDeps {
  sellsy: Pick<SellsyForCalls, 'contactsWithNumber' | 'createContact'>;
  cache: Pick<RecordCache, 'put' | 'findByNumber' | 'generation'>;
  /** The default country, to read the contact's phone fields as the sync does. */
  country(): Promise<CountryCode>;
  /** The words before the typed company in the contact's note ("Company:"). */
  companyLabel: string;
  /** The contact is in the cache: the calls with the number waiting for a contact are matched again. */
  contactAdded(e164: string): Promise<void>;
}

export function createNewContacts(deps: NewContactDeps): (input: NewContactInput) => Promise<NewContactResult> {
  // A second click (or a second panel) while the first is working shares its answer: one POST.
  const working = new Map<string, Promise<NewContactResult>>();
  return (input) => {
    const pending = working.get(input.e164);
    if (pending) return pending;
    const done = create(deps, input).finally(() => working.delete(input.e164));
    working.set(input.e164, done);
    return done;
  };
}

async function create(deps: NewContactDeps, input: NewContactInput): Promise<NewContactResult> {
  const firstName = cleaned(input.firstName, NAME_MAX);
  const lastName = cleaned(input.lastName, NAME_MAX);
  const company = cleaned(input.company, COMPANY_MAX);
  if (!lastName) return { ok: false, problem: 'refused' };
  // The cache, as it stood when the work began: a Sellsy account connected meanwhile gets nothing of it.
  const generation = await deps.cache.generation();
  // Already in the cache (this form sent a moment ago from another panel, or before the worker
  // restarted): Sellsy's search may not show a contact made a moment ago, the cache does.
  const [known] = await deps.cache.findByNumber(input.e164);
  if (known) {
    await deps.contactAdded(input.e164).catch(() => undefined);
    return { ok: true, created: false, name: known.name || lastName };
  }
  let contact: SellsyContact;
  let created = false;
  try {
    // Looked for first, as for a lead: a POST whose answer was lost may have made it, and a
    // colleague may have added the number since the last sync. Never a second contact.
    const [existing] = await deps.sellsy.contactsWithNumber(input.e164);
    if (existing) contact = existing;
    else {
      contact = await deps.sellsy.createContact({
        ...(firstName ? { first_name: firstName } : {}),
        last_name: lastName,
        phone_number: input.e164,
        ...(company ? { note: `${deps.companyLabel} ${company}` } : {}),
      });
      created = true;
    }
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  }
  // The shape the sync gives it (name words included, by the cache): found by number and by name at once.
  const record = toCachedRecord('contact', { ...contact, phone_number: contact.phone_number ?? input.e164 }, await deps.country());
  const kept = record ? await deps.cache.put(record, generation) : (await deps.cache.generation()) === generation;
  // The contact exists whatever happens next: a failed re-match waits for the next pass or sync.
  if (kept) await deps.contactAdded(input.e164).catch(() => undefined);
  return { ok: true, created, name: record?.name ?? ([contact.first_name, contact.last_name].filter(Boolean).join(' ') || lastName) };
}

/** One plain line (a pasted line break, a NUL, a bidi override would garble Sellsy's page), at most `max` UTF-16 units, never half an emoji. */
function cleaned(text: string, max: number): string {
  let out = plainLine(text).slice(0, max);
  if (/[\ud800-\udbff]$/.test(out)) out = out.slice(0, -1);
  return out.trim();
}

function problemOf(error: unknown): NewContactProblem {
  if (!(error instanceof SellsyError)) return 'refused';
  if (isDisconnection(error.code)) return 'disconnected';
  switch (error.code) {
    case 'forbidden':
    case 'scope-refused':
      return 'no-rights';
    case 'network':
      return 'offline';
    case 'rate-limited':
    case 'server':
      return 'busy';
    default:
      return 'refused';
  }
}
