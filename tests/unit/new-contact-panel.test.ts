/**
 * The side panel's "Create contact" form (components/NewContact.tsx): opened by a button, a last
 * name required before anything is sent, the button disabled while Sellsy works, what was typed
 * kept on every error with words to act on, and the panel told once the contact exists.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { NewContact } from '@/components/NewContact';
import type { NewContactInput, NewContactResult } from '@/lib/dialer/new-contact-shape';
import { onMessage } from '@/lib/messaging';

const UNKNOWN = '+33677665544';

let sent: NewContactInput[];
let answer: () => NewContactResult | Promise<NewContactResult>;
let stop: () => void = () => undefined;

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  sent = [];
  answer = () => ({ ok: true, created: true, name: 'Paul Inconnu' });
  stop = onMessage('createContact', ({ data }) => {
    sent.push(data);
    return answer();
  });
});

afterEach(() => {
  stop();
  document.body.replaceChildren();
});

function show() {
  let created = 0;
  const root = document.createElement('div');
  document.body.append(root);
  render(h(NewContact, { e164: UNKNOWN, shownNumber: '06 77 66 55 44', onCreated: () => created++ }), root);
  const field = (id: string) => root.querySelector<HTMLInputElement>(`#new-contact-${id}`)!;
  const type = async (id: string, value: string) => {
    field(id).value = value;
    field(id).dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  };
  const submit = () => root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  return { root, field, type, submit, created: () => created };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('the side panel’s Create contact', () => {
  it('opens from a button, the first field focused and the number shown', async () => {
    const p = show();
    const opener = p.root.querySelector('button')!;
    expect(opener.textContent).toBe('newContactOpen');
    expect(opener.getAttribute('aria-expanded')).toBe('false');
    opener.click();
    await expect.poll(() => document.activeElement?.id).toBe('new-contact-first');
    expect(p.root.querySelector('legend')?.textContent).toBe('newContactLegend');
    expect(p.root.querySelector('label[for="new-contact-last"]')?.textContent).toBe('newContactLastName');
    expect(p.root.querySelector('.new-contact-number')?.textContent).toContain('06 77 66 55 44');
    expect(p.field('last').maxLength).toBe(200);
    expect(p.field('company').maxLength).toBe(250);
  });

  it('asks for a last name before sending anything, and keeps what was typed', async () => {
    const p = show();
    p.root.querySelector('button')!.click();
    await settle();
    await p.type('first', 'Paul');
    await p.type('last', '   ');
    p.submit();
    await settle();
    expect(sent).toEqual([]);
    expect(p.root.querySelector('[role="alert"]')?.textContent).toBe('newContactLastNameNeeded');
    expect(p.field('last').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(p.field('last'));
    expect(p.field('first').value).toBe('Paul');
  });

  it('disables the form while Sellsy works, and sends the trimmed names once', async () => {
    let release: (result: NewContactResult) => void = () => undefined;
    answer = () => new Promise((resolve) => (release = resolve));
    const p = show();
    p.root.querySelector('button')!.click();
    await settle();
    await p.type('first', ' Paul ');
    await p.type('last', ' Inconnu ');
    await p.type('company', ' Acme ');
    p.submit();
    await settle();
    expect(p.root.querySelector('fieldset')?.disabled).toBe(true);
    expect(p.root.querySelector('[role="status"]')?.textContent).toBe('newContactWorking');
    // A second press meanwhile sends nothing more.
    p.submit();
    await settle();
    expect(sent).toEqual([{ e164: UNKNOWN, firstName: 'Paul', lastName: 'Inconnu', company: 'Acme' }]);
    release({ ok: true, created: true, name: 'Paul Inconnu' });
    await expect.poll(() => p.created()).toBe(1);
    expect(p.root.querySelector('form')).toBeNull();
    expect(p.root.querySelector('[role="status"]')?.textContent).toBe('newContactCreated Paul Inconnu');
  });

  it('keeps the form filled on each error and says what to do', async () => {
    const words = {
      refused: 'newContactRefused',
      'no-rights': 'newContactNoRights',
      offline: 'newContactOffline',
      busy: 'newContactBusy',
      disconnected: 'newContactDisconnected',
    } as const;
    const p = show();
    p.root.querySelector('button')!.click();
    await settle();
    await p.type('first', 'Paul');
    await p.type('last', 'Inconnu');
    await p.type('company', 'Acme');
    for (const [problem, key] of Object.entries(words)) {
      answer = () => ({ ok: false, problem: problem as keyof typeof words });
      p.submit();
      await expect.poll(() => p.root.querySelector('[role="alert"]')?.textContent).toBe(key);
      expect(p.root.querySelector('fieldset')?.disabled).toBe(false);
      expect([p.field('first').value, p.field('last').value, p.field('company').value]).toEqual(['Paul', 'Inconnu', 'Acme']);
    }
    expect(p.created()).toBe(0);
  });

  it('says so when Sellsy already had the number', async () => {
    answer = () => ({ ok: true, created: false, name: 'Paul Inconnu' });
    const p = show();
    p.root.querySelector('button')!.click();
    await settle();
    await p.type('last', 'Inconnu');
    p.submit();
    await expect.poll(() => p.created()).toBe(1);
    expect(p.root.querySelector('[role="status"]')?.textContent).toBe('newContactFound Paul Inconnu');
  });
});
