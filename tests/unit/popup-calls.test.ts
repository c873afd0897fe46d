/**
 * The popup's call list next to Allo's own Sellsy integration and with recordings: an adopted
 * record says "Already in Sellsy", and "Listen" asks the background for a fresh link only when
 * clicked, saying why when there is none.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RecentCalls } from '@/components/RecentCalls';
import type { ListenResult } from '@/lib/allo/recording-link';
import { onMessage } from '@/lib/messaging';

// One listener per message in a context: each test's go when it ends.
const stops: Array<() => void> = [];
const handle: typeof onMessage = (type, handler) => {
  const stop = onMessage(type, handler);
  stops.push(stop);
  return stop;
};

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
});

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

it('says "Already in Sellsy" next to an adopted record and asks for a recording link only on click', async () => {
  const asked: string[] = [];
  let answer: ListenResult = { ok: false, reason: 'no-recording' };
  handle('listCalls', () => ({
    calls: [
      {
        alloId: 'cll-1',
        direction: 'INBOUND',
        counterpart: '+33612345678',
        date: '2026-11-28T09:00:00Z',
        result: 'ANSWERED',
        state: 'synced',
        records: [
          { kind: 'contact', sellsyId: 1, name: 'Marie', url: 'https://www.sellsy.com/contacts/1', adopted: true },
          { kind: 'contact', sellsyId: 2, name: 'Jean', url: 'https://www.sellsy.com/contacts/2' },
        ],
        hasRecording: true,
        summary: 'Objet : rappeler\n- <b>devis</b>',
      },
      { alloId: 'cll-2', direction: 'OUTBOUND', counterpart: '+33612345679', date: '2026-11-28T08:00:00Z', result: null, state: 'synced', records: [] },
    ],
    alloUser: null,
    skipped: null,
  }));
  handle('refreshCalls', () => undefined);
  handle('listenToRecording', ({ data }) => {
    asked.push(data.alloId);
    return answer;
  });
  const root = document.createElement('div');
  document.body.append(root);
  render(h(RecentCalls, { alloConnected: true }), root);
  await expect.poll(() => root.querySelectorAll('li.call').length).toBe(2);
  const [first, second] = [...root.querySelectorAll('li.call')];
  expect(first?.textContent).toContain('Marie (callAlreadyInSellsy)');
  expect(first?.textContent).not.toContain('Jean (callAlreadyInSellsy)');
  expect(second?.querySelector('button')).toBeNull();
  // Allo's summary, already text, shown as text: HTML-looking words are not markup.
  expect(first?.querySelector('.summary')?.textContent).toBe('Objet : rappeler\n- <b>devis</b>');
  expect(first?.querySelector('.summary b')).toBeNull();
  expect(second?.querySelector('.summary')).toBeNull();
  expect(asked).toEqual([]);

  const listen = [...(first?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'listenRecording')!;
  listen.click();
  await expect.poll(() => first?.querySelector('[role="alert"]')?.textContent).toContain('listenNoRecording');
  expect(asked).toEqual(['cll-1']);
  answer = { ok: true };
  listen.click();
  await expect.poll(() => asked.length).toBe(2);
  await expect.poll(() => first?.querySelector('[role="alert"]')).toBeNull();
  render(null, root);
});

it('links "Contact not found" to the option that logs such calls, and lets an unmatched user pick their name right there', async () => {
  const created: string[] = [];
  fakeBrowser.tabs.create = (async ({ url }: { url: string }) => {
    created.push(url);
    return { id: 9 };
  }) as unknown as typeof fakeBrowser.tabs.create;
  await fakeBrowser.storage.local.set({ alloUserMiss: { email: 'camille@example.fr', at: 1 } });
  handle('listCalls', () => ({
    calls: [
      {
        alloId: 'cll-3',
        direction: 'INBOUND',
        counterpart: '+33612345670',
        date: '2026-11-28T09:00:00Z',
        result: 'ANSWERED',
        state: 'contact_not_found',
        records: [],
      },
    ],
    alloUser: null,
    skipped: null,
  }));
  handle('refreshCalls', () => undefined);
  handle('listAlloUsers', () => [{ id: 'usr-7', name: 'Camille Martin', email: 'c.martin@example.fr' }]);
  const root = document.createElement('div');
  document.body.append(root);
  render(h(RecentCalls, { alloConnected: true }), root);
  await expect.poll(() => root.querySelectorAll('li.call').length).toBe(1);
  const link = [...root.querySelectorAll('a')].find((a) => a.textContent === 'createLeads');
  link?.click();
  expect(created).toEqual([fakeBrowser.runtime.getURL('/options.html#create-leads')]);
  // The e-mail looked for is said, and the list to pick from is in the popup.
  await expect.poll(() => root.querySelector('select#allo-user') !== null).toBe(true);
  await expect.poll(() => root.textContent).toContain('whoseCallsNoMatch');
  render(null, root);
});
