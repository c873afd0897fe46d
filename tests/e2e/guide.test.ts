import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { guidePage, launchExtension, openPopup, type LoadedExtension } from './extension';
import { shootChecked } from './axe';

/** The guide's states in both languages; committed, since the README shows them. */

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true, contacts: 200 });
});

afterAll(async () => {
  await sandbox?.close();
});

const shoot = (page: Page, name: string) => shootChecked(page, name, { width: 680, maxHeight: 1400 });

const TEXT = {
  'en-US': {
    done: 'Done',
    connect: 'Connect Sellsy',
    key: 'Allo API key',
    save: 'Save Allo key',
    allDone: /All set/,
    keep: 'Keep this choice',
    guide: 'Setup guide',
  },
  'fr-FR': {
    done: 'Fait',
    connect: 'Connecter Sellsy',
    key: 'Clé API Allo',
    save: 'Enregistrer la clé Allo',
    allDone: /Tout est prêt/,
    keep: 'Garder ce choix',
    guide: 'Guide de configuration',
  },
} as const;

describe.each(['en-US', 'fr-FR'] as const)('first-run guide in %s', (lang) => {
  let extension: LoadedExtension;
  const text = TEXT[lang];

  beforeAll(async () => {
    extension = await launchExtension({ lang });
  });

  afterAll(async () => {
    await extension?.close();
  });

  it('opens by itself on install, and its steps turn done as the user goes', async () => {
    const guide = await guidePage(extension.context, extension.extensionId);
    await guide.getByRole('heading', { level: 1 }).waitFor();
    const doneSteps = guide.locator('.step-done');
    await guide.getByRole('button', { name: text.connect }).waitFor();
    expect(await doneSteps.count()).toBe(0);
    await shoot(guide, `${lang}-guide-1-fresh`);

    await guide.getByRole('button', { name: text.connect }).click();
    await guide.getByLabel(text.key, { exact: true }).fill('allo-sandbox-key');
    await guide.getByRole('button', { name: text.save }).click();
    await expect.poll(() => doneSteps.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await shoot(guide, `${lang}-guide-2-half-done`);

    await guide.getByRole('button', { name: text.keep }).click();
    // Whose calls: the background matches the Allo user by the staff's e-mail on its next poll.
    await extension.worker.evaluate('chrome.alarms.create("call-poll", { when: Date.now() })');
    // Six: the microphone is not needed when calls open in the phone app (the default).
    await expect.poll(() => doneSteps.count(), { timeout: 30_000 }).toBe(6);
    await guide.getByText(text.allDone).waitFor();
    await shoot(guide, `${lang}-guide-3-all-done`);
  });

  it('reopens from the popup by focusing the open guide, without a second tab', async () => {
    const isGuide = (page: Page) => page.url().endsWith('/guide.html');
    const popup = await openPopup(extension);
    await popup.getByRole('button', { name: text.guide }).click();
    await expect.poll(() => extension.context.pages().filter(isGuide).length).toBe(1);
    for (const page of extension.context.pages().filter(isGuide)) await page.close();
    const again = await openPopup(extension);
    await again.getByRole('button', { name: text.guide }).click();
    await expect.poll(() => extension.context.pages().filter(isGuide).length).toBe(1);
  });
});
