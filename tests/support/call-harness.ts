import 'fake-indexeddb/auto';
import { AlloClient } from '@/lib/allo/api-client';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import { CallPoller, type PollState } from '@/lib/calls/call-poller';
import { CallStore } from '@/lib/calls/call-store';
import { type SellsyForCalls, sellsyForCalls } from '@/lib/calls/sellsy-for-calls';
import { CallPipeline } from '@/lib/calls/pipeline';
import { SellsyClient } from '@/lib/sellsy/api-client';
import type { TokenSet } from '@/lib/sellsy/oauth';
import { SellsySession } from '@/lib/sellsy/session';
import { ContactSync } from '@/lib/sync/contact-sync';
import { startAlloServer, type AlloServer } from '../servers/allo';
import { startSellsyServer, type SellsyServer } from '../servers/sellsy';

/** A shared, settable clock for the pipeline under test (the servers keep real time). */
export interface Clock {
  now: number;
}

export interface Servers {
  sellsy: SellsyServer;
  allo: AlloServer;
  close(): Promise<void>;
}

export async function startServers(
  seed: { contacts: number; companies: number; individuals: number } = { contacts: 60, companies: 15, individuals: 10 },
): Promise<Servers> {
  const [sellsy, allo] = await Promise.all([
    startSellsyServer({ seed: { ...seed, seed: 3 }, accessTokenTtlS: 7 * 24 * 3600 }),
    startAlloServer({ rateLimits: undefined }),
  ]);
  return { sellsy, allo, close: async () => void (await Promise.all([sellsy.close(), allo.close()])) };
}

let dbCount = 0;

/** One browser: its own database, tokens, clients, sync, poller and pipeline, against shared servers. */
export interface Browser {
  cache: RecordCache;
  calls: CallStore;
  sync: ContactSync;
  poller: CallPoller;
  pipeline: CallPipeline;
  /** This browser's Sellsy requests, as the call log and the side panel make them. */
  sellsy: SellsyForCalls;
  tokens: { value: TokenSet | null };
  /** `staffId`: who is signed in to Sellsy in this browser (default: the server's staff). */
  options: { createLeads: boolean; connected: boolean; staffId?: number };
  /** A new pipeline on the same database, as after the service worker restarted. */
  restart(): Browser;
  /** Stops this instance dead: from now on it reaches no server and writes nothing. */
  kill(): void;
  sleeps: number[];
}

/** A call store that refuses every write once its worker is dead. */
class MortalCallStore extends CallStore {
  constructor(
    db: ConstructorParameters<typeof CallStore>[0],
    private readonly alive: { value: boolean },
  ) {
    super(db);
  }

  override async put(call: Parameters<CallStore['put']>[0]): Promise<void> {
    if (!this.alive.value) throw new Error('worker stopped');
    return super.put(call);
  }

  override async update(...args: Parameters<CallStore['update']>): ReturnType<CallStore['update']> {
    if (!this.alive.value) throw new Error('worker stopped');
    return super.update(...args);
  }

  override async addIfNew(call: Parameters<CallStore['addIfNew']>[0]): Promise<boolean> {
    if (!this.alive.value) throw new Error('worker stopped');
    return super.addIfNew(call);
  }
}

/** `skewMs`: how far this browser's clock is ahead of the shared one (a fast client clock). */
export function createBrowser(
  servers: Servers,
  clock: Clock,
  dbName = `browser-${++dbCount}`,
  shared?: Pick<Browser, 'tokens' | 'options'>,
  { skewMs = 0 }: { skewMs?: number } = {},
): Browser {
  const { sellsy, allo } = servers;
  const now = () => clock.now + skewMs;
  const tokens = shared?.tokens ?? { value: issue(servers, clock) };
  const options = shared?.options ?? { createLeads: false, connected: true };
  const session = new SellsySession({
    endpoints: { tokenUrl: sellsy.tokenUrl, clientId: sellsy.clientId },
    tokens: {
      get: async () => tokens.value,
      set: async (value) => {
        tokens.value = value;
      },
      clear: async () => {
        tokens.value = null;
      },
    },
    onRevoked: async () => {
      options.connected = false;
    },
    now,
  });
  const sleeps: number[] = [];
  const alive = { value: true };
  const mortalFetch: typeof fetch = async (input, init) => {
    if (!alive.value) throw new Error('worker stopped');
    return fetch(input, init);
  };
  const client = new SellsyClient({ apiUrl: sellsy.apiUrl, session, fetch: mortalFetch, sleep: async (ms) => void sleeps.push(ms), now });
  const db = openCacheDb(dbName);
  const cache = new RecordCache(db);
  const calls = new MortalCallStore(db, alive);
  let pollState: PollState | null = null;
  const browser: Browser = {
    cache,
    calls,
    tokens,
    options,
    sleeps,
    sync: new ContactSync({ cache, client, country: async () => 'FR', report: async () => undefined, now }),
    poller: new CallPoller({
      allo: new AlloClient({ apiUrl: allo.apiUrl, apiKey: async () => 'allo-sandbox-key', fetch: mortalFetch }),
      calls,
      loadState: async () => pollState,
      saveState: async (state) => {
        pollState = state;
      },
      now,
    }),
    sellsy: sellsyForCalls(client),
    pipeline: new CallPipeline({
      calls,
      cache,
      sellsy: sellsyForCalls(client),
      ownerId: async () => (options.connected && tokens.value ? (options.staffId ?? sellsy.staff.id) : undefined),
      settings: async () => ({ createLeads: options.createLeads }),
      now,
    }),
    restart: () => createBrowser(servers, clock, dbName, { tokens, options }, { skewMs }),
    kill: () => {
      alive.value = false;
    },
  };
  return browser;
}

/** Tokens as after a successful "Connect Sellsy". */
export function issue(servers: Servers, clock: Clock): TokenSet {
  const reply = servers.sellsy.issueTokens();
  return { accessToken: reply.access_token, refreshToken: reply.refresh_token, expiresAt: clock.now + reply.expires_in * 1000 };
}
