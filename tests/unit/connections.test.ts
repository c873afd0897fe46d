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

describe('the Sellsy API client, set at run time', () => {
  /** A build with no client of its own, against a Sellsy that knows one private client. */
  function companyClientSetup(managed?: { clientId: string; clientSecret?: string }) {
    const bodies: Array<Record<string, string>> = [];
    const authorizeUrls: string[] = [];
    const onSellsyDisconnected = vi.fn(async () => undefined);
    const connections = new Connections({
      config: readConfig({ WXT_SELLSY_API_URL: 'https://api', WXT_SELLSY_TOKEN_URL: 'https://login/token' }),
      identity: {
        getRedirectURL: () => 'https://id.chromiumapp.org/',
        launchWebAuthFlow: async ({ url }) => {
          authorizeUrls.push(url);
          return `https://id.chromiumapp.org/?code=c&state=${new URL(url).searchParams.get('state')}`;
        },
      },
      fetch: async (input, init) => {
        if (String(input) !== 'https://login/token') return json({ id: 1, firstname: 'Staff', lastname: '1', email: 's1@example.fr' });
        const body = JSON.parse(String(init?.body)) as Record<string, string>;
        bodies.push(body);
        if (body.client_id !== 'acme-private-7f3a') {
          return new Response(JSON.stringify({ error: 'invalid_client' }), { status: 401, headers: { 'content-type': 'application/json' } });
        }
        return json({ token_type: 'Bearer', expires_in: 3600, access_token: 'a', refresh_token: 'r' });
      },
      onSellsyDisconnected,
      ...(managed ? { managedSellsyClient: async () => managed } : {}),
    });
    return { connections, bodies, authorizeUrls, onSellsyDisconnected };
  }

  it('connects a build without a client once the company’s own client is entered, secret sent to the token endpoint only', async () => {
    const { connections, bodies, authorizeUrls } = companyClientSetup();
    expect((await connections.status()).sellsy).toEqual({ state: 'unavailable' });
    expect(await connections.connectSellsy()).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await connections.setSellsyClient({ clientId: '  acme-private-7f3a ', clientSecret: 'shh' })).toMatchObject({
      ok: true,
      status: { sellsy: { state: 'disconnected' } },
    });
    expect(await connections.sellsyClientView()).toEqual({
      source: 'user',
      clientId: 'acme-private-7f3a',
      hasSecret: true,
      buildHasClient: false,
      redirectUrl: 'https://id.chromiumapp.org/',
    });
    expect(await connections.connectSellsy()).toMatchObject({ ok: true, status: { sellsy: { state: 'connected' } } });
    expect(new URL(authorizeUrls[0]!).searchParams.get('client_id')).toBe('acme-private-7f3a');
    expect(authorizeUrls[0]).not.toContain('shh');
    expect(bodies[0]).toMatchObject({ grant_type: 'authorization_code', client_id: 'acme-private-7f3a', client_secret: 'shh' });
  });

  it('refuses what cannot be a client id, and says so', async () => {
    const { connections } = companyClientSetup();
    for (const clientId of ['', 'ab', 'https://www.sellsy.com/developer', 'two words']) {
      expect(await connections.setSellsyClient({ clientId })).toMatchObject({ ok: false, error: { code: 'bad-client-id' } });
    }
    expect((await connections.sellsyClientView()).source).toBe('none');
  });

  it('says plainly when Sellsy does not know the client', async () => {
    const { connections } = companyClientSetup();
    await connections.setSellsyClient({ clientId: 'someone-else-1234' });
    expect(await connections.connectSellsy()).toMatchObject({ ok: false, error: { code: 'unknown-client' } });
  });

  it('changing the client disconnects Sellsy and clears what came through the old one; saving the same one does not', async () => {
    const { connections, onSellsyDisconnected } = companyClientSetup();
    await connections.setSellsyClient({ clientId: 'acme-private-7f3a' });
    await connections.connectSellsy();
    await connections.setSellsyClient({ clientId: 'acme-private-7f3a' });
    expect(onSellsyDisconnected).not.toHaveBeenCalled();
    expect((await connections.status()).sellsy.state).toBe('connected');
    await connections.setSellsyClient({ clientId: 'acme-private-other' });
    expect(onSellsyDisconnected).toHaveBeenCalledOnce();
    expect((await connections.status()).sellsy.state).toBe('disconnected');
    expect(await fakeBrowser.storage.local.get('sellsyTokens')).toEqual({});
  });

  it('saving the same client with the secret field left empty keeps the saved secret and the connection', async () => {
    const { connections, onSellsyDisconnected, bodies } = companyClientSetup();
    await connections.setSellsyClient({ clientId: 'acme-private-7f3a', clientSecret: 'shh' });
    await connections.connectSellsy();
    await connections.setSellsyClient({ clientId: 'acme-private-7f3a' });
    expect(onSellsyDisconnected).not.toHaveBeenCalled();
    expect((await connections.sellsyClientView()).hasSecret).toBe(true);
    expect((await connections.status()).sellsy.state).toBe('connected');
    // A new secret of the same client: Sellsy's tokens belong to the client id, and stay good.
    await connections.setSellsyClient({ clientId: 'acme-private-7f3a', clientSecret: 'rotated' });
    expect(onSellsyDisconnected).not.toHaveBeenCalled();
    await connections.disconnectSellsy();
    await connections.connectSellsy();
    expect(bodies.at(-1)).toMatchObject({ client_id: 'acme-private-7f3a', client_secret: 'rotated' });
  });

  it('an administrator’s client wins and cannot be changed from the options', async () => {
    const { connections, authorizeUrls } = companyClientSetup({ clientId: 'acme-private-7f3a' });
    expect(await connections.setSellsyClient({ clientId: 'mine-1234' })).toMatchObject({ ok: false, error: { code: 'managed' } });
    expect((await connections.sellsyClientView()).source).toBe('managed');
    expect(await connections.connectSellsy()).toMatchObject({ ok: true });
    expect(new URL(authorizeUrls[0]!).searchParams.get('client_id')).toBe('acme-private-7f3a');
  });
});

describe('the Allo key set by the administrator', () => {
  /** Allo knows the keys in `valid`; `unreachable` keys meet a dropped connection. */
  function alloSetup() {
    const allo = { valid: new Set(['mine', 'admin-good']), unreachable: new Set<string>(), checked: [] as string[] };
    let managed: string | undefined;
    const connections = new Connections({
      config: readConfig({ WXT_ALLO_API_URL: 'https://allo' }),
      identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
      fetch: async (_input, init) => {
        const key = (new Headers(init?.headers).get('authorization') ?? '').replace(/^Api-Key /, '');
        allo.checked.push(key);
        if (allo.unreachable.has(key)) throw new TypeError('Failed to fetch');
        if (!allo.valid.has(key)) {
          return new Response(JSON.stringify({ error: { code: 'API_KEY_INVALID', message: 'Invalid key' } }), {
            status: 401,
            headers: { 'content-type': 'application/json' },
          });
        }
        return json({ data: { scopes: ['CONVERSATIONS_READ'], team: { name: `Team of ${key}` } } });
      },
      managedAlloKey: async () => managed,
    });
    return { allo, connections, setPolicy: (key: string | undefined) => (managed = key) };
  }

  it('replaces the user’s own key; refused by Allo, Allo shows not connected, naming the administrator’s key, and the user’s key is not used', async () => {
    const { connections, setPolicy } = alloSetup();
    expect(await connections.setAlloKey('mine')).toMatchObject({ ok: true, status: { allo: { state: 'connected', teamName: 'Team of mine' } } });

    setPolicy('admin-bad');
    expect(await connections.applyManagedAlloKey()).toBe(false);
    expect((await connections.status()).allo).toMatchObject({ state: 'disconnected', managed: { refused: { code: 'invalid' } } });
    expect(await connections.alloKeyInUse()).toBeNull();
    // Nothing the user can do hides the administrator's refused key behind their own.
    expect(await connections.setAlloKey('mine')).toMatchObject({ ok: false, error: { code: 'managed' } });
    expect(await connections.alloKeyInUse()).toBeNull();

    setPolicy('admin-good');
    expect(await connections.applyManagedAlloKey()).toBe(true);
    expect((await connections.status()).allo).toMatchObject({ state: 'connected', managed: true, teamName: 'Team of admin-good' });
    expect(await connections.alloKeyInUse()).toBe('admin-good');
  });

  it('asks Allo again about a key it could not check, but not about one it refused', async () => {
    const { allo, connections, setPolicy } = alloSetup();
    allo.unreachable.add('admin-good');
    setPolicy('admin-good');
    expect(await connections.applyManagedAlloKey()).toBe(false);
    expect((await connections.status()).allo).toMatchObject({ state: 'disconnected', managed: { unchecked: { code: 'network' } } });
    allo.unreachable.clear();
    expect(await connections.applyManagedAlloKey()).toBe(true);

    setPolicy('admin-bad');
    await connections.applyManagedAlloKey();
    const asked = allo.checked.length;
    expect(await connections.applyManagedAlloKey()).toBe(false);
    expect(allo.checked).toHaveLength(asked);
    // The policy goes: its refusal goes with it, and the user may type a key again.
    setPolicy(undefined);
    expect((await connections.status()).allo).toEqual({ state: 'disconnected' });
    expect(await connections.setAlloKey('mine')).toMatchObject({ ok: true });
  });
});
