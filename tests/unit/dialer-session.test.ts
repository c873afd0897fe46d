import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DialRequest, DialRequests } from '@/lib/dialer/dial-requests';
import { PanelSession, type PanelView, REDIAL_WITHIN_MS } from '@/lib/dialer/panel-session';

const ORIGIN = 'http://dialer.test';

afterEach(() => {
  vi.useRealTimers();
});

function requests(timeoutMs = 4_500) {
  const published: DialRequest[] = [];
  let n = 0;
  const dials = new DialRequests({ publish: async (r) => void published.push(r), newId: () => `d${++n}`, timeoutMs });
  return { dials, published };
}

describe('DialRequests', () => {
  it('answers opened once the panel claims the request, and a claim counts once', async () => {
    const { dials, published } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve());
    expect(published.at(-1)).toMatchObject({ id: 'd1', tabId: 7, e164: '+33612345678', state: 'pending' });
    expect(dials.claim('d1', 1)).toMatchObject({ state: 'dialed' });
    expect(dials.claim('d1', 1)).toBeUndefined();
    dials.giveUp('d1', 'not-ready', 1);
    await expect(outcome).resolves.toBe('opened');
  });

  it('falls back when the panel gives up, and then refuses a late claim (nothing rings twice)', async () => {
    const { dials, published } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve());
    dials.giveUp('d1', 'offline', 1);
    expect(dials.claim('d1', 1)).toBeUndefined();
    await expect(outcome).resolves.toBe('fallback');
    expect(published.at(-1)).toMatchObject({ state: 'fell-back', reason: 'offline' });
  });

  it('falls back when Chrome would not open the panel', async () => {
    const { dials, published } = requests();
    await expect(dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.reject(new Error('no gesture')))).resolves.toBe('fallback');
    expect(published.at(-1)).toMatchObject({ reason: 'no-panel' });
  });

  it('falls back when nobody answers in time, within the click’s user activation', async () => {
    vi.useFakeTimers();
    const { dials } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', new Promise(() => undefined));
    vi.advanceTimersByTime(4_499);
    let settled = false;
    void outcome.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    vi.advanceTimersByTime(1);
    await expect(outcome).resolves.toBe('fallback');
    expect(dials.claim('d1', 1)).toBeUndefined();
  });

  it('sends an unanswered click to tel: when a newer one arrives, so none is lost', async () => {
    const { dials } = requests();
    const first = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve());
    const second = dials.open({ tabId: 7, windowId: 1 }, '+33698765432', Promise.resolve());
    await expect(first).resolves.toBe('fallback');
    expect(dials.claim('d2', 1)).toMatchObject({ e164: '+33698765432' });
    await expect(second).resolves.toBe('opened');
  });

  it('lets only the panel of the click’s window claim it or give it up', async () => {
    const { dials } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve());
    expect(dials.claim('d1', 2)).toBeUndefined();
    dials.giveUp('d1', 'not-ready', 2);
    expect(dials.claim('d1', 1)).toMatchObject({ state: 'dialed', windowId: 1 });
    await expect(outcome).resolves.toBe('opened');
  });

  it('hands a number clicked twice from one tab to one place: the second click carries it, the first does not fall back', async () => {
    for (const end of ['claimed', 'given up'] as const) {
      const { dials, published } = requests();
      const first = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve());
      const second = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve());
      if (end === 'claimed') expect(dials.claim('d2', 1)).toMatchObject({ e164: '+33612345678' });
      else dials.giveUp('d2', 'not-ready', 1);
      const outcomes = [await first, await second];
      expect({ end, outcomes }).toEqual({ end, outcomes: end === 'claimed' ? ['opened', 'opened'] : ['opened', 'fallback'] });
      expect(published.filter((r) => r.id === 'd1' && r.state !== 'pending')).toEqual([]);
    }
  });
});

function session({ online = true, claimed = true } = {}) {
  const posted: unknown[] = [];
  const reported: unknown[] = [];
  const gaveUp: Array<[string, string]> = [];
  const views: PanelView[] = [];
  const panel = new PanelSession({
    dialerOrigin: ORIGIN,
    post: (command) => posted.push(command),
    claim: async (id) => (claimed ? { id, tabId: 7, windowId: 1, e164: '+33612345678', at: 0, state: 'dialed' } : undefined),
    giveUp: async (id, reason) => void gaveUp.push([id, reason]),
    report: (event) => reported.push(event),
    online: () => online,
    onChange: (view) => views.push(view),
    readyTimeoutMs: 3_500,
    now: () => 0,
    windowId: 1,
  });
  const say = (type: string, payload?: unknown, origin = ORIGIN) => panel.receive({ origin, data: { source: 'allo-dialer', type, payload } });
  return { panel, posted, reported, gaveUp, views, say, view: () => views.at(-1) };
}

const pending = (id = 'd1', windowId = 1): DialRequest => ({ id, tabId: 7, windowId, e164: '+33612345678', at: 0, state: 'pending' });

describe('PanelSession', () => {
  it('dials a click that arrived before ready, once the dialer is ready', async () => {
    vi.useFakeTimers();
    const s = session();
    s.panel.start();
    s.panel.request(pending());
    expect(s.posted).toEqual([]);
    s.say('ready');
    await vi.waitFor(() => expect(s.posted).toEqual([{ source: 'allo-host', type: 'dial', payload: { phoneNumber: '+33612345678' } }]));
    expect(s.view()).toMatchObject({ status: 'ready', current: { e164: '+33612345678', why: 'dial' } });
    expect(s.reported).toEqual([{ type: 'ready' }]);
  });

  it('hands the number again when the dialer’s frame reloaded just as it was dialed (it says ready again)', async () => {
    const s = session();
    s.panel.start();
    s.say('ready');
    s.panel.request(pending());
    await vi.waitFor(() => expect(s.posted).toHaveLength(1));
    // The frame was navigating: the dial went to a page that is gone. The new page says ready.
    s.say('ready');
    await vi.waitFor(() => expect(s.posted).toHaveLength(2));
    expect(s.posted[1]).toEqual(s.posted[0]);
    // Once: a later ready of the same dialer does not dial it a third time.
    s.say('ready');
    await Promise.resolve();
    expect(s.posted).toHaveLength(2);
    s.panel.stop();
  });

  it('does not hand an old number again when the dialer reloads long after it was dialed', async () => {
    let now = 0;
    const s = session();
    const panel = new PanelSession({
      dialerOrigin: ORIGIN,
      post: (command) => s.posted.push(command),
      claim: async (id) => ({ id, tabId: 7, windowId: 1, e164: '+33612345678', at: now, state: 'dialed' }),
      giveUp: async () => undefined,
      report: () => undefined,
      online: () => true,
      onChange: () => undefined,
      now: () => now,
      windowId: 1,
    });
    panel.start();
    panel.receive({ origin: ORIGIN, data: { source: 'allo-dialer', type: 'ready' } });
    panel.request({ ...pending(), at: now });
    await vi.waitFor(() => expect(s.posted).toHaveLength(1));
    now += REDIAL_WITHIN_MS + 1;
    panel.receive({ origin: ORIGIN, data: { source: 'allo-dialer', type: 'ready' } });
    await Promise.resolve();
    expect(s.posted).toHaveLength(1);
    panel.stop();
  });

  it('does not dial a request the background already sent to tel:', async () => {
    const s = session({ claimed: false });
    s.panel.start();
    s.say('ready');
    s.panel.request(pending());
    await Promise.resolve();
    await Promise.resolve();
    expect(s.posted).toEqual([]);
    s.panel.stop();
  });

  it('gives the click up when ready does not come in time, and says why', () => {
    vi.useFakeTimers();
    const s = session();
    s.panel.start();
    s.panel.request(pending());
    vi.advanceTimersByTime(3_500);
    expect(s.gaveUp).toEqual([['d1', 'not-ready']]);
    expect(s.view()).toMatchObject({ status: 'unavailable', reason: 'not-ready' });
    // Later clicks fall back at once, until the dialer shows up after all.
    s.panel.request(pending('d2'));
    expect(s.gaveUp).toEqual([
      ['d1', 'not-ready'],
      ['d2', 'not-ready'],
    ]);
    s.say('ready');
    expect(s.view()).toMatchObject({ status: 'ready' });
  });

  it('leaves a click made in another window to that window’s panel: no claim, no give-up, nothing shown', async () => {
    const s = session();
    s.panel.start();
    s.say('ready');
    const views = s.views.length;
    s.panel.request(pending('d1', 2));
    s.panel.request({ ...pending('d2', 2), state: 'fell-back', reason: 'not-ready' });
    await Promise.resolve();
    await Promise.resolve();
    expect(s.posted).toEqual([]);
    expect(s.views).toHaveLength(views);
    s.panel.stop();
    // Nor when this panel's dialer is unavailable: the other window's dialer may well be ready.
    const offline = session({ online: false });
    offline.panel.start();
    offline.panel.request(pending('d3', 2));
    expect(offline.gaveUp).toEqual([]);
  });

  it('leaves out a click from long ago, found when the panel opens', () => {
    const s = session();
    s.panel.start();
    s.panel.request({ ...pending(), at: -60_001, state: 'fell-back', reason: 'not-ready' });
    expect(s.views).toEqual([]);
    s.panel.request({ ...pending(), at: -59_000, state: 'fell-back', reason: 'not-ready' });
    expect(s.view()).toMatchObject({ current: { why: 'fell-back' }, reason: 'not-ready' });
    s.panel.stop();
  });

  it('falls back at once when offline', () => {
    const s = session({ online: false });
    s.panel.start();
    s.panel.request(pending());
    expect(s.gaveUp).toEqual([['d1', 'offline']]);
  });

  it('shows the call the dialer announced, and says when the teammate is signed in', () => {
    const s = session();
    s.panel.start();
    s.say('login');
    expect(s.view()).toMatchObject({ signedIn: true });
    s.say('incoming_call', { number: '+33698765432' });
    expect(s.view()).toMatchObject({ current: { e164: '+33698765432', why: 'incoming' } });
    expect(s.reported.at(-1)).toEqual({ type: 'call', direction: 'incoming', e164: '+33698765432' });
    s.panel.stop();
  });

  it('ignores messages from another origin or another source', () => {
    const s = session();
    s.panel.start();
    s.say('ready', undefined, 'https://evil.example');
    s.panel.receive({ origin: ORIGIN, data: { source: 'someone-else', type: 'ready' } });
    s.panel.receive({ origin: ORIGIN, data: { source: 'allo-dialer', type: 'incoming_caller' } });
    expect(s.views).toEqual([]);
    expect(s.reported).toEqual([]);
    s.panel.stop();
  });
});
