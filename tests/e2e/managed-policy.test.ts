import { mkdir, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { evaluateInContentScript, launchExtension, linkedNumbers, openLinkedPage, openPopup, type LoadedExtension } from './extension';

// Chromium on Linux reads an administrator's policies from this folder (root only), and reloads
// them when it changes. The file affects every Chromium on the machine, so it exists only while
// this file's tests run (the e2e files run one at a time).
const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/allo-for-sellsy-e2e.json`;
const EXTENSION_ID = 'mmckljamldhefiejejlhbcojnndnfpon';
const ADMIN_CLIENT = 'acme-admin-5e1c';
const ADMIN_SECRET = 'acme-admin-secret-7f3a';
// On the contact page, "04 72 10 20 30" is a Lyon number in France and a mobile in Belgium.
const LYON_AS_BELGIAN = '+32472102030';
const LYON_AS_FRENCH = '+33472102030';

const policy = {
  '3rdparty': {
    extensions: {
      [EXTENSION_ID]: {
        sellsyClientId: ADMIN_CLIENT,
        sellsyClientSecret: ADMIN_SECRET,
        alloApiKey: 'allo-sandbox-key',
        createLeads: true,
        callTarget: 'callto',
        defaultCountry: 'BE',
        backfillDays: 7,
        matchAlloUserByEmail: true,
      },
    },
  },
};

async function writePolicy(content: unknown = policy): Promise<string | undefined> {
  try {
    await mkdir(POLICY_DIR, { recursive: true });
    await writeFile(POLICY_FILE, JSON.stringify(content));
    return undefined;
  } catch (error) {
    return `cannot write ${POLICY_FILE} (${(error as Error).message}); run as root to test Chrome policy`;
  }
}

describe('set up by an administrator through Chrome policy', () => {
  let extension: LoadedExtension;
  let sandbox: Sandbox;
  let skipReason: string | undefined;

  beforeAll(async () => {
    // Written when this file runs, not when it is collected: no other test's Chromium sees it.
    skipReason = await writePolicy();
    if (skipReason) {
      console.warn(`Skipping the managed-policy tests: ${skipReason}`);
      return;
    }
    sandbox = await startSandbox({ contacts: 20 });
    sandbox.sellsy.clientId = ADMIN_CLIENT;
    extension = await launchExtension();
  });

  afterAll(async () => {
    await rm(POLICY_FILE, { force: true });
    await extension?.close();
    await sandbox?.close();
  });

  it('connects Allo with the administrator’s key, with no one typing it', async (ctx) => {
    if (skipReason) return ctx.skip();
    const popup = await openPopup(extension);
    await popup.getByText('The Allo API key was set by your administrator.').waitFor();
    expect(await popup.getByLabel('Allo API key').count()).toBe(0);
    expect(await popup.getByRole('button', { name: 'Disconnect Allo' }).count()).toBe(0);
    await popup.close();
  });

  it('shows every managed setting locked as set by the administrator', async (ctx) => {
    if (skipReason) return ctx.skip();
    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await options.getByText(`Set by your administrator (client ${ADMIN_CLIENT}).`).waitFor();
    expect(await options.getByLabel('Client id').count()).toBe(0);
    await expect.poll(() => options.locator('#create-leads').isChecked()).toBe(true);
    expect(await options.locator('#create-leads').isDisabled()).toBe(true);
    expect(await options.locator('#backfill').inputValue()).toBe('7');
    expect(await options.locator('#backfill').isDisabled()).toBe(true);
    expect(await options.locator('#target').inputValue()).toBe('callto');
    expect(await options.locator('#target').isDisabled()).toBe(true);
    expect(await options.locator('#country').inputValue()).toBe('BE');
    expect(await options.locator('#country').isDisabled()).toBe(true);
    expect(await options.getByText('Set by your administrator', { exact: true }).count()).toBeGreaterThanOrEqual(5);
    // The key itself is never shown to a page.
    expect(await options.content()).not.toContain('allo-sandbox-key');
    await options.close();
  });

  it('connects Sellsy with the administrator’s client id', async (ctx) => {
    if (skipReason) return ctx.skip();
    const popup = await openPopup(extension);
    const signIn = extension.context.waitForEvent('page');
    await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).click();
    const sellsyPage = await signIn;
    expect(new URL(sellsyPage.url()).searchParams.get('client_id')).toBe(ADMIN_CLIENT);
    await sellsyPage.getByRole('button', { name: 'Approve', exact: true }).click();
    await popup.getByText('Connected as Camille Martin').waitFor();
    await popup.close();
  });

  it('keeps the policy’s secrets away from Sellsy’s pages, and still applies its country there', async (ctx) => {
    if (skipReason) return ctx.skip();
    const page = await openLinkedPage(extension.context, `${sandbox.pages.url}/contact.html`);
    const managed = await evaluateInContentScript(
      extension.context,
      page,
      `chrome.storage.managed.get(null).then((all) => JSON.stringify(all), (error) => 'refused: ' + error.message)`,
    );
    expect(managed).toMatch(/^refused: /);
    expect(managed).not.toContain(ADMIN_SECRET);
    // The background relays the non-secret values: the administrator's Belgium applies.
    await expect.poll(() => linkedNumbers(page)).toContain(LYON_AS_BELGIAN);
    await page.close();
  });

  it('an open Sellsy tab follows a policy change at once, with no reload', async (ctx) => {
    if (skipReason) return ctx.skip();
    const page = await openLinkedPage(extension.context, `${sandbox.pages.url}/contact.html`);
    await expect.poll(() => linkedNumbers(page)).toContain(LYON_AS_BELGIAN);
    const { defaultCountry: _belgium, ...rest } = policy['3rdparty'].extensions[EXTENSION_ID];
    await writePolicy({ '3rdparty': { extensions: { [EXTENSION_ID]: { ...rest, defaultCountry: 'FR' } } } });
    // Chromium notices the policy file within seconds and the page rescans with France.
    await expect.poll(() => linkedNumbers(page), { timeout: 30_000, interval: 500 }).toContain(LYON_AS_FRENCH);
    expect(await linkedNumbers(page)).not.toContain(LYON_AS_BELGIAN);
    await page.close();
    await writePolicy();
  });
});
