import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../servers/pages-server';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import type { SellsyServer } from '../servers/sellsy';
import { evaluateInContentScript, launchExtension, openLinkedPage, openPopup as openPopupOf, type LoadedExtension } from './extension';

let extension: LoadedExtension;
let sandbox: Sandbox;
let sellsy: SellsyServer;
let pages: RunningServer;

beforeAll(async () => {
  sandbox = await startSandbox({ contacts: 100 });
  ({ sellsy, pages } = sandbox);
  extension = await launchExtension();
});

afterAll(async () => {
  await extension?.close();
  await sandbox?.close();
});

beforeEach(() => {
  sellsy.autoApprove = false;
});

const openPopup = () => openPopupOf(extension);

async function storedSecrets(): Promise<Record<string, unknown>> {
  return (await extension.worker.evaluate(`chrome.storage.local.get(['sellsyTokens', 'alloApiKey'])`)) as Record<string, unknown>;
}

describe('Sellsy', () => {
  it('connects through Sellsy’s sign-in page and shows who is connected', async () => {
    const popup = await openPopup();
    await expect.poll(() => popup.getByText('Not connected.').count()).toBe(1);
    const signIn = extension.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).click();
    const sellsyPage = await signIn;
    await sellsyPage.getByRole('button', { name: 'Approve', exact: true }).click();
    await popup.getByText('Connected as Camille Martin').waitFor();
    expect(await popup.getByRole('button', { name: 'Disconnect Sellsy', exact: true }).count()).toBe(1);
    expect(sellsy.stats.codesExchanged).toBe(1);
    expect((await storedSecrets()).sellsyTokens).toMatchObject({ accessToken: expect.any(String) });
    await popup.close();
  });

  it('keeps the tokens out of reach of content scripts', async () => {
    const page = await openLinkedPage(extension.context, `${pages.url}/contact.html`);
    // The content script's world can read the settings it needs…
    expect(await evaluateInContentScript(extension.context, page, `chrome.storage.sync.get(null).then(() => 'readable')`)).toBe('readable');
    // …and not the local area where the tokens are.
    const local = await evaluateInContentScript(
      extension.context,
      page,
      `chrome.storage.local.get(null).then((all) => JSON.stringify(all), (error) => 'refused: ' + error.message)`,
    );
    expect(local).toMatch(/^refused: /);
    await page.close();
  });

  it('says Sellsy ended the access, with one Reconnect, once Sellsy has revoked it and the next request fails', async () => {
    sellsy.revokeAll();
    const popup = await openPopup();
    await popup.getByText('Sellsy ended this browser’s access. Your calls wait to be added to Sellsy: none is lost.').waitFor();
    // One way forward, not Connect and Disconnect side by side.
    expect(await popup.getByRole('button', { name: 'Reconnect Sellsy', exact: true }).count()).toBe(1);
    expect(await popup.getByRole('button', { name: /Connect Sellsy|Disconnect Sellsy/ }).count()).toBe(0);
    expect((await storedSecrets()).sellsyTokens).toBeUndefined();

    sellsy.autoApprove = true;
    await popup.getByRole('button', { name: 'Reconnect Sellsy', exact: true }).click();
    await popup.getByText('Connected as Camille Martin').waitFor();
    await popup.close();
  });

  it('refreshes an expired access token without bothering the user', async () => {
    sellsy.expireAccessTokens();
    const refreshes = sellsy.stats.refreshes;
    const popup = await openPopup();
    await expect.poll(() => sellsy.stats.refreshes).toBe(refreshes + 1);
    await popup.getByText('Connected as Camille Martin').waitFor();
    await popup.close();
  });

  it('says so when the user closes the Sellsy window', async () => {
    const popup = await openPopup();
    await popup.getByRole('button', { name: 'Disconnect Sellsy', exact: true }).click();
    await popup.getByText('Not connected.').first().waitFor();
    expect((await storedSecrets()).sellsyTokens).toBeUndefined();
    const signIn = extension.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).click();
    await (await signIn).close();
    await popup.getByText('The Sellsy window was closed before access was granted.', { exact: false }).waitFor();
    await popup.close();
  });
});

describe('Allo', () => {
  it('explains a bad key, a key that cannot read calls, then accepts a good one', async () => {
    const popup = await openPopup();
    const key = popup.getByLabel('Allo API key');
    const save = popup.getByRole('button', { name: 'Save Allo key', exact: true });

    await key.fill('ak_live_not_a_key');
    await save.click();
    await popup.getByRole('alert').getByText('Allo does not recognise this key.', { exact: false }).waitFor();

    await key.fill('allo-no-calls-key');
    await save.click();
    await popup.getByRole('alert').getByText('This key cannot read calls.', { exact: false }).waitFor();

    await key.fill('allo-trial-key');
    await save.click();
    await popup.getByRole('alert').getByText('not available on trial plans', { exact: false }).waitFor();

    await key.fill('allo-sandbox-key');
    await save.click();
    await popup.getByText('Connected to Allo', { exact: false }).waitFor();
    expect((await storedSecrets()).alloApiKey).toBe('allo-sandbox-key');

    await popup.getByRole('button', { name: 'Disconnect Allo', exact: true }).click();
    await popup.getByLabel('Allo API key').waitFor();
    expect((await storedSecrets()).alloApiKey).toBeUndefined();
    await popup.close();
  });
});

describe('in French', () => {
  it('speaks French to a French browser, with the same controls', async () => {
    const french = await launchExtension({ lang: 'fr-FR' });
    try {
      const popup = await french.context.newPage();
      await popup.goto(`chrome-extension://${french.extensionId}/popup.html`);
      await popup.getByRole('button', { name: 'Connecter Sellsy', exact: true }).waitFor();
      expect(await popup.getByLabel('Clé API Allo').count()).toBe(1);
      await popup.getByLabel('Clé API Allo').fill('ak_live_not_a_key');
      await popup.getByRole('button', { name: 'Enregistrer la clé Allo', exact: true }).click();
      await popup.getByRole('alert').getByText('Allo ne reconnaît pas cette clé.', { exact: false }).waitFor();
    } finally {
      await french.close();
    }
  });
});
