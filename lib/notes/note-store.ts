import { storage } from '#imports';
import * as v from 'valibot';
import { oneWriteAtATime } from '../one-write-at-a-time';
import { type CallNote, hasContent, NOTE_MAX, NOTE_OUTCOMES, type NoteOutcome } from './call-note';

/**
 * The side panel's call notes, in the background's storage (closed to content scripts): what is
 * typed survives the panel and the browser being closed. Only the background writes them.
 */

/** The same call seen again by the panel (reopened, a second event): its note, not a new one. */
export const SAME_CALL_MS = 2 * 60_000;
/** With no call at hand, the panel shows the note of a call this recent ("after a call"). */
export const RECENT_NOTE_MS = 2 * 60 * 60_000;
/** Notes kept: every one not yet written, then the newest written ones, up to this many. */
const KEEP = 200;
/** A written note older than this is let go. */
const KEEP_WRITTEN_MS = 30 * 24 * 60 * 60_000;
/**
 * Notes not (fully) written kept at most: a number no record has (a cold call) leaves its note
 * nowhere to go, and without a bound they would fill the storage quota until no save succeeds.
 * Past it the oldest edited go: months of such notes, at NOTE_MAX each still well under the quota.
 */
const KEEP_UNWRITTEN = 500;

const Place = v.record(v.pipe(v.string(), v.maxLength(100)), v.number());
const StoredNote = v.object({
  id: v.pipe(v.string(), v.maxLength(100)),
  e164: v.pipe(v.string(), v.regex(/^\+\d{8,15}$/)),
  startedAt: v.number(),
  seenAt: v.optional(v.number()),
  alloId: v.optional(v.pipe(v.string(), v.maxLength(100))),
  text: v.pipe(v.string(), v.maxLength(NOTE_MAX)),
  outcome: v.optional(v.picklist(NOTE_OUTCOMES)),
  revision: v.number(),
  editedAt: v.number(),
  written: Place,
  posting: v.optional(Place),
  comments: v.optional(Place),
  recheckAt: v.optional(Place),
  problem: v.optional(v.picklist(['forbidden'])),
});

export const callNotesItem = storage.defineItem<unknown[]>('local:callNotes', { fallback: [], version: 1 });

/** The notes as stored; one that cannot be read is left out (never a reason to lose the others). */
export function readNotes(stored: unknown): CallNote[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((item) => {
    const parsed = v.safeParse(StoredNote, item);
    return parsed.success ? [parsed.output as CallNote] : [];
  });
}

/** What the writer of notes needs of their store (the model test gives it one in memory). */
export interface NoteStore {
  all(): Promise<CallNote[]>;
  /** Read-modify-write of one note; `change` returns undefined to leave it. */
  update(id: string, change: (note: CallNote) => CallNote | undefined): Promise<CallNote | undefined>;
}

export interface PanelNotes extends NoteStore {
  /** The note of the call the panel shows: the same call's if there is one, else a new one. */
  forCall(call: { e164: string; startedAt: number }, now: number): Promise<CallNote>;
  /** The most recent note, when the panel shows no call. */
  recent(now: number): Promise<CallNote | undefined>;
  /** What the panel typed: a new revision when anything changed. */
  edit(id: string, text: string, outcome: NoteOutcome | undefined, now: number): Promise<CallNote | undefined>;
}

export function storedNotes(item: typeof callNotesItem = callNotesItem): PanelNotes {
  const serial = oneWriteAtATime();
  const all = async () => readNotes(await item.getValue());
  const write = (notes: CallNote[], now: number) => item.setValue(pruned(notes, now));
  return {
    all,
    update: (id, change) =>
      serial(async () => {
        const notes = await all();
        const index = notes.findIndex((note) => note.id === id);
        const next = index < 0 ? undefined : change(notes[index]!);
        if (!next) return undefined;
        await write(
          notes.map((note, i) => (i === index ? next : note)),
          next.editedAt,
        );
        return next;
      }),
    forCall: (call, now) =>
      serial(async () => {
        const notes = await all();
        const same = notes.find((note) => note.e164 === call.e164 && Math.abs(note.startedAt - call.startedAt) <= SAME_CALL_MS);
        if (same) {
          // A redial (or the dialer's event after the click): the note binds closest to the last one.
          if (same.alloId || call.startedAt <= (same.seenAt ?? same.startedAt)) return same;
          const seen = { ...same, seenAt: call.startedAt };
          await write(
            notes.map((note) => (note.id === same.id ? seen : note)),
            now,
          );
          return seen;
        }
        const created: CallNote = {
          id: `note-${crypto.randomUUID()}`,
          e164: call.e164,
          startedAt: call.startedAt,
          text: '',
          revision: 0,
          editedAt: now,
          written: {},
        };
        await write([...notes, created], now);
        return created;
      }),
    recent: async (now) => (await all()).filter((note) => now - note.startedAt <= RECENT_NOTE_MS).sort((a, b) => b.startedAt - a.startedAt)[0],
    edit: (id, text, outcome, now) =>
      serial(async () => {
        const notes = await all();
        const note = notes.find((n) => n.id === id);
        if (!note) return undefined;
        if (note.text === text && note.outcome === outcome) return note;
        const edited: CallNote = { ...note, text: text.slice(0, NOTE_MAX), revision: note.revision + 1, editedAt: now };
        if (outcome) edited.outcome = outcome;
        else delete edited.outcome;
        await write(
          notes.map((n) => (n.id === id ? edited : n)),
          now,
        );
        return edited;
      }),
  };
}

/** Whether every place the note belongs in holds its latest revision (known only once some place is). */
function fullyWritten(note: CallNote): boolean {
  const places = Object.values(note.written);
  return places.length > 0 && places.every((revision) => revision >= note.revision);
}

/**
 * Bounded: a note left empty goes once it is no longer shown; written notes go first, oldest
 * first; one not yet written goes only past KEEP_UNWRITTEN of them, the least recently edited.
 */
function pruned(notes: CallNote[], now: number): CallNote[] {
  const kept = notes.filter(
    (note) => !(fullyWritten(note) && now - note.editedAt > KEEP_WRITTEN_MS) && !(!hasContent(note) && now - note.startedAt > RECENT_NOTE_MS),
  );
  const written = kept.filter(fullyWritten).sort((a, b) => a.editedAt - b.editedAt);
  const unwritten = kept.filter((note) => !fullyWritten(note)).sort((a, b) => a.editedAt - b.editedAt);
  const drop = new Set(
    [...written.slice(0, Math.max(0, kept.length - KEEP)), ...unwritten.slice(0, Math.max(0, unwritten.length - KEEP_UNWRITTEN))].map((note) => note.id),
  );
  return kept.filter((note) => !drop.has(note.id));
}
