import { AlloKeyError, validateAlloKey } from '../allo/api-key';
import type { Config } from '../config';
import { SellsyClient } from '../sellsy/api-client';
import type { RateLimiter } from '../sellsy/rate-limiter';
import { syncStatus } from '../sync/status-store';
import { SellsyError } from '../sellsy/errors';
import { buildAuthorizeUrl, codeFromRedirect, exchangeCode, type OAuthEndpoints } from '../sellsy/oauth';
import { createPkcePair, createState } from '../sellsy/pkce';
import { SellsySession } from '../sellsy/session';
import { fetchStaffMe } from '../sellsy/staff';
import type { ActionError, ActionResult, SellsyStatus, Status } from './status';
import { alloConnection, alloProblem, readAlloConnection, readSellsyConnection, saveStaff, sellsyConnection } from './connection-state';
import { alloApiKey, tokenStore } from './stores';

const STORAGE_OPEN: ActionError = {
  code: 'storage-open',
  message: 'Chrome could not keep credentials away from web pages (Chrome 140 or later is needed). Update Chrome, then connect again.',
};

/** The two browser capabilities the OAuth flow needs (browser.identity). */
export interface Identity {
  getRedirectURL(): string;
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
}

export interface ConnectionsDeps {
  config: Config;
  identity: Identity;
  fetch?: typeof fetch;
  now?: () => number;
  limiter?: RateLimiter;
  /** Whether storage.local is closed to content scripts: no secret is stored otherwise. */
  storageClosed?: Promise<boolean>;
  /** Sellsy was disconnected: what was mirrored from it goes too. */
  onSellsyDisconnected?: () => Promise<void>;
  /** Allo was disconnected: whose calls and the poll position go with the key. */
  onAlloDisconnected?: () => Promise<void>;
}

/**
 * The background's one owner of credentials: connects and disconnects Sellsy (OAuth 2 + PKCE)
 * and Allo (API key), and reports their state without ever handing a secret out.
 */
export class Connections {
  /**
   * Always there: without a client id (a build made without one) Sellsy cannot be connected, so
   * the client finds no tokens and every request answers `not-connected`.
   */
  readonly sellsy: SellsyClient;
  /** Whether this build can connect to Sellsy at all (it has a client id). */
  readonly sellsyAvailable: boolean;
  private readonly session: SellsySession;

  constructor(private readonly deps: ConnectionsDeps) {
    const { config } = deps;
    this.sellsyAvailable = config.sellsyClientId !== undefined;
    this.session = new SellsySession({
      // Never used without a client id: no token is ever read, so none is refreshed.
      endpoints: { tokenUrl: config.sellsyTokenUrl, clientId: config.sellsyClientId ?? '' },
      tokens: this.sellsyAvailable ? tokenStore : { ...tokenStore, get: async () => null },
      onRevoked: async () => {
        const previous = await readSellsyConnection();
        await sellsyConnection.setValue({ state: 'revoked', ...(previous?.staff ? { staff: previous.staff } : {}) });
      },
      fetch: deps.fetch,
      now: deps.now,
    });
    this.sellsy = new SellsyClient({
      apiUrl: config.sellsyApiUrl,
      session: this.session,
      fetch: deps.fetch,
      ...(deps.limiter ? { limiter: deps.limiter } : {}),
    });
  }

  /** The state of both services; with `verify`, one request to Sellsy confirms it still answers. */
  async status({ verify = false } = {}): Promise<Status> {
    let problem: SellsyError | undefined;
    if (verify && this.sellsyAvailable && (await readSellsyConnection())?.state === 'connected') {
      try {
        await saveStaff(await fetchStaffMe(this.sellsy));
      } catch (error) {
        if (!(error instanceof SellsyError)) throw error;
        problem = error;
      }
    }
    return { sellsy: await this.sellsyStatus(problem), allo: await this.alloStatus(), sync: await syncStatus.getValue() };
  }

  /** Whether Sellsy is connected and not revoked: there is something to sync with. */
  async isSellsyConnected(): Promise<boolean> {
    return (await this.sellsyStatus()).state === 'connected';
  }

  async connectSellsy(): Promise<ActionResult> {
    const { config, identity } = this.deps;
    if (!config.sellsyClientId) {
      return this.failure({ code: 'unavailable', message: 'This build has no Sellsy client id.' });
    }
    if (!(await this.storageClosed())) return this.failure(STORAGE_OPEN);
    try {
      const endpoints: OAuthEndpoints = {
        authorizeUrl: config.sellsyAuthorizeUrl,
        tokenUrl: config.sellsyTokenUrl,
        clientId: config.sellsyClientId,
        redirectUri: identity.getRedirectURL(),
      };
      const { verifier, challenge } = await createPkcePair();
      const state = createState();
      let redirectedTo: string | undefined;
      try {
        redirectedTo = await identity.launchWebAuthFlow({ url: buildAuthorizeUrl(endpoints, challenge, state), interactive: true });
      } catch {
        // Chromium rejects when the window is closed ("The user did not approve access").
        throw new SellsyError('cancelled', 'The Sellsy window was closed before access was granted.');
      }
      if (!redirectedTo) throw new SellsyError('cancelled', 'The Sellsy window was closed before access was granted.');
      const code = codeFromRedirect(redirectedTo, state);
      await tokenStore.set(await exchangeCode(endpoints, code, verifier, { fetch: this.deps.fetch, now: this.deps.now }));
      const previous = (await readSellsyConnection())?.staff;
      const staff = await fetchStaffMe(this.sellsy);
      // Someone else signed in (another Sellsy account or user): what was mirrored is not theirs.
      if (previous && previous.id !== staff.id) await this.deps.onSellsyDisconnected?.();
      await saveStaff(staff);
      return { ok: true, status: await this.status() };
    } catch (error) {
      if (error instanceof SellsyError) return this.failure({ code: error.code, message: error.message });
      throw error;
    }
  }

  /** Sellsy documents no token revocation endpoint (docs/sellsy-and-allo.md): forgetting is all we can do. */
  async disconnectSellsy(): Promise<Status> {
    // Through the session, so a token refresh still in flight cannot write the tokens back.
    await this.session.forget();
    await sellsyConnection.removeValue();
    await this.deps.onSellsyDisconnected?.();
    return this.status();
  }

  async setAlloKey(key: string): Promise<ActionResult> {
    if (!(await this.storageClosed())) return this.failure(STORAGE_OPEN);
    try {
      const info = await validateAlloKey(key, { apiUrl: this.deps.config.alloApiUrl, fetch: this.deps.fetch });
      await alloApiKey.setValue(key.trim());
      await alloConnection.setValue(info);
      await alloProblem.removeValue();
      return { ok: true, status: await this.status() };
    } catch (error) {
      if (error instanceof AlloKeyError) return this.failure({ code: error.code, message: error.message });
      throw error;
    }
  }

  async disconnectAllo(): Promise<Status> {
    await alloApiKey.removeValue();
    await alloConnection.removeValue();
    await alloProblem.removeValue();
    await this.deps.onAlloDisconnected?.();
    return this.status();
  }

  private async storageClosed(): Promise<boolean> {
    return (await this.deps.storageClosed) ?? true;
  }

  private async failure(error: ActionError): Promise<ActionResult> {
    return { ok: false, error, status: await this.status() };
  }

  private async sellsyStatus(problem?: SellsyError): Promise<SellsyStatus> {
    if (!this.sellsyAvailable) return { state: 'unavailable' };
    const connection = await readSellsyConnection();
    if (!connection) return { state: 'disconnected' };
    if (connection.state === 'revoked') return connection.staff ? { state: 'revoked', staff: connection.staff } : { state: 'revoked' };
    if (!connection.staff || !(await tokenStore.get())) return { state: 'disconnected' };
    return problem ? { state: 'connected', staff: connection.staff, problem: problem.code } : { state: 'connected', staff: connection.staff };
  }

  private async alloStatus(): Promise<Status['allo']> {
    const connection = await readAlloConnection();
    if (!connection || !(await alloApiKey.getValue())) return { state: 'disconnected' };
    const problem = await alloProblem.getValue();
    return {
      state: 'connected',
      scopes: connection.scopes,
      ...(connection.teamName ? { teamName: connection.teamName } : {}),
      ...(problem ? { problem } : {}),
    };
  }
}
