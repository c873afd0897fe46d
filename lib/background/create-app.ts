import { browser, storage } from '#imports';
import { AlloClient } from '../allo/api-client';
import { type AddAppHostResult, AppHosts, type AppHostsView, type PermissionsApi, type ScriptingApi } from '../app-hosts/app-hosts';
import { openAlloWebApp } from '../allo/open-web-app';
import { listenToRecording, type ListenResult } from '../allo/recording-link';
import { describeNumber, type NumberDescription } from '../cache/describe-number';
import { openCacheDb } from '../cache/open';
import { RecordCache } from '../cache/records';
import { createCallLogging, forgetAlloCalls } from '../calls/call-logging';
import { alloKeyFactsItem, createPollSchedule } from '../calls/poll-schedule';
import { noteIntegrationLogs } from '../calls/call-logger';
import { CallPoller, callPollState, readPollState } from '../calls/call-poller';
import { loggingStart } from '../calls/poll-state';
import { sellsyForCalls } from '../calls/sellsy-for-calls';
import { CallStore } from '../calls/call-store';
import { CallPipeline } from '../calls/pipeline';
import { noteSkippedCalls } from '../calls/skipped-calls';
import { alloUserMiss, listCandidateUsers, pickAlloUser, type AlloUserPick } from '../calls/whose-calls';
import { type Config, contentMatches } from '../config';
import { Connections, type ConnectionsDeps, type Identity } from '../connection/connections';
import type { SellsyClientView } from '../connection/sellsy-client';
import type { SellsyAccessTest } from '../connection/sellsy-access-test';
import type { ActionResult, Status } from '../connection/status';
import { policyAnsweredAt, readSellsyConnection } from '../connection/connection-state';
import { RateLimiter } from '../sellsy/rate-limiter';
import { recordApiFailure } from '../diagnostics/api-errors';
import { createCallBurst } from '../dialer/call-burst';
import { DialRequests, type DialOutcome, type DialRequest, type DialTaker, type FallbackReason } from '../dialer/dial-requests';
import { dialRequestItem } from '../dialer/dial-request-item';
import { numberRecords, type NumberRecords } from '../dialer/number-records';
import { createNewContacts, type NewContactInput, type NewContactResult } from '../dialer/new-contact';
import { type CallHistory, createCallHistory } from '../dialer/call-history';
import { createFollowUps, type FollowUpResult } from '../follow-up/follow-ups';
import type { FollowUpInput, FollowUpView } from '../follow-up/follow-up-shape';
import { sellsyTasks } from '../sellsy/tasks';
import { latestPhoneCalls } from '../sellsy/phone-calls';
import { callsAccount } from '../calls/calls-account';
import { type FoundRecord, searchRecords } from '../search/search-records';
import { callBackItem, searchFocusItem } from '../dialer/call-from-panel';
import { chromeRecordTabs, openRecord } from '../dialer/record-tab';
import { openDialerWindow } from '../microphone/microphone-pages';
import { createMissedCallNotifier, type MissedCallWords, type NotificationsApi } from '../missed-calls/missed-call-notifier';
import type { DialerEvent } from '../dialer/protocol';
import { managedSellsyClient, readManagedSettings, readManagedSettingsOrFail, watchManagedSettings } from '../policy/managed-settings';
import { createPolicyLoaded, policyAnswer } from '../policy/policy-loaded';
import { broadcastPagePolicy, type PagePolicy, pagePolicyOf } from '../policy/page-policy';
import { tabMessaging } from '../messaging';
import { type RecordPath, sellsyRecordUrl } from '../sellsy/record-url';
import { type RecordLinksView, recordLinksView, type SetRecordLinksResult, setUserRecordLinks } from '../app-hosts/record-links';
import { dialerSeenReady, missedCallNotificationsSetting, readClickToCallSettings, readCreateLeads, readMissedCallNotifications } from '../settings';
import { ContactSync } from '../sync/contact-sync';
import type { NoteOutcome } from '../notes/call-note';
import { storedNotes } from '../notes/note-store';
import { NoteWriter } from '../notes/note-writer';
import { type CallNoteView, panelNoteActions } from '../notes/panel-notes';
import { sellsyForNotes } from '../notes/sellsy-for-notes';
import { reportSyncStatus, syncStatus } from '../sync/status-store';
import { showErrorBadge, type BadgeAction } from './badge';
import { whileKeptAlive } from './keep-alive';
import { readCallList, type CallList } from './call-list';
import { createCallsNotifier } from '../calls/calls-updated';

/** `permissions.onAdded` / `onRemoved`: the user granted or took back a host. */
interface PermissionEvent {
  addListener(listener: () => void): void;
}

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
  /** What of the administrator's policy a Sellsy page may know (no secret). */
  pagePolicy(): Promise<PagePolicy>;
  /** Match patterns of the Sellsy app hosts added at run time where the content script runs (a promise until read). */
  appHostPatterns(): string[] | Promise<string[]>;
  listAppHosts(): Promise<AppHostsView>;
  addAppHost(host: string): Promise<AddAppHostResult>;
  removeAppHost(host: string): Promise<AppHostsView>;
  getRecordLinks(): Promise<RecordLinksView>;
  setRecordLinks(links: { appUrl: string; paths: Partial<Record<RecordPath, string>> }): Promise<SetRecordLinksResult>;
  testRecordLink(path: RecordPath): Promise<{ url: string } | { none: true }>;
  /**
   * Opens the side panel on the tab (first, in the click's gesture) and hands it the number;
   * with `trusted`, only once it says the click's page may ask (refused: nothing is dialled).
   */
  openDialer(from: { tabId: number; windowId: number }, e164: string, trusted?: Promise<boolean>): Promise<{ outcome: DialOutcome }>;
  claimDial(id: string, by: DialTaker): Promise<DialRequest | null>;
  giveUpDial(id: string, reason: FallbackReason, by: DialTaker): Promise<void>;
  dialerEvent(event: DialerEvent): Promise<void>;
  numberRecords(e164: string): Promise<NumberRecords & { more: number }>;
  /** The side panel's history of the number: the user's calls and the team's Phone Calls. */
  callHistory(e164: string): Promise<CallHistory>;
  searchRecords(query: string): Promise<{ records: FoundRecord[] }>;
  /** The side panel's "Create contact" for a number not in Sellsy; its waiting calls are logged on it. */
  createContact(input: NewContactInput): Promise<NewContactResult>;
  /** The side panel's call note (lib/notes/panel-notes.ts). */
  callNote(request: { call?: { e164: string; startedAt: number }; id?: string }): Promise<{ note: CallNoteView | null }>;
  saveCallNote(id: string, text: string, outcome: NoteOutcome | null): Promise<{ note: CallNoteView | null }>;
  /** The side panel's "Call back": one Sellsy task on the record, exactly once. */
  createFollowUp(input: FollowUpInput): Promise<FollowUpResult>;
  retryFollowUp(id: string): Promise<FollowUpView | null>;
  /** The keyboard shortcut: the side panel of that window opens (in the key's gesture) on its search box. */
  openSearch(windowId: number): Promise<void>;
  /**
   * A missed call's "Call back", within the notification click's gesture: the side panel of
   * `windowId` opens and calls the number as if it was chosen there; where it cannot open, the
   * dialer in a window of its own does.
   */
  callBack(e164: string, windowId: number | undefined): Promise<void>;
  /** A missed call's "Open in Sellsy": the first record with the number, as the side panel opens one. */
  openInSellsy(e164: string, windowId: number | undefined): Promise<void>;
  getStatus(options: { verify?: boolean }): Promise<Status>;
  connectSellsy(): Promise<ActionResult>;
  getSellsyClient(): Promise<SellsyClientView>;
  setSellsyClient(client: { clientId: string; clientSecret?: string } | null): Promise<ActionResult>;
  testSellsyAccess(): Promise<SellsyAccessTest>;
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

/** How long the popup's status waits for Chrome to say what the policy is (it is ready in 0.5 s). */
const POLICY_WAIT_MS = 100;

export interface BackgroundDeps {
  config: Config;
  identity: Identity;
  /** Whether storage.local could be closed to content scripts (see close-storage.ts). */
  storageClosed: Promise<boolean>;
  action: BadgeAction;
  /** Chrome's side panel; `open` needs the user gesture of the message that asks for it. */
  sidePanel?: { open(options: { tabId: number } | { windowId: number }): Promise<void> };
  /** Whether window `windowId` shows our side panel (a dialer window takes a click only where none is). */
  sidePanelOpenIn?: (windowId: number) => Promise<boolean>;
  /** Registering the content script on added app hosts, and the permissions they need. */
  scripting?: ScriptingApi;
  permissions?: PermissionsApi & { onAdded: PermissionEvent; onRemoved: PermissionEvent };
  /** The words of the call notes written in Sellsy. */
  i18n: {
    getMessage(
      messageName:
        | 'descSummary'
        | 'descNoSummary'
        | 'descRecording'
        | 'descRecordingInAllo'
        | 'descOpenInAllo'
        | 'newContactCompanyNote'
        | 'noteOutcomeLabel'
        | 'noteOutcomeAnswered'
        | 'noteOutcomeVoicemail'
        | 'noteOutcomeNoAnswer'
        | 'noteOutcomeBusy'
        | 'noteOutcomeWrongNumber'
        | 'followUpTitlePrefix',
    ): string;
  };
  /** Chrome's notifications, for missed calls. */
  notifications?: NotificationsApi;
  /** The words of a missed call's notification (the entry point's, plural-aware); without them, the message keys. */
  missedCallWords?: MissedCallWords;
}

const MESSAGE_KEYS: MissedCallWords = {
  title: (voicemail) => (voicemail ? 'missedCallVoicemailTitle' : 'missedCallTitle'),
  caller: (name, others) => (others > 0 ? `missedCallOthers ${name} ${others}` : name),
  notInSellsy: () => 'missedCallNotInSellsy',
  callBack: () => 'missedCallBack',
  openInSellsy: () => 'missedCallOpen',
};

/** The browser window in front, if there is one. */
async function frontWindow(): Promise<number | undefined> {
  return (await browser.windows.getLastFocused({ windowTypes: ['normal'] }).catch(() => undefined))?.id;
}

/** Builds the background's parts, each after what it needs, and returns what it can be asked. */
export function createBackgroundApp({
  config,
  identity,
  storageClosed,
  action,
  i18n,
  sidePanel = browser.sidePanel,
  sidePanelOpenIn = async (windowId) => {
    // Unknown (an older Chrome, or none to ask): the click goes to the panel, as before.
    try {
      return (await browser.runtime.getContexts({ contextTypes: ['SIDE_PANEL'], windowIds: [windowId] })).length > 0;
    } catch {
      return false;
    }
  },
  scripting = browser.scripting,
  permissions = browser.permissions,
  notifications = browser.notifications,
  missedCallWords = MESSAGE_KEYS,
}: BackgroundDeps): BackgroundApp {
  const db = openCacheDb();
  const cache = new RecordCache(db);
  const calls = new CallStore(db);
  // Chrome may answer an empty policy for a while after it starts (policy-loaded.ts).
  const policy = createPolicyLoaded();
  const connectionDeps: ConnectionsDeps = {
    config,
    identity,
    storageClosed,
    limiter: new RateLimiter(SELLSY_REQUESTS_PER_SECOND),
    onSellsyFailure: (failure) => void recordApiFailure('sellsy', failure).catch(() => undefined),
    onSellsyDisconnected: async () => {
      history.forget();
      await cache.clear();
      await syncStatus.removeValue();
    },
    onAlloDisconnected: forgetAlloCalls,
    onAlloConnected: async () => {
      await loggingStart.note(Date.now());
      // Another key (the administrator's replacing the person's own): what Allo said of the old
      // one (its team, its scopes) must not size this one's budget for a day.
      await alloKeyFactsItem.removeValue();
    },
    managedAlloKey: async () => (await readManagedSettings()).alloApiKey,
    managedSellsyClient,
    policyLoaded: policy.believed,
  };
  const connections = new Connections(connectionDeps);
  // What the popup shows while Chrome has not yet answered for the policy (seconds at its start,
  // e.g. right after install): the same status with no policy, said to be pending.
  const firstPolicyAnswer = policyAnswer();
  const connectionsBeforePolicy = new Connections({ ...connectionDeps, managedAlloKey: async () => undefined, managedSellsyClient: async () => undefined });
  // Never the user's own key while the administrator's is set and not accepted by Allo.
  const allo = new AlloClient({
    apiUrl: config.alloApiUrl,
    apiKey: () => connections.alloKeyInUse(),
    writeLimiter: new RateLimiter(ALLO_WRITES_PER_SECOND),
    onFailure: (failure) => void recordApiFailure('allo', failure).catch(() => undefined),
  });
  const sync = new ContactSync({
    cache,
    client: connections.sellsy,
    country: async () => (await readClickToCallSettings()).defaultCountry,
    report: reportSyncStatus,
  });
  const callNotes = storedNotes();
  const panelNotes = panelNoteActions(callNotes);
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
    onIntegrationLog: () => noteIntegrationLogs(),
    notes: new NoteWriter({
      notes: callNotes,
      calls,
      cache,
      sellsy: sellsyForNotes(connections.sellsy),
      labels: {
        outcome: i18n.getMessage('noteOutcomeLabel'),
        outcomes: {
          answered: i18n.getMessage('noteOutcomeAnswered'),
          voicemail: i18n.getMessage('noteOutcomeVoicemail'),
          noanswer: i18n.getMessage('noteOutcomeNoAnswer'),
          busy: i18n.getMessage('noteOutcomeBusy'),
          wrongnumber: i18n.getMessage('noteOutcomeWrongNumber'),
        },
      },
    }),
  });
  // Record links: the administrator's parts first, then the user's, then the build's.
  const linksView = async () => recordLinksView(config.sellsyAppUrl, await readManagedSettings());
  const recordLinks = async () => (await linksView()).effective;
  const missedCalls = createMissedCallNotifier({
    notifications,
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    words: missedCallWords,
    enabled: readMissedCallNotifications,
    records: async (e164) => numberRecords(cache, await recordLinks(), e164),
    country: async () => (await readClickToCallSettings()).defaultCountry,
    frontWindow,
  });
  // Turned off, by the user or the administrator: the notifications still shown (they stay until
  // closed) go too.
  const clearMissedCallsIfOff = async () => {
    if (!(await readMissedCallNotifications())) await missedCalls.clearShown();
  };
  missedCallNotificationsSetting.watch(() => void clearMissedCallsIfOff());
  const poller = new CallPoller({
    allo,
    calls,
    loadState: readPollState,
    saveState: (state) => callPollState.setValue(state),
    noteSkipped: (items) => noteSkippedCalls(items),
    onCallsRead: (items) => missedCalls.fromAllo(items),
  });
  const listCalls = async (limit: number) => readCallList(calls, await recordLinks(), limit);
  const history = createCallHistory({
    calls,
    cache,
    links: recordLinks,
    staffId: async () => {
      if (!(await connections.isSellsyConnected())) return undefined;
      const connection = await readSellsyConnection();
      return connection?.state === 'connected' ? connection.staff?.id : undefined;
    },
    // Whose calls are "yours" while Sellsy is not connected: the account they were last logged for.
    account: () => callsAccount.getValue(),
    latestPhoneCalls: (record, limit, order) => latestPhoneCalls(connections.sellsy, record, limit, order),
    // The block's labels in every language are known to `firstLine` (WRITTEN_LABELS).
  });
  const notifyPopup = createCallsNotifier(() => listCalls(100));
  const appHosts = new AppHosts({
    scripting,
    permissions,
    builtIn: config.sellsyAppHosts,
    managedHosts: async () => (await readManagedSettingsOrFail()).sellsyAppHosts ?? [],
    policyLoaded: policy.believed,
  });
  // The team's browsers share the key's write budget (poll-budget.ts).
  const schedule = createPollSchedule({
    allo,
    sellsyTabOpen: async () => (await browser.tabs.query({ url: [...contentMatches(config), ...(await appHosts.patterns())] })).length > 0,
  });
  const logging = createCallLogging({
    allo,
    poller,
    pipeline,
    schedule,
    sellsyAvailable: () => connections.sellsyAvailable(),
    afterPass: async () => {
      await showErrorBadge(action, await calls.countErrors());
      await notifyPopup();
    },
  });
  const newContacts = createNewContacts({
    sellsy: sellsyForCalls(connections.sellsy),
    cache,
    country: async () => (await readClickToCallSettings()).defaultCountry,
    companyLabel: i18n.getMessage('newContactCompanyNote'),
    // Not awaited: the panel hears of the contact at once; the calls are logged in the background.
    contactAdded: async (e164) => {
      void logging.contactAdded(e164).catch((error: unknown) => console.error('Allo for Sellsy: the calls of a new contact could not be logged yet', error));
    },
  });
  const followUps = createFollowUps({
    sellsy: sellsyTasks(connections.sellsy),
    staffId: async () => {
      if (!(await connections.isSellsyConnected())) return undefined;
      const connection = await readSellsyConnection();
      return connection?.state === 'connected' ? connection.staff?.id : undefined;
    },
    // In the browser's language, as the call notes: the title is read in Sellsy by the team.
    titlePrefix: i18n.getMessage('followUpTitlePrefix'),
  });
  const resumeFollowUps = () =>
    void followUps.resume().catch((error: unknown) => console.error('Allo for Sellsy: a follow-up could not be tried again yet', error));
  const dials = new DialRequests({ publish: (request) => dialRequestItem.setValue(request) });
  const burst = createCallBurst({
    alarms: browser.alarms,
    until: storage.defineItem<number>('session:callBurstUntil', { fallback: 0, version: 1 }),
    poll: logging.logCalls,
  });
  // The administrator's Allo key connects without anyone typing it, now and when the policy
  // changes; a Sellsy API client the policy changed disconnects Sellsy, as a change in the options does.
  const applyPolicy = async () => {
    await connections.followApiClient();
    if (await connections.applyManagedAlloKey()) void logging.pollNow();
  };
  // Chrome keeps the registration across restarts; checking it at each start also covers an
  // update, a host the user took back in Chrome's settings, or a policy changed meanwhile.
  const refreshAppHosts = () =>
    void appHosts.refresh().catch((error: unknown) => console.error('Allo for Sellsy: the added Sellsy app hosts could not be registered', error));
  refreshAppHosts();
  permissions.onAdded.addListener(refreshAppHosts);
  permissions.onRemoved.addListener(refreshAppHosts);
  void applyPolicy();
  watchManagedSettings(() => {
    // Chrome said the policy changed: what it says now is the policy, even empty.
    void policy
      .heard()
      .catch(() => undefined)
      .then(() => {
        void applyPolicy();
        refreshAppHosts();
        void clearMissedCallsIfOff();
      });
    // Open Sellsy pages follow the new call target and country at once, not at their next load.
    void readManagedSettings().then((managed) =>
      broadcastPagePolicy(browser.tabs, (tabId, policy) => tabMessaging.sendMessage('pagePolicyChanged', policy, tabId), pagePolicyOf(managed)),
    );
  });
  // How often this browser looks for calls, from what Allo said of the key (no request here).
  const withRhythm = async (status: Status): Promise<Status> => {
    if (status.allo.state !== 'connected') return status;
    // Without a Sellsy connection no call is looked for (call-logging.ts): no rhythm to tell.
    // Revoked, calls are still found and wait for the reconnection.
    if (status.sellsy.state !== 'connected' && status.sellsy.state !== 'revoked') return status;
    const rhythm = await schedule.rhythm();
    return rhythm ? { ...status, allo: { ...status.allo, rhythm } } : status;
  };
  const syncIfConnected = async () => {
    if (!(await connections.isSellsyConnected())) return;
    // A pass over a large account pages for minutes: the worker must not be stopped as idle.
    await whileKeptAlive(
      () => sync.run(),
      () => browser.runtime.getPlatformInfo(),
    );
    await logging.contactsChanged();
  };

  return {
    syncIfConnected,
    logCalls: async () => {
      // An administrator's key Allo could not check at start-up is tried again here, each minute,
      // and a policy change the worker did not hear of is caught up with.
      await connections.followApiClient();
      await connections.applyManagedAlloKey();
      // A follow-up Sellsy has not answered for is tried again each minute, beside the calls.
      resumeFollowUps();
      await logging.logCalls();
    },
    resume: async () => {
      // A follow-up a stopped worker left under way (stored, or its POST unanswered).
      resumeFollowUps();
      const cursors = await cache.cursors();
      // A first sync, an incremental pass or a reconciliation that a stopped worker left half done.
      const started = Object.values(cursors).some((state) => state && (!state.done || state.incremental || state.reconcile));
      if (started || (await syncStatus.getValue()).running) await syncIfConnected();
    },
    openAlloWebApp,
    lookupNumber: (e164) => describeNumber(cache, e164),
    pagePolicy: async () => pagePolicyOf(await readManagedSettings()),
    appHostPatterns: () => appHosts.patterns(),
    listAppHosts: () => appHosts.view(),
    addAppHost: (host) => appHosts.add(host),
    removeAppHost: (host) => appHosts.remove(host),
    getRecordLinks: linksView,
    setRecordLinks: async (links) => {
      const saved = await setUserRecordLinks(links);
      if (!saved.ok) return saved;
      // The popup's call list shows links: it follows at once.
      void notifyPopup();
      return { ok: true, view: await linksView() };
    },
    testRecordLink: async (path) => {
      const record = await cache.sample(
        path === 'client' || path === 'prospect' ? 'company' : path,
        path === 'client' || path === 'prospect' ? path : undefined,
      );
      if (!record) return { none: true };
      const url = sellsyRecordUrl(await recordLinks(), record);
      await browser.tabs.create({ url });
      return { url };
    },
    openDialer: async (from, e164, trusted) => {
      // Asked first, so that the answer is about the panel before this click opens it (a panel
      // opening takes far longer than Chrome takes to list the contexts).
      const panelWasOpen = sidePanelOpenIn(from.windowId);
      // No await before this line: Chrome allows sidePanel.open only within the click's gesture.
      const opened = sidePanel.open({ tabId: from.tabId });
      // Its failure is the dial request's to judge (`dials.open`), or nobody's when refused below.
      opened.catch(() => undefined);
      // A refused sender can only be this extension's own content script on a page it no longer
      // runs on: it gets an empty panel at most.
      if (trusted && !(await trusted)) throw new Error('Refused openDialer: untrusted sender');
      return { outcome: await dials.open(from, e164, opened, panelWasOpen) };
    },
    claimDial: async (id, by) => (await dials.claim(id, by)) ?? null,
    giveUpDial: (id, reason, by) => dials.giveUp(id, reason, by),
    dialerEvent: async (event) => {
      if (event.type === 'ready') await dialerSeenReady();
      else if (event.type === 'call' || event.type === 'missed') {
        // Noted first: the poll the call starts may find it in Allo, and it is one call.
        if (event.type === 'missed' && event.e164) await missedCalls.fromDialer(event.e164);
        // Calling the number returns its missed calls: their notifications are no longer news.
        if (event.type === 'call' && event.direction === 'outgoing' && event.e164) await missedCalls.calledBack(event.e164);
        await schedule.callSeen();
        await burst.callSeen();
      }
    },
    numberRecords: async (e164) => numberRecords(cache, await recordLinks(), e164),
    callHistory: (e164) => history.forNumber(e164),
    searchRecords: async (query) => searchRecords(cache, await recordLinks(), query),
    createContact: (input) => newContacts(input),
    callNote: (request) => panelNotes.open(request),
    saveCallNote: (id, text, outcome) => panelNotes.save(id, text, outcome),
    createFollowUp: (input) => followUps.request(input),
    retryFollowUp: async (id) => (await followUps.retry(id)) ?? null,
    openSearch: async (windowId) => {
      // No await before this line: the shortcut's gesture allows sidePanel.open only now.
      const opened = sidePanel.open({ windowId });
      // Its failure is reported once, below, not as an unhandled rejection meanwhile.
      opened.catch(() => undefined);
      await searchFocusItem.setValue(Date.now());
      await opened;
    },
    callBack: async (e164, windowId) => {
      // No await before this line: the notification click's gesture allows sidePanel.open only now.
      const opened = windowId === undefined ? Promise.reject(new Error('No browser window was in front')) : sidePanel.open({ windowId });
      opened.catch(() => undefined);
      const request = { id: crypto.randomUUID(), e164, at: Date.now() };
      await callBackItem.setValue(windowId === undefined ? request : { ...request, windowId });
      try {
        await opened;
        // The notification may be clicked while another window is in front: the panel opened
        // in the notified one, which comes forward with it.
        if (windowId !== undefined) await browser.windows.update(windowId, { focused: true }).catch(() => undefined);
      } catch {
        // That window is closed, or Chrome would not open the panel: the dialer in a window of
        // its own takes the number (a request for no window is that window's).
        await callBackItem.setValue(request);
        await openDialerWindow();
      }
    },
    openInSellsy: async (e164, windowId) => {
      const [record] = (await numberRecords(cache, await recordLinks(), e164)).records;
      if (!record) return;
      // The window in front now, else the one in front when the call was notified.
      const target = (await frontWindow()) ?? windowId;
      if (target === undefined) {
        await browser.tabs.create({ url: record.url });
        return;
      }
      await openRecord(record.url, target, chromeRecordTabs(browser)).catch(() => browser.tabs.create({ url: record.url }));
      await browser.windows.update(target, { focused: true }).catch(() => undefined);
    },
    getStatus: async (options) => {
      if (!(await firstPolicyAnswer.answeredWithin(POLICY_WAIT_MS))) {
        const assumed = await connectionsBeforePolicy.status();
        // Once Chrome answered, the popup asks again (it watches this item) where the policy
        // changed what it was shown, or to add the rhythm, which needs the policy's hosts (is a
        // Sellsy tab open?); a page redrawn for nothing may lose what a person was doing.
        void firstPolicyAnswer
          .answered()
          .then(() => connections.status())
          .then(async (known) => {
            const changed = JSON.stringify([known.sellsy, known.allo]) !== JSON.stringify([assumed.sellsy, assumed.allo]);
            if (changed || (await withRhythm(known)) !== known) await policyAnsweredAt.setValue(Date.now());
          })
          .catch(() => undefined);
        return { ...assumed, policyPending: true };
      }
      return withRhythm(await connections.status(options));
    },
    connectSellsy: async () => {
      const result = await connections.connectSellsy();
      // The first sync starts as soon as Sellsy is connected.
      if (result.ok) void syncIfConnected();
      return result;
    },
    disconnectSellsy: () => connections.disconnectSellsy(),
    getSellsyClient: () => connections.sellsyClientView(),
    setSellsyClient: (client) => connections.setSellsyClient(client),
    testSellsyAccess: () => connections.testSellsyAccess(),
    setAlloApiKey: async (key) => {
      const result = await connections.setAlloKey(key);
      // Find whose calls to log, and the first ones, without waiting for the alarm.
      if (result.ok) {
        await alloUserMiss.removeValue();
        void logging.pollNow();
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
      void logging.pollNow();
    },
  };
}
