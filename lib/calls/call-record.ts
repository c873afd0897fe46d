import type { RecordKind } from '../cache/schema';

// The call log: what this browser found in Allo and where logging each call in Sellsy stands.
// Stored in the cache database (lib/cache/schema.ts) and worked through by lib/calls/pipeline.ts.

export type CallState = 'pending' | 'synced' | 'contact_not_found' | 'contact_deleted' | 'integration_disconnected' | 'failed';

/**
 * One Sellsy record a call is logged on: `todo → posting → posted → done`. `posting` is saved
 * before the POST; `posted` once Sellsy gave an id (or a copy was found); `done` once copies made
 * by other browsers were settled, which waits until Sellsy's search has caught up with writes.
 * `adopted` (instead of posting): Allo's own Sellsy integration had already logged the call on
 * the record; that Phone Call is the pair's, and it is theirs: never edited or deleted by us.
 * `gone`: Sellsy answered that the record was deleted; the call's other targets go on without it.
 */
export interface CallLogTarget {
  key: string;
  kind: RecordKind;
  sellsyId: number;
  name: string;
  /** What the Phone Call relates to: the record, and its company when the company matched too. */
  related: Array<{ type: RecordKind; id: number }>;
  state: 'todo' | 'posting' | 'posted' | 'done' | 'adopted' | 'gone';
  /** When the first POST left: a reconciliation searches for copies created since. */
  firstAttemptAt?: number;
  /** When the last POST left (a copy it made may not be searchable yet). */
  attemptAt?: number;
  /** When it became `posted`: copies are settled once Sellsy's search has caught up. */
  postedAt?: number;
  /**
   * Sellsy's search may lag longer than `SEARCH_SETTLE_MS`: a `done` target is settled once more,
   * `SETTLE_RECHECK_MS` after posting, to find a copy the first settling did not see; then this is set.
   */
  rechecked?: true;
  /**
   * The integration's log this target had guessed was its own and gave back to a closer call: not
   * guessed again, or a log whose date moves between passes would go back and forth for ever.
   */
  gaveBack?: number;
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
  targets: CallLogTarget[];
  /** A lead created for an unknown number (option), reconciled like a phone call. */
  lead?: { state: 'creating' | 'done'; firstAttemptAt: number; sellsyId?: number };
  /** Set while a target is `posted`: when its copies can be settled (indexed, so a pass finds them). */
  settleAt?: number;
}
