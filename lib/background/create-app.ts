import type { Config } from '../config';
import { openCacheDb } from '../cache/open';
import { RecordCache } from '../cache/records';
import { Connections, type Identity } from '../connection/connections';
import { RateLimiter } from '../sellsy/rate-limiter';
import { readClickToCallSettings } from '../settings';
import { ContactSync } from '../sync/contact-sync';
import { reportSyncStatus, syncStatus } from '../sync/status-store';

// Sellsy's rate (contracts/sellsy.md): 5 requests per second per account.
const SELLSY_REQUESTS_PER_SECOND = 5;

export interface BackgroundApp {
  connections: Connections;
  cache: RecordCache;
  /** A sync pass if Sellsy is connected (alarms, "Sync now", start-up). */
  syncIfConnected(): Promise<void>;
  /** On start-up: finish a first sync that a stopped worker left half-way. */
  resume(): Promise<void>;
}

/** Builds the background's parts and ties them together; entrypoints/background.ts wires them. */
export function createBackgroundApp({ config, identity }: { config: Config; identity: Identity }): BackgroundApp {
  const cache = new RecordCache(openCacheDb());
  let sync: ContactSync | undefined;
  const syncIfConnected = async () => {
    if (sync && (await connections.isSellsyConnected())) await sync.run();
  };
  const connections: Connections = new Connections({
    config,
    identity,
    limiter: new RateLimiter(SELLSY_REQUESTS_PER_SECOND),
    onSellsyConnected: () => void syncIfConnected(),
    onSellsyDisconnected: async () => {
      await cache.clear();
      await syncStatus.removeValue();
    },
  });
  if (connections.sellsy) {
    sync = new ContactSync({
      cache,
      client: connections.sellsy,
      country: async () => (await readClickToCallSettings()).defaultCountry,
      report: reportSyncStatus,
    });
  }
  return {
    connections,
    cache,
    syncIfConnected,
    resume: async () => {
      const cursors = await cache.cursors();
      const started = Object.values(cursors).some((state) => state && !state.done);
      if (started || (await syncStatus.getValue()).running) await syncIfConnected();
    },
  };
}
