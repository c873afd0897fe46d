import type { AlloCallItem, AlloClient, SkippedCallItem } from '../allo/api-client';
import type { CallRecord } from './call-record';
import { toE164 } from '../phone/find-numbers';
import type { CallStore } from './call-store';
import { SUMMARY_WATCH_MS } from './pipeline';
import { POLL_LOOKBACK_MS, type PollState } from './poll-state';

// Where polling stands lives in poll-state.ts, which the setup pages read without the poller.
export { callPollState, POLL_LOOKBACK_MS, type PollState, readPollState, upgradePollState } from './poll-state';

export interface PollerDeps {
  allo: AlloClient;
  calls: CallStore;
  loadState: () => Promise<PollState | null>;
  saveState: (state: PollState) => Promise<void>;
  /** The user's calls Allo listed that cannot be logged (shown in the popup). */
  noteSkipped?: (items: SkippedCallItem[]) => Promise<void>;
  /** Every call of the user a poll read, new or not (missed-call notifications look at them). */
  onCallsRead?: (items: AlloCallItem[]) => Promise<void>;
  now?: () => number;
}

/** What one poll read: pages, calls added, calls that cannot be logged, and every call of the user seen. */
interface PageTally {
  count: number;
  added: number;
  unloggable: SkippedCallItem[];
  account: string | undefined;
  read: Map<string, AlloCallItem>;
}

const DAY_MS = 24 * 60 * 60_000;
// Allo's clock and ours differ, and its dates have whole seconds: a call made as the user
// connected counts.
const SINCE_SLACK_MS = 2 * 60_000;
// Allo refuses too wide a date range (DATE_RANGE_TOO_WIDE, limit not documented): a search
// spans at most this many days. A poll reads at most MAX_PAGES pages of 100 calls.
export const MAX_SEARCH_DAYS = 7;
const MAX_PAGES = 50;

/**
 * Finds the user's new Allo calls: whole days from the lookback's to tomorrow (Allo filters by
 * day), newest first, paging until the calls are older than the lookback; each new call is
 * written before anything else happens to it. Then re-reads the calls not settled yet.
 */
export class CallPoller {
  constructor(private readonly deps: PollerDeps) {}

  /**
   * `since`: where a first poll starts (connection time, minus the back-fill window). After a
   * long absence, a back-fill, or more calls than a poll reads, the range is read oldest first,
   * a few days at a time, and the watermark moves only over what was read: no call is dropped.
   * `account`: the Sellsy staff new calls will be logged as.
   */
  async poll(userId: string, since: number, account?: string): Promise<number> {
    const startedAt = this.now();
    const previous = await this.deps.loadState();
    // A position saved before accounts were stamped (no `account`) is the connected account's:
    // accounts were tracked from then on, and a change of account forgets the position.
    const same = previous && previous.userId === userId && (previous.account === undefined || previous.account === account);
    const state: PollState = same ? { ...previous, ...(account ? { account } : {}) } : { userId, ...(account ? { account } : {}), since, watermark: since };
    let floor = Math.max(state.since, state.watermark - POLL_LOOKBACK_MS);
    const lastDay = dayStart(startedAt + DAY_MS);
    const page: PageTally = { count: 0, added: 0, unloggable: [], account, read: new Map() };
    let behind = state.behind === true;
    let caughtUp = false;
    // A day either side: Allo's day boundaries follow a time zone it does not document.
    while ((behind || lastDay - dayStart(floor - DAY_MS) >= MAX_SEARCH_DAYS * DAY_MS) && page.count < MAX_PAGES) {
      const from = dayStart(floor - DAY_MS);
      const to = Math.min(lastDay, from + (MAX_SEARCH_DAYS - 1) * DAY_MS);
      const read = await this.readWindow(userId, state.since, from, to, page, true);
      if (read.complete && to === lastDay) {
        caughtUp = true;
        behind = false;
        break;
      }
      // A window read whole: every call dated before its last day is known (whatever Allo's zone).
      const next = read.complete ? to : (read.lastDate ?? floor);
      if (next <= floor) break;
      floor = next;
    }
    if (!caughtUp && !behind && page.count < MAX_PAGES && lastDay - dayStart(floor - DAY_MS) < MAX_SEARCH_DAYS * DAY_MS) {
      // The usual poll: newest first, until the calls are older than the floor.
      const read = await this.readWindow(userId, state.since, dayStart(floor - DAY_MS), lastDay, page, false, floor);
      caughtUp = read.complete;
      behind = !read.complete;
    }
    await this.deps.saveState({
      ...state,
      watermark: caughtUp ? startedAt : floor + POLL_LOOKBACK_MS,
      ...(behind ? { behind: true } : { behind: undefined }),
    });
    await this.deps.noteSkipped?.(page.unloggable);
    await this.deps.onCallsRead?.([...page.read.values()]);
    await this.refreshUnsettled(page.read);
    return page.added;
  }

  /**
   * Pages through days `from`..`to` (epoch ms of UTC day starts), writing each new call of the
   * user. Newest first stops once past `stopBelow`; `complete`: nothing left unread.
   */
  private async readWindow(
    userId: string,
    since: number,
    from: number,
    to: number,
    page: PageTally,
    ascending: boolean,
    stopBelow?: number,
  ): Promise<{ complete: boolean; lastDate?: number }> {
    let lastDate: number | undefined;
    for (let n = 1; page.count < MAX_PAGES; n++) {
      page.count++;
      const { items, skipped, hasMore } = await this.deps.allo.searchCalls({ from: isoDay(from), to: isoDay(to), userId, page: n, ascending });
      for (const item of items) {
        if (Date.parse(item.date) < since - SINCE_SLACK_MS || item.user?.id !== userId) continue;
        page.read.set(item.id, item);
        const call = toCallRecord(item, userId, this.now(), page.account);
        if (!call) {
          page.unloggable.push({ id: item.id, userId, reason: `contact_number = ${JSON.stringify(item.contact_number)}` });
          continue;
        }
        if (await this.deps.calls.addIfNew(call)) page.added++;
      }
      page.unloggable.push(...skipped.filter((item) => item.userId === undefined || item.userId === userId));
      const last = items.at(-1);
      if (last) lastDate = Date.parse(last.date);
      if (!hasMore || !last) return { complete: true, lastDate };
      if (stopBelow !== undefined && Date.parse(last.date) < stopBelow) return { complete: true, lastDate };
    }
    return { complete: false, lastDate };
  }

  /**
   * What Allo completes after the call (the summary, for 24 h) or corrects while a call is not
   * posted yet (result, duration, recording). The search just read most of them (`read`): only
   * the others are re-read with `items/batch`, a write on the team's key like each search page.
   */
  private async refreshUnsettled(read: Map<string, AlloCallItem>): Promise<void> {
    const recent = await this.deps.calls.since(this.now() - SUMMARY_WATCH_MS);
    // A missed call never gets a summary (as the pipeline reckons): not re-read every minute for it.
    const awaitsSummary = (call: CallRecord) => call.summary === null && call.result !== null && (call.durationS ?? 0) > 0;
    const unsettled = recent.filter((call) => call.state === 'pending' || (call.state === 'synced' && awaitsSummary(call)));
    const fresh = new Map<string, AlloCallItem>();
    const unread: CallRecord[] = [];
    for (const call of unsettled) {
      const item = read.get(call.alloId);
      if (item) fresh.set(call.alloId, item);
      else unread.push(call);
    }
    for (let i = 0; i < unread.length; i += 100) {
      for (const item of await this.deps.allo.batch(unread.slice(i, i + 100).map((call) => call.alloId))) fresh.set(item.id, item);
    }
    for (const call of unsettled) {
      const item = fresh.get(call.alloId);
      if (!item) continue;
      // Read and written in one transaction: a pass of the pipeline may be saving this call.
      await this.deps.calls.update(call.alloId, (latest) => {
        const update: Partial<CallRecord> = {};
        if (item.summary && latest.summary !== item.summary) update.summary = item.summary;
        if (latest.targets.every((target) => target.state === 'todo')) {
          const reread = toCallRecord(item, latest.userId, latest.firstSeenAt);
          if (reread && (reread.result !== latest.result || reread.durationS !== latest.durationS || reread.recordingUrl !== latest.recordingUrl)) {
            Object.assign(update, { result: reread.result, durationS: reread.durationS, recordingUrl: reread.recordingUrl });
          }
        }
        if (Object.keys(update).length === 0) return undefined;
        // A call waiting for its summary can go now.
        return { ...latest, ...update, ...(update.summary && latest.waitingFor === 'summary' ? { nextAttemptAt: 0 } : {}) };
      });
    }
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The start (UTC) of the day `ms` falls in. */
function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function toCallRecord(item: AlloCallItem, userId: string, now: number, account?: string): CallRecord | undefined {
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
    ...(account ? { account } : {}),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    firstSeenAt: now,
    targets: [],
  };
}
