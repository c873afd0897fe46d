/**
 * What the unit tests of the local Sellsy's `/v2` API over real HTTP share (sellsy-crm.test.ts,
 * sellsy-phone-calls.test.ts): one server per `describe` block with a token that outlives any
 * clock the tests set, faults and the per-second quota reset after each test, and helpers that
 * call the API and check Sellsy's answers and error envelope.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startSellsyServer, type SellsyServer, type SellsyServerOptions } from '../servers/sellsy';

/** Where the tests' clock starts. */
export const START = Date.parse('2025-03-15T10:00:00Z');

export interface Page<T> {
  pagination: { limit: number; count: number; total: number; offset: number | string };
  data: T[];
}

export interface ErrorBody {
  error: { code: number; message: string; context: string; details: Record<string, string> };
}

export interface CallOptions {
  query?: Record<string, string | number>;
  /** Sent as JSON. */
  body?: unknown;
  /** Instead of the block's token (which has every scope the extension asks for). */
  token?: string;
}

export interface SellsyApi {
  /** The block's server; from its `beforeAll` on. */
  readonly sellsy: SellsyServer;
  /** An access token with every scope the extension asks for; from the block's `beforeAll` on. */
  readonly token: string;
  /** A request to `/v2{path}`, with the block's token unless `options.token`. */
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  /** The JSON body of a response that must have `status`; throws with the body otherwise. */
  ok<T>(response: Promise<Response>, status?: number): Promise<T>;
  /** Expects `status` and Sellsy's error envelope; its `error`. */
  failure(response: Promise<Response>, status: number): Promise<ErrorBody['error']>;
}

/**
 * Starts a local Sellsy (with `options`) before the enclosing `describe` block and closes it
 * after. A test's own `beforeAll`, registered after this call, runs once the server is up.
 */
export function useSellsyApi(options: SellsyServerOptions = {}): SellsyApi {
  let server: SellsyServer | undefined;
  let token = '';

  beforeAll(async () => {
    server = await startSellsyServer({ accessTokenTtlS: 10 * 365 * 86_400, ...options });
    token = server.issueTokens().access_token;
  });
  afterEach(() => {
    if (!server) return;
    server.faults.clear();
    server.rateLimitPerSecond = undefined;
  });
  afterAll(() => server?.close());

  const running = (): SellsyServer => {
    if (!server) throw new Error('The local Sellsy is not started yet (use it from beforeAll or a test).');
    return server;
  };

  return {
    get sellsy() {
      return running();
    },
    get token() {
      return token;
    },

    call(method, path, options = {}) {
      const url = new URL(`${running().apiUrl}${path}`);
      for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, String(value));
      return fetch(url, {
        method,
        headers: { authorization: `Bearer ${options.token ?? token}`, ...(options.body !== undefined && { 'content-type': 'application/json' }) },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    },

    async ok<T>(response: Promise<Response>, status = 200): Promise<T> {
      const answer = await response;
      if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${await answer.text()}`);
      return (await answer.json()) as T;
    },

    async failure(response, status) {
      const answer = await response;
      expect(answer.status).toBe(status);
      const body = (await answer.json()) as ErrorBody;
      expect(body).toEqual({ error: { code: status, message: expect.any(String), context: expect.any(String), details: expect.any(Object) } });
      return body.error;
    },
  };
}
