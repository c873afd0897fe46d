import type { RecordCache } from '../cache/records';
import type { CachedRecord } from '../cache/schema';
import type { CallRecord } from '../calls/call-record';
import type { CallStore } from '../calls/call-store';
import { firstLine, hasOwnBlock } from '../calls/description-block';
import { markdownToText } from '../calls/markdown-text';
import { SellsyError } from '../sellsy/errors';
import type { LatestOrder, RelatedRecord, TeamPhoneCall } from '../sellsy/phone-calls';
import { type RecordLinks, sellsyRecordUrl } from '../sellsy/record-url';
import { inPanelOrder } from './number-records';

/**
 * "What happened before" with the number beside the dialer: the last calls with its records,
 * the user's own from the call store (no request) and the team's from Sellsy's Phone Calls on
 * each record the panel shows (one request per record, kept a minute). Merged, one line per
 * call: a Phone Call that is the log of one of the user's calls is that call, not a second line.
 */

/** Calls shown. */
export const HISTORY_SIZE = 5;
/**
 * Records whose Phone Calls are asked, in the panel's order: a switchboard's twenty records would
 * take four seconds of Sellsy's rate (5 requests a second), shared with the sync and the call log.
 */
export const HISTORY_RECORDS = 5;
/** How long Sellsy's answer for a record is reused: the panel re-rendering, or reopening on the same number, asks nothing. */
export const TEAM_CALLS_FRESH_MS = 60_000;
/** A failed request is not repeated sooner than this (it would fail the same way on the next render). */
export const TEAM_CALLS_FAILED_MS = 15_000;
// Two logs of one call: Allo's own integration may log a call the user's browser logged too.
const SAME_CALL_MS = 60_000;

/** One call as the panel lists it. */
export interface HistoryCall {
  /** `allo:<id>` (the user's, from the call store) or `sellsy:<id>` (a Phone Call). */
  key: string;
  /** When it took place (ISO 8601). */
  date: string;
  direction?: 'in' | 'out';
  /** The user made or took it; otherwise a colleague, named when Sellsy said who. */
  byYou: boolean;
  byName?: string;
  durationS?: number;
  /** Nobody answered. */
  missed?: true;
  /** The summary's (or the description's) first line. */
  summary?: string;
  /** The Sellsy record it is logged on, and its page. */
  record?: { name: string; url: string };
}

export interface CallHistory {
  /** Newest first, at most `HISTORY_SIZE`. */
  calls: HistoryCall[];
  /** Phone Calls Sellsy sent that could not be read: skipped, and said. */
  skipped: number;
  /**
   * `ok`: the team's calls are in. `unavailable`: Sellsy is not connected or did not answer, so
   * only the user's own calls are listed. `none`: no record has the number, nothing to ask.
   */
  team: 'ok' | 'unavailable' | 'none';
}

export interface HistoryLabels {
  /** Each language's "Summary:" label of our block, taken off its line. */
  summary: readonly string[];
  /** Each language's "no summary yet" line of our block: no summary to show. */
  noSummary: readonly string[];
}

export interface CallHistoryDeps {
  calls: Pick<CallStore, 'recentWith'>;
  cache: Pick<RecordCache, 'findByNumber'>;
  links(): Promise<RecordLinks>;
  /** The connected Sellsy staff; undefined when Sellsy is not connected (nothing is asked then). */
  staffId(): Promise<number | undefined>;
  /** One request: the latest Phone Calls related to the record, whoever logged them. */
  latestPhoneCalls(record: RelatedRecord, limit: number, order: LatestOrder): Promise<{ calls: TeamPhoneCall[]; skipped: number }>;
  labels: HistoryLabels;
  now?: () => number;
}

type TeamAnswer = { at: number; ok: true; calls: TeamPhoneCall[]; skipped: number } | { at: number; ok: false };

export interface CallHistorySource {
  forNumber(e164: string): Promise<CallHistory>;
  /** Forgets Sellsy's answers (another account, a disconnection). */
  forget(): void;
}

export function createCallHistory(deps: CallHistoryDeps): CallHistorySource {
  const now = deps.now ?? Date.now;
  const answers = new Map<string, TeamAnswer>();
  const asking = new Map<string, Promise<TeamAnswer>>();
  // `date` is not among the orders Sellsy's reference lists for Phone Calls (a free string there):
  // refused once, the creation order (`id`) is asked from then on.
  let order: LatestOrder = 'date';

  const askSellsy = async (record: RelatedRecord): Promise<TeamAnswer> => {
    try {
      return { at: now(), ok: true, ...(await deps.latestPhoneCalls(record, HISTORY_SIZE, order)) };
    } catch (error) {
      if (order === 'date' && error instanceof SellsyError && error.code === 'request' && error.status === 400) {
        order = 'id';
        return askSellsy(record);
      }
      return { at: now(), ok: false };
    }
  };

  const teamCalls = (staffId: number, record: CachedRecord): Promise<TeamAnswer> => {
    const key = `${staffId}/${record.key}`;
    const known = answers.get(key);
    if (known && now() - known.at < (known.ok ? TEAM_CALLS_FRESH_MS : TEAM_CALLS_FAILED_MS)) return Promise.resolve(known);
    // Two panels (two windows) asking at once share one request.
    const pending = asking.get(key);
    if (pending) return pending;
    const asked = askSellsy({ type: record.kind, id: record.sellsyId }).then((answer) => {
      // A day of numbers shown must not pile up in the worker: stale answers go.
      for (const [other, known] of answers) if (answer.at - known.at >= TEAM_CALLS_FRESH_MS) answers.delete(other);
      answers.set(key, answer);
      asking.delete(key);
      return answer;
    });
    asking.set(key, asked);
    return asked;
  };

  return {
    async forNumber(e164) {
      const records = inPanelOrder(await deps.cache.findByNumber(e164)).slice(0, HISTORY_RECORDS);
      const [links, staffId, ours] = await Promise.all([
        deps.links(),
        deps.staffId(),
        deps.calls.recentWith(e164, new Set(records.map((record) => record.key)), HISTORY_SIZE),
      ]);
      const team: TeamPhoneCall[] = [];
      let skipped = 0;
      let state: CallHistory['team'] = records.length === 0 ? 'none' : staffId === undefined ? 'unavailable' : 'ok';
      if (staffId !== undefined) {
        for (const answer of await Promise.all(records.map((record) => teamCalls(staffId, record)))) {
          if (!answer.ok) state = 'unavailable';
          else {
            team.push(...answer.calls);
            skipped += answer.skipped;
          }
        }
      }
      return { calls: mergeHistory({ ours, team, records, staffId, links, labels: deps.labels }), skipped, team: state };
    },
    forget() {
      answers.clear();
    },
  };
}

/**
 * The user's calls and the team's Phone Calls as one list, newest first. A Phone Call is left
 * out when it is the log of one of the user's calls listed: its id is one a call's target holds,
 * it carries that call's block, or it is the user's own log of the same direction within a minute
 * of it (Allo's integration logging a call this browser logged too). One Phone Call relating two
 * of the records (a contact and its company) is listed once.
 */
export function mergeHistory({
  ours,
  team,
  records,
  staffId,
  links,
  labels,
  limit = HISTORY_SIZE,
}: {
  ours: readonly CallRecord[];
  team: readonly TeamPhoneCall[];
  /** The records the panel shows, in its order: what a call links to. */
  records: readonly CachedRecord[];
  staffId?: number | undefined;
  links: RecordLinks;
  labels: HistoryLabels;
  limit?: number;
}): HistoryCall[] {
  const shown = new Map(records.map((record) => [record.key, record]));
  const link = (record: Pick<CachedRecord, 'kind' | 'sellsyId' | 'name' | 'companyType'>) => ({
    name: record.name,
    url: sellsyRecordUrl(links, record),
  });

  const listed: HistoryCall[] = ours.map((call) => {
    const target = call.targets.find((t) => shown.has(t.key)) ?? call.targets.find((t) => t.state !== 'gone') ?? call.targets[0];
    const record = target ? (shown.get(target.key) ?? target) : records[0];
    const summary = call.summary ? firstTextLine(markdownToText(call.summary)) : undefined;
    return {
      key: `allo:${call.alloId}`,
      date: call.date,
      direction: call.direction === 'INBOUND' ? 'in' : 'out',
      byYou: true,
      ...(typeof call.durationS === 'number' ? { durationS: call.durationS } : {}),
      // Allo has no "missed": a call without a result was not answered.
      ...(call.result === null ? { missed: true as const } : {}),
      ...(summary ? { summary } : {}),
      ...(record ? { record: link(record) } : {}),
    };
  });

  const oursLogged = new Set(ours.flatMap((call) => call.targets.flatMap((t) => (t.sellsyPhoneCallId === undefined ? [] : [t.sellsyPhoneCallId]))));
  const seen = new Set<number>();
  for (const phoneCall of team) {
    if (seen.has(phoneCall.id) || oursLogged.has(phoneCall.id)) continue;
    seen.add(phoneCall.id);
    const direction = phoneCall.source === 'incoming' ? 'in' : phoneCall.source === 'outcoming' ? 'out' : undefined;
    const byYou = staffId !== undefined && phoneCall.ownerId === staffId;
    const at = Date.parse(phoneCall.date);
    const logOfOurs = ours.some(
      (call) =>
        hasOwnBlock(phoneCall.description, call.alloId) ||
        (byYou && direction === (call.direction === 'INBOUND' ? 'in' : 'out') && Math.abs(Date.parse(call.date) - at) <= SAME_CALL_MS),
    );
    if (logOfOurs) continue;
    const record = phoneCall.related.map((r) => shown.get(`${r.type}:${r.id}`)).find((r) => r !== undefined);
    const summary = firstLine(phoneCall.description, labels);
    listed.push({
      key: `sellsy:${phoneCall.id}`,
      date: phoneCall.date,
      ...(direction ? { direction } : {}),
      byYou,
      ...(!byYou && phoneCall.ownerName ? { byName: phoneCall.ownerName } : {}),
      ...(phoneCall.duration !== undefined ? { durationS: phoneCall.duration } : {}),
      ...(phoneCall.result === 'noanswer' || phoneCall.result === 'busy' ? { missed: true as const } : {}),
      ...(summary ? { summary } : {}),
      ...(record ? { record: link(record) } : {}),
    });
  }

  const when = (call: HistoryCall) => {
    const ms = Date.parse(call.date);
    return Number.isNaN(ms) ? -Infinity : ms;
  };
  return listed.sort((a, b) => when(b) - when(a) || a.key.localeCompare(b.key)).slice(0, limit);
}

const MAX_LINE = 200;

/** The first line with words in it, at most a line long. */
function firstTextLine(text: string): string | undefined {
  const line = text
    .split('\n')
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .find(Boolean);
  if (!line) return undefined;
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}
