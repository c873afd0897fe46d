// @vitest-environment node
/**
 * Review of the call notes' writer (issue 20, item 3), against the local Sellsy server through the
 * real client: a comment made once even when the worker stops between two awaits while Sellsy's
 * search lags; a note wiped from its Phone Call by another browser's concurrent summary rewrite
 * comes back; two browsers' notes on one call both stay.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '@/lib/calls/call-record';
import { describeCall } from '@/lib/calls/phone-call-mapping';
import { decideSummaryUpdate } from '@/lib/calls/reconciler';
import type { CallNote } from '@/lib/notes/call-note';
import { NOTE_QUIET_MS } from '@/lib/notes/note-places';
import { NoteWriter } from '@/lib/notes/note-writer';
import { sellsyForNotes, type SellsyForNotes } from '@/lib/notes/sellsy-for-notes';
import { startSellsyServer, type SellsyServer } from '../servers/sellsy';
import { MemoryNotes } from '../support/memory-notes';
import { callRecord } from '../support/call-builders';
import { localSellsyClient } from '../support/local-sellsy-client';

const NUMBER = '+33123456789';
// Near the local server's clock: Sellsy's `created` is its own time.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

/** The worker stopped: every store write from here on is lost, as if the service worker died. */
class StoppedWorker extends Error {}

let server: SellsyServer;
let sellsy: SellsyForNotes;
let contact: number;
let now: number;

beforeAll(async () => {
  server = await startSellsyServer({ accessTokenTtlS: 10 * 365 * 86_400 });
  sellsy = sellsyForNotes(localSellsyClient(server));
});
afterAll(() => server.close());
beforeEach(() => {
  contact = server.crm.addContact({ last_name: 'Dupont' }).id;
  now = T0 + 60_000;
  server.faults.clear();
});

function writer(notes: MemoryNotes, calls: Map<string, CallRecord>, door: SellsyForNotes = sellsy): NoteWriter {
  return new NoteWriter({
    notes,
    calls: { get: async (id) => calls.get(id), since: async () => [...calls.values()] },
    cache: {
      findByNumber: async () => [
        { key: `contact:${contact}`, kind: 'contact', sellsyId: contact, name: 'Marie Dupont', phones: [NUMBER], rawPhones: [], updated: '' },
      ],
    },
    sellsy: door,
    now: () => now,
  });
}

/** The call as every browser of the user knows it once settled: logged by us on the contact. */
function loggedCall(alloId: string): { call: CallRecord; phoneCallId: number } {
  const call = callRecord({
    alloId,
    alloNumber: '+33100000000',
    counterpart: NUMBER,
    date: new Date(T0 + 20_000).toISOString(),
    durationS: 95,
    summary: null,
    attempts: 0,
    firstSeenAt: T0,
  });
  const phoneCall = server.phoneCalls.create({
    owner_id: server.staff.id,
    date: call.date,
    result: 'connected',
    source: 'outcoming',
    duration: 95,
    description: describeCall(call),
    related: [{ type: 'contact', id: contact }],
  });
  const target = { key: `contact:${contact}`, kind: 'contact' as const, sellsyId: contact, name: 'Marie Dupont' };
  const logged: CallRecord = {
    ...call,
    targets: [{ ...target, related: [{ type: 'contact', id: contact }], state: 'done', sellsyPhoneCallId: phoneCall.id }],
  };
  return { call: logged, phoneCallId: phoneCall.id };
}

const count = (text: string, part: string) => text.split(part).length - 1;
const descriptionOf = (id: number) => server.phoneCalls.items.get(id)!.description ?? '';

describe('a comment is made once, whatever await the worker stops at', () => {
  it('does not post a second comment after stopping between the POST’s answer and remembering the comment', async () => {
    const notes = new MemoryNotes();
    notes.add('note-stop', NUMBER, T0, 'Pas joignable, laisser un mail');
    now += NOTE_QUIET_MS;
    // Sellsy's search lags: a new comment is not found by it for now.
    server.faults.inject(
      { method: 'POST', path: '/v2/comments/search' },
      { body: JSON.stringify({ data: [], pagination: { offset: null } }), times: Infinity },
    );
    // The worker stops at the first await after the store's first write that follows the POST's answer.
    let posted = false;
    let writesAfterPost = 0;
    const update = notes.update.bind(notes);
    notes.update = async (id: string, change: (note: CallNote) => CallNote | undefined) => {
      if (posted && ++writesAfterPost > 1) throw new StoppedWorker();
      return update(id, change);
    };
    const door: SellsyForNotes = {
      ...sellsy,
      createComment: async (record, description) => {
        const created = await sellsy.createComment(record, description);
        posted = true;
        return created;
      },
    };
    await writer(notes, new Map(), door)
      .writeDue(server.staff.id, false)
      .catch((error: unknown) => {
        if (!(error instanceof StoppedWorker)) throw error;
      });
    expect(server.comments.on('contact', contact)).toHaveLength(1);
    // The worker starts again; the search still lags.
    notes.update = update;
    now += 5 * 60_000;
    await writer(notes, new Map()).writeDue(server.staff.id, false);
    await writer(notes, new Map()).writeDue(server.staff.id, false);
    expect(server.comments.on('contact', contact)).toHaveLength(1);
    expect(notes.notes.get('note-stop')!.written).toEqual({ [`comment:contact:${contact}`]: 1 });
  });
});

describe('a note in a Phone Call another browser rewrites', () => {
  it('is written again when that browser’s summary rewrite, read before the note went in, landed after it', async () => {
    const { call, phoneCallId } = loggedCall('cll-race');
    const calls = new Map([[call.alloId, call]]);
    const notes = new MemoryNotes();
    notes.add('note-race', NUMBER, T0, 'Devis pour 12 postes');
    now += NOTE_QUIET_MS;
    // The other browser of the same person reads the Phone Call for the late summary…
    const readByOther = descriptionOf(phoneCallId);
    await writer(notes, calls).writeDue(server.staff.id, true);
    expect(count(descriptionOf(phoneCallId), 'Devis pour 12 postes')).toBe(1);
    // …and writes its summary after the note went in, from what it read before.
    const summarised = decideSummaryUpdate(readByOther, call.alloId, describeCall({ ...call, summary: 'Client intéressé.' }))!;
    server.phoneCalls.items.set(phoneCallId, { ...server.phoneCalls.items.get(phoneCallId)!, description: summarised });
    expect(descriptionOf(phoneCallId)).not.toContain('Devis pour 12 postes');
    for (let pass = 0; pass < 4; pass++) {
      now += 5 * 60_000;
      await writer(notes, calls).writeDue(server.staff.id, true);
    }
    expect(count(descriptionOf(phoneCallId), 'Devis pour 12 postes')).toBe(1);
    expect(descriptionOf(phoneCallId)).toContain('Client intéressé.');
    // Checked once it holds the note again: no read of it on every pass after that.
    const reads = () => server.requests.filter((r) => r.method === 'GET' && r.path === `/v2/phone-calls/${phoneCallId}`).length;
    const before = reads();
    now += 60 * 60_000;
    await writer(notes, calls).writeDue(server.staff.id, true);
    expect(reads()).toBe(before);
  });
});

describe('one call noted in two browsers of the same person', () => {
  it('keeps both notes in its Phone Call, each once, through an edit in either', async () => {
    const { call, phoneCallId } = loggedCall('cll-two');
    const calls = new Map([[call.alloId, call]]);
    const laptop = new MemoryNotes();
    const desktop = new MemoryNotes();
    laptop.add('note-laptop', NUMBER, T0, 'Tapé sur le portable');
    desktop.add('note-desktop', NUMBER, T0 + 5_000, 'Tapé sur le fixe');
    now += NOTE_QUIET_MS;
    await writer(laptop, calls).writeDue(server.staff.id, true);
    await writer(desktop, calls).writeDue(server.staff.id, true);
    laptop.type('note-laptop', 'Portable : devis envoyé', now);
    now += NOTE_QUIET_MS;
    await writer(laptop, calls).writeDue(server.staff.id, true);
    await writer(desktop, calls).writeDue(server.staff.id, true);
    const description = descriptionOf(phoneCallId);
    expect(count(description, 'Portable : devis envoyé')).toBe(1);
    expect(count(description, 'Tapé sur le fixe')).toBe(1);
    expect(description).not.toContain('Tapé sur le portable');
  });
});

describe('a note leaving a comment whose POST answer was lost', () => {
  it('takes its block out of that comment once Sellsy’s search shows it, when the call’s Phone Call is known meanwhile', async () => {
    const notes = new MemoryNotes();
    notes.add('note-moved', NUMBER, T0, 'Pas de log trouvé, puis trouvé');
    now = T0 + 2 * 60 * 60_000;
    // The comment is stored, its answer lost, and Sellsy's search does not show it yet.
    server.faults.inject({ method: 'POST', path: '/v2/comments' }, { drop: 'after' });
    server.faults.inject(
      { method: 'POST', path: '/v2/comments/search' },
      { body: JSON.stringify({ data: [], pagination: { offset: null } }), times: Infinity },
    );
    await writer(notes, new Map()).writeDue(server.staff.id, true);
    expect(server.comments.on('contact', contact)).toHaveLength(1);
    // Another browser logged the call meanwhile: the note goes into its Phone Call.
    const { call, phoneCallId } = loggedCall('cll-moved');
    const calls = new Map([[call.alloId, { ...call, date: new Date(T0 + 1_000).toISOString() }]]);
    await writer(notes, calls).writeDue(server.staff.id, true);
    expect(count(descriptionOf(phoneCallId), 'Pas de log trouvé, puis trouvé')).toBe(1);
    // Sellsy's search catches up.
    server.faults.clear();
    for (let pass = 0; pass < 3; pass++) {
      now += 5 * 60_000;
      await writer(notes, calls).writeDue(server.staff.id, true);
    }
    expect(server.comments.on('contact', contact)).toHaveLength(0);
    expect(count(descriptionOf(phoneCallId), 'Pas de log trouvé, puis trouvé')).toBe(1);
    expect(notes.notes.get('note-moved')!.posting ?? {}).toEqual({});
  });
});
