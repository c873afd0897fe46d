import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { shootChecked } from './axe';
import { launchExtension, PRODUCTION_BUILD, type LoadedExtension } from './extension';

// Parsed and compiled in every frame of every Sellsy page: the content script has a budget.
const CONTENT_SCRIPT_BUDGET_KIB = 150;

let extension: LoadedExtension;

beforeAll(async () => {
  extension = await launchExtension({ build: PRODUCTION_BUILD });
});

afterAll(async () => {
  await extension?.close();
});

it('a build without a Sellsy client id says it cannot connect, and why', async () => {
  const manifest = (await extension.worker.evaluate('chrome.runtime.getManifest()')) as {
    host_permissions: string[];
    content_scripts: Array<{ matches: string[] }>;
  };
  // The production build reaches the real services only, and holds Allo's web app so the dialer's
  // frame keeps the user's Allo session (frames in extension pages are partitioned without it).
  expect(manifest.host_permissions).toEqual([
    'https://login.sellsy.com/*',
    'https://api.sellsy.com/*',
    'https://api.withallo.com/*',
    'https://web.withallo.com/*',
  ]);
  expect(manifest.content_scripts[0]?.matches).toEqual(['https://www.sellsy.com/*', 'https://www.sellsy.fr/*']);

  const popup = await extension.context.newPage();
  await popup.goto(`chrome-extension://${extension.extensionId}/popup.html`);
  // A salesperson cannot create the company's API access: the popup says who can, and gives a next step.
  await popup.getByText('An administrator of your company must create the Sellsy access first (5 minutes)', { exact: false }).waitFor();
  expect(await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).count()).toBe(0);
  await popup.getByRole('button', { name: 'Open the setup', exact: true }).waitFor();
  await popup.getByRole('button', { name: 'Copy instructions for my administrator', exact: true }).waitFor();
  await shootChecked(popup, 'en-US-0-no-sellsy-access', { width: 440, maxHeight: 900 });
  // Allo does not depend on Sellsy's client id.
  expect(await popup.getByLabel('Allo API key').count()).toBe(1);

  // The company's own API client, typed in the options, makes the same build connectable.
  const options = await extension.context.newPage();
  await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
  expect(await options.getByLabel('My company’s own API client').count()).toBe(0);
  await options.getByLabel('Client id').fill('acme-private-7f3a');
  await options.getByRole('button', { name: 'Save API access' }).click();
  await options.getByText('Saved.', { exact: true }).waitFor();
  await popup.reload();
  await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).waitFor();
});

it('gives a French salesperson the same next step, in French', async () => {
  const french = await launchExtension({ build: PRODUCTION_BUILD, lang: 'fr-FR' });
  try {
    const popup = await french.context.newPage();
    await popup.goto(`chrome-extension://${french.extensionId}/popup.html`);
    await popup.getByText(/Un administrateur de votre entreprise doit d’abord créer l’accès à Sellsy/).waitFor();
    await popup.getByRole('button', { name: 'Copier les instructions pour mon administrateur', exact: true }).waitFor();
    await shootChecked(popup, 'fr-FR-0-no-sellsy-access', { width: 440, maxHeight: 900 });
  } finally {
    await french.close();
  }
});

it(`the content script fits its ${CONTENT_SCRIPT_BUDGET_KIB} KiB budget`, async () => {
  const { size } = await stat(join(PRODUCTION_BUILD, 'content-scripts', 'sellsy.js'));
  expect(size / 1024).toBeLessThanOrEqual(CONTENT_SCRIPT_BUDGET_KIB);
});
