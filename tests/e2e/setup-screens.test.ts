import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { accessibilityViolations, SHOTS, shootChecked } from './axe';
import { guidePage, launchExtension, PRODUCTION_BUILD, type LoadedExtension } from './extension';

/**
 * A production build as a salesperson first meets it (no Sellsy API access yet), in both
 * languages: the guide says an administrator creates the access and offers their instructions,
 * and the options keep the administration for last.
 */

const TEXT = {
  'en-US': {
    needsAdmin: /An administrator of your company must create the Sellsy API access first/,
    copy: 'Copy instructions for my administrator',
    elsewhere: /in the options/i,
    admin: 'Administration',
    test: 'Test the connection',
    save: 'Save API access',
    saved: 'Saved.',
    confirm: /Changing the API access disconnects Sellsy/,
    keep: 'Keep the current one',
  },
  'fr-FR': {
    needsAdmin: /Un administrateur de votre entreprise doit d’abord créer l’accès API Sellsy/,
    copy: 'Copier les instructions pour mon administrateur',
    elsewhere: /dans les paramètres/i,
    admin: 'Administration',
    test: 'Tester la connexion',
    save: 'Enregistrer l’accès API',
    saved: 'Enregistré.',
    confirm: /Changer d’accès API déconnecte Sellsy/,
    keep: 'Garder l’accès actuel',
  },
} as const;

describe.each(['en-US', 'fr-FR'] as const)('setup of a production build in %s', (lang) => {
  let extension: LoadedExtension;
  const text = TEXT[lang];

  beforeAll(async () => {
    extension = await launchExtension({ lang, build: PRODUCTION_BUILD });
  });

  afterAll(async () => {
    await extension?.close();
  });

  it('the guide’s first step says who creates the access, offers their instructions, and sends no one elsewhere', async () => {
    const guide = await guidePage(extension.context, extension.extensionId);
    const step = guide.locator('section[aria-labelledby="step-sellsy-title"]');
    await step.getByText(text.needsAdmin).waitFor();
    await step.getByRole('button', { name: text.copy }).waitFor();
    // The form is on this page: the API access is typed here (once Chrome has said there is no
    // policy client, which takes seconds at its first start).
    await step.locator('#client-id').waitFor();
    expect(await step.locator('#client-id').isVisible()).toBe(true);
    expect(await step.textContent()).not.toMatch(text.elsewhere);
    await shootChecked(guide, `${lang}-guide-0-needs-admin`, { width: 680, maxHeight: 1600 });
  });

  it('the options put Administration last, with Test the connection', async () => {
    const options: Page = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await options.locator('#client-id').waitFor();
    const headings = await options.locator('main > section.card > h2').allInnerTexts();
    expect(headings.at(-1)).toBe(text.admin);
    const admin = options.locator('section[aria-labelledby="admin-heading"]');
    await admin.getByRole('button', { name: text.copy }).waitFor();
    // Nothing is set yet: the test says so without asking Sellsy.
    expect(await admin.getByRole('button', { name: text.test }).count()).toBe(0);
    await shootChecked(options, `${lang}-9-options-production`, { width: 720, maxHeight: 3200 });

    // A first access is saved at once; a change of it is asked, once, as a question.
    await options.locator('#client-id').fill('acme-private-7f3a');
    await admin.getByRole('button', { name: text.save }).click();
    await options.getByText(text.saved, { exact: true }).waitFor();
    expect(await admin.getByText(text.confirm).count()).toBe(0);
    await admin.getByRole('button', { name: text.test }).waitFor();
    await options.locator('#client-id').fill('acme-other-0001');
    await admin.getByRole('button', { name: text.save }).click();
    await admin.getByText(text.confirm).waitFor();
    await options.setViewportSize({ width: 720, height: 1000 });
    await admin.screenshot({ path: join(SHOTS, `${lang}-7-api-access-confirm.png`) });
    expect(await accessibilityViolations(options)).toEqual([]);
    await admin.getByRole('button', { name: text.keep }).click();
    expect(await admin.getByText(text.confirm).count()).toBe(0);
    await options.close();
  });
});
