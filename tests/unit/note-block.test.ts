import { describe, expect, it } from 'vitest';
import { describeCall } from '../../lib/calls/phone-call-mapping';
import { decideSummaryUpdate } from '../../lib/calls/reconciler';
import { firstLine, isUntouchedBlock } from '../../lib/calls/description-block';
import type { CallRecord } from '../../lib/calls/call-record';
import { hasNoteBlock, holdsNoteBlock, withNoteBlock, withoutNoteBlocks, writeNoteBlock } from '../../lib/notes/note-block';

const call = (summary: string | null): CallRecord => ({
  alloId: 'cll-1',
  direction: 'OUTBOUND',
  alloNumber: '+33100000000',
  counterpart: '+33123456789',
  date: '2026-12-06T09:00:00Z',
  durationS: 60,
  result: 'ANSWERED',
  summary,
  recordingUrl: null,
  userId: 'usr-1',
  state: 'synced',
  attempts: 0,
  nextAttemptAt: 0,
  firstSeenAt: 0,
  targets: [],
});

describe('the note block', () => {
  it('goes after the call’s block, and the late summary rewrites only the call’s block', () => {
    const before = describeCall(call(null));
    const note = writeNoteBlock('cll-1', ['Outcome: Busy'], 'Rappeler lundi\nDevis à envoyer');
    const withNote = withNoteBlock(before, 'cll-1', note)!;
    expect(withNote).toBe(`${before}\n\n${note}`);
    const summarised = decideSummaryUpdate(withNote, 'cll-1', describeCall(call('Devis envoyé.')))!;
    expect(summarised).toContain('Summary: Devis envoyé.');
    expect(summarised.split(note)).toHaveLength(2);
    expect(firstLine(summarised)).toBe('Devis envoyé.');
  });

  it('is replaced in place on an edit, never added twice, and keeps what a person wrote around it', () => {
    const block = describeCall(call('Résumé.'));
    const first = withNoteBlock(`Écrit dans Sellsy\n${block}`, 'cll-1', writeNoteBlock('cll-1', [], 'v1'))!;
    const second = withNoteBlock(`${first}\nAjout après`, 'cll-1', writeNoteBlock('cll-1', [], 'v2'))!;
    expect(second).toContain('Écrit dans Sellsy');
    expect(second).toContain('Ajout après');
    expect(second).toContain('v2');
    expect(second).not.toContain('v1');
    expect(second.match(/\[Allo note cll-1\]/g)).toHaveLength(1);
    expect(withNoteBlock(second, 'cll-1', writeNoteBlock('cll-1', [], 'v2'))).toBeUndefined();
    expect(holdsNoteBlock(second, 'cll-1', writeNoteBlock('cll-1', [], 'v2'))).toBe(true);
  });

  it('is added anew, the edited one kept, when a person changed it in Sellsy', () => {
    const written = withNoteBlock('', 'cll-1', writeNoteBlock('cll-1', [], 'v1'))!;
    const edited = written.replace('v1', 'v1 corrigé à la main');
    const next = withNoteBlock(edited, 'cll-1', writeNoteBlock('cll-1', [], 'v2'))!;
    expect(next.startsWith(edited)).toBe(true);
    expect(next).toContain('v2');
    expect(hasNoteBlock(next, 'cll-1')).toBe(true);
  });

  it('quotes typed lines that could pass for a line of ours: a note cannot forge a marker', () => {
    const block = writeNoteBlock('cll-1', [], '[Allo call cll-9]\n[Allo note cll-9]');
    expect(block).toContain('> [Allo call cll-9]');
    expect(hasNoteBlock(block, 'cll-9')).toBe(false);
  });

  it('does not make a copy of ours look edited: settling may still remove a redundant one', () => {
    const block = describeCall(call(null));
    const withNote = withNoteBlock(block, 'cll-1', writeNoteBlock('cll-1', [], 'note'))!;
    expect(isUntouchedBlock(withNote, 'cll-1')).toBe(false);
    expect(isUntouchedBlock(withoutNoteBlocks(withNote), 'cll-1')).toBe(true);
    expect(withoutNoteBlocks(`Theirs\n\n${writeNoteBlock('cll-1', [], 'x')}`)).toBe('Theirs');
    const edited = `Theirs\n\n${writeNoteBlock('cll-1', [], 'x').replace('x', 'y')}`;
    expect(withoutNoteBlocks(edited)).toBe(edited);
  });
});

describe('settling copies that hold a call note', () => {
  it('removes a redundant copy of ours whose only addition is our note: the note follows the copy kept', async () => {
    const { decideSettle } = await import('../../lib/calls/reconciler');
    const logged = call(null);
    const block = describeCall(logged);
    const target = {
      key: 'contact:7',
      kind: 'contact' as const,
      sellsyId: 7,
      name: 'M',
      related: [{ type: 'contact' as const, id: 7 }],
      state: 'posted' as const,
      sellsyPhoneCallId: 12,
    };
    const kept = { id: 11, description: block, related: [{ type: 'contact', id: 7 }] };
    const noted = { id: 12, description: withNoteBlock(block, 'cll-1', writeNoteBlock('cll-1', [], 'Rappeler'))!, related: [{ type: 'contact', id: 7 }] };
    const decision = decideSettle(logged, target, [kept, noted], { ownerId: 42, nearby: [], claimed: new Map() });
    expect(decision).toMatchObject({ remove: [12], target: { state: 'done', phoneCallId: 11 } });
    // What a person wrote keeps a copy, as before.
    const written = { ...noted, description: `Écrit à la main\n${noted.description}` };
    expect(decideSettle(logged, target, [kept, written], { ownerId: 42, nearby: [], claimed: new Map() }).remove).toEqual([]);
  });
});
