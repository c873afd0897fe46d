/**
 * A local Sellsy: the OAuth 2 server (authorization code + PKCE S256, rotating refresh tokens)
 * and the API v2, as docs/sellsy-and-allo.md describes them, plus switches and
 * faults to make it misbehave. One account, one staff; state lives in plain maps on the closure.
 * Sellsy documents no token revocation endpoint, so there is none here (disconnecting forgets
 * the tokens; `revokeAll()` stands in for a revocation done on Sellsy's side).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import {
  Faults,
  PerSecondCounter,
  Router,
  escapeHtml,
  fields,
  html,
  json,
  redirect,
  serve,
  statusText,
  type ErrorSpec,
  type LoggedRequest,
  type Reply,
  type RouteHandler,
  type ServiceRequest,
} from './faults';
import { listen, type RunningServer } from './pages-server';
import { SellsyCrm, registerCrmRoutes, type SeedOptions } from './sellsy-crm';
import { SellsyComments, registerCommentRoutes } from './sellsy-comments';
import { SellsyPhoneCalls, registerPhoneCallRoutes } from './sellsy-phone-calls';
import { SellsyTasks, registerTaskRoutes } from './sellsy-tasks';
import { SANDBOX_CLIENT_ID } from './sandbox-ports';
import { SELLSY_SCOPES } from '../../lib/sellsy/scopes';

/** `GET /staffs/me` (docs/sellsy-and-allo.md). */
export interface Staff {
  id: number;
  firstname: string;
  lastname: string;
  email: string;
  status: 'ok' | 'blocked' | 'deleted';
}

export const DEFAULT_STAFF: Staff = {
  id: 4242,
  firstname: 'Camille',
  lastname: 'Martin',
  email: 'camille.martin@example.fr',
  status: 'ok',
};

/** The scopes the extension asks for (docs/sellsy-and-allo.md); granted when a request names none. */
export const EXTENSION_SCOPES = SELLSY_SCOPES;

/** The token endpoint's reply (Sellsy API v2, see docs/sellsy-and-allo.md). */
export interface TokenReply {
  token_type: 'Bearer';
  expires_in: number;
  access_token: string;
  refresh_token: string;
}

/** What an access token stands for: the context every `/v2` handler receives. */
export interface Grant {
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export interface SellsyServerOptions {
  port?: number;
  clientId?: string;
  /** Default 3600 (the spec's examples; its text says 24 h). */
  accessTokenTtlS?: number;
  /** Default false: the authorize URL shows a consent page with Approve / Deny. */
  autoApprove?: boolean;
  staff?: Partial<Staff>;
  /** The clock, for expiry, rate limits and CRM dates (tests pass a fake one). */
  now?: () => number;
  /** CRM records to generate at start (sellsy-crm.ts); none when absent. */
  seed?: SeedOptions;
}

export interface SellsyServer extends RunningServer {
  authorizeUrl: string;
  tokenUrl: string;
  /** `url + '/v2'`. */
  apiUrl: string;
  /** The one OAuth client this server knows. */
  clientId: string;
  accessTokenTtlS: number;
  /** Answer the authorize URL with an immediate redirect instead of the consent page. */
  autoApprove: boolean;
  /** Requests per second on `/v2` beyond which the answer is 429 with `Retry-After`; off when undefined. */
  rateLimitPerSecond: number | undefined;
  staff: Staff;
  /** Contacts, companies and individuals behind `/v2/contacts`, `/companies`, `/individuals`. */
  readonly crm: SellsyCrm;
  /** Phone calls behind `/v2/phone-calls` (sellsy-phone-calls.ts); related records live in `crm`. */
  readonly phoneCalls: SellsyPhoneCalls;
  /** Comments on records: where a call note goes when no Phone Call of the call is known for sure. */
  readonly comments: SellsyComments;
  /** Tasks and task labels behind `/v2/tasks` (sellsy-tasks.ts); related records live in `crm`. */
  readonly tasks: SellsyTasks;
  /** `/v2` routes, relative to `/v2`, each handler getting the token's grant; add more here. */
  readonly api: Router<Grant>;
  readonly faults: Faults;
  readonly requests: LoggedRequest[];
  readonly stats: { codesIssued: number; codesExchanged: number; refreshes: number };
  /** Every access and refresh token becomes invalid (a revocation on Sellsy's side). */
  revokeAll(): void;
  /** Every current access token expires now; refresh tokens still work. */
  expireAccessTokens(): void;
  /** Tokens as the token endpoint would issue them, without the OAuth dance (for API tests). */
  issueTokens(scopes?: string[]): TokenReply;
}

const CODE_TTL_MS = 60_000;
const CHROMIUM_REDIRECT = /^https:\/\/[a-p]{32}\.chromiumapp\.org\/$/;
const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/; // base64url of a SHA-256 digest, unpadded
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/; // RFC 7636 §4.1

/** An authorization request that passed validation: what a code will carry. */
interface AuthRequest {
  clientId: string;
  redirectUri: string;
  challenge: string;
  state: string | undefined;
  scopes: string[];
}

export async function startSellsyServer(options: SellsyServerOptions = {}): Promise<SellsyServer> {
  const now = options.now ?? Date.now;
  const pendingConsents = new Map<string, AuthRequest>();
  const codes = new Map<string, AuthRequest & { expiresAt: number }>();
  const accessTokens = new Map<string, Grant>();
  // Spent refresh tokens stay (spent: true) so reuse can be told apart from a made-up token.
  const refreshTokens = new Map<string, { clientId: string; scopes: string[]; spent: boolean }>();
  const perSecond = new PerSecondCounter(now);

  const httpServer = createServer();
  const { url, close } = await listen(httpServer, options.port ?? 0);
  const crm = new SellsyCrm({ now: () => new Date(now()), ownerId: () => server.staff.id });

  const server: SellsyServer = {
    url,
    close,
    authorizeUrl: `${url}/oauth2/authorization`,
    tokenUrl: `${url}/oauth2/access-tokens`,
    apiUrl: `${url}/v2`,
    clientId: options.clientId ?? SANDBOX_CLIENT_ID,
    accessTokenTtlS: options.accessTokenTtlS ?? 3600,
    autoApprove: options.autoApprove ?? false,
    rateLimitPerSecond: undefined,
    staff: { ...DEFAULT_STAFF, ...options.staff },
    crm,
    phoneCalls: new SellsyPhoneCalls({ crm, now: () => new Date(now()), staffId: () => server.staff.id, staff: () => server.staff }),
    comments: new SellsyComments({ crm, now: () => new Date(now()), staffId: () => server.staff.id }),
    tasks: new SellsyTasks({ crm, now: () => new Date(now()), staffIds: () => new Set([server.staff.id]) }),
    api: new Router<Grant>(),
    faults: new Faults(),
    requests: [],
    stats: { codesIssued: 0, codesExchanged: 0, refreshes: 0 },
    revokeAll() {
      accessTokens.clear();
      refreshTokens.clear();
    },
    expireAccessTokens() {
      for (const grant of accessTokens.values()) grant.expiresAt = Math.min(grant.expiresAt, now());
    },
    issueTokens: (scopes = EXTENSION_SCOPES) => issueTokens(server.clientId, scopes),
  };

  function issueTokens(clientId: string, scopes: string[]): TokenReply {
    const accessToken = `at_${randomBytes(24).toString('base64url')}`;
    const refreshToken = `rt_${randomBytes(24).toString('base64url')}`;
    accessTokens.set(accessToken, { clientId, scopes, expiresAt: now() + server.accessTokenTtlS * 1000 });
    refreshTokens.set(refreshToken, { clientId, scopes, spent: false });
    return { token_type: 'Bearer', expires_in: server.accessTokenTtlS, access_token: accessToken, refresh_token: refreshToken };
  }

  // --- OAuth: authorization endpoint -------------------------------------------------------

  function authorize(req: ServiceRequest): Reply {
    const q = req.query;
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    // Without a known client and an allowed redirect URI there is nowhere safe to send an error.
    if (clientId !== server.clientId) {
      return errorPage(400, 'Application inconnue', `Unknown client_id "${clientId}".`);
    }
    if (!isAllowedRedirect(redirectUri)) {
      return errorPage(400, 'Adresse de retour non autorisée', `redirect_uri "${redirectUri}" is not registered for this client.`);
    }
    const state = q.get('state') ?? undefined;
    const back = (params: Record<string, string>) => redirect(withParams(redirectUri, { ...params, ...(state !== undefined && { state }) }));
    if (q.get('response_type') !== 'code') {
      return back({ error: 'unsupported_response_type', error_description: 'response_type must be "code".' });
    }
    // PKCE is mandatory on Sellsy (Sellsy API v2, see docs/sellsy-and-allo.md), and only S256.
    if (q.get('code_challenge_method') !== 'S256') {
      return back({ error: 'invalid_request', error_description: 'code_challenge_method must be "S256".' });
    }
    const challenge = q.get('code_challenge') ?? '';
    if (!PKCE_CHALLENGE.test(challenge)) {
      return back({ error: 'invalid_request', error_description: 'code_challenge must be a base64url SHA-256 digest.' });
    }
    const scope = q.get('scope')?.trim();
    const request: AuthRequest = { clientId, redirectUri, challenge, state, scopes: scope ? scope.split(/\s+/) : EXTENSION_SCOPES };
    if (server.autoApprove) return redirect(approve(request));
    const id = randomBytes(16).toString('base64url');
    pendingConsents.set(id, request);
    return html(200, consentPage(id, request));
  }

  /** The consent form's POST: Approve or Deny. */
  function decide(req: ServiceRequest): Reply {
    const form = fields(req.body);
    const id = typeof form.request === 'string' ? form.request : '';
    const request = pendingConsents.get(id);
    if (!request) return errorPage(400, 'Demande expirée', 'This authorization request is unknown or was already answered.');
    pendingConsents.delete(id);
    if (form.decision !== 'approve') {
      return redirect(withParams(request.redirectUri, { error: 'access_denied', ...(request.state !== undefined && { state: request.state }) }));
    }
    return redirect(approve(request));
  }

  /** Issues a code for an approved request; returns where to send the browser. */
  function approve(request: AuthRequest): string {
    const code = randomBytes(24).toString('base64url');
    codes.set(code, { ...request, expiresAt: now() + CODE_TTL_MS });
    server.stats.codesIssued += 1;
    return withParams(request.redirectUri, { code, ...(request.state !== undefined && { state: request.state }) });
  }

  function consentPage(id: string, request: AuthRequest): string {
    const { firstname, lastname, email } = server.staff;
    const scopes = request.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
    return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Sellsy — Autorisation / Authorization</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; background: #f2f4f8; color: #1d2433; margin: 0; }
  main { max-width: 28rem; margin: 4rem auto; background: #fff; border-radius: 10px; padding: 2rem; box-shadow: 0 2px 12px #0002; }
  .brand { font-weight: 700; color: #3a57e8; letter-spacing: .02em; } .en { color: #5b6478; margin-top: -.6rem; }
  h1 { font-size: 1.2rem; } h2 { font-size: 1rem; margin-top: 1.5rem; }
  .buttons { display: flex; gap: .75rem; justify-content: flex-end; margin-top: 1.5rem; }
  button { font: inherit; padding: .5rem 1.25rem; border-radius: 6px; border: 1px solid #3a57e8; cursor: pointer; }
  button[value=approve] { background: #3a57e8; color: #fff; } button[value=deny] { background: #fff; color: #3a57e8; }
</style></head>
<body><main>
  <p class="brand">sellsy <small>(sandbox)</small></p>
  <h1>Allo for Sellsy demande l'accès à votre compte Sellsy</h1>
  <p class="en" lang="en">Allo for Sellsy wants to access your Sellsy account</p>
  <p>Connecté en tant que <span lang="en">/ Signed in as</span> <strong>${escapeHtml(`${firstname} ${lastname}`)}</strong> (${escapeHtml(email)})</p>
  <h2>Autorisations demandées <span lang="en">/ Requested permissions</span></h2>
  <ul>${scopes}</ul>
  <form method="post" action="/oauth2/authorization">
    <input type="hidden" name="request" value="${escapeHtml(id)}">
    <div class="buttons">
      <button type="submit" name="decision" value="deny" lang="en">Deny</button>
      <button type="submit" name="decision" value="approve" lang="en">Approve</button>
    </div>
  </form>
  <p><small>Approve : autoriser l'accès · Deny : refuser</small></p>
</main></body></html>`;
  }

  // --- OAuth: token endpoint -----------------------------------------------------------------

  function token(req: ServiceRequest): Reply {
    const body = fields(req.body);
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    if (text('client_id') !== server.clientId) return oauthError(401, 'invalid_client', 'Unknown client_id.');
    switch (text('grant_type')) {
      case 'authorization_code': {
        const verifier = text('code_verifier');
        if (!text('code') || !text('redirect_uri') || !verifier) {
          return oauthError(400, 'invalid_request', 'code, redirect_uri and code_verifier are required.');
        }
        if (!PKCE_VERIFIER.test(verifier)) return oauthError(400, 'invalid_request', 'code_verifier is malformed.');
        const grant = codes.get(text('code'));
        codes.delete(text('code')); // single use, even when the exchange fails
        if (!grant || grant.expiresAt <= now()) return oauthError(400, 'invalid_grant', 'The code is unknown, used or expired.');
        if (grant.clientId !== text('client_id') || grant.redirectUri !== text('redirect_uri')) {
          return oauthError(400, 'invalid_grant', 'client_id or redirect_uri differs from the authorization request.');
        }
        if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return oauthError(400, 'invalid_grant', 'code_verifier does not match code_challenge.');
        }
        server.stats.codesExchanged += 1;
        return json(200, issueTokens(grant.clientId, grant.scopes), { 'cache-control': 'no-store' });
      }
      case 'refresh_token': {
        const old = refreshTokens.get(text('refresh_token'));
        if (!old || old.clientId !== text('client_id')) return oauthError(400, 'invalid_grant', 'The refresh token is unknown or revoked.');
        // Rotation: each refresh spends the old token (docs/sellsy-and-allo.md).
        if (old.spent) return oauthError(400, 'invalid_grant', 'The refresh token was already used.');
        old.spent = true;
        server.stats.refreshes += 1;
        return json(200, issueTokens(old.clientId, old.scopes), { 'cache-control': 'no-store' });
      }
      default:
        return oauthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
    }
  }

  // --- API v2 --------------------------------------------------------------------------------

  function api(req: ServiceRequest): Reply | Promise<Reply> {
    let quota: Record<string, string> = {};
    if (server.rateLimitPerSecond !== undefined) {
      // Sellsy counts every request against the quota, errors included (Sellsy API v2, see docs/sellsy-and-allo.md).
      const { count, resetAtMs } = perSecond.hit('account');
      const remaining = Math.max(0, server.rateLimitPerSecond - count);
      quota = { 'x-quota-remaining-by-second': String(remaining) };
      if (count > server.rateLimitPerSecond) {
        const retryAfterS = perSecond.retryAfterS(resetAtMs);
        return withHeaders(sellsyError({ status: 429, code: 'quota_exceeded', retryAfterS }), quota);
      }
    }
    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const grant = auth?.[1] ? accessTokens.get(auth[1]) : undefined;
    if (!auth) return withHeaders(sellsyError({ status: 401, code: 'missing_token', message: 'Missing bearer token.' }), quota);
    if (!grant) return withHeaders(sellsyError({ status: 401, code: 'invalid_token', message: 'Invalid or revoked access token.' }), quota);
    if (grant.expiresAt <= now()) return withHeaders(sellsyError({ status: 401, code: 'expired_token', message: 'The access token has expired.' }), quota);
    const route = server.api.match(req.method, req.path.slice('/v2'.length));
    if (!route) return withHeaders(sellsyError({ status: 404, message: `No route ${req.method} ${req.path}.` }), quota);
    return Promise.resolve(route(req, grant)).then((reply) => withHeaders(reply, quota));
  }

  server.api.add(
    'GET',
    '/staffs/me',
    needs('staffs.read', () => json(200, server.staff)),
  );
  registerCrmRoutes(server.api, server.crm, { needs, sellsyError });
  registerPhoneCallRoutes(server.api, server.phoneCalls, { needs, sellsyError, granted: (grant, scope) => grant.scopes.includes(scope) });
  registerCommentRoutes(server.api, server.comments, { needs, sellsyError });
  registerTaskRoutes(server.api, server.tasks, () => server.staff.id, { needs, sellsyError });
  if (options.seed) server.crm.seed(options.seed);

  httpServer.on(
    'request',
    serve({
      faults: server.faults,
      requests: server.requests,
      errorReply: (error) => sellsyError(error),
      now,
      handle(req) {
        if (req.path === '/oauth2/authorization' && req.method === 'GET') return authorize(req);
        if (req.path === '/oauth2/authorization' && req.method === 'POST') return decide(req);
        if (req.path === '/oauth2/access-tokens' && req.method === 'POST') return token(req);
        if (req.path === '/v2' || req.path.startsWith('/v2/')) return api(req);
        return sellsyError({ status: 404, message: `No route ${req.method} ${req.path}.` });
      },
    }),
  );
  return server;
}

/** Sellsy's error envelope (Sellsy API v2, see docs/sellsy-and-allo.md): `code` is the HTTP status, `context` a short code. */
export function sellsyError({ status, code, message, retryAfterS }: ErrorSpec, details: Record<string, string> = {}): Reply {
  const headers: Record<string, string> = retryAfterS !== undefined ? { 'retry-after': String(retryAfterS) } : {};
  return json(status, { error: { code: status, message: message ?? statusText(status), context: code ?? '', details } }, headers);
}

/** Wraps a `/v2` handler with its scope check: a missing scope answers 403 (docs/sellsy-and-allo.md). */
export function needs(scope: string, handler: RouteHandler<Grant>): RouteHandler<Grant> {
  return (req, grant) =>
    grant.scopes.includes(scope)
      ? handler(req, grant)
      : sellsyError({ status: 403, code: 'insufficient_scope', message: `The access token lacks the ${scope} scope.` });
}

/**
 * OAuth errors use RFC 6749's format (§5.2): Sellsy's spec documents none of its own for the
 * token endpoint. Injected faults there still use Sellsy's API envelope, so clients must read both.
 */
function oauthError(status: number, error: string, description: string): Reply {
  return json(status, { error, error_description: description }, { 'cache-control': 'no-store' });
}

function errorPage(status: number, titleFr: string, detailEn: string): Reply {
  return html(
    status,
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Sellsy — ${escapeHtml(titleFr)}</title></head>
<body><h1>${escapeHtml(titleFr)}</h1><p lang="en">${escapeHtml(detailEn)}</p></body></html>`,
  );
}

function isAllowedRedirect(uri: string): boolean {
  if (CHROMIUM_REDIRECT.test(uri)) return true;
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && url.hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

function withParams(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}
