// @vitest-environment node
import 'fake-indexeddb/auto';
/**
 * Issue 26, "nobody may be left silently unlogged": between connecting Allo and picking one's
 * name (no Allo user has the Sellsy e-mail), no call is looked for. Once the name is picked, the
 * calls made meanwhile must be logged: logging starts when Allo was connected (minus the
 * back-fill chosen), not when the person is finally known. The background here is the real one,
 * against the local Allo; Sellsy is connected as a person whose e-mail Allo does not know.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBackgroundApp } from '@/lib/background/create-app';
import { openCacheDb } from '@/lib/cache/open';
import { CallStore } from '@/lib/calls/call-store';
import { readConfig } from '@/lib/config';
import { noAppHosts } from '../support/no-app-hosts';
import { startAlloServer, type AlloServer } from '../servers/allo';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const CONNECTED_AT = Date.parse('2026-12-07T09:00:00Z');
const CAMILLE = { id: 'usr-camille4242', name: 'Camille Martin' };

let allo: AlloServer;

beforeAll(async () => {
  allo = await startAlloServer({ rateLimits: undefined });
});

afterAll(async () => {
  await allo?.close();
});

beforeEach(async () => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(CONNECTED_AT);
  // Connected to Sellsy with an e-mail no Allo user has.
  await fakeBrowser.storage.local.set({
    sellsyConnection: { state: 'connected', staff: { id: 42, name: 'Camille Martin', email: 'camille@other.example' } },
  });
});

afterEach(() => {
  vi.useRealTimers();
  allo.calls.clear();
});

function background() {
  return createBackgroundApp({
    config: readConfig({ WXT_SELLSY_CLIENT_ID: 'client', WXT_ALLO_API_URL: allo.apiUrl, WXT_SELLSY_API_URL: 'http://127.0.0.1:9/v2' }),
    identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
    storageClosed: Promise.resolve(true),
    action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined },
    i18n: { getMessage: (key) => key },
    ...noAppHosts(),
  });
}

const calls = () => new CallStore(openCacheDb());
const found = async (id: string) => (await calls().get(id)) !== undefined;

/** Connects Allo now; the background looks for the person's Allo user and finds none. */
async function connectAlloUnmatched(app: ReturnType<typeof background>) {
  expect(await app.setAlloApiKey('allo-sandbox-key')).toMatchObject({ ok: true });
  await expect.poll(async () => (await fakeBrowser.storage.local.get('alloUserMiss')).alloUserMiss).toMatchObject({ email: 'camille@other.example' });
}

describe('calls made before the person picked their name', () => {
  it('are logged once the name is picked, from the moment Allo was connected', async () => {
    const app = background();
    await connectAlloUnmatched(app);
    const meanwhile = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33612345678', date: new Date(CONNECTED_AT + HOUR) });
    vi.setSystemTime(CONNECTED_AT + 2 * HOUR);
    await app.setAlloUser(CAMILLE);
    await expect.poll(() => found(meanwhile.id)).toBe(true);
    // Nothing from before the connection (no back-fill chosen).
    expect(await fakeBrowser.storage.local.get('callPoll')).toMatchObject({ callPoll: { since: CONNECTED_AT } });
  });

  it('the back-fill counts back from the connection, not from the pick', async () => {
    await fakeBrowser.storage.sync.set({ backfillDays: 7 });
    const app = background();
    await connectAlloUnmatched(app);
    const inWindow = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33612345678', date: new Date(CONNECTED_AT - 7 * DAY + HOUR) });
    const before = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33698765432', date: new Date(CONNECTED_AT - 8 * DAY) });
    vi.setSystemTime(CONNECTED_AT + 3 * HOUR);
    await app.setAlloUser(CAMILLE);
    await expect.poll(() => found(inWindow.id)).toBe(true);
    expect(await found(before.id)).toBe(false);
  });

  it('disconnecting Allo forgets when it was connected: connecting again starts afresh', async () => {
    const app = background();
    await connectAlloUnmatched(app);
    vi.setSystemTime(CONNECTED_AT + DAY);
    await app.disconnectAllo();
    const whileDisconnected = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33612345678', date: new Date(CONNECTED_AT + DAY + HOUR) });
    vi.setSystemTime(CONNECTED_AT + 2 * DAY);
    await connectAlloUnmatched(app);
    const afterReconnect = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33698765432', date: new Date(CONNECTED_AT + 2 * DAY + HOUR) });
    vi.setSystemTime(CONNECTED_AT + 2 * DAY + 2 * HOUR);
    await app.setAlloUser(CAMILLE);
    await expect.poll(() => found(afterReconnect.id)).toBe(true);
    expect(await found(whileDisconnected.id)).toBe(false);
  });

  it('while Allo’s own integration logs the calls, none is kept for later: taking over reads from then on', async () => {
    await fakeBrowser.storage.sync.set({ callLogger: 'allo-integration' });
    const app = background();
    expect(await app.setAlloApiKey('allo-sandbox-key')).toMatchObject({ ok: true });
    // The background's pass sees the integration log the calls: no time is kept for this extension.
    await expect.poll(async () => (await fakeBrowser.storage.local.get('callLoggingStart')).callLoggingStart).toBeUndefined();
    const integrationsCall = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33612345678', date: new Date(CONNECTED_AT + 20 * DAY) });
    vi.setSystemTime(CONNECTED_AT + 30 * DAY);
    await fakeBrowser.storage.sync.set({ callLogger: 'extension' });
    await app.setAlloUser(CAMILLE);
    await expect.poll(async () => (await fakeBrowser.storage.local.get('callPoll')).callPoll).toMatchObject({ since: CONNECTED_AT + 30 * DAY });
    const ours = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33698765432', date: new Date(CONNECTED_AT + 30 * DAY + 60_000) });
    vi.setSystemTime(CONNECTED_AT + 30 * DAY + HOUR);
    await app.refreshCalls();
    await expect.poll(() => found(ours.id)).toBe(true);
    expect(await found(integrationsCall.id)).toBe(false);
  });
});

describe('a browser updated from an earlier version', () => {
  it('keeps its stored poll position (first release’s shape): the evening’s call is logged, nothing earlier re-read', async () => {
    const lastPoll = CONNECTED_AT - 14 * HOUR;
    // As the first release left it: Allo connected, the person known, where the last poll stood; no connection time.
    await fakeBrowser.storage.local.set({
      alloApiKey: 'allo-sandbox-key',
      alloConnection: { scopes: ['CONVERSATIONS_READ', 'USERS_READ'] },
      alloUser: { ...CAMILLE, how: 'picked' },
      callPoll: { userId: CAMILLE.id, watermark: lastPoll },
    });
    const evening = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33612345678', date: new Date(lastPoll + 2 * HOUR) });
    const app = background();
    await app.refreshCalls();
    await expect.poll(() => found(evening.id)).toBe(true);
    expect(await fakeBrowser.storage.local.get('callPoll')).toMatchObject({ callPoll: { userId: CAMILLE.id, since: lastPoll - 4 * HOUR } });
  });

  it('connected to Allo with no name picked yet: logging starts at its first look after the update, not at the pick', async () => {
    await fakeBrowser.storage.local.set({
      alloApiKey: 'allo-sandbox-key',
      alloConnection: { scopes: ['CONVERSATIONS_READ', 'USERS_READ'] },
    });
    const app = background();
    // The popup opened: the background looks for calls, and for whose they are.
    await app.refreshCalls();
    await expect.poll(async () => (await fakeBrowser.storage.local.get('alloUserMiss')).alloUserMiss).toBeDefined();
    const meanwhile = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33612345678', date: new Date(CONNECTED_AT + HOUR) });
    vi.setSystemTime(CONNECTED_AT + 2 * HOUR);
    await app.setAlloUser(CAMILLE);
    await expect.poll(() => found(meanwhile.id)).toBe(true);
  });
});
