import * as v from 'valibot';
import type { RateLimiter } from '../sellsy/rate-limiter';
import { requestJson } from '../http/request-json';
import { keyBusy, type WriteTally } from '../calls/poll-budget';

/** Why a request to Allo failed, as codes the pipeline and the popup act on. */
export type AlloErrorCode = 'not-connected' | 'invalid-key' | 'forbidden' | 'rate-limited' | 'server' | 'network' | 'invalid-response' | 'request';

export class AlloError extends Error {
  override readonly name = 'AlloError';

  constructor(
    readonly code: AlloErrorCode,
    message: string,
    readonly retryAfterS?: number,
    /** Allo's own error code (`API_KEY_REVOKED`, …), when it sent one. */
    readonly alloCode?: string,
  ) {
    super(message);
  }
}

/** The calls among `data` (messages are left out), and what could not be read in them. */
function readCalls(data: unknown[]): { items: AlloCallItem[]; skipped: SkippedCallItem[] } {
  const items: AlloCallItem[] = [];
  const skipped: SkippedCallItem[] = [];
  for (const raw of data) {
    const header = v.safeParse(ItemHeader, raw);
    if (header.success && header.output.type !== undefined && header.output.type !== 'CALL') continue;
    const parsed = v.safeParse(CallItem, raw);
    if (parsed.success) {
      items.push(parsed.output);
      continue;
    }
    const issue = parsed.issues[0];
    const field = issue.path?.map((step) => String(step.key)).join('.') ?? 'item';
    skipped.push({
      ...(header.success && header.output.id !== undefined ? { id: header.output.id } : {}),
      ...(header.success && header.output.user?.id !== undefined ? { userId: header.output.user.id } : {}),
      reason: `${field} = ${(JSON.stringify(issue.input) ?? 'missing').slice(0, 60)}`,
    });
  }
  return { items, skipped };
}

// Opened in a tab: only an https link is taken.
const RecordingReply = v.object({
  data: v.object({ url: v.pipe(v.string(), v.url(), v.startsWith('https://')), expires_at: v.string() }),
});

/** Allo's v2 auth header (docs/sellsy-and-allo.md): not Bearer. */
function alloAuthHeader(key: string): string {
  return `Api-Key ${key}`;
}

// Only the fields the extension reads. A date that does not parse would break every list
// that shows or sorts it: such an item is unreadable like one with an unknown direction.
const CallItem = v.object({
  id: v.string(),
  type: v.string(),
  direction: v.picklist(['INBOUND', 'OUTBOUND']),
  allo_number: v.nullish(v.string()),
  contact_number: v.string(),
  contacts: v.nullish(v.array(v.object({ name: v.nullish(v.string()) }))),
  user: v.nullish(v.object({ id: v.string(), name: v.nullish(v.string()), email: v.nullish(v.string()) })),
  date: v.pipe(
    v.string(),
    v.check((date) => !Number.isNaN(Date.parse(date)), 'not a date'),
  ),
  duration: v.nullish(v.number()),
  result: v.nullish(v.picklist(['ANSWERED', 'VOICEMAIL', 'TRANSFERRED'])),
  recording_url: v.nullish(v.string()),
  summary: v.nullish(v.string()),
});
export type AlloCallItem = v.InferOutput<typeof CallItem>;

/** A call Allo listed that cannot be logged (a value we do not know, a hidden number, …). */
export interface SkippedCallItem {
  id?: string;
  userId?: string;
  /** The first field at fault and what it held, e.g. `direction = "INTERNAL"`. */
  reason: string;
}

// Items are read one by one: one odd call must not stop the logging of the others.
const SearchReply = v.object({
  data: v.array(v.unknown()),
  pagination: v.object({ has_more: v.boolean() }),
});
const BatchReply = v.object({ data: v.array(v.unknown()) });
const ItemHeader = v.object({
  id: v.optional(v.string()),
  type: v.optional(v.string()),
  user: v.nullish(v.object({ id: v.optional(v.string()) })),
});
const UsersReply = v.object({
  data: v.array(v.object({ id: v.string(), name: v.nullish(v.string()), email: v.nullish(v.string()), status: v.nullish(v.string()) })),
});
export type AlloUser = v.InferOutput<typeof UsersReply>['data'][number];

const MeReply = v.object({
  data: v.object({
    scopes: v.array(v.string()),
    team: v.nullish(v.object({ name: v.nullish(v.string()) })),
    // Read for the poll budget; a reply without it (or an odd one) leaves the documented 5/s.
    rate_limits: v.fallback(
      v.nullish(v.object({ write_per_second: v.fallback(v.nullish(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))), undefined) })),
      undefined,
    ),
  }),
});

const ErrorReply = v.object({
  error: v.object({ code: v.optional(v.string()), message: v.optional(v.string()), retry_after_seconds: v.optional(v.number()) }),
});

/** The longest "none left this second" pause (X-RateLimit-Reset) this browser keeps. */
const RESET_PAUSE_MAX_MS = 2_000;
// The whole team shares one key: after a 429 this browser stays away from Allo for a while.
const FIRST_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 5 * 60_000;
// A pause this short (X-RateLimit-Remaining 0 until the next second) is waited out.
const SHORT_PAUSE_MS = 2_000;

export interface AlloClientDeps {
  apiUrl: string;
  apiKey: () => Promise<string | null>;
  fetch?: typeof fetch;
  /** Allo allows 5 writes a second, and its searches are POSTs. */
  writeLimiter?: RateLimiter;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told of each request that failed, for diagnostics: Allo's own code when it sent one. */
  onFailure?: (failure: { method: string; path: string; status?: number; code: string }) => void;
}

export type { WriteTally };

export class AlloClient {
  /** No request leaves before this (epoch ms): Allo's Retry-After, a backoff, or its rate-limit reset. */
  private pausedUntil = 0;
  private rateLimitedInARow = 0;
  private tally: WriteTally = { writes: 0, busy: false, answers: 0 };

  constructor(private readonly deps: AlloClientDeps) {}

  /** The key's own description: scopes and team (any valid key may ask). */
  async me(): Promise<v.InferOutput<typeof MeReply>['data']> {
    return (await this.request('GET', '/v2/api/me', MeReply)).data;
  }

  /** The writes sent, and what the answers said of the key, since the last call. */
  takeTally(): WriteTally {
    const tally = this.tally;
    this.tally = { writes: 0, busy: false, answers: 0 };
    return tally;
  }

  async users(): Promise<AlloUser[]> {
    return (await this.request('GET', '/v2/api/users', UsersReply)).data;
  }

  /** One page of the user's calls over whole days, newest first (or oldest first, `ascending`). */
  async searchCalls(query: {
    from: string;
    to: string;
    userId?: string;
    page: number;
    ascending?: boolean;
  }): Promise<{ items: AlloCallItem[]; skipped: SkippedCallItem[]; hasMore: boolean }> {
    const reply = await this.request('POST', '/v2/api/conversations/items/search', SearchReply, {
      type: 'CALL',
      date: { from: query.from, to: query.to },
      ...(query.userId ? { user_id: query.userId } : {}),
      sort: query.ascending ? 'DATE_ASC' : 'DATE_DESC',
      page: query.page,
      size: 100,
    });
    return { ...readCalls(reply.data), hasMore: reply.pagination.has_more };
  }

  /**
   * The current state of known calls (summaries arrive after the call). Unknown ids are dropped,
   * and so are items that became unreadable: the call keeps what was read before.
   */
  async batch(ids: string[]): Promise<AlloCallItem[]> {
    if (ids.length === 0) return [];
    return readCalls((await this.request('POST', '/v2/api/conversations/items/batch', BatchReply, { ids })).data).items;
  }

  /**
   * A fresh signed link to a call's recording, valid 60 minutes (docs/sellsy-and-allo.md,
   * "Recordings"): asked for only when the user wants to listen, never stored.
   */
  async recordingLink(alloId: string): Promise<{ url: string; expiresAt: string }> {
    const reply = await this.request('GET', `/v2/api/conversations/items/${encodeURIComponent(alloId)}/recording`, RecordingReply);
    return { url: reply.data.url, expiresAt: reply.data.expires_at };
  }

  private async request<TSchema extends v.GenericSchema>(method: string, path: string, schema: TSchema, body?: unknown): Promise<v.InferOutput<TSchema>> {
    const answer: { status?: number } = {};
    try {
      return await this.send(method, path, schema, body, answer);
    } catch (error) {
      // Not connected, or waiting out a backoff, is not something Allo said.
      if (error instanceof AlloError && error.code !== 'not-connected' && (answer.status !== undefined || error.code === 'network')) {
        this.deps.onFailure?.({ method, path, code: error.alloCode ?? error.code, ...(answer.status !== undefined ? { status: answer.status } : {}) });
      }
      throw error;
    }
  }

  private async send<TSchema extends v.GenericSchema>(
    method: string,
    path: string,
    schema: TSchema,
    body: unknown,
    answer: { status?: number },
  ): Promise<v.InferOutput<TSchema>> {
    const key = await this.deps.apiKey();
    if (!key) throw new AlloError('not-connected', 'Allo is not connected.');
    await this.waitForPause();
    if (method !== 'GET') {
      await this.deps.writeLimiter?.take();
      this.tally.writes++;
    }
    const {
      status,
      ok,
      headers,
      json,
      retryAfterS: retryAfterHeader,
    } = await requestJson(`${this.deps.apiUrl}${path}`, {
      method,
      headers: { authorization: alloAuthHeader(key) },
      body,
      fetch: this.deps.fetch,
      now: () => this.now(),
      unreachable: () => new AlloError('network', 'Allo could not be reached.'),
    });
    answer.status = status;
    // An answer, whatever it says: the poll reached Allo (the budget's slowdown may relax).
    if (method !== 'GET') this.tally.answers++;
    const writeBusy = method !== 'GET' && keyBusy(headerNumber(headers.get('x-ratelimit-limit')), headerNumber(headers.get('x-ratelimit-remaining')));
    if (status === 429 || writeBusy) this.tally.busy = true;
    if (status !== 429) this.noteRateLimit(headers);
    if (!ok) {
      const parsed = v.safeParse(ErrorReply, json);
      const message = (parsed.success && parsed.output.error.message) || `HTTP ${status}`;
      const alloCode = parsed.success ? parsed.output.error.code : undefined;
      if (status === 401) throw new AlloError('invalid-key', 'Allo no longer accepts the API key; enter a new one.', undefined, alloCode);
      if (status === 403) throw new AlloError('forbidden', message, undefined, alloCode);
      if (status === 429) {
        const retryAfterS = retryAfterHeader ?? (parsed.success ? parsed.output.error.retry_after_seconds : undefined);
        this.rateLimitedInARow++;
        const backoffMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.rateLimitedInARow - 1));
        this.pausedUntil = this.now() + (retryAfterS !== undefined ? retryAfterS * 1000 : backoffMs);
        throw new AlloError('rate-limited', message, retryAfterS, alloCode);
      }
      if (status >= 500) throw new AlloError('server', message, undefined, alloCode);
      throw new AlloError('request', message, undefined, alloCode);
    }
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) throw new AlloError('invalid-response', `Allo sent an unreadable answer to ${path}.`);
    return parsed.output;
  }

  private async waitForPause(): Promise<void> {
    const wait = this.pausedUntil - this.now();
    if (wait <= 0) return;
    if (wait > SHORT_PAUSE_MS) throw new AlloError('rate-limited', 'Allo asked us to slow down; waiting before the next request.', Math.ceil(wait / 1000));
    await (this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))))(wait);
  }

  /** Any answer but a 429 ends a backoff; none left this second (X-RateLimit-*) pauses until the reset. */
  private noteRateLimit(headers: Headers): void {
    this.rateLimitedInARow = 0;
    const resetS = Number(headers.get('x-ratelimit-reset'));
    // Allo's limits are per second: the reset is at most a second or two away on Allo's clock,
    // however far this computer's clock is off.
    if (headers.get('x-ratelimit-remaining')?.trim() === '0' && resetS > 0) this.pausedUntil = Math.min(resetS * 1000, this.now() + RESET_PAUSE_MAX_MS);
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

/** A numeric header; NaN when absent or empty (Number('') would read as 0: "none left"). */
function headerNumber(value: string | null): number {
  const text = value?.trim();
  return text ? Number(text) : Number.NaN;
}
