/**
 * The popup's Allo card when the administrator set the key: a key Allo refused is named as the
 * administrator's, with Allo's reason, and there is no field for the user's own key instead.
 */
import { h, render } from 'preact';
import { beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AlloConnection } from '@/components/AlloConnection';
import type { AlloStatus } from '@/lib/connection/status';

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
});

function card(status: AlloStatus): HTMLElement {
  const root = document.createElement('div');
  render(h(AlloConnection, { status, busy: false, error: undefined, onSave: async () => false, onDisconnect: () => undefined }), root);
  return root;
}

it.each<[string, AlloStatus, string[]]>([
  ['refused by Allo', { state: 'disconnected', managed: { refused: { code: 'revoked', message: 'revoked' } } }, ['alloManagedRefused', 'alloErrRevoked']],
  [
    'could not be checked',
    { state: 'disconnected', managed: { unchecked: { code: 'network', message: 'offline' } } },
    ['alloManagedUnchecked', 'alloErrNetwork'],
  ],
  ['being checked', { state: 'disconnected', managed: {} }, ['alloManagedChecking']],
])('an administrator’s key %s is named as theirs, with no field for the user’s own key', (_, status, texts) => {
  const root = card(status);
  for (const text of texts) expect(root.textContent).toContain(text);
  expect(root.querySelector('input')).toBeNull();
  expect(root.querySelector('button')).toBeNull();
  render(null, root);
});

it('still offers the key field when no administrator set one', () => {
  const root = card({ state: 'disconnected' });
  expect(root.querySelector('input#allo-key')).not.toBeNull();
  render(null, root);
});
