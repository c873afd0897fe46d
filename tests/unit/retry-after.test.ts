import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { AlloClient, AlloError } from '@/lib/allo/api-client';
import { parseRetryAfter } from '@/lib/retry-after';
import { SellsyClient } from '@/lib/sellsy/api-client';
import { SellsySession } from '@/lib/sellsy/session';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('Retry-After', () => {
  it.each([
    [null, undefined],
    ['', undefined],
    ['soon', undefined],
    ['-1', undefined],
    ['0', 0],
    ['30', 30],
    ['1.5', 1.5],
    ['Sat, 28 Nov 2026 10:00:45 GMT', 45],
    ['Sat, 28 Nov 2026 09:00:00 GMT', 0],
  ])('reads %j as %j seconds', (header, seconds) => {
    expect(parseRetryAfter(header, NOW)).toBe(seconds);
  });
});

describe('a 429 without Retry-After', () => {
  it('makes the Sellsy client back off instead of retrying at once', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const session = new SellsySession({
      endpoints: { tokenUrl: 'https://login/token', clientId: 'c' },
      tokens: {
        get: async () => ({ accessToken: 'a', refreshToken: 'r', expiresAt: NOW + 3_600_000 }),
        set: async () => undefined,
        clear: async () => undefined,
      },
      onRevoked: async () => undefined,
      now: () => NOW,
    });
    const client = new SellsyClient({
      apiUrl: 'https://api',
      session,
      fetch: async () => (++calls === 1 ? reply(429, { error: { message: 'slow down' } }) : reply(200, { ok: true })),
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(await client.request('GET', '/x', v.object({ ok: v.boolean() }), undefined, { attempts: 2 })).toEqual({ ok: true });
    expect(sleeps).toEqual([500]);
  });

  it('makes the Allo client stay away from Allo for a while, longer each time', async () => {
    let now = NOW;
    const sent: number[] = [];
    let answer = () => reply(429, { error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests.' } });
    const allo = new AlloClient({
      apiUrl: 'https://allo',
      apiKey: async () => 'key',
      now: () => now,
      fetch: async () => {
        sent.push(now);
        return answer();
      },
      sleep: async () => undefined,
    });
    const first = await allo.users().catch((error: unknown) => error);
    expect(first).toBeInstanceOf(AlloError);
    expect(first).toMatchObject({ code: 'rate-limited', retryAfterS: undefined });
    // Asked again at once: refused here, without a request to Allo.
    await expect(allo.users()).rejects.toMatchObject({ code: 'rate-limited' });
    expect(sent).toHaveLength(1);
    now += 5_000;
    await expect(allo.users()).rejects.toMatchObject({ code: 'rate-limited' });
    expect(sent).toHaveLength(2);
    // Twice in a row: twice as long.
    now += 5_000;
    await expect(allo.users()).rejects.toMatchObject({ code: 'rate-limited' });
    expect(sent).toHaveLength(2);
    now += 5_000;
    answer = () => reply(200, { data: [] });
    expect(await allo.users()).toEqual([]);
    expect(sent).toHaveLength(3);
  });

  it('makes the Allo client honour Retry-After when it is there, in seconds or as a date', async () => {
    let now = NOW;
    const sent: number[] = [];
    let retryAfter = '30';
    const allo = new AlloClient({
      apiUrl: 'https://allo',
      apiKey: async () => 'key',
      now: () => now,
      sleep: async () => undefined,
      fetch: async () => {
        sent.push(now);
        return reply(429, { error: { message: 'Too many requests.' } }, { 'retry-after': retryAfter });
      },
    });
    await expect(allo.users()).rejects.toMatchObject({ code: 'rate-limited', retryAfterS: 30 });
    now += 27_000;
    await expect(allo.users()).rejects.toMatchObject({ code: 'rate-limited' });
    expect(sent).toHaveLength(1);
    now += 3_000;
    retryAfter = new Date(now + 60_000).toUTCString();
    await expect(allo.users()).rejects.toMatchObject({ retryAfterS: 60 });
    expect(sent).toHaveLength(2);
  });
});

describe('X-RateLimit-Remaining', () => {
  it('makes the Allo client wait for the reset before its next request when none is left', async () => {
    let now = NOW;
    const slept: number[] = [];
    const allo = new AlloClient({
      apiUrl: 'https://allo',
      apiKey: async () => 'key',
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
      fetch: async () => reply(200, { data: [] }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String((now + 800) / 1000) }),
    });
    await allo.users();
    expect(slept).toEqual([]);
    await allo.users();
    expect(slept).toEqual([800]);
  });
});
