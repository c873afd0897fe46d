import type { CallNote } from '../../lib/notes/call-note';
import type { NoteStore } from '../../lib/notes/note-store';

/** The note store in memory, for the writer's tests and the model: the same contract as `storedNotes`. */
export class MemoryNotes implements NoteStore {
  readonly notes = new Map<string, CallNote>();

  async all(): Promise<CallNote[]> {
    return [...this.notes.values()].map((note) => structuredClone(note));
  }

  async update(id: string, change: (note: CallNote) => CallNote | undefined): Promise<CallNote | undefined> {
    const note = this.notes.get(id);
    const next = note ? change(structuredClone(note)) : undefined;
    if (next) this.notes.set(id, structuredClone(next));
    return next;
  }

  /** What the panel does when the user types: a new revision. */
  type(id: string, text: string, at: number, outcome?: CallNote['outcome']): void {
    const note = this.notes.get(id);
    if (note) this.notes.set(id, { ...note, text, ...(outcome ? { outcome } : {}), revision: note.revision + 1, editedAt: at });
  }

  /** A note the panel opened for a call with `e164` seen at `startedAt`, with this text. */
  add(id: string, e164: string, startedAt: number, text: string, extra: Partial<CallNote> = {}): CallNote {
    const note: CallNote = { id, e164, startedAt, text, revision: 1, editedAt: startedAt, written: {}, ...extra };
    this.notes.set(id, note);
    return note;
  }
}
