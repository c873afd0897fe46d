/**
 * Review of how a panel note is bound to an Allo call (issue 20, item 3). A redial within two
 * minutes is the same note (the panel shows the same box): the note is about the conversation,
 * the last attempt, so it goes to that call, not to the unanswered first attempt, whose Sellsy
 * result the note's outcome would otherwise turn into "answered".
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { CallRecord } from '@/lib/calls/call-record';
import { storedNotes } from '@/lib/notes/note-store';
import { NoteWriter } from '@/lib/notes/note-writer';

const T0 = Date.UTC(2026, 11, 7, 9, 0);
const MARIE = '+33123456789';

beforeEach(() => fakeBrowser.reset());

function call(alloId: string, at: number, result: CallRecord['result']): CallRecord {
  return {
    alloId,
    direction: 'OUTBOUND',
    alloNumber: '+33100000000',
    counterpart: MARIE,
    date: new Date(at).toISOString(),
    durationS: result === 'ANSWERED' ? 240 : 0,
    result,
    summary: null,
    recordingUrl: null,
    userId: 'usr-1',
    // Not logged yet: the note is bound, and waits.
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    firstSeenAt: at,
    targets: [],
  };
}

const nowhere = () => Promise.reject(new Error('no Sellsy request expected'));

describe('a redial within two minutes, the panel showing the same note', () => {
  it('binds the note to the last attempt, the one talked in', async () => {
    const notes = storedNotes();
    // Dialled at T0: no answer. Dialled again a minute later: answered.
    const note = await notes.forCall({ e164: MARIE, startedAt: T0 }, T0);
    const again = await notes.forCall({ e164: MARIE, startedAt: T0 + 60_000 }, T0 + 60_000);
    expect(again.id).toBe(note.id);
    await notes.edit(note.id, 'Devis accepté, envoyer le contrat', 'answered', T0 + 120_000);
    const calls = [call('cll-first', T0 + 3_000, null), call('cll-redial', T0 + 63_000, 'ANSWERED')];
    const writer = new NoteWriter({
      notes,
      calls: { get: async (id) => calls.find((c) => c.alloId === id), since: async () => calls },
      cache: { findByNumber: async () => [] },
      sellsy: {
        getPhoneCall: nowhere,
        updatePhoneCallNote: nowhere,
        searchComments: nowhere,
        getComment: nowhere,
        createComment: nowhere,
        updateComment: nowhere,
        deleteComment: nowhere,
      },
      now: () => T0 + 10 * 60_000,
    });
    await writer.writeDue(1, true);
    expect((await notes.all()).find((n) => n.id === note.id)?.alloId).toBe('cll-redial');
  });
});
