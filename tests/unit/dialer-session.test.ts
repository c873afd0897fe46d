import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DialRequest, DialRequests } from '@/lib/dialer/dial-requests';
import { PanelSession, type PanelView, REDIAL_WITHIN_MS } from '@/lib/dialer/panel-session';

const ORIGIN = 'http://dialer.test';

afterEach(() => {
  vi.useRealTimers();
});

/** The click's window had its panel open already: that panel alone may take the click. */
const PANEL_OPEN = Promise.resolve(true);

function requests(timeoutMs = 4_500) {
  const published: DialRequest[] = [];
  let n = 0;
  const dials = new DialRequests({ publish: async (r) => void published.push(r), newId: () => `d${++n}`, timeoutMs });
  return { dials, published };
}

describe('DialRequests', () => {
  it('answers opened once the panel claims the request, and a claim counts once', async () => {
    const { dials, published } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve(), PANEL_OPEN);
    expect(published.at(-1)).toMatchObject({ id: 'd1', tabId: 7, e164: '+33612345678', state: 'pending' });
    expect(await dials.claim('d1', { windowId: 1 })).toMatchObject({ state: 'dialed' });
    expect(await dials.claim('d1', { windowId: 1 })).toBeUndefined();
    await dials.giveUp('d1', 'not-ready', { windowId: 1 });
    await expect(outcome).resolves.toBe('opened');
  });

  it('falls back when the panel gives up, and then refuses a late claim (nothing rings twice)', async () => {
    const { dials, published } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve(), PANEL_OPEN);
    await dials.giveUp('d1', 'offline', { windowId: 1 });
    expect(await dials.claim('d1', { windowId: 1 })).toBeUndefined();
    await expect(outcome).resolves.toBe('fallback');
    expect(published.at(-1)).toMatchObject({ state: 'fell-back', reason: 'offline' });
  });

  it('falls back when Chrome would not open the panel', async () => {
    const { dials, published } = requests();
    await expect(dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.reject(new Error('no gesture')), PANEL_OPEN)).resolves.toBe('fallback');
    expect(published.at(-1)).toMatchObject({ reason: 'no-panel' });
  });

  it('falls back when nobody answers in time, within the click’s user activation', async () => {
    vi.useFakeTimers();
    const { dials } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', new Promise(() => undefined), PANEL_OPEN);
    vi.advanceTimersByTime(4_499);
    let settled = false;
    void outcome.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    vi.advanceTimersByTime(1);
    await expect(outcome).resolves.toBe('fallback');
    expect(await dials.claim('d1', { windowId: 1 })).toBeUndefined();
  });

  it('sends an unanswered click to tel: when a newer one arrives, so none is lost', async () => {
    const { dials } = requests();
    const first = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve(), PANEL_OPEN);
    const second = dials.open({ tabId: 7, windowId: 1 }, '+33698765432', Promise.resolve(), PANEL_OPEN);
    await expect(first).resolves.toBe('fallback');
    expect(await dials.claim('d2', { windowId: 1 })).toMatchObject({ e164: '+33698765432' });
    await expect(second).resolves.toBe('opened');
  });

  it('lets only the panel of the click’s window claim it or give it up', async () => {
    const { dials } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve(), PANEL_OPEN);
    expect(await dials.claim('d1', { windowId: 2 })).toBeUndefined();
    await dials.giveUp('d1', 'not-ready', { windowId: 2 });
    expect(await dials.claim('d1', { windowId: 1 })).toMatchObject({ state: 'dialed', windowId: 1 });
    await expect(outcome).resolves.toBe('opened');
  });

  it('hands a number clicked twice from one tab to one place: the second click carries it, the first does not fall back', async () => {
    for (const end of ['claimed', 'given up'] as const) {
      const { dials, published } = requests();
      const first = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve(), PANEL_OPEN);
      const second = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve(), PANEL_OPEN);
      if (end === 'claimed') expect(await dials.claim('d2', { windowId: 1 })).toMatchObject({ e164: '+33612345678' });
      else await dials.giveUp('d2', 'not-ready', { windowId: 1 });
      const outcomes = [await first, await second];
      expect({ end, outcomes }).toEqual({ end, outcomes: end === 'claimed' ? ['opened', 'opened'] : ['opened', 'fallback'] });
      expect(published.filter((r) => r.id === 'd1' && r.state !== 'pending')).toEqual([]);
    }
  });
});

describe('DialRequests and a dialer in a window of its own', () => {
  it('it takes a click from any window whose panel was not open', async () => {
    const { dials } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve(), Promise.resolve(false));
    expect(await dials.claim('d1', { windowId: 9, dialerWindow: true })).toMatchObject({ state: 'dialed', windowId: 1 });
    // Once: the panel this click opened finds it taken.
    expect(await dials.claim('d1', { windowId: 1 })).toBeUndefined();
    await expect(outcome).resolves.toBe('opened');
  });

  it('it may give such a click up, to tel:', async () => {
    const { dials, published } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve(), Promise.resolve(false));
    await dials.giveUp('d1', 'offline', { windowId: 9, dialerWindow: true });
    await expect(outcome).resolves.toBe('fallback');
    expect(published.at(-1)).toMatchObject({ state: 'fell-back', reason: 'offline' });
  });

  it('a click made where the panel was already open is that panel’s alone', async () => {
    const { dials } = requests();
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve(), Promise.resolve(true));
    expect(await dials.claim('d1', { windowId: 9, dialerWindow: true })).toBeUndefined();
    await dials.giveUp('d1', 'not-ready', { windowId: 9, dialerWindow: true });
    expect(await dials.claim('d1', { windowId: 1 })).toMatchObject({ state: 'dialed' });
    await expect(outcome).resolves.toBe('opened');
  });

  it('a claim that waited for the answer about the panel does not take a click that ended meanwhile', async () => {
    const { dials } = requests();
    let answer: (open: boolean) => void = () => undefined;
    const outcome = dials.open({ tabId: 7, windowId: 1 }, '+33612345678', Promise.resolve(), new Promise<boolean>((resolve) => (answer = resolve)));
    const late = dials.claim('d1', { windowId: 9, dialerWindow: true });
    expect(await dials.claim('d1', { windowId: 1 })).toMatchObject({ state: 'dialed' });
    answer(false);
    expect(await late).toBeUndefined();
    await expect(outcome).resolves.toBe('opened');
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

  it('dials a number chosen in the panel (name search) now, or once the dialer is ready, or sends it to tel: when it never is', () => {
    vi.useFakeTimers();
    const dial = (e164: string) => ({ source: 'allo-host', type: 'dial', payload: { phoneNumber: e164 } });
    const fellBack: string[] = [];
    const ready = session();
    ready.panel.start();
    ready.say('ready');
    ready.panel.dialHere('+33612345678', () => fellBack.push('ready'));
    expect(ready.posted).toEqual([dial('+33612345678')]);
    expect(ready.view()).toMatchObject({ current: { e164: '+33612345678', why: 'dial' } });

    const loading = session();
    loading.panel.start();
    loading.panel.dialHere('+33612345679', () => fellBack.push('loading'));
    expect(loading.posted).toEqual([]);
    loading.say('ready');
    expect(loading.posted).toEqual([dial('+33612345679')]);

    // Never ready: the user's choice is not dropped, it goes to tel:, and the panel says so.
    const never = session();
    never.panel.start();
    never.panel.dialHere('+33612345670', () => fellBack.push('never'));
    vi.advanceTimersByTime(3_500);
    expect(never.posted).toEqual([]);
    expect(never.view()).toMatchObject({ status: 'unavailable', current: { e164: '+33612345670', why: 'fell-back' } });
    never.panel.dialHere('+33612345671', () => fellBack.push('never again'));
    expect(fellBack).toEqual(['never', 'never again']);
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

  it('in a window of its own, takes a click from any window, and shows it only once it has it', async () => {
    for (const claimed of [true, false]) {
      const posted: unknown[] = [];
      const views: PanelView[] = [];
      const claims: string[] = [];
      const dialer = new PanelSession({
        dialerOrigin: ORIGIN,
        post: (command) => posted.push(command),
        claim: async (id) => {
          claims.push(id);
          return claimed ? { id, tabId: 7, windowId: 2, e164: '+33612345678', at: 0, state: 'dialed' } : undefined;
        },
        giveUp: async () => undefined,
        report: () => undefined,
        online: () => true,
        onChange: (view) => views.push(view),
        now: () => 0,
        windowId: 9,
        anyWindow: true,
      });
      dialer.start();
      dialer.receive({ origin: ORIGIN, data: { source: 'allo-dialer', type: 'ready' } });
      dialer.request(pending('d1', 2));
      await vi.waitFor(() => expect(claims).toEqual(['d1']));
      await Promise.resolve();
      if (claimed) {
        expect(posted).toEqual([{ source: 'allo-host', type: 'dial', payload: { phoneNumber: '+33612345678' } }]);
        expect(views.at(-1)).toMatchObject({ current: { e164: '+33612345678', why: 'dial' } });
      } else {
        // The panel of the click's window had it: nothing here says otherwise.
        expect(posted).toEqual([]);
        expect(views.at(-1)?.current).toBeUndefined();
      }
      // Another window's click that went to tel: without passing here is not this dialer's news.
      const seen = views.length;
      dialer.request({ ...pending('d2', 3), state: 'fell-back', reason: 'not-ready' });
      expect(views).toHaveLength(seen);
      dialer.stop();
    }
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
