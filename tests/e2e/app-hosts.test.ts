/**
 * Sellsy's app at an address the build does not know (issue: "If Sellsy's app is at another
 * address"): no links there until the user adds it from the popup's offer; then links at once and
 * after a browser restart; record links follow the paths set in the options; removing the
 * address removes the links and the permission. Chrome's permission prompt cannot be answered
 * from a test: the host is granted in the closed profile as Chrome stores a "yes"
 * (`grantHostInProfile`), so the offer's `permissions.request` resolves with no prompt.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { grantHostInProfile, launchExtension, linkedNumbers, openLinkedPage, openPopup, waitForQuiet, type LoadedExtension } from './extension';

const HOST = 'eu.sellsy.com';
const PAGE = `https://${HOST}/directory/contacts`;
// A Sellsy-like list, served for the address by the test (no network, no certificate).
const HTML = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Contacts – Sellsy</title></head><body>
<table><tr><td>Marie Dupont</td><td>06 12 34 56 78</td></tr><tr><td>Acme SA</td><td>+33 1 23 45 67 89</td></tr></table></body></html>`;

let sandbox: Sandbox;
let profile: string;
let extension: LoadedExtension;

async function serveTheAddress(context: BrowserContext): Promise<void> {
  await context.route(`https://${HOST}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: HTML }));
}

async function start(): Promise<LoadedExtension> {
  const launched = await launchExtension({ profile });
  await serveTheAddress(launched.context);
  return launched;
}

const permissionHeld = () => extension.worker.evaluate(`chrome.permissions.contains({ origins: ['https://${HOST}/*'] })`);

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true, contacts: 20 });
  profile = await mkdtemp(join(tmpdir(), 'allo-e2e-hosts-'));
  // Installed, and Sellsy connected and synced (a record to open with "Test a link").
  extension = await start();
  const popup = await openPopup(extension);
  await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).click();
  const synced = async () =>
    ((await extension.worker.evaluate(`chrome.storage.local.get('syncStatus')`)) as { syncStatus?: { lastSuccessAt?: number } }).syncStatus?.lastSuccessAt;
  const deadline = Date.now() + 60_000;
  while (!(await synced())) {
    if (Date.now() > deadline) throw new Error('The first sync did not finish');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const { extensionId } = extension;
  await extension.close();
  await grantHostInProfile(profile, extensionId, `https://${HOST}/*`);
  extension = await start();
}, 120_000);

afterAll(async () => {
  await extension?.close();
  await sandbox?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

/** The popup as Chrome opens it over the Sellsy tab: a tab of the same window, the Sellsy tab staying active. */
async function popupOver(page: Page): Promise<Page> {
  const opened = extension.context.waitForEvent('page');
  await page.bringToFront();
  await extension.worker.evaluate(`(async () => {
    const [tab] = await chrome.tabs.query({ url: 'https://${HOST}/*' });
    await chrome.tabs.create({ url: chrome.runtime.getURL('popup.html'), windowId: tab.windowId, active: false });
  })()`);
  return opened;
}

it('gets no links on an address the build does not know; the popup offers it, and once added the numbers are linked at once', async () => {
  const page = await openLinkedPage(extension.context, PAGE);
  expect(await linkedNumbers(page)).toEqual([]);
  const popup = await popupOver(page);
  await popup.getByRole('heading', { name: 'Sellsy at another address?' }).waitFor();
  await popup.getByRole('button', { name: `Add ${HOST}` }).click();
  // The offer reloads the Sellsy tab, where the content script now runs.
  await expect.poll(() => linkedNumbers(page), { timeout: 10_000 }).toEqual(['+33123456789', '+33612345678']);
  expect(await permissionHeld()).toBe(true);
});

it('still links there after a browser restart', async () => {
  await extension.close();
  extension = await start();
  // Started with --load-extension, an unpacked extension is loaded afresh at each launch, which
  // drops scripts registered at run time as an update does; the worker registers them again as
  // it starts (AppHosts.refresh), which is what this waits for.
  await expect
    .poll(() => extension.worker.evaluate(`chrome.scripting.getRegisteredContentScripts().then((scripts) => scripts.map((s) => s.matches))`), {
      timeout: 10_000,
    })
    .toEqual([[`https://${HOST}/*`]]);
  const page = await openLinkedPage(extension.context, PAGE);
  expect(await linkedNumbers(page)).toEqual(['+33123456789', '+33612345678']);
});

it('opens a record at the address and path set in the options (“Test a link”)', async () => {
  const options = await extension.context.newPage();
  await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
  await options.locator('#record-app-url').fill(`https://${HOST}`);
  await options.locator('#record-path-contact').fill('crm/contacts/{id}/overview');
  await options.getByRole('button', { name: 'Save the links' }).click();
  await options.getByText('Saved: new links use these addresses.').waitFor();
  const url = new RegExp(`^https://${HOST.replaceAll('.', '\\.')}/crm/contacts/\\d+/overview$`);
  // The tab it opens asks for that address (the test's routing may attach to a new tab too late
  // to serve it, so the request, not the page, is what is checked).
  const asked = extension.context.waitForEvent('request', { predicate: (request) => url.test(request.url()), timeout: 10_000 });
  await options.getByRole('button', { name: 'Test a link: Contact page' }).click();
  await asked;
  await options.getByText(/crm\/contacts\/\d+\/overview/).waitFor();
});

it('removing the address removes its links and gives the permission back', async () => {
  const options = await extension.context.newPage();
  await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
  await options.getByRole('button', { name: `Remove ${HOST}` }).click();
  await expect.poll(permissionHeld).toBe(false);
  const page = await extension.context.newPage();
  await page.goto(PAGE);
  await waitForQuiet(page);
  expect(await linkedNumbers(page)).toEqual([]);
});
