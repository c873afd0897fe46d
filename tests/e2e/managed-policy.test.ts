import { mkdir, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { launchExtension, openPopup, type LoadedExtension } from './extension';

// Chromium on Linux reads an administrator's policies from this folder (root only), and reloads
// them when it changes. The file affects every Chromium on the machine, so it exists only while
// this file's tests run (the e2e files run one at a time).
const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/allo-for-sellsy-e2e.json`;
const EXTENSION_ID = 'mmckljamldhefiejejlhbcojnndnfpon';
const ADMIN_CLIENT = 'acme-admin-5e1c';

const policy = {
  '3rdparty': {
    extensions: {
      [EXTENSION_ID]: {
        sellsyClientId: ADMIN_CLIENT,
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

async function writePolicy(): Promise<string | undefined> {
  try {
    await mkdir(POLICY_DIR, { recursive: true });
    await writeFile(POLICY_FILE, JSON.stringify(policy));
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
});
