import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Browser } from '#imports';
import { CALL_POLL_ALARM, CONTACT_SYNC_ALARM, CONTACT_SYNC_PERIOD_MINUTES } from '@/lib/background/alarms';
import type { ProtocolMap } from '@/lib/messaging';

// The real entrypoint on WXT's fake browser: which alarms it sets, and which sender may ask what.
// No request leaves: there is no Sellsy client id here, and storage.local cannot be closed in the
// fake browser, so no Allo key is ever checked.

type MessageType = keyof ProtocolMap;
type Response = { res?: unknown; err?: { message?: string } };

const ID = fakeBrowser.runtime.id;
const tab = {
  id: 7,
  index: 0,
  pinned: false,
  highlighted: false,
  windowId: 0,
  active: true,
  incognito: false,
  selected: false,
  discarded: false,
  autoDiscardable: true,
  groupId: -1,
  frozen: false,
  lastAccessed: 0,
};

const SENDERS = {
  'own extension page': { id: ID, url: `chrome-extension://${ID}/popup.html` },
  'our content script on Sellsy': { id: ID, url: 'https://www.sellsy.com/contacts/958', tab },
  'our content script in an about:blank frame of Sellsy': { id: ID, url: 'about:blank', origin: 'https://www.sellsy.com', tab },
  'our content script on another site': { id: ID, url: 'https://evil.example/', tab },
  'our content script in an about:blank frame of another site': { id: ID, url: 'about:blank', origin: 'https://evil.example', tab },
  'our content script on an app host the user added': { id: ID, url: 'https://eu.sellsy.com/peoples/958', tab },
  'our content script on a Sellsy host nobody added': { id: ID, url: 'https://other.sellsy.com/peoples/958', tab },
  'another extension': { id: 'other-extension-id', url: 'chrome-extension://other-extension-id/popup.html' },
  'a page with no tab': { id: ID, url: 'https://www.sellsy.com/contacts/958' },
} satisfies Record<string, Browser.runtime.MessageSender>;

// One well-formed payload per message: the type makes the list cover the whole protocol.
const VALID: { [K in MessageType]: Parameters<ProtocolMap[K]>[0] } = {
  openAlloWebApp: undefined,
  lookupNumber: { e164: '+33612345678' },
  pagePolicy: undefined,
  getStatus: { verify: false },
  connectSellsy: undefined,
  disconnectSellsy: undefined,
  setAlloApiKey: { key: 'allo-key' },
  disconnectAllo: undefined,
  syncNow: undefined,
  listCalls: { limit: 20 },
  refreshCalls: undefined,
  retryCall: { alloId: 'cll-1' },
  listenToRecording: { alloId: 'cll-1' },
  listAlloUsers: undefined,
  setAlloUser: { user: { id: 'usr-1', name: 'Camille Martin', email: 'camille@example.fr' } },
  openDialer: { e164: '+33612345678' },
  claimDial: { id: 'dial-1', windowId: 1 },
  giveUpDial: { id: 'dial-1', reason: 'not-ready', windowId: 1 },
  dialerEvent: { event: { type: 'login' } },
  numberRecords: { e164: '+33612345678' },
  callHistory: { e164: '+33612345678' },
  searchRecords: { query: 'dup mar' },
  createContact: { e164: '+33612345678', firstName: 'Marie', lastName: 'Dupont', company: '' },
  callNote: { call: { e164: '+33612345678', startedAt: 1_765_000_000_000 } },
  saveCallNote: { id: 'note-1', text: 'Rappeler lundi', outcome: 'busy' },
  createFollowUp: { e164: '+33612345678', record: { key: 'contact:7', name: 'Marie Dupont' }, dueAt: '2026-12-07T09:00:00+01:00' },
  retryFollowUp: { id: '0b7c3f7e-5d0a-4c1e-9d5e' },
  getSellsyClient: undefined,
  testSellsyAccess: undefined,
  listAppHosts: undefined,
  addAppHost: { host: 'eu.sellsy.com' },
  removeAppHost: { host: 'eu.sellsy.com' },
  getRecordLinks: undefined,
  setRecordLinks: { appUrl: 'https://eu.sellsy.com', paths: { contact: 'contacts/{id}' } },
  testRecordLink: { path: 'prospect' },
  setSellsyClient: { client: { clientId: 'acme-private-client', clientSecret: 's3cret' } },
};
const MESSAGES = Object.keys(VALID) as MessageType[];

// A content script runs beside the page's own code: it may only look numbers up and open Allo.
const CONTENT_SCRIPT_MESSAGES: MessageType[] = ['lookupNumber', 'openAlloWebApp', 'openDialer', 'pagePolicy'];
const ALLOWED: Record<keyof typeof SENDERS, MessageType[]> = {
  // The dialer opens on the tab of a click: a page with no tab cannot ask for it.
  'own extension page': MESSAGES.filter((type) => type !== 'openDialer'),
  'our content script on Sellsy': CONTENT_SCRIPT_MESSAGES,
  'our content script in an about:blank frame of Sellsy': CONTENT_SCRIPT_MESSAGES,
  'our content script on another site': [],
  'our content script in an about:blank frame of another site': [],
  'our content script on an app host the user added': CONTENT_SCRIPT_MESSAGES,
  'our content script on a Sellsy host nobody added': [],
  'another extension': [],
  'a page with no tab': [],
};

const MALFORMED: Array<[MessageType, unknown]> = [
  ['openAlloWebApp', { url: 'https://evil.example/' }],
  ['lookupNumber', { e164: '0612345678' }],
  ['lookupNumber', { e164: `+${'1'.repeat(16)}` }],
  ['lookupNumber', undefined],
  ['pagePolicy', { keys: ['alloApiKey'] }],
  ['getStatus', { verify: 'yes' }],
  ['connectSellsy', { clientId: 'other' }],
  ['disconnectSellsy', 1],
  ['setAlloApiKey', { key: 'k'.repeat(501) }],
  ['setAlloApiKey', { key: 42 }],
  ['disconnectAllo', 'now'],
  ['syncNow', { full: true }],
  ['listCalls', { limit: 0 }],
  ['listCalls', { limit: 101 }],
  ['listCalls', { limit: '20' }],
  ['refreshCalls', { force: true }],
  ['retryCall', { alloId: '' }],
  ['retryCall', { alloId: 'x'.repeat(101) }],
  ['listenToRecording', { alloId: 'msg-1' }],
  ['listenToRecording', { alloId: 'cll-1/../../v2/api/me' }],
  ['listAlloUsers', []],
  ['setAlloUser', { user: { id: 42, name: 'Camille' } }],
  ['setAlloUser', { user: 'me' }],
  ['setAlloUser', {}],
  ['claimDial', { id: '' }],
  ['claimDial', { id: 'dial-1' }],
  ['claimDial', { id: 'dial-1', windowId: 1.5 }],
  ['claimDial', { id: 'dial-1', windowId: 1, dialerWindow: 'yes' }],
  ['giveUpDial', { id: 'dial-1', reason: 'tired', windowId: 1 }],
  ['giveUpDial', { id: 'dial-1', reason: 'not-ready', windowId: '1' }],
  ['dialerEvent', { event: { type: 'hang_up' } }],
  ['dialerEvent', { event: { type: 'call', direction: 'outgoing', e164: '0612345678' } }],
  ['numberRecords', { e164: 'tel:+33612345678' }],
  ['callHistory', { e164: '0612345678' }],
  ['callHistory', {}],
  ['searchRecords', { query: 42 }],
  ['searchRecords', { query: 'x'.repeat(201) }],
  ['createContact', { e164: '0612345678', firstName: 'Marie', lastName: 'Dupont', company: '' }],
  ['createContact', { e164: '+33612345678', firstName: 'Marie', lastName: '   ', company: '' }],
  ['createContact', { e164: '+33612345678', firstName: 'x'.repeat(201), lastName: 'Dupont', company: '' }],
  ['createContact', { e164: '+33612345678', firstName: 'Marie', lastName: 'Dupont', company: 'x'.repeat(251) }],
  ['createContact', { e164: '+33612345678', lastName: 'Dupont' }],
  ['createFollowUp', { e164: '+33612345678', record: { key: 'contact:7; drop', name: 'Marie' }, dueAt: '2026-12-07T09:00:00+01:00' }],
  ['createFollowUp', { e164: '+33612345678', record: { key: 'opportunity:7', name: 'Marie' }, dueAt: '2026-12-07T09:00:00+01:00' }],
  ['createFollowUp', { e164: '+33612345678', record: { key: 'contact:7', name: 'Marie' }, dueAt: '2026-12-07 09:00' }],
  ['createFollowUp', { e164: '+33612345678', record: { key: 'contact:7', name: 'Marie' }, dueAt: '2099-12-07T09:00:00+01:00' }],
  [
    'createFollowUp',
    { e164: '+33612345678', record: { key: 'contact:7', name: 'Marie' }, dueAt: '2026-12-07T09:00:00+01:00', noteFirstLine: 'x'.repeat(2001) },
  ],
  ['retryFollowUp', { id: '../../etc' }],
  ['getSellsyClient', { secret: true }],
  ['listAppHosts', { all: true }],
  ['addAppHost', { host: 42 }],
  ['addAppHost', { host: 'x'.repeat(301) }],
  ['removeAppHost', {}],
  ['getRecordLinks', { all: true }],
  ['setRecordLinks', { appUrl: 42, paths: {} }],
  ['setRecordLinks', { appUrl: '', paths: { contact: 'x'.repeat(301) } }],
  ['testRecordLink', { path: 'supplier' }],
  ['setSellsyClient', { client: { clientId: 42 } }],
  ['setSellsyClient', { client: { clientId: 'x'.repeat(201) } }],
  ['setSellsyClient', {}],
];

/** Sends a message as @webext-core/messaging does (its envelope through runtime.onMessage). */
async function send(type: MessageType, data: unknown, sender: Browser.runtime.MessageSender): Promise<Response> {
  let respond: (response: Response) => void = () => undefined;
  const response = new Promise<Response>((resolve) => (respond = resolve));
  const kept = await fakeBrowser.runtime.onMessage.trigger({ id: 1, type, data, timestamp: Date.now() }, sender, respond);
  // The listener keeps the channel open and answers through sendResponse.
  expect(kept).toContain(true);
  return response;
}

const refused = (response: Response) => /^Refused /.test(response.err?.message ?? '');

async function startBackground(): Promise<void> {
  // A fresh module graph: the messaging module allows one listener per message and context.
  vi.resetModules();
  const { default: background } = await import('@/entrypoints/background');
  background.main();
}

type CommandListener = (command: string, tab?: Browser.tabs.Tab) => void;
let onCommand: CommandListener | undefined;

describe('entrypoints/background.ts', () => {
  let appHostsRegistered: () => boolean;
  let closeManaged: ReturnType<typeof vi.fn<() => Promise<void>>>;
  beforeEach(async () => {
    fakeBrowser.reset();
    fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
    // The fake browser cannot close storage.local: the background says so on the console.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // WXT's fake browser has no scripting or permission events: a Chrome that allowed
    // eu.sellsy.com, which the user added before this start.
    const registered: Array<{ id: string }> = [];
    Object.assign(fakeBrowser.scripting, {
      getRegisteredContentScripts: async () => registered,
      registerContentScripts: async (scripts: Array<{ id: string }>) => void registered.push(...scripts),
      updateContentScripts: async () => undefined,
      unregisterContentScripts: async () => void registered.splice(0),
    });
    Object.assign(fakeBrowser.permissions, {
      contains: async ({ origins }: { origins: string[] }) => origins.every((origin) => origin === 'https://eu.sellsy.com/*'),
      remove: async () => true,
      onAdded: { addListener: () => undefined },
      onRemoved: { addListener: () => undefined },
    });
    await fakeBrowser.storage.local.set({ sellsyAppHosts: ['eu.sellsy.com'] });
    appHostsRegistered = () => registered.length > 0;
    // WXT's fake browser has no commands API: the keyboard shortcut is called by hand.
    const addListener = (listener: CommandListener) => {
      onCommand = listener;
    };
    Object.assign(fakeBrowser.commands, { onCommand: { addListener } });
    closeManaged = vi.fn(async () => undefined);
    fakeBrowser.storage.managed.setAccessLevel = closeManaged as typeof fakeBrowser.storage.managed.setAccessLevel;
    await startBackground();
    await vi.waitFor(() => expect(appHostsRegistered()).toBe(true));
  });

  it('closes the administrator’s policy to content scripts: it holds the Allo key and the client secret', () => {
    expect(closeManaged).toHaveBeenCalledWith({ accessLevel: 'TRUSTED_CONTEXTS' });
  });

  it('tells every open tab the policy’s page part when the policy changes, and never a secret', async () => {
    const policy = { alloApiKey: 'admin-key', sellsyClientSecret: 'admin-secret', defaultCountry: 'BE', callTarget: 'callto' };
    fakeBrowser.storage.managed.get = (async () => policy) as typeof fakeBrowser.storage.managed.get;
    const [first, second] = await Promise.all([
      fakeBrowser.tabs.create({ url: 'https://www.sellsy.com/' }),
      fakeBrowser.tabs.create({ url: 'https://example.org/' }),
    ]);
    const sent: Array<[number, unknown]> = [];
    // Chrome's callback form, as @webext-core/messaging calls it: a tab without our content
    // script cannot answer, and the callback gets nothing.
    fakeBrowser.tabs.sendMessage = ((tabId: number, message: unknown, _options: unknown, callback: (response?: unknown) => void) => {
      sent.push([tabId, message]);
      callback(tabId === second?.id ? undefined : { res: undefined });
    }) as unknown as typeof fakeBrowser.tabs.sendMessage;
    await fakeBrowser.storage.onChanged.trigger({ defaultCountry: { newValue: 'BE' } }, 'managed');
    const open = (await fakeBrowser.tabs.query({})).map((tab) => tab.id);
    expect(open).toEqual(expect.arrayContaining([first?.id, second?.id]));
    await vi.waitFor(() => expect(sent.map(([tabId]) => tabId).sort()).toEqual(open.sort()));
    for (const [, message] of sent) expect(message).toMatchObject({ type: 'pagePolicyChanged', data: { defaultCountry: 'BE', callTarget: 'callto' } });
    expect(JSON.stringify(sent)).not.toMatch(/admin-key|admin-secret/);
  });

  it('sets the contact-sync and call-poll alarms', async () => {
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.getAll()).toHaveLength(2));
    const alarms = await fakeBrowser.alarms.getAll();
    expect(alarms.map(({ name, periodInMinutes }) => ({ name, periodInMinutes })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: CALL_POLL_ALARM, periodInMinutes: 1 },
      { name: CONTACT_SYNC_ALARM, periodInMinutes: CONTACT_SYNC_PERIOD_MINUTES },
    ]);
  });

  it('opens the first-run guide on install, and not on an update', async () => {
    // WXT's fake browser has no runtime.getContexts: no guide tab is open.
    fakeBrowser.runtime.getContexts = (async () => []) as unknown as typeof fakeBrowser.runtime.getContexts;
    const created = vi.spyOn(fakeBrowser.tabs, 'create');
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.1.0' });
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'chrome_update' });
    expect(created).not.toHaveBeenCalled();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' });
    await vi.waitFor(() => expect(created).toHaveBeenCalledWith({ url: fakeBrowser.runtime.getURL('/guide.html') }));
  });

  it.each(Object.keys(SENDERS) as Array<keyof typeof SENDERS>)('answers %s only what it may ask', async (name) => {
    const outcome: Record<string, 'allowed' | 'refused'> = {};
    for (const type of MESSAGES) {
      const response = await send(type, VALID[type], SENDERS[name]);
      outcome[type] = refused(response) ? 'refused' : 'allowed';
      if (refused(response)) expect(response.err?.message).toBe(`Refused ${type}: untrusted sender`);
    }
    expect(outcome).toEqual(Object.fromEntries(MESSAGES.map((type) => [type, ALLOWED[name].includes(type) ? 'allowed' : 'refused'])));
  });

  it('answers a content script on an added app host right after a start, before the hosts are read', async () => {
    // A page on an added host wakes a stopped worker with its first question: it must not be
    // refused for arriving before the worker has read where it runs.
    fakeBrowser.runtime.onMessage.removeAllListeners();
    await startBackground();
    const response = await send('lookupNumber', VALID.lookupNumber, SENDERS['our content script on an app host the user added']);
    expect(refused(response)).toBe(false);
    const other = await send('lookupNumber', VALID.lookupNumber, SENDERS['our content script on a Sellsy host nobody added']);
    expect(other.err?.message).toBe('Refused lookupNumber: untrusted sender');
  });

  it('opens the dialer for a click on an added app host that woke the worker, and not for a host nobody added', async () => {
    // The click is often what wakes the worker (it stops after 30 s idle): the panel opens within
    // the click's gesture, before the added hosts are read; the number follows once they say yes.
    const opened: number[] = [];
    Object.assign(fakeBrowser, { sidePanel: { open: async ({ tabId }: { tabId: number }) => void opened.push(tabId) } });
    fakeBrowser.runtime.getContexts = (async () => []) as unknown as typeof fakeBrowser.runtime.getContexts;
    for (const [name, allowed] of [
      ['our content script on an app host the user added', true],
      ['our content script on a Sellsy host nobody added', false],
    ] as const) {
      fakeBrowser.runtime.onMessage.removeAllListeners();
      await fakeBrowser.storage.session.remove('dialerRequest');
      await startBackground();
      const response = send('openDialer', VALID.openDialer, SENDERS[name]);
      if (allowed) {
        await vi.waitFor(async () => expect((await fakeBrowser.storage.session.get('dialerRequest')).dialerRequest).toMatchObject({ e164: '+33612345678' }));
      } else {
        expect((await response).err?.message).toBe('Refused openDialer: untrusted sender');
        expect((await fakeBrowser.storage.session.get('dialerRequest')).dialerRequest).toBeUndefined();
      }
    }
    // Both opened a panel (the gesture does not wait); only the added host's number reached it.
    expect(opened).toHaveLength(2);
  });

  it('the search shortcut opens the side panel of its window, in its gesture, with the search box asked for', async () => {
    const opened: unknown[] = [];
    const open = async (options: unknown) => {
      opened.push(options);
    };
    Object.assign(fakeBrowser, { sidePanel: { open } });
    fakeBrowser.runtime.onMessage.removeAllListeners();
    await startBackground();
    onCommand?.('something-else', { windowId: 3 } as Browser.tabs.Tab);
    onCommand?.('search-by-name', { windowId: 3 } as Browser.tabs.Tab);
    // Called within the listener itself: an await first would lose the key's gesture.
    expect(opened).toEqual([{ windowId: 3 }]);
    await vi.waitFor(async () => expect((await fakeBrowser.storage.session.get('searchFocusAt')).searchFocusAt).toBeGreaterThan(0));
  });

  it.each(MALFORMED)('refuses %s with malformed payload #%#', async (type, data) => {
    const response = await send(type, data, SENDERS['own extension page']);
    expect(response.err?.message).toBe(`Refused ${type}: malformed payload`);
  });

  it('refuses openDialer with a malformed payload from a content script', async () => {
    const response = await send('openDialer', { e164: '06 12 34 56 78' }, SENDERS['our content script on Sellsy']);
    expect(response.err?.message).toBe('Refused openDialer: malformed payload');
  });

  it('never lets a malformed payload reach the use case', async () => {
    const { alloUserChoice } = await import('@/lib/calls/whose-calls');
    await send('setAlloUser', { user: { id: '', name: 'Nobody' } }, SENDERS['own extension page']);
    expect(await alloUserChoice.getValue()).toBeNull();
    await send('setAlloUser', VALID.setAlloUser, SENDERS['own extension page']);
    expect(await alloUserChoice.getValue()).toMatchObject({ id: 'usr-1', how: 'picked' });
  });
});
