/**
 * Review of the side panel's "Call back" (components/FollowUp.tsx): when the worker's answer is
 * lost after it stored the request (it stopped mid-request), the panel must not invite a second
 * press that would make a second task: it shows the stored follow-up instead.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { FollowUp } from '@/components/FollowUp';
import type { PanelRecord } from '@/lib/dialer/number-records';
import { followUpsItem, type StoredFollowUp } from '@/lib/follow-up/follow-up-items';
import { onMessage } from '@/lib/messaging';

const NUMBER = '+33123456789';
const MARIE: PanelRecord = { key: 'contact:7', kind: 'contact', name: 'Marie Dupont', url: 'https://www.sellsy.com/peoples/7' };
let sends = 0;
let stop: () => void = () => undefined;

const stored = (fields: Partial<StoredFollowUp>): StoredFollowUp => ({
  id: 'f0000002-bbbb',
  account: 42,
  e164: NUMBER,
  record: { type: 'contact', id: 7, name: 'Marie Dupont' },
  title: 'Call back Marie Dupont',
  description: '[Allo follow-up f0000002-bbbb]',
  dueAt: '2030-12-09T09:00:00+01:00',
  requestedAt: Date.now(),
  state: 'pending',
  sent: true,
  tries: 1,
  ...fields,
});

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  sends = 0;
  // The worker stores the request, posts the task, and stops before it can answer.
  stop = onMessage('createFollowUp', async () => {
    sends++;
    await followUpsItem.setValue([stored({ state: 'done', taskId: 9001 })]);
    throw new Error('The message port closed before a response was received.');
  });
});

afterEach(() => {
  stop();
  document.body.replaceChildren();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

it('an answer lost after the worker stored the request shows the stored follow-up, not the form again', async () => {
  const root = document.createElement('div');
  document.body.append(root);
  render(h(FollowUp, { e164: NUMBER, records: [MARIE] }), root);
  await settle();
  [...root.querySelectorAll('button')].find((b) => b.textContent === 'followUpOpen')!.click();
  await settle();
  root.querySelector<HTMLInputElement>('input[value="tomorrow"]')!.click();
  await settle();
  root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  await settle();
  await settle();
  expect(sends).toBe(1);
  expect(root.querySelector('form')).toBeNull();
  expect(root.querySelector('[role="status"]')?.textContent).toMatch(/^followUpCreated Marie Dupont/);
});

it('a worker that did not answer and stored nothing is said as such, not as Sellsy being unreachable', async () => {
  stop();
  stop = onMessage('createFollowUp', () => {
    sends++;
    throw new Error('Could not establish connection. Receiving end does not exist.');
  });
  const root = document.createElement('div');
  document.body.append(root);
  render(h(FollowUp, { e164: NUMBER, records: [MARIE] }), root);
  await settle();
  [...root.querySelectorAll('button')].find((b) => b.textContent === 'followUpOpen')!.click();
  await settle();
  root.querySelector<HTMLInputElement>('input[value="tomorrow"]')!.click();
  await settle();
  root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  await settle();
  await settle();
  expect(sends).toBe(1);
  // The form stays, with the moment chosen: pressing again is safe, nothing was stored.
  expect(root.querySelector<HTMLInputElement>('input[value="tomorrow"]')?.checked).toBe(true);
  expect(root.querySelector('[role="alert"]')?.textContent).toBe('followUpNotSent');
});
