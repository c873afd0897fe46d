import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { backoffMs, MAX_RETRY_AFTER_S, MAX_WAIT_IN_REQUEST_MS, SellsyClient } from '@/lib/sellsy/api-client';
import type { SellsyError } from '@/lib/sellsy/errors';
import { RateLimiter } from '@/lib/sellsy/rate-limiter';
import { SellsySession } from '@/lib/sellsy/session';

/** A clock that only moves when someone sleeps. */
function fakeTime() {
  const time = { now: 0, sleeps: [] as number[] };
  return {
    time,
    now: () => time.now,
    sleep: async (ms: number) => {
      time.sleeps.push(ms);
      time.now += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('lets 5 requests through per second (with a margin) and makes the 6th wait', async () => {
    const { time, now, sleep } = fakeTime();
    const limiter = new RateLimiter(5, now, sleep);
    const starts: number[] = [];
    for (let i = 0; i < 12; i++) {
      await limiter.take();
      starts.push(time.now);
    }
    expect(starts).toEqual([0, 0, 0, 0, 0, 1100, 1100, 1100, 1100, 1100, 2200, 2200]);
  });
});

describe('SellsyClient retries', () => {
  const Reply = v.object({ ok: v.boolean() });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

  function client(answers: Array<Response | Error>) {
    const { time, sleep } = fakeTime();
    const session = new SellsySession({
      endpoints: { tokenUrl: 'https://t', clientId: 'c' },
      tokens: {
        get: async () => ({ accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 3_600_000 }),
        set: async () => undefined,
        clear: async () => undefined,
      },
      onRevoked: async () => undefined,
    });
    let calls = 0;
    const fetch = async () => {
      const answer = answers[Math.min(calls++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    };
    return { time, calls: () => calls, client: new SellsyClient({ apiUrl: 'https://api', session, fetch, sleep }) };
  }

  it('waits as long as Retry-After says on a 429, then goes on', async () => {
    const { client: c, time, calls } = client([json(429, {}, { 'retry-after': '2' }), json(200, { ok: true })]);
    expect(await c.request('GET', '/x', Reply, undefined, { attempts: 3 })).toEqual({ ok: true });
    expect(time.sleeps).toEqual([2000]);
    expect(calls()).toBe(2);
  });

  it('backs off exponentially on 5xx and network failures, and gives up after the attempts', async () => {
    const { client: c, time, calls } = client([json(503, {}), new TypeError('Failed to fetch'), json(500, {})]);
    await expect(c.request('GET', '/x', Reply, undefined, { attempts: 3 })).rejects.toMatchObject({ code: 'server' });
    expect(time.sleeps).toEqual([500, 1000]);
    expect(calls()).toBe(3);
  });

  it('does not retry what retrying cannot fix', async () => {
    const { client: c, calls } = client([json(400, { error: { code: 400, message: 'Bad filter' } })]);
    await expect(c.request('GET', '/x', Reply, undefined, { attempts: 5 })).rejects.toMatchObject({ code: 'request', message: 'Bad filter' });
    expect(calls()).toBe(1);
  });
});

describe('SellsyClient and a long Retry-After', () => {
  const Reply = v.object({ ok: v.boolean() });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

  function client(answer: () => Response) {
    const clock = { now: Date.parse('2026-12-05T09:00:00Z'), sleeps: [] as number[], sent: 0 };
    const session = new SellsySession({
      endpoints: { tokenUrl: 'https://t', clientId: 'c' },
      tokens: {
        get: async () => ({ accessToken: 'a', refreshToken: 'r', expiresAt: clock.now + 3_600_000 }),
        set: async () => undefined,
        clear: async () => undefined,
      },
      onRevoked: async () => undefined,
      now: () => clock.now,
    });
    const fetch = async () => {
      clock.sent++;
      return answer();
    };
    const sleep = async (ms: number) => {
      clock.sleeps.push(ms);
      clock.now += ms;
    };
    return { clock, client: new SellsyClient({ apiUrl: 'https://api', session, fetch, sleep, now: () => clock.now }) };
  }

  it('fails fast with when to retry, instead of holding the request (and the pass behind it) for an hour', async () => {
    const { client: c, clock } = client(() => json(429, {}, { 'retry-after': '3600' }));
    await expect(c.request('GET', '/x', Reply, undefined, { attempts: 3 })).rejects.toMatchObject({ code: 'rate-limited', retryAfterS: 3600 });
    expect(clock.sleeps.every((ms) => ms <= MAX_WAIT_IN_REQUEST_MS)).toBe(true);
    expect(clock.sent).toBe(1);
  });

  it('does not ask Sellsy again before the time it gave, and says how long is left', async () => {
    let answer = () => json(429, {}, { 'retry-after': '600' });
    const { client: c, clock } = client(() => answer());
    await expect(c.request('GET', '/x', Reply)).rejects.toMatchObject({ code: 'rate-limited', retryAfterS: 600 });
    clock.now += 420_000;
    await expect(c.request('GET', '/y', Reply, undefined, { attempts: 3 })).rejects.toMatchObject({ code: 'rate-limited', retryAfterS: 180 });
    expect(clock.sent).toBe(1);
    clock.now += 180_000;
    answer = () => json(200, { ok: true });
    expect(await c.request('GET', '/y', Reply)).toEqual({ ok: true });
    expect(clock.sent).toBe(2);
  });

  it('waits a short Retry-After within the request, once, then goes on', async () => {
    const answers = [json(429, {}, { 'retry-after': '3' }), json(200, { ok: true })];
    const { client: c, clock } = client(() => answers.shift()!);
    expect(await c.request('GET', '/x', Reply, undefined, { attempts: 2 })).toEqual({ ok: true });
    expect(clock.sleeps).toEqual([3000]);
  });

  it('reads a hostile Retry-After (years, or more digits than a number holds) as an hour at most', async () => {
    for (const header of ['99999999', '9'.repeat(400)]) {
      const { client: c } = client(() => json(429, {}, { 'retry-after': header }));
      const error = await c.request('GET', '/x', Reply).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'rate-limited', retryAfterS: MAX_RETRY_AFTER_S });
      expect(backoffMs(error as SellsyError, 1)).toBe(MAX_RETRY_AFTER_S * 1000);
    }
  });
});
