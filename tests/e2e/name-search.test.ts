import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { shootChecked } from './axe';
import { launchExtension, openPopup, setMicrophone, type LoadedExtension } from './extension';

/**
 * Calling someone by name from the side panel, with the keyboard only: the search over the
 * cache the sync filled, Enter on the first number, arrows to another, and each number handed to
 * Allo's dialer beside it. Screenshots in both languages (git-ignored; the README shows copies).
 */

const MARIE_LANDLINE = '+33123456789';
const MARIE_MOBILE = '+33612345678';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true, contacts: 40 });
  sandbox.sellsy.crm.addContact({ civility: 'mrs', first_name: 'Éloïse', last_name: 'Dupuis', mobile_number: '06 11 22 33 44' });
});

afterAll(async () => {
  await sandbox?.close();
});

const TEXT = {
  'en-US': { lastSync: /Last sync/, label: 'Call someone by name', none: 'Nobody by that name in your Sellsy contacts.' },
  'fr-FR': { lastSync: /Dernière synchronisation/, label: 'Appeler quelqu’un par son nom', none: 'Personne de ce nom dans vos contacts Sellsy.' },
} as const;

describe.each(['en-US', 'fr-FR'] as const)('the side panel’s search by name in %s', (lang) => {
  let extension: LoadedExtension;
  let panel: Page;
  const text = TEXT[lang];

  beforeAll(async () => {
    sandbox.dialer.mode = 'normal';
    extension = await launchExtension({ lang });
    await setMicrophone(extension, 'granted');
    const popup = await openPopup(extension);
    await popup.getByRole('button', { name: /Connect(er)? Sellsy/ }).click();
    await popup.getByText(text.lastSync).waitFor({ timeout: 30_000 });
    await popup.close();
    await extension.worker.evaluate(`chrome.storage.sync.set({ callTarget: 'allo-dialer' })`);
    panel = await extension.context.newPage();
    await panel.setViewportSize({ width: 400, height: 900 });
    await panel.goto(`chrome-extension://${extension.extensionId}/sidepanel.html`);
    // The dialer double's frame, loaded and showing its keypad or its sign-in.
    await panel.locator('iframe.dialer').waitFor();
    const dialer = (await (await panel.locator('iframe.dialer').elementHandle())?.contentFrame()) as Frame;
    await dialer.locator('#keypad:not([hidden]), #sign-in:not([hidden])').first().waitFor();
  });

  afterAll(async () => {
    await extension?.close();
  });

  it('finds Marie Dupont by "dup mar" and calls her first number with Enter, then another with the arrows', async () => {
    // Keyboard only: Tab reaches the search box first.
    await panel.keyboard.press('Tab');
    expect(await panel.evaluate(() => document.activeElement?.id)).toBe('name-search');
    await panel.keyboard.type('dup mar');
    await panel.locator('.found li', { hasText: 'Marie Dupont' }).waitFor();
    expect(await panel.locator('.found a').allTextContents()).toEqual(['Marie Dupont']);
    await shootChecked(panel, `${lang}-panel-search-1-found`);

    const before = sandbox.dialer.dialed.length;
    await panel.keyboard.press('Enter');
    await expect.poll(() => sandbox.dialer.dialed.slice(before), { timeout: 6_000 }).toEqual([MARIE_LANDLINE]);

    await panel.keyboard.press('ArrowDown');
    await panel.keyboard.press('ArrowDown');
    await panel.keyboard.press('Enter');
    await expect.poll(() => sandbox.dialer.dialed.slice(before), { timeout: 6_000 }).toEqual([MARIE_LANDLINE, MARIE_MOBILE]);
  });

  it('ignores accents and case, finds by company, and says when nobody has the name', async () => {
    await panel.locator('#name-search').fill('ELOISE dupu');
    await panel.locator('.found li', { hasText: 'Éloïse Dupuis' }).waitFor();
    await panel.locator('#name-search').fill('acme');
    await panel.locator('.found a', { hasText: 'Acme SAS' }).waitFor();
    expect(await panel.locator('.found a').allTextContents()).toEqual(expect.arrayContaining(['Acme SAS', 'Marie Dupont']));
    await panel.locator('#name-search').fill('zzzz');
    await panel.getByText(text.none).waitFor();
    await shootChecked(panel, `${lang}-panel-search-2-none`);
    await panel.keyboard.press('Escape');
    expect(await panel.locator('#name-search').inputValue()).toBe('');
  });
});
