import type { RecordCache } from '../cache/records';
import type { RecordKind } from '../cache/schema';
import type { CallRecord } from '../calls/call-record';
import type { CallStore } from '../calls/call-store';
import { sellsyResult } from '../calls/phone-call-mapping';
import { isExactLog, SEARCH_SETTLE_MS } from '../calls/reconciler';
import { SellsyError } from '../sellsy/errors';
import { bindNote, type CallNote, hasContent, type NoteOutcome, SELLSY_RESULT_OF } from './call-note';
import { hasNoteBlock, holdsNoteBlock, withNoteBlock, withoutNoteBlock, withoutNoteBlocks, writeNoteBlock } from './note-block';
import { commentPlace, commentRecord, type NotePlace, planNote } from './note-places';
import type { NoteStore } from './note-store';
import type { SellsyForNotes } from './sellsy-for-notes';

/** The outcome line's words, in the browser's language (`_locales`). */
export interface NoteLabels {
  outcome: string;
  outcomes: Record<NoteOutcome, string>;
}

export const ENGLISH_NOTE_LABELS: NoteLabels = {
  outcome: 'Outcome:',
  outcomes: { answered: 'Answered', voicemail: 'Voicemail', noanswer: 'No answer', busy: 'Busy', wrongnumber: 'Wrong number' },
};

export interface NoteWriterDeps {
  notes: NoteStore;
  calls: Pick<CallStore, 'get' | 'since'>;
  cache: Pick<RecordCache, 'findByNumber'>;
  sellsy: SellsyForNotes;
  labels?: NoteLabels;
  now?: () => number;
}

// Sellsy's `created` is its clock: a comment is looked for from this long before the call.
const CLOCK_MARGIN_MS = 10 * 60_000;
/** Calls a note may be bound to are looked for this far back. */
const BIND_LOOKBACK_MS = 24 * 60 * 60_000;
/**
 * A Phone Call the note went into is read again this long after: longer than another browser's
 * read and write of its summary take, so one that read before the note went in has written since.
 */
export const RECHECK_AFTER_MS = 5 * 60_000;

/** The note's block: the outcome line, then what was typed. */
export function noteBlock(note: CallNote, key: string, labels: NoteLabels = ENGLISH_NOTE_LABELS): string {
  return writeNoteBlock(key, note.outcome ? [`${labels.outcome} ${labels.outcomes[note.outcome]}`] : [], note.text);
}

/**
 * Writes each note where it belongs (note-places.ts), exactly once: a Phone Call's description
 * holds at most one block per call, replaced in place; a comment is looked for by its marker
 * before any POST, and a POST whose answer was lost is not repeated before Sellsy's search has
 * caught up. What is written is remembered per place with the note's revision, so only a later
 * edit writes again. Runs inside a pass of the call pipeline (one at a time).
 */
export class NoteWriter {
  constructor(private readonly deps: NoteWriterDeps) {}

  /** `callsLogged`: this browser posts the Phone Calls. `ownerId`: the user's Sellsy staff. */
  /** `gone`: Phone Calls of ours the call log points at that Sellsy no longer has (to settle again). */
  async writeDue(ownerId: number, callsLogged: boolean): Promise<{ gone: number[] }> {
    // A note emptied after it was written is still worked on: its block is taken out.
    const due = (note: CallNote) => hasContent(note) || Object.keys(note.written).length > 0;
    await this.bind((await this.deps.notes.all()).filter(due));
    // Read once, as bound: once per note would parse every note for each. An edit meanwhile has a
    // higher revision than the one written, so the next pass writes it.
    const notes = (await this.deps.notes.all()).filter(due);
    const gone: number[] = [];
    for (const note of notes) {
      try {
        await this.write(note, ownerId, callsLogged, gone);
        if (note.problem) await this.deps.notes.update(note.id, ({ problem: _, ...rest }) => rest);
      } catch (error) {
        // Sellsy unreachable or refusing for now: the note stays stored; the next pass tries again.
        if (!(error instanceof SellsyError)) throw error;
        // A missing scope (comments.write) is the user's to fix: the panel says which.
        if (error.code === 'forbidden' && !note.problem) await this.deps.notes.update(note.id, (latest) => ({ ...latest, problem: 'forbidden' }));
      }
    }
    return { gone };
  }

  /** Binds each unbound note to the call the poller found for it (call-note.ts, `bindNote`). */
  private async bind(notes: CallNote[]): Promise<void> {
    const unbound = notes.filter((note) => !note.alloId);
    if (unbound.length === 0) return;
    const calls = await this.deps.calls.since(this.now() - BIND_LOOKBACK_MS);
    const taken = new Set(notes.flatMap((note) => note.alloId ?? []));
    for (const note of unbound.sort((a, b) => a.startedAt - b.startedAt)) {
      const alloId = bindNote(note, calls, taken);
      if (!alloId) continue;
      taken.add(alloId);
      await this.deps.notes.update(note.id, (latest) => (latest.alloId ? undefined : { ...latest, alloId }));
    }
  }

  private async write(note: CallNote, ownerId: number, callsLogged: boolean, gone: number[]): Promise<void> {
    const call = note.alloId ? await this.deps.calls.get(note.alloId) : undefined;
    const records = (await this.deps.cache.findByNumber(note.e164)).map((r) => ({ type: r.kind, id: r.sellsyId }));
    const plan = planNote(note, call, records, callsLogged, this.now());
    if (plan.do === 'wait') return;
    // Where the note is now, or stays until it could be written again.
    const holding = new Set<string>();
    let complete = true;
    for (const place of plan.places) {
      if ((note.written[place.key] ?? -1) >= note.revision && !(await this.recheckDue(note, place, call))) {
        holding.add(place.key);
        continue;
      }
      const key = await this.writePlace(note, place, call, ownerId, gone);
      if (key === undefined) {
        complete = false;
        continue;
      }
      holding.add(key);
      await this.deps.notes.update(note.id, (latest) => {
        // A block taken out (the note emptied) needs no second look.
        const { [key]: _, ...recheckAt } = latest.recheckAt ?? {};
        if (hasContent(note) && key.startsWith('phone-call:')) recheckAt[key] = this.now() + RECHECK_AFTER_MS;
        return { ...latest, written: { ...latest.written, [key]: note.revision }, recheckAt };
      });
    }
    if (!complete) return;
    // Written everywhere it belongs now: a comment it went into before (no Phone Call of the call
    // was known then; another browser logged it since) gives its block up, or the note would be
    // twice; so does one whose POST's answer was lost, once Sellsy's search can show it.
    const left = new Set([...Object.keys(note.written), ...Object.keys(note.posting ?? {})]);
    for (const stale of [...left].filter((key) => !holding.has(key))) {
      const record = commentRecord(stale);
      const postedAt = note.posting?.[stale];
      if (postedAt !== undefined && this.now() < postedAt + SEARCH_SETTLE_MS) continue;
      if (record) await this.removeFromComments(note, stale, record);
      await this.deps.notes.update(note.id, (latest) => {
        const { [stale]: _, ...rest } = latest.written;
        const { [stale]: __, ...comments } = latest.comments ?? {};
        const { [stale]: ___, ...recheckAt } = latest.recheckAt ?? {};
        const { [stale]: ____, ...posting } = latest.posting ?? {};
        return { ...latest, written: rest, comments, recheckAt, posting };
      });
    }
  }

  /**
   * Whether a Phone Call holding this revision is to be written again: its time to be read again
   * came and the block is not there as written (another browser's rewrite took it out). Once
   * found there, it is not read again before the next edit.
   */
  private async recheckDue(note: CallNote, place: NotePlace, call: CallRecord | undefined): Promise<boolean> {
    const at = note.recheckAt?.[place.key];
    if (at === undefined || this.now() < at || place.kind === 'comment' || !call) return false;
    const phoneCall = await this.deps.sellsy.getPhoneCall(place.phoneCallId);
    if (phoneCall && holdsNoteBlock(phoneCall.description, note.id, noteBlock(note, note.id, this.deps.labels))) {
      await this.deps.notes.update(note.id, (latest) => {
        const { [place.key]: _, ...recheckAt } = latest.recheckAt ?? {};
        return { ...latest, recheckAt };
      });
      return false;
    }
    return true;
  }

  /** The key of the place that now holds this revision of the note; undefined when it could not be written. */
  private async writePlace(note: CallNote, place: NotePlace, call: CallRecord | undefined, ownerId: number, gone: number[]): Promise<string | undefined> {
    const { sellsy } = this.deps;
    if (place.kind === 'comment') return (await this.writeComment(note, place)) ? place.key : undefined;
    const phoneCall = await sellsy.getPhoneCall(place.phoneCallId);
    if (!call) return undefined;
    if (!phoneCall) {
      // Gone (settled away by another browser, or deleted by a person): the call log looks again.
      if (place.kind === 'ours') gone.push(place.phoneCallId);
      return undefined;
    }
    if (place.kind === 'adopted' && !isExactLog(phoneCall, call, ownerId)) {
      // A guessed log of the integration may be another call's: the note goes beside it, as a comment.
      const comment = commentPlace(place.record);
      return (await this.writeComment(note, comment)) ? comment.key : undefined;
    }
    const next = hasContent(note)
      ? withNoteBlock(phoneCall.description, note.id, noteBlock(note, note.id, this.deps.labels))
      : withoutNoteBlock(phoneCall.description, note.id);
    if (next === undefined) return place.key;
    // Sellsy's result is set on a Phone Call of ours only: the integration's is theirs. Without an
    // outcome chosen (or once it is cleared), Allo's own result stands.
    const result = place.kind === 'ours' ? (note.outcome ? SELLSY_RESULT_OF[note.outcome] : sellsyResult(call.result)) : undefined;
    if (await sellsy.updatePhoneCallNote(place.phoneCallId, next, result)) return place.key;
    if (place.kind === 'ours') gone.push(place.phoneCallId);
    return undefined;
  }

  /** Takes this note's block out of the record's comments: a comment holding nothing else goes. */
  private async removeFromComments(note: CallNote, key: string, record: { type: RecordKind; id: number }): Promise<void> {
    const since = new Date(note.startedAt - CLOCK_MARGIN_MS).toISOString();
    const knownId = note.comments?.[key];
    const known = knownId === undefined ? null : await this.deps.sellsy.getComment(knownId);
    const found = await this.deps.sellsy.searchComments(record, since);
    for (const comment of known ? [known, ...found.filter((c) => c.id !== known.id)] : found) {
      if (!hasNoteBlock(comment.description, note.id)) continue;
      const rest = withoutNoteBlocks(comment.description);
      if (rest.trim() === '') await this.deps.sellsy.deleteComment(comment.id);
      else if (rest !== comment.description) await this.deps.sellsy.updateComment(comment.id, rest);
    }
  }

  /**
   * A comment on the record holding the note's block: the one this note made (its id is kept, so
   * a comment Sellsy's search does not show yet is not made twice), else one found by its marker,
   * else a new one.
   */
  private async writeComment(note: CallNote, place: Extract<NotePlace, { kind: 'comment' }>): Promise<boolean> {
    const { sellsy } = this.deps;
    if (!hasContent(note)) {
      await this.removeFromComments(note, place.key, place.record);
      return true;
    }
    const block = noteBlock(note, note.id, this.deps.labels);
    const knownId = note.comments?.[place.key];
    const known = knownId === undefined ? null : await sellsy.getComment(knownId);
    const since = new Date(Math.min(note.startedAt, note.posting?.[place.key] ?? Infinity) - CLOCK_MARGIN_MS).toISOString();
    const found =
      known ??
      (await sellsy.searchComments(place.record, since)).filter((comment) => hasNoteBlock(comment.description, note.id)).sort((a, b) => a.id - b.id)[0];
    if (found) {
      if (knownId !== found.id) await this.rememberComment(note.id, place.key, found.id);
      const next = withNoteBlock(found.description, note.id, block);
      return next === undefined || (await sellsy.updateComment(found.id, next));
    }
    const postedAt = note.posting?.[place.key];
    // A POST whose answer was lost may have landed and not be searchable yet: no second one before then.
    if (postedAt !== undefined && this.now() < postedAt + SEARCH_SETTLE_MS) return false;
    await this.deps.notes.update(note.id, (latest) => ({ ...latest, posting: { ...latest.posting, [place.key]: this.now() } }));
    let created: Awaited<ReturnType<SellsyForNotes['createComment']>>;
    try {
      created = await sellsy.createComment(place.record, block);
    } catch (error) {
      // A refusal (4xx) says nothing was stored: the next try may POST at once.
      if (error instanceof SellsyError && error.status !== undefined && error.status >= 400 && error.status < 500) await this.clearPosting(note.id, place.key);
      throw error;
    }
    // One write: a stop between forgetting the POST and remembering its comment would POST again.
    await this.deps.notes.update(note.id, (latest) => {
      const { [place.key]: _, ...posting } = latest.posting ?? {};
      return { ...latest, posting, ...(created ? { comments: { ...latest.comments, [place.key]: created.id } } : {}) };
    });
    return created !== null;
  }

  private rememberComment(id: string, key: string, commentId: number): Promise<CallNote | undefined> {
    return this.deps.notes.update(id, (latest) => ({ ...latest, comments: { ...latest.comments, [key]: commentId } }));
  }

  private clearPosting(id: string, key: string): Promise<CallNote | undefined> {
    return this.deps.notes.update(id, (latest) => {
      if (!latest.posting?.[key]) return undefined;
      const { [key]: _, ...rest } = latest.posting;
      return { ...latest, posting: rest };
    });
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
