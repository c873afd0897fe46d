import type { CountryCode } from 'libphonenumber-js/min';
import type { Page, RecordCache } from '../cache/records';
import { recordKey, type KindSyncState, type RecordKind } from '../cache/schema';
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
        if (state && this.now() - (state.reconciledAt ?? 0) >= RECONCILE_EVERY_MS) {
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
    const startedAt = Math.max(0, ...probes.map((probe) => probe.latest ?? 0));
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
      const reply = await listRecordsPage(this.deps.client, kind, { cursor: state.cursor, limit: this.pageSize() });
      // A short page, or no next cursor, ends it: `total` shrinks when records are deleted meanwhile.
      const done = reply.received < this.pageSize() || reply.next === null;
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

  private async incrementalSync(kind: RecordKind, pass: Pass): Promise<void> {
    const state = (await this.deps.cache.cursors())[kind];
    if (!state?.done || state.watermark === undefined) return;
    const since = Math.max(0, state.watermark - OVERLAP_MS);
    let latest = state.watermark;
    let cursor: string | null = null;
    for (;;) {
      const reply: CrmPage<RecordKind> = await searchUpdatedSince(this.deps.client, kind, since, { cursor, limit: this.pageSize() });
      for (const row of reply.rows) latest = Math.max(latest, updatedAtOf(row) ?? latest);
      const last = reply.received < this.pageSize() || reply.next === null;
      // The watermark moves only once every page is in: a stop half-way repeats the pass.
      await pass.write(this.toPage(kind, reply, pass), (previous) => (last && previous ? { ...previous, watermark: latest } : undefined));
      if (last) return;
      cursor = reply.next;
    }
  }

  /** Sellsy has no deletion marker: ask for the ids we hold and drop the ones it no longer has. */
  private async reconcile(kind: RecordKind, pass: Pass): Promise<void> {
    const ids = await this.deps.cache.idsOfKind(kind);
    for (let i = 0; i < ids.length; i += ID_SEARCH_MAX) {
      const batch = ids.slice(i, i + ID_SEARCH_MAX);
      const reply = await searchByIds(this.deps.client, kind, batch);
      const page = this.toPage(kind, reply, pass);
      // A row without a readable id may be any of them: this batch removes nothing.
      if (reply.ids) {
        const present = new Set(reply.ids);
        page.remove.push(...batch.filter((id) => !present.has(id)).map((id) => recordKey(kind, id)));
      }
      const finished = i + ID_SEARCH_MAX >= ids.length;
      await pass.write(page, (previous) => (finished && previous ? { ...previous, reconciledAt: this.now() } : undefined));
    }
    if (ids.length === 0) {
      await pass.write({ kind, put: [], remove: [] }, (previous) => (previous ? { ...previous, reconciledAt: this.now() } : undefined));
    }
  }

  private toPage<K extends RecordKind>(kind: K, reply: CrmPage<K>, pass: Pass): Page {
    pass.skipped += reply.skipped;
    const page: Page = { kind, put: [], remove: [], links: [] };
    for (const row of reply.rows) {
      const record = toCachedRecord(kind, row, pass.country);
      if (record) page.put.push(record);
      else page.remove.push(recordKey(kind, row.id));
      if (kind === 'company') page.links!.push(...companyLinks(row as RowOf<'company'>));
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

  private pageSize(): number {
    return this.deps.pageSize ?? 100;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
