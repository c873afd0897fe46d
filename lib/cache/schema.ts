import type { DBSchema } from 'idb';

export type RecordKind = 'contact' | 'company' | 'individual';
export const RECORD_KINDS: readonly RecordKind[] = ['contact', 'company', 'individual'];

/** A Sellsy record that has at least one callable number (docs/architecture.md). */
export interface CachedRecord {
  /** `contact:958`: the kind and Sellsy id, so duplicates across kinds stay apart. */
  key: string;
  kind: RecordKind;
  sellsyId: number;
  name: string;
  companyName?: string;
  /** E.164, indexed: a lookup by number is one index read. */
  phones: string[];
  /** As typed in Sellsy, for display and debugging. */
  rawPhones: string[];
  /** Sellsy's last-update time (ISO 8601). */
  updated: string;
}

/** Where a full sync of one kind stands, saved with each page so a stopped worker resumes. */
export interface KindSyncState {
  /** The next page's cursor; null before the first page. */
  cursor: string | null;
  done: boolean;
  seen: number;
  total?: number;
  /**
   * When this full sync started by Sellsy's clock (epoch ms): the latest record date Sellsy had
   * then. The first incremental sync looks back to it.
   */
  startedAt: number;
  /** Lower bound for the next incremental sync (epoch ms by Sellsy's clock, before the overlap). */
  watermark?: number;
  reconciledAt?: number;
}

export type SyncCursors = Partial<Record<RecordKind, KindSyncState>>;

/** A company's main, invoicing or dunning contact: how a contact gets its company's name. */
export interface ContactCompany {
  contactId: number;
  companyId: number;
  companyName: string;
}

export type CallState =
  | 'pending'
  | 'synced'
  | 'contact_not_found'
  | 'contact_deleted'
  | 'integration_disconnected'
  | 'failed';

/**
 * One Sellsy record a call is logged on: `todo → posting → posted → done`. `posting` is saved
 * before the POST; `posted` once Sellsy gave an id (or a copy was found); `done` once copies made
 * by other browsers were settled, which waits until Sellsy's search has caught up with writes.
 */
export interface CallTarget {
  key: string;
  kind: RecordKind;
  sellsyId: number;
  name: string;
  /** What the Phone Call relates to: the record, and its company when the company matched too. */
  related: Array<{ type: RecordKind; id: number }>;
  state: 'todo' | 'posting' | 'posted' | 'done';
  /** When the first POST left: a reconciliation searches for copies created since. */
  firstAttemptAt?: number;
  /** When the last POST left (a copy it made may not be searchable yet). */
  attemptAt?: number;
  /** When it became `posted`: copies are settled once Sellsy's search has caught up. */
  postedAt?: number;
  sellsyPhoneCallId?: number;
  /** The summary the posted description holds (null: "not available yet"). */
  postedSummary?: string | null;
}

/** One of the user's Allo calls and where its logging stands. */
export interface CallRecord {
  alloId: string;
  direction: 'INBOUND' | 'OUTBOUND';
  alloNumber: string;
  /** The other party, E.164. */
  counterpart: string;
  /** Allo's contact name for the number, when Allo knows one (names a new lead). */
  counterpartName?: string;
  date: string;
  durationS: number | null;
  result: 'ANSWERED' | 'VOICEMAIL' | 'TRANSFERRED' | null;
  summary: string | null;
  recordingUrl: string | null;
  userId: string;
  /** The Sellsy staff the call is logged as: a call of another account is left alone. */
  account?: string;
  state: CallState;
  /** Why a pending call waits. */
  waitingFor?: 'summary' | 'contact' | 'retry' | 'reconnect';
  error?: { code: string; message: string };
  attempts: number;
  nextAttemptAt: number;
  firstSeenAt: number;
  /** When the user last pressed Retry: a retry that still finds no contact says so at once. */
  retriedAt?: number;
  /** Match the number again before posting (after Retry). */
  replan?: boolean;
  targets: CallTarget[];
  /** A lead created for an unknown number (option), reconciled like a phone call. */
  lead?: { state: 'creating' | 'done'; firstAttemptAt: number; sellsyId?: number };
  /** Set while a target is `posted`: when its copies can be settled (indexed, so a pass finds them). */
  settleAt?: number;
}

export interface AlloDb extends DBSchema {
  calls: {
    key: string;
    value: CallRecord;
    indexes: { state: CallState; date: string; settleAt: number };
  };
  records: {
    key: string;
    value: CachedRecord;
    indexes: { phones: string; kind: RecordKind };
  };
  contactCompanies: {
    key: number;
    value: ContactCompany;
  };
  /** `sync`: the sync cursors; `generation`: how many times the cache was cleared (see RecordCache). */
  meta: {
    key: 'sync' | 'generation';
    value: SyncCursors | number;
  };
}

export const DB_NAME = 'allo-for-sellsy';
export const DB_VERSION = 3;

export function recordKey(kind: RecordKind, sellsyId: number): string {
  return `${kind}:${sellsyId}`;
}
