/**
 * When a "Call back" falls due (lib/follow-up/due-time.ts), in the user's time zone: the days
 * summer time begins and ends in Paris, Friday's "next week", "later today" late in the evening,
 * a chosen date; and the title (follow-up-title.ts) bounded and plain whatever the names hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueAt, dueOn, localIso } from '@/lib/follow-up/due-time';
import { followUpTitle, TITLE_MAX } from '@/lib/follow-up/follow-up-title';
import { pickTaskLabel } from '@/lib/follow-up/task-label';

const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Paris';
});
afterAll(() => {
  process.env.TZ = zone;
});

/** A wall-clock moment in Paris. */
const paris = (text: string) => new Date(text);

describe('due times in the local time zone', () => {
  it('tomorrow 9:00 across the night summer time begins (29 March 2026)', () => {
    const due = dueAt('tomorrow', paris('2026-03-28T20:00:00+01:00'))!;
    expect(localIso(due)).toBe('2026-03-29T09:00:00+02:00');
  });

  it('tomorrow 9:00 across the night summer time ends (25 October 2026)', () => {
    expect(localIso(dueAt('tomorrow', paris('2026-10-24T23:30:00+02:00'))!)).toBe('2026-10-25T09:00:00+01:00');
  });

  it('later today is two hours on, rounded up to the quarter, in real time across the change', () => {
    expect(localIso(dueAt('later-today', paris('2026-12-07T10:05:00+01:00'))!)).toBe('2026-12-07T12:15:00+01:00');
    expect(localIso(dueAt('later-today', paris('2026-12-07T10:00:00+01:00'))!)).toBe('2026-12-07T12:00:00+01:00');
    // 01:30 + 2 h of real time on the morning clocks go forward is 04:30 on the wall.
    expect(localIso(dueAt('later-today', paris('2026-03-29T01:30:00+01:00'))!)).toBe('2026-03-29T04:30:00+02:00');
  });

  it('later today is not offered when it would be tomorrow', () => {
    expect(dueAt('later-today', paris('2026-12-07T22:30:00+01:00'))).toBeNull();
    expect(dueAt('later-today', paris('2026-12-07T21:45:00+01:00'))).not.toBeNull();
  });

  it('in two days, at 9:00', () => {
    expect(localIso(dueAt('in-two-days', paris('2026-12-30T16:00:00+01:00'))!)).toBe('2027-01-01T09:00:00+01:00');
  });

  it.each([
    ['Friday', '2026-12-04T17:00:00+01:00', '2026-12-07T09:00:00+01:00'],
    ['Saturday', '2026-12-05T10:00:00+01:00', '2026-12-07T09:00:00+01:00'],
    ['Sunday', '2026-12-06T10:00:00+01:00', '2026-12-07T09:00:00+01:00'],
    ['Monday', '2026-12-07T08:00:00+01:00', '2026-12-14T09:00:00+01:00'],
    ['Friday before summer time', '2026-03-27T17:00:00+01:00', '2026-03-30T09:00:00+02:00'],
  ])('next week from a %s is the next Monday, 9:00', (_day, now, expected) => {
    expect(localIso(dueAt('next-week', paris(now))!)).toBe(expected);
  });

  it('a chosen date and time, local; a past or impossible one is refused', () => {
    const now = paris('2026-12-07T10:00:00+01:00');
    expect(localIso(dueOn('2026-12-24', '14:30', now)!)).toBe('2026-12-24T14:30:00+01:00');
    expect(localIso(dueOn('2027-07-01', '', now)!)).toBe('2027-07-01T09:00:00+02:00');
    expect(dueOn('2026-12-06', '09:00', now)).toBeNull();
    expect(dueOn('2027-02-31', '09:00', now)).toBeNull();
    expect(dueOn('2026-12-24', '25:00', now)).toBeNull();
    expect(dueOn('24/12/2026', '09:00', now)).toBeNull();
    // A year typed 2062 for 2026 is not a plan.
    expect(dueOn('2062-12-24', '09:00', now)).toBeNull();
  });
});

describe('the task title', () => {
  it('the words, the name, the note’s first line', () => {
    expect(followUpTitle('Rappeler', 'Marie Dupont', 'Veut un devis')).toBe('Rappeler Marie Dupont — Veut un devis');
    expect(followUpTitle('Call back', 'Marie Dupont')).toBe('Call back Marie Dupont');
    expect(followUpTitle('Call back', 'Marie Dupont', '   ')).toBe('Call back Marie Dupont');
  });

  it.each([
    ['line breaks', 'Marie\nDupont\r\n[Allo follow-up x]', 'Call back Marie Dupont [Allo follow-up x]'],
    ['bidi override', 'Marie \u202eDupont', 'Call back Marie Dupont'],
    ['zero width and NUL', 'Ma\u200brie\u0000 Dupont', 'Call back Marie Dupont'],
  ])('a hostile name (%s) stays one plain line', (_what, name, expected) => {
    expect(followUpTitle('Call back', name)).toBe(expected);
  });

  it('bounded, never half an emoji', () => {
    const title = followUpTitle('Call back', 'Marie', `${'x'.repeat(TITLE_MAX - 22)}😀😀😀😀`);
    expect(title.length).toBeLessThanOrEqual(TITLE_MAX);
    expect(title.endsWith('…')).toBe(true);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(title)).toBe(false);
  });
});

describe('the task label', () => {
  it('one named for calling back, else the first, else none', () => {
    expect(
      pickTaskLabel([
        { id: 1, name: 'Tâche' },
        { id: 2, name: 'Appel' },
        { id: 3, name: 'Rappel' },
      ]),
    ).toEqual({ id: 3, name: 'Rappel' });
    expect(
      pickTaskLabel([
        { id: 1, name: 'To do' },
        { id: 2, name: 'Call back' },
      ]),
    ).toEqual({ id: 2, name: 'Call back' });
    expect(pickTaskLabel([{ id: 5, name: 'Divers' }])).toEqual({ id: 5, name: 'Divers' });
    expect(pickTaskLabel([])).toBeNull();
  });
});
