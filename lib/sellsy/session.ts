import { SellsyError } from './errors';
import { refreshTokens, type OAuthEndpoints, type TokenSet } from './oauth';

export type SessionEndpoints = Pick<OAuthEndpoints, 'tokenUrl' | 'clientId' | 'clientSecret'>;

/** Where the tokens live (extension storage the content script cannot read). */
export interface TokenStore {
  get(): Promise<TokenSet | null>;
  set(tokens: TokenSet): Promise<void>;
  clear(): Promise<void>;
}

export interface SessionDeps {
  /** Read at each refresh: the API client can be changed at run time (options, policy). */
  endpoints: SessionEndpoints | (() => Promise<SessionEndpoints>);
  tokens: TokenStore;
  /** Sellsy refused our tokens for good: the UI must say "reconnect". */
  onRevoked: () => Promise<void>;
  fetch?: typeof fetch;
  now?: () => number;
}

// Refresh a little before expiry, so a request never leaves with a token about to die.
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Hands out a valid access token, refreshing it when due. Sellsy rotates refresh tokens, so
 * two refreshes at once would spend the same one twice and lose the session: every caller
 * shares the refresh in flight.
 */
export class SellsySession {
  private refreshing: Promise<TokenSet> | undefined;
  /** Bumped by forget(): a refresh that started before must not store what Sellsy answers. */
  private epoch = 0;

  constructor(private readonly deps: SessionDeps) {}

  async accessToken(): Promise<string> {
    const tokens = await this.deps.tokens.get();
    if (!tokens) throw new SellsyError('not-connected', 'Sellsy is not connected.');
    if (tokens.expiresAt - this.now() > EXPIRY_MARGIN_MS) return tokens.accessToken;
    return (await this.refresh(tokens.accessToken)).accessToken;
  }

  /** A fresh token set replacing `staleAccessToken` (refreshed once, however many ask). */
  refresh(staleAccessToken: string): Promise<TokenSet> {
    this.refreshing ??= this.refreshOnce(staleAccessToken).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  async revoke(): Promise<void> {
    await this.forget();
    await this.deps.onRevoked();
  }

  /** Drops the tokens (disconnect); a refresh still in flight is void and stores nothing. */
  async forget(): Promise<void> {
    this.epoch += 1;
    await this.deps.tokens.clear();
  }

  private async refreshOnce(staleAccessToken: string): Promise<TokenSet> {
    const current = await this.deps.tokens.get();
    if (!current) throw new SellsyError('not-connected', 'Sellsy is not connected.');
    // Someone else refreshed since this caller read its token: use theirs.
    if (current.accessToken !== staleAccessToken && current.expiresAt - this.now() > EXPIRY_MARGIN_MS) return current;
    const epoch = this.epoch;
    // Disconnected, or connected anew, while Sellsy answered: what it sent belongs to no one now,
    // and storing it would bring the forgotten session back.
    const superseded = async () => epoch !== this.epoch || (await this.deps.tokens.get())?.refreshToken !== current.refreshToken;
    try {
      const { endpoints } = this.deps;
      const next = await refreshTokens(typeof endpoints === 'function' ? await endpoints() : endpoints, current.refreshToken, {
        fetch: this.deps.fetch,
        now: this.deps.now,
      });
      if (await superseded()) throw new SellsyError('not-connected', 'Sellsy was disconnected.');
      await this.deps.tokens.set(next);
      return next;
    } catch (error) {
      if (error instanceof SellsyError && error.code === 'revoked' && !(await superseded())) await this.revoke();
      throw error;
    }
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
