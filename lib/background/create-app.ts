import { browser, storage } from '#imports';
import { AlloClient } from '../allo/api-client';
import { openAlloWebApp } from '../allo/open-web-app';
import { listenToRecording, type ListenResult } from '../allo/recording-link';
import { describeNumber, type NumberDescription } from '../cache/describe-number';
import { openCacheDb } from '../cache/open';
import { RecordCache } from '../cache/records';
import { createCallLogging, forgetAlloCalls } from '../calls/call-logging';
import { CallPoller, callPollState } from '../calls/call-poller';
import { sellsyForCalls } from '../calls/sellsy-for-calls';
import { CallStore } from '../calls/call-store';
import { CallPipeline } from '../calls/pipeline';
import { noteSkippedCalls } from '../calls/skipped-calls';
import { alloUserMiss, listCandidateUsers, pickAlloUser, type AlloUserPick } from '../calls/whose-calls';
import type { Config } from '../config';
import { Connections, type Identity } from '../connection/connections';
import type { SellsyClientView } from '../connection/sellsy-client';
import type { ActionResult, Status } from '../connection/status';
import { readSellsyConnection } from '../connection/connection-state';
import { alloApiKey } from '../connection/stores';
import { RateLimiter } from '../sellsy/rate-limiter';
import { recordApiFailure } from '../diagnostics/api-errors';
import { createCallBurst } from '../dialer/call-burst';
import { DialRequests, type DialOutcome, type DialRequest, type FallbackReason } from '../dialer/dial-requests';
import { dialRequestItem } from '../dialer/dial-request-item';
import { numberRecords, type NumberRecords } from '../dialer/number-records';
import type { DialerEvent } from '../dialer/protocol';
import { managedSellsyClient, readManagedSettings, watchManagedSettings } from '../policy/managed-settings';
import { dialerSeenReady, readClickToCallSettings, readCreateLeads } from '../settings';
import { ContactSync } from '../sync/contact-sync';
import { reportSyncStatus, syncStatus } from '../sync/status-store';
import { showErrorBadge, type BadgeAction } from './badge';
import { readCallList, type CallList } from './call-list';
import { createCallsNotifier } from '../calls/calls-updated';

// Sellsy's rate (docs/sellsy-and-allo.md): 5 requests per second per account; Allo's writes: 5/s.
const SELLSY_REQUESTS_PER_SECOND = 5;
const ALLO_WRITES_PER_SECOND = 5;

/** What the background does, as its alarms, start-up and messages ask. */
export interface BackgroundApp {
  /** A sync pass if Sellsy is connected (alarm, start-up; "Sync now" through `syncNow`). */
  syncIfConnected(): Promise<void>;
  /** Polls Allo for the user's new calls and logs what is due (alarm, about every minute). */
  logCalls(): Promise<void>;
  /** On start-up: finish a first sync that a stopped worker left half-way. */
  resume(): Promise<void>;
  openAlloWebApp(): Promise<void>;
  lookupNumber(e164: string): Promise<NumberDescription>;
  /** Opens the side panel on the tab (first, in the click's gesture) and hands it the number. */
  openDialer(tabId: number, e164: string): Promise<{ outcome: DialOutcome }>;
  claimDial(id: string): Promise<DialRequest | null>;
  giveUpDial(id: string, reason: FallbackReason): Promise<void>;
  dialerEvent(event: DialerEvent): Promise<void>;
  numberRecords(e164: string): Promise<NumberRecords & { more: number }>;
  getStatus(options: { verify?: boolean }): Promise<Status>;
  connectSellsy(): Promise<ActionResult>;
  getSellsyClient(): Promise<SellsyClientView>;
  setSellsyClient(client: { clientId: string; clientSecret?: string } | null): Promise<ActionResult>;
  disconnectSellsy(): Promise<Status>;
  setAlloApiKey(key: string): Promise<ActionResult>;
  disconnectAllo(): Promise<Status>;
  /** Starts a sync and answers at once; its progress arrives in the status. */
  syncNow(): Promise<Status>;
  listCalls(limit: number): Promise<CallList>;
  /** The popup opened: polls Allo now, or once 15 s have passed since the last poll started. */
  refreshCalls(): Promise<void>;
  retryCall(alloId: string): Promise<void>;
  listenToRecording(alloId: string): Promise<ListenResult>;
  listAlloUsers(): Promise<AlloUserPick[]>;
  setAlloUser(user: AlloUserPick | null): Promise<void>;
}

export interface BackgroundDeps {
  config: Config;
  identity: Identity;
  /** Whether storage.local could be closed to content scripts (see close-storage.ts). */
  storageClosed: Promise<boolean>;
  action: BadgeAction;
  /** Chrome's side panel; `open` needs the user gesture of the message that asks for it. */
  sidePanel?: { open(options: { tabId: number }): Promise<void> };
  /** The words of the call notes written in Sellsy. */
  i18n: { getMessage(messageName: 'descSummary' | 'descNoSummary' | 'descRecording' | 'descRecordingInAllo' | 'descOpenInAllo'): string };
}

/** Builds the background's parts, each after what it needs, and returns what it can be asked. */
export function createBackgroundApp({ config, identity, storageClosed, action, i18n, sidePanel = browser.sidePanel }: BackgroundDeps): BackgroundApp {
  const db = openCacheDb();
  const cache = new RecordCache(db);
  const calls = new CallStore(db);
  const allo = new AlloClient({
    apiUrl: config.alloApiUrl,
    apiKey: () => alloApiKey.getValue(),
    writeLimiter: new RateLimiter(ALLO_WRITES_PER_SECOND),
    onFailure: (failure) => void recordApiFailure('allo', failure).catch(() => undefined),
  });
  const connections = new Connections({
    config,
    identity,
    storageClosed,
    limiter: new RateLimiter(SELLSY_REQUESTS_PER_SECOND),
    onSellsyFailure: (failure) => void recordApiFailure('sellsy', failure).catch(() => undefined),
    onSellsyDisconnected: async () => {
      await cache.clear();
      await syncStatus.removeValue();
    },
    onAlloDisconnected: forgetAlloCalls,
    managedAlloKey: async () => (await readManagedSettings()).alloApiKey,
    managedSellsyClient,
    // The calls found so far stay (they are the user's Allo calls); where to look next restarts.
    onSellsyClientChanged: () => callPollState.removeValue(),
  });
  const sync = new ContactSync({
    cache,
    client: connections.sellsy,
    country: async () => (await readClickToCallSettings()).defaultCountry,
    report: reportSyncStatus,
  });
  const pipeline = new CallPipeline({
    calls,
    cache,
    sellsy: sellsyForCalls(connections.sellsy),
    ownerId: async () => {
      const connection = await readSellsyConnection();
      return connection?.state === 'connected' ? connection.staff?.id : undefined;
    },
    settings: async () => ({ createLeads: await readCreateLeads() }),
    // In the browser's language: French teams read French call notes in Sellsy.
    labels: {
      summary: i18n.getMessage('descSummary'),
      noSummary: i18n.getMessage('descNoSummary'),
      recording: i18n.getMessage('descRecording'),
      recordingInAllo: i18n.getMessage('descRecordingInAllo'),
      openInAllo: i18n.getMessage('descOpenInAllo'),
    },
  });
  const poller = new CallPoller({
    allo,
    calls,
    loadState: () => callPollState.getValue(),
    saveState: (state) => callPollState.setValue(state),
    noteSkipped: (items) => noteSkippedCalls(items),
  });
  const listCalls = (limit: number) => readCallList(calls, config.sellsyAppUrl, limit);
  const notifyPopup = createCallsNotifier(() => listCalls(100));
  const logging = createCallLogging({
    allo,
    poller,
    pipeline,
    sellsyAvailable: () => connections.sellsyAvailable(),
    afterPass: async () => {
      await showErrorBadge(action, await calls.countErrors());
      await notifyPopup();
    },
  });
  const dials = new DialRequests({ publish: (request) => dialRequestItem.setValue(request) });
  const burst = createCallBurst({
    alarms: browser.alarms,
    until: storage.defineItem<number>('session:callBurstUntil', { fallback: 0 }),
    poll: logging.logCalls,
  });
  // The administrator's Allo key connects without anyone typing it, now and when the policy changes.
  const applyPolicy = async () => {
    if (await connections.applyManagedAlloKey()) void logging.logCalls();
  };
  void applyPolicy();
  watchManagedSettings(() => void applyPolicy());
  const syncIfConnected = async () => {
    if (!(await connections.isSellsyConnected())) return;
    await sync.run();
    await logging.contactsChanged();
  };

  return {
    syncIfConnected,
    logCalls: logging.logCalls,
    resume: async () => {
      const cursors = await cache.cursors();
      const started = Object.values(cursors).some((state) => state && !state.done);
      if (started || (await syncStatus.getValue()).running) await syncIfConnected();
    },
    openAlloWebApp,
    lookupNumber: (e164) => describeNumber(cache, e164),
    openDialer: async (tabId, e164) => {
      // No await before this line: Chrome allows sidePanel.open only within the click's gesture.
      const opened = sidePanel.open({ tabId });
      return { outcome: await dials.open(tabId, e164, opened) };
    },
    claimDial: async (id) => dials.claim(id) ?? null,
    giveUpDial: async (id, reason) => dials.giveUp(id, reason),
    dialerEvent: async (event) => {
      if (event.type === 'ready') await dialerSeenReady();
      else if (event.type === 'call') await burst.callSeen();
    },
    numberRecords: (e164) => numberRecords(cache, config.sellsyAppUrl, e164),
    getStatus: (options) => connections.status(options),
    connectSellsy: async () => {
      const result = await connections.connectSellsy();
      // The first sync starts as soon as Sellsy is connected.
      if (result.ok) void syncIfConnected();
      return result;
    },
    disconnectSellsy: () => connections.disconnectSellsy(),
    getSellsyClient: () => connections.sellsyClientView(),
    setSellsyClient: (client) => connections.setSellsyClient(client),
    setAlloApiKey: async (key) => {
      const result = await connections.setAlloKey(key);
      // Find whose calls to log, and the first ones, without waiting for the alarm.
      if (result.ok) {
        await alloUserMiss.removeValue();
        void logging.logCalls();
      }
      return result;
    },
    disconnectAllo: () => connections.disconnectAllo(),
    syncNow: async () => {
      void syncIfConnected();
      return connections.status();
    },
    // Only reads: the popup reloads its list whenever the calls change, so a list that started
    // work would have the popup and the background trigger each other without end.
    listCalls,
    refreshCalls: logging.refreshCalls,
    retryCall: logging.retryCall,
    listenToRecording: (alloId) => listenToRecording(allo, alloId, (url) => browser.tabs.create({ url })),
    listAlloUsers: () => listCandidateUsers(allo),
    setAlloUser: async (user) => {
      // The administrator required the e-mail match: the options show it locked.
      if ((await readManagedSettings()).matchAlloUserByEmail) return;
      await pickAlloUser(user);
      void logging.logCalls();
    },
  };
}
