/**
 * What can go wrong talking to Sellsy, as values the UI turns into a sentence and an action.
 * - `cancelled`: the user closed or denied the Sellsy window.
 * - `revoked`: Sellsy no longer accepts our tokens (refresh refused, or 401 after a refresh).
 * - `not-connected`: nothing to call Sellsy with.
 * - `unavailable`: this build has no OAuth client id.
 * - `network`, `server`, `rate-limited`: transient; worth retrying later.
 * - `forbidden`: a scope or right is missing (403).
 * - `invalid-response`: Sellsy answered something we cannot read.
 * - `oauth`: the authorization itself failed (state mismatch, bad code, …).
 * - `unknown-client`: Sellsy does not know the API client (id or secret), or it may not sign users in.
 * - `scope-refused`: the API client is not allowed the scopes the extension asks for.
 * - `cancelled-own-client`: the window was closed while a company's own API client was in use,
 *   where Sellsy shows an unknown client or an unregistered redirect URL as a page, not an answer.
 */
export type SellsyErrorCode =
  | 'cancelled'
  | 'revoked'
  | 'not-connected'
  | 'unavailable'
  | 'network'
  | 'server'
  | 'rate-limited'
  | 'forbidden'
  | 'not-found'
  | 'invalid-response'
  | 'oauth'
  | 'unknown-client'
  | 'scope-refused'
  | 'cancelled-own-client'
  | 'request';

/** The codes that mean "not connected to Sellsy any more": the person must connect again. */
const DISCONNECTION: ReadonlySet<SellsyErrorCode> = new Set<SellsyErrorCode>([
  'revoked',
  'not-connected',
  'oauth',
  'unavailable',
  'cancelled',
  'unknown-client',
  'cancelled-own-client',
]);

export function isDisconnection(code: SellsyErrorCode): boolean {
  return DISCONNECTION.has(code);
}

export class SellsyError extends Error {
  override readonly name = 'SellsyError';

  constructor(
    readonly code: SellsyErrorCode,
    message: string,
    readonly status?: number,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}
