// @vitest-environment node
/**
 * Hostile review of "Create contact" against the local Sellsy, with the real cache and call store:
 * a Sellsy account changed while the contact was made, and calls that belong to another account.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '@/lib/calls/call-record';
import { toCallRecord } from '@/lib/calls/call-poller';
import { NOT_FOUND_AFTER_MS } from '@/lib/calls/pipeline';
import { createNewContacts } from '@/lib/dialer/new-contact';
import { type Browser, type Clock, createBrowser, type Servers, startServers } from '../support/call-harness';

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

async function notFoundCall(browser: Browser): Promise<CallRecord> {
  const item = servers.allo.calls.add({ result: 'ANSWERED', duration: 90, contact_number: UNKNOWN });
  const call = toCallRecord(item as never, item.user.id, clock.now)!;
  await browser.calls.addIfNew(call);
  await browser.pipeline.run();
  clock.now += NOT_FOUND_AFTER_MS;
  await browser.pipeline.run();
  expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'contact_not_found' });
  return call;
}

describe('Create contact and Sellsy accounts', () => {
  it('puts the contact in no cache of an account connected while it was being made', async () => {
    const browser = createBrowser(servers, clock);
    await browser.sync.run();
    const create = createNewContacts({
      sellsy: {
        contactsWithNumber: (e164) => browser.sellsy.contactsWithNumber(e164),
        createContact: async (fields) => {
          const made = await browser.sellsy.createContact(fields);
          // Sellsy disconnected meanwhile: the cache is cleared for whoever connects next.
          await browser.cache.clear();
          return made;
        },
      },
      cache: browser.cache,
      country: async () => 'FR',
      companyLabel: 'Company:',
      contactAdded: (e164) => browser.pipeline.contactAdded(e164),
    });
    expect(await create({ e164: UNKNOWN, firstName: 'Paul', lastName: 'Inconnu', company: '' })).toMatchObject({ ok: true, created: true });
    expect(await browser.cache.findByNumber(UNKNOWN)).toEqual([]);
  });

  it('leaves a call of another Sellsy account as it was', async () => {
    const browser = createBrowser(servers, clock);
    await browser.sync.run();
    const call = await notFoundCall(browser);
    // The call was found while a colleague's Sellsy account was connected in this browser.
    await browser.calls.update(call.alloId, (latest) => ({ ...latest, account: '999999' }));
    const before = await browser.calls.get(call.alloId);
    await browser.pipeline.contactAdded(UNKNOWN);
    expect(await browser.calls.get(call.alloId)).toEqual(before);
  });
});
