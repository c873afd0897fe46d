import * as v from 'valibot';
import { SellsyError } from './errors';
import type { RateLimiter } from './rate-limiter';
import type { SellsySession } from './session';
import { requestJson, type JsonReply } from '../http/request-json';

export interface SellsyClientDeps {
  apiUrl: string;
  session: SellsySession;
  fetch?: typeof fetch;
  limiter?: RateLimiter;
  sleep?: (ms: number) => Promise<void>;
  /** The clock a pause asked by Sellsy is measured on. */
  now?: () => number;
  /** Told of each request that finally failed (after its retries), for diagnostics. */
  onFailure?: (failure: { method: string; path: string; status?: number; code: string }) => void;
}

export interface RequestOptions {
  /** Tries in all for a 429, a 5xx or a network failure (1: no retry). */
  attempts?: number;
}

const RETRYABLE = new Set(['rate-limited', 'server', 'network']);
const MAX_BACKOFF_MS = 30_000;
/**
 * The longest a request waits for Sellsy inside itself. The call log, the sync and Retry run one
 * pass at a time: a longer wait would hold all of them, so the request fails instead, and its
 * caller schedules the next try from the error's `retryAfterS`.
 */
export const MAX_WAIT_IN_REQUEST_MS = 5_000;
/** A Retry-After beyond this is read as this: a hostile or broken header must not stop us for good. */
export const MAX_RETRY_AFTER_S = 3_600;

/** How long to wait before try number `attempt + 1`: Sellsy's Retry-After, else exponential. */
export function backoffMs(error: SellsyError, attempt: number): number {
  if (error.retryAfterS !== undefined) return error.retryAfterS * 1000;
  return Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempt - 1));
}

const ErrorReply = v.object({ error: v.object({ message: v.optional(v.string()) }) });

/**
 * Sellsy API v2 with the session's token. A 401 is answered by one refresh and one retry;
 * a second 401 means Sellsy no longer accepts us (revoked), never a silent failure.
 */
export class SellsyClient {
  /** Until when Sellsy asked us (Retry-After) not to come back: requests before then are not sent. */
  private pausedUntil = 0;

  constructor(private readonly deps: SellsyClientDeps) {}

  async request<TSchema extends v.GenericSchema>(
    method: string,
    path: string,
    schema: TSchema,
    body?: unknown,
    { attempts = 1 }: RequestOptions = {},
  ): Promise<v.InferOutput<TSchema>> {
    for (let attempt = 1; ; attempt++) {
      await this.waitForPause();
      await this.deps.limiter?.take();
      try {
        return await this.requestOnce(method, path, schema, body);
      } catch (error) {
        if (!(error instanceof SellsyError)) throw error;
        if (!RETRYABLE.has(error.code) || attempt >= attempts) {
          this.deps.onFailure?.({ method, path, code: error.code, ...(error.status !== undefined ? { status: error.status } : {}) });
          throw error;
        }
        // A Retry-After is waited by `waitForPause` at the top of the loop, or refused there.
        if (error.retryAfterS === undefined) await this.sleep(backoffMs(error, attempt));
      }
    }
  }

  /** Waits out a short pause Sellsy asked for; a long one fails now, saying how long is left. */
  private async waitForPause(): Promise<void> {
    const wait = this.pausedUntil - this.now();
    if (wait <= 0) return;
    if (wait > MAX_WAIT_IN_REQUEST_MS) throw new SellsyError('rate-limited', 'Sellsy asks us to slow down.', 429, Math.ceil(wait / 1000));
    await this.sleep(wait);
  }

  private async requestOnce<TSchema extends v.GenericSchema>(method: string, path: string, schema: TSchema, body: unknown): Promise<v.InferOutput<TSchema>> {
    const token = await this.deps.session.accessToken();
    let reply = await this.send(method, path, token, body);
    if (reply.status === 401) {
      const fresh = await this.deps.session.refresh(token);
      reply = await this.send(method, path, fresh.accessToken, body);
      if (reply.status === 401) {
        await this.deps.session.revoke();
        throw new SellsyError('revoked', 'Sellsy access was revoked; reconnect.', 401);
      }
    }
    if (!reply.ok) {
      const error = errorFor(reply);
      if (error.retryAfterS !== undefined) this.pausedUntil = Math.max(this.pausedUntil, this.now() + error.retryAfterS * 1000);
      throw error;
    }
    const parsed = v.safeParse(schema, reply.json);
    if (!parsed.success) {
      throw new SellsyError('invalid-response', `Sellsy sent an unreadable answer to ${method} ${path}.`, reply.status);
    }
    return parsed.output;
  }

  private sleep(ms: number): Promise<void> {
    return (this.deps.sleep ?? defaultSleep)(ms);
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private send(method: string, path: string, token: string, body: unknown): Promise<JsonReply> {
    return requestJson(`${this.deps.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      body,
      fetch: this.deps.fetch,
      now: () => this.now(),
      unreachable: (timedOut) =>
        timedOut
          ? new SellsyError('network', 'Sellsy did not answer in time.')
          : new SellsyError('network', 'Sellsy could not be reached. Check your connection.'),
    });
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorFor({ status, json, retryAfterS }: JsonReply): SellsyError {
  const parsed = v.safeParse(ErrorReply, json);
  const said = parsed.success ? parsed.output.error.message : undefined;
  if (status === 429) {
    const seconds = retryAfterS === undefined ? undefined : Math.min(retryAfterS, MAX_RETRY_AFTER_S);
    return new SellsyError('rate-limited', 'Sellsy asks us to slow down.', status, seconds);
  }
  if (status === 403) return new SellsyError('forbidden', said ?? 'Sellsy refused access to this data.', status);
  if (status === 404) return new SellsyError('not-found', said ?? 'Not found in Sellsy.', status);
  if (status >= 500) return new SellsyError('server', `Sellsy is failing (HTTP ${status}).`, status);
  return new SellsyError('request', said ?? `Sellsy refused the request (HTTP ${status}).`, status);
}
