import { describe, expect, it } from 'vitest';
import { findNumbers, toE164 } from '@/lib/phone/find-numbers';
import { phoneCases } from './phone-cases';

describe('findNumbers', () => {
  it.each(phoneCases)('$why: $text', ({ text, expected }) => {
    expect(findNumbers(text).map((found) => found.e164)).toEqual(expected);
  });

  it('reports where each number is, extension included', () => {
    const text = 'Tél : 01 23 45 67 89 poste 214, mobile 06 12 34 56 78.';
    const found = findNumbers(text);
    expect(found.map(({ start, end }) => text.slice(start, end))).toEqual(['01 23 45 67 89 poste 214', '06 12 34 56 78']);
    expect(found[0]).toMatchObject({ e164: '+33123456789', extension: '214' });
  });

  it('reads national numbers in the default country', () => {
    expect(findNumbers('(415) 555-0100', 'US').map((f) => f.e164)).toEqual(['+14155550100']);
    expect(findNumbers('02 123 45 67', 'BE').map((f) => f.e164)).toEqual(['+3221234567']);
    expect(findNumbers('(415) 555-0100', 'FR')).toEqual([]);
  });
});

describe('toE164', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['0033612345678', '+33612345678'],
    ['612345678', undefined],
    ['+33 0 12 34 56 78', undefined],
  ])('%s → %s', (written, e164) => {
    expect(toE164(written)).toBe(e164);
  });
});
