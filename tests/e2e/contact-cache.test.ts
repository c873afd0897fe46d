import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../servers/pages-server';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import type { SellsyServer } from '../servers/sellsy';
import { launchExtension, openLinkedPage, openPopup as openPopupOf, type LoadedExtension } from './extension';

let extension: LoadedExtension;
let sandbox: Sandbox;
let sellsy: SellsyServer;
let pages: RunningServer;
let marie: { id: number };

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true, contacts: 3000 });
  ({ sellsy, pages } = sandbox);
  ({ marie } = sandbox.people);
  // As strict as Sellsy: the extension must keep to 5 requests a second by itself.
  sellsy.rateLimitPerSecond = 5;
  extension = await launchExtension();
});

afterAll(async () => {
  await extension?.close();
  await sandbox?.close();
});

interface SyncState {
  running?: boolean;
  lastSuccessAt?: number;
  cached?: number;
  lastError?: unknown;
}

async function syncState(): Promise<SyncState> {
  const { syncStatus } = (await extension.worker.evaluate(`chrome.storage.local.get('syncStatus')`)) as { syncStatus?: SyncState };
  return syncStatus ?? {};
}

const openPopup = () => openPopupOf(extension);

/** The tooltip a user sees on hovering a number (asked of the background on hover). */
async function tooltipOf(page: Page, selector: string, expected: string): Promise<void> {
  const target = page.locator(selector).first();
  await page.mouse.move(0, 0);
  await target.hover();
  await expect.poll(() => target.getAttribute('title'), { timeout: 5_000 }).toBe(expected);
}

describe('contact cache', () => {
  it('syncs Sellsy after connecting, with progress, and names numbers on Sellsy pages', async () => {
    const popup = await openPopup();
    await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).click();
    // Progress, then the result, while the popup stays open.
    await popup.getByText(/First sync: [\d,]+ of [\d,]+ contacts and companies read/).waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await syncState()).lastSuccessAt, { timeout: 60_000, interval: 500 }).toBeDefined();
    expect((await syncState()).lastError).toBeUndefined();
    await popup.getByText(/contacts and companies with a phone number/).waitFor();
    await popup.getByText(/Last sync:/).waitFor();
    expect((await syncState()).cached).toBeGreaterThan(2000);
    await popup.close();

    const page = await openLinkedPage(extension.context, `${pages.url}/contact.html`);
    await tooltipOf(page, 'span.phone >> text=06 12 34 56 78', 'Call Marie Dupont (Acme SAS) with Allo');
    await tooltipOf(page, 'a.allo-call-link >> text=04 72 10 20 30', 'Call Acme SAS with Allo');
    await tooltipOf(page, 'a.allo-call-link >> text=+44 20 7946 0958', 'Call with Allo (number not in Sellsy)');
    await page.close();
  });

  it('follows an edit in Sellsy after "Sync now"', async () => {
    const before = (await syncState()).lastSuccessAt!;
    sellsy.crm.updateContact(marie.id, { last_name: 'Durand' });
    const popup = await openPopup();
    await popup.getByRole('button', { name: 'Sync now', exact: true }).click();
    await expect.poll(async () => (await syncState()).lastSuccessAt, { timeout: 30_000, interval: 300 }).toBeGreaterThan(before);
    await popup.close();

    const page = await openLinkedPage(extension.context, `${pages.url}/contact.html`);
    await tooltipOf(page, 'span.phone >> text=06 12 34 56 78', 'Call Marie Durand (Acme SAS) with Allo');
    await page.close();
  });

  it('forgets what it mirrored when Sellsy is disconnected', async () => {
    const popup = await openPopup();
    await popup.getByRole('button', { name: 'Disconnect Sellsy', exact: true }).click();
    await popup.getByText('Not connected.', { exact: false }).waitFor();
    await popup.close();
    const count = await extension.worker.evaluate(`new Promise((resolve) => {
      const open = indexedDB.open('allo-for-sellsy');
      open.onsuccess = () => { const req = open.result.transaction('records').objectStore('records').count(); req.onsuccess = () => resolve(req.result); };
    })`);
    expect(count).toBe(0);
  });
});
