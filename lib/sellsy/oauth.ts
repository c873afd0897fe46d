import * as v from 'valibot';
import { SellsyError } from './errors';
import { requestJson } from '../http/request-json';

/** The scopes the extension asks for (docs/sellsy-and-allo.md): read the CRM, log calls, know the user. */
export const SELLSY_SCOPES = ['contacts.read', 'contacts.write', 'companies.read', 'individuals.read', 'phonecalls.read', 'phonecalls.write', 'staffs.read'];

export interface OAuthEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  /** Only for an API client Sellsy gave a secret to; sent to the token endpoint, never the browser's URL bar. */
  clientSecret?: string;
  redirectUri: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms at which the access token stops working. */
  expiresAt: number;
}

export function buildAuthorizeUrl(endpoints: OAuthEndpoints, challenge: string, state: string): string {
  const url = new URL(endpoints.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: endpoints.clientId,
    redirect_uri: endpoints.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    scope: SELLSY_SCOPES.join(' '),
  }).toString();
  return url.toString();
}

/** The authorization code in the URL Sellsy sent the user back to, once `state` is ours. */
export function codeFromRedirect(redirectedTo: string, expectedState: string): string {
  const params = new URL(redirectedTo).searchParams;
  // launchWebAuthFlow does not check `state`: a mismatch means the answer is not ours.
  if (params.get('state') !== expectedState) {
    throw new SellsyError('oauth', 'Sellsy answered a different sign-in request; please try again.');
  }
  const error = params.get('error');
  if (error === 'access_denied') throw new SellsyError('cancelled', 'Access to Sellsy was not granted.');
  if (error === 'invalid_scope') {
    throw new SellsyError('oauth', `Sellsy refused the permissions the extension needs. Give the API access these scopes: ${SELLSY_SCOPES.join(', ')}.`);
  }
  if (error === 'unauthorized_client') {
    throw new SellsyError('oauth', 'This Sellsy API client may not sign users in. Create a "private" API access in Sellsy and use its client id.');
  }
  if (error) throw new SellsyError('oauth', `Sellsy refused the sign-in (${params.get('error_description') ?? error}).`);
  const code = params.get('code');
  if (!code) throw new SellsyError('oauth', 'Sellsy sent no authorization code back.');
  return code;
}

const TokenReply = v.object({
  access_token: v.pipe(v.string(), v.minLength(1)),
  refresh_token: v.pipe(v.string(), v.minLength(1)),
  expires_in: v.pipe(v.number(), v.minValue(1)),
});

const OAuthErrorReply = v.object({ error: v.string(), error_description: v.optional(v.string()) });

export interface TokenRequestDeps {
  fetch?: typeof fetch;
  now?: () => number;
}

export function exchangeCode(endpoints: OAuthEndpoints, code: string, verifier: string, deps: TokenRequestDeps = {}): Promise<TokenSet> {
  return requestTokens(
    endpoints.tokenUrl,
    {
      grant_type: 'authorization_code',
      client_id: endpoints.clientId,
      ...secretOf(endpoints),
      redirect_uri: endpoints.redirectUri,
      code_verifier: verifier,
      code,
    },
    deps,
  );
}

export function refreshTokens(
  endpoints: Pick<OAuthEndpoints, 'tokenUrl' | 'clientId' | 'clientSecret'>,
  refreshToken: string,
  deps: TokenRequestDeps = {},
): Promise<TokenSet> {
  return requestTokens(
    endpoints.tokenUrl,
    { grant_type: 'refresh_token', client_id: endpoints.clientId, ...secretOf(endpoints), refresh_token: refreshToken },
    deps,
  );
}

function secretOf(endpoints: Pick<OAuthEndpoints, 'clientSecret'>): { client_secret?: string } {
  return endpoints.clientSecret ? { client_secret: endpoints.clientSecret } : {};
}

async function requestTokens(tokenUrl: string, body: Record<string, string>, { fetch, now = Date.now }: TokenRequestDeps): Promise<TokenSet> {
  const { status, ok, json } = await requestJson(tokenUrl, {
    method: 'POST',
    body,
    fetch,
    unreachable: () => new SellsyError('network', 'Sellsy could not be reached. Check your connection.'),
  });
  if (!ok) {
    const error = v.safeParse(OAuthErrorReply, json);
    // A refused grant (spent, expired or revoked refresh token, used code) means: sign in again.
    if (error.success && error.output.error === 'invalid_grant') {
      throw new SellsyError('revoked', 'Sellsy access was revoked; reconnect.', status);
    }
    if (status >= 500) throw new SellsyError('server', `Sellsy sign-in is failing (HTTP ${status}).`, status);
    if (error.success && error.output.error === 'invalid_client') {
      throw new SellsyError('oauth', 'Sellsy does not know this API client: check its client id (and secret) in the options.', status);
    }
    const detail = error.success ? (error.output.error_description ?? error.output.error) : `HTTP ${status}`;
    throw new SellsyError('oauth', `Sellsy refused the sign-in (${detail}).`, status);
  }
  const reply = v.safeParse(TokenReply, json);
  if (!reply.success) throw new SellsyError('invalid-response', 'Sellsy sent an unreadable sign-in answer.');
  return {
    accessToken: reply.output.access_token,
    refreshToken: reply.output.refresh_token,
    expiresAt: now() + reply.output.expires_in * 1000,
  };
}
