import type { AlloCallItem, AlloClient } from '../allo/calls-client';
import type { CallRecord } from '../cache/schema';
import { toE164 } from '../phone/find-numbers';
import type { CallStore } from './call-store';
import { SUMMARY_WATCH_MS } from './pipeline';

export interface PollState {
  userId: string;
  /** Calls dated before this (minus the overlap) were seen by an earlier poll (epoch ms). */
  watermark: number;
}

export interface PollerDeps {
  allo: AlloClient;
  calls: CallStore;
  loadState: () => Promise<PollState | null>;
  saveState: (state: PollState) => Promise<void>;
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60_000;
// Allo has no "since" filter and a call may show up after a later one: look back a little.
export const POLL_OVERLAP_MS = 5 * 60_000;

/**
 * Finds the user's new Allo calls: whole days from the watermark's to tomorrow (Allo filters
 * by day), newest first, paging until the calls are older than the watermark; each new call
 * is written before anything else happens to it. Then re-reads the summaries still awaited.
 */
export class CallPoller {
  constructor(private readonly deps: PollerDeps) {}

  /** `since`: where a first poll starts (connection time, minus the back-fill window). */
  async poll(userId: string, since: number): Promise<number> {
    const startedAt = this.now();
    const previous = await this.deps.loadState();
    const watermark = previous && previous.userId === userId ? previous.watermark : since;
    const floor = watermark - POLL_OVERLAP_MS;
    let added = 0;
    for (let page = 1; page <= 50; page++) {
      const { items, hasMore } = await this.deps.allo.searchCalls({
        // A day either side: Allo's day boundaries follow a time zone it does not document.
        from: isoDay(floor - DAY_MS),
        to: isoDay(startedAt + DAY_MS),
        userId,
        page,
      });
      for (const item of items) {
        if (Date.parse(item.date) < floor || item.user?.id !== userId) continue;
        const call = toCallRecord(item, userId, this.now());
        if (call && (await this.deps.calls.addIfNew(call))) added++;
      }
      const oldest = items.at(-1);
      if (!hasMore || !oldest || Date.parse(oldest.date) < floor) break;
    }
    await this.deps.saveState({ userId, watermark: startedAt });
    await this.refreshSummaries();
    return added;
  }

  /** Summaries come after the call: re-read the calls still without one (for 24 h). */
  private async refreshSummaries(): Promise<void> {
    const awaited = [...(await this.deps.calls.withState('pending')), ...(await this.deps.calls.withState('synced'))].filter(
      (call) => call.summary === null && this.now() - Date.parse(call.date) < SUMMARY_WATCH_MS,
    );
    for (let i = 0; i < awaited.length; i += 100) {
      const batch = awaited.slice(i, i + 100);
      const fresh = new Map((await this.deps.allo.batch(batch.map((call) => call.alloId))).map((item) => [item.id, item]));
      for (const call of batch) {
        const summary = fresh.get(call.alloId)?.summary;
        if (!summary) continue;
        const latest = await this.deps.calls.get(call.alloId);
        if (!latest || latest.summary === summary) continue;
        // A call waiting for its summary can go now.
        await this.deps.calls.put({ ...latest, summary, ...(latest.waitingFor === 'summary' ? { nextAttemptAt: 0 } : {}) });
      }
    }
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function toCallRecord(item: AlloCallItem, userId: string, now: number): CallRecord | undefined {
  const counterpart = item.contact_number.startsWith('+') ? item.contact_number : toE164(item.contact_number);
  if (!counterpart) return undefined;
  const name = item.contacts?.find((contact) => contact.name)?.name ?? undefined;
  return {
    alloId: item.id,
    direction: item.direction,
    alloNumber: item.allo_number ?? '',
    counterpart,
    ...(name ? { counterpartName: name } : {}),
    date: item.date,
    durationS: item.duration ?? null,
    result: item.result ?? null,
    summary: item.summary ?? null,
    recordingUrl: item.recording_url ?? null,
    userId,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    firstSeenAt: now,
    targets: [],
  };
}
