/**
 * The side panel's "Call back" (components/FollowUp.tsx): opened by a button on the first moment
 * offered, nothing sent without a moment, the record, the due time in local time with its offset
 * and the note's first line sent; what became of it read from storage (so a panel opened again
 * shows it), each refusal in words with Retry, and Retry sent for that follow-up.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { FollowUp } from '@/components/FollowUp';
import type { PanelRecord } from '@/lib/dialer/number-records';
import { followUpsItem } from '@/lib/follow-up/follow-up-items';
import type { FollowUpInput, FollowUpView } from '@/lib/follow-up/follow-up-shape';
import { onMessage } from '@/lib/messaging';

const NUMBER = '+33123456789';
const MARIE: PanelRecord = { key: 'contact:7', kind: 'contact', name: 'Marie Dupont', url: 'https://www.sellsy.com/peoples/7' };

let sent: FollowUpInput[];
let retried: string[];
let answer: () => { ok: true; followUp: FollowUpView } | { ok: false; problem: 'disconnected' };
let stops: Array<() => void> = [];

const view = (fields: Partial<FollowUpView> = {}): FollowUpView => ({
  id: 'f0000001-aaaa',
  e164: NUMBER,
  recordName: 'Marie Dupont',
  dueAt: '2030-12-09T09:00:00+01:00',
  state: 'created',
  ...fields,
});

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  sent = [];
  retried = [];
  answer = () => ({ ok: true, followUp: view() });
  stops = [
    onMessage('createFollowUp', ({ data }) => {
      sent.push(data);
      return answer();
    }),
    onMessage('retryFollowUp', ({ data }) => {
      retried.push(data.id);
      return view({ id: data.id });
    }),
  ];
});

afterEach(() => {
  for (const stop of stops) stop();
  document.body.replaceChildren();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

function show(noteFirstLine?: string) {
  const root = document.createElement('div');
  document.body.append(root);
  render(h(FollowUp, { e164: NUMBER, records: [MARIE], ...(noteFirstLine ? { noteFirstLine } : {}) }), root);
  const button = (text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === text);
  const submit = () => root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  return { root, button, submit };
}

describe('the side panel’s Call back', () => {
  it('opens on the first moment offered; without a moment nothing is sent', async () => {
    const p = show();
    await settle();
    p.button('followUpOpen')!.click();
    await expect.poll(() => (document.activeElement as HTMLInputElement | null)?.name).toBe('follow-up-when');
    p.submit();
    await settle();
    expect(sent).toEqual([]);
    expect(p.root.querySelector('[role="alert"]')?.textContent).toBe('followUpDateNeeded');
  });

  it('sends the record, the due time with its offset, and the note’s first line', async () => {
    const p = show('Wants a quote');
    await settle();
    p.button('followUpOpen')!.click();
    await settle();
    const tomorrow = p.root.querySelector<HTMLInputElement>('input[value="tomorrow"]')!;
    tomorrow.click();
    await settle();
    p.submit();
    await settle();
    expect(sent).toEqual([
      {
        e164: NUMBER,
        record: { key: 'contact:7', name: 'Marie Dupont' },
        dueAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T09:00:00[+-]\d{2}:\d{2}$/),
        noteFirstLine: 'Wants a quote',
      },
    ]);
    expect(p.root.querySelector('[role="status"]')?.textContent).toContain('followUpCreated Marie Dupont');
  });

  it('shows a stored follow-up of this number when opened again, and a refusal with Retry', async () => {
    await followUpsItem.setValue([
      {
        id: 'f0000001-aaaa',
        account: 4242,
        e164: NUMBER,
        record: { type: 'contact', id: 7, name: 'Marie Dupont' },
        title: 'Call back Marie Dupont',
        description: '[Allo follow-up f0000001-aaaa]',
        dueAt: '2030-12-09T09:00:00+01:00',
        requestedAt: 1,
        state: 'failed',
        problem: 'no-scope',
        sent: true,
        tries: 1,
      },
    ]);
    const p = show();
    await settle();
    expect(p.root.querySelector('[role="alert"]')?.textContent).toBe('followUpNoScope');
    p.button('followUpRetry')!.click();
    await settle();
    expect(retried).toEqual(['f0000001-aaaa']);
    expect(p.root.querySelector('[role="status"]')?.textContent).toContain('followUpCreated');
  });

  it('while it is being created, says so and offers no second one', async () => {
    await followUpsItem.setValue([
      {
        id: 'f0000002-bbbb',
        account: 4242,
        e164: NUMBER,
        record: { type: 'contact', id: 7, name: 'Marie Dupont' },
        title: 'Call back Marie Dupont',
        description: '[Allo follow-up f0000002-bbbb]',
        dueAt: '2030-12-09T09:00:00+01:00',
        requestedAt: 1,
        state: 'pending',
        sent: true,
        tries: 2,
        delayed: true,
      },
    ]);
    const p = show();
    await settle();
    expect(p.root.querySelector('[role="status"]')?.textContent).toBe('followUpCreating followUpDelayed');
    expect(p.button('followUpOpen')).toBeUndefined();
  });

  it('a follow-up of another number is not shown', async () => {
    await followUpsItem.setValue([
      {
        id: 'f0000003-cccc',
        account: 4242,
        e164: '+33600000000',
        record: { type: 'contact', id: 8, name: 'Paul' },
        title: 'Call back Paul',
        description: '[Allo follow-up f0000003-cccc]',
        dueAt: '2030-12-09T09:00:00+01:00',
        requestedAt: 1,
        state: 'done',
        sent: true,
        tries: 1,
      },
    ]);
    const p = show();
    await settle();
    expect(p.button('followUpOpen')).toBeDefined();
    expect(p.root.querySelector('[role="status"], [role="alert"]')).toBeNull();
  });
});
