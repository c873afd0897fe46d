/**
 * Review of the side panel's history (issue 20 item 2), the list as shown: a right-to-left name
 * does not carry the date and length along with it, and "3 min ago" does not stay "3 min ago"
 * in a panel left open all afternoon.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CallHistory } from '@/components/CallHistory';
import type { CallHistory as History } from '@/lib/dialer/call-history';
import { onMessage } from '@/lib/messaging';

const NUMBER = '+33123456789';
let answer: History;
let stop: () => void = () => undefined;

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
  stop = onMessage('callHistory', () => answer);
});

afterEach(() => {
  stop();
  vi.useRealTimers();
  document.body.replaceChildren();
});

function show() {
  const root = document.createElement('div');
  document.body.append(root);
  render(h(CallHistory, { e164: NUMBER, openRecord: () => undefined }), root);
  return { root, lines: () => [...root.querySelectorAll('.history-call')] };
}

describe('review: the history as the panel shows it', () => {
  it('isolates a colleague’s name, so a right-to-left one leaves the date and length in place', async () => {
    answer = {
      calls: [{ key: 'sellsy:1', date: new Date(Date.now() - 3 * 60_000).toISOString(), direction: 'in', byYou: false, byName: 'سارة أحمد', durationS: 75 }],
      skipped: 0,
      team: 'ok',
    };
    const p = show();
    await expect.poll(() => p.lines().length).toBe(1);
    expect(p.lines()[0]?.querySelector('strong bdi')?.textContent).toBe('سارة أحمد');
  });

  it('says how long ago again as time passes, while the panel stays open', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    answer = {
      calls: [{ key: 'sellsy:1', date: new Date(Date.now() - 3 * 60_000).toISOString(), direction: 'in', byYou: false, byName: 'Julie Roux', durationS: 75 }],
      skipped: 0,
      team: 'ok',
    };
    const p = show();
    await expect.poll(() => p.lines()[0]?.querySelector('time')?.textContent).toMatch(/3 min/);
    await vi.advanceTimersByTimeAsync(40 * 60_000);
    expect(p.lines()[0]?.querySelector('time')?.textContent).toMatch(/43 min/);
  });
});

describe('review, by design: the panel shows Sellsy’s text as text', () => {
  it('markup in a summary or a name is shown as characters, never as elements', async () => {
    answer = {
      calls: [
        {
          key: 'sellsy:1',
          date: new Date(Date.now() - 3 * 60_000).toISOString(),
          byYou: false,
          byName: '<b>Julie</b>',
          summary: '<img src=x onerror="alert(1)"> devis',
        },
      ],
      skipped: 0,
      team: 'ok',
    };
    const p = show();
    await expect.poll(() => p.lines().length).toBe(1);
    expect(p.root.querySelector('img, b')).toBeNull();
    expect(p.lines()[0]?.querySelector('.summary')?.textContent).toBe('<img src=x onerror="alert(1)"> devis');
  });
});
