import fc from 'fast-check';
import type { CountryCode } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { fastE164, findNumbers, toE164, toE164ByLibrary } from '@/lib/phone/find-numbers';

// The fast path (lib/phone/french-plan.ts) decides French numbers from their digits alone, in
// place of libphonenumber. Recall and precision must not move: whatever it decides, accepted
// or rejected, libphonenumber must decide the same, for every default country.

const COUNTRIES: CountryCode[] = ['FR', 'RE', 'YT', 'GP', 'BL', 'MF', 'GF', 'MQ', 'PM', 'MC', 'BE', 'CH', 'LU', 'DE', 'GB', 'US'];
const PREFIXES = [
  '',
  '',
  '0',
  '0',
  '+',
  '00',
  '+33',
  '+33 ',
  '0033 ',
  '00 33 ',
  '+33 (0)',
  '+33 0',
  '(0)',
  '+262 ',
  '+590',
  '+32 ',
  '+41 ',
  '+352 ',
  ' ',
  '+ 33 ',
];
const SEPARATORS = [' ', '', '.', '-', '\u00a0', '\u202f', '  '];

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
/** Digits in groups, as people write them, after one of the prefixes a number is written with. */
const written = fc
  .tuple(fc.constantFrom(...PREFIXES), fc.array(digits(1, 4), { minLength: 1, maxLength: 6 }), fc.constantFrom(...SEPARATORS))
  .map(([prefix, groups, separator]) => prefix + groups.join(separator));
/** Ten digits as French numbers are, 0 and a digit then four pairs: the fast path's main case. */
const frenchLooking = fc
  .tuple(fc.constantFrom('', '+33 ', '0033 ', '+33 (0)'), digits(1, 1), fc.array(digits(2, 2), { minLength: 4, maxLength: 4 }), fc.constantFrom(...SEPARATORS))
  .map(([prefix, first, pairs, separator]) => `${prefix}${prefix === '' ? '0' : ''}${first}${separator}${pairs.join(separator)}`);

describe('the French plan read from digits alone', () => {
  it('decides every number it decides as libphonenumber does, whatever the default country', () => {
    const decided = { accepted: 0, rejected: 0, left: 0 };
    fc.assert(
      fc.property(fc.oneof(written, frenchLooking), fc.constantFrom(...COUNTRIES), (text, country) => {
        const fast = fastE164(text, country);
        const library = toE164ByLibrary(text, country);
        if (fast === undefined) decided.left++;
        else if (fast === null) decided.rejected++;
        else decided.accepted++;
        // Accepted: the same E.164. Rejected: libphonenumber rejects it too.
        if (fast !== undefined) expect(fast ?? undefined, `${JSON.stringify(text)} in ${country}`).toBe(library);
        expect(toE164(text, country)).toBe(library);
      }),
      { numRuns: 20_000, seed: 21 },
    );
    // The property says something only if the fast path decides a good share of what it sees.
    expect(decided.accepted).toBeGreaterThan(2_000);
    expect(decided.rejected).toBeGreaterThan(1_000);
    expect(decided.left).toBeGreaterThan(1_000);
  });

  it('agrees with libphonenumber on every block of the plan, overseas ones included', () => {
    // Every three-digit start of a national number, with a tail that walks through the rest.
    for (let block = 100; block < 1_000; block++) {
      const tail = String((block * 7_919) % 1_000_000).padStart(6, '0');
      for (const text of [`0${block}${tail}`, `+33 ${block} ${tail}`, `0033${block}${tail}`, `0${block}${tail}0`, `0${block}${tail.slice(1)}`]) {
        for (const country of ['FR', 'RE', 'GP', 'MQ', 'GF', 'YT', 'BE'] as CountryCode[]) {
          const fast = fastE164(text, country);
          if (fast !== undefined) expect(fast ?? undefined, `${text} in ${country}`).toBe(toE164ByLibrary(text, country));
        }
      }
    }
  });

  it('takes the common French numbers from libphonenumber’s hands', () => {
    for (const text of ['06 12 34 56 78', '01.23.45.67.89', '+33 6 12 34 56 78', '+33 (0)1 23 45 67 89', '0033 6 12 34 56 78', '0692 12 34 56']) {
      expect(fastE164(text, 'FR'), text).toMatch(/^\+\d+$/);
    }
    expect(fastE164('0692 12 34 56', 'FR')).toBe('+262692123456');
    // Left to libphonenumber: other plans, and a trunk 0 after +33.
    for (const text of ['+32 2 123 45 67', '+41 22 123 45 67', '+33 0 6 12 34 56 78', '+262 692 12 34 56']) expect(fastE164(text, 'FR'), text).toBeUndefined();
    expect(fastE164('02 123 45 67', 'BE')).toBeUndefined();
    // Surely no number: a French one needs its trunk 0 and exactly nine digits after it.
    for (const text of ['612345678', '06 12 34 56 789', '06 12 34 56']) expect(fastE164(text, 'FR'), text).toBeNull();
  });

  it('finds the same numbers in page text as libphonenumber alone would', () => {
    const text = 'Tél. 06 12 34 56 78 / +33 (0)1 23 45 67 89, SIREN 612 345 678, fax 0033 5 56 12 34 56 poste 12';
    expect(findNumbers(text).map((found) => found.e164)).toEqual(['+33612345678', '+33123456789', '+33556123456']);
  });
});
