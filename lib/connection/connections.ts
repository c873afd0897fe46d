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
import { type SellsyAccessTest, testSellsyAccess } from './sellsy-access-test';
import { alloConnection, alloProblem, readAlloConnection, readSellsyConnection, saveStaff, sellsyConnection } from './connection-state';
import { cleanSellsyClient, resolveSellsyClient, type SellsyApiClient, type SellsyClientView } from './sellsy-client';
import { alloApiKey, managedAlloKeyRefusal, sellsyTokensClient, type StoredSellsyClient, tokenStore, userSellsyClient } from './stores';

const STORAGE_OPEN: ActionError = {
  code: 'storage-open',
  message: 'Chrome could not keep credentials away from web pages (Chrome 140 or later is needed). Update Chrome, then connect again.',
};

/** Why Allo could not check a key, as opposed to refusing it: worth asking again. */
const TRANSIENT_KEY_ERRORS: ReadonlySet<ActionError['code']> = new Set(['network', 'server', 'rate-limited', 'invalid-response']);

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
  /** Allo accepted a key: logging starts now, whenever whose calls becomes known. */
  onAlloConnected?: () => Promise<void>;
  /** A Sellsy API request finally failed: kept for diagnostics. */
  onSellsyFailure?: (failure: { method: string; path: string; status?: number; code: string }) => void;
  /** The Allo API key the administrator set by policy, if any (it wins, and no one types it). */
  managedAlloKey?: () => Promise<string | undefined>;
  /** The Sellsy API client the administrator set by policy, if any (it wins). Throws when the policy cannot be read. */
  managedSellsyClient?: () => Promise<StoredSellsyClient | undefined>;
  /**
   * Whether a policy that sets no client can be believed now (lib/policy/policy-loaded.ts):
   * Chrome may not have loaded the policy yet. Default: believed.
   */
  policyLoaded?: () => Promise<boolean>;
}

/**
 * The background's one owner of credentials: connects and disconnects Sellsy (OAuth 2 + PKCE)
 * and Allo (API key), and reports their state without ever handing a secret out.
 */
export class Connections {
  /**
   * Always there: without an API client (none in the build, the options or the policy) Sellsy
   * cannot be connected, so the client finds no tokens and every request answers `not-connected`.
   */
  readonly sellsy: SellsyClient;
  private readonly session: SellsySession;

  constructor(private readonly deps: ConnectionsDeps) {
    const { config } = deps;
    this.session = new SellsySession({
      // Read at each refresh: the API client can change at run time.
      endpoints: async () => {
        const client = await this.apiClient();
        return { tokenUrl: config.sellsyTokenUrl, clientId: client?.clientId ?? '', ...(client?.clientSecret ? { clientSecret: client.clientSecret } : {}) };
      },
      tokens: { ...tokenStore, get: async () => ((await this.apiClient()) ? tokenStore.get() : null) },
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
      ...(deps.onSellsyFailure ? { onFailure: deps.onSellsyFailure } : {}),
    });
  }

  /**
   * The Sellsy API client in use: the administrator's, else the user's, else the build's. A policy
   * that cannot be read counts as none, unless `strict` (then it throws).
   */
  async apiClient({ strict = false } = {}): Promise<SellsyApiClient | undefined> {
    const read = async () => this.deps.managedSellsyClient?.();
    const managed = strict ? await read() : await read().catch(() => undefined);
    return resolveSellsyClient({ managed, user: await userSellsyClient.get(), buildClientId: this.deps.config.sellsyClientId });
  }

  /** Whether Sellsy can be connected at all (some API client is set). */
  async sellsyAvailable(): Promise<boolean> {
    return (await this.apiClient()) !== undefined;
  }

  async sellsyClientView(): Promise<SellsyClientView> {
    const client = await this.apiClient();
    return {
      source: client?.source ?? 'none',
      ...(client ? { clientId: client.clientId } : {}),
      hasSecret: client?.clientSecret !== undefined,
      buildHasClient: this.deps.config.sellsyClientId !== undefined,
      redirectUrl: this.deps.identity.getRedirectURL(),
    };
  }

  /**
   * The user's own API client (null: back to the build's). Another client is another Sellsy
   * sign-in: Sellsy is disconnected and what came through the old client is cleared.
   */
  async setSellsyClient(input: { clientId: string; clientSecret?: string } | null): Promise<ActionResult> {
    const before = await this.apiClient();
    if (before?.source === 'managed') {
      return this.failure({ code: 'managed', message: 'Your administrator set the Sellsy API client.' });
    }
    let cleaned = input ? cleanSellsyClient(input) : null;
    if (cleaned === undefined) return this.failure({ code: 'bad-client-id', message: 'This does not look like a Sellsy client id.' });
    // The options leave the secret field empty to keep the saved secret ("Saved: type to replace").
    if (cleaned && cleaned.clientSecret === undefined && before?.source === 'user' && before.clientId === cleaned.clientId && before.clientSecret) {
      cleaned = { ...cleaned, clientSecret: before.clientSecret };
    }
    if (cleaned?.clientSecret && !(await this.storageClosed())) return this.failure(STORAGE_OPEN);
    await userSellsyClient.set(cleaned);
    // What came through the old client goes with it (a new secret of the same client keeps the
    // tokens good: Sellsy issued them to the client id). Where Allo's calls were read up to stays:
    // it is the user's Allo position, and the same person reconnecting loses no call.
    if (before && before.clientId !== (await this.apiClient())?.clientId) await this.disconnectSellsy();
    return { ok: true, status: await this.status() };
  }

  /**
   * The administrator's policy changed the API client (or dropped it, so the user's or the
   * build's applies again): the tokens belong to the client Sellsy issued them to, and it refuses
   * them with another at the next refresh. As when a user changes the client in the options,
   * Sellsy is disconnected and what came through the old client is cleared; the person connects
   * again. Compared by client id: a new secret of the same client keeps the tokens good. True
   * when Sellsy was disconnected.
   *
   * Only a policy Chrome has surely loaded is followed: a read that fails, or a policy that sets
   * no client while Chrome may still be loading it (`policyLoaded`), changes nothing, neither a
   * disconnection nor the client taken as the tokens' on an update. Undone for nothing, the
   * person would have to sign in again and the contacts be synced anew.
   */
  async followApiClient(): Promise<boolean> {
    const [tokens, connection, issuedTo] = await Promise.all([tokenStore.get(), readSellsyConnection(), sellsyTokensClient.get()]);
    if (!tokens && !connection) {
      if (issuedTo) await sellsyTokensClient.clear();
      return false;
    }
    let client: SellsyApiClient | undefined;
    try {
      client = await this.apiClient({ strict: true });
    } catch {
      // The policy could not be read: not a policy without a client. Looked at again next time.
      return false;
    }
    if (issuedTo !== null && client?.clientId === issuedTo) return false;
    if (client?.source !== 'managed' && !(await this.policyLoaded())) return false;
    if (issuedTo === null) {
      // Connected by an earlier version, which kept no record: the client in force is taken as theirs.
      if (client) await sellsyTokensClient.set(client.clientId);
      return false;
    }
    await this.disconnectSellsy();
    return true;
  }

  /** "Test the connection" (options): a real request to Sellsy with the API access in use. */
  async testSellsyAccess(): Promise<SellsyAccessTest> {
    const { config, identity } = this.deps;
    // The client in force is tested: never with the tokens of one the policy replaced.
    await this.followApiClient();
    return testSellsyAccess({
      endpoints: async () => {
        const client = await this.apiClient();
        if (!client) return undefined;
        return {
          tokenUrl: config.sellsyTokenUrl,
          clientId: client.clientId,
          ...(client.clientSecret ? { clientSecret: client.clientSecret } : {}),
          redirectUri: identity.getRedirectURL(),
        };
      },
      connected: () => this.isSellsyConnected(),
      whoAmI: async () => {
        const staff = await fetchStaffMe(this.sellsy);
        await saveStaff(staff);
        return staff;
      },
      ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
    });
  }

  /** The state of both services; with `verify`, one request to Sellsy confirms it still answers. */
  async status({ verify = false } = {}): Promise<Status> {
    let problem: SellsyError | undefined;
    if (verify && (await this.sellsyAvailable()) && (await readSellsyConnection())?.state === 'connected') {
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
    const client = await this.apiClient();
    if (!client) {
      return this.failure({ code: 'unavailable', message: 'No Sellsy API client is set: enter your company’s in the options.' });
    }
    if (!(await this.storageClosed())) return this.failure(STORAGE_OPEN);
    try {
      const endpoints: OAuthEndpoints = {
        authorizeUrl: config.sellsyAuthorizeUrl,
        tokenUrl: config.sellsyTokenUrl,
        clientId: client.clientId,
        ...(client.clientSecret ? { clientSecret: client.clientSecret } : {}),
        redirectUri: identity.getRedirectURL(),
      };
      const { verifier, challenge } = await createPkcePair();
      const state = createState();
      let redirectedTo: string | undefined;
      try {
        redirectedTo = await identity.launchWebAuthFlow({ url: buildAuthorizeUrl(endpoints, challenge, state), interactive: true });
      } catch {
        // Chromium rejects when the window is closed ("The user did not approve access"). Sellsy
        // shows an unknown client or an unregistered redirect URL as a page of its own, never
        // as an answer, so with a company's own client that page is the likely reason.
        throw cancelled(client);
      }
      if (!redirectedTo) throw cancelled(client);
      const code = codeFromRedirect(redirectedTo, state);
      await tokenStore.set(await exchangeCode(endpoints, code, verifier, { fetch: this.deps.fetch, now: this.deps.now }));
      await sellsyTokensClient.set(client.clientId);
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
    await sellsyTokensClient.clear();
    await this.deps.onSellsyDisconnected?.();
    return this.status();
  }

  /**
   * Connects Allo with the administrator's key when the policy sets one the extension does not
   * hold yet. True when it connected (the caller then looks for calls at once). The policy's key
   * replaces the user's own; when Allo refuses it, Allo is left not connected and says why,
   * rather than going on with the user's key under the administrator's name. A key Allo could
   * not check (network, server, rate limit) is tried again at the next call; a refused one only
   * once the policy changes.
   */
  async applyManagedAlloKey(): Promise<boolean> {
    const key = await this.managedAlloKey();
    const refusal = await managedAlloKeyRefusal.get();
    if (!key) {
      if (refusal) await managedAlloKeyRefusal.clear();
      return false;
    }
    if (refusal?.key === key ? !TRANSIENT_KEY_ERRORS.has(refusal.error.code) : (await alloApiKey.getValue()) === key) return false;
    const result = await this.connectAllo(key);
    if (result.ok) {
      await managedAlloKeyRefusal.clear();
      return true;
    }
    await this.forgetAlloKey();
    await managedAlloKeyRefusal.set({ key, error: result.error });
    return false;
  }

  /**
   * The Allo key requests may use: the stored one, unless the administrator set another (then
   * none until theirs is accepted).
   */
  async alloKeyInUse(): Promise<string | null> {
    const [managed, stored] = await Promise.all([this.managedAlloKey(), alloApiKey.getValue()]);
    return managed !== undefined && stored !== managed ? null : stored;
  }

  async setAlloKey(key: string): Promise<ActionResult> {
    if (await this.managedAlloKey()) return this.failure({ code: 'managed', message: 'Your administrator set the Allo API key.' });
    return this.connectAllo(key);
  }

  private async connectAllo(key: string): Promise<ActionResult> {
    if (!(await this.storageClosed())) return this.failure(STORAGE_OPEN);
    try {
      const info = await validateAlloKey(key, { apiUrl: this.deps.config.alloApiUrl, fetch: this.deps.fetch });
      await alloApiKey.setValue(key.trim());
      await alloConnection.setValue(info);
      await alloProblem.removeValue();
      await this.deps.onAlloConnected?.();
      return { ok: true, status: await this.status() };
    } catch (error) {
      if (error instanceof AlloKeyError) return this.failure({ code: error.code, message: error.message });
      throw error;
    }
  }

  async disconnectAllo(): Promise<Status> {
    // The administrator's key stays: the popup offers no Disconnect for it.
    if (await this.managedAlloKey()) return this.status();
    await this.forgetAlloKey();
    await this.deps.onAlloDisconnected?.();
    return this.status();
  }

  private async forgetAlloKey(): Promise<void> {
    await alloApiKey.removeValue();
    await alloConnection.removeValue();
    await alloProblem.removeValue();
  }

  private async policyLoaded(): Promise<boolean> {
    return (await this.deps.policyLoaded?.().catch(() => false)) ?? true;
  }

  private async managedAlloKey(): Promise<string | undefined> {
    return this.deps.managedAlloKey?.().catch(() => undefined);
  }

  private async storageClosed(): Promise<boolean> {
    return (await this.deps.storageClosed) ?? true;
  }

  private async failure(error: ActionError): Promise<ActionResult> {
    return { ok: false, error, status: await this.status() };
  }

  private async sellsyStatus(problem?: SellsyError): Promise<SellsyStatus> {
    if (!(await this.sellsyAvailable())) return { state: 'unavailable' };
    const connection = await readSellsyConnection();
    if (!connection) return { state: 'disconnected' };
    if (connection.state === 'revoked') return connection.staff ? { state: 'revoked', staff: connection.staff } : { state: 'revoked' };
    if (!connection.staff || !(await tokenStore.get())) return { state: 'disconnected' };
    return problem ? { state: 'connected', staff: connection.staff, problem: problem.code } : { state: 'connected', staff: connection.staff };
  }

  private async alloStatus(): Promise<Status['allo']> {
    const managed = await this.managedAlloKey();
    const connection = await readAlloConnection();
    if (!connection || !(await this.alloKeyInUse())) {
      if (!managed) return { state: 'disconnected' };
      const refusal = await managedAlloKeyRefusal.get();
      if (refusal?.key !== managed) return { state: 'disconnected', managed: {} };
      return { state: 'disconnected', managed: TRANSIENT_KEY_ERRORS.has(refusal.error.code) ? { unchecked: refusal.error } : { refused: refusal.error } };
    }
    const problem = await alloProblem.getValue();
    return {
      state: 'connected',
      ...(managed ? { managed: true as const } : {}),
      scopes: connection.scopes,
      ...(connection.teamName ? { teamName: connection.teamName } : {}),
      ...(problem ? { problem } : {}),
    };
  }
}

function cancelled(client: SellsyApiClient): SellsyError {
  return client.source === 'build'
    ? new SellsyError('cancelled', 'The Sellsy window was closed before access was granted.')
    : new SellsyError(
        'cancelled-own-client',
        'The Sellsy window was closed before access was granted. If Sellsy showed an error there, check the client id and that the redirect URL is registered on the API access.',
      );
}
