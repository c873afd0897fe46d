/**
 * Issue 20, item 6: an incoming call nobody answered raises one Chrome notification naming the
 * caller, with "Call back" and "Open in Sellsy"; never twice for one call, whichever source told
 * of it (the dialer, Allo's API through the poller) and however often the worker restarts; never
 * for a call first seen more than an hour late; off by a setting.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AlloCallItem } from '@/lib/allo/api-client';
import { createBackgroundApp } from '@/lib/background/create-app';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import { CallPoller, type PollState } from '@/lib/calls/call-poller';
import { CallStore } from '@/lib/calls/call-store';
import { AlloClient } from '@/lib/allo/api-client';
import { readConfig } from '@/lib/config';
import { CALL_BACK_FRESH_MS, callBackItem, takeCallBack } from '@/lib/dialer/call-from-panel';
import type { NumberRecords } from '@/lib/dialer/number-records';
import { PanelSession } from '@/lib/dialer/panel-session';
import { parseDialerMessage } from '@/lib/dialer/protocol';
import { CALL_BACK_BUTTON, OPEN_IN_SELLSY_BUTTON, registerMissedCallClicks } from '@/lib/missed-calls/missed-call-clicks';
import { createMissedCallNotifier, type MissedCallWords, missedCallsItem, readNotedMissedCalls } from '@/lib/missed-calls/missed-call-notifier';
import {
  DIALER_REPEAT_MS,
  decideMissedCall,
  isMissedInAllo,
  KEEP_MS,
  MAX_NOTED,
  type MissedCallSeen,
  type NotedMissedCall,
  notificationIdOf,
  parseNotificationId,
  SAME_CALL_MS,
  TOO_OLD_MS,
} from '@/lib/missed-calls/missed-call-rule';
import { missedCallNotificationsSetting } from '@/lib/settings';
import { noAppHosts } from '../support/no-app-hosts';

const NOW = Date.parse('2026-12-06T10:00:00Z');
const MARIE = '+33612345678';
const USER = { id: 'usr-1', name: 'Camille Martin', email: 'camille@example.fr' };
const MIN = 60_000;

const allo = (alloId: string, at: number, e164 = MARIE): MissedCallSeen => ({ source: 'allo', e164, at, alloId });
const dialer = (at: number, e164 = MARIE): MissedCallSeen => ({ source: 'dialer', e164, at });

/** Feeds the rule as the notifier does, one report after another; says which were notified. */
function run(
  reports: Array<[MissedCallSeen, number]>,
  enabled = true,
  start: NotedMissedCall[] = [],
): { notified: MissedCallSeen[]; noted: NotedMissedCall[] } {
  let noted = start;
  const notified: MissedCallSeen[] = [];
  for (const [seen, now] of reports) {
    const decision = decideMissedCall(noted, seen, now, enabled);
    noted = decision.noted;
    if (decision.notify) notified.push(seen);
  }
  return { notified, noted };
}

describe('which calls are missed calls', () => {
  it.each([
    ['an incoming call with no result', { direction: 'INBOUND', result: null }, true],
    ['an incoming call Allo’s voicemail took', { direction: 'INBOUND', result: 'VOICEMAIL' }, true],
    ['an incoming call answered', { direction: 'INBOUND', result: 'ANSWERED' }, false],
    ['an incoming call transferred', { direction: 'INBOUND', result: 'TRANSFERRED' }, false],
    ['an outgoing call nobody answered', { direction: 'OUTBOUND', result: null }, false],
  ])('%s: %s', (_what, item, missed) => {
    expect(isMissedInAllo(item)).toBe(missed);
  });
});

describe('the rule: one notification per call', () => {
  it('notifies a call Allo lists, once, however many polls read it again', () => {
    const { notified } = run([
      [allo('cll-1', NOW - 2 * MIN), NOW],
      [allo('cll-1', NOW - 2 * MIN), NOW + MIN],
      [allo('cll-1', NOW - 2 * MIN), NOW + 3 * 60 * MIN],
    ]);
    expect(notified).toEqual([allo('cll-1', NOW - 2 * MIN)]);
  });

  it('a call the dialer reported, then Allo listed (no id links them): one notification, the dialer’s', () => {
    const { notified, noted } = run([
      [dialer(NOW), NOW],
      // Allo dates the call when it started ringing, a little before the dialer said "missed".
      [allo('cll-1', NOW - 40_000), NOW + 2 * MIN],
    ]);
    expect(notified).toEqual([dialer(NOW)]);
    expect(noted).toEqual([{ e164: MARIE, at: NOW, dialer: true, alloId: 'cll-1', notified: true, notedAt: NOW }]);
  });

  it('a call Allo listed before the dialer said so: one notification', () => {
    const { notified } = run([
      [allo('cll-1', NOW - 30_000), NOW],
      [dialer(NOW + 5_000), NOW + 5_000],
    ]);
    expect(notified).toEqual([allo('cll-1', NOW - 30_000)]);
  });

  it('the panel and the dialer window both report it: one notification', () => {
    expect(
      run([
        [dialer(NOW), NOW],
        [dialer(NOW + 200), NOW + 200],
      ]).notified,
    ).toHaveLength(1);
  });

  it('the same caller again later is another call', () => {
    const { notified } = run([
      [dialer(NOW), NOW],
      [dialer(NOW + DIALER_REPEAT_MS + 1), NOW + DIALER_REPEAT_MS + 1],
      [allo('cll-9', NOW + SAME_CALL_MS + 30 * MIN), NOW + 40 * MIN],
    ]);
    expect(notified).toHaveLength(3);
  });

  it('another caller at the same moment is another call', () => {
    expect(
      run([
        [dialer(NOW), NOW],
        [allo('cll-2', NOW - 10_000, '+33123456789'), NOW + MIN],
      ]).notified,
    ).toHaveLength(2);
  });

  it('one dialer report takes one Allo call, the nearest; a second call of that caller is news', () => {
    const { notified, noted } = run([
      [dialer(NOW), NOW],
      [allo('cll-far', NOW - 2.5 * MIN), NOW + 2 * MIN],
      [allo('cll-near', NOW - 30_000), NOW + 2 * MIN],
    ]);
    // Read in that order, the first Allo call within the window pairs with the report...
    expect(notified.map((seen) => seen.alloId ?? 'dialer')).toEqual(['dialer', 'cll-near']);
    expect(noted.find((call) => call.dialer)?.alloId).toBe('cll-far');
  });

  it('a call first seen more than an hour after it rang is never notified (a back-fill, a first poll)', () => {
    const { notified, noted } = run([
      [allo('cll-old', NOW - TOO_OLD_MS - 1), NOW],
      [allo('cll-recent', NOW - TOO_OLD_MS + MIN), NOW],
    ]);
    expect(notified.map((seen) => seen.alloId)).toEqual(['cll-recent']);
    expect(noted.map((call) => call.alloId)).toEqual(['cll-recent']);
  });

  it('with notifications off, a call is noted and never notified, even once they are on again', () => {
    const off = run([[allo('cll-1', NOW - MIN), NOW]], false);
    expect(off.notified).toEqual([]);
    expect(off.noted).toEqual([{ e164: MARIE, at: NOW - MIN, alloId: 'cll-1', notified: false, notedAt: NOW }]);
    const on = run(
      [
        [allo('cll-1', NOW - MIN), NOW + MIN],
        [allo('cll-2', NOW + MIN), NOW + 2 * MIN],
      ],
      true,
      off.noted,
    );
    expect(on.notified.map((seen) => seen.alloId)).toEqual(['cll-2']);
  });

  it('keeps a day of calls, and at most a few hundred', () => {
    const old: NotedMissedCall = { e164: MARIE, at: NOW - KEEP_MS - MIN, alloId: 'cll-old', notified: true, notedAt: NOW - KEEP_MS - MIN };
    const many = Array.from(
      { length: MAX_NOTED + 20 },
      (_, i): NotedMissedCall => ({ e164: MARIE, at: NOW - i, alloId: `cll-${i}`, notified: true, notedAt: NOW - 1 }),
    );
    const { noted } = run([[allo('cll-new', NOW), NOW]], true, [old, ...many]);
    expect(noted).toHaveLength(MAX_NOTED);
    expect(noted.some((call) => call.alloId === 'cll-old')).toBe(false);
    expect(noted.at(-1)?.alloId).toBe('cll-new');
  });

  it('a notification id carries the number and the window, and nothing else can be taken for one', () => {
    const call: NotedMissedCall = { e164: MARIE, at: NOW, alloId: 'cll-1', notified: true, notedAt: NOW };
    expect(parseNotificationId(notificationIdOf(call, 7))).toEqual({ e164: MARIE, windowId: 7 });
    expect(parseNotificationId(notificationIdOf({ ...call, alloId: undefined }, undefined))).toEqual({ e164: MARIE });
    expect(parseNotificationId(notificationIdOf({ ...call, alloId: 'odd id/with:colons' }, 3))).toEqual({ e164: MARIE, windowId: 3 });
    for (const id of ['', 'missed:+33612345678', 'other:+33612345678:1:cll-1', 'missed:0612345678:1:cll-1', 'missed:+33612345678:x:cll-1']) {
      expect(parseNotificationId(id)).toBeUndefined();
    }
  });
});

const WORDS: MissedCallWords = {
  title: (voicemail) => (voicemail ? 'Missed call, voicemail left' : 'Missed call'),
  caller: (name, others) => (others > 0 ? `${name} and ${others} other${others > 1 ? 's' : ''}` : name),
  notInSellsy: () => 'Not in Sellsy',
  callBack: () => 'Call back',
  openInSellsy: () => 'Open in Sellsy',
};

const MARIE_RECORDS: NumberRecords & { more: number } = {
  records: [{ key: 'contact:1', kind: 'contact', name: 'Marie Dupont', companyName: 'Acme SAS', url: 'https://www.sellsy.com/peoples/1' }],
  complete: true,
  more: 0,
};

function notifier(options: { records?: (e164: string) => Promise<NumberRecords & { more: number }>; now?: () => number; windowId?: number } = {}) {
  return createMissedCallNotifier({
    notifications: fakeBrowser.notifications,
    iconUrl: 'chrome-extension://test/icon/128.png',
    words: WORDS,
    enabled: async () => (await missedCallNotificationsSetting.getValue()) !== false,
    records: options.records ?? (async () => MARIE_RECORDS),
    country: async () => 'FR',
    frontWindow: async () => options.windowId ?? 4,
    now: options.now ?? (() => NOW),
  });
}

const shown = () => fakeBrowser.notifications.getAllCreateOptions();

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const item = (id: string, fields: Partial<AlloCallItem> = {}) => ({
  id,
  type: 'CALL',
  direction: 'INBOUND',
  allo_number: '+33159000000',
  contact_number: MARIE,
  contacts: [],
  user: USER,
  date: new Date(NOW - 2 * MIN).toISOString(),
  duration: 0,
  result: null,
  recording_url: null,
  summary: null,
  tags: [],
  ...fields,
});

let db = 0;
/** A poller on a fake Allo that lists `page`, telling the notifier what it read, as the background wires it. */
function pollerFor(page: () => unknown[], onCallsRead: (items: AlloCallItem[]) => Promise<void>) {
  let state: PollState | null = null;
  return new CallPoller({
    allo: new AlloClient({
      apiUrl: 'https://allo',
      apiKey: async () => 'key',
      fetch: async (url) => json(String(url).endsWith('/search') ? { data: page(), pagination: { has_more: false } } : { data: [] }),
    }),
    calls: new CallStore(openCacheDb(`missed-${++db}`)),
    loadState: async () => state,
    saveState: async (saved) => {
      state = saved;
    },
    onCallsRead,
    now: () => NOW,
  });
}

describe('the notification', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('a missed call the poller finds is notified once, naming the caller, with both buttons', async () => {
    const missed = notifier();
    const poller = pollerFor(
      () => [item('cll-missed'), item('cll-answered', { result: 'ANSWERED', duration: 60 }), item('cll-out', { direction: 'OUTBOUND' })],
      (items) => missed.fromAllo(items),
    );
    await poller.poll(USER.id, NOW - 60 * MIN);
    await poller.poll(USER.id, NOW - 60 * MIN);
    expect(shown()).toEqual({
      'missed:+33612345678:4:cll-missed': {
        type: 'basic',
        iconUrl: 'chrome-extension://test/icon/128.png',
        title: 'Missed call',
        message: 'Marie Dupont (Acme SAS)',
        contextMessage: '06 12 34 56 78',
        buttons: [{ title: 'Call back' }, { title: 'Open in Sellsy' }],
        eventTime: NOW - 2 * MIN,
        requireInteraction: true,
        priority: 2,
      },
    });
  });

  it('is not shown again after the service worker restarts', async () => {
    await notifier().fromAllo([item('cll-1') as AlloCallItem]);
    fakeBrowser.notifications.resetState();
    // A new worker: nothing in memory, the same storage.
    await notifier({ now: () => NOW + 5 * MIN }).fromAllo([item('cll-1') as AlloCallItem]);
    // The dialer's late report of it (2 minutes after Allo's date) is the same call too.
    await notifier().fromDialer(MARIE);
    expect(shown()).toEqual({});
    expect((await readNotedMissedCalls()).map((call) => call.alloId)).toEqual(['cll-1']);
  });

  it('the dialer’s report comes first; the poller’s find of the same call adds nothing', async () => {
    const missed = notifier();
    await missed.fromDialer(MARIE);
    const poller = pollerFor(
      () => [item('cll-1', { date: new Date(NOW - 45_000).toISOString() })],
      (items) => missed.fromAllo(items),
    );
    await poller.poll(USER.id, NOW - 60 * MIN);
    expect(Object.keys(shown())).toEqual([`missed:${MARIE}:4:at-${NOW}`]);
  });

  it('reports read together are noted one after another: two sources at once still make one', async () => {
    const missed = notifier();
    await Promise.all([missed.fromDialer(MARIE), missed.fromAllo([item('cll-1', { date: new Date(NOW - 20_000).toISOString() }) as AlloCallItem])]);
    expect(Object.keys(shown())).toHaveLength(1);
  });

  it('says when the caller left a voicemail', async () => {
    await notifier().fromAllo([item('cll-1', { result: 'VOICEMAIL', duration: 25 }) as AlloCallItem]);
    expect(Object.values(shown())[0]).toMatchObject({ title: 'Missed call, voicemail left' });
  });

  it('counts the other records with the number (plural-aware words)', async () => {
    const records = async () => ({ ...MARIE_RECORDS, records: [...MARIE_RECORDS.records, { ...MARIE_RECORDS.records[0]!, key: 'contact:2' }], more: 1 });
    await notifier({ records }).fromAllo([item('cll-1') as AlloCallItem]);
    expect(Object.values(shown())[0]).toMatchObject({ message: 'Marie Dupont (Acme SAS) and 2 others' });
  });

  it('a number in no record: the number, "Not in Sellsy" once the cache is complete, and Call back only', async () => {
    await notifier({ records: async () => ({ records: [], complete: true, more: 0 }) }).fromAllo([
      item('cll-1', { contact_number: '+33698765400' }) as AlloCallItem,
    ]);
    await notifier({ records: async () => ({ records: [], complete: false, more: 0 }) }).fromAllo([
      item('cll-2', { contact_number: '+33698765401' }) as AlloCallItem,
    ]);
    const [unknown, notSynced] = Object.values(shown());
    expect(unknown).toMatchObject({ message: '06 98 76 54 00', contextMessage: 'Not in Sellsy', buttons: [{ title: 'Call back' }] });
    expect(notSynced).toMatchObject({ message: '06 98 76 54 01', buttons: [{ title: 'Call back' }] });
    expect(notSynced).not.toHaveProperty('contextMessage');
  });

  it('the cache cannot answer: the number alone, still notified', async () => {
    await notifier({ records: async () => Promise.reject(new Error('IndexedDB closed')) }).fromAllo([item('cll-1') as AlloCallItem]);
    expect(Object.values(shown())[0]).toMatchObject({ message: '06 12 34 56 78', buttons: [{ title: 'Call back' }] });
  });

  it('off in the options: nothing shown, and turning it on does not bring back what was missed meanwhile', async () => {
    await missedCallNotificationsSetting.setValue(false);
    await notifier().fromAllo([item('cll-1') as AlloCallItem]);
    await notifier().fromDialer(MARIE);
    expect(shown()).toEqual({});
    await missedCallNotificationsSetting.setValue(true);
    await notifier({ now: () => NOW + MIN }).fromAllo([item('cll-1') as AlloCallItem, item('cll-2', { date: new Date(NOW).toISOString() }) as AlloCallItem]);
    expect(Object.keys(shown())).toEqual([`missed:${MARIE}:4:cll-2`]);
  });

  it('is on by default', async () => {
    expect(await missedCallNotificationsSetting.getValue()).toBe(true);
  });

  it('a stored list of another shape counts as none; odd entries are left out', async () => {
    await missedCallsItem.setValue('garbage' as never);
    expect(await readNotedMissedCalls()).toEqual([]);
    await missedCallsItem.setValue([{ e164: 'x' }, { e164: MARIE, at: NOW, notified: true, notedAt: NOW }] as never);
    expect(await readNotedMissedCalls()).toEqual([{ e164: MARIE, at: NOW, notified: true, notedAt: NOW }]);
  });
});

describe('the notification’s buttons (WXT’s fake browser)', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  function listen() {
    const order: string[] = [];
    const actions = {
      callBack: vi.fn(async (e164: string, windowId: number | undefined) => void order.push(`call ${e164} in ${windowId}`)),
      openInSellsy: vi.fn(async (e164: string, windowId: number | undefined) => void order.push(`open ${e164} in ${windowId}`)),
    };
    registerMissedCallClicks(fakeBrowser.notifications, actions);
    return { actions, order };
  }

  async function showOne(windowId = 4): Promise<string> {
    await notifier({ windowId }).fromAllo([item('cll-1') as AlloCallItem]);
    return Object.keys(shown())[0]!;
  }

  it('Call back is asked within the click, before anything is awaited (Chrome opens the side panel only then)', async () => {
    const { actions } = listen();
    const id = await showOne();
    const clicked = fakeBrowser.notifications.onButtonClicked.trigger(id, CALL_BACK_BUTTON);
    expect(actions.callBack).toHaveBeenCalledWith(MARIE, 4);
    await clicked;
    expect(actions.openInSellsy).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(shown()).toEqual({}));
  });

  it('Open in Sellsy, and a click on the notification itself, open the record', async () => {
    const { order } = listen();
    const first = await showOne(4);
    await fakeBrowser.notifications.onButtonClicked.trigger(first, OPEN_IN_SELLSY_BUTTON);
    await notifier({ windowId: 9 }).fromAllo([item('cll-2', { date: new Date(NOW).toISOString() }) as AlloCallItem]);
    const second = Object.keys(shown())[0]!;
    await fakeBrowser.notifications.onClicked.trigger(second);
    expect(order).toEqual([`open ${MARIE} in 4`, `open ${MARIE} in 9`]);
    await vi.waitFor(() => expect(shown()).toEqual({}));
  });

  it('a notification that is not a missed call’s, or a button it does not have, does nothing', async () => {
    const { actions } = listen();
    await fakeBrowser.notifications.create('something-else', { type: 'basic', iconUrl: 'x', title: 't', message: 'm' });
    await fakeBrowser.notifications.onButtonClicked.trigger('something-else', CALL_BACK_BUTTON);
    await fakeBrowser.notifications.onClicked.trigger('something-else');
    const id = await showOne();
    await fakeBrowser.notifications.onButtonClicked.trigger(id, 2);
    expect(actions.callBack).not.toHaveBeenCalled();
    expect(actions.openInSellsy).not.toHaveBeenCalled();
    expect(Object.keys(shown())).toEqual(expect.arrayContaining(['something-else', id]));
  });

  it('an action that fails leaves no unhandled rejection, and the notification still goes', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    registerMissedCallClicks(fakeBrowser.notifications, {
      callBack: async () => Promise.reject(new Error('no window')),
      openInSellsy: async () => undefined,
    });
    const id = await showOne();
    await fakeBrowser.notifications.onButtonClicked.trigger(id, CALL_BACK_BUTTON);
    await vi.waitFor(() => expect(errors).toHaveBeenCalled());
    expect(shown()).toEqual({});
  });
});

describe('the background’s Call back and Open in Sellsy', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  function background(open: (options: { windowId: number } | { tabId: number }) => Promise<void>) {
    return createBackgroundApp({
      config: readConfig({}),
      identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
      storageClosed: Promise.resolve(true),
      action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined },
      i18n: { getMessage: (key) => key },
      sidePanel: { open },
      notifications: fakeBrowser.notifications,
      ...noAppHosts(),
    });
  }

  it('opens the side panel of the notified window at once, and leaves it the number', async () => {
    const open = vi.fn(async () => undefined);
    const app = background(open);
    const done = app.callBack(MARIE, 4);
    // Synchronously: an await before it would lose the click's gesture.
    expect(open).toHaveBeenCalledWith({ windowId: 4 });
    await done;
    expect(await callBackItem.getValue()).toMatchObject({ e164: MARIE, windowId: 4 });
    const created = vi.spyOn(fakeBrowser.windows, 'create');
    expect(created).not.toHaveBeenCalled();
  });

  it('where the panel cannot open, the dialer opens in a window of its own and takes the number', async () => {
    const created = vi.spyOn(fakeBrowser.windows, 'create');
    const app = background(async () => Promise.reject(new Error('No window with id: 4')));
    await app.callBack(MARIE, 4);
    const request = await callBackItem.getValue();
    expect(request).toMatchObject({ e164: MARIE });
    expect(request).not.toHaveProperty('windowId');
    expect(created).toHaveBeenCalledWith(expect.objectContaining({ url: expect.stringMatching(/\/sidepanel\.html\?window$/), type: 'popup' }));
  });

  it('Open in Sellsy opens the record with the number; a number in no record opens nothing', async () => {
    await new RecordCache(openCacheDb()).writePage(
      {
        kind: 'individual',
        put: [
          {
            key: 'individual:5',
            kind: 'individual',
            sellsyId: 5,
            name: 'Marie Dupont',
            phones: [MARIE],
            rawPhones: ['06 12 34 56 78'],
            updated: '2026-12-01T00:00:00Z',
          },
        ],
        remove: [],
      },
      () => ({ cursor: null, done: true, seen: 1, startedAt: 0 }),
    );
    const created = vi.spyOn(fakeBrowser.tabs, 'create');
    const app = background(async () => undefined);
    await app.openInSellsy('+33698765400', 0);
    expect(created).not.toHaveBeenCalled();
    await app.openInSellsy(MARIE, 0);
    expect(created).toHaveBeenCalledWith(expect.objectContaining({ url: 'https://www.sellsy.com/individuals/5' }));
  });

  it('a missed call the dialer reports is notified (a call the dialer saw start is not)', async () => {
    const app = background(async () => undefined);
    const unknown = '+33698765400';
    await app.dialerEvent({ type: 'call', direction: 'incoming', e164: unknown });
    expect(shown()).toEqual({});
    await app.dialerEvent({ type: 'missed', e164: unknown });
    await app.dialerEvent({ type: 'missed', e164: unknown });
    expect(Object.values(shown())).toEqual([
      expect.objectContaining({ title: 'missedCallTitle', message: '06 98 76 54 00', buttons: [{ title: 'missedCallBack' }] }),
    ]);
  });
});

describe('the side panel takes a Call back once', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('the panel of the notified window takes it; another window’s does not; nobody takes it twice', async () => {
    await callBackItem.setValue({ id: 'r1', e164: MARIE, at: NOW, windowId: 4 });
    expect(await takeCallBack({ windowId: 5, inWindow: false }, NOW)).toBeUndefined();
    expect(await takeCallBack({ windowId: 4, inWindow: true }, NOW)).toBeUndefined();
    expect(await takeCallBack({ windowId: 4, inWindow: false }, NOW)).toBe(MARIE);
    expect(await takeCallBack({ windowId: 4, inWindow: false }, NOW)).toBeUndefined();
  });

  it('the panel’s first look and the watch, at once, take it once', async () => {
    await callBackItem.setValue({ id: 'r1', e164: MARIE, at: NOW, windowId: 4 });
    const takes = await Promise.all([takeCallBack({ windowId: 4, inWindow: false }, NOW), takeCallBack({ windowId: 4, inWindow: false }, NOW)]);
    expect(takes.filter(Boolean)).toEqual([MARIE]);
  });

  it('a request for no window is the dialer window’s', async () => {
    await callBackItem.setValue({ id: 'r1', e164: MARIE, at: NOW });
    expect(await takeCallBack({ windowId: 4, inWindow: false }, NOW)).toBeUndefined();
    expect(await takeCallBack({ windowId: 12, inWindow: true }, NOW)).toBe(MARIE);
  });

  it('a request found long after (a panel opened later) is not acted on', async () => {
    await callBackItem.setValue({ id: 'r1', e164: MARIE, at: NOW, windowId: 4 });
    expect(await takeCallBack({ windowId: 4, inWindow: false }, NOW + CALL_BACK_FRESH_MS + 1)).toBeUndefined();
  });
});

describe('the dialer says a call was missed', () => {
  const ORIGIN = 'https://web.withallo.com';

  it('`missed_call` (assumed, like the incoming event’s name) is read with its number', () => {
    const message = (payload: unknown) => ({ origin: ORIGIN, data: { source: 'allo-dialer', type: 'missed_call', payload } });
    expect(parseDialerMessage(message({ phoneNumber: '06 12 34 56 78' }), ORIGIN)).toEqual({ type: 'missed', e164: MARIE });
    expect(parseDialerMessage(message(undefined), ORIGIN)).toEqual({ type: 'missed' });
    expect(parseDialerMessage({ ...message({ phoneNumber: MARIE }), origin: 'https://evil.example' }, ORIGIN)).toBeUndefined();
  });

  it('the panel reports it to the background and keeps showing the caller', () => {
    const reported: unknown[] = [];
    const views: unknown[] = [];
    const panel = new PanelSession({
      dialerOrigin: ORIGIN,
      windowId: 1,
      post: () => undefined,
      claim: async () => undefined,
      giveUp: async () => undefined,
      report: (event) => reported.push(event),
      online: () => true,
      onChange: (view) => views.push(view),
    });
    panel.receive({ origin: ORIGIN, data: { source: 'allo-dialer', type: 'missed_call', payload: { phoneNumber: MARIE } } });
    expect(reported).toEqual([{ type: 'missed', e164: MARIE }]);
    expect(views.at(-1)).toMatchObject({ current: { e164: MARIE, why: 'incoming' } });
  });
});
