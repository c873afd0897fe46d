/**
 * The popup's call list next to Allo's own Sellsy integration and with recordings: an adopted
 * record says "Already in Sellsy", and "Listen" asks the background for a fresh link only when
 * clicked, saying why when there is none.
 */
import { h, render } from 'preact';
import { beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RecentCalls } from '@/components/RecentCalls';
import type { ListenResult } from '@/lib/allo/recording-link';
import { onMessage } from '@/lib/messaging';

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
});

it('says "Already in Sellsy" next to an adopted record and asks for a recording link only on click', async () => {
  const asked: string[] = [];
  let answer: ListenResult = { ok: false, reason: 'no-recording' };
  onMessage('listCalls', () => ({
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
  onMessage('refreshCalls', () => undefined);
  onMessage('listenToRecording', ({ data }) => {
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
