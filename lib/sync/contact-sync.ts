import type { CountryCode } from 'libphonenumber-js/min';
import type { Page, RecordCache } from '../cache/records';
import { recordKey, type IncrementalProgress, type KindSyncState, type RecordKind } from '../cache/schema';
import type { SellsyClient } from '../sellsy/api-client';
import { countRecords, ID_SEARCH_MAX, listRecordsPage, searchByIds, searchUpdatedSince, type CrmPage } from '../sellsy/crm-pages';
import { companyLinks, toCachedRecord, updatedAtOf, type RowOf } from '../sellsy/crm-records';
import { SellsyError } from '../sellsy/errors';
import type { SyncStatus } from './status';

export interface ContactSyncDeps {
  cache: RecordCache;
  client: SellsyClient;
  country: () => Promise<CountryCode>;
  /** Saves what the popup shows (merged into the previous status). */
  report: (status: Partial<SyncStatus>) => Promise<void>;
  now?: () => number;
  pageSize?: number;
}

// Companies first, so contacts written later find their company's name.
const ORDER: readonly RecordKind[] = ['company', 'individual', 'contact'];
// Watermarks are read from Sellsy's own dates, never this browser's clock (which may be off by
// minutes). Incremental syncs still look back past theirs: a record saved while a pass ran may
// carry a time earlier than the latest one that pass read.
export const OVERLAP_MS = 10 * 60_000;
export const RECONCILE_EVERY_MS = 24 * 60 * 60_000;
// Yet a Sellsy date beyond this browser's clock by more than any clock is off (a row an import
// dated 2099) would move a watermark past every change to come: such a date is not believed, and
// the watermark falls back to a day before this browser's time, which re-reads more, never less.
export const MAX_CLOCK_SKEW_MS = 24 * 60 * 60_000;

/** The cache was cleared while this pass ran: its pages must not land in the new generation. */
class Superseded extends Error {}

/** What one pass carries from page to page. */
interface Pass {
  country: CountryCode;
  /** Writes a page unless the cache was cleared since the pass started (then the pass stops). */
  write(page: Page, state: (previous: KindSyncState | undefined) => KindSyncState | undefined): Promise<void>;
  /** Says nothing once the cache was cleared: the status then belongs to another connection. */
  report(status: Partial<SyncStatus>): Promise<void>;
  /** Rows Sellsy sent that could not be read, skipped rather than stopping the sync. */
  skipped: number;
}

/**
 * Mirrors Sellsy's contacts, companies and individuals that have a callable number, one way:
 * a full first sync that resumes from its saved cursor, then incremental syncs from a
 * watermark, and a daily reconciliation that drops what was deleted in Sellsy.
 */
export class ContactSync {
  private pass: { generation: number; done: Promise<void> } | undefined;

  constructor(private readonly deps: ContactSyncDeps) {}

  /** One pass; concurrent callers share it. Errors end up in the status, never thrown. */
  async run(): Promise<void> {
    const generation = await this.deps.cache.generation();
    // A pass started before the cache was cleared (Sellsy disconnected meanwhile) is not this
    // caller's: it stops at its next page; wait for it, then sync what is connected now.
    while (this.pass && this.pass.generation !== generation) await this.pass.done;
    if (!this.pass) {
      const done = this.runOnce(generation).finally(() => {
        this.pass = undefined;
      });
      this.pass = { generation, done };
    }
    return this.pass.done;
  }

  private async runOnce(generation: number): Promise<void> {
    const { cache } = this.deps;
    const current = async () => (await cache.generation()) === generation;
    try {
      const pass: Pass = {
        country: await this.deps.country(),
        write: async (page, state) => {
          if (!(await cache.writePage(page, state, generation))) throw new Superseded();
        },
        report: async (status) => {
          if (await current()) await this.deps.report(status);
        },
        skipped: 0,
      };
      if (await this.fullSyncPending()) {
        await pass.report({ running: true, phase: 'full' });
        await this.countTotals(pass);
        for (const kind of ORDER) await this.fullSync(kind, pass);
      }
      await pass.report({ running: true, phase: 'incremental', done: undefined, total: undefined });
      for (const kind of ORDER) await this.incrementalSync(kind, pass);
      for (const kind of ORDER) {
        const state = (await cache.cursors())[kind];
        // Due once a day, and resumed at once when a stopped worker left one half done.
        if (state && (state.reconcile || this.now() - (state.reconciledAt ?? 0) >= RECONCILE_EVERY_MS)) {
          await pass.report({ running: true, phase: 'reconcile' });
          await this.reconcile(kind, pass);
        }
      }
      await pass.report({
        running: false,
        phase: undefined,
        lastSuccessAt: this.now(),
        lastError: undefined,
        skipped: pass.skipped || undefined,
        cached: await cache.count(),
      });
    } catch (error) {
      if (error instanceof Superseded || !(await current())) return;
      const failure = error instanceof SellsyError ? error : new SellsyError('request', error instanceof Error ? error.message : String(error));
      await this.deps.report({
        running: false,
        phase: undefined,
        lastError: { code: failure.code, message: failure.message, at: this.now() },
        cached: await cache.count(),
      });
    }
  }

  private async fullSyncPending(): Promise<boolean> {
    const cursors = await this.deps.cache.cursors();
    return ORDER.some((kind) => !cursors[kind]?.done);
  }

  /**
   * One tiny request per kind not yet started, so progress reads "1,200 of 48,000" from the start.
   * Each asks for the latest-dated record: the newest of those dates is a time Sellsy's clock had
   * already reached, so whatever changes from now on carries a later `updated`.
   */
  private async countTotals(pass: Pass): Promise<void> {
    const started = await this.deps.cache.cursors();
    const probes: Array<{ kind: RecordKind; total: number; latest: number | undefined }> = [];
    for (const kind of ORDER) {
      if (started[kind]) continue;
      probes.push({ kind, ...(await countRecords(this.deps.client, kind)) });
    }
    // No date at all (an empty account): everything found later is new.
    const startedAt = Math.max(
      0,
      ...probes.map((probe) => (probe.latest === undefined ? 0 : (this.believable(probe.latest) ?? this.now() - MAX_CLOCK_SKEW_MS))),
    );
    for (const { kind, total } of probes) {
      const fresh: KindSyncState = { cursor: null, done: false, seen: 0, total, startedAt };
      await pass.write({ kind, put: [], remove: [] }, (previous) => previous ?? fresh);
    }
    await this.reportFullProgress(pass);
  }

  private async fullSync(kind: RecordKind, pass: Pass): Promise<void> {
    const cursors = await this.deps.cache.cursors();
    let state: KindSyncState = cursors[kind] ?? { cursor: null, done: false, seen: 0, startedAt: 0 };
    while (!state.done) {
      const request = { cursor: state.cursor, limit: this.pageSize() };
      const reply = await askOnceMoreIfEmpty(() => listRecordsPage(this.deps.client, kind, request), state.seen);
      notStalled(reply, state.cursor);
      const done = isLastPage(reply, state.seen + reply.received, this.pageSize());
      const next: KindSyncState = {
        ...state,
        cursor: reply.next ?? state.cursor,
        seen: state.seen + reply.received,
        total: reply.total,
        done,
        // Whatever changed while this full sync ran is picked up by the first incremental one.
        ...(done ? { watermark: state.startedAt, reconciledAt: this.now() } : {}),
      };
      await pass.write(this.toPage(kind, reply, pass), () => next);
      state = next;
      await this.reportFullProgress(pass);
    }
  }

  /**
   * Everything changed since the watermark (minus the overlap), page by page. Each page is saved
   * with where the pass stands, so a worker stopped mid-way resumes it at the next page.
   */
  private async incrementalSync(kind: RecordKind, pass: Pass): Promise<void> {
    const state = (await this.deps.cache.cursors())[kind];
    if (!state?.done || state.watermark === undefined) return;
    const watermark = this.believable(state.watermark) ?? this.now() - MAX_CLOCK_SKEW_MS;
    let progress: IncrementalProgress | undefined = state.incremental;
    const since = progress?.since ?? Math.max(0, watermark - OVERLAP_MS);
    const startedAt = progress?.startedAt ?? this.now();
    for (;;) {
      const request = { cursor: progress?.cursor ?? null, limit: this.pageSize() };
      const reply = await askOnceMoreIfEmpty(() => searchUpdatedSince(this.deps.client, kind, since, request), progress?.received ?? 0);
      notStalled(reply, request.cursor);
      let latest = progress?.latest ?? watermark;
      for (const row of reply.rows) latest = Math.max(latest, this.believable(updatedAtOf(row)) ?? latest);
      const received = (progress?.received ?? 0) + reply.received;
      const last = isLastPage(reply, received, this.pageSize());
      // A record saved behind the cursor while this pass ran carries a date from within the
      // pass, which may be well before `latest`: the next look-back covers the pass's length.
      const next: IncrementalProgress | undefined = last ? undefined : { since, cursor: reply.next!, latest, startedAt, received };
      const watermarkAfter = Math.max(watermark, latest - (this.now() - startedAt));
      await pass.write(this.toPage(kind, reply, pass), (previous) => {
        if (!previous) return undefined;
        const { incremental: _, ...rest } = previous;
        return last ? { ...rest, watermark: watermarkAfter } : { ...rest, incremental: next };
      });
      if (last) return;
      progress = next;
    }
  }

  /**
   * Sellsy has no deletion marker: ask for the ids we hold, 100 at a time, and drop the ones it no
   * longer has. Each batch is saved with the last id it settled, so a stopped worker resumes after it.
   */
  private async reconcile(kind: RecordKind, pass: Pass): Promise<void> {
    const checked = (await this.deps.cache.cursors())[kind]?.reconcile?.checked ?? 0;
    const held = await this.deps.cache.idsOfKind(kind);
    const known = kind === 'company' ? [...new Set([...held, ...(await this.deps.cache.linkedCompanyIds())])].sort((a, b) => a - b) : held;
    const ids = known.filter((id) => id > checked);
    for (let i = 0; i < ids.length; i += ID_SEARCH_MAX) {
      const batch = ids.slice(i, i + ID_SEARCH_MAX);
      const page = await this.reconcileBatch(kind, batch, pass);
      const finished = i + ID_SEARCH_MAX >= ids.length;
      const upTo = batch[batch.length - 1]!;
      await pass.write(page, (previous) => {
        if (!previous) return undefined;
        const { reconcile: _, ...rest } = previous;
        return finished ? { ...rest, reconciledAt: this.now() } : { ...rest, reconcile: { checked: upTo } };
      });
    }
    if (ids.length === 0) {
      await pass.write({ kind, put: [], remove: [] }, (previous) => {
        if (!previous) return undefined;
        const { reconcile: _, ...rest } = previous;
        return { ...rest, reconciledAt: this.now() };
      });
    }
  }

  /**
   * One batch of ids, every page of Sellsy's answer read. An id is dropped only when the answer
   * can be trusted whole: every row named its id, every page gave the same `total` (nothing was
   * deleted while it was read), Sellsy moved on from page to page, and exactly `total` of the ids
   * asked came back. Anything else drops nothing: a record wrongly dropped would not come back
   * until someone edits it in Sellsy, while one kept too long goes at the next reconciliation.
   */
  private async reconcileBatch(kind: RecordKind, batch: number[], pass: Pass): Promise<Page> {
    const page: Page = { kind, put: [], remove: [], companies: [] };
    const asked = new Set(batch);
    const present = new Set<number>();
    const totals = new Set<number>();
    let trusted = true;
    let received = 0;
    let cursor: string | null = null;
    for (;;) {
      const reply: CrmPage<RecordKind> = await searchByIds(this.deps.client, kind, batch, cursor);
      const read = this.toPage(kind, reply, pass);
      page.put.push(...read.put);
      page.remove.push(...read.remove);
      page.companies!.push(...(read.companies ?? []));
      if (reply.ids)
        for (const id of reply.ids)
          if (asked.has(id)) present.add(id);
          else trusted = false;
      totals.add(reply.total);
      received += reply.received;
      if (stalled(reply, cursor)) {
        trusted = false;
        break;
      }
      // The answer holds at most the ids asked: past that many rows, reading on is paging through
      // whatever Sellsy sends instead (a filter it ignored), with nothing more to learn.
      if (received >= batch.length || isLastPage(reply, received, ID_SEARCH_MAX)) break;
      cursor = reply.next;
    }
    if (trusted && totals.size === 1 && totals.has(present.size)) {
      const gone = batch.filter((id) => !present.has(id));
      page.remove.push(...gone.map((id) => recordKey(kind, id)));
      if (kind === 'company') page.companies!.push(...gone.map((companyId) => ({ companyId, links: [] })));
    }
    return page;
  }

  private toPage<K extends RecordKind>(kind: K, reply: CrmPage<K>, pass: Pass): Page {
    pass.skipped += reply.skipped;
    const page: Page = { kind, put: [], remove: [], companies: [] };
    for (const row of reply.rows) {
      const record = toCachedRecord(kind, row, pass.country);
      if (record) page.put.push(record);
      else page.remove.push(recordKey(kind, row.id));
      if (kind === 'company') page.companies!.push({ companyId: row.id, links: companyLinks(row as RowOf<'company'>) });
    }
    // A row that can no longer be read says nothing true about the record: its old numbers and
    // links must not keep answering. It comes back once Sellsy sends a row that can be read.
    for (const id of reply.unreadable) {
      page.remove.push(recordKey(kind, id));
      if (kind === 'company') page.companies!.push({ companyId: id, links: [] });
    }
    return page;
  }

  private async reportFullProgress(pass: Pass): Promise<void> {
    const cursors = await this.deps.cache.cursors();
    const states = ORDER.map((kind) => cursors[kind]);
    const done = states.reduce((sum, state) => sum + (state?.seen ?? 0), 0);
    const known = states.every((state) => state?.total !== undefined);
    const total = states.reduce((sum, state) => sum + (state?.total ?? 0), 0);
    await pass.report({ running: true, phase: 'full', done, ...(known ? { total } : { total: undefined }) });
  }

  /** A Sellsy date, unless it is further ahead of this browser's clock than any clock is off. */
  private believable(date: number | undefined): number | undefined {
    return date !== undefined && date <= this.now() + MAX_CLOCK_SKEW_MS ? date : undefined;
  }

  private pageSize(): number {
    return this.deps.pageSize ?? 100;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

/**
 * Whether a page ends its list: no next cursor, an empty page, or a short one once Sellsy's
 * `total` is reached. A short page alone is not the end: Sellsy may answer fewer rows than asked.
 * A page is short against the smaller of the size asked and the size Sellsy says it applied: a
 * page as large as Sellsy's own page size is full, whatever its `total` says.
 */
function isLastPage(reply: CrmPage<RecordKind>, receivedSoFar: number, limit: number): boolean {
  return reply.next === null || reply.received === 0 || (reply.received < Math.min(limit, reply.limit) && receivedSoFar >= reply.total);
}

/**
 * One page, asked once more when Sellsy answers it empty although its own `total` says rows are
 * still to come: ending the list there would leave them unread for good (a first sync marked done
 * without them, an incremental watermark moved past them). Empty again, it is the end: a `total`
 * counting rows a list never returns must not stall every sync.
 */
async function askOnceMoreIfEmpty(ask: () => Promise<CrmPage<RecordKind>>, receivedBefore: number): Promise<CrmPage<RecordKind>> {
  const reply = await ask();
  if (reply.received > 0 || reply.next === null || receivedBefore >= reply.total) return reply;
  return ask();
}

/**
 * Whether Sellsy answered rows yet named the cursor it was asked with as the next one: the same
 * page would come again, for ever (an ignored offset, a numeric offset that does not advance).
 */
function stalled(reply: CrmPage<RecordKind>, asked: string | null): boolean {
  return reply.received > 0 && reply.next !== null && reply.next === asked;
}

/**
 * Stops a full or incremental pass that Sellsy does not move on: its progress stays where it was,
 * the popup shows the error, and the next alarm asks again instead of paging for ever.
 */
function notStalled(reply: CrmPage<RecordKind>, asked: string | null): void {
  if (stalled(reply, asked)) throw new SellsyError('invalid-response', 'Sellsy answered the same page again instead of the next one.');
}
