/**
 * The side panel's list of the last calls (components/CallHistory.tsx): asked of the background
 * only while the panel is on screen, once per number and again when calls were logged; loading,
 * empty and failed states; each call says who, when, how long, and links its Sellsy record.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CallHistory } from '@/components/CallHistory';
import { callsUpdatedAt } from '@/lib/calls/calls-updated';
import type { CallHistory as History } from '@/lib/dialer/call-history';
import { onMessage } from '@/lib/messaging';

const MARIE = '+33123456789';
const HISTORY: History = {
  calls: [
    {
      key: 'sellsy:5003',
      date: new Date(Date.now() - 3 * 60_000).toISOString(),
      direction: 'in',
      byYou: false,
      byName: 'Julie Roux',
      durationS: 252,
      summary: 'Demande de devis pour 12 postes.',
      record: { name: 'Marie Dupont', url: 'https://www.sellsy.com/peoples/958' },
    },
    { key: 'allo:cll-1', date: '2026-11-30T10:00:00Z', direction: 'out', byYou: true, durationS: 0, missed: true },
    { key: 'sellsy:5002', date: '2026-11-29T10:00:00Z', byYou: false, record: { name: 'Acme SAS', url: 'https://www.sellsy.com/thirds/client/1220' } },
  ],
  skipped: 1,
  team: 'ok',
};

let visibility: DocumentVisibilityState = 'visible';
let asked: string[];
let answer: () => History | Promise<History>;
let stop: () => void = () => undefined;

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
  asked = [];
  answer = () => HISTORY;
  stop = onMessage('callHistory', ({ data }) => {
    asked.push(data.e164);
    return answer();
  });
});

afterEach(() => {
  stop();
  document.body.replaceChildren();
});

function show(e164 = MARIE) {
  const opened: string[] = [];
  const root = document.createElement('div');
  document.body.append(root);
  const draw = (number: string) => render(h(CallHistory, { e164: number, openRecord: (url: string) => opened.push(url) }), root);
  draw(e164);
  return { root, opened, draw, lines: () => [...root.querySelectorAll('.history-call')] };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

function setVisibility(state: DocumentVisibilityState) {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('the side panel’s last calls', () => {
  it('says it is loading, then lists each call: direction, who, when, how long, its record, the summary', async () => {
    let release: (history: History) => void = () => undefined;
    answer = () => new Promise((resolve) => (release = resolve));
    const p = show();
    expect(p.root.querySelector('[role="status"]')?.textContent).toBe('historyLoading');
    await expect.poll(() => asked).toEqual([MARIE]);
    release(HISTORY);
    await expect.poll(() => p.lines().length).toBe(3);
    const [first, second, third] = p.lines();
    expect(first?.querySelector('[role="img"]')?.getAttribute('aria-label')).toBe('directionIn');
    expect(first?.querySelector('strong')?.textContent).toBe('Julie Roux');
    expect(first?.textContent).toContain('4 min 12 sec');
    expect(first?.textContent).toMatch(/3 min\. ago|il y a 3 min/);
    expect(first?.querySelector('time')?.getAttribute('datetime')).toBe(HISTORY.calls[0]?.date);
    expect(first?.querySelector('.summary')?.textContent).toBe('Demande de devis pour 12 postes.');
    expect(second?.querySelector('strong')?.textContent).toBe('historyByYou');
    expect(second?.textContent).toContain('historyNoAnswer');
    expect(second?.querySelector('a')).toBeNull();
    // No direction known: no arrow; no name: a colleague.
    expect(third?.querySelector('[role="img"]')).toBeNull();
    expect(third?.querySelector('strong')?.textContent).toBe('historyByColleague');
    expect(p.root.textContent).toContain('historySkipped_one 1');
    expect(p.root.textContent).not.toContain('historyTeamUnavailable');
  });

  it('opens a call’s record where the panel opens records, from a real link the keyboard reaches', async () => {
    const p = show();
    await expect.poll(() => p.lines().length).toBe(3);
    const link = p.lines()[0]?.querySelector<HTMLAnchorElement>('a.history-record');
    expect(link?.getAttribute('href')).toBe('https://www.sellsy.com/peoples/958');
    expect(link?.textContent).toBe('Marie Dupont');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    link?.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(p.opened).toEqual(['https://www.sellsy.com/peoples/958']);
  });

  it('asks nothing while the panel is hidden, and asks once when it is seen', async () => {
    visibility = 'hidden';
    const p = show();
    await settle();
    expect(asked).toEqual([]);
    setVisibility('visible');
    await expect.poll(() => p.lines().length).toBe(3);
    // Hidden and seen again: nothing new to ask.
    setVisibility('hidden');
    setVisibility('visible');
    await settle();
    expect(asked).toEqual([MARIE]);
  });

  it('asks again when calls were logged, or for another number; a hidden panel waits until seen', async () => {
    const p = show();
    await expect.poll(() => asked).toEqual([MARIE]);
    await callsUpdatedAt.setValue(Date.now());
    await expect.poll(() => asked).toEqual([MARIE, MARIE]);
    setVisibility('hidden');
    await callsUpdatedAt.setValue(Date.now() + 1);
    p.draw('+33698765400');
    await settle();
    expect(asked).toEqual([MARIE, MARIE]);
    setVisibility('visible');
    await expect.poll(() => asked).toEqual([MARIE, MARIE, '+33698765400']);
  });

  it('says when there is no call yet, when only the user’s own are listed, and when it failed', async () => {
    answer = () => ({ calls: [], skipped: 0, team: 'ok' });
    const empty = show();
    await expect.poll(() => empty.root.textContent).toContain('historyEmpty');
    document.body.replaceChildren();

    answer = () => ({ calls: [HISTORY.calls[1]!], skipped: 0, team: 'unavailable' });
    const own = show();
    await expect.poll(() => own.root.textContent).toContain('historyTeamUnavailable');
    expect(own.lines()).toHaveLength(1);
    document.body.replaceChildren();

    answer = () => Promise.reject(new Error('Refused callHistory: untrusted sender'));
    const failed = show();
    await expect.poll(() => failed.root.querySelector('.error')?.textContent).toBe('historyFailed');
  });
});
