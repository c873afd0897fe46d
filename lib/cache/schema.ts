import type { DBSchema } from 'idb';
import type { CallRecord, CallState } from '../calls/call-record';
import type { NameSnapshot } from '../search/name-snapshot';

export type RecordKind = 'contact' | 'company' | 'individual';

/** A company's type in the API v2 (`type` of a company). */
export type CompanyType = 'prospect' | 'client' | 'supplier';
export const RECORD_KINDS: readonly RecordKind[] = ['contact', 'company', 'individual'];

/** A Sellsy record that has at least one callable number (docs/architecture.md). */
export interface CachedRecord {
  /** `contact:958`: the kind and Sellsy id, so duplicates across kinds stay apart. */
  key: string;
  kind: RecordKind;
  sellsyId: number;
  name: string;
  companyName?: string;
  /**
   * A company's API v2 `type`, for its link (prospects have their own path). Absent on records
   * cached before it was kept, and on unknown values: such a company links as a client.
   */
  companyType?: CompanyType;
  /** E.164, indexed: a lookup by number is one index read. */
  phones: string[];
  /** As typed in Sellsy, for display and debugging. */
  rawPhones: string[];
  /** Sellsy's last-update time (ISO 8601). */
  updated: string;
  /**
   * Archived in Sellsy (`is_archived`). Kept, so a call from someone only an archived record knows
   * still finds them, but a live record with the same number answers instead (RecordCache).
   */
  archived?: true;
}

/** A record as stored: with the words the name search reads (lib/search/name-words.ts). */
export interface StoredRecord extends CachedRecord {
  words: string[];
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
  /** An incremental pass under way, saved with each page so a stopped worker resumes it. */
  incremental?: IncrementalProgress;
  /** A reconciliation under way: the ids up to `checked` (ascending) are settled. */
  reconcile?: { checked: number };
}

export interface IncrementalProgress {
  /** Its lower bound (epoch ms, Sellsy's clock), kept while it resumes. */
  since: number;
  /** The next page's cursor. */
  cursor: string;
  /** The latest `updated` read so far (epoch ms, Sellsy's clock). */
  latest: number;
  /** When it started, by this browser's clock: only a duration is taken from it. */
  startedAt: number;
  /** Rows read so far, to compare with Sellsy's `total`. */
  received: number;
}

export type SyncCursors = Partial<Record<RecordKind, KindSyncState>>;

/**
 * A company's main, invoicing or dunning contact: how a contact gets its company's name. A contact
 * several companies name (a group's accountant) has one link each; she shows the one of the
 * lowest company id, so every browser shows the same.
 */
export interface ContactCompany {
  contactId: number;
  companyId: number;
  companyName: string;
}

export interface AlloDb extends DBSchema {
  calls: {
    key: string;
    value: CallRecord;
    indexes: { state: CallState; date: string; settleAt: number };
  };
  records: {
    key: string;
    value: StoredRecord;
    indexes: { phones: string; kind: RecordKind };
  };
  /**
   * The name search's snapshot (`names`, lib/search/name-snapshot.ts) and the change-log
   * sequence number it includes (`upTo`, kept apart so a writer need not read the snapshot).
   */
  searchIndex: {
    key: 'names' | 'upTo';
    value: NameSnapshot | number;
  };
  /**
   * Keys of records changed since the snapshot, each in the transaction that changed it; `*`:
   * everything may have changed (the cache was cleared, or the log grew too long to replay).
   */
  searchChanges: {
    key: number;
    value: string;
  };
  /** Keyed by [contactId, companyId]: a contact may be named by several companies at once. */
  contactCompanies: {
    key: [number, number];
    value: ContactCompany;
    indexes: { companyId: number; contactId: number };
  };
  /** `sync`: the sync cursors; `generation`: how many times the cache was cleared (see RecordCache). */
  meta: {
    key: 'sync' | 'generation';
    value: SyncCursors | number;
  };
}

export const DB_NAME = 'allo-for-sellsy';
export const DB_VERSION = 7;

export function recordKey(kind: RecordKind, sellsyId: number): string {
  return `${kind}:${sellsyId}`;
}
