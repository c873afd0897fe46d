/**
 * A local Allo API (docs/sellsy-and-allo.md): API-key auth with scopes, trial and revoked
 * keys, the v2 error envelope, per-key rate limits, and faults on demand. One team; state lives
 * in plain objects on the server so tests can change keys and users at run time. The team's
 * calls (search, get, batch) live in allo-calls.ts, as `server.calls`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { AlloCalls, registerCallRoutes, type AlloErrorSpec } from './allo-calls';
import { Faults, PerSecondCounter, Router, json, serve, statusText, type LoggedRequest, type Reply, type RouteHandler, type ServiceRequest } from './faults';
import { listen, type RunningServer } from './pages-server';

export interface AlloKey {
  scopes: string[];
  /** Trial workspaces get 403 API_KEY_TRIAL_NOT_ALLOWED on every call. */
  trial?: boolean;
  revoked?: boolean;
  /** The team `/me` reports: the server's when absent, none (`team: null`) when null. */
  teamName?: string | null;
}

/** `GET /v2/api/users` item (allo-api.md §5). */
export interface AlloUser {
  id: string;
  name: string;
  email: string;
  role: 'ADMIN' | 'MANAGER' | 'MEMBER';
  status: 'ACTIVE' | 'BLOCKED';
  /** The docs list the field without an example; null here so no page loads outside images. */
  image_url: string | null;
}

export interface AlloRateLimits {
  readPerSecond: number;
  writePerSecond: number;
}

export const DEFAULT_ALLO_KEYS: Record<string, AlloKey> = {
  'allo-sandbox-key': { scopes: ['CONVERSATIONS_READ', 'USERS_READ'] },
  'allo-no-calls-key': { scopes: ['USERS_READ'] },
  'allo-trial-key': { scopes: ['CONVERSATIONS_READ', 'USERS_READ'], trial: true },
};

/** The team; Camille Martin is also the local Sellsy's staff, so her calls are "ours". */
export const DEFAULT_ALLO_USERS: AlloUser[] = [
  { id: 'usr-camille4242', name: 'Camille Martin', email: 'camille.martin@example.fr', role: 'ADMIN', status: 'ACTIVE', image_url: null },
  { id: 'usr-julien1717', name: 'Julien Bernard', email: 'julien.bernard@example.fr', role: 'MEMBER', status: 'ACTIVE', image_url: null },
  { id: 'usr-sophie2929', name: 'Sophie Laurent', email: 'sophie.laurent@example.fr', role: 'MANAGER', status: 'ACTIVE', image_url: null },
  { id: 'usr-marc3131', name: 'Marc Petit', email: 'marc.petit@example.fr', role: 'MEMBER', status: 'BLOCKED', image_url: null },
];

/** Allo's documented limits per key (allo-api.md §6). */
export const ALLO_RATE_LIMITS: AlloRateLimits = { readPerSecond: 20, writePerSecond: 5 };

/** What `/me` lists per scope: the guide's scope map (allo-api.md §1). */
const ENDPOINTS: Array<{ method: string; path: string; description: string; scope: string }> = [
  { method: 'GET', path: '/v2/api/conversations', description: 'List conversations of a number', scope: 'CONVERSATIONS_READ' },
  { method: 'POST', path: '/v2/api/conversations/items/search', description: 'Search calls and messages', scope: 'CONVERSATIONS_READ' },
  { method: 'GET', path: '/v2/api/conversations/items/{id}', description: 'Get a call or message', scope: 'CONVERSATIONS_READ' },
  { method: 'GET', path: '/v2/api/conversations/items/{id}/recording', description: 'Get recording download link', scope: 'CONVERSATIONS_READ' },
  { method: 'POST', path: '/v2/api/conversations/items/batch', description: 'Get calls and messages by id', scope: 'CONVERSATIONS_READ' },
  { method: 'PUT', path: '/v2/api/conversations/{contact_number}/action', description: 'Mark a conversation', scope: 'CONVERSATIONS_READ' },
  { method: 'GET', path: '/v2/api/users', description: 'List users', scope: 'USERS_READ' },
  { method: 'GET', path: '/v2/api/users/{id}', description: 'Get a user', scope: 'USERS_READ' },
  { method: 'GET', path: '/v2/api/tags', description: 'List tags', scope: 'TAGS_READ' },
  { method: 'GET', path: '/v2/api/numbers', description: 'List phone numbers', scope: 'PHONE_NUMBERS_READ' },
];

/** The calling key, as every route handler receives it. */
export interface KeyContext {
  key: string;
  record: AlloKey;
}

export interface AlloServerOptions {
  port?: number;
  keys?: Record<string, AlloKey>;
  users?: AlloUser[];
  /** Default: Allo's 20 reads and 5 writes per second; undefined turns limits off. */
  rateLimits?: AlloRateLimits | undefined;
  /** The clock, for rate-limit windows and new calls' dates (tests pass a fake one). */
  now?: () => number;
}

export interface AlloServer extends RunningServer {
  /** The base URL the extension is configured with (`WXT_ALLO_API_URL`); same as `url`. */
  apiUrl: string;
  keys: Record<string, AlloKey>;
  users: AlloUser[];
  team: { id: string; name: string };
  /** Per key and second; undefined: no limit. */
  rateLimits: AlloRateLimits | undefined;
  /** The team's calls behind `/v2/api/conversations/items/*` (allo-calls.ts). */
  readonly calls: AlloCalls;
  /** Routes with full paths (`/v2/api/...`); add more here. */
  readonly api: Router<KeyContext>;
  readonly faults: Faults;
  readonly requests: LoggedRequest[];
}

export async function startAlloServer(options: AlloServerOptions = {}): Promise<AlloServer> {
  const now = options.now ?? Date.now;
  const perSecond = new PerSecondCounter(now);
  const httpServer = createServer();
  const { url, close } = await listen(httpServer, options.port ?? 0);

  const server: AlloServer = {
    url,
    close,
    apiUrl: url,
    keys: structuredClone(options.keys ?? DEFAULT_ALLO_KEYS),
    users: structuredClone(options.users ?? DEFAULT_ALLO_USERS),
    team: { id: 'team-sandbox01', name: 'Équipe commerciale (sandbox)' },
    rateLimits: 'rateLimits' in options ? options.rateLimits : { ...ALLO_RATE_LIMITS },
    calls: new AlloCalls(
      () => server.users,
      () => new Date(now()),
    ),
    api: new Router<KeyContext>(),
    faults: new Faults(),
    requests: [],
  };

  async function handle(req: ServiceRequest): Promise<Reply> {
    const header = req.headers.authorization?.trim();
    if (!header) return alloError({ status: 401, code: 'UNAUTHORIZED', message: 'Send the Authorization header as `Api-Key <your-key>`.' }, req);
    // The v2 guide says `Api-Key <key>`; older pages show the raw key, so both are taken.
    const key = header.replace(/^Api-Key\s+/i, '');
    const record = server.keys[key];
    if (!record) return alloError({ status: 401, code: 'API_KEY_INVALID', message: 'The API key is invalid.' }, req);
    if (record.revoked) return alloError({ status: 401, code: 'API_KEY_REVOKED', message: 'The API key has been revoked.' }, req);
    if (record.trial) {
      return alloError({ status: 403, code: 'API_KEY_TRIAL_NOT_ALLOWED', message: 'The API is not available on trial plans.' }, req);
    }
    let limitHeaders: Record<string, string> = {};
    if (server.rateLimits) {
      const write = req.method !== 'GET';
      const limit = write ? server.rateLimits.writePerSecond : server.rateLimits.readPerSecond;
      const { count, resetAtMs } = perSecond.hit(`${write ? 'write' : 'read'}:${key}`);
      limitHeaders = {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(0, limit - count)),
        'x-ratelimit-reset': String(resetAtMs / 1000),
      };
      if (count > limit) {
        const retryAfterS = perSecond.retryAfterS(resetAtMs);
        const reply = alloError({ status: 429, code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests.', retryAfterS }, req);
        return { ...reply, headers: { ...reply.headers, ...limitHeaders } };
      }
    }
    const route = server.api.match(req.method, req.path);
    const reply = route
      ? await route(req, { key, record })
      : alloError({ status: 404, code: 'ENDPOINT_NOT_FOUND', message: `No endpoint ${req.method} ${req.path}.` }, req);
    return { ...reply, headers: { ...reply.headers, ...limitHeaders } };
  }

  server.api
    .add('GET', '/v2/api/me', (_req, { key, record }) => {
      const team = record.teamName === null ? null : { id: server.team.id, name: record.teamName ?? server.team.name };
      const limits = server.rateLimits ?? ALLO_RATE_LIMITS;
      return json(200, {
        data: {
          api_key_id: `api-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`,
          scopes: record.scopes,
          endpoints: ENDPOINTS.filter((endpoint) => record.scopes.includes(endpoint.scope)),
          team,
          rate_limits: { read_per_second: limits.readPerSecond, write_per_second: limits.writePerSecond },
        },
      });
    })
    .add(
      'GET',
      '/v2/api/users',
      needs('USERS_READ', (req) => {
        // Documented filters: role, and status (ACTIVE by default).
        const role = req.query.get('role');
        const status = req.query.get('status') ?? 'ACTIVE';
        return json(200, { data: server.users.filter((user) => user.status === status && (!role || user.role === role)) });
      }),
    )
    .add(
      'GET',
      '/v2/api/users/:id',
      needs('USERS_READ', (req) => {
        const user = server.users.find((candidate) => candidate.id === req.params.id);
        return user ? json(200, { data: user }) : alloError({ status: 404, code: 'USER_NOT_FOUND', message: `No user with ID '${req.params.id}'.` }, req);
      }),
    );

  registerCallRoutes(server.api, server.calls, { needs, alloError });

  httpServer.on('request', serve({ faults: server.faults, requests: server.requests, errorReply: alloError, handle }));
  return server;
}

/** Wraps a handler with its scope check (403 API_KEY_INSUFFICIENT_SCOPE). */
export function needs(scope: string, handler: RouteHandler<KeyContext>): RouteHandler<KeyContext> {
  return (req, ctx) =>
    ctx.record.scopes.includes(scope)
      ? handler(req, ctx)
      : alloError({ status: 403, code: 'API_KEY_INSUFFICIENT_SCOPE', message: `This API key lacks the ${scope} scope.` }, req);
}

/** Default codes for injected statuses; the ones the error-code list gives for each status. */
const DEFAULT_CODES: Record<number, string> = {
  400: 'INVALID_REQUEST_BODY',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'ENDPOINT_NOT_FOUND',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMIT_EXCEEDED',
  500: 'INTERNAL_SERVER_ERROR',
};

const TYPES: Record<number, string> = {
  400: 'validation_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  429: 'rate_limit_error',
};

/**
 * Allo's v2 error envelope (allo-api.md §6); `request_id` echoes `X-Request-Id` when sent;
 * `param` and field-level `errors[]` ({field, code, message}) for validation errors.
 */
export function alloError({ status, code, message, retryAfterS, param, errors }: AlloErrorSpec, req: ServiceRequest): Reply {
  const retryable = status === 429 || status >= 500;
  const error = {
    type: TYPES[status] ?? (status >= 500 ? 'server_error' : 'validation_error'),
    // Statuses with no documented code (a 502 from a fault, say) get INTERNAL_SERVER_ERROR or
    // HTTP_<status>; clients should key on the status and `retryable`, not on these.
    code: code ?? DEFAULT_CODES[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : `HTTP_${status}`),
    message: message ?? statusText(status),
    retryable,
    request_id: req.headers['x-request-id'] ?? `req_${randomBytes(6).toString('hex')}`,
    ...(param !== undefined && { param }),
    ...(errors !== undefined && { errors }),
    ...(retryAfterS !== undefined && { retry_after_seconds: retryAfterS }),
  };
  return json(status, { error }, retryAfterS !== undefined ? { 'retry-after': String(retryAfterS) } : {});
}
