import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import { SellsyClient } from '@/lib/sellsy/api-client';
import type { TokenSet } from '@/lib/sellsy/oauth';
import { SellsySession, type TokenStore } from '@/lib/sellsy/session';

const NOW = 1_700_000_000_000;
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function memoryStore(initial: TokenSet | null): TokenStore & { value: TokenSet | null } {
  const store = {
    value: initial,
    get: async () => store.value,
    set: async (tokens: TokenSet) => {
      store.value = tokens;
    },
    clear: async () => {
      store.value = null;
    },
  };
  return store;
}

/** A token endpoint that rotates refresh tokens and spends the old ones, like Sellsy's. */
function rotatingTokenServer() {
  let generation = 1;
  const server = {
    refreshes: 0,
    revoked: false,
    fetch: vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { refresh_token: string };
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (server.revoked || body.refresh_token !== `r${generation}`) return json(400, { error: 'invalid_grant' });
      generation++;
      server.refreshes++;
      return json(200, { token_type: 'Bearer', expires_in: 3600, access_token: `a${generation}`, refresh_token: `r${generation}` });
    }),
  };
  return server;
}

function session(store: TokenStore, fetch: typeof globalThis.fetch, onRevoked = vi.fn(async () => undefined)) {
  return new SellsySession({ endpoints: { tokenUrl: 'https://t', clientId: 'c' }, tokens: store, onRevoked, fetch, now: () => NOW });
}

describe('SellsySession', () => {
  it('uses the stored token while it is valid', async () => {
    const store = memoryStore({ accessToken: 'a1', refreshToken: 'r1', expiresAt: NOW + 3_600_000 });
    const server = rotatingTokenServer();
    expect(await session(store, server.fetch).accessToken()).toBe('a1');
    expect(server.refreshes).toBe(0);
  });

  it('refreshes before expiry and stores the rotated refresh token', async () => {
    const store = memoryStore({ accessToken: 'a1', refreshToken: 'r1', expiresAt: NOW + 30_000 });
    const server = rotatingTokenServer();
    expect(await session(store, server.fetch).accessToken()).toBe('a2');
    expect(store.value).toEqual({ accessToken: 'a2', refreshToken: 'r2', expiresAt: NOW + 3_600_000 });
  });

  it('refreshes once for many concurrent callers, so the rotated token is never lost', async () => {
    const store = memoryStore({ accessToken: 'a1', refreshToken: 'r1', expiresAt: NOW - 1 });
    const server = rotatingTokenServer();
    const s = session(store, server.fetch);
    const tokens = await Promise.all([s.accessToken(), s.accessToken(), s.accessToken(), s.refresh('a1')]);
    expect(tokens.map((t) => (typeof t === 'string' ? t : t.accessToken))).toEqual(['a2', 'a2', 'a2', 'a2']);
    expect(server.refreshes).toBe(1);
    // Later: a caller that still holds the old token does not refresh again.
    expect((await s.refresh('a1')).accessToken).toBe('a2');
    expect(server.refreshes).toBe(1);
    expect(store.value?.refreshToken).toBe('r2');
  });

  it('treats a refused refresh as a revocation: tokens forgotten, the UI told', async () => {
    const store = memoryStore({ accessToken: 'a1', refreshToken: 'r1', expiresAt: NOW - 1 });
    const server = rotatingTokenServer();
    server.revoked = true;
    const onRevoked = vi.fn(async () => undefined);
    await expect(session(store, server.fetch, onRevoked).accessToken()).rejects.toMatchObject({ code: 'revoked' });
    expect(store.value).toBeNull();
    expect(onRevoked).toHaveBeenCalledOnce();
  });

  it('keeps the tokens when the refresh only failed to reach Sellsy', async () => {
    const tokens = { accessToken: 'a1', refreshToken: 'r1', expiresAt: NOW - 1 };
    const store = memoryStore(tokens);
    const onRevoked = vi.fn(async () => undefined);
    const offline = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(session(store, offline, onRevoked).accessToken()).rejects.toMatchObject({ code: 'network' });
    expect(store.value).toEqual(tokens);
    expect(onRevoked).not.toHaveBeenCalled();
  });
});

describe('SellsySession after Disconnect', () => {
  /** A token endpoint whose answer waits until the test lets it go. */
  function heldTokenServer(answer: () => Response) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let asked!: () => void;
    const reached = new Promise<void>((resolve) => (asked = resolve));
    const fetch = async () => {
      asked();
      await released;
      return answer();
    };
    return { fetch, reached, release };
  }

  it('does not bring the tokens back when a refresh answers after forget()', async () => {
    const store = memoryStore({ accessToken: 'a1', refreshToken: 'r1', expiresAt: NOW + 30_000 });
    const server = heldTokenServer(() => json(200, { token_type: 'Bearer', expires_in: 3600, access_token: 'a2', refresh_token: 'r2' }));
    const onRevoked = vi.fn(async () => undefined);
    const s = session(store, server.fetch, onRevoked);
    const asking = s.accessToken();
    await server.reached;
    await s.forget();
    server.release();
    await expect(asking).rejects.toMatchObject({ code: 'not-connected' });
    expect(store.value).toBeNull();
    expect(onRevoked).not.toHaveBeenCalled();
  });

  it('does not overwrite the tokens of a connection made while the refresh was in flight', async () => {
    const store = memoryStore({ accessToken: 'a1', refreshToken: 'r1', expiresAt: NOW + 30_000 });
    const server = heldTokenServer(() => json(400, { error: 'invalid_grant' }));
    const onRevoked = vi.fn(async () => undefined);
    const s = session(store, server.fetch, onRevoked);
    const asking = s.accessToken();
    await server.reached;
    const fresh = { accessToken: 'b1', refreshToken: 's1', expiresAt: NOW + 3_600_000 };
    await store.set(fresh);
    server.release();
    await expect(asking).rejects.toBeInstanceOf(Error);
    // The old session's refused refresh says nothing about the new one.
    expect(store.value).toEqual(fresh);
    expect(onRevoked).not.toHaveBeenCalled();
  });
});

describe('SellsyClient', () => {
  const Staff = v.object({ id: v.number() });

  function setup(api: (token: string) => Response) {
    const store = memoryStore({ accessToken: 'a1', refreshToken: 'r1', expiresAt: NOW + 3_600_000 });
    const tokens = rotatingTokenServer();
    const onRevoked = vi.fn(async () => undefined);
    const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
      if (String(url) === 'https://t') return tokens.fetch(url, init);
      return api(String(new Headers(init?.headers).get('authorization')).replace('Bearer ', ''));
    });
    const client = new SellsyClient({ apiUrl: 'https://api', session: session(store, fetch, onRevoked), fetch });
    return { client, store, tokens, onRevoked };
  }

  it('answers a 401 with one refresh and one retry', async () => {
    const { client, tokens } = setup((token) => (token === 'a1' ? json(401, { error: { code: 401, message: 'expired' } }) : json(200, { id: 7 })));
    expect(await client.request('GET', '/staffs/me', Staff)).toEqual({ id: 7 });
    expect(tokens.refreshes).toBe(1);
  });

  it('calls it revoked when Sellsy still says 401 after a successful refresh', async () => {
    const { client, store, onRevoked } = setup(() => json(401, { error: { code: 401, message: 'revoked' } }));
    await expect(client.request('GET', '/staffs/me', Staff)).rejects.toMatchObject({ code: 'revoked' });
    expect(store.value).toBeNull();
    expect(onRevoked).toHaveBeenCalledOnce();
  });

  it('reports a malformed answer instead of passing it on', async () => {
    const { client } = setup(() => json(200, { id: 'not a number' }));
    await expect(client.request('GET', '/staffs/me', Staff)).rejects.toMatchObject({ code: 'invalid-response' });
  });

  it('turns HTTP errors into codes, with Retry-After on 429', async () => {
    const { client } = setup(() => new Response('{}', { status: 429, headers: { 'retry-after': '3' } }));
    await expect(client.request('GET', '/x', Staff)).rejects.toMatchObject({ code: 'rate-limited', retryAfterS: 3 });
    const forbidden = setup(() => json(403, { error: { code: 403, message: 'Missing scope staffs.read' } }));
    await expect(forbidden.client.request('GET', '/x', Staff)).rejects.toMatchObject({ code: 'forbidden', message: 'Missing scope staffs.read' });
  });
});
