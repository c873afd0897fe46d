// @vitest-environment node
/**
 * The reconciler's rules, one by one, with no IO. Allo's own Sellsy integration logs calls too: a
 * Phone Call naming the call (its recording link) is that call's log; without that proof, one on
 * the record within a minute of the call's start, same direction, duration within 2 s, same owner,
 * without a block of ours, is a guess, given to the closest of the user's calls only.
 */
import { describe, expect, it } from 'vitest';
import { describeCall } from '@/lib/calls/phone-call-mapping';
import type { CallLogTarget, CallRecord } from '@/lib/calls/call-record';
import { type Context, decideSettle, decideUnposted, fitsAsGuess, integrationLogOf, isExactLog, namedCallIds } from '@/lib/calls/reconciler';
import type { PhoneCall } from '@/lib/sellsy/phone-calls';

const START = Date.parse('2026-11-28T10:00:00Z');
type Facts = Pick<CallRecord, 'alloId' | 'date' | 'direction' | 'durationS'>;
const call: Facts = { alloId: 'cll-this', date: new Date(START).toISOString(), direction: 'INBOUND', durationS: 95 };
const OWNER = 42;
const context = (fields: Partial<Context> = {}): Context => ({ ownerId: OWNER, nearby: [], claimed: new Map(), ...fields });
const isIntegrationCopy = (p: PhoneCall, c: Facts) => fitsAsGuess(p, c, OWNER);
const integrationCopyOf = (ps: PhoneCall[], c: Facts) => integrationLogOf(ps, c, context())?.phoneCall;

function theirs(fields: Partial<PhoneCall> & { offsetS?: number } = {}): PhoneCall {
  const { offsetS = 0, ...rest } = fields;
  return {
    id: 1,
    description: 'Appel entrant Allo — résumé : devis.',
    related: [{ type: 'contact', id: 7 }],
    date: new Date(START + offsetS * 1000).toISOString().replace('Z', '+00:00'),
    source: 'incoming',
    duration: 95,
    ownerId: OWNER,
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
    // A summary quoting another call's marker lines is no block of ours, but it names another
    // call: not a guess for this one (ours is posted rather than risk taking another call's log).
    expect(isIntegrationCopy(theirs({ description: 'Le client cite :\nIn Allo: https://web.withallo.com/\n[Allo call cll-x]' }), call)).toBe(false);
    expect(isIntegrationCopy(theirs({ description: 'Le client cite :\nIn Allo: https://web.withallo.com/\n[Allo call]' }), call)).toBe(true);
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

  it('is a colleague’s, not ours, under another owner; unknown owner is no proof either', () => {
    expect(isIntegrationCopy(theirs({ ownerId: 77 }), call)).toBe(false);
    expect(isIntegrationCopy(theirs({ ownerId: undefined }), call)).toBe(false);
  });

  it('is never a guess for this call when it names another call', () => {
    expect(isIntegrationCopy(theirs({ description: 'Appel. https://storage.withallo.com/recordings/cll-other.mp3' }), call)).toBe(false);
  });
});

describe('exact proof: the Phone Call names the call', () => {
  it('reads call ids as whole tokens, from recording links too', () => {
    expect([...namedCallIds('Écouter : https://storage.withallo.com/recordings/cll-abc123.mp3 et cll-x-y')]).toEqual(['cll-abc123', 'cll-x-y']);
    expect(namedCallIds('xcll-abc mycll-1').size).toBe(0);
  });

  it('needs the call’s own id, whatever the time or owner, and never our own block', () => {
    const named = theirs({ description: 'https://storage.withallo.com/recordings/cll-this.mp3', offsetS: 600, ownerId: 77 });
    expect(isExactLog(named, call, 77)).toBe(true);
    // Logged as another staff than the user's: a colleague's note quoting the link, not our log.
    expect(isExactLog(named, call, OWNER)).toBe(false);
    expect(isExactLog(theirs({ description: 'https://storage.withallo.com/recordings/cll-this2.mp3' }), call, OWNER)).toBe(false);
    // Naming another call too proves nothing: a later call's log quoting this one.
    expect(isExactLog(theirs({ description: 'cll-this puis cll-later' }), call, OWNER)).toBe(false);
    const ours = describeCall({ alloId: 'cll-this', summary: 'Devis.', recordingUrl: null } as CallRecord);
    expect(isExactLog(theirs({ description: ours }), call, OWNER)).toBe(false);
  });

  it('wins over a closer guess', () => {
    const guess = theirs({ id: 2 });
    const named = theirs({ id: 9, offsetS: 50, description: 'cll-this' });
    expect(integrationLogOf([guess, named], call, context())).toMatchObject({ phoneCall: { id: 9 }, exact: true });
  });
});

describe('a guess is one-to-one', () => {
  const missed = { alloId: 'cll-a', date: new Date(START).toISOString(), direction: 'INBOUND' as const, durationS: 0 };
  const redial = { ...missed, alloId: 'cll-b', date: new Date(START + 30_000).toISOString() };
  const log = theirs({ duration: 0 });

  it('goes to the closest of the user’s calls it fits, not to every one', () => {
    expect(integrationLogOf([log], missed, context({ nearby: [redial] }))?.phoneCall.id).toBe(log.id);
    expect(integrationLogOf([log], redial, context({ nearby: [missed] }))).toBeUndefined();
  });

  it('is not taken again once another call as close adopted it', () => {
    const twin = { ...missed, alloId: 'cll-0' }; // as close, and first in the tie's order
    expect(integrationLogOf([log], missed, context({ claimed: new Map([[log.id, twin]]) }))).toBeUndefined();
  });

  it('is taken back from a farther call that adopted it before this one was known', () => {
    // The redial's browser had not seen the missed call yet when it guessed.
    expect(integrationLogOf([log], missed, context({ nearby: [redial], claimed: new Map([[log.id, redial]]) }))).toMatchObject({
      phoneCall: { id: log.id },
      exact: false,
      takenFrom: 'cll-b',
    });
  });

  it('a log naming the call is its own even when another call had guessed it', () => {
    const named = theirs({ duration: 0, offsetS: 30, description: 'https://storage.withallo.com/recordings/cll-b.mp3' });
    expect(integrationLogOf([named], redial, context({ nearby: [missed], claimed: new Map([[named.id, missed]]) }))).toMatchObject({
      exact: true,
      takenFrom: 'cll-a',
    });
  });

  it('a log naming one call is no guess for its neighbour', () => {
    const named = theirs({ duration: 0, offsetS: 30, description: 'cll-b' });
    expect(integrationLogOf([named], missed, context({ nearby: [redial] }))).toBeUndefined();
  });
});

describe('deciding a target', () => {
  const target = (fields: Partial<CallLogTarget> = {}): CallLogTarget => ({
    key: 'contact:7',
    kind: 'contact',
    sellsyId: 7,
    name: 'Marie',
    related: [
      { type: 'contact', id: 7 },
      { type: 'company', id: 3 },
    ],
    state: 'todo',
    ...fields,
  });
  const ours = (id: number, related: PhoneCall['related'], note = '') =>
    theirs({ id, related, description: `${note}${describeCall({ alloId: 'cll-this', summary: 'Devis.', recordingUrl: null } as CallRecord)}` });

  it('adopts for the records the log relates and leaves the rest to post', () => {
    expect(decideUnposted(call, target(), [theirs()], context(), START)).toEqual({
      do: 'adopt',
      phoneCallId: 1,
      exact: false,
      covers: [{ type: 'contact', id: 7 }],
      rest: [{ type: 'company', id: 3 }],
    });
  });

  it('does not post again before an unknown POST is searchable, then takes the copy it finds', () => {
    const posting = target({ state: 'posting', attemptAt: START });
    expect(decideUnposted(call, posting, [], context(), START + 1000)).toEqual({ do: 'wait', until: START + 120_000 });
    expect(decideUnposted(call, posting, [], context(), START + 120_000)).toEqual({ do: 'post' });
    expect(decideUnposted(call, posting, [ours(5, posting.related)], context(), START + 1000)).toEqual({ do: 'take-ours', phoneCallId: 5 });
    // A copy that leaves the company out does not log the target: the company would be lost.
    expect(decideUnposted(call, posting, [ours(5, [{ type: 'contact', id: 7 }])], context(), START + 1000)).toEqual({ do: 'wait', until: START + 120_000 });
  });

  it('takes another browser’s copy that logs every record of the target instead of posting a second', () => {
    expect(decideUnposted(call, target(), [ours(8, target().related)], context(), START)).toEqual({ do: 'take-ours', phoneCallId: 8 });
    expect(decideUnposted(call, target(), [ours(8, [{ type: 'company', id: 3 }])], context(), START)).toEqual({ do: 'post' });
  });

  it('settles: widest copy kept, narrower untouched one removed, an edited one kept', () => {
    const wide = ours(5, target().related);
    const narrow = ours(6, [{ type: 'contact', id: 7 }]);
    const edited = ours(7, [{ type: 'contact', id: 7 }], 'Rappeler.\n');
    expect(decideSettle(call, target({ state: 'posted' }), [narrow, wide, edited], context())).toEqual({
      remove: [6],
      narrow: [],
      target: { state: 'done', phoneCallId: 5 },
    });
  });

  it('a guess never removes a copy of ours; an exact log does, or narrows it', () => {
    const mine = ours(5, [{ type: 'contact', id: 7 }]);
    expect(decideSettle(call, target({ state: 'posted', related: [{ type: 'contact', id: 7 }] }), [mine, theirs({ id: 9 })], context()).remove).toEqual([]);
    const exact = theirs({ id: 9, description: 'cll-this' });
    expect(decideSettle(call, target({ state: 'posted', related: [{ type: 'contact', id: 7 }] }), [mine, exact], context())).toEqual({
      remove: [5],
      narrow: [],
      target: { state: 'adopted', phoneCallId: 9 },
    });
    const wide = ours(6, target().related);
    expect(decideSettle(call, target({ state: 'posted' }), [wide, exact], context())).toEqual({
      remove: [],
      narrow: [{ phoneCallId: 6, related: [{ type: 'company', id: 3 }] }],
      target: { state: 'adopted', phoneCallId: 9 },
    });
  });

  it('keeps a copy Sellsy refused to delete', () => {
    const a = ours(5, [{ type: 'contact', id: 7 }]);
    const b = ours(6, [{ type: 'contact', id: 7 }]);
    const t = target({ state: 'posted', related: [{ type: 'contact', id: 7 }] });
    expect(decideSettle(call, t, [a, b], context()).remove).toEqual([6]);
    expect(decideSettle(call, t, [a, b], context(), new Set([6]))).toMatchObject({ remove: [], target: { state: 'done', phoneCallId: 5 } });
  });
});
