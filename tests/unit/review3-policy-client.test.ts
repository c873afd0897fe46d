import 'fake-indexeddb/auto';
/**
 * Review 3: the Sellsy API client the administrator's policy sets, and the tokens Sellsy issued
 * to it (`Connections.followApiClient`). A change of client disconnects Sellsy and clears the
 * cache; a policy that only seems to have changed must not. Chrome may answer `{}` for
 * `storage.managed` for a while after it starts, before it has loaded the policy
 * (w3c/webextensions#547: "no way to distinguish an empty policy vs. a policy that has not been
 * initialized yet"), and a read may fail for a moment (review 1's app hosts).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBackgroundApp } from '@/lib/background/create-app';
import { readConfig } from '@/lib/config';
import { Connections } from '@/lib/connection/connections';
import { noAppHosts } from '../support/no-app-hosts';

const KNOWN = 'acme-private-7f3a';
const MINUTE = 60_000;
const START = Date.parse('2026-12-08T08:55:00Z');
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const managedGet = fakeBrowser.storage.managed.get;

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  return () => {
    vi.useRealTimers();
    // A test that makes the policy unreadable replaces the fake's reader: the next one gets it back.
    fakeBrowser.storage.managed.get = managedGet;
  };
});

/** Connected through `clientId`: as this version leaves it (`sellsyTokensClient`), or an earlier one (without). */
function connectedThrough(clientId: string | null) {
  return {
    sellsyTokens: { accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 3600_000 },
    sellsyConnection: { state: 'connected', staff: { id: 1, name: 'Camille Martin', email: 'camille@example.fr' } },
    ...(clientId ? { sellsyTokensClient: clientId } : {}),
  };
}

/** The background as Chrome starts it: the production build, without a client of its own. */
function background() {
  return createBackgroundApp({
    config: readConfig({}),
    identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
    storageClosed: Promise.resolve(true),
    action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined },
    i18n: { getMessage: (key) => key },
    ...noAppHosts(),
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
const sellsyState = async (app: ReturnType<typeof background>) => (await app.getStatus({})).sellsy.state;

describe('review 3: a policy Chrome has not loaded yet, or cannot read for a moment', () => {
  it('does not disconnect the person the policy’s client connected (their own client from before is in the options)', async () => {
    // The policy's client connected them; a client of their own, typed before the policy came, is still saved.
    await fakeBrowser.storage.local.set({ ...connectedThrough(KNOWN), sellsyClient: { clientId: 'user-own-client' } });
    // Chrome starts: its answer for the policy is still empty.
    const app = background();
    await settle();
    // The minute's alarm, the policy still not there.
    vi.setSystemTime(START + MINUTE);
    await app.logCalls();
    expect(await sellsyState(app)).toBe('connected');
    // The policy loads: the same client as ever.
    await fakeBrowser.storage.managed.set({ sellsyClientId: KNOWN });
    await settle();
    await app.logCalls();
    expect(await sellsyState(app)).toBe('connected');
    expect((await fakeBrowser.storage.local.get('sellsyTokens')).sellsyTokens).toBeDefined();
  });

  it('a browser updated from the previous release does not take the tokens for its own client’s while the policy is not loaded', async () => {
    // No record of the client: the previous release kept none.
    await fakeBrowser.storage.local.set({ ...connectedThrough(null), sellsyClient: { clientId: 'user-own-client' } });
    const app = background();
    await settle();
    await app.logCalls();
    await fakeBrowser.storage.managed.set({ sellsyClientId: KNOWN });
    await settle();
    await app.logCalls();
    expect(await sellsyState(app)).toBe('connected');
    expect((await fakeBrowser.storage.local.get('sellsyTokensClient')).sellsyTokensClient).toBe(KNOWN);
  });

  it('a read of the policy that fails is not a policy without a client', async () => {
    await fakeBrowser.storage.local.set({ ...connectedThrough(KNOWN), sellsyClient: { clientId: 'user-own-client' } });
    let readable = true;
    fakeBrowser.storage.managed.get = (async () => {
      if (!readable) throw new Error('Managed storage is temporarily unavailable');
      return { sellsyClientId: KNOWN };
    }) as typeof fakeBrowser.storage.managed.get;
    const app = background();
    await settle();
    readable = false;
    // Long after the start: the failure is not an empty policy either.
    vi.setSystemTime(START + 30 * MINUTE);
    await app.logCalls();
    readable = true;
    expect(await sellsyState(app)).toBe('connected');
  });

  it('the same, for Connections on its own: a policy read that throws changes nothing', async () => {
    await fakeBrowser.storage.local.set({ ...connectedThrough(KNOWN), sellsyClient: { clientId: 'user-own-client' } });
    const onSellsyDisconnected = vi.fn(async () => undefined);
    const connections = new Connections({
      config: readConfig({}),
      identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
      onSellsyDisconnected,
      managedSellsyClient: async () => {
        throw new Error('Managed storage is temporarily unavailable');
      },
    });
    expect(await connections.followApiClient()).toBe(false);
    expect(onSellsyDisconnected).not.toHaveBeenCalled();
  });
});

describe('review 3: what the design keeps (a policy really changed)', () => {
  it('a policy removed while Chrome runs disconnects at once', async () => {
    await fakeBrowser.storage.managed.set({ sellsyClientId: KNOWN, createLeads: true });
    await fakeBrowser.storage.local.set({ ...connectedThrough(KNOWN), sellsyClient: { clientId: 'user-own-client' } });
    const app = background();
    await settle();
    expect(await sellsyState(app)).toBe('connected');
    await fakeBrowser.storage.managed.clear();
    await expect.poll(() => sellsyState(app)).toBe('disconnected');
  });

  it('a policy that keeps other values but drops its client disconnects at once', async () => {
    await fakeBrowser.storage.managed.set({ createLeads: true });
    await fakeBrowser.storage.local.set({ ...connectedThrough(KNOWN), sellsyClient: { clientId: 'user-own-client' } });
    const app = background();
    await settle();
    await app.logCalls();
    expect(await sellsyState(app)).toBe('disconnected');
  });

  it('a policy removed while Chrome was closed: still empty minutes after the start, it is believed', async () => {
    await fakeBrowser.storage.local.set({ ...connectedThrough(KNOWN), sellsyClient: { clientId: 'user-own-client' } });
    const app = background();
    await settle();
    expect(await sellsyState(app)).toBe('connected');
    vi.setSystemTime(START + 6 * MINUTE);
    await app.logCalls();
    expect(await sellsyState(app)).toBe('disconnected');
  });

  it('a new secret for the same client keeps the tokens (compared by client id)', async () => {
    await fakeBrowser.storage.managed.set({ sellsyClientId: KNOWN, sellsyClientSecret: 'old-secret' });
    await fakeBrowser.storage.local.set(connectedThrough(KNOWN));
    const app = background();
    await settle();
    await fakeBrowser.storage.managed.set({ sellsyClientId: KNOWN, sellsyClientSecret: 'new-secret' });
    await settle();
    await app.logCalls();
    expect(await sellsyState(app)).toBe('connected');
  });
});

describe('review 3: races with the OAuth flow and a token refresh', () => {
  it('a look at the client while the person signs in (Reconnect) does not undo the fresh connection', async () => {
    await fakeBrowser.storage.local.set({
      sellsyConnection: { state: 'revoked', staff: { id: 1, name: 'Camille Martin', email: 'camille@example.fr' } },
      sellsyTokensClient: KNOWN,
    });
    let finishSignIn: (url: string) => void = () => undefined;
    const connections = new Connections({
      config: readConfig({ WXT_SELLSY_API_URL: 'https://api', WXT_SELLSY_TOKEN_URL: 'https://login/token' }),
      identity: {
        getRedirectURL: () => 'https://id.chromiumapp.org/',
        launchWebAuthFlow: ({ url }) =>
          new Promise((resolve) => {
            finishSignIn = () => resolve(`https://id.chromiumapp.org/?code=c&state=${new URL(url).searchParams.get('state')}`);
          }),
      },
      fetch: async (input) =>
        String(input) === 'https://login/token'
          ? json({ token_type: 'Bearer', expires_in: 3600, access_token: 'fresh', refresh_token: 'fresh-r' })
          : json({ id: 1, firstname: 'Camille', lastname: 'Martin', email: 'camille@example.fr' }),
      managedSellsyClient: async () => ({ clientId: KNOWN }),
    });
    const connecting = connections.connectSellsy();
    await settle();
    // The minute's alarm while Sellsy's sign-in window is open.
    expect(await connections.followApiClient()).toBe(false);
    finishSignIn('');
    expect(await connecting).toMatchObject({ ok: true });
    expect(await connections.followApiClient()).toBe(false);
    expect((await connections.status()).sellsy.state).toBe('connected');
  });

  it('the policy changes the client while a token refresh is in flight: disconnected, and the refresh writes nothing back', async () => {
    const policy: { client: { clientId: string } } = { client: { clientId: KNOWN } };
    await fakeBrowser.storage.local.set({ ...connectedThrough(KNOWN), sellsyTokens: { accessToken: 'old', refreshToken: 'r', expiresAt: Date.now() - 1 } });
    let answerRefresh: () => void = () => undefined;
    const connections = new Connections({
      config: readConfig({ WXT_SELLSY_API_URL: 'https://api', WXT_SELLSY_TOKEN_URL: 'https://login/token' }),
      identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
      fetch: async (input) => {
        if (String(input) !== 'https://login/token') return json({ id: 1, firstname: 'Camille', lastname: 'Martin', email: 'camille@example.fr' });
        await new Promise<void>((resolve) => {
          answerRefresh = resolve;
        });
        return json({ token_type: 'Bearer', expires_in: 3600, access_token: 'refreshed', refresh_token: 'r2' });
      },
      managedSellsyClient: async () => policy.client,
    });
    const request = connections.status({ verify: true });
    await settle();
    policy.client = { clientId: 'acme-private-new1' };
    expect(await connections.followApiClient()).toBe(true);
    answerRefresh();
    await request;
    expect((await connections.status()).sellsy.state).toBe('disconnected');
    expect(await fakeBrowser.storage.local.get('sellsyTokens')).toEqual({});
  });
});
