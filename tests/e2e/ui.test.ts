import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlloServer } from '../servers/allo';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import type { SellsyServer } from '../servers/sellsy';
import { launchExtension, type LoadedExtension } from './extension';
import { accessibilityViolations, SHOTS, shootChecked } from './axe';

/**
 * Screenshots of every popup state, in both languages (git-ignored; README shows copies), and
 * the usual state measured in Chrome's popup size: five calls and their buttons in 600 px.
 */

// Chrome caps a popup at 800 × 600 px and sizes it to its content: the body's 440 px at most.
const POPUP = { width: 440, height: 600 };

let sandbox: Sandbox;
let sellsy: SellsyServer;
let allo: AlloServer;

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true, contacts: 200 });
  ({ sellsy, allo } = sandbox);
});

afterAll(async () => {
  await sandbox?.close();
});

const shoot = (page: Page, name: string) => shootChecked(page, name, { width: POPUP.width, maxHeight: 900 });

const TEXT = {
  'en-US': {
    connect: 'Connect Sellsy',
    key: 'Allo API key',
    save: 'Save Allo key',
    progress: /First sync: [\d,]+ of [\d,]+/,
    lastSync: /Last sync/,
    logged: 'Logged on',
    waiting: /No Sellsy contact has this number yet/,
    deleted: /Contact deleted/,
    revoked: /Sellsy ended this browser’s access/,
    reconnect: 'Reconnect Sellsy',
    summary: /^[\d,]+ contacts, synced/,
    rhythm: /This browser looks for new calls every/,
    goneName: 'Gone',
    goneNumber: '06 55 00 00 01',
  },
  'fr-FR': {
    connect: 'Connecter Sellsy',
    key: 'Clé API Allo',
    save: 'Enregistrer la clé Allo',
    progress: /Première synchronisation\s: [\d\s]+ sur [\d\s]+/,
    lastSync: /Dernière synchronisation/,
    logged: /Ajouté à\s:/,
    waiting: /Aucun contact Sellsy n’a encore ce numéro/,
    deleted: /Contact supprimé/,
    revoked: /Sellsy a mis fin à l’accès de ce navigateur/,
    reconnect: 'Reconnecter Sellsy',
    summary: /^[\d\s]+ contacts, synchronisés/,
    rhythm: /Ce navigateur cherche les nouveaux appels (toutes les|chaque)/,
    goneName: 'Parti',
    goneNumber: '06 55 00 00 02',
  },
} as const;

describe.each(['en-US', 'fr-FR'] as const)('popup and options in %s', (lang) => {
  let extension: LoadedExtension;
  const text = TEXT[lang];

  beforeAll(async () => {
    extension = await launchExtension({ lang });
  });

  afterAll(async () => {
    await extension?.close();
  });

  async function popup(): Promise<Page> {
    const page = await extension.context.newPage();
    await page.goto(`chrome-extension://${extension.extensionId}/popup.html`);
    await page
      .getByRole('button', { name: text.connect, exact: true })
      .or(page.getByRole('heading', { level: 2 }).first())
      .first()
      .waitFor();
    return page;
  }

  it('every state is designed, readable in its language, and passes axe', async () => {
    let page = await popup();
    await shoot(page, `${lang}-1-not-connected`);

    // A contact that will be deleted in Sellsy once cached: its call ends "Contact deleted".
    const gone = sellsy.crm.addContact({ first_name: 'Paul', last_name: text.goneName, mobile_number: text.goneNumber });
    // Slow pages keep the first sync on screen long enough to see its progress.
    sellsy.faults.inject({ method: 'GET', path: '/v2/contacts' }, { delayMs: 2_000, times: 2 });
    await page.getByRole('button', { name: text.connect, exact: true }).click();
    await page.getByText(text.progress).waitFor({ timeout: 30_000 });
    await shoot(page, `${lang}-1b-first-sync`);
    await page.getByText(text.lastSync).waitFor({ timeout: 30_000 });
    sellsy.crm.deleteContact(gone.id);
    await page.getByLabel(text.key).fill('not-a-key');
    await page.getByRole('button', { name: text.save, exact: true }).click();
    await page.getByRole('alert').waitFor();
    await shoot(page, `${lang}-2-sellsy-connected-allo-key-refused`);

    // Five calls, as a salesperson's morning has them: logged (with recordings and Allo's
    // multi-line summaries), one waiting for a contact, one whose contact was deleted, one missed.
    allo.calls.add({ contact_number: '+33612345678', summary: 'Devis envoyé.\n- Rappeler lundi pour la signature\n- Envoyer la grille tarifaire 2027' });
    allo.calls.add({ contact_number: '+33472102030', summary: 'Acme veut trois licences de plus ; relance le 12 avec le contrat et les conditions.' });
    // One call lands on Marie Dupont, one waits for a contact with this number.
    allo.calls.add({ contact_number: lang === 'en-US' ? '+33699000111' : '+33699000222', summary: 'Inconnu, a demandé une démonstration.' });
    allo.calls.add({ contact_number: `+33${text.goneNumber.replace(/\s/g, '').slice(1)}`, summary: 'Plus de fiche.' });
    allo.calls.add({ contact_number: '+33612345678', result: null });
    await page.getByLabel(text.key).fill('allo-sandbox-key');
    await page.getByRole('button', { name: text.save, exact: true }).click();
    await page.close();
    page = await popup();
    await page.getByText(text.logged).first().waitFor({ timeout: 20_000 });
    await page.getByText(text.waiting).first().waitFor({ timeout: 20_000 });
    await page.getByText(text.deleted).first().waitFor({ timeout: 20_000 });
    // The other language's run left its five calls in the same Allo: the newest five are measured.
    await expect.poll(() => page.locator('li.call').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(5);

    // All is well: one status line, and how often this browser looks for calls, and why.
    await page.locator('.summary-line').getByText(text.summary).waitFor({ timeout: 20_000 });
    expect(await page.locator('.summary-line').getByText('Camille Martin').count()).toBe(1);
    await page.getByText(text.rhythm).waitFor({ timeout: 20_000 });
    await page.setViewportSize(POPUP);
    await page.screenshot({ path: join(SHOTS, `${lang}-3-calls.png`) });
    const outside = await page.evaluate(({ height }) => {
      const out: string[] = [];
      for (const row of [...document.querySelectorAll('li.call')].slice(0, 5)) {
        for (const part of [row, ...row.querySelectorAll('button')]) {
          const box = part.getBoundingClientRect();
          if (box.height === 0 || box.top < 0 || box.bottom > height)
            out.push(`${part.tagName} ${part.textContent?.slice(0, 40)}: ${Math.round(box.bottom)} px`);
        }
      }
      return out;
    }, POPUP);
    expect(outside).toEqual([]);
    // Retry and Listen share one row.
    const deletedRow = page.locator('li.call').filter({ hasText: text.deleted });
    const tops = await deletedRow.getByRole('button').evaluateAll((buttons) => buttons.map((button) => Math.round(button.getBoundingClientRect().top)));
    expect(tops).toHaveLength(2);
    expect(new Set(tops).size).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();

    sellsy.revokeAll();
    page = await popup();
    await page.getByText(text.revoked).first().waitFor({ timeout: 20_000 });
    // One way forward: Reconnect, not Connect and Disconnect side by side.
    await page.getByRole('button', { name: text.reconnect, exact: true }).waitFor();
    expect(await page.getByRole('button', { name: text.connect, exact: true }).count()).toBe(0);
    await shoot(page, `${lang}-4-sellsy-revoked`);
    await page.close();

    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await options.locator('select').first().waitFor();
    await options.setViewportSize({ width: 720, height: 900 });
    await options.screenshot({ path: join(SHOTS, `${lang}-5-options.png`) });
    expect(await accessibilityViolations(options)).toEqual([]);
    await options.close();
    // The next language starts from a fresh Sellsy session.
    sellsy.autoApprove = true;
  });
});
