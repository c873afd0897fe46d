import type { CallRecord } from '../calls/call-record';

/**
 * A note typed in the side panel about one call, and its outcome. The panel knows the number and
 * when the call began, not Allo's call id (the dialer's events do not carry it): the note is bound
 * to the call the poller later finds (`bindNote`). Where it has been written is kept per place,
 * with the revision written there: a later edit rewrites each place once.
 */

/** The call results the panel offers (issue 20): each one is a value Sellsy's Phone Call takes. */
export const NOTE_OUTCOMES = ['answered', 'voicemail', 'noanswer', 'busy', 'wrongnumber'] as const;
export type NoteOutcome = (typeof NOTE_OUTCOMES)[number];

/** Sellsy's `result` for each outcome (`PhoneCallCreateItem.result`). */
export const SELLSY_RESULT_OF: Readonly<Record<NoteOutcome, 'connected' | 'msgvocal' | 'noanswer' | 'busy' | 'wrongnumber'>> = {
  answered: 'connected',
  voicemail: 'msgvocal',
  noanswer: 'noanswer',
  busy: 'busy',
  wrongnumber: 'wrongnumber',
};

/** A note's text is bounded (a Sellsy description has room, a storage item has a quota). */
export const NOTE_MAX = 5_000;

export interface CallNote {
  /** Random, `note-…`: a comment's marker when no call id is known. */
  id: string;
  /** The number called or calling, E.164. */
  e164: string;
  /** When the panel saw the call begin (ms). */
  startedAt: number;
  /**
   * When the panel last showed this note's number, a redial within SAME_CALL_MS being the same
   * note (ms; absent: `startedAt`). The note is about that last attempt: it binds closest to it.
   */
  seenAt?: number;
  /** The Allo call it is bound to, once the poller found it (or the panel showed it from the call store). */
  alloId?: string;
  text: string;
  outcome?: NoteOutcome;
  /** Grows with each edit: a place holding an older one is rewritten. */
  revision: number;
  editedAt: number;
  /** Where this note is written (`phone-call:123`, `comment:contact:45`) and at which revision. */
  written: Record<string, number>;
  /** The comment this note made at a place (`comment:contact:45` → its id): updated by id, never made twice. */
  comments?: Record<string, number>;
  /** A comment POST whose answer was lost (place → when it left): searched for before another. */
  posting?: Record<string, number>;
  /**
   * A Phone Call the note went into (place → when): read once more then, since another browser's
   * summary rewrite, read before the note went in and landed after, takes the block out.
   */
  recheckAt?: Record<string, number>;
  /** Sellsy refused the last write (`forbidden`: the API access lacks a scope): the panel says so. */
  problem?: 'forbidden';
}

/**
 * The rule binding a note to an Allo call: the same number, and Allo's start time within
 * `BIND_WINDOW_MS` of when the panel last saw the call begin (the dialer's event and Allo's clock
 * differ by the ring time; a redial the same note is about the last attempt); the closest such
 * call that no other note has. A note the panel made
 * from a call it showed from the call store is bound at once.
 */
export const BIND_WINDOW_MS = 5 * 60_000;

type CallFacts = Pick<CallRecord, 'alloId' | 'counterpart' | 'date'>;

export function bindNote(
  note: Pick<CallNote, 'e164' | 'startedAt' | 'seenAt'>,
  calls: ReadonlyArray<CallFacts>,
  taken: ReadonlySet<string>,
): string | undefined {
  const distance = (call: CallFacts) => Math.abs(Date.parse(call.date) - (note.seenAt ?? note.startedAt));
  return calls
    .filter((call) => call.counterpart === note.e164 && !taken.has(call.alloId) && distance(call) <= BIND_WINDOW_MS)
    .sort((a, b) => distance(a) - distance(b) || (a.alloId < b.alloId ? -1 : 1))[0]?.alloId;
}

/** The note has something to write: text or an outcome. */
export function hasContent(note: Pick<CallNote, 'text' | 'outcome'>): boolean {
  return note.text.trim() !== '' || note.outcome !== undefined;
}

/** The first line of the note, for a follow-up task's title. */
export function firstNoteLine(note: Pick<CallNote, 'text'> | undefined): string {
  return (
    note?.text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find(Boolean) ?? ''
  );
}
