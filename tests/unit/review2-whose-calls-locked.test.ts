/**
 * Review 2 (issue 26, item 3): nobody may be left silently unlogged. With the administrator's
 * policy requiring the e-mail match (matchAlloUserByEmail), a salesperson whose Sellsy e-mail no
 * Allo user has is told to "Choose your name in the list", and the list is disabled: a dead end
 * that reads like their fault, and their calls are never added to Sellsy.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { WhoseCallsChoice } from '@/components/WhoseCallsChoice';
import { alloUserMiss } from '@/lib/calls/whose-calls';
import { onMessage } from '@/lib/messaging';

describe('review 2: whose calls, e-mail match required by policy, no match', () => {
  let root: HTMLElement;
  let removers: Array<() => void> = [];
  beforeEach(async () => {
    fakeBrowser.reset();
    fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
    await fakeBrowser.storage.managed.set({ matchAlloUserByEmail: true });
    await alloUserMiss.setValue({ email: 'camille@acme.fr', at: Date.now() });
    removers = [onMessage('listAlloUsers', () => [{ id: 'usr-1', name: 'Camille Martin', email: 'c.martin@acme.fr' }])];
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    render(null, root);
    for (const remove of removers) remove();
  });

  it('does not tell the person to choose their name in a list they cannot use', async () => {
    render(h(WhoseCallsChoice, { onSaved: () => undefined }), root);
    // The policy is read (the note shows) and the miss is shown.
    await expect.poll(() => root.querySelector('.managed')).not.toBeNull();
    await expect.poll(() => root.textContent).toContain('camille@acme.fr');
    const select = root.querySelector('select');
    expect(select?.disabled).toBe(true);
    // The sentence must say who can fix it (the Allo user's e-mail, the administrator), not "choose".
    expect(root.textContent).not.toContain('whoseCallsPickName');
    expect(root.querySelector('#allo-user-unmatched')?.textContent).not.toMatch(/^whoseCallsNoMatch /);
  });
});
