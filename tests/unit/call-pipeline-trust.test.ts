// @vitest-environment node
/**
 * The promises of the call log under a hostile fault model: each case here was a way to lose a
 * call, log it twice, or erase what a person wrote.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toCallRecord } from '@/lib/calls/call-poller';
import { CallStore } from '@/lib/calls/call-store';
import { callMarker, hasOwnBlock, isUntouchedBlock, replaceBlock, writeBlock } from '@/lib/calls/description-block';
import { NOT_FOUND_AFTER_MS, SEARCH_SETTLE_MS, SUMMARY_WAIT_MS } from '@/lib/calls/pipeline';
import type { NewCallItem } from '../servers/allo-calls';
import { createBrowser, startServers, type Browser, type Clock, type Servers } from '../support/call-harness';

let servers: Servers;
let clock: Clock;

beforeEach(async () => {
  servers = await startServers();
  clock = { now: Date.now() };
});

afterEach(async () => {
  await servers.close();
});

const USER = 'usr-camille4242';

/** Phone Calls that hold a block of ours for this call. */
const phoneCallsFor = (alloId: string) => [...servers.sellsy.phoneCalls.items.values()].filter((p) => hasOwnBlock(p.description, alloId));

function allo(fields: NewCallItem = {}) {
  const item = servers.allo.calls.add({ result: 'ANSWERED', duration: 90, summary: 'Interested in the Pro plan.', ...fields });
  return toCallRecord(item as never, item.user.id, clock.now)!;
}

async function syncedBrowser(): Promise<Browser> {
  const browser = createBrowser(servers, clock);
  await browser.sync.run();
  return browser;
}

async function settle(...browsers: Browser[]): Promise<void> {
  await Promise.all(browsers.map((b) => b.pipeline.run()));
  clock.now += SEARCH_SETTLE_MS;
  await Promise.all(browsers.map((b) => b.pipeline.run()));
}

describe('description block', () => {
  it('finds its marker only as the closing line of a block of ours, never quoted inside text', () => {
    const block = writeBlock('cll-1', ['Summary: see [Allo call cll-2]', '[Allo call cll-2]', 'In Allo: https://web.withallo.com/']);
    expect(hasOwnBlock(block, 'cll-1')).toBe(true);
    expect(hasOwnBlock(block, 'cll-2')).toBe(false);
    expect(hasOwnBlock(`Note: copied from ${callMarker('cll-3')}\n${callMarker('cll-3')}`, 'cll-3')).toBe(false);
  });

  it('tells an untouched block from one a person wrote around or inside', () => {
    const block = writeBlock('cll-1', ['Summary: ok', 'In Allo: https://web.withallo.com/']);
    expect(isUntouchedBlock(block, 'cll-1')).toBe(true);
    expect(isUntouchedBlock(block.replace(/\n/g, '\r\n'), 'cll-1')).toBe(true);
    expect(isUntouchedBlock(block.replace(/\n/g, '<br />'), 'cll-1')).toBe(true);
    // A quoted line keeps its checksum when read back without its trailing spaces.
    const quoting = writeBlock('cll-1', ['[Allo call cll-9]   ', 'In Allo: https://web.withallo.com/']);
    expect(isUntouchedBlock(quoting.replace(/ +\n/g, '\n'), 'cll-1')).toBe(true);
    expect(isUntouchedBlock(`Rappeler lundi\n${block}`, 'cll-1')).toBe(false);
    expect(isUntouchedBlock(block.replace('Summary: ok', 'Summary: ok, rappeler'), 'cll-1')).toBe(false);
  });

  it('replaces only its block and appends when the block was edited inside', () => {
    const old = writeBlock('cll-1', ['Summary: old', 'In Allo: https://web.withallo.com/']);
    const fresh = writeBlock('cll-1', ['Summary: new', 'In Allo: https://web.withallo.com/']);
    expect(replaceBlock(`Avant\n${old}\nAprès`, 'cll-1', fresh)).toBe(`Avant\n${fresh}\nAprès`);
    const edited = old.replace('Summary: old', 'Summary: old (corrigé)');
    expect(replaceBlock(edited, 'cll-1', fresh)).toBe(`${edited}\n\n${fresh}`);
  });
});

describe('two browsers whose caches differ (defect 1)', () => {
  it('keeps the contact covered when one browser knew only the company', async () => {
    const company = servers.sellsy.crm.addCompany({ name: 'Standard SA', phone_number: '01 44 55 66 70' });
    const first = await syncedBrowser();
    // Created after the first browser synced: only the second knows the contact.
    const contact = servers.sellsy.crm.addContact({ last_name: 'Nouveau', phone_number: '01 44 55 66 70' });
    servers.sellsy.crm.link(contact.id, company.id);
    const second = await syncedBrowser();
    const call = allo({ contact_number: '+33144556670' });
    await first.calls.addIfNew({ ...call });
    await second.calls.addIfNew({ ...call });
    await settle(first, second);
    await settle(first, second);

    const copies = phoneCallsFor(call.alloId);
    const relating = (type: string, id: number) => copies.filter((p) => p.related.some((r) => r.type === type && r.id === id));
    expect(relating('contact', contact.id)).toHaveLength(1);
    expect(relating('company', company.id)).toHaveLength(1);
    // Both browsers point at a Phone Call that exists.
    for (const browser of [first, second]) {
      for (const target of (await browser.calls.get(call.alloId))!.targets) {
        expect(target.state).toBe('done');
        expect(servers.sellsy.phoneCalls.items.has(target.sellsyPhoneCallId!)).toBe(true);
      }
    }
  });
});

describe('search lagging behind writes', () => {
  it('converges on one Phone Call when neither browser could see the other’s at first', async () => {
    servers.sellsy.phoneCalls.searchLag = { ms: 30_000, now: () => clock.now };
    servers.sellsy.crm.addContact({ last_name: 'Retard', mobile_number: '06 22 33 44 56' });
    const [first, second] = [await syncedBrowser(), await syncedBrowser()];
    const call = allo({ contact_number: '+33622334456' });
    await first.calls.addIfNew({ ...call });
    await second.calls.addIfNew({ ...call });
    await Promise.all([first.pipeline.run(), second.pipeline.run()]);
    expect(phoneCallsFor(call.alloId)).toHaveLength(2);
    // Nothing is deleted on a search that cannot show the other copy yet.
    expect(servers.sellsy.phoneCalls.deleted).toEqual([]);
    clock.now += SEARCH_SETTLE_MS;
    await Promise.all([first.pipeline.run(), second.pipeline.run()]);
    expect(phoneCallsFor(call.alloId)).toHaveLength(1);
  });

  it('does not post again while a lost POST may not be searchable yet', async () => {
    servers.sellsy.phoneCalls.searchLag = { ms: 30_000, now: () => clock.now };
    servers.sellsy.crm.addContact({ last_name: 'Perdu', mobile_number: '06 22 33 44 57' });
    const browser = await syncedBrowser();
    const call = allo({ contact_number: '+33622334457' });
    await browser.calls.addIfNew(call);
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/phone-calls' }, { drop: 'after' });
    await browser.pipeline.run();
    clock.now += 10_000;
    await browser.restart().pipeline.run();
    expect(servers.sellsy.phoneCalls.created.filter((p) => hasOwnBlock(p.description, call.alloId))).toHaveLength(1);
    clock.now += SEARCH_SETTLE_MS;
    await settle(browser.restart());
    expect(servers.sellsy.phoneCalls.created.filter((p) => hasOwnBlock(p.description, call.alloId))).toHaveLength(1);
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced', targets: [{ state: 'done' }] });
  });
});

describe('what a person wrote', () => {
  it('keeps a note prepended to the Phone Call when the late summary arrives (defect 4)', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Note', mobile_number: '06 55 44 33 20' });
    const browser = await syncedBrowser();
    const call = allo({ contact_number: '+33655443320', summary: null, date: new Date(clock.now) });
    await browser.calls.addIfNew(call);
    clock.now += SUMMARY_WAIT_MS + 60_000;
    await settle(browser);
    const [posted] = phoneCallsFor(call.alloId);
    servers.sellsy.phoneCalls.update(posted!.id, { description: `Rappeler jeudi — Camille\n${posted!.description}` });

    servers.allo.calls.setSummary(call.alloId, 'Wants a demo on Friday.');
    await browser.poller.poll(USER, clock.now - 60 * 60_000);
    await browser.pipeline.run();
    const description = servers.sellsy.phoneCalls.items.get(posted!.id)!.description!;
    expect(description.startsWith('Rappeler jeudi — Camille\n')).toBe(true);
    expect(description).toContain('Summary: Wants a demo on Friday.');
    expect(description).not.toContain('not available yet');
  });

  it('never deletes a copy a person has edited, even when it is redundant', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Edité', mobile_number: '06 55 44 33 21' });
    const [first, second] = [await syncedBrowser(), await syncedBrowser()];
    const call = allo({ contact_number: '+33655443321' });
    await first.calls.addIfNew({ ...call });
    await second.calls.addIfNew({ ...call });
    servers.sellsy.phoneCalls.searchLag = { ms: 30_000, now: () => clock.now };
    await Promise.all([first.pipeline.run(), second.pipeline.run()]);
    const copies = phoneCallsFor(call.alloId);
    expect(copies).toHaveLength(2);
    const edited = copies.at(-1)!;
    servers.sellsy.phoneCalls.update(edited.id, { description: `${edited.description}\nDevis envoyé.` });
    clock.now += SEARCH_SETTLE_MS;
    await Promise.all([first.pipeline.run(), second.pipeline.run()]);
    expect(servers.sellsy.phoneCalls.items.get(edited.id)?.description).toContain('Devis envoyé.');
  });

  it('does not take a call quoted in another call’s summary for that call (defect 5)', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Citation', mobile_number: '06 55 44 33 22' });
    const browser = await syncedBrowser();
    const quoted = allo({ contact_number: '+33655443322', date: new Date(clock.now - 120_000) });
    const quoting = allo({ contact_number: '+33655443322', summary: `As said before:\n${callMarker(quoted.alloId)}`, date: new Date(clock.now - 300_000) });
    await browser.calls.addIfNew(quoting);
    await settle(browser);
    // The quoted call's POST is lost before Sellsy stores it: it must be posted, not "found".
    await browser.calls.addIfNew(quoted);
    servers.sellsy.faults.inject({ method: 'POST', path: '/v2/phone-calls' }, { drop: 'before' });
    await browser.pipeline.run();
    clock.now += SEARCH_SETTLE_MS;
    await settle(browser);
    expect(phoneCallsFor(quoted.alloId)).toHaveLength(1);
    expect(phoneCallsFor(quoting.alloId)).toHaveLength(1);
    expect(phoneCallsFor(quoted.alloId)[0]!.id).not.toBe(phoneCallsFor(quoting.alloId)[0]!.id);
  });
});

describe('call records', () => {
  it('never declares "Contact not found" while the first sync is unfinished (defect 10)', async () => {
    const browser = createBrowser(servers, clock);
    const call = allo({ contact_number: '+33699887700' });
    await browser.calls.addIfNew(call);
    clock.now += NOT_FOUND_AFTER_MS + 60_000;
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'pending', waitingFor: 'contact' });
    await browser.sync.run();
    await browser.pipeline.run({ contactsChanged: true });
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'contact_not_found' });
  });

  it('keeps a posted call posted when the poller read it before the pipeline wrote (defect 11)', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Course', mobile_number: '06 55 44 33 23' });
    const browser = await syncedBrowser();
    const call = allo({ contact_number: '+33655443323', summary: null, date: new Date(clock.now - SUMMARY_WAIT_MS - 60_000) });
    await browser.poller.poll(USER, clock.now - 60 * 60_000);
    servers.allo.calls.setSummary(call.alloId, 'Late summary.');
    // Whatever the poller reads, a whole pass of the pipeline happens before it writes back.
    let armed = true;
    let raced = false;
    const original = CallStore.prototype.get;
    browser.calls.get = async function (this: CallStore, alloId: string) {
      const value = await original.call(this, alloId);
      if (armed && !raced) {
        raced = true;
        await browser.pipeline.run();
      }
      return value;
    };
    await browser.poller.poll(USER, clock.now - 60 * 60_000);
    armed = false;
    if (!raced) await browser.pipeline.run();
    const saved = await original.call(browser.calls, call.alloId);
    expect(saved).toMatchObject({ state: 'synced', summary: 'Late summary.' });
    expect(saved?.targets).toHaveLength(1);
  });

  it('does not undo a pass that ran while Retry was being pressed (defect 11, Retry)', async () => {
    const browser = await syncedBrowser();
    const call = allo({ contact_number: '+33699887701' });
    await browser.calls.addIfNew({ ...call, state: 'failed', error: { code: 'failed', message: 'x' } });
    const original = CallStore.prototype.get;
    let raced = false;
    browser.calls.get = async function (this: CallStore, alloId: string) {
      const value = await original.call(this, alloId);
      if (!raced) {
        raced = true;
        await browser.calls.update(alloId, (c) => ({ ...c, summary: 'Written meanwhile.' }));
      }
      return value;
    };
    await browser.pipeline.retry(call.alloId);
    expect(await original.call(browser.calls, call.alloId)).toMatchObject({ summary: 'Written meanwhile.' });
  });

  it('leaves a call found under another Sellsy account to that account (defect 7)', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Compte', mobile_number: '06 55 44 33 24' });
    const browser = await syncedBrowser();
    const call = allo({ contact_number: '+33655443324' });
    await browser.calls.addIfNew({ ...call, account: '999' });
    await browser.pipeline.run();
    expect(phoneCallsFor(call.alloId)).toHaveLength(0);
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'pending', account: '999' });
    await browser.calls.update(call.alloId, (c) => ({ ...c, account: String(servers.sellsy.staff.id) }));
    await browser.pipeline.run();
    expect(phoneCallsFor(call.alloId)).toHaveLength(1);
  });

  it('starts a new poll position for another Sellsy account, stamping its calls (defect 7)', async () => {
    const browser = await syncedBrowser();
    await browser.poller.poll(USER, clock.now - 60_000, '4242');
    const call = allo({ contact_number: '+33655443325', date: new Date(clock.now - 3 * 24 * 3600_000) });
    // The other account asks for three days back: its first poll starts there, not at the old watermark.
    await browser.poller.poll(USER, clock.now - 4 * 24 * 3600_000, '5150');
    expect(await browser.calls.get(call.alloId)).toMatchObject({ account: '5150' });
  });
});

describe('Sellsy refusing or failing', () => {
  it('keeps the contact cached when the 404 was about its company, and logs the call on the contact (defect 6)', async () => {
    const company = servers.sellsy.crm.addCompany({ name: 'Fermée SA', phone_number: '01 44 55 66 71' });
    const contact = servers.sellsy.crm.addContact({ last_name: 'Restée', phone_number: '01 44 55 66 71' });
    servers.sellsy.crm.link(contact.id, company.id);
    const browser = await syncedBrowser();
    servers.sellsy.crm.deleteCompany(company.id);
    const call = allo({ contact_number: '+33144556671' });
    await browser.calls.addIfNew(call);
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced' });
    expect(phoneCallsFor(call.alloId).map((p) => p.related)).toEqual([[{ type: 'contact', id: contact.id }]]);
    expect((await browser.cache.findByNumber('+33144556671')).map((r) => r.key)).toEqual([`contact:${contact.id}`]);
  });

  it('logs the call when the user may not delete Phone Calls (defect 14)', async () => {
    servers.sellsy.crm.addContact({ last_name: 'Droits', mobile_number: '06 55 44 33 26' });
    const [first, second] = [await syncedBrowser(), await syncedBrowser()];
    const call = allo({ contact_number: '+33655443326' });
    await first.calls.addIfNew({ ...call });
    await second.calls.addIfNew({ ...call });
    servers.sellsy.faults.inject({ method: 'DELETE', path: /^\/v2\/phone-calls\/\d+$/ }, { status: 403 });
    await settle(first, second);
    for (const browser of [first, second]) {
      expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'synced', targets: [{ state: 'done' }] });
    }
  });

  it('waits for reconnection, not "failed", when the authorization itself fails', async () => {
    servers.sellsy.crm.addContact({ last_name: 'OAuth', mobile_number: '06 55 44 33 27' });
    const browser = await syncedBrowser();
    const call = allo({ contact_number: '+33655443327' });
    await browser.calls.addIfNew(call);
    // The access token expired and Sellsy's sign-in refuses the refresh with a 403.
    servers.sellsy.expireAccessTokens();
    servers.sellsy.faults.inject({ method: 'POST', path: '/oauth2/access-tokens' }, { status: 403 });
    await browser.pipeline.run();
    expect(await browser.calls.get(call.alloId)).toMatchObject({ state: 'integration_disconnected', waitingFor: 'reconnect' });
  });
});
