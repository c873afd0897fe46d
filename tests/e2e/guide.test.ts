import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { guidePage, launchExtension, openPopup, type LoadedExtension } from './extension';

/** The guide's states in both languages; committed, since the README shows them. */
const SHOTS = join(process.cwd(), 'tests', 'e2e', 'screenshots');
const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let sandbox: Sandbox;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  sandbox = await startSandbox({ autoApprove: true, contacts: 200 });
});

afterAll(async () => {
  await sandbox?.close();
});

async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(`${await axeSource}; undefined`);
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as {
    violations: Array<{ id: string; nodes: Array<{ target: string[] }> }>;
  };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 680, height: Math.min(1400, (await page.evaluate('document.body.scrollHeight + 16')) as number) });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  expect(await accessibilityViolations(page)).toEqual([]);
}

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
    await expect.poll(() => doneSteps.count(), { timeout: 30_000 }).toBe(5);
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
