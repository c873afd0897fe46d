import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlloServer } from '../servers/allo';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { PAGES_PORT } from '../servers/sandbox-ports';
import type { SellsyServer } from '../servers/sellsy';
import { connectSandboxServices, launchExtension, openPopup as openPopupOf, type LoadedExtension } from './extension';

let extension: LoadedExtension;
let sandbox: Sandbox;
let sellsy: SellsyServer;
let allo: AlloServer;

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true, contacts: 300 });
  ({ sellsy, allo } = sandbox);
  extension = await launchExtension();
  await connectSandboxServices(extension);
});

afterAll(async () => {
  await extension?.close();
  await sandbox?.close();
});

const openPopup = () => openPopupOf(extension);

/** The row of a call in the popup, found by what it shows first (a name or the number). */
function callRow(popup: Page, text: string) {
  return popup.locator('li.call').filter({ hasText: text }).first();
}

/** When the last contact sync finished (it moves once "Sync now" is done). */
async function lastSync(): Promise<number> {
  const { syncStatus } = (await extension.worker.evaluate(`chrome.storage.local.get('syncStatus')`)) as { syncStatus?: { lastSuccessAt?: number } };
  return syncStatus?.lastSuccessAt ?? 0;
}

const phoneCallsOf = (alloId: string) => [...sellsy.phoneCalls.items.values()].filter((p) => p.description?.includes(`[Allo call ${alloId}]`));
const createdFor = (alloId: string) => sellsy.phoneCalls.created.filter((p) => p.description?.includes(`[Allo call ${alloId}]`));

/** Re-opens the popup until the call's row shows `text` (each opening asks for new calls). */
async function waitForRow(name: string, text: string | RegExp, timeoutMs = 30_000): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const popup = await openPopup();
    try {
      await callRow(popup, name).getByText(text).waitFor({ timeout: 6_000 });
      return popup;
    } catch (error) {
      await popup.close();
      if (Date.now() > deadline) throw error;
    }
  }
}

describe('call logging', () => {
  it('polls Allo about every minute and syncs contacts every 10 minutes', async () => {
    const alarms = (await extension.worker.evaluate('chrome.alarms.getAll()')) as Array<{ name: string; periodInMinutes: number }>;
    expect(Object.fromEntries(alarms.map((a) => [a.name, a.periodInMinutes]))).toEqual({ 'call-poll': 1, 'contact-sync': 10 });
  });

  it('logs a new Allo call on the matching Sellsy contact, and the popup shows ✓', async () => {
    const call = allo.calls.add({ contact_number: '+33612345678', direction: 'OUTBOUND', summary: 'Devis envoyé, rappel lundi.' });
    const popup = await waitForRow('Marie Dupont', 'Logged on');
    expect(await callRow(popup, 'Marie Dupont').getByRole('link', { name: 'Marie Dupont' }).getAttribute('href')).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${PAGES_PORT}/peoples/\\d+$`),
    );
    expect(phoneCallsOf(call.id)).toHaveLength(1);
    expect(phoneCallsOf(call.id)[0]).toMatchObject({ source: 'outcoming', result: { id: 'connected' } });
    expect(phoneCallsOf(call.id)[0]?.description).toContain('Devis envoyé, rappel lundi.');
    await popup.close();
  });

  it('still logs a call exactly once when the service worker is stopped while posting it', async () => {
    // Sellsy takes its time: the worker is stopped while the POST is in flight; Sellsy stores it anyway.
    sellsy.faults.inject({ method: 'POST', path: '/v2/phone-calls' }, { delayMs: 4_000 });
    const call = allo.calls.add({ contact_number: '+33123456789', summary: 'Appel pendant un arrêt du service worker.' });
    const popup = await openPopup();
    await expect
      .poll(() => sellsy.requests.some((r) => r.method === 'POST' && r.path === '/v2/phone-calls' && JSON.stringify(r.body).includes(call.id)), {
        timeout: 20_000,
      })
      .toBe(true);
    const cdp = await extension.context.newCDPSession(popup);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await popup.close();
    await expect.poll(() => createdFor(call.id).length, { timeout: 10_000 }).toBe(1);

    // Woken by the popup, the worker finds the call in `posting`, searches, and does not post again.
    const after = await waitForRow('Marie Dupont', 'Logged on', 40_000);
    await after.close();
    expect(createdFor(call.id)).toHaveLength(1);
    expect(phoneCallsOf(call.id)).toHaveLength(1);
  });

  it('keeps an unknown number pending, then logs it on a new lead once the option is on', async () => {
    const call = allo.calls.add({ contact_number: '+33655501234', summary: 'Nouveau prospect.', contacts: [{ id: 'cnt-9', name: 'Léa Nouvelle' }] });
    const popup = await waitForRow('Léa Nouvelle', /No Sellsy contact has this number yet/);
    await popup.close();

    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await options.getByLabel('Create lead for unknown calls').check();
    await options.getByText('Saved.').waitFor();
    await options.close();

    // The call is retried at its next attempt (10 minutes); Retry is not offered while pending,
    // so time is skipped by asking the worker to process it now.
    await extension.worker.evaluate(`new Promise((resolve) => {
      const open = indexedDB.open('allo-for-sellsy');
      open.onsuccess = () => {
        const store = open.result.transaction('calls', 'readwrite').objectStore('calls');
        const get = store.get('${call.id}');
        get.onsuccess = () => { store.put({ ...get.result, nextAttemptAt: 0 }).onsuccess = resolve; };
      };
    })`);
    const logged = await waitForRow('Léa Nouvelle', 'Logged on', 40_000);
    await logged.close();
    const lead = [...sellsy.crm.contacts.values()].find((c) => c.phone_number === '+33655501234');
    expect(lead?.last_name).toBe('Léa Nouvelle');
    expect(phoneCallsOf(call.id)[0]?.related).toEqual([{ type: 'contact', id: lead!.id }]);
  });

  it('says "Contact deleted" when the contact is gone from Sellsy, and Retry works once it is back', async () => {
    const popup = await openPopup();
    const paul = sellsy.crm.addContact({ first_name: 'Paul', last_name: 'Éphémère', mobile_number: '06 77 88 99 00' });
    const syncedBefore = await lastSync();
    await popup.getByRole('button', { name: 'Sync now', exact: true }).click();
    await expect.poll(lastSync, { timeout: 20_000 }).toBeGreaterThan(syncedBefore);
    await popup.close();
    sellsy.crm.deleteContact(paul.id);
    allo.calls.add({ contact_number: '+33677889900', summary: 'Plus de fiche.' });
    const deleted = await waitForRow('Paul Éphémère', /Contact deleted/, 40_000);
    // The toolbar badge counts the calls in error.
    expect(await extension.worker.evaluate('chrome.action.getBadgeText({})')).toBe('1');

    // Paul comes back in Sellsy; after a sync, Retry logs the call on him.
    const again = sellsy.crm.addContact({ first_name: 'Paul', last_name: 'Revenu', mobile_number: '06 77 88 99 00' });
    const resyncedBefore = await lastSync();
    await deleted.getByRole('button', { name: 'Sync now', exact: true }).click();
    await expect.poll(lastSync, { timeout: 20_000 }).toBeGreaterThan(resyncedBefore);
    await callRow(deleted, 'Paul Éphémère').getByRole('button', { name: 'Retry', exact: true }).click();
    await deleted.locator('li.call').filter({ hasText: 'Logged on' }).filter({ hasText: 'Paul Revenu' }).waitFor({ timeout: 20_000 });
    await deleted.close();
    expect(sellsy.phoneCalls.byRelated('contact', again.id)).toHaveLength(1);
    await expect.poll(() => extension.worker.evaluate('chrome.action.getBadgeText({})')).toBe('');
  });
});

describe('when Allo stops accepting the key', () => {
  it('says so in the popup instead of silently finding no call', async () => {
    allo.keys['allo-sandbox-key'] = { ...allo.keys['allo-sandbox-key']!, revoked: true };
    const popup = await openPopup();
    await popup.getByText('Allo no longer accepts this API key', { exact: false }).waitFor({ timeout: 20_000 });
    await popup.close();
  });
});
