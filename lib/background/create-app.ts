import { browser, storage } from '#imports';
import { AlloClient, AlloError } from '../allo/api-client';
import { openCacheDb } from '../cache/open';
import { RecordCache } from '../cache/records';
import { CallPoller, type PollState } from '../calls/call-poller';
import { CallStore } from '../calls/call-store';
import { CallPipeline } from '../calls/pipeline';
import { resolveAlloUser, alloUserChoice } from '../calls/whose-calls';
import type { Config } from '../config';
import { Connections, type Identity } from '../connection/connections';
import { alloApiKey, alloProblem, readSellsyConnection } from '../connection/stores';
import { RateLimiter } from '../sellsy/rate-limiter';
import { backfillDaysSetting, clampBackfillDays, createLeadsSetting, readClickToCallSettings } from '../settings';
import { ContactSync } from '../sync/contact-sync';
import { reportSyncStatus, syncStatus } from '../sync/status-store';
import { onePassAtATime } from '../one-pass-at-a-time';
import { callsUpdatedAt } from './calls-updated';

// Sellsy's rate (contracts/sellsy.md): 5 requests per second per account; Allo's writes: 5/s.
const SELLSY_REQUESTS_PER_SECOND = 5;
const ALLO_WRITES_PER_SECOND = 5;
const DAY_MS = 24 * 60 * 60_000;

const callPollState = storage.defineItem<PollState | null>('local:callPoll', { fallback: null, version: 1 });

export interface BackgroundApp {
  connections: Connections;
  cache: RecordCache;
  calls: CallStore;
  allo: AlloClient;
  pipeline: CallPipeline | undefined;
  /** A sync pass if Sellsy is connected (alarms, "Sync now", start-up). */
  syncIfConnected(): Promise<void>;
  /** Polls Allo for the user's new calls and logs what is due (alarm, about every minute). */
  logCalls(): Promise<void>;
  /** On start-up: finish a first sync that a stopped worker left half-way. */
  resume(): Promise<void>;
}

/** Builds the background's parts and ties them together; entrypoints/background.ts wires them. */
export function createBackgroundApp({
  config,
  identity,
  storageClosed,
}: {
  config: Config;
  identity: Identity;
  /** Whether storage.local could be closed to content scripts (see close-storage.ts). */
  storageClosed: Promise<boolean>;
}): BackgroundApp {
  const db = openCacheDb();
  const cache = new RecordCache(db);
  const calls = new CallStore(db);
  const allo = new AlloClient({ apiUrl: config.alloApiUrl, apiKey: () => alloApiKey.getValue(), writeLimiter: new RateLimiter(ALLO_WRITES_PER_SECOND) });
  let sync: ContactSync | undefined;
  let pipeline: CallPipeline | undefined;

  const updateBadge = async () => {
    const errors = await calls.countErrors();
    await browser.action.setBadgeText({ text: errors > 0 ? String(errors) : '' });
    await browser.action.setBadgeBackgroundColor({ color: '#b91c1c' });
    await callsUpdatedAt.setValue(Date.now());
  };
  const runPipeline = async (options?: { contactsChanged: boolean }) => {
    if (!pipeline) return;
    await pipeline.run(options);
    await updateBadge();
  };
  const syncIfConnected = async () => {
    if (!sync || !(await connections.isSellsyConnected())) return;
    await sync.run();
    // Calls waiting for their contact may match now.
    await runPipeline({ contactsChanged: true });
  };
  const connections: Connections = new Connections({
    config,
    identity,
    storageClosed,
    limiter: new RateLimiter(SELLSY_REQUESTS_PER_SECOND),
    onSellsyConnected: () => void syncIfConnected(),
    onSellsyDisconnected: async () => {
      await cache.clear();
      await syncStatus.removeValue();
    },
    onAlloDisconnected: async () => {
      await Promise.all([alloUserChoice.removeValue(), callPollState.removeValue()]);
    },
  });
  if (connections.sellsy) {
    sync = new ContactSync({
      cache,
      client: connections.sellsy,
      country: async () => (await readClickToCallSettings()).defaultCountry,
      report: reportSyncStatus,
    });
    pipeline = new CallPipeline({
      calls,
      cache,
      sellsy: connections.sellsy,
      ownerId: async () => {
        const connection = await readSellsyConnection();
        return connection?.state === 'connected' ? connection.staff?.id : undefined;
      },
      settings: async () => ({ createLeads: (await createLeadsSetting.getValue()) === true }),
      // In the browser's language: French teams read French call notes in Sellsy.
      labels: {
        summary: browser.i18n.getMessage('descSummary'),
        noSummary: browser.i18n.getMessage('descNoSummary'),
        recording: browser.i18n.getMessage('descRecording'),
        openInAllo: browser.i18n.getMessage('descOpenInAllo'),
      },
    });
  }
  const logCallsOnce = async () => {
    // Calls are looked for once both services are connected; while Sellsy access is revoked they
    // keep being found and wait, so none is lost.
    const sellsy = await readSellsyConnection();
    if (!(await alloApiKey.getValue()) || !sellsy) return;
    const staff = sellsy.staff;
    const user = await resolveAlloUser(allo, staff?.email).catch(async (error: unknown) => {
      await alloProblem.setValue(error instanceof AlloError ? error.code : 'request');
      return null;
    });
    if (user) {
      const backfill = clampBackfillDays(await backfillDaysSetting.getValue());
      try {
        await poller.poll(user.id, Date.now() - backfill * DAY_MS);
        await alloProblem.removeValue();
      } catch (error) {
        // Shown in the popup's Allo card; calls already found are still logged below.
        await alloProblem.setValue(error instanceof AlloError ? error.code : 'request');
      }
    }
    await runPipeline();
  };
  const logCalls = onePassAtATime<undefined>(logCallsOnce, () => undefined);
  const poller = new CallPoller({ allo, calls, loadState: () => callPollState.getValue(), saveState: (state) => callPollState.setValue(state) });

  return {
    connections,
    cache,
    calls,
    allo,
    pipeline,
    syncIfConnected,
    // One pass at a time, however many alarms, popups and Retry clicks ask.
    logCalls: () => logCalls(undefined),
    resume: async () => {
      const cursors = await cache.cursors();
      const started = Object.values(cursors).some((state) => state && !state.done);
      if (started || (await syncStatus.getValue()).running) await syncIfConnected();
    },
  };
}
