import { plainLine } from '../text/plain-line';
import type { RecordCache } from '../cache/records';
import type { CachedRecord } from '../cache/schema';
import type { CallRecord } from '../calls/call-record';
import type { CallStore } from '../calls/call-store';
import { firstLine, ownBlockCallIds } from '../calls/description-block';
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
/**
 * The history's requests in Sellsy's queue at once: one second of its rate. A request that has to
 * wait for room is not sent if, by then, the panel asked about another number: someone going
 * down a list of numbers costs the first number's requests and the last one's, never a queue
 * the contact sync and the call log would wait behind.
 */
export const TEAM_CALLS_IN_FLIGHT = HISTORY_RECORDS;
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

/** Labels of our block besides the ones each language writes (`WRITTEN_LABELS`). */
export interface HistoryLabels {
  /** "Summary:" labels, taken off their line. */
  summary: readonly string[];
  /** "No summary yet" lines: no summary to show. */
  noSummary: readonly string[];
}

export interface CallHistoryDeps {
  calls: Pick<CallStore, 'recentWith'>;
  cache: Pick<RecordCache, 'findByNumber'>;
  links(): Promise<RecordLinks>;
  /** The connected Sellsy staff; undefined when Sellsy is not connected (nothing is asked then). */
  staffId(): Promise<number | undefined>;
  /**
   * The Sellsy account (staff id) the calls were last logged for (`callsAccount`): whose calls are
   * "yours" while Sellsy is not connected. Calls found under another account are left out.
   */
  account?(): Promise<string | null | undefined>;
  /** One request: the latest Phone Calls related to the record, whoever logged them. */
  latestPhoneCalls(record: RelatedRecord, limit: number, order: LatestOrder): Promise<{ calls: TeamPhoneCall[]; skipped: number }>;
  labels?: HistoryLabels;
  now?: () => number;
}

// `kept: false`: not asked (the panel moved on before its turn), so nothing to keep for it.
type TeamAnswer = { at: number; ok: true; calls: TeamPhoneCall[]; skipped: number } | { at: number; ok: false; kept?: false };

export interface CallHistorySource {
  forNumber(e164: string): Promise<CallHistory>;
  /** Forgets Sellsy's answers (another account, a disconnection). */
  forget(): void;
}

export function createCallHistory(deps: CallHistoryDeps): CallHistorySource {
  const now = deps.now ?? Date.now;
  const answers = new Map<string, TeamAnswer>();
  const asking = new Map<string, Promise<TeamAnswer>>();
  // The latest `forNumber` (its turn) that wants each pending request: one left behind before
  // its turn in the queue is not sent.
  const wantedBy = new Map<string, number>();
  // `date` is not among the orders Sellsy's reference lists for Phone Calls (a free string there):
  // refused once, the creation order (`id`) is asked from then on.
  let order: LatestOrder = 'date';
  // Each `forNumber` gets a turn; requests wait for room in flight (TEAM_CALLS_IN_FLIGHT).
  let latestTurn = 0;
  let inFlight = 0;
  const waitingForRoom: Array<() => void> = [];

  const room = async (): Promise<void> => {
    if (inFlight < TEAM_CALLS_IN_FLIGHT) {
      inFlight += 1;
      return;
    }
    // The one leaving hands its place over: `inFlight` stays counted.
    await new Promise<void>((resolve) => waitingForRoom.push(resolve));
  };
  const leave = () => {
    const next = waitingForRoom.shift();
    if (next) next();
    else inFlight -= 1;
  };

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

  const teamCalls = (staffId: number, record: CachedRecord, turn: number): Promise<TeamAnswer> => {
    const key = `${staffId}/${record.key}`;
    const known = answers.get(key);
    if (known && now() - known.at < (known.ok ? TEAM_CALLS_FRESH_MS : TEAM_CALLS_FAILED_MS)) return Promise.resolve(known);
    // Two panels (two windows) asking at once share one request.
    const pending = asking.get(key);
    if (pending) {
      wantedBy.set(key, Math.max(wantedBy.get(key) ?? 0, turn));
      return pending;
    }
    wantedBy.set(key, turn);
    const waited = inFlight >= TEAM_CALLS_IN_FLIGHT;
    const asked = room().then(async () => {
      let answer: TeamAnswer;
      try {
        // Its turn came after the panel asked about another number: it is not sent.
        const left = waited && (wantedBy.get(key) ?? 0) < latestTurn;
        answer = left ? { at: now(), ok: false, kept: false } : await askSellsy({ type: record.kind, id: record.sellsyId });
      } finally {
        leave();
      }
      // A day of numbers shown must not pile up in the worker: stale answers go.
      for (const [other, known] of answers) if (answer.at - known.at >= TEAM_CALLS_FRESH_MS) answers.delete(other);
      if (!('kept' in answer)) answers.set(key, answer);
      asking.delete(key);
      wantedBy.delete(key);
      return answer;
    });
    asking.set(key, asked);
    return asked;
  };

  return {
    async forNumber(e164) {
      const turn = ++latestTurn;
      const records = inPanelOrder(await deps.cache.findByNumber(e164)).slice(0, HISTORY_RECORDS);
      const [links, staffId] = await Promise.all([deps.links(), deps.staffId()]);
      // Whose calls are "yours": the staff connected, else the account calls were last logged for.
      const account = staffId !== undefined ? String(staffId) : ((await deps.account?.()) ?? undefined);
      const ours = await deps.calls.recentWith(e164, new Set(records.map((record) => record.key)), HISTORY_SIZE, account);
      const team: TeamPhoneCall[] = [];
      let skipped = 0;
      let state: CallHistory['team'] = records.length === 0 ? 'none' : staffId === undefined ? 'unavailable' : 'ok';
      if (staffId !== undefined) {
        for (const answer of await Promise.all(records.map((record) => teamCalls(staffId, record, turn)))) {
          if (!answer.ok) state = 'unavailable';
          else {
            team.push(...answer.calls);
            skipped += answer.skipped;
          }
        }
      }
      return {
        calls: mergeHistory({ ours, team, records, staffId, links, ...(deps.labels ? { labels: deps.labels } : {}) }),
        skipped,
        team: state,
      };
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
 * of it (Allo's integration logging a call this browser logged too). One call logged on several
 * of the records (a Phone Call relating a contact and its company; or one Phone Call per record,
 * as the extension logs a switchboard two contacts share) is listed once: same Phone Call, same
 * block of ours, or the same owner, instant, direction and length. A planned call (`scheduled`)
 * has not happened and is left out.
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
  labels?: HistoryLabels;
  limit?: number;
}): HistoryCall[] {
  const shown = new Map(records.map((record) => [record.key, record]));
  const link = (record: Pick<CachedRecord, 'kind' | 'sellsyId' | 'name' | 'companyType'>) => ({
    name: visible(record.name),
    url: sellsyRecordUrl(links, record),
  });

  const listed: HistoryCall[] = ours.map((call) => {
    const target = call.targets.find((t) => shown.has(t.key)) ?? call.targets.find((t) => t.state !== 'gone') ?? call.targets[0];
    const record = target ? (shown.get(target.key) ?? target) : records[0];
    const line = call.summary ? firstTextLine(markdownToText(call.summary)) : undefined;
    const summary = line === undefined ? undefined : visible(line);
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
  const ourIds = new Set(ours.map((call) => call.alloId));
  const seen = new Set<number>();
  // The calls already listed from the team's Phone Calls: by the block of ours they carry, and by
  // who, when, which way and how long.
  const seenBlocks = new Set<string>();
  const seenCalls = new Set<string>();
  for (const phoneCall of team) {
    if (seen.has(phoneCall.id) || oursLogged.has(phoneCall.id)) continue;
    seen.add(phoneCall.id);
    if (phoneCall.result === 'scheduled') continue;
    const direction = phoneCall.source === 'incoming' ? 'in' : phoneCall.source === 'outcoming' ? 'out' : undefined;
    const byYou = staffId !== undefined && phoneCall.ownerId === staffId;
    const at = Date.parse(phoneCall.date);
    // Read once: a description may be long, and it is compared with each of the user's calls.
    const blocks = ownBlockCallIds(phoneCall.description);
    const logOfOurs =
      blocks.some((alloId) => ourIds.has(alloId)) ||
      (byYou && ours.some((call) => direction === (call.direction === 'INBOUND' ? 'in' : 'out') && Math.abs(Date.parse(call.date) - at) <= SAME_CALL_MS));
    if (logOfOurs) continue;
    if (blocks.some((alloId) => seenBlocks.has(alloId))) continue;
    for (const alloId of blocks) seenBlocks.add(alloId);
    if (phoneCall.ownerId !== undefined) {
      const sameCall = `${phoneCall.ownerId}|${at}|${phoneCall.source ?? ''}|${phoneCall.duration ?? ''}`;
      if (seenCalls.has(sameCall)) continue;
      seenCalls.add(sameCall);
    }
    const record = phoneCall.related.map((r) => shown.get(`${r.type}:${r.id}`)).find((r) => r !== undefined);
    const summary = firstLine(phoneCall.description, labels);
    const shownSummary = summary === undefined ? undefined : visible(summary);
    const byName = phoneCall.ownerName === undefined ? undefined : visible(phoneCall.ownerName);
    listed.push({
      key: `sellsy:${phoneCall.id}`,
      date: phoneCall.date,
      ...(direction ? { direction } : {}),
      byYou,
      ...(!byYou && byName ? { byName } : {}),
      ...(phoneCall.duration !== undefined ? { durationS: phoneCall.duration } : {}),
      ...(phoneCall.result === 'noanswer' || phoneCall.result === 'busy' ? { missed: true as const } : {}),
      ...(shownSummary ? { summary: shownSummary } : {}),
      ...(record ? { record: link(record) } : {}),
    });
  }

  const when = (call: HistoryCall) => {
    const ms = Date.parse(call.date);
    return Number.isNaN(ms) ? -Infinity : ms;
  };
  return listed.sort((a, b) => when(b) - when(a) || a.key.localeCompare(b.key)).slice(0, limit);
}

/** Text from Sellsy or Allo as the panel shows it: a name or a note must not turn the date or length beside it around. */
const visible = plainLine;

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
