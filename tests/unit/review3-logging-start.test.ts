// @vitest-environment node
import 'fake-indexeddb/auto';
/**
 * Review 3: when logging starts (`callLoggingStart`, issue 26) against ordinary team situations.
 * The background is the real one, against the local Allo; Sellsy's API is out of reach, so calls
 * are found and stored, never posted: what is checked is which calls are read, and that a call
 * already logged is not taken for a new one.
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
const CAMILLE = { id: 'usr-camille4242', email: 'camille.martin@example.fr' };
const JULIEN = { id: 'usr-julien1717', email: 'julien.bernard@example.fr' };

let allo: AlloServer;

beforeAll(async () => {
  allo = await startAlloServer({ rateLimits: undefined });
});

afterAll(async () => {
  await allo?.close();
});

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(CONNECTED_AT);
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
const pollState = async () => (await fakeBrowser.storage.local.get('callPoll')).callPoll as { userId: string; since: number } | undefined;
const signedInAs = (staff: { id: number; name: string; email: string }) =>
  fakeBrowser.storage.local.set({
    sellsyConnection: { state: 'connected', staff },
    sellsyTokens: { accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + DAY * 30 },
  });

describe('review 3: another person signs in to Sellsy in this browser', () => {
  it('starts at their own first look for calls, not when the last person connected Allo', async () => {
    // The first person, whose e-mail Allo does not know, connected Allo and never picked a name.
    await signedInAs({ id: 42, name: 'Camille Martin', email: 'camille@other.example' });
    const app = background();
    expect(await app.setAlloApiKey('allo-sandbox-key')).toMatchObject({ ok: true });
    await expect.poll(async () => (await fakeBrowser.storage.local.get('alloUserMiss')).alloUserMiss).toBeDefined();
    // Julien's calls while he did not use this browser.
    const before = allo.calls.add({ user_id: JULIEN.id, contact_number: '+33612345678', date: new Date(CONNECTED_AT + 5 * DAY) });
    // Ten days later the laptop is Julien's: he signs in to Sellsy; Allo knows his e-mail.
    vi.setSystemTime(CONNECTED_AT + 10 * DAY);
    await signedInAs({ id: 43, name: 'Julien Bernard', email: JULIEN.email });
    await app.refreshCalls();
    await expect.poll(pollState).toMatchObject({ userId: JULIEN.id });
    // "Another person connecting starts afresh" (docs/architecture.md, Accounts).
    expect((await pollState())?.since).toBeGreaterThanOrEqual(CONNECTED_AT + 10 * DAY);
    expect(await found(before.id)).toBe(false);
    const after = allo.calls.add({ user_id: JULIEN.id, contact_number: '+33698765432', date: new Date(CONNECTED_AT + 10 * DAY + HOUR) });
    vi.setSystemTime(CONNECTED_AT + 10 * DAY + 2 * HOUR);
    await app.refreshCalls();
    await expect.poll(() => found(after.id)).toBe(true);
  });
});

describe('review 3: Allo disconnected, then connected again days later (not a defect)', () => {
  it('the back-fill reads the week again, but a call already logged is not taken for a new one', async () => {
    await fakeBrowser.storage.sync.set({ backfillDays: 7 });
    await signedInAs({ id: 42, name: 'Camille Martin', email: CAMILLE.email });
    const app = background();
    const logged = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33612345678', date: new Date(CONNECTED_AT - 2 * DAY) });
    expect(await app.setAlloApiKey('allo-sandbox-key')).toMatchObject({ ok: true });
    await expect.poll(() => found(logged.id)).toBe(true);
    // The passes the connection started are over (one at a time: this waits for them), so none
    // saves the call over the state written next.
    await app.logCalls();
    // As the pipeline leaves a call it logged.
    await calls().update(logged.id, (call) => ({
      ...call,
      state: 'synced',
      waitingFor: undefined,
      targets: [
        { key: 'contact:7', kind: 'contact', sellsyId: 7, name: 'Léa Dupont', related: [{ type: 'contact', id: 7 }], state: 'done', sellsyPhoneCallId: 901 },
      ],
    }));
    const stored = await calls().get(logged.id);

    vi.setSystemTime(CONNECTED_AT + 3 * DAY);
    await app.disconnectAllo();
    vi.setSystemTime(CONNECTED_AT + 5 * DAY);
    expect(await app.setAlloApiKey('allo-sandbox-key')).toMatchObject({ ok: true });
    // The new position's back-fill covers the call again: it is read, and left as it was.
    await expect.poll(pollState).toMatchObject({ since: CONNECTED_AT + 5 * DAY - 7 * DAY });
    // Once the reconnection's passes are over, the call is as it was (only when it is next looked
    // at for a late summary may move): logged, on the same Phone Call.
    await app.logCalls();
    const { nextAttemptAt: _next, ...after } = (await calls().get(logged.id)) ?? {};
    const { nextAttemptAt: _before, ...before } = stored ?? {};
    expect(after).toEqual(before);
  });
});

describe('review 3: the extension takes over from Allo’s integration (by design)', () => {
  it('the back-fill chosen is read at the takeover, and nothing before it: the integration’s logs in it are adopted, not doubled', async () => {
    await fakeBrowser.storage.sync.set({ callLogger: 'allo-integration', backfillDays: 7 });
    await signedInAs({ id: 42, name: 'Camille Martin', email: CAMILLE.email });
    const app = background();
    expect(await app.setAlloApiKey('allo-sandbox-key')).toMatchObject({ ok: true });
    const longAgo = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33612345678', date: new Date(CONNECTED_AT + 10 * DAY) });
    const inWindow = allo.calls.add({ user_id: CAMILLE.id, contact_number: '+33698765432', date: new Date(CONNECTED_AT + 20 * DAY) });
    vi.setSystemTime(CONNECTED_AT + 22 * DAY);
    await app.logCalls();
    await fakeBrowser.storage.sync.set({ callLogger: 'extension' });
    await app.refreshCalls();
    // The week before the takeover, as chosen: the pipeline adopts the integration's Phone Call
    // for each (reconciler.test.ts), so none is logged twice.
    await expect.poll(() => found(inWindow.id)).toBe(true);
    // Not the weeks the integration logged before it, since Allo was connected.
    expect(await found(longAgo.id)).toBe(false);
    expect(await pollState()).toMatchObject({ since: CONNECTED_AT + 22 * DAY - 7 * DAY });
  });
});
