import type { CacheDb } from '../cache/open';
import type { CallRecord, CallState } from './call-record';

// The widest UTC offset a date string may carry.
const OFFSET_MS = 14 * 3600_000;

/** The calls table: every step of a call's logging is written here before the next one starts. */
export class CallStore {
  constructor(private readonly db: Promise<CacheDb>) {}

  async get(alloId: string): Promise<CallRecord | undefined> {
    return (await this.db).get('calls', alloId);
  }

  async put(call: CallRecord): Promise<void> {
    await (await this.db).put('calls', call);
  }

  /**
   * Reads the call and writes `change(call)` in one transaction, so the poller, the pipeline and
   * Retry never write back a copy read before another's write. `change` returns undefined to
   * leave the call as it is. Returns what is stored afterwards.
   */
  async update(alloId: string, change: (call: CallRecord) => CallRecord | undefined): Promise<CallRecord | undefined> {
    const tx = (await this.db).transaction('calls', 'readwrite');
    const current = await tx.store.get(alloId);
    const next = current ? change(current) : undefined;
    if (next) await tx.store.put(next);
    await tx.done;
    return next ?? current;
  }

  /** Calls with copies that can be settled by `ms`. */
  async settleDue(ms: number): Promise<CallRecord[]> {
    return (await this.db).getAllFromIndex('calls', 'settleAt', IDBKeyRange.upperBound(ms));
  }

  /** Adds a call seen for the first time; a call already known is left as it is. */
  async addIfNew(call: CallRecord): Promise<boolean> {
    const tx = (await this.db).transaction('calls', 'readwrite');
    const known = await tx.store.getKey(call.alloId);
    if (known === undefined) await tx.store.put(call);
    await tx.done;
    return known === undefined;
  }

  async withState(state: CallState): Promise<CallRecord[]> {
    return (await this.db).getAllFromIndex('calls', 'state', state);
  }

  /** Calls dated from `ms` on (the `date` index holds Allo's ISO 8601 UTC dates). */
  async since(ms: number): Promise<CallRecord[]> {
    return (await this.db).getAllFromIndex('calls', 'date', IDBKeyRange.lowerBound(new Date(ms).toISOString()));
  }

  /** Calls dated within `spanMs` of `ms`, either way: the user's other calls near one. */
  async around(ms: number, spanMs: number): Promise<CallRecord[]> {
    // The index holds Allo's strings: one written with a UTC offset sorts up to 14 h away from
    // its instant, so the range is read that much wider and the dates compared as instants.
    const bound = IDBKeyRange.bound(new Date(ms - spanMs - OFFSET_MS).toISOString(), new Date(ms + spanMs + OFFSET_MS).toISOString());
    const near = await (await this.db).getAllFromIndex('calls', 'date', bound);
    return near.filter((call) => Math.abs(Date.parse(call.date) - ms) <= spanMs);
  }

  /** Forgets logged calls older than `ms`: the popup shows recent ones, Sellsy keeps them all. */
  async pruneSyncedBefore(ms: number): Promise<void> {
    const tx = (await this.db).transaction('calls', 'readwrite');
    let cursor = await tx.store.index('date').openCursor(IDBKeyRange.upperBound(new Date(ms).toISOString()));
    while (cursor) {
      if (cursor.value.state === 'synced') await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  }

  /** The newest calls first. */
  async recent(limit: number): Promise<CallRecord[]> {
    const calls: CallRecord[] = [];
    let cursor = await (await this.db).transaction('calls').store.index('date').openCursor(null, 'prev');
    while (cursor && calls.length < limit) {
      calls.push(cursor.value);
      cursor = await cursor.continue();
    }
    return calls;
  }

  /**
   * The newest calls with this number, or logged on one of these records (another of their
   * numbers), newest first: the side panel's history. The table holds a month of logged calls at
   * most, read newest first until `limit` are found. With `account` (a Sellsy staff id), calls
   * found while another Sellsy user was connected are not theirs and are left out; calls of an
   * install from before accounts were stamped have none and are kept.
   */
  async recentWith(e164: string, recordKeys: ReadonlySet<string>, limit: number, account?: string): Promise<CallRecord[]> {
    const calls: CallRecord[] = [];
    let cursor = await (await this.db).transaction('calls').store.index('date').openCursor(null, 'prev');
    while (cursor && calls.length < limit) {
      const call = cursor.value;
      const theirs = account === undefined || call.account === undefined || call.account === account;
      if (theirs && (call.counterpart === e164 || call.targets.some((target) => recordKeys.has(target.key)))) calls.push(call);
      cursor = await cursor.continue();
    }
    return calls;
  }

  async countErrors(): Promise<number> {
    const db = await this.db;
    const counts = await Promise.all(
      (['contact_not_found', 'contact_deleted', 'integration_disconnected', 'failed'] as const).map((state) => db.countFromIndex('calls', 'state', state)),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }
}
