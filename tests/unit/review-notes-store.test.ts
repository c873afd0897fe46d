/**
 * Review of the call notes' store and writer (issue 20, item 3): bounded. Notes that can go
 * nowhere in Sellsy (numbers no record has: cold calls) do not pile up past a bound, which would
 * end in the storage quota refusing every save; and a pass of the writer reads the store a
 * bounded number of times, not once per note (each read parses every note).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CallNote } from '@/lib/notes/call-note';
import { NOTE_QUIET_MS } from '@/lib/notes/note-places';
import { storedNotes } from '@/lib/notes/note-store';
import { NoteWriter } from '@/lib/notes/note-writer';
import { MemoryNotes } from '../support/memory-notes';

const T0 = Date.UTC(2026, 11, 7, 9, 0);
const number = (i: number) => `+3361${String(i).padStart(7, '0')}`;

beforeEach(() => fakeBrowser.reset());

describe('the store of notes', () => {
  it('keeps at most a bound of notes that could not be written, dropping the oldest, never the one being typed', async () => {
    const notes = storedNotes();
    // A cold-calling month: more notes on numbers no record has than the store keeps (500).
    const total = 520;
    for (let i = 0; i < total; i++) {
      const at = T0 + i * 60 * 60_000;
      const note = await notes.forCall({ e164: number(i), startedAt: at }, at);
      await notes.edit(note.id, `Appel à froid ${i}`, undefined, at + 1_000);
    }
    const kept = await notes.all();
    expect(kept.length).toBeLessThanOrEqual(500);
    expect(kept.map((note) => note.text)).toContain(`Appel à froid ${total - 1}`);
    expect(kept.map((note) => note.text)).not.toContain('Appel à froid 0');
  });
});

describe('a pass of the writer', () => {
  it('reads the store a bounded number of times, however many notes it holds', async () => {
    const notes = new MemoryNotes();
    for (let i = 0; i < 300; i++) notes.add(`note-${i}`, number(i), T0, `Note ${i}`, { alloId: `cll-${i}`, written: { [`phone-call:${i}`]: 1 } });
    let reads = 0;
    const all = notes.all.bind(notes);
    notes.all = async (): Promise<CallNote[]> => {
      reads++;
      return all();
    };
    const writer = new NoteWriter({
      notes,
      calls: { get: async () => undefined, since: async () => [] },
      cache: { findByNumber: async () => [] },
      sellsy: {
        getPhoneCall: async () => null,
        updatePhoneCallNote: async () => false,
        searchComments: async () => [],
        getComment: async () => null,
        createComment: async () => null,
        updateComment: async () => false,
        deleteComment: async () => false,
      },
      now: () => T0 + NOTE_QUIET_MS,
    });
    await writer.writeDue(1, true);
    expect(reads).toBeLessThanOrEqual(3);
  });
});
