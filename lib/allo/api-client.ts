import * as v from 'valibot';
import type { RateLimiter } from '../sellsy/rate-limiter';
import { requestTimeout } from '../request-timeout';

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

/** Allo's v2 auth header (contracts/allo.md): not Bearer. */
function alloAuthHeader(key: string): string {
  return `Api-Key ${key}`;
}

// contracts/allo.md, "Calls": only the fields the extension reads.
const CallItem = v.object({
  id: v.string(),
  type: v.string(),
  direction: v.picklist(['INBOUND', 'OUTBOUND']),
  allo_number: v.nullish(v.string()),
  contact_number: v.string(),
  contacts: v.nullish(v.array(v.object({ name: v.nullish(v.string()) }))),
  user: v.nullish(v.object({ id: v.string(), name: v.nullish(v.string()), email: v.nullish(v.string()) })),
  date: v.string(),
  duration: v.nullish(v.number()),
  result: v.nullish(v.picklist(['ANSWERED', 'VOICEMAIL', 'TRANSFERRED'])),
  recording_url: v.nullish(v.string()),
  summary: v.nullish(v.string()),
});
export type AlloCallItem = v.InferOutput<typeof CallItem>;

const SearchReply = v.object({
  data: v.array(CallItem),
  pagination: v.object({ has_more: v.boolean() }),
});
const BatchReply = v.object({ data: v.array(CallItem) });
const UsersReply = v.object({
  data: v.array(v.object({ id: v.string(), name: v.nullish(v.string()), email: v.nullish(v.string()), status: v.nullish(v.string()) })),
});
export type AlloUser = v.InferOutput<typeof UsersReply>['data'][number];

const MeReply = v.object({
  data: v.object({
    scopes: v.array(v.string()),
    team: v.nullish(v.object({ name: v.nullish(v.string()) })),
  }),
});

const ErrorReply = v.object({ error: v.object({ code: v.optional(v.string()), message: v.optional(v.string()) }) });

export interface AlloClientDeps {
  apiUrl: string;
  apiKey: () => Promise<string | null>;
  fetch?: typeof fetch;
  /** Allo allows 5 writes a second, and its searches are POSTs. */
  writeLimiter?: RateLimiter;
}

export class AlloClient {
  constructor(private readonly deps: AlloClientDeps) {}

  /** The key's own description: scopes and team (any valid key may ask). */
  async me(): Promise<v.InferOutput<typeof MeReply>['data']> {
    return (await this.request('GET', '/v2/api/me', MeReply)).data;
  }

  async users(): Promise<AlloUser[]> {
    return (await this.request('GET', '/v2/api/users', UsersReply)).data;
  }

  /** One page of the user's calls over whole days, newest first. */
  async searchCalls(query: { from: string; to: string; userId?: string; page: number }): Promise<{ items: AlloCallItem[]; hasMore: boolean }> {
    const reply = await this.request('POST', '/v2/api/conversations/items/search', SearchReply, {
      type: 'CALL',
      date: { from: query.from, to: query.to },
      ...(query.userId ? { user_id: query.userId } : {}),
      sort: 'DATE_DESC',
      page: query.page,
      size: 100,
    });
    return { items: reply.data.filter((item) => item.type === 'CALL'), hasMore: reply.pagination.has_more };
  }

  /** The current state of known calls (summaries arrive after the call). Unknown ids are dropped. */
  async batch(ids: string[]): Promise<AlloCallItem[]> {
    if (ids.length === 0) return [];
    return (await this.request('POST', '/v2/api/conversations/items/batch', BatchReply, { ids })).data;
  }

  private async request<TSchema extends v.GenericSchema>(method: string, path: string, schema: TSchema, body?: unknown): Promise<v.InferOutput<TSchema>> {
    const key = await this.deps.apiKey();
    if (!key) throw new AlloError('not-connected', 'Allo is not connected.');
    if (method !== 'GET') await this.deps.writeLimiter?.take();
    let response: Response;
    try {
      response = await (this.deps.fetch ?? fetch)(`${this.deps.apiUrl}${path}`, {
        method,
        headers: { authorization: alloAuthHeader(key), accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: requestTimeout(),
      });
    } catch {
      throw new AlloError('network', 'Allo could not be reached.');
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const parsed = v.safeParse(ErrorReply, json);
      const message = (parsed.success && parsed.output.error.message) || `HTTP ${response.status}`;
      const alloCode = parsed.success ? parsed.output.error.code : undefined;
      if (response.status === 401) throw new AlloError('invalid-key', 'Allo no longer accepts the API key; enter a new one.', undefined, alloCode);
      if (response.status === 403) throw new AlloError('forbidden', message, undefined, alloCode);
      if (response.status === 429) {
        const retryAfter = Number(response.headers.get('retry-after'));
        throw new AlloError('rate-limited', message, Number.isFinite(retryAfter) ? retryAfter : undefined, alloCode);
      }
      if (response.status >= 500) throw new AlloError('server', message, undefined, alloCode);
      throw new AlloError('request', message, undefined, alloCode);
    }
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) throw new AlloError('invalid-response', `Allo sent an unreadable answer to ${path}.`);
    return parsed.output;
  }
}
