import type { PhoneCall } from '../sellsy/phone-calls';
import type { CallLogTarget, CallRecord } from './call-record';
import { hasIntactOwnBlock, hasOwnBlock, isUntouchedBlock, replaceBlock } from './description-block';
import { withoutNoteBlocks } from '../notes/note-block';
import { sellsySource } from './phone-call-mapping';

/**
 * The one place where a call's fate on a Sellsy record is decided (docs/architecture.md, "The
 * reconciler"): given the call, one of its targets, the Phone Calls Sellsy shows on the target's
 * records, the user's other calls near it and the time, it answers what to do — post, adopt a
 * Phone Call written by Allo's own Sellsy integration, take an earlier POST's copy as ours, wait,
 * or which copies of ours to delete or narrow. It does no IO: the pipeline reads, asks, and
 * carries out the answer, so every rule is tested directly.
 */

/** A guess at the integration's log of a call: started within a minute, same direction, length within 2 s. */
export const INTEGRATION_START_TOLERANCE_MS = 60_000;
export const INTEGRATION_DURATION_TOLERANCE_S = 2;
/**
 * Sellsy's search may not show a Phone Call for a while after it was written: a POST whose outcome
 * is unknown is not repeated, and copies are not settled, before this long after the last write.
 */
export const SEARCH_SETTLE_MS = 2 * 60_000;

export type Related = CallLogTarget['related'][number];
type CallFacts = Pick<CallRecord, 'alloId' | 'date' | 'direction' | 'durationS'>;

/** What the reconciler needs to know besides the call and the Phone Calls seen. */
export interface Context {
  /** The Sellsy staff the user's calls are logged as: a guess must be theirs, not a colleague's. */
  ownerId: number;
  /** The user's other calls around this one (a redial, a missed call, another number of the record). */
  nearby: ReadonlyArray<CallFacts>;
  /**
   * Phone Calls already adopted by another of the user's calls, and that call: one log, one call.
   * A guess is given back when a closer call becomes known (another browser may have learnt the
   * calls in another order and decided for the closer one already).
   */
  claimed: ReadonlyMap<number, CallFacts>;
}

// Allo call ids as its API and recording links write them (`cll-abc123`, `…/recordings/cll-abc123.mp3`).
const CALL_ID = /(?<![A-Za-z0-9_-])cll-[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*/g;

/** The Allo call ids a description names (a recording link names its call). */
export function namedCallIds(description: string | null | undefined): Set<string> {
  return new Set(description?.match(CALL_ID) ?? []);
}

/** A Phone Call this extension wrote: a block of ours for this call (even edited), or any intact block. */
function isExtensionCopy(phoneCall: PhoneCall, alloId: string): boolean {
  return hasOwnBlock(phoneCall.description, alloId) || hasIntactOwnBlock(phoneCall.description);
}

/**
 * Proof that a Phone Call not written by us is the integration's log of this call: it names this
 * call and no other (a later call's log quoting an earlier one proves nothing), and it is logged
 * as the user's staff (a colleague's note quoting the recording link is the colleague's).
 */
export function isExactLog(phoneCall: PhoneCall, call: CallFacts, ownerId: number): boolean {
  if (isExtensionCopy(phoneCall, call.alloId) || phoneCall.ownerId !== ownerId) return false;
  const named = namedCallIds(phoneCall.description);
  return named.size === 1 && named.has(call.alloId);
}

/**
 * Whether a Phone Call could be the integration's log of this call without proof: same moment,
 * direction and length, the same owner as the user's calls, not ours, and naming no other call.
 */
export function fitsAsGuess(phoneCall: PhoneCall, call: CallFacts, ownerId: number): boolean {
  if (phoneCall.date === undefined || phoneCall.source === undefined || phoneCall.duration === undefined) return false;
  if (phoneCall.ownerId !== ownerId || isExtensionCopy(phoneCall, call.alloId)) return false;
  const named = namedCallIds(phoneCall.description);
  if (named.size > 0 && !named.has(call.alloId)) return false;
  const start = Date.parse(phoneCall.date);
  if (Number.isNaN(start) || Math.abs(start - Date.parse(call.date)) > INTEGRATION_START_TOLERANCE_MS) return false;
  if (phoneCall.source !== sellsySource(call.direction)) return false;
  return Math.abs(phoneCall.duration - Math.round(call.durationS ?? 0)) <= INTEGRATION_DURATION_TOLERANCE_S;
}

/** How far a Phone Call is from a call, to give a guessed log to the closest call only. */
function distance(phoneCall: PhoneCall, call: CallFacts): [number, number, string] {
  return [Math.abs(Date.parse(phoneCall.date!) - Date.parse(call.date)), Math.abs(phoneCall.duration! - Math.round(call.durationS ?? 0)), call.alloId];
}

function compare(a: [number, number, string], b: [number, number, string]): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

export interface IntegrationLog {
  phoneCall: PhoneCall;
  exact: boolean;
  /** The other call of the user that had adopted it as a guess, and must give it back. */
  takenFrom?: string;
}

/**
 * The integration's log of this call among the Phone Calls seen: the one naming the call (lowest
 * id), else a guess that is no other call's. A guess is one-to-one: it goes to the closest of the
 * user's calls it fits (a missed call and its redial 30 s later do not share one), and one already
 * adopted by another call is not taken again.
 */
export function integrationLogOf(phoneCalls: ReadonlyArray<PhoneCall>, call: CallFacts, context: Context): IntegrationLog | undefined {
  // A log naming this call is its own, whoever had guessed it was theirs.
  const exact = phoneCalls.filter((p) => isExactLog(p, call, context.ownerId)).sort((a, b) => a.id - b.id)[0];
  if (exact) return withClaimer({ phoneCall: exact, exact: true }, call, context);
  const candidates = phoneCalls
    .filter((p) => fitsAsGuess(p, call, context.ownerId))
    .filter((p) => {
      // Another call's guess stands unless this call is closer: then that call was wrong.
      const claimer = context.claimed.get(p.id);
      if (claimer && claimer.alloId !== call.alloId && compare(distance(p, call), distance(p, claimer)) >= 0) return false;
      const closest = [call, ...context.nearby]
        .filter((other) => other.alloId === call.alloId || (!isExactLog(p, other, context.ownerId) && fitsAsGuess(p, other, context.ownerId)))
        .sort((a, b) => compare(distance(p, a), distance(p, b)))[0];
      return closest?.alloId === call.alloId;
    })
    .sort((a, b) => compare(distance(a, call), distance(b, call)) || a.id - b.id);
  return candidates[0] ? withClaimer({ phoneCall: candidates[0], exact: false }, call, context) : undefined;
}

function withClaimer(log: IntegrationLog, call: CallFacts, context: Context): IntegrationLog {
  const claimer = context.claimed.get(log.phoneCall.id);
  return claimer && claimer.alloId !== call.alloId ? { ...log, takenFrom: claimer.alloId } : log;
}

export type UnpostedDecision =
  /** Nothing logs the pair yet: POST ours. */
  | { do: 'post' }
  /** The integration logged it: adopt theirs for `covers`; `rest` (records theirs does not relate) gets ours. */
  | { do: 'adopt'; phoneCallId: number; exact: boolean; covers: Related[]; rest: Related[]; takenFrom?: string }
  /** A copy of ours already logs every record of the target (an earlier POST whose answer was lost, another browser's): it is the target's. */
  | { do: 'take-ours'; phoneCallId: number }
  /** An earlier POST may have landed but is not searchable yet: no second POST before `until`. */
  | { do: 'wait'; until: number };

/**
 * A target not logged yet (`todo`, or `posting` after an unknown outcome). `seen`: the Phone Calls
 * on every record the target relates, created since the call (or our first POST).
 */
export function decideUnposted(call: CallFacts, target: CallLogTarget, seen: ReadonlyArray<PhoneCall>, context: Context, now: number): UnpostedDecision {
  // A copy of ours that logs every record of the target: our own POST whose answer was lost, or
  // another browser's. Taking it avoids a second copy that settling would have to remove.
  const ours = orderCopies(seen.filter((p) => hasOwnBlock(p.description, call.alloId))).find((p) => target.related.every((r) => relates(p, r)));
  if (ours) return { do: 'take-ours', phoneCallId: ours.id };
  if (target.state === 'posting') {
    const searchableAt = (target.attemptAt ?? target.firstAttemptAt ?? 0) + SEARCH_SETTLE_MS;
    if (now < searchableAt) return { do: 'wait', until: searchableAt };
  }
  const theirs = integrationLogOf(
    // A guess this target gave back to a closer call stays that call's; a log naming it is its own.
    seen.filter((p) => target.related.some((r) => relates(p, r)) && (p.id !== target.gaveBack || isExactLog(p, call, context.ownerId))),
    call,
    context,
  );
  if (theirs) {
    const covers = target.related.filter((r) => relates(theirs.phoneCall, r));
    const rest = target.related.filter((r) => !relates(theirs.phoneCall, r));
    return { do: 'adopt', phoneCallId: theirs.phoneCall.id, exact: theirs.exact, covers, rest, ...(theirs.takenFrom ? { takenFrom: theirs.takenFrom } : {}) };
  }
  return { do: 'post' };
}

export interface SettleDecision {
  /** Untouched copies of ours that relate nothing left uncovered: redundant, to delete. */
  remove: number[];
  /** Untouched copies of ours to narrow: the integration's exact log relates the other records. */
  narrow: Array<{ phoneCallId: number; related: Array<{ type: string; id: number }> }>;
  /** What the target becomes. */
  target: { state: 'done'; phoneCallId?: number } | { state: 'adopted'; phoneCallId: number };
}

/**
 * A posted target, once Sellsy's search has caught up. Two browsers whose caches differ may post
 * the same call with different `related` sets: copies are taken in one order every browser agrees
 * on (widest first, then oldest); a copy is kept when it relates a record no kept copy covers yet,
 * otherwise it is redundant, unless a person has changed it (`isUntouchedBlock`) or Sellsy refused
 * to delete it (`undeletable`). The integration's log counts as kept before any copy of ours only
 * when it names the call: a guess never causes a delete.
 */
export function decideSettle(
  call: CallFacts,
  target: CallLogTarget,
  seen: ReadonlyArray<PhoneCall>,
  context: Context,
  undeletable: ReadonlySet<number> = new Set(),
): SettleDecision {
  const primary = primaryOf(target);
  const copies = orderCopies(seen.filter((p) => hasOwnBlock(p.description, call.alloId)));
  // The log may relate any record of the target (the folded company), as before posting.
  const theirs = integrationLogOf(
    seen.filter((p) => target.related.some((r) => relates(p, r))),
    call,
    context,
  );
  const exact = theirs?.exact ? theirs.phoneCall : undefined;
  const byIntegration = new Set(exact ? exact.related.map(keyOf) : []);
  const covered = new Set(byIntegration);
  const remove: number[] = [];
  const narrow: SettleDecision['narrow'] = [];
  const kept: PhoneCall[] = [];
  for (const copy of copies) {
    // A call note of ours in it (lib/notes) is no person's text here: the note is kept by the
    // browser that wrote it, which writes it into the copy kept, whichever that is.
    const untouched = isUntouchedBlock(withoutNoteBlocks(copy.description), call.alloId) && !undeletable.has(copy.id);
    const uncovered = copy.related.filter((r) => !covered.has(keyOf(r)));
    if (uncovered.length === 0 && untouched) {
      remove.push(copy.id);
      continue;
    }
    // Narrowed only when a record of its own stays related; anything else a person linked it to
    // (an opportunity) stays too. Sellsy refuses a Phone Call relating nothing.
    const related = copy.related.filter((r) => !byIntegration.has(keyOf(r)));
    if (related.length < copy.related.length && untouched && related.some(isRecord)) {
      narrow.push({ phoneCallId: copy.id, related });
      kept.push({ ...copy, related });
    } else kept.push(copy);
    for (const r of copy.related) covered.add(keyOf(r));
  }
  const ours = kept.find((copy) => relates(copy, primary));
  if (ours) return { remove, narrow, target: { state: 'done', phoneCallId: ours.id } };
  // Nothing of ours relates the record: the integration's log does, or a person deleted ours.
  if (exact && relates(exact, primary)) return { remove, narrow, target: { state: 'adopted', phoneCallId: exact.id } };
  return { remove, narrow, target: { state: 'done' } };
}

/**
 * The late summary: our block rewritten in place when it is intact, else a new block appended;
 * undefined when the description already says it. Never asked for an adopted Phone Call.
 */
export function decideSummaryUpdate(current: string | null, alloId: string, block: string): string | undefined {
  const next = replaceBlock(current, alloId, block);
  return next === current ? undefined : next;
}

export function primaryOf(target: CallLogTarget): Related {
  return { type: target.kind, id: target.sellsyId };
}

export function relates(phoneCall: Pick<PhoneCall, 'related'>, record: Related): boolean {
  return phoneCall.related.some((r) => r.type === record.type && r.id === record.id);
}

/** Widest first, then oldest: the same order in every browser, whatever each one sees. */
export function orderCopies<T extends Pick<PhoneCall, 'id' | 'related'>>(copies: ReadonlyArray<T>): T[] {
  return [...copies].sort((a, b) => b.related.length - a.related.length || a.id - b.id);
}

function keyOf(r: { type: string; id: number }): string {
  return `${r.type}:${r.id}`;
}

function isRecord(r: { type: string; id: number }): r is Related {
  return r.type === 'contact' || r.type === 'company' || r.type === 'individual';
}
