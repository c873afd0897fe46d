import type { CallNote, NoteOutcome } from './call-note';
import type { PanelNotes } from './note-store';

/** What the side panel sees of a note: never where it was written, only whether it is. */
export interface CallNoteView {
  id: string;
  e164: string;
  text: string;
  outcome?: NoteOutcome;
  /** Every place it belongs in holds what was last typed. */
  written: boolean;
  /** Sellsy refused to take it: the API access lacks `comments.write` (or `phonecalls.write`). */
  refused?: true;
}

export function noteView(note: CallNote): CallNoteView {
  const places = Object.values(note.written);
  return {
    id: note.id,
    e164: note.e164,
    text: note.text,
    ...(note.outcome ? { outcome: note.outcome } : {}),
    written: note.revision > 0 && places.length > 0 && places.every((revision) => revision >= note.revision),
    ...(note.problem === 'forbidden' ? { refused: true as const } : {}),
  };
}

/**
 * The background's answers to the panel. `call`: the call the panel shows (its note, found or
 * made); `id`: that note again; neither: the latest recent note ("after a call", panel reopened).
 */
export function panelNoteActions(notes: PanelNotes, now: () => number = Date.now) {
  return {
    open: async (request: { call?: { e164: string; startedAt: number }; id?: string }): Promise<{ note: CallNoteView | null }> => {
      if (request.call) return { note: noteView(await notes.forCall(request.call, now())) };
      const all = await notes.all();
      const found = request.id ? all.find((note) => note.id === request.id) : await notes.recent(now());
      return { note: found ? noteView(found) : null };
    },
    save: async (id: string, text: string, outcome: NoteOutcome | null): Promise<{ note: CallNoteView | null }> => {
      const saved = await notes.edit(id, text, outcome ?? undefined, now());
      return { note: saved ? noteView(saved) : null };
    },
  };
}
