import { browser, storage } from '#imports';
import { AlloClient, AlloError } from '../allo/api-client';
import { openCacheDb } from '../cache/open';
import { RecordCache } from '../cache/records';
import { CallPoller, type PollState } from '../calls/call-poller';
import { followSellsyAccount } from '../calls/calls-account';
import { CallStore } from '../calls/call-store';
import { CallPipeline } from '../calls/pipeline';
import { noteSkippedCalls } from '../calls/skipped-calls';
import { resolveAlloUser, alloUserChoice, alloUserMiss } from '../calls/whose-calls';
import type { Config } from '../config';
import { Connections, type Identity } from '../connection/connections';
import { alloApiKey, alloProblem, readSellsyConnection } from '../connection/stores';
import { RateLimiter } from '../sellsy/rate-limiter';
import { backfillDaysSetting, clampBackfillDays, createLeadsSetting, readClickToCallSettings } from '../settings';
import { ContactSync } from '../sync/contact-sync';
import { reportSyncStatus, syncStatus } from '../sync/status-store';
import { onePassAtATime } from '../one-pass-at-a-time';
import { readCallList } from './call-list';
import { createCallsNotifier } from './calls-updated';

// Sellsy's rate (docs/sellsy-and-allo.md): 5 requests per second per account; Allo's writes: 5/s.
const SELLSY_REQUESTS_PER_SECOND = 5;
const ALLO_WRITES_PER_SECOND = 5;
const DAY_MS = 24 * 60 * 60_000;
// An opened popup asks Allo for new calls at most this often; the alarm polls every minute anyway.
const REFRESH_INTERVAL_MS = 15_000;

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
  /** The popup opened: polls Allo now, or once 15 s have passed since the last poll started. */
  refreshCalls(): Promise<void>;
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

  const notifyPopup = createCallsNotifier(() => readCallList(calls, config.sellsyAppUrl, 100));
  const updateBadge = async () => {
    const errors = await calls.countErrors();
    await browser.action.setBadgeText({ text: errors > 0 ? String(errors) : '' });
    await browser.action.setBadgeBackgroundColor({ color: '#b91c1c' });
    await notifyPopup();
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
  let logStartedAt = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  const logCallsOnce = async () => {
    logStartedAt = Date.now();
    // Calls are looked for once both services are connected; while Sellsy access is revoked they
    // keep being found and wait, so none is lost.
    const sellsy = await readSellsyConnection();
    if (!(await alloApiKey.getValue()) || !sellsy) return;
    const staff = sellsy.staff;
    const account = staff ? String(staff.id) : undefined;
    // Another person connected Sellsy: their Allo identity and poll position, not the last one's.
    if (account) await followSellsyAccount(account, [alloUserChoice, alloUserMiss, callPollState]);
    const user = await resolveAlloUser(allo, staff?.email).catch(async (error: unknown) => {
      await alloProblem.setValue(error instanceof AlloError ? error.code : 'request');
      return null;
    });
    if (user) {
      const backfill = clampBackfillDays(await backfillDaysSetting.getValue());
      try {
        await poller.poll(user.id, Date.now() - backfill * DAY_MS, account);
        await alloProblem.removeValue();
      } catch (error) {
        // Shown in the popup's Allo card; calls already found are still logged below.
        await alloProblem.setValue(error instanceof AlloError ? error.code : 'request');
      }
    }
    await runPipeline();
  };
  const logCalls = onePassAtATime<undefined>(logCallsOnce, () => undefined);
  // A poll for an opened popup: now, or once 15 s have passed since the last one started
  // (one pending at most; a poll started meanwhile pushes it back).
  const refreshWhenDue = () => {
    const wait = logStartedAt + REFRESH_INTERVAL_MS - Date.now();
    if (wait <= 0) return void logCalls(undefined);
    refreshTimer ??= setTimeout(() => {
      refreshTimer = undefined;
      refreshWhenDue();
    }, wait);
  };
  const poller = new CallPoller({
    allo,
    calls,
    loadState: () => callPollState.getValue(),
    saveState: (state) => callPollState.setValue(state),
    noteSkipped: (items) => noteSkippedCalls(items),
  });

  return {
    connections,
    cache,
    calls,
    allo,
    pipeline,
    syncIfConnected,
    // One pass at a time, however many alarms, popups and Retry clicks ask.
    logCalls: () => logCalls(undefined),
    refreshCalls: async () => {
      await runPipeline();
      refreshWhenDue();
    },
    resume: async () => {
      const cursors = await cache.cursors();
      const started = Object.values(cursors).some((state) => state && !state.done);
      if (started || (await syncStatus.getValue()).running) await syncIfConnected();
    },
  };
}
