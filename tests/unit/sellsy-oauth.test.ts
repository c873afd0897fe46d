import { describe, expect, it, vi } from 'vitest';
import { SellsyError } from '@/lib/sellsy/errors';
import { buildAuthorizeUrl, codeFromRedirect, exchangeCode, refreshTokens } from '@/lib/sellsy/oauth';
import { createPkcePair, createState, pkceChallenge } from '@/lib/sellsy/pkce';

const endpoints = {
  authorizeUrl: 'https://login.sellsy.test/oauth2/authorization',
  tokenUrl: 'https://login.sellsy.test/oauth2/access-tokens',
  clientId: 'client-1',
  redirectUri: 'https://mmckljamldhefiejejlhbcojnndnfpon.chromiumapp.org/',
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('PKCE and state', () => {
  it('derives the S256 challenge of RFC 7636’s example', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a fresh verifier of allowed characters and length each time', async () => {
    const [a, b] = await Promise.all([createPkcePair(), createPkcePair()]);
    expect(a.verifier).toMatch(/^[A-Za-z0-9\-_]{43,128}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.challenge).toBe(await pkceChallenge(a.verifier));
    expect(createState()).not.toBe(createState());
  });
});

describe('authorization', () => {
  it('asks for a code with PKCE S256, our redirect URI, state and scopes', () => {
    const url = new URL(buildAuthorizeUrl(endpoints, 'the-challenge', 'the-state'));
    expect(url.origin + url.pathname).toBe(endpoints.authorizeUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: endpoints.redirectUri,
      code_challenge: 'the-challenge',
      code_challenge_method: 'S256',
      state: 'the-state',
    });
    expect(url.searchParams.get('scope')).toContain('phonecalls.write');
  });

  it('takes the code only when the state is ours', () => {
    expect(codeFromRedirect(`${endpoints.redirectUri}?code=abc&state=s1`, 's1')).toBe('abc');
    expect(() => codeFromRedirect(`${endpoints.redirectUri}?code=abc&state=other`, 's1')).toThrow(expect.objectContaining({ code: 'oauth' }));
    expect(() => codeFromRedirect(`${endpoints.redirectUri}?state=s1`, 's1')).toThrow(expect.objectContaining({ code: 'oauth' }));
    expect(() => codeFromRedirect(`${endpoints.redirectUri}?error=access_denied&state=s1`, 's1')).toThrow(expect.objectContaining({ code: 'cancelled' }));
  });

  it('names what Sellsy refused: the scopes, or a client that may not sign users in', () => {
    expect(() => codeFromRedirect(`${endpoints.redirectUri}?error=invalid_scope&state=s1`, 's1')).toThrow(
      expect.objectContaining({ code: 'scope-refused', message: expect.stringContaining('phonecalls.write') }),
    );
    expect(() => codeFromRedirect(`${endpoints.redirectUri}?error=unauthorized_client&state=s1`, 's1')).toThrow(
      expect.objectContaining({ code: 'unknown-client' }),
    );
  });
});

describe('token endpoint', () => {
  it('exchanges the code with the verifier, as JSON', async () => {
    const fetch = vi.fn(async () => json(200, { token_type: 'Bearer', expires_in: 3600, access_token: 'a1', refresh_token: 'r1' }));
    const tokens = await exchangeCode(endpoints, 'code-1', 'verifier-1', { fetch, now: () => 1_000 });
    expect(tokens).toEqual({ accessToken: 'a1', refreshToken: 'r1', expiresAt: 1_000 + 3_600_000 });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(endpoints.tokenUrl);
    expect(JSON.parse(init.body as string)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client-1',
      redirect_uri: endpoints.redirectUri,
      code_verifier: 'verifier-1',
      code: 'code-1',
    });
  });

  it('sends a private client’s secret to the token endpoint, and says when Sellsy does not know the client', async () => {
    const fetch = vi.fn(async () => json(401, { error: 'invalid_client' }));
    await expect(exchangeCode({ ...endpoints, clientSecret: 'shh' }, 'code-1', 'verifier-1', { fetch })).rejects.toMatchObject({ code: 'unknown-client' });
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(init.body as string)).toMatchObject({ client_id: 'client-1', client_secret: 'shh' });
  });

  it('says "revoked" when Sellsy refuses the grant, and reads nothing malformed', async () => {
    const refused = () => refreshTokens(endpoints, 'r1', { fetch: async () => json(400, { error: 'invalid_grant' }) });
    await expect(refused()).rejects.toMatchObject({ code: 'revoked' });
    const malformed = () => refreshTokens(endpoints, 'r1', { fetch: async () => json(200, { access_token: 'a2' }) });
    await expect(malformed()).rejects.toMatchObject({ code: 'invalid-response' });
    const down = () => refreshTokens(endpoints, 'r1', { fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(down()).rejects.toBeInstanceOf(SellsyError);
    await expect(down()).rejects.toMatchObject({ code: 'network' });
    const failing = () => refreshTokens(endpoints, 'r1', { fetch: async () => new Response('<html>', { status: 502 }) });
    await expect(failing()).rejects.toMatchObject({ code: 'server' });
  });
});
