// @vitest-environment node
/**
 * Issue 20, item 3: a call's note is bound to the Allo call the poller finds, written into that
 * call's Phone Call once (an edit rewrites it, the late summary keeps it), and, where no Phone
 * Call of the call is known for sure, posted as a comment on the record once, through a lost
 * answer too. Against the local Sellsy server, through the real client.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '@/lib/calls/call-record';
import { describeCall } from '@/lib/calls/phone-call-mapping';
import { decideSummaryUpdate } from '@/lib/calls/reconciler';
import { bindNote, BIND_WINDOW_MS, firstNoteLine } from '@/lib/notes/call-note';
import { NOTE_QUIET_MS, planNote, UNBOUND_AFTER_MS } from '@/lib/notes/note-places';
import { withoutNoteBlocks } from '@/lib/notes/note-block';
import { NoteWriter } from '@/lib/notes/note-writer';
import { sellsyForNotes } from '@/lib/notes/sellsy-for-notes';
import type { SellsyClient } from '@/lib/sellsy/api-client';
import { startSellsyServer, type SellsyServer } from '../servers/sellsy';
import { MemoryNotes } from '../support/memory-notes';
import { callRecord as storedCall } from '../support/call-builders';
import { localSellsyClient } from '../support/local-sellsy-client';

const NUMBER = '+33123456789';
// Near the local server's clock: Sellsy's `created` is its own time.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

/** A settled call with NUMBER, as the call store holds it. */
function callRecord(alloId: string, overrides: Partial<CallRecord> = {}): CallRecord {
  return storedCall({
    alloId,
    alloNumber: '+33100000000',
    counterpart: NUMBER,
    date: new Date(T0 + 20_000).toISOString(),
    durationS: 95,
    summary: null,
    attempts: 0,
    firstSeenAt: T0,
    ...overrides,
  });
}

describe('binding a note to the Allo call', () => {
  const calls = [
    { alloId: 'cll-a', counterpart: NUMBER, date: new Date(T0 - 4 * 60_000).toISOString() },
    { alloId: 'cll-b', counterpart: NUMBER, date: new Date(T0 + 30_000).toISOString() },
    { alloId: 'cll-c', counterpart: '+33699999999', date: new Date(T0).toISOString() },
  ];
  it('takes the closest call with the number within the window, and no call another note has', () => {
    expect(bindNote({ e164: NUMBER, startedAt: T0 }, calls, new Set())).toBe('cll-b');
    expect(bindNote({ e164: NUMBER, startedAt: T0 }, calls, new Set(['cll-b']))).toBe('cll-a');
    expect(bindNote({ e164: NUMBER, startedAt: T0 + BIND_WINDOW_MS + 60_000 }, calls, new Set())).toBeUndefined();
    expect(bindNote({ e164: '+33611111111', startedAt: T0 }, calls, new Set())).toBeUndefined();
  });
  it('gives the first line of the note for a follow-up’s title', () => {
    expect(firstNoteLine({ text: '\n  Rappeler lundi  \nDevis' })).toBe('Rappeler lundi');
    expect(firstNoteLine(undefined)).toBe('');
  });
});

describe('where a note goes', () => {
  const notes = new MemoryNotes();
  const note = notes.add('note-1', NUMBER, T0, 'Rappeler');
  const records = [{ type: 'contact' as const, id: 7 }];
  it('waits while the note is being typed, and while the call is not logged', () => {
    expect(planNote({ ...note, editedAt: T0 }, undefined, records, true, T0 + 1000)).toEqual({ do: 'wait' });
    const pending = callRecord('cll-1', { state: 'pending' });
    expect(planNote(note, pending, records, true, T0 + NOTE_QUIET_MS)).toEqual({ do: 'wait' });
  });
  it('goes into the Phone Calls of ours, the adopted one as it is, else comments on the number’s records', () => {
    const logged = callRecord('cll-1', {
      targets: [
        { key: 'contact:7', kind: 'contact', sellsyId: 7, name: 'M', related: [{ type: 'contact', id: 7 }], state: 'done', sellsyPhoneCallId: 11 },
        { key: 'contact:8', kind: 'contact', sellsyId: 8, name: 'N', related: [{ type: 'contact', id: 8 }], state: 'adopted', sellsyPhoneCallId: 12 },
        { key: 'contact:9', kind: 'contact', sellsyId: 9, name: 'O', related: [{ type: 'contact', id: 9 }], state: 'gone' },
      ],
    });
    expect(planNote(note, logged, records, true, T0 + NOTE_QUIET_MS)).toEqual({
      do: 'write',
      places: [
        { key: 'phone-call:11', kind: 'ours', phoneCallId: 11 },
        { key: 'phone-call:12', kind: 'adopted', phoneCallId: 12, record: { type: 'contact', id: 8 } },
      ],
    });
    // No call found: the integration logs the calls (comments at once), or two hours went by.
    const comment = { do: 'write', places: [{ key: 'comment:contact:7', kind: 'comment', record: { type: 'contact', id: 7 } }] };
    expect(planNote(note, undefined, records, false, T0 + NOTE_QUIET_MS)).toEqual(comment);
    expect(planNote(note, undefined, records, true, T0 + NOTE_QUIET_MS)).toEqual({ do: 'wait' });
    expect(planNote(note, undefined, records, true, T0 + UNBOUND_AFTER_MS)).toEqual(comment);
  });
});

describe('the note writer against the local Sellsy server', () => {
  let server: SellsyServer;
  let client: (scopes?: string[]) => SellsyClient;
  let contact: number;
  let now: number;
  let notes: MemoryNotes;
  let stored: Map<string, CallRecord>;
  const writer = (scopes?: string[]) =>
    new NoteWriter({
      notes,
      calls: { get: async (id) => stored.get(id), since: async () => [...stored.values()] },
      cache: {
        findByNumber: async () => [
          { key: `contact:${contact}`, kind: 'contact', sellsyId: contact, name: 'Marie Dupont', phones: [NUMBER], rawPhones: [], updated: '' },
        ],
      },
      sellsy: sellsyForNotes(client(scopes)),
      now: () => now,
    });

  beforeAll(async () => {
    server = await startSellsyServer({ accessTokenTtlS: 10 * 365 * 86_400 });
    client = (scopes) => {
      return localSellsyClient(server, scopes);
    };
  });
  afterAll(() => server.close());
  beforeEach(() => {
    contact = server.crm.addContact({ last_name: 'Dupont' }).id;
    now = T0 + 60_000;
    notes = new MemoryNotes();
    stored = new Map();
    server.faults.clear();
  });

  /** The call logged by us on the contact, its Phone Call saying the summary is not there yet. */
  function loggedCall(alloId: string): { call: CallRecord; phoneCallId: number } {
    const call = callRecord(alloId);
    const phoneCall = server.phoneCalls.create({
      owner_id: server.staff.id,
      date: call.date,
      result: 'connected',
      source: 'outcoming',
      duration: 95,
      description: describeCall(call),
      related: [{ type: 'contact', id: contact }],
    });
    const logged = {
      ...call,
      targets: [
        {
          key: `contact:${contact}`,
          kind: 'contact' as const,
          sellsyId: contact,
          name: 'Marie Dupont',
          related: [{ type: 'contact' as const, id: contact }],
          state: 'done' as const,
          sellsyPhoneCallId: phoneCall.id,
        },
      ],
    };
    stored.set(alloId, logged);
    return { call: logged, phoneCallId: phoneCall.id };
  }
  const descriptionOf = (id: number) => server.phoneCalls.items.get(id)!.description ?? '';
  const count = (text: string, part: string) => text.split(part).length - 1;

  it('binds the note, writes it into the Phone Call once with the outcome as Sellsy’s result, and an edit replaces it', async () => {
    const { call, phoneCallId } = loggedCall('cll-note1');
    notes.add('note-a', NUMBER, T0, 'Devis pour 12 postes\nRappeler lundi', { outcome: 'busy' });
    now += NOTE_QUIET_MS;
    await writer().writeDue(server.staff.id, true);
    expect(notes.notes.get('note-a')!.alloId).toBe('cll-note1');
    expect(count(descriptionOf(phoneCallId), 'Devis pour 12 postes')).toBe(1);
    expect(descriptionOf(phoneCallId)).toContain('Outcome: Busy');
    expect(server.phoneCalls.items.get(phoneCallId)!.result).toMatchObject({ id: 'busy' });
    const puts = () => server.requests.filter((r) => r.method === 'PUT').length;
    const before = puts();
    await writer().writeDue(server.staff.id, true);
    expect(puts()).toBe(before);

    notes.type('note-a', 'Devis envoyé, rappeler mardi', now);
    now += NOTE_QUIET_MS;
    await writer().writeDue(server.staff.id, true);
    expect(descriptionOf(phoneCallId)).not.toContain('Devis pour 12 postes');
    expect(count(descriptionOf(phoneCallId), 'Devis envoyé, rappeler mardi')).toBe(1);

    // The late summary rewrites the call's block only.
    const summarised = decideSummaryUpdate(descriptionOf(phoneCallId), call.alloId, describeCall({ ...call, summary: 'Client intéressé.' }))!;
    expect(count(summarised, 'Devis envoyé, rappeler mardi')).toBe(1);
    expect(summarised).toContain('Summary: Client intéressé.');

    // Emptied in the panel: the block goes, the call's block stays as it was.
    notes.type('note-a', '', now);
    notes.notes.set('note-a', { ...notes.notes.get('note-a')!, outcome: undefined });
    now += NOTE_QUIET_MS;
    await writer().writeDue(server.staff.id, true);
    expect(descriptionOf(phoneCallId)).toBe(describeCall(call));
  });

  it('posts a comment on the record once, through an answer Sellsy stored and lost', async () => {
    notes.add('note-b', NUMBER, T0, 'Pas joignable, laisser un mail');
    now += NOTE_QUIET_MS;
    server.faults.inject({ method: 'POST', path: '/v2/comments' }, { drop: 'after' });
    await writer().writeDue(server.staff.id, false);
    expect(server.comments.on('contact', contact)).toHaveLength(1);
    expect(notes.notes.get('note-b')!.written).toEqual({});
    await writer().writeDue(server.staff.id, false);
    await writer().writeDue(server.staff.id, false);
    expect(server.comments.on('contact', contact)).toHaveLength(1);
    expect(notes.notes.get('note-b')!.written).toEqual({ [`comment:contact:${contact}`]: 1 });
    notes.type('note-b', 'Mail envoyé', now);
    now += NOTE_QUIET_MS;
    await writer().writeDue(server.staff.id, false);
    const [comment] = server.comments.on('contact', contact);
    expect(server.comments.on('contact', contact)).toHaveLength(1);
    expect(comment!.description).toContain('Mail envoyé');
    expect(comment!.description).not.toContain('laisser un mail');
  });

  it('keeps the note, unwritten, when the Sellsy access lacks comments.write', async () => {
    notes.add('note-c', NUMBER, T0, 'Rappeler');
    now += NOTE_QUIET_MS;
    const scopes = ['contacts.read', 'phonecalls.read', 'phonecalls.write', 'staffs.read', 'comments.read'];
    await writer(scopes).writeDue(server.staff.id, false);
    expect(server.comments.on('contact', contact)).toHaveLength(0);
    expect(notes.notes.get('note-c')).toMatchObject({ text: 'Rappeler', written: {}, problem: 'forbidden' });
  });

  /** A Phone Call of Allo's integration on the contact, adopted by the call (named by its recording link, or guessed). */
  function adoptedCall(alloId: string, named: boolean): { description: string; phoneCallId: number } {
    const call = callRecord(alloId);
    const description = `Appel Allo sortant${named ? `\nhttps://api.withallo.com/recordings/${alloId}.mp3` : ''}`;
    const phoneCall = server.phoneCalls.create({
      owner_id: server.staff.id,
      date: call.date,
      result: 'connected',
      source: 'outcoming',
      duration: 95,
      description,
      related: [{ type: 'contact', id: contact }],
    });
    const target = {
      key: `contact:${contact}`,
      kind: 'contact' as const,
      sellsyId: contact,
      name: 'Marie',
      related: [{ type: 'contact' as const, id: contact }],
    };
    stored.set(alloId, { ...call, targets: [{ ...target, state: 'adopted', sellsyPhoneCallId: phoneCall.id }] });
    return { description, phoneCallId: phoneCall.id };
  }

  it('adds the note to the integration’s Phone Call that names the call, leaving its text and result; a guessed one gets a comment beside it', async () => {
    const named = adoptedCall('cll-int1', true);
    notes.add('note-d', NUMBER, T0, 'Note sur le log de l’intégration', { outcome: 'busy' });
    now += NOTE_QUIET_MS;
    await writer().writeDue(server.staff.id, true);
    const after = server.phoneCalls.items.get(named.phoneCallId)!;
    expect(withoutNoteBlocks(after.description)).toBe(named.description);
    expect(count(after.description ?? '', 'Note sur le log de l’intégration')).toBe(1);
    expect(after.result).toMatchObject({ id: 'connected' });
    expect(server.comments.on('contact', contact)).toHaveLength(0);

    stored.clear();
    const guessed = adoptedCall('cll-int2', false);
    notes.add('note-e', NUMBER, T0, 'Note sur un log deviné', { editedAt: now });
    now += NOTE_QUIET_MS;
    await writer().writeDue(server.staff.id, true);
    expect(server.phoneCalls.items.get(guessed.phoneCallId)!.description).toBe(guessed.description);
    expect(server.comments.on('contact', contact).map((c) => count(c.description, 'Note sur un log deviné'))).toEqual([1]);
  });

  it('takes the note out of the comment it went into once the call’s Phone Call is known', async () => {
    notes.add('note-f', NUMBER, T0, 'Pas de log trouvé');
    now = T0 + UNBOUND_AFTER_MS;
    await writer().writeDue(server.staff.id, true);
    expect(server.comments.on('contact', contact)).toHaveLength(1);
    // Another browser logged the call since.
    const { phoneCallId } = loggedCall('cll-late');
    stored.set('cll-late', { ...stored.get('cll-late')!, date: new Date(T0 + 1_000).toISOString() });
    await writer().writeDue(server.staff.id, true);
    expect(count(descriptionOf(phoneCallId), 'Pas de log trouvé')).toBe(1);
    expect(server.comments.on('contact', contact)).toHaveLength(0);
    expect(notes.notes.get('note-f')).toMatchObject({ alloId: 'cll-late', written: { [`phone-call:${phoneCallId}`]: 1 }, comments: {} });
  });
});
