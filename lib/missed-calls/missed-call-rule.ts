/**
 * Which unanswered incoming calls raise a notification, and that each raises one at most. Two
 * sources tell of them: Allo's dialer in the side panel (at once, but without Allo's call id)
 * and Allo's API, which the poller reads once the call has ended (with the id). One call is
 * often told by both: the rule below makes them one.
 *
 * - Allo's call id is the call: the same id is never notified twice.
 * - The dialer gives no id, so a dialer report and an Allo call are the same call when they have
 *   the same number and Allo's date (when it started ringing) is within `SAME_CALL_MS` of the
 *   report, either way (ringing, and the two clocks). Each is paired once, with the nearest.
 * - Two dialer reports of one number within `DIALER_REPEAT_MS` are one call (the panel and the
 *   dialer window can both be open, and hear the same call).
 * - A call first seen more than `TOO_OLD_MS` after it rang (a back-fill, a first poll, a browser
 *   that was closed) is never notified: it is history, not news.
 * - With notifications off, a call is still noted, so turning them on does not bring it back.
 * - A call the person already returned (the same read of Allo has a later call with that number,
 *   out or answered, or the dialer said they are calling it) is noted but not news: the notifier
 *   decides it as with notifications off, and takes back one already shown (`shownCallOf`).
 */

/** What one source says of one unanswered incoming call. */
export interface MissedCallSeen {
  source: 'dialer' | 'allo';
  /** The caller, E.164. */
  e164: string;
  /** When it rang (Allo's date), or when the dialer reported it. */
  at: number;
  /** Allo's id (`cll-…`), from Allo only. */
  alloId?: string;
  /** The caller left a message on Allo's voicemail. */
  voicemail?: boolean;
}

/** A call already noted: notified, or seen while notifications were off. */
export interface NotedMissedCall {
  e164: string;
  at: number;
  alloId?: string;
  /** The dialer reported it. */
  dialer?: boolean;
  notified: boolean;
  /** When it was first noted (what pruning goes by). */
  notedAt: number;
}

export const SAME_CALL_MS = 3 * 60_000;
export const DIALER_REPEAT_MS = 60_000;
export const TOO_OLD_MS = 60 * 60_000;
/** Longer than the poller looks back (4 h): a call it reads again is still known. */
export const KEEP_MS = 24 * 60 * 60_000;
/** Far more than one person misses in a day; the oldest go first. */
export const MAX_NOTED = 300;

export interface MissedCallDecision {
  noted: NotedMissedCall[];
  /** The call to notify now, if any. */
  notify?: NotedMissedCall & { voicemail?: boolean };
}

/** Notes what a source saw and says whether it is news. `noted` is not changed. */
export function decideMissedCall(noted: readonly NotedMissedCall[], seen: MissedCallSeen, now: number, enabled: boolean): MissedCallDecision {
  const kept = prune(noted, now);
  const same = sameCall(kept, seen);
  if (same !== undefined) {
    const known = kept[same]!;
    const linked: NotedMissedCall = seen.source === 'allo' ? { ...known, alloId: seen.alloId } : { ...known, dialer: true };
    return { noted: kept.map((call, i) => (i === same ? linked : call)) };
  }
  if (now - seen.at > TOO_OLD_MS) return { noted: kept };
  const call: NotedMissedCall = {
    e164: seen.e164,
    at: seen.at,
    ...(seen.alloId ? { alloId: seen.alloId } : {}),
    ...(seen.source === 'dialer' ? { dialer: true } : {}),
    notified: enabled,
    notedAt: now,
  };
  const next = [...kept, call].slice(-MAX_NOTED);
  return enabled ? { noted: next, notify: seen.voicemail ? { ...call, voicemail: true } : call } : { noted: next };
}

function prune(noted: readonly NotedMissedCall[], now: number): NotedMissedCall[] {
  return noted.filter((call) => call.notedAt > now - KEEP_MS && call.notedAt <= now + KEEP_MS).slice(-MAX_NOTED);
}

/** The index of the noted call `seen` is, if any. */
function sameCall(noted: readonly NotedMissedCall[], seen: MissedCallSeen): number | undefined {
  if (seen.source === 'allo') {
    const byId = noted.findIndex((call) => call.alloId !== undefined && call.alloId === seen.alloId);
    if (byId >= 0) return byId;
    // A dialer report Allo has not listed yet.
    return nearest(noted, seen, SAME_CALL_MS, (call) => call.dialer === true && call.alloId === undefined);
  }
  return (
    nearest(noted, seen, DIALER_REPEAT_MS, (call) => call.dialer === true) ??
    // Allo listed it before the dialer said so (a poll right at the end of the ringing).
    nearest(noted, seen, SAME_CALL_MS, (call) => call.alloId !== undefined && call.dialer !== true)
  );
}

function nearest(noted: readonly NotedMissedCall[], seen: MissedCallSeen, withinMs: number, may: (call: NotedMissedCall) => boolean): number | undefined {
  let best: number | undefined;
  for (const [i, call] of noted.entries()) {
    if (call.e164 !== seen.e164 || !may(call)) continue;
    const gap = Math.abs(call.at - seen.at);
    if (gap <= withinMs && (best === undefined || gap < Math.abs(noted[best]!.at - seen.at))) best = i;
  }
  return best;
}

/** Allo's word for an incoming call nobody took: no result, or its voicemail took it. */
export function isMissedInAllo(item: { direction: string; result?: string | null }): boolean {
  return item.direction === 'INBOUND' && (item.result === null || item.result === undefined || item.result === 'VOICEMAIL');
}

const NOTIFICATION_ID = /^missed:(\+\d{8,15}):(-?\d{1,10}):([\w.-]{1,100})$/;
const CALL_KEY = /^[\w.-]{1,100}$/;
const NO_WINDOW = -1;

/**
 * A notification's id carries what its buttons need at once: the number, and the browser window
 * in front when it was shown. A click is a user gesture only until the first `await`, and
 * Chrome opens the side panel only within one, for a window named by its id; the service worker
 * a click wakes knows nothing else yet.
 */
export function notificationIdOf(call: NotedMissedCall, windowId: number | undefined): string {
  const key = call.alloId !== undefined && CALL_KEY.test(call.alloId) ? call.alloId : `at-${call.at}`;
  return `missed:${call.e164}:${windowId ?? NO_WINDOW}:${key}`;
}

export function parseNotificationId(id: string): { e164: string; windowId?: number } | undefined {
  const match = NOTIFICATION_ID.exec(id);
  if (!match) return undefined;
  const windowId = Number(match[2]);
  return windowId >= 0 ? { e164: match[1]!, windowId } : { e164: match[1]! };
}

/**
 * When the call a shown notification is about rang, from its id and the noted calls: the id
 * names it by Allo's id or by `at-<ms>` (a dialer report, also once Allo's id was linked to it).
 * Undefined: not a missed call's notification. `at` undefined: no longer noted (over a day old).
 */
export function shownCallOf(id: string, noted: readonly NotedMissedCall[]): { e164: string; at?: number } | undefined {
  const match = NOTIFICATION_ID.exec(id);
  if (!match) return undefined;
  const e164 = match[1]!;
  const key = match[3]!;
  const at = /^at-(\d{1,15})$/.exec(key);
  if (at) return { e164, at: Number(at[1]) };
  const call = noted.find((entry) => entry.e164 === e164 && entry.alloId === key);
  return call ? { e164, at: call.at } : { e164 };
}
