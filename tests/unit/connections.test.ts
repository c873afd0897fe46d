import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readConfig } from '@/lib/config';
import { Connections } from '@/lib/connection/connections';

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

/** Connections against a fake Sellsy whose staff can change between two sign-ins. */
function setup() {
  const sellsy = { staffId: 1 };
  const onSellsyDisconnected = vi.fn(async () => undefined);
  const connections = new Connections({
    config: readConfig({ WXT_SELLSY_CLIENT_ID: 'client', WXT_SELLSY_API_URL: 'https://api', WXT_SELLSY_TOKEN_URL: 'https://login/token' }),
    identity: {
      getRedirectURL: () => 'https://id.chromiumapp.org/',
      launchWebAuthFlow: async ({ url }) => `https://id.chromiumapp.org/?code=c&state=${new URL(url).searchParams.get('state')}`,
    },
    fetch: async (input) =>
      String(input) === 'https://login/token'
        ? json({ token_type: 'Bearer', expires_in: 3600, access_token: 'a', refresh_token: 'r' })
        : json({ id: sellsy.staffId, firstname: `Staff`, lastname: String(sellsy.staffId), email: `s${sellsy.staffId}@example.fr` }),
    onSellsyDisconnected,
  });
  return { sellsy, connections, onSellsyDisconnected };
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('connecting Sellsy', () => {
  it('keeps the cache when the same person signs in again, and drops it for someone else', async () => {
    const { sellsy, connections, onSellsyDisconnected } = setup();
    expect(await connections.connectSellsy()).toMatchObject({ ok: true, status: { sellsy: { state: 'connected', staff: { id: 1 } } } });
    await connections.connectSellsy();
    expect(onSellsyDisconnected).not.toHaveBeenCalled();
    sellsy.staffId = 2;
    expect(await connections.connectSellsy()).toMatchObject({ ok: true, status: { sellsy: { staff: { id: 2, name: 'Staff 2' } } } });
    expect(onSellsyDisconnected).toHaveBeenCalledOnce();
  });
});

describe('disconnecting Sellsy', () => {
  it('keeps the tokens gone when a refresh in flight answers after Disconnect', async () => {
    let clock = 1_700_000_000_000;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let refreshing!: () => void;
    const refreshAsked = new Promise<void>((resolve) => (refreshing = resolve));
    let tokens = 0;
    const connections = new Connections({
      config: readConfig({ WXT_SELLSY_CLIENT_ID: 'client', WXT_SELLSY_API_URL: 'https://api', WXT_SELLSY_TOKEN_URL: 'https://login/token' }),
      identity: {
        getRedirectURL: () => 'https://id.chromiumapp.org/',
        launchWebAuthFlow: async ({ url }) => `https://id.chromiumapp.org/?code=c&state=${new URL(url).searchParams.get('state')}`,
      },
      now: () => clock,
      fetch: async (input, init) => {
        if (String(input) !== 'https://login/token') return json({ id: 1, firstname: 'Staff', lastname: '1', email: 's1@example.fr' });
        if ((JSON.parse(String(init?.body)) as { grant_type: string }).grant_type === 'refresh_token') {
          refreshing();
          await released;
        }
        tokens += 1;
        return json({ token_type: 'Bearer', expires_in: 3600, access_token: `a${tokens}`, refresh_token: `r${tokens}` });
      },
    });
    await connections.connectSellsy();
    clock += 3600_000;
    const checking = connections.status({ verify: true });
    await refreshAsked;
    await connections.disconnectSellsy();
    release();
    await checking;
    expect(await fakeBrowser.storage.local.get('sellsyTokens')).toEqual({});
    expect((await connections.status()).sellsy).toEqual({ state: 'disconnected' });
  });
});

describe('when storage.local cannot be closed to content scripts', () => {
  it('stores no secret: connecting Sellsy and saving the Allo key are refused, and say why', async () => {
    const launchWebAuthFlow = vi.fn(async () => undefined);
    const fetch = vi.fn(async () => json({}));
    const connections = new Connections({
      config: readConfig({ WXT_SELLSY_CLIENT_ID: 'client', WXT_SELLSY_API_URL: 'https://api', WXT_SELLSY_TOKEN_URL: 'https://login/token' }),
      identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow },
      fetch,
      storageClosed: Promise.resolve(false),
    });
    expect(await connections.connectSellsy()).toMatchObject({ ok: false, error: { code: 'storage-open' } });
    expect(await connections.setAlloKey('allo-key')).toMatchObject({ ok: false, error: { code: 'storage-open' } });
    expect(launchWebAuthFlow).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });
});
