import { describe, expect, it } from 'vitest';
import { requestJson, type JsonRequest } from '@/lib/http/request-json';

class Unreachable extends Error {
  constructor(readonly timedOut: boolean) {
    super(timedOut ? 'timed out' : 'unreachable');
  }
}

function request(fetch: typeof globalThis.fetch, extra: Partial<JsonRequest> = {}): JsonRequest {
  return { method: 'GET', fetch, unreachable: (timedOut) => new Unreachable(timedOut), ...extra };
}

describe('requestJson', () => {
  it('sends JSON with the caller’s headers and a timeout, and reads JSON back', async () => {
    let sent: RequestInit | undefined;
    const fetch: typeof globalThis.fetch = async (_url, init) => {
      sent = init;
      return new Response(JSON.stringify({ id: 7 }), { status: 201 });
    };
    const reply = await requestJson('https://api.test/things', request(fetch, { method: 'POST', headers: { authorization: 'Bearer t' }, body: { a: 1 } }));
    expect(reply).toMatchObject({ status: 201, ok: true, json: { id: 7 }, retryAfterS: undefined });
    expect(sent?.method).toBe('POST');
    expect(sent?.body).toBe('{"a":1}');
    expect(sent?.headers).toEqual({ authorization: 'Bearer t', accept: 'application/json', 'content-type': 'application/json' });
    expect(sent?.signal).toBeInstanceOf(AbortSignal);
  });

  it('sends no body and no content-type without a body', async () => {
    let sent: RequestInit | undefined;
    const fetch: typeof globalThis.fetch = async (_url, init) => {
      sent = init;
      return new Response('{}');
    };
    await requestJson('https://api.test/things', request(fetch));
    expect(sent?.body).toBeUndefined();
    expect(sent?.headers).toEqual({ accept: 'application/json' });
  });

  it('turns a timeout into the caller’s error, marked as timed out', async () => {
    const fetch: typeof globalThis.fetch = async () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    };
    const error = await requestJson('https://api.test/slow', request(fetch)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Unreachable);
    expect((error as Unreachable).timedOut).toBe(true);
  });

  it('turns any other failure to get an answer into the caller’s error, not timed out', async () => {
    const fetch: typeof globalThis.fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const error = await requestJson('https://api.test/down', request(fetch)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Unreachable);
    expect((error as Unreachable).timedOut).toBe(false);
  });

  it('reads an answer that is not JSON as undefined, keeping its status', async () => {
    const fetch: typeof globalThis.fetch = async () => new Response('<html>Bad gateway</html>', { status: 502 });
    const reply = await requestJson('https://api.test/things', request(fetch));
    expect(reply).toMatchObject({ status: 502, ok: false, json: undefined });
  });

  it('passes Retry-After on, in seconds, as delta-seconds or an HTTP date', async () => {
    const answer = (retryAfter: string) => async () => new Response('{}', { status: 429, headers: { 'retry-after': retryAfter } });
    expect((await requestJson('https://api.test/a', request(answer('3')))).retryAfterS).toBe(3);
    const now = () => Date.parse('2026-01-01T00:00:00Z');
    const dated = await requestJson('https://api.test/a', request(answer('Thu, 01 Jan 2026 00:00:20 GMT'), { now }));
    expect(dated.retryAfterS).toBe(20);
    expect((await requestJson('https://api.test/a', request(answer('soon')))).retryAfterS).toBeUndefined();
    const without = await requestJson(
      'https://api.test/a',
      request(async () => new Response('{}', { status: 429 })),
    );
    expect(without).toMatchObject({ status: 429, retryAfterS: undefined });
  });
});
