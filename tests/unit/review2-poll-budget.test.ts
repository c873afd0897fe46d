/**
 * Review 2 (issue 22): the team's poll budget against what Allo may really send. Each test
 * states what a user would see; each failed on the code as reviewed.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AlloClient } from '@/lib/allo/api-client';
import { validateAlloKey } from '@/lib/allo/api-key';
import { readKeyFacts } from '@/lib/calls/poll-schedule';

beforeEach(() => {
  fakeBrowser.reset();
});

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** An Allo whose /me answers `rateLimits` as given, and whose other answers are plain. */
function alloAnswering(rateLimits: unknown, searchHeaders: Record<string, string> = {}): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = String(input);
    if (url.endsWith('/v2/api/me')) return json({ data: { scopes: ['CONVERSATIONS_READ', 'USERS_READ'], team: { name: 'Ventes' }, rate_limits: rateLimits } });
    if (url.endsWith('/v2/api/users')) return json({ data: [{ id: 'usr-1', status: 'ACTIVE' }] });
    if (url.endsWith('/items/search')) return json({ data: [], pagination: { has_more: false } }, 200, searchHeaders);
    return json({ error: { message: 'not here' } }, 404);
  }) as typeof fetch;
}

describe('review 2: /me with an odd rate_limits', () => {
  // api-client.ts MeReply: "a reply without it (or an odd one) leaves the documented 5/s". But a
  // write_per_second of 2.5, 0 or "5" fails the whole /me schema: the key itself is refused.
  for (const odd of [{ write_per_second: 2.5 }, { write_per_second: 0 }, { write_per_second: '5' }, 'unlimited']) {
    it(`a key whose /me says rate_limits = ${JSON.stringify(odd)} still connects`, async () => {
      const info = await validateAlloKey('key', { apiUrl: 'https://allo.test', fetch: alloAnswering(odd) });
      expect(info.scopes).toContain('CONVERSATIONS_READ');
    });
  }

  it('the budget falls back to the documented 5 writes a second when /me gives an odd limit', async () => {
    const allo = new AlloClient({ apiUrl: 'https://allo.test', apiKey: async () => 'key', fetch: alloAnswering({ write_per_second: 0 }) });
    const facts = await readKeyFacts(allo);
    expect(facts).toMatchObject({ writePerSecond: 5, activeUsers: 1, usersAssumed: false });
  });
});

describe('review 2: X-RateLimit-* headers', () => {
  const searchOnce = async (headers: Record<string, string>) => {
    const allo = new AlloClient({ apiUrl: 'https://allo.test', apiKey: async () => 'key', fetch: alloAnswering(undefined, headers) });
    await allo.searchCalls({ from: '2026-12-01', to: '2026-12-02', page: 1 });
    return allo.takeTally();
  };

  // api-client.ts: keyBusy(Number(limit), Number(remaining)); Number(null) and Number('') are 0,
  // so an answer that gives the limit but not (or an empty) Remaining reads as "none left": every
  // browser of the team doubles its slowdown at each poll, up to 8 times slower, for nothing.
  it('an answer with X-RateLimit-Limit but no X-RateLimit-Remaining does not mark the key busy', async () => {
    expect(await searchOnce({ 'x-ratelimit-limit': '5' })).toMatchObject({ writes: 1, busy: false });
  });

  it('an empty X-RateLimit-Remaining does not mark the key busy', async () => {
    expect(await searchOnce({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '' })).toMatchObject({ writes: 1, busy: false });
  });

  it('sanity: a real "1 of 5 left" does mark it busy', async () => {
    expect(await searchOnce({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '1' })).toMatchObject({ writes: 1, busy: true });
  });
});

describe('review 2: X-RateLimit-Reset read against a clock that is off', () => {
  // api-client.ts noteRateLimit: "none left this second" pauses until `X-RateLimit-Reset × 1000`
  // by this computer's clock, capped at 5 minutes. Allo's limits are per second, so the reset is
  // at most a second away on Allo's clock; a laptop whose clock is 10 minutes behind (a clock
  // jump, a dead CMOS battery) refuses every request to Allo for 5 minutes each time the team's
  // key has no request left for one second, and the popup shows "Allo asks us to slow down".
  it('a per-second reset on a clock 10 min behind does not hold this browser for minutes', async () => {
    const behindMs = 10 * 60_000;
    let now = Date.parse('2026-12-01T09:00:00Z');
    const fetchStub = (async () =>
      json({ data: [], pagination: { has_more: false } }, 200, {
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        // Allo's clock: this second, plus one.
        'x-ratelimit-reset': String(Math.floor((now + behindMs) / 1000) + 1),
      })) as typeof fetch;
    const allo = new AlloClient({
      apiUrl: 'https://allo.test',
      apiKey: async () => 'key',
      fetch: fetchStub,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    await allo.searchCalls({ from: '2026-12-01', to: '2026-12-02', page: 1 });
    now += 5_000;
    await expect(allo.searchCalls({ from: '2026-12-01', to: '2026-12-02', page: 1 })).resolves.toMatchObject({ hasMore: false });
  });
});
