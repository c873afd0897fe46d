import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { shootChecked } from './axe';
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
    expect(await options.getByText('contacts.read contacts.write').count()).toBe(1);
    await shootChecked(options, 'en-US-6-api-access', { width: 720, maxHeight: 1400 });
    await options.getByLabel('Client id').fill('https://www.sellsy.com/developer');
    await options.getByRole('button', { name: 'Save API access' }).click();
    await options.getByRole('alert').getByText('This does not look like a Sellsy client id').waitFor();
    await options.close();
  });

  it('with a client Sellsy does not know, the closed window says what to check', async () => {
    const options = await openOptions();
    await options.getByLabel('My company’s own API client').check();
    await options.getByLabel('Client id').fill('acme-typo-0000');
    await options.getByRole('button', { name: 'Save API access' }).click();
    await options.getByText('Saved.', { exact: true }).waitFor();
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
    await options.getByRole('button', { name: 'Save API access' }).click();
    await options.getByText('Saved.', { exact: true }).waitFor();
    const popup = await openPopup(extension);
    const signIn = extension.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).click();
    const sellsyPage = await signIn;
    expect(new URL(sellsyPage.url()).searchParams.get('client_id')).toBe(COMPANY_CLIENT);
    await sellsyPage.getByRole('button', { name: 'Approve', exact: true }).click();
    await popup.getByText('Connected as Camille Martin').waitFor();
    // Neither the client nor its tokens are within reach of a page.
    const local = (await extension.worker.evaluate(`chrome.storage.local.get('sellsyClient')`)) as { sellsyClient?: { clientId: string } };
    expect(local.sellsyClient?.clientId).toBe(COMPANY_CLIENT);
    await popup.close();
    await options.close();
  });
});
