import { describe, expect, it } from 'vitest';
import { validateAlloKey } from '@/lib/allo/api-key';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const alloError = (status: number, code: string) =>
  json(status, { error: { type: 'authentication_error', code, message: code, retryable: false, request_id: 'req-1' } });
const me = (scopes: string[]) =>
  json(200, { data: { api_key_id: 'api-1', scopes, endpoints: [], team: { id: 'team-1', name: 'Acme Sales' }, rate_limits: {} } });

const check = (key: string, response: Response | (() => Promise<Response>)) =>
  validateAlloKey(key, { apiUrl: 'https://allo', fetch: async () => (typeof response === 'function' ? response() : response) });

describe('validateAlloKey', () => {
  it('accepts a key that can read calls, and tells the team', async () => {
    expect(await check('ak_live_1', me(['CONVERSATIONS_READ', 'USERS_READ']))).toEqual({
      scopes: ['CONVERSATIONS_READ', 'USERS_READ'],
      teamName: 'Acme Sales',
    });
  });

  it('sends the key as "Api-Key <key>" to /v2/api/me', async () => {
    let seen: [string, string | null] | undefined;
    await validateAlloKey(' ak_live_1 ', {
      apiUrl: 'https://allo',
      fetch: async (url, init) => {
        seen = [String(url), new Headers(init?.headers).get('authorization')];
        return me(['CONVERSATIONS_READ']);
      },
    });
    expect(seen).toEqual(['https://allo/v2/api/me', 'Api-Key ak_live_1']);
  });

  it.each([
    ['an unknown key', alloError(401, 'API_KEY_INVALID'), 'invalid'],
    ['a revoked key', alloError(401, 'API_KEY_REVOKED'), 'revoked'],
    ['a trial workspace', alloError(403, 'API_KEY_TRIAL_NOT_ALLOWED'), 'trial'],
    ['a key without the calls scope', me(['USERS_READ']), 'missing-calls-scope'],
    ['a rate limit', alloError(429, 'RATE_LIMIT_EXCEEDED'), 'rate-limited'],
    ['a server error', new Response('oops', { status: 500 }), 'server'],
    ['a malformed answer', json(200, { data: { scopes: 'all' } }), 'invalid-response'],
  ])('explains %s', async (_what, response, code) => {
    await expect(check('ak_live_1', response)).rejects.toMatchObject({ code });
  });

  it('explains an empty key and an unreachable Allo', async () => {
    await expect(check('  ', me([]))).rejects.toMatchObject({ code: 'empty' });
    await expect(check('ak', () => Promise.reject(new TypeError('Failed to fetch')))).rejects.toMatchObject({ code: 'network' });
  });
});
