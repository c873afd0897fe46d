// @vitest-environment node
/**
 * The local Sellsy and Allo servers themselves, through real HTTP: they stand in for the outside
 * world in every other test, so their contract behaviour and their faults must hold.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAlloServer, type AlloServer } from '../servers/allo';
import { SANDBOX_CLIENT_ID } from '../servers/sandbox-ports';
import { EXTENSION_SCOPES, startSellsyServer, type SellsyServer, type TokenReply } from '../servers/sellsy';

const REDIRECT_URI = 'https://mmckljamldhefiejejlhbcojnndnfpon.chromiumapp.org/';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(sellsy: SellsyServer, params: Record<string, string> = {}): string {
  const url = new URL(sellsy.authorizeUrl);
  const defaults = {
    response_type: 'code',
    client_id: SANDBOX_CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
    state: 'state-123',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...params })) url.searchParams.set(name, value);
  return url.toString();
}

/** Follows nothing: returns the redirect target of a 302. */
async function location(response: Response): Promise<URL> {
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

async function getCode(sellsy: SellsyServer, challenge: string, state = 'state-123'): Promise<string> {
  sellsy.autoApprove = true;
  const back = await location(await fetch(authorizeUrl(sellsy, { code_challenge: challenge, state }), { redirect: 'manual' }));
  return back.searchParams.get('code') ?? '';
}

function postToken(sellsy: SellsyServer, body: Record<string, string>): Promise<Response> {
  return fetch(sellsy.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function exchange(sellsy: SellsyServer, code: string, verifier: string): Promise<Response> {
  return postToken(sellsy, { grant_type: 'authorization_code', client_id: SANDBOX_CLIENT_ID, redirect_uri: REDIRECT_URI, code, code_verifier: verifier });
}

async function connect(sellsy: SellsyServer): Promise<TokenReply> {
  const { verifier, challenge } = pkce();
  const response = await exchange(sellsy, await getCode(sellsy, challenge), verifier);
  expect(response.status).toBe(200);
  return (await response.json()) as TokenReply;
}

function refresh(sellsy: SellsyServer, refreshToken: string): Promise<Response> {
  return postToken(sellsy, { grant_type: 'refresh_token', client_id: SANDBOX_CLIENT_ID, refresh_token: refreshToken });
}

function me(sellsy: SellsyServer, accessToken?: string): Promise<Response> {
  return fetch(`${sellsy.apiUrl}/staffs/me`, { headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} });
}

describe('local Sellsy: OAuth', () => {
  let sellsy: SellsyServer;
  let clock = Date.now();

  beforeAll(async () => {
    sellsy = await startSellsyServer({ now: () => clock });
  });
  afterEach(() => {
    sellsy.autoApprove = false;
    sellsy.faults.clear();
    sellsy.rateLimitPerSecond = undefined;
  });
  afterAll(() => sellsy.close());

  it('redirects at once with a code and the same state when auto-approving', async () => {
    sellsy.autoApprove = true;
    const back = await location(await fetch(authorizeUrl(sellsy, { state: 'xyz-é&' }), { redirect: 'manual' }));
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    expect(back.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
    expect(back.searchParams.get('state')).toBe('xyz-é&');
  });

  it('shows a consent page whose Approve posts back and redirects with code and state', async () => {
    const page = await fetch(authorizeUrl(sellsy, { scope: 'staffs.read contacts.read' }));
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain("Allo for Sellsy demande l'accès à votre compte Sellsy");
    expect(text).toContain('Allo for Sellsy wants to access your Sellsy account');
    expect(text).toContain('Camille Martin');
    expect(text).toContain('<code>contacts.read</code>');
    expect(text).toMatch(/<button[^>]*value="approve"[^>]*>Approve<\/button>/);
    const requestId = /name="request" value="([^"]+)"/.exec(text)?.[1] ?? '';

    const approve = await fetch(sellsy.authorizeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: requestId, decision: 'approve' }),
      redirect: 'manual',
    });
    const back = await location(approve);
    expect(back.searchParams.get('code')).toBeTruthy();
    expect(back.searchParams.get('state')).toBe('state-123');
    // The same consent cannot be answered twice.
    const again = await fetch(sellsy.authorizeUrl, {
      method: 'POST',
      body: new URLSearchParams({ request: requestId, decision: 'approve' }),
      redirect: 'manual',
    });
    expect(again.status).toBe(400);
  });

  it('Deny redirects with access_denied and the state', async () => {
    const text = await (await fetch(authorizeUrl(sellsy, { state: 's-deny' }))).text();
    const requestId = /name="request" value="([^"]+)"/.exec(text)?.[1] ?? '';
    const back = await location(
      await fetch(sellsy.authorizeUrl, { method: 'POST', body: new URLSearchParams({ request: requestId, decision: 'deny' }), redirect: 'manual' }),
    );
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('s-deny');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('rejects an unknown client and a foreign redirect URI with an error page, and a non-S256 method by redirect', async () => {
    const unknown = await fetch(authorizeUrl(sellsy, { client_id: 'someone-else' }), { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toContain('text/html');
    const foreign = await fetch(authorizeUrl(sellsy, { redirect_uri: 'https://evil.example/' }), { redirect: 'manual' });
    expect(foreign.status).toBe(400);
    const local = await fetch(authorizeUrl(sellsy, { redirect_uri: 'http://127.0.0.1:9999/cb' }), { redirect: 'manual' });
    expect(local.status).toBe(200);

    const plain = await location(await fetch(authorizeUrl(sellsy, { code_challenge_method: 'plain' }), { redirect: 'manual' }));
    expect(plain.searchParams.get('error')).toBe('invalid_request');
    expect(plain.searchParams.get('state')).toBe('state-123');
  });

  it('checks PKCE: the right verifier gets tokens, a wrong one invalid_grant', async () => {
    const { verifier, challenge } = pkce();
    const wrong = await exchange(sellsy, await getCode(sellsy, challenge), pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });

    const before = sellsy.stats.codesExchanged;
    const right = await exchange(sellsy, await getCode(sellsy, challenge), verifier);
    expect(right.status).toBe(200);
    const tokens = (await right.json()) as TokenReply;
    expect(tokens).toEqual({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String), refresh_token: expect.any(String) });
    expect(sellsy.stats.codesExchanged).toBe(before + 1);
  });

  it('takes a form-encoded token request too', async () => {
    const { verifier, challenge } = pkce();
    const code = await getCode(sellsy, challenge);
    const response = await fetch(sellsy.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: SANDBOX_CLIENT_ID, redirect_uri: REDIRECT_URI, code, code_verifier: verifier }),
    });
    expect(response.status).toBe(200);
  });

  it('uses a code once only, and not after 60 s', async () => {
    const { verifier, challenge } = pkce();
    const code = await getCode(sellsy, challenge);
    expect((await exchange(sellsy, code, verifier)).status).toBe(200);
    const reused = await exchange(sellsy, code, verifier);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });

    const late = await getCode(sellsy, challenge);
    clock += 61_000;
    expect(await (await exchange(sellsy, late, verifier)).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rotates refresh tokens: the old one is spent', async () => {
    const first = await connect(sellsy);
    const refreshes = sellsy.stats.refreshes;
    const response = await refresh(sellsy, first.refresh_token);
    expect(response.status).toBe(200);
    const second = (await response.json()) as TokenReply;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(sellsy.stats.refreshes).toBe(refreshes + 1);

    const reused = await refresh(sellsy, first.refresh_token);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    expect((await refresh(sellsy, second.refresh_token)).status).toBe(200);
  });

  it('revokeAll: the API answers 401 and refresh invalid_grant', async () => {
    const tokens = await connect(sellsy);
    expect((await me(sellsy, tokens.access_token)).status).toBe(200);
    sellsy.revokeAll();
    const api = await me(sellsy, tokens.access_token);
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: { code: 401, message: expect.any(String), context: expect.any(String), details: {} } });
    expect(await (await refresh(sellsy, tokens.refresh_token)).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('expireAccessTokens: the API answers 401, then a refresh works', async () => {
    const tokens = await connect(sellsy);
    sellsy.expireAccessTokens();
    expect((await me(sellsy, tokens.access_token)).status).toBe(401);
    const fresh = (await (await refresh(sellsy, tokens.refresh_token)).json()) as TokenReply;
    expect((await me(sellsy, fresh.access_token)).status).toBe(200);
  });

  it('expires access tokens after their lifetime', async () => {
    const tokens = await connect(sellsy);
    clock += 3_599_000;
    expect((await me(sellsy, tokens.access_token)).status).toBe(200);
    clock += 1_000;
    expect((await me(sellsy, tokens.access_token)).status).toBe(401);
  });
});

describe('local Sellsy: API v2', () => {
  let sellsy: SellsyServer;
  let clock = Date.now();

  beforeAll(async () => {
    sellsy = await startSellsyServer({ now: () => clock });
  });
  afterEach(() => {
    sellsy.faults.clear();
    sellsy.rateLimitPerSecond = undefined;
  });
  afterAll(() => sellsy.close());

  it('GET /staffs/me returns the staff', async () => {
    const response = await me(sellsy, sellsy.issueTokens().access_token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 4242, firstname: 'Camille', lastname: 'Martin', email: 'camille.martin@example.fr', status: 'ok' });
  });

  it('answers 401 without a token and 403 without the scope, in Sellsy’s envelope', async () => {
    const missing = await me(sellsy);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: number } }).error.code).toBe(401);
    const scoped = await me(sellsy, sellsy.issueTokens(EXTENSION_SCOPES.filter((scope) => scope !== 'staffs.read')).access_token);
    expect(scoped.status).toBe(403);
    expect(await scoped.json()).toMatchObject({ error: { code: 403 } });
  });

  it('limits requests per second when switched on, with Retry-After', async () => {
    const token = sellsy.issueTokens().access_token;
    clock = Math.floor(clock / 1000) * 1000 + 100_000; // the start of a second
    sellsy.rateLimitPerSecond = 2;
    expect((await me(sellsy, token)).headers.get('x-quota-remaining-by-second')).toBe('1');
    expect((await me(sellsy, token)).status).toBe(200);
    const limited = await me(sellsy, token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toMatchObject({ error: { code: 429 } });
    clock += 1000;
    expect((await me(sellsy, token)).status).toBe(200);
  });

  it('injects a 429 with Retry-After, a 500, a malformed body, for as many times as asked', async () => {
    const token = sellsy.issueTokens().access_token;
    sellsy.faults.inject({ method: 'GET', path: '/v2/staffs/me' }, { status: 429, retryAfterS: 7 });
    const limited = await me(sellsy, token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({ error: { code: 429 } });
    expect((await me(sellsy, token)).status).toBe(200); // times defaults to 1

    sellsy.faults.inject({ path: /^\/v2\/staffs\// }, { status: 500, times: 2 });
    expect((await me(sellsy, token)).status).toBe(500);
    const second = await me(sellsy, token);
    expect(await second.json()).toEqual({ error: { code: 500, message: 'Internal Server Error', context: '', details: {} } });
    expect((await me(sellsy, token)).status).toBe(200);

    sellsy.faults.inject({ path: '/v2/staffs/me' }, { body: '{"id": 4242, "firstn' });
    const malformed = await me(sellsy, token);
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow(SyntaxError);
  });

  it('drops after the handler ran: the code is spent though no answer came', async () => {
    const { verifier, challenge } = pkce();
    const code = await getCode(sellsy, challenge);
    const exchanged = sellsy.stats.codesExchanged;
    sellsy.faults.inject({ method: 'POST', path: '/oauth2/access-tokens' }, { drop: 'after' });
    await expect(exchange(sellsy, code, verifier)).rejects.toThrow();
    expect(sellsy.stats.codesExchanged).toBe(exchanged + 1);
    expect(await (await exchange(sellsy, code, verifier)).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('drops before the handler ran: the code still works', async () => {
    const { verifier, challenge } = pkce();
    const code = await getCode(sellsy, challenge);
    sellsy.faults.inject({ path: '/oauth2/access-tokens' }, { drop: 'before' });
    await expect(exchange(sellsy, code, verifier)).rejects.toThrow();
    expect((await exchange(sellsy, code, verifier)).status).toBe(200);
  });

  it('answers slowly on demand, and logs every request', async () => {
    const token = sellsy.issueTokens().access_token;
    sellsy.requests.length = 0;
    sellsy.faults.inject({ path: '/v2/staffs/me' }, { delayMs: 150 });
    const started = performance.now();
    expect((await me(sellsy, token)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(sellsy.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/v2/staffs/me',
        body: undefined,
        headers: expect.objectContaining({ authorization: `Bearer ${token}` }),
      }),
    ]);
  });

  it('answers 404 in the envelope for an unknown route', async () => {
    const response = await fetch(`${sellsy.apiUrl}/nothing-here`, { headers: { authorization: `Bearer ${sellsy.issueTokens().access_token}` } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 404 } });
  });
});

describe('local Allo', () => {
  let allo: AlloServer;
  let clock = Date.now();

  beforeAll(async () => {
    allo = await startAlloServer({ now: () => clock });
  });
  afterEach(() => allo.faults.clear());
  afterAll(() => allo.close());

  function get(path: string, authorization?: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${allo.url}${path}`, { headers: { ...(authorization && { authorization }), ...headers } });
  }

  it('GET /v2/api/me describes the sandbox key', async () => {
    const response = await get('/v2/api/me', 'Api-Key allo-sandbox-key');
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { scopes: string[]; endpoints: Array<{ scope: string }> } };
    expect(data).toEqual({
      api_key_id: expect.stringMatching(/^api-/),
      scopes: ['CONVERSATIONS_READ', 'USERS_READ'],
      endpoints: expect.arrayContaining([
        { method: 'POST', path: '/v2/api/conversations/items/search', description: expect.any(String), scope: 'CONVERSATIONS_READ' },
        { method: 'GET', path: '/v2/api/users', description: expect.any(String), scope: 'USERS_READ' },
      ]),
      team: { id: expect.any(String), name: expect.any(String) },
      rate_limits: { read_per_second: 20, write_per_second: 5 },
    });
  });

  it('GET /v2/api/me lists only the no-calls key’s scope, and takes a raw key', async () => {
    const { data } = (await (await get('/v2/api/me', 'allo-no-calls-key')).json()) as { data: { scopes: string[]; endpoints: Array<{ scope: string }> } };
    expect(data.scopes).toEqual(['USERS_READ']);
    expect(data.endpoints.every((endpoint) => endpoint.scope === 'USERS_READ')).toBe(true);
  });

  it('refuses trial, unknown and revoked keys in Allo’s envelope', async () => {
    const trial = await get('/v2/api/me', 'Api-Key allo-trial-key');
    expect(trial.status).toBe(403);
    expect(await trial.json()).toEqual({
      error: {
        type: 'permission_error',
        code: 'API_KEY_TRIAL_NOT_ALLOWED',
        message: expect.any(String),
        retryable: false,
        request_id: expect.stringMatching(/^req_/),
      },
    });
    const unknown = await get('/v2/api/me', 'Api-Key nope', { 'x-request-id': 'req_mine' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: { type: 'authentication_error', code: 'API_KEY_INVALID', request_id: 'req_mine' } });

    allo.keys['allo-revoked'] = { scopes: ['USERS_READ'], revoked: true };
    expect(await (await get('/v2/api/me', 'Api-Key allo-revoked')).json()).toMatchObject({ error: { code: 'API_KEY_REVOKED' } });
  });

  it('GET /v2/api/users needs USERS_READ and lists the team', async () => {
    const response = await get('/v2/api/users', 'Api-Key allo-sandbox-key');
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: Array<{ email: string; status: string }> };
    expect(data).toContainEqual({
      id: expect.stringMatching(/^usr-/),
      name: 'Camille Martin',
      email: 'camille.martin@example.fr',
      role: expect.any(String),
      status: 'ACTIVE',
      image_url: null,
    });
    expect(data.every((user) => user.status === 'ACTIVE')).toBe(true);

    allo.keys['allo-calls-only'] = { scopes: ['CONVERSATIONS_READ'] };
    const denied = await get('/v2/api/users', 'Api-Key allo-calls-only');
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { type: 'permission_error', code: 'API_KEY_INSUFFICIENT_SCOPE', retryable: false } });
  });

  it('limits reads to 20 per second per key with Retry-After and X-RateLimit headers', async () => {
    clock = Math.floor(clock / 1000) * 1000 + 100_000;
    for (let i = 0; i < 20; i++) expect((await get('/v2/api/me', 'Api-Key allo-sandbox-key')).status).toBe(200);
    const limited = await get('/v2/api/me', 'Api-Key allo-sandbox-key');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'RATE_LIMIT_EXCEEDED', retryable: true, retry_after_seconds: 1 } });
    expect((await get('/v2/api/me', 'Api-Key allo-no-calls-key')).status).toBe(200); // per key
    clock += 1000;
    expect((await get('/v2/api/me', 'Api-Key allo-sandbox-key')).status).toBe(200);
  });

  it('injects a 429 with Retry-After, a 500 and a malformed body in Allo’s envelope', async () => {
    allo.faults.inject({ path: '/v2/api/users' }, { status: 429, retryAfterS: 3 });
    const limited = await get('/v2/api/users', 'Api-Key allo-sandbox-key');
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMIT_EXCEEDED', retryable: true, retry_after_seconds: 3 } });

    allo.faults.inject({ method: 'GET', path: /^\/v2\/api\// }, { status: 500, times: Infinity });
    expect(await (await get('/v2/api/me', 'Api-Key allo-sandbox-key')).json()).toMatchObject({
      error: { type: 'server_error', code: 'INTERNAL_SERVER_ERROR', retryable: true },
    });
    expect((await get('/v2/api/users', 'Api-Key allo-sandbox-key')).status).toBe(500);
    allo.faults.clear();

    allo.faults.inject({ path: '/v2/api/me' }, { body: '<html>Bad gateway' });
    await expect((await get('/v2/api/me', 'Api-Key allo-sandbox-key')).json()).rejects.toThrow(SyntaxError);
    expect((await get('/v2/api/me', 'Api-Key allo-sandbox-key')).status).toBe(200);
  });
});
