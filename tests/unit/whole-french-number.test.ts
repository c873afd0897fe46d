import fc from 'fast-check';
import type { CountryCode } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { findNumbers, findNumbersInText, toE164ByLibrary, wholeFrenchNumber } from '@/lib/phone/find-numbers';

// A cell that is one French number is read without the candidate search (findNumbers' short
// way). Recall and precision must not move: on every text it accepts, libphonenumber gives the
// same E.164 and the general way finds the same one number; on every text, findNumbers with and
// without the short way answers the same.

const COUNTRIES: CountryCode[] = ['FR', 'RE', 'GP', 'MQ', 'GF', 'YT', 'PM', 'MC', 'BE', 'CH', 'DE', 'GB', 'US'];
const SEPARATORS = ['', ' ', '.', '-', '\u00a0', '\u202f', '  ', '/', ',', '_', '\t'];
const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** Digit groups as people write them, after a prefix, sometimes with something around them. */
const written = fc
  .tuple(
    fc.constantFrom('', '', '', '0', '0', '+', '+33', '+33 ', '+ 33', '00', '0033', '+262', '+32', ' ', 'x'),
    fc.array(digits(1, 4), { minLength: 1, maxLength: 7 }),
    fc.constantFrom(...SEPARATORS),
    fc.constantFrom('', '', '', ' ', '.', 'a', ' €', ' poste 12', '-'),
  )
  .map(([prefix, groups, separator, suffix]) => prefix + groups.join(separator) + suffix);
/** Ten digits as French numbers are written, and "+33" with nine: what the short way is for. */
const frenchLooking = fc
  .tuple(fc.constantFrom('0', '+33', '+33 '), digits(1, 1), fc.array(digits(2, 2), { minLength: 4, maxLength: 4 }), fc.constantFrom(...SEPARATORS))
  .map(([prefix, first, pairs, separator]) => `${prefix}${first}${separator}${pairs.join(separator)}`);
/** Separators mixed within one number. */
const mixed = fc
  .tuple(fc.constantFrom('0', '+33'), fc.array(fc.tuple(fc.constantFrom(...SEPARATORS), digits(1, 3)), { minLength: 3, maxLength: 8 }))
  .map(([prefix, parts]) => prefix + parts.map(([separator, group]) => separator + group).join(''));

describe('the short way for a text that is one French number', () => {
  it('accepts only what libphonenumber and the general way accept, with the same E.164', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(frenchLooking, mixed, written), fc.constantFrom(...COUNTRIES), (text, country) => {
        const whole = wholeFrenchNumber(text, country);
        const label = `${JSON.stringify(text)} in ${country}`;
        if (whole !== undefined) {
          accepted++;
          expect(toE164ByLibrary(text, country), label).toBe(whole);
          expect(findNumbersInText(text, country), label).toEqual([{ start: 0, end: text.length, e164: whole }]);
        }
        expect(findNumbers(text, country), label).toEqual(findNumbersInText(text, country));
      }),
      { numRuns: 20_000, seed: 2026 },
    );
    // The property says something only if the short way takes a good share of what it sees.
    expect(accepted).toBeGreaterThan(2_000);
  });

  it.each([
    ['01 23 45 67 89', '+33123456789'],
    ['06.12.34.56.78', '+33612345678'],
    ['07\u00a034\u00a012\u00a034\u00a056', '+33734123456'],
    ['0123456789', '+33123456789'],
    ['+33 1 23 45 67 89', '+33123456789'],
    ['+33612345678', '+33612345678'],
    ['06 92 12 34 56', '+262692123456'],
  ])('reads %j as %s', (text, e164) => {
    expect(wholeFrenchNumber(text, 'FR')).toBe(e164);
  });

  it.each([
    ['00 12 34 56 78', 'an international prefix'],
    ['+ 33 1 23 45 67 89', 'a space after the "+"'],
    ['+33 (0)1 23 45 67 89', 'a bracketed trunk 0'],
    ['01  23 45 67 89', 'two separators in a row'],
    ['01 23 45 67 89 ', 'a separator at the end'],
    ['1 23 45 67 89', 'no trunk 0'],
    ['01 23 45 67 8', 'nine digits'],
    ['Tél. 01 23 45 67 89', 'words around it'],
  ])('leaves %j (%s) to the general way', (text) => {
    expect(wholeFrenchNumber(text, 'FR')).toBeUndefined();
  });

  it('leaves a national number to libphonenumber when the default country is not on the French plan', () => {
    expect(wholeFrenchNumber('01 23 45 67 89', 'BE')).toBeUndefined();
    expect(wholeFrenchNumber('+33 1 23 45 67 89', 'BE')).toBe('+33123456789');
  });
});
