import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { accessibilityViolations, SHOTS } from './axe';
import { launchExtension, openPopup, type LoadedExtension } from './extension';

// A company's own private API client, entered at run time: the local Sellsy knows only this
// client, so the build's own client id would be refused, as Sellsy refuses an unknown client.
const COMPANY_CLIENT = 'acme-private-7f3a';

let extension: LoadedExtension;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ contacts: 20 });
  sandbox.sellsy.clientId = COMPANY_CLIENT;
  extension = await launchExtension();
});

afterAll(async () => {
  await extension?.close();
  await sandbox?.close();
});

/** Saves the typed client; leaving the build's client is a change, confirmed in a second click. */
async function saveClient(options: Page) {
  await options.getByRole('button', { name: 'Save API access' }).click();
  const confirm = options.getByRole('button', { name: 'Change and disconnect' });
  await confirm
    .or(options.getByText('Saved.', { exact: true }))
    .first()
    .waitFor();
  if (await confirm.count()) await confirm.click();
  await options.getByText('Saved.', { exact: true }).waitFor();
}

async function testConnection(options: Page, expected: string | RegExp) {
  await options.getByRole('button', { name: 'Test the connection' }).click();
  await options.locator('.access-test [role="status"]').getByText(expected).waitFor({ timeout: 15_000 });
}

/** The Administration section, where the API access is (the last of a long page), then axe on the page. */
async function shootAdministration(options: Page, name: string) {
  await options.setViewportSize({ width: 720, height: 1000 });
  await mkdir(SHOTS, { recursive: true });
  await options.locator('section[aria-labelledby="admin-heading"]').screenshot({ path: join(SHOTS, `${name}.png`) });
  expect(await accessibilityViolations(options)).toEqual([]);
}

async function openOptions() {
  const page = await extension.context.newPage();
  await page.goto(`chrome-extension://${extension.extensionId}/options.html`);
  await page.getByRole('heading', { name: 'Sellsy API access' }).waitFor();
  return page;
}

describe('Sellsy API access set at run time', () => {
  it('shows the redirect URL to register and the scopes, and refuses what cannot be a client id', async () => {
    const options = await openOptions();
    await options.getByLabel('My company’s own API client').check();
    expect(await options.locator('#redirect-url').textContent()).toBe(`https://${extension.extensionId}.chromiumapp.org/`);
    expect(await options.locator('.api-access').getByText('contacts.read contacts.write').count()).toBe(1);
    await shootAdministration(options, 'en-US-6-api-access');
    await options.getByLabel('Client id').fill('https://www.sellsy.com/developer');
    await options.getByRole('button', { name: 'Save API access' }).click();
    await options.getByRole('alert').getByText('This does not look like a Sellsy client id').waitFor();
    await options.close();
  });

  it('with a client Sellsy does not know, the closed window says what to check', async () => {
    const options = await openOptions();
    await options.getByLabel('My company’s own API client').check();
    await options.getByLabel('Client id').fill('acme-typo-0000');
    // Leaving the build's client disconnects Sellsy: said once, as a question, at the change.
    await options.getByRole('button', { name: 'Save API access' }).click();
    await options.getByText('Changing the API access disconnects Sellsy').waitFor();
    await shootAdministration(options, 'en-US-7-api-access-confirm');
    await options.getByRole('button', { name: 'Change and disconnect' }).click();
    await options.getByText('Saved.', { exact: true }).waitFor();
    // Sellsy itself says the client is unknown, before anyone tries to sign in.
    await testConnection(options, /Sellsy does not know this API client/);
    const popup = await openPopup(extension);
    await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).click();
    // Sellsy shows an unknown client as an error page of its own, never as an answer: Chromium
    // ends the flow on it (or the user closes it). Either way the popup says what to check.
    const message = popup.getByText('check the client id and that the redirect URL below is registered');
    await expect
      .poll(
        async () => {
          for (const page of extension.context.pages()) if (page.url().includes('/oauth2/authorization')) await page.close();
          return message.count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(sandbox.sellsy.stats.codesExchanged).toBe(0);
    await popup.close();
    await options.close();
  });

  it('connects a team’s Sellsy with the client id typed in the options, without rebuilding', async () => {
    const options = await openOptions();
    await options.getByLabel('My company’s own API client').check();
    await options.getByLabel('Client id').fill(COMPANY_CLIENT);
    await saveClient(options);
    await testConnection(options, /Sellsy knows this API access/);
    const popup = await openPopup(extension);
    const signIn = extension.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).click();
    const sellsyPage = await signIn;
    expect(new URL(sellsyPage.url()).searchParams.get('client_id')).toBe(COMPANY_CLIENT);
    await sellsyPage.getByRole('button', { name: 'Approve', exact: true }).click();
    await popup.getByText('Connected as Camille Martin').waitFor();
    // Connected: the test is a real API read as the person.
    await testConnection(options, 'Sellsy answered: the API access works, connected as Camille Martin.');
    await shootAdministration(options, 'en-US-8-api-access-tested');
    // Neither the client nor its tokens are within reach of a page.
    const local = (await extension.worker.evaluate(`chrome.storage.local.get('sellsyClient')`)) as { sellsyClient?: { clientId: string } };
    expect(local.sellsyClient?.clientId).toBe(COMPANY_CLIENT);
    await popup.close();
    await options.close();
  });
});
