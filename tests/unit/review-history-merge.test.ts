// @vitest-environment node
import 'fake-indexeddb/auto';
/**
 * Review of the side panel's history (issue 20 item 2), the merging and reading side: what the
 * team wrote in Sellsy is shown once, as text, safely, and only the connected person's own calls
 * are "You". Each test below failed before the fix it names.
 */
import { describe, expect, it } from 'vitest';
import { openCacheDb } from '@/lib/cache/open';
import type { CachedRecord } from '@/lib/cache/schema';
import type { CallRecord } from '@/lib/calls/call-record';
import { CallStore } from '@/lib/calls/call-store';
import { callMarker, firstLine, writeBlock } from '@/lib/calls/description-block';
import { type DescriptionLabels, describeCall, ENGLISH_LABELS } from '@/lib/calls/phone-call-mapping';
import { createCallHistory, mergeHistory } from '@/lib/dialer/call-history';
import type { SellsyClient } from '@/lib/sellsy/api-client';
import { latestPhoneCalls, type TeamPhoneCall } from '@/lib/sellsy/phone-calls';
import { DEFAULT_RECORD_PATHS, type RecordLinks } from '@/lib/sellsy/record-url';
import en from '@/public/_locales/en/messages.json';
import fr from '@/public/_locales/fr/messages.json';
import { callRecord, logTarget } from '../support/call-builders';

const LINKS: RecordLinks = { appUrl: 'https://www.sellsy.com', paths: { ...DEFAULT_RECORD_PATHS } };
const SWITCHBOARD = '+33123456789';
const YOU = 4242;
// What the background passed for a French interface: English (the default) and its own language's.
const LABELS = { summary: ['Summary:', 'Résumé\u202f:'], noSummary: ['The Allo summary is not available yet.', 'Le résumé Allo n’est pas encore disponible.'] };
// And for an English one.
const ENGLISH_UI = { summary: ['Summary:', 'Summary:'], noSummary: ['The Allo summary is not available yet.', 'The Allo summary is not available yet.'] };

function contact(id: number, name: string): CachedRecord {
  return { key: `contact:${id}`, kind: 'contact', sellsyId: id, name, phones: [SWITCHBOARD], rawPhones: [], updated: '2026-01-01T00:00:00Z' };
}
const MARIE = contact(958, 'Marie Dupont');
const PAUL = contact(959, 'Paul Durand');

function ourCall(alloId: string, date: string, extra: Partial<CallRecord> = {}): CallRecord {
  return callRecord({ alloId, counterpart: SWITCHBOARD, date, targets: [logTarget(MARIE)], ...extra });
}

function teamCall(id: number, date: string, extra: Partial<TeamPhoneCall> = {}): TeamPhoneCall {
  return {
    id,
    date,
    source: 'outcoming',
    duration: 95,
    result: 'connected',
    description: 'Rappel du devis.',
    related: [{ type: 'contact', id: 958 }],
    ownerId: 77,
    ownerName: 'Julie Roux',
    ...extra,
  };
}

const FRENCH: DescriptionLabels = {
  summary: fr.descSummary.message,
  noSummary: fr.descNoSummary.message,
  recording: fr.descRecording.message,
  recordingInAllo: fr.descRecordingInAllo.message,
  openInAllo: fr.descOpenInAllo.message,
};

describe('review: one call logged on several records shows once', () => {
  it('a colleague’s call to a switchboard two contacts share (one Phone Call per record, same block) is one line', () => {
    // The colleague's extension logged her call once per record with the number.
    const hers = ourCall('cll-julie', '2026-12-04T10:00:00Z');
    const merged = mergeHistory({
      ours: [],
      team: [
        teamCall(6001, hers.date, { description: describeCall(hers) }),
        teamCall(6002, hers.date, { description: describeCall(hers), related: [{ type: 'contact', id: 959 }] }),
      ],
      records: [MARIE, PAUL],
      staffId: YOU,
      links: LINKS,
      labels: LABELS,
    });
    expect(merged.map((call) => call.key)).toEqual(['sellsy:6001']);
    expect(merged[0]?.record?.name).toBe('Marie Dupont');
  });

  it('a log without our block (Allo’s integration, another tool) on two records is one line: same owner, instant, direction, length', () => {
    const thirty = Array.from({ length: 30 }, (_, i) => contact(1000 + i, `Standard ${String(i).padStart(2, '0')}`));
    const sameCall = thirty.slice(0, 5).map((record, i) =>
      teamCall(7000 + i, i % 2 ? '2026-12-04T11:00:00+01:00' : '2026-12-04T10:00:00Z', {
        related: [{ type: 'contact', id: record.sellsyId }],
        description: 'Appel Allo sortant',
      }),
    );
    const other = teamCall(7100, '2026-12-03T10:00:00Z', { related: [{ type: 'contact', id: 1000 }] });
    const merged = mergeHistory({ ours: [], team: [...sameCall, other], records: thirty.slice(0, 5), staffId: YOU, links: LINKS, labels: LABELS });
    expect(merged.map((call) => call.key)).toEqual(['sellsy:7000', 'sellsy:7100']);
  });

  it('two different calls at other times, or by two people, stay two lines', () => {
    const merged = mergeHistory({
      ours: [],
      team: [
        teamCall(8001, '2026-12-04T10:00:00Z'),
        teamCall(8002, '2026-12-04T10:00:00Z', { ownerId: 78, ownerName: 'Léa Petit' }),
        teamCall(8003, '2026-12-04T10:00:00Z', { duration: 12 }),
        teamCall(8004, '2026-12-04T10:05:00Z'),
      ],
      records: [MARIE],
      staffId: YOU,
      links: LINKS,
      labels: LABELS,
    });
    expect(merged).toHaveLength(4);
  });
});

describe('review: only the connected person’s calls are “You”', () => {
  it('a call found while another Sellsy user was connected is not listed as the user’s, and its Phone Call is that colleague’s', async () => {
    const calls = new CallStore(openCacheDb(`review-history-${Math.random()}`));
    // Found while staff 999 was connected on this browser; logged as Phone Call 9100.
    await calls.put(ourCall('cll-before', '2026-12-03T10:00:00Z', { account: '999', targets: [logTarget(MARIE, { sellsyPhoneCallId: 9100 })] }));
    await calls.put(ourCall('cll-mine', '2026-12-04T10:00:00Z', { account: String(YOU) }));
    // A call of an install from before accounts were stamped: the connected person's.
    await calls.put(ourCall('cll-old-install', '2026-12-02T10:00:00Z'));
    const history = createCallHistory({
      calls,
      cache: { findByNumber: async () => [MARIE] },
      links: async () => LINKS,
      staffId: async () => YOU,
      labels: LABELS,
      latestPhoneCalls: async () => ({ calls: [teamCall(9100, '2026-12-03T10:00:00Z', { ownerId: 999, ownerName: 'Camille Martin' })], skipped: 0 }),
    });
    const { calls: listed } = await history.forNumber(SWITCHBOARD);
    expect(listed.map((call) => [call.key, call.byYou, call.byName])).toEqual([
      ['allo:cll-mine', true, undefined],
      ['sellsy:9100', false, 'Camille Martin'],
      ['allo:cll-old-install', true, undefined],
    ]);
  });

  it('with Sellsy disconnected, the account the calls were last logged for decides', async () => {
    const calls = new CallStore(openCacheDb(`review-history-${Math.random()}`));
    await calls.put(ourCall('cll-before', '2026-12-03T10:00:00Z', { account: '999' }));
    await calls.put(ourCall('cll-mine', '2026-12-04T10:00:00Z', { account: String(YOU) }));
    const history = createCallHistory({
      calls,
      cache: { findByNumber: async () => [MARIE] },
      links: async () => LINKS,
      staffId: async () => undefined,
      account: async () => String(YOU),
      labels: LABELS,
      latestPhoneCalls: async () => ({ calls: [], skipped: 0 }),
    });
    expect((await history.forNumber(SWITCHBOARD)).calls.map((call) => call.key)).toEqual(['allo:cll-mine']);
  });
});

describe('review: a planned call is not “what happened before”', () => {
  it('leaves out a Phone Call whose result is `scheduled`', () => {
    const merged = mergeHistory({
      ours: [],
      team: [teamCall(8101, '2026-12-09T09:00:00Z', { result: 'scheduled', duration: 0 }), teamCall(8102, '2026-12-04T10:00:00Z')],
      records: [MARIE],
      staffId: YOU,
      links: LINKS,
      labels: LABELS,
    });
    expect(merged.map((call) => call.key)).toEqual(['sellsy:8102']);
  });
});

describe('review: hostile text from Sellsy', () => {
  it('reads a long line of unclosed tags in linear time', () => {
    const start = performance.now();
    expect(firstLine(`${'<a'.repeat(60_000)} fin`, LABELS)).toMatch(/^<a<a/);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('drops the invisible characters that reorder text from names and summaries', () => {
    const merged = mergeHistory({
      ours: [],
      team: [teamCall(8201, '2026-12-04T10:00:00Z', { ownerName: 'Julie\u202e Roux', description: '\u2067Devis\u2069 signé\u200f' })],
      records: [{ ...MARIE, name: 'Marie\u202d Dupont' }],
      staffId: YOU,
      links: LINKS,
      labels: LABELS,
    });
    expect(merged[0]).toMatchObject({ byName: 'Julie Roux', summary: 'Devis signé', record: { name: 'Marie Dupont' } });
  });
});

describe('review: every block a version of the extension wrote reads as its summary', () => {
  it('French blocks of today (narrow no-break space before the colon), whatever the reader’s language', () => {
    const block = describeCall(ourCall('cll-fr', '2026-12-04T10:00:00Z', { summary: 'Devis signé.' }), FRENCH);
    const unsummarized = describeCall(ourCall('cll-fr2', '2026-12-04T10:00:00Z', { summary: null }), FRENCH);
    expect(block).toContain('Résumé\u202f: Devis signé.');
    // Read in French, as the background passes its labels.
    expect(firstLine(block, LABELS)).toBe('Devis signé.');
    // Read in English: a French colleague's block.
    expect(firstLine(block, ENGLISH_UI)).toBe('Devis signé.');
    expect(firstLine(unsummarized, ENGLISH_UI)).toBeUndefined();
    expect(firstLine(describeCall(ourCall('cll-en', '2026-12-04T10:00:00Z', { summary: null }), ENGLISH_LABELS), LABELS)).toBeUndefined();
  });

  it('blocks of earlier versions: `Résumé: `, a straight apostrophe, Allo’s Markdown written raw', () => {
    // c6c8a0b … 7c4670c: "<label>: <summary>", the summary's Markdown as Allo sent it.
    const oldFrench = writeBlock('cll-old', ['Résumé: **Objet** : devis\n- 12 postes', `Dans Allo: https://web.withallo.com/`]);
    expect(firstLine(oldFrench, LABELS)).toBe('Objet : devis');
    expect(firstLine(`Le résumé Allo n'est pas encore disponible.\nDans Allo: https://web.withallo.com/\n${callMarker('cll-old2')}`, LABELS)).toBeUndefined();
    expect(firstLine(`Summary: ## Appel\nIn Allo: https://web.withallo.com/\n${callMarker('cll-old3')}`, ENGLISH_UI)).toBe('Appel');
    // A person's own note keeps its characters.
    expect(firstLine('**urgent** rappeler', LABELS)).toBe('**urgent** rappeler');
  });

  it('the labels it knows are the ones each language writes today', async () => {
    const { WRITTEN_LABELS } = await import('@/lib/calls/description-block');
    expect(WRITTEN_LABELS.summary).toEqual(expect.arrayContaining([en.descSummary.message, fr.descSummary.message]));
    expect(WRITTEN_LABELS.noSummary).toEqual(expect.arrayContaining([en.descNoSummary.message, fr.descNoSummary.message]));
  });
});

describe('review: a Phone Call with an odd owner or relation is read, not dropped', () => {
  it('an owner without an id (a deleted staff, say) or one odd related item keeps the call', async () => {
    const client = {
      request: async () => ({
        data: [
          { id: 9301, date: '2026-12-04T10:00:00Z', owner: { id: null, type: 'staff' }, description: 'a', related: [{ type: 'contact', id: 958 }] },
          {
            id: 9302,
            date: '2026-12-04T09:00:00Z',
            owner: { id: 77, type: 'staff' },
            description: 'b',
            related: [{ type: 'contact', id: 958 }, { type: 'opportunity' }],
          },
        ],
      }),
    } as unknown as SellsyClient;
    const { calls, skipped } = await latestPhoneCalls(client, { type: 'contact', id: 958 }, 5);
    expect(skipped).toBe(0);
    expect(calls.map((call) => [call.id, call.ownerId, call.related])).toEqual([
      [9301, undefined, [{ type: 'contact', id: 958 }]],
      [9302, 77, [{ type: 'contact', id: 958 }]],
    ]);
  });
});

describe('review, by design: what holds already', () => {
  it('25 Phone Calls of a megabyte each are read in well under a second: only the start of a first line is worked on', () => {
    const huge = `${'Compte rendu très long. '.repeat(45_000)}\n${'<p>'.repeat(100_000)}`;
    const ours = [1, 2, 3, 4, 5].map((day) => ourCall(`cll-${day}`, `2026-11-0${day}T10:00:00Z`));
    const team = Array.from({ length: 25 }, (_, i) => teamCall(9500 + i, `2026-12-0${1 + (i % 5)}T1${i % 10}:00:00Z`, { description: huge, ownerId: 70 + i }));
    const start = performance.now();
    const merged = mergeHistory({ ours, team, records: [MARIE], staffId: YOU, links: LINKS, labels: LABELS });
    expect(performance.now() - start).toBeLessThan(1_000);
    expect(merged[0]?.summary).toHaveLength(200);
  });

  it('a Phone Call without an owner is a colleague’s, never “You”; one dated in the future is listed as Sellsy has it', () => {
    const merged = mergeHistory({
      ours: [],
      team: [teamCall(9601, '2027-01-04T10:00:00Z', { ownerId: undefined, ownerName: undefined })],
      records: [MARIE],
      staffId: YOU,
      links: LINKS,
    });
    expect(merged[0]).toMatchObject({ key: 'sellsy:9601', byYou: false });
    expect(merged[0]?.byName).toBeUndefined();
  });
});
