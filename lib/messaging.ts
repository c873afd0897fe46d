import { defineExtensionMessaging } from '@webext-core/messaging';
import type { AddAppHostResult, AppHostsView } from './app-hosts/app-hosts';
import type { RecordLinksView, SetRecordLinksResult } from './app-hosts/record-links';
import type { NumberDescription } from './cache/describe-number';
import type { ListenResult } from './allo/recording-link';
import type { CallView } from './calls/call-view';
import type { SkippedCallsSummary } from './calls/skipped-calls';
import type { AlloUserChoice } from './calls/whose-calls';
import type { SellsyClientView } from './connection/sellsy-client';
import type { SellsyAccessTest } from './connection/sellsy-access-test';
import type { ActionResult, Status } from './connection/status';
import type { CallHistory } from './dialer/call-history';
import type { DialOutcome, DialRequest, DialTaker, FallbackReason } from './dialer/dial-requests';
import type { NewContactInput, NewContactResult } from './dialer/new-contact';
import type { NumberRecords } from './dialer/number-records';
import type { DialerEvent } from './dialer/protocol';
import type { FollowUpInput, FollowUpProblem, FollowUpView } from './follow-up/follow-up-shape';
import type { PagePolicy } from './policy/page-policy';
import type { NoteOutcome } from './notes/call-note';
import type { CallNoteView } from './notes/panel-notes';
import type { FoundRecord } from './search/search-records';
import type { RecordPath } from './sellsy/record-url';

/**
 * The typed protocol between the background and everything else. Only types may be imported
 * here: the content script bundles this file.
 */
export interface ProtocolMap {
  /** Content script: the call target is Allo's web app; open it (one reused tab). */
  openAlloWebApp(): void;
  /**
   * Content script: a click on a number, with Allo's dialer as the target. The background opens
   * the side panel on the sender's tab and answers once the dialer took the number (`opened`)
   * or could not (`fallback`: the content script follows `tel:` in the same click).
   */
  openDialer(data: { e164: string }): { outcome: DialOutcome };
  /**
   * Side panel of window `windowId`, or the dialer in a window of its own (`dialerWindow`): the
   * dialer is ready; may it dial this click's number? (null: no, it ended, or it is another's).
   */
  claimDial(data: { id: string } & DialTaker): DialRequest | null;
  /** The same dialer: it cannot take this click's number. */
  giveUpDial(data: { id: string; reason: FallbackReason } & DialTaker): void;
  /** Side panel: what Allo's dialer said (ready, signed in, a call started). */
  dialerEvent(data: { event: DialerEvent }): void;
  /** Side panel: every Sellsy record with this number, with links to them. */
  numberRecords(data: { e164: string }): NumberRecords & { more: number };
  /**
   * Side panel, while it is visible: the last calls with this number's records, the user's own
   * and the team's (one Sellsy request per record shown, reused for a minute).
   */
  callHistory(data: { e164: string }): CallHistory;
  /** Side panel: the cached records whose name or company starts with the query's words. */
  searchRecords(data: { query: string }): { records: FoundRecord[] };
  /**
   * Side panel: "Create contact" for a number no record has. Looked for by number first (never
   * two contacts); put in the cache; the number's calls not found are logged on it.
   */
  createContact(data: NewContactInput): NewContactResult;
  /**
   * Side panel: the note of the call it shows (`call`: found, or made), a note again (`id`), or
   * the latest note of the last two hours (neither): what was typed before the panel closed.
   */
  callNote(data: { call?: { e164: string; startedAt: number }; id?: string }): { note: CallNoteView | null };
  /** Side panel: what is typed in the note box, saved at once; written into Sellsy by the call log. */
  saveCallNote(data: { id: string; text: string; outcome: NoteOutcome | null }): { note: CallNoteView | null };
  /**
   * Side panel: "Call back": a Sellsy task on the record, due then, assigned to the user, created
   * once (stored first; tried again until Sellsy's answer is known). Its state is in `local:followUps`.
   */
  createFollowUp(data: FollowUpInput): { ok: true; followUp: FollowUpView } | { ok: false; problem: FollowUpProblem };
  /** Side panel: Retry on a follow-up that failed. */
  retryFollowUp(data: { id: string }): FollowUpView | null;
  /** Popup: the state of Sellsy and Allo; `verify` asks Sellsy once whether it still answers. */
  getStatus(data: { verify?: boolean }): Status;
  connectSellsy(): ActionResult;
  /** Options and guide: which Sellsy API client signs in, and the redirect URL to register (no secret). */
  getSellsyClient(): SellsyClientView;
  /** Options and guide: the company's own API client (null: the build's). A change disconnects Sellsy. */
  setSellsyClient(data: { client: { clientId: string; clientSecret?: string } | null }): ActionResult;
  /** Options: "Test the connection": a real request to Sellsy with the API access in use. */
  testSellsyAccess(): SellsyAccessTest;
  disconnectSellsy(): Status;
  setAlloApiKey(data: { key: string }): ActionResult;
  disconnectAllo(): Status;
  /** Popup: sync contacts now (returns at once; progress arrives in the status). */
  syncNow(): Status;
  /**
   * Content script: the administrator's call target and default country. The policy itself
   * holds secrets and is closed to content scripts; this is the part a page may know.
   */
  pagePolicy(): PagePolicy;
  /** Options and popup: the Sellsy app hosts added at run time (by the user or the policy). */
  listAppHosts(): AppHostsView;
  /**
   * Options and popup: add a Sellsy app host. The page asks Chrome for the host in the same
   * click (only a page can); it runs there once Chrome allows it.
   */
  addAppHost(data: { host: string }): AddAppHostResult;
  /** Options: remove a host the user added; its registration and permission go with it. */
  removeAppHost(data: { host: string }): AppHostsView;
  /** Options: where record links point (the app's address and record paths), and who set each part. */
  getRecordLinks(): RecordLinksView;
  /** Options: the user's record-link address and paths (empty: the default). */
  setRecordLinks(data: { appUrl: string; paths: Partial<Record<RecordPath, string>> }): SetRecordLinksResult;
  /** Options: "Test a link": opens one cached record of this kind with the links as they are now. */
  testRecordLink(data: { path: RecordPath }): { url: string } | { none: true };
  /** Content script: who has this number in Sellsy (names only), for the link's tooltip. */
  lookupNumber(data: { e164: string }): NumberDescription;
  /** Popup: the newest calls and where their logging stands, and the calls Allo listed that could not be read. */
  listCalls(data: { limit: number }): { calls: CallView[]; alloUser: AlloUserChoice | null; skipped: SkippedCallsSummary | null };
  /** Popup: it just opened; look for new calls now unless a look started moments ago. */
  refreshCalls(): void;
  /** Popup: put an errored call back to pending and try it at once. */
  retryCall(data: { alloId: string }): void;
  /** Popup: "Listen": open a fresh link to the call's recording in a new tab. */
  listenToRecording(data: { alloId: string }): ListenResult;
  /** Options: the Allo users one may log the calls of. */
  listAlloUsers(): Array<{ id: string; name: string; email?: string }>;
  /** Options: whose calls this browser logs (null: match by e-mail again). */
  setAlloUser(data: { user: { id: string; name: string; email?: string } | null }): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();

/** What the background tells the content scripts in open tabs (browser.tabs.sendMessage). */
export interface TabProtocolMap {
  /** The administrator changed the policy: apply its page part now, without a reload. */
  pagePolicyChanged(data: PagePolicy): void;
}

export const tabMessaging = defineExtensionMessaging<TabProtocolMap>();
