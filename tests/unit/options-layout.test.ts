/**
 * The options page as everyone sees it: the everyday settings first, "Administration" (the Sellsy
 * API access, the policy roll-out, the administrator's instructions) last, and what "Create lead
 * for unknown calls" does said right under it.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { onMessage } from '@/lib/messaging';
import { App } from '@/entrypoints/options/App';

let stops: Array<() => void> = [];

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
  // Diagnostics reads the version from the manifest.
  fakeBrowser.runtime.getManifest = (() => ({ manifest_version: 3, name: 'Allo for Sellsy', version: '0.0.0' })) as typeof fakeBrowser.runtime.getManifest;
  stops = [
    onMessage('getSellsyClient', () => ({
      source: 'user',
      clientId: 'acme-private-7f3a',
      hasSecret: false,
      buildHasClient: false,
      redirectUrl: 'https://id.chromiumapp.org/',
    })),
    onMessage('listAppHosts', () => ({ hosts: [], builtIn: ['www.sellsy.com'] }) as never),
    onMessage('getRecordLinks', () => {
      throw new Error('not needed here');
    }),
    onMessage('listAlloUsers', () => []),
  ];
});

afterEach(() => {
  for (const stop of stops) stop();
});

it('puts Administration last, with the API access, the policy roll-out and the instructions to copy', async () => {
  const root = document.createElement('div');
  document.body.append(root);
  render(h(App, {}), root);
  await expect.poll(() => root.querySelector('#client-id')).not.toBeNull();
  const cards = [...root.querySelectorAll('main > section.card')];
  const last = cards.at(-1)!;
  expect(last.querySelector('h2')?.textContent).toBe('optionsAdminHeading');
  expect(last.querySelector('#client-id')).not.toBeNull();
  expect(last.textContent).toContain('optionsPolicyRollout');
  expect(last.textContent).toContain('adminCopyInstructions');
  expect(last.textContent).toContain('apiTest');
  // Nothing of the API access anywhere before it.
  for (const card of cards.slice(0, -1)) expect(card.textContent).not.toContain('apiAccessHeading');
  // The lead option's help sits right under its label, and describes the checkbox.
  const label = root.querySelector('label[for="create-leads"]')!;
  expect(label.nextElementSibling?.textContent).toBe('createLeadsHelp');
  expect(root.querySelector('#create-leads')?.getAttribute('aria-describedby')).toBe(label.nextElementSibling?.id);
  render(null, root);
});

it('a link to one setting (options.html#create-leads, from the popup’s “Contact not found”) lands on it', async () => {
  location.hash = '#create-leads';
  const root = document.createElement('div');
  document.body.append(root);
  render(h(App, {}), root);
  await expect.poll(() => document.activeElement?.id).toBe('create-leads');
  render(null, root);
  location.hash = '';
});
