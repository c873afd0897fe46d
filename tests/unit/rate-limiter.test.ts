import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SellsyClient } from '@/lib/sellsy/api-client';
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
