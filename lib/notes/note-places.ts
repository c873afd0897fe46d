import type { CallRecord } from '../calls/call-record';
import type { RecordKind } from '../cache/schema';
import type { CallNote } from './call-note';

/**
 * Where a note belongs, decided from the call's log alone (no IO), so the writer only carries it
 * out: each Phone Call of ours that logs the call; each Phone Call of Allo's integration the call
 * adopted, when it names the call (checked on reading it: otherwise a comment on that record);
 * a comment on each record with the number when no call will log it.
 */

export type NotePlace =
  | { key: string; kind: 'ours'; phoneCallId: number }
  | { key: string; kind: 'adopted'; phoneCallId: number; record: { type: RecordKind; id: number } }
  | { key: string; kind: 'comment'; record: { type: RecordKind; id: number } };

export type NotePlan =
  /** Not yet: the call is not logged (or not found yet), or the note is still being typed. */
  { do: 'wait' } | { do: 'write'; places: NotePlace[] };

/** A note is written once typing paused this long: Sellsy gets one write per pause, not per key. */
export const NOTE_QUIET_MS = 15_000;
/** A note no call was found for after this long goes as comments on the number's records. */
export const UNBOUND_AFTER_MS = 2 * 60 * 60_000;

export function commentPlace(record: { type: RecordKind; id: number }): Extract<NotePlace, { kind: 'comment' }> {
  return { key: `comment:${record.type}:${record.id}`, kind: 'comment', record };
}

/** The record of a comment place's key (`comment:contact:45`); undefined for another place. */
export function commentRecord(key: string): { type: RecordKind; id: number } | undefined {
  const match = /^comment:(contact|company|individual):(\d+)$/.exec(key);
  return match ? { type: match[1] as RecordKind, id: Number(match[2]) } : undefined;
}

/**
 * `call`: the call the note is bound to (undefined: none found yet). `records`: the number's
 * records (for comments). `callsLogged`: this browser posts Phone Calls (the "who logs calls"
 * setting is `extension`); otherwise an unbound note goes as comments at once.
 */
export function planNote(
  note: CallNote,
  call: CallRecord | undefined,
  records: ReadonlyArray<{ type: RecordKind; id: number }>,
  callsLogged: boolean,
  now: number,
): NotePlan {
  if (now - note.editedAt < NOTE_QUIET_MS) return { do: 'wait' };
  if (!call) {
    if (callsLogged && now - note.startedAt < UNBOUND_AFTER_MS) return { do: 'wait' };
    return { do: 'write', places: records.map(commentPlace) };
  }
  // Targets still to post, or a pass in between: the Phone Calls are not known yet.
  if (call.state === 'pending' || call.state === 'integration_disconnected' || call.state === 'failed') return { do: 'wait' };
  if (call.targets.some((t) => t.state === 'todo' || t.state === 'posting')) return { do: 'wait' };
  const places: NotePlace[] = [];
  for (const target of call.targets) {
    const id = target.sellsyPhoneCallId;
    if (id === undefined) continue;
    if (target.state === 'posted' || target.state === 'done') places.push({ key: `phone-call:${id}`, kind: 'ours', phoneCallId: id });
    else if (target.state === 'adopted')
      places.push({ key: `phone-call:${id}`, kind: 'adopted', phoneCallId: id, record: { type: target.kind, id: target.sellsyId } });
  }
  // Logged nowhere (no record, records deleted, every Phone Call deleted by a person): the number's records get a comment.
  return { do: 'write', places: places.length > 0 ? places : records.map(commentPlace) };
}
