import type { AlloCallItem, AlloClient, SkippedCallItem } from '../allo/api-client';
import type { CallRecord } from '../cache/schema';
import { toE164 } from '../phone/find-numbers';
import type { CallStore } from './call-store';
import { SUMMARY_WATCH_MS } from './pipeline';

export interface PollState {
  userId: string;
  /** Where logging starts: calls dated before it are never logged (no back-fill). */
  since: number;
  /** When the last poll started (epoch ms). */
  watermark: number;
}

export interface PollerDeps {
  allo: AlloClient;
  calls: CallStore;
  loadState: () => Promise<PollState | null>;
  saveState: (state: PollState) => Promise<void>;
  /** The user's calls Allo listed that cannot be logged (shown in the popup). */
  noteSkipped?: (items: SkippedCallItem[]) => Promise<void>;
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60_000;
/**
 * Allo dates a call when it starts but may list it only once it ends, after calls that started
 * later: each poll looks this far back before its watermark. Calls already known are skipped.
 */
export const POLL_LOOKBACK_MS = 4 * 60 * 60_000;
// Allo's clock and ours differ, and its dates have whole seconds: a call made as the user
// connected counts.
const SINCE_SLACK_MS = 2 * 60_000;

/**
 * Finds the user's new Allo calls: whole days from the lookback's to tomorrow (Allo filters by
 * day), newest first, paging until the calls are older than the lookback; each new call is
 * written before anything else happens to it. Then re-reads the calls not settled yet.
 */
export class CallPoller {
  constructor(private readonly deps: PollerDeps) {}

  /** `since`: where a first poll starts (connection time, minus the back-fill window). */
  async poll(userId: string, since: number): Promise<number> {
    const startedAt = this.now();
    const previous = await this.deps.loadState();
    const state = previous && previous.userId === userId && typeof previous.since === 'number' ? previous : { userId, since, watermark: since };
    const floor = Math.max(state.since, state.watermark - POLL_LOOKBACK_MS);
    let added = 0;
    const unloggable: SkippedCallItem[] = [];
    for (let page = 1; page <= 50; page++) {
      const { items, skipped, hasMore } = await this.deps.allo.searchCalls({
        // A day either side: Allo's day boundaries follow a time zone it does not document.
        from: isoDay(floor - DAY_MS),
        to: isoDay(startedAt + DAY_MS),
        userId,
        page,
      });
      for (const item of items) {
        if (Date.parse(item.date) < state.since - SINCE_SLACK_MS || item.user?.id !== userId) continue;
        const call = toCallRecord(item, userId, this.now());
        if (!call) {
          unloggable.push({ id: item.id, userId, reason: `contact_number = ${JSON.stringify(item.contact_number)}` });
          continue;
        }
        if (await this.deps.calls.addIfNew(call)) added++;
      }
      unloggable.push(...skipped.filter((item) => item.userId === undefined || item.userId === userId));
      const oldest = items.at(-1);
      if (!hasMore || !oldest || Date.parse(oldest.date) < floor) break;
    }
    await this.deps.saveState({ ...state, watermark: startedAt });
    await this.deps.noteSkipped?.(unloggable);
    await this.refreshUnsettled();
    return added;
  }

  /**
   * What Allo completes after the call (the summary, for 24 h) or corrects while a call is not
   * posted yet (result, duration, recording): re-read with `items/batch`.
   */
  private async refreshUnsettled(): Promise<void> {
    const recent = await this.deps.calls.since(this.now() - SUMMARY_WATCH_MS);
    // A missed call never gets a summary (as the pipeline reckons): not re-read every minute for it.
    const awaitsSummary = (call: CallRecord) => call.summary === null && call.result !== null && (call.durationS ?? 0) > 0;
    const unsettled = recent.filter((call) => call.state === 'pending' || (call.state === 'synced' && awaitsSummary(call)));
    for (let i = 0; i < unsettled.length; i += 100) {
      const batch = unsettled.slice(i, i + 100);
      const fresh = new Map((await this.deps.allo.batch(batch.map((call) => call.alloId))).map((item) => [item.id, item]));
      for (const call of batch) {
        const item = fresh.get(call.alloId);
        if (!item) continue;
        const latest = await this.deps.calls.get(call.alloId);
        if (!latest) continue;
        const update: Partial<CallRecord> = {};
        if (item.summary && latest.summary !== item.summary) update.summary = item.summary;
        if (latest.targets.every((target) => target.state === 'todo')) {
          const reread = toCallRecord(item, latest.userId, latest.firstSeenAt);
          if (reread && (reread.result !== latest.result || reread.durationS !== latest.durationS || reread.recordingUrl !== latest.recordingUrl)) {
            Object.assign(update, { result: reread.result, durationS: reread.durationS, recordingUrl: reread.recordingUrl });
          }
        }
        if (Object.keys(update).length === 0) continue;
        // A call waiting for its summary can go now.
        await this.deps.calls.put({ ...latest, ...update, ...(update.summary && latest.waitingFor === 'summary' ? { nextAttemptAt: 0 } : {}) });
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
