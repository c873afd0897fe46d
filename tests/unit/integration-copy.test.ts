// @vitest-environment node
/**
 * Allo's own Sellsy integration logs calls too: a Phone Call on the record within a minute of the
 * call's start, same direction, duration within 2 s, and without a block of ours, is taken as
 * the call already logged. The edges of that rule, one by one.
 */
import { describe, expect, it } from 'vitest';
import { describeCall } from '@/lib/calls/phone-call-mapping';
import { integrationCopyOf, isIntegrationCopy } from '@/lib/calls/integration-copy';
import type { CallRecord } from '@/lib/calls/call-record';
import type { PhoneCall } from '@/lib/sellsy/phone-calls';

const START = Date.parse('2026-11-28T10:00:00Z');
const call = { alloId: 'cll-this', date: new Date(START).toISOString(), direction: 'INBOUND' as const, durationS: 95 };

function theirs(fields: Partial<PhoneCall> & { offsetS?: number } = {}): PhoneCall {
  const { offsetS = 0, ...rest } = fields;
  return {
    id: 1,
    description: 'Appel entrant Allo — résumé : devis.',
    related: [{ type: 'contact', id: 7 }],
    date: new Date(START + offsetS * 1000).toISOString().replace('Z', '+00:00'),
    source: 'incoming',
    duration: 95,
    ...rest,
  };
}

describe('a Phone Call written by Allo’s own Sellsy integration', () => {
  it('matches within a minute of the start, either way, and not past it', () => {
    expect(isIntegrationCopy(theirs({ offsetS: 59 }), call)).toBe(true);
    expect(isIntegrationCopy(theirs({ offsetS: -59 }), call)).toBe(true);
    expect(isIntegrationCopy(theirs({ offsetS: 60 }), call)).toBe(true);
    expect(isIntegrationCopy(theirs({ offsetS: 61 }), call)).toBe(false);
    expect(isIntegrationCopy(theirs({ offsetS: -61 }), call)).toBe(false);
  });

  it('matches a duration 2 s off, not 3 s', () => {
    expect(isIntegrationCopy(theirs({ duration: 97 }), call)).toBe(true);
    expect(isIntegrationCopy(theirs({ duration: 93 }), call)).toBe(true);
    expect(isIntegrationCopy(theirs({ duration: 98 }), call)).toBe(false);
    expect(isIntegrationCopy(theirs({ duration: 92 }), call)).toBe(false);
  });

  it('does not match the other direction', () => {
    expect(isIntegrationCopy(theirs({ source: 'outcoming' }), call)).toBe(false);
    expect(isIntegrationCopy(theirs({ source: 'outcoming' }), { ...call, direction: 'OUTBOUND' })).toBe(true);
  });

  it('is never one carrying a block of ours, for this call or another', () => {
    const ours = (alloId: string) => describeCall({ alloId, summary: 'Devis.', recordingUrl: null } as CallRecord);
    expect(isIntegrationCopy(theirs({ description: ours('cll-this') }), call)).toBe(false);
    expect(isIntegrationCopy(theirs({ description: `Note\n\n${ours('cll-other')}` }), call)).toBe(false);
    // Even edited by a person, this call's block is ours.
    expect(isIntegrationCopy(theirs({ description: ours('cll-this').replace('Devis.', 'Devis envoyé.') }), call)).toBe(false);
    // A summary that merely quotes another call's marker lines is not a block of ours.
    expect(isIntegrationCopy(theirs({ description: 'Le client cite :\nIn Allo: https://web.withallo.com/\n[Allo call cll-x]' }), call)).toBe(true);
  });

  it('needs the date, direction and duration Sellsy answers with', () => {
    expect(isIntegrationCopy(theirs({ date: undefined }), call)).toBe(false);
    expect(isIntegrationCopy(theirs({ source: undefined }), call)).toBe(false);
    expect(isIntegrationCopy(theirs({ duration: undefined }), call)).toBe(false);
    expect(isIntegrationCopy(theirs({ date: 'not a date' }), call)).toBe(false);
  });

  it('takes a missed call (no duration) as 0 s', () => {
    expect(isIntegrationCopy(theirs({ duration: 0 }), { ...call, durationS: null })).toBe(true);
  });

  it('picks the same one in every browser: closest start, then lowest id', () => {
    const far = theirs({ id: 3, offsetS: 40 });
    const near = theirs({ id: 5, offsetS: -10 });
    const twin = theirs({ id: 4, offsetS: 10 });
    expect(integrationCopyOf([far, near, twin], call)?.id).toBe(4);
    expect(integrationCopyOf([theirs({ offsetS: 120 })], call)).toBeUndefined();
  });
});
