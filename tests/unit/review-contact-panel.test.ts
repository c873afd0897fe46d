/**
 * Hostile review of the side panel's "Create contact" form (components/NewContact.tsx) for the
 * keyboard: once the contact exists the form goes away, and the keys must not fall to the page.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { NewContact } from '@/components/NewContact';
import { onMessage } from '@/lib/messaging';

let stop: () => void = () => undefined;

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  stop = onMessage('createContact', () => ({ ok: true, created: true, name: 'Paul Inconnu' }));
});

afterEach(() => {
  stop();
  document.body.replaceChildren();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('Create contact with the keyboard', () => {
  it('gives the keys to the message saying the contact was made, not to the page', async () => {
    let created = 0;
    const root = document.createElement('div');
    document.body.append(root);
    render(h(NewContact, { e164: '+33677665544', shownNumber: '06 77 66 55 44', onCreated: () => created++ }), root);
    root.querySelector('button')!.click();
    await settle();
    const last = root.querySelector<HTMLInputElement>('#new-contact-last')!;
    last.value = 'Inconnu';
    last.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.focus();
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await expect.poll(() => created).toBe(1);
    await settle();
    const said = root.querySelector<HTMLElement>('[role="status"]')!;
    expect(said.textContent).toBe('newContactCreated Paul Inconnu');
    expect(document.activeElement).toBe(said);
  });
});
