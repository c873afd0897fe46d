import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findNumbers, NODE_LIMITS, type TextLimits } from '@/lib/phone/find-numbers';

// Page text is untrusted: anyone who can write in a Sellsy record (a web-to-lead form, a logged
// e-mail, a note) chooses the text every user who opens it will have parsed.

const UNLIMITED: TextLimits = { maxLength: Infinity, maxParses: Infinity };

describe('findNumbers on hostile text', () => {
  it('rejects a long run of numbers that ends in junk in a few milliseconds, not seconds', () => {
    const text = `${'06 12 34 56 78 '.repeat(400)}1`;
    const started = performance.now();
    expect(findNumbers(text, 'FR', UNLIMITED)).toEqual([]);
    expect(findNumbers(text)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('cuts 5,000 numbers written back to back without running out of stack', () => {
    const text = '06 12 34 56 78 '.repeat(5_000).trimEnd();
    const found = findNumbers(text, 'FR', UNLIMITED);
    expect(found).toHaveLength(5_000);
    expect(found.every((number) => number.e164 === '+33612345678')).toBe(true);
    expect(text.slice(found[4_999]!.start, found[4_999]!.end)).toBe('06 12 34 56 78');
  });

  it('skips a text longer than a page node may be, whole', () => {
    const text = 'Tél : 06 12 34 56 78, '.repeat(Math.ceil(NODE_LIMITS.maxLength / 22) + 1);
    expect(text.length).toBeGreaterThan(NODE_LIMITS.maxLength);
    expect(findNumbers(text)).toEqual([]);
    expect(findNumbers(text.slice(0, 1_000))).toHaveLength(45);
  });

  it('skips a text that would take too many parses, whole, rather than parse on', () => {
    const many = '06 12 34 56 78, '.repeat(NODE_LIMITS.maxParses + 1);
    expect(many.length).toBeLessThan(NODE_LIMITS.maxLength);
    expect(findNumbers(many)).toEqual([]);
    expect(findNumbers(many, 'FR', UNLIMITED)).toHaveLength(NODE_LIMITS.maxParses + 1);
    expect(findNumbers('06 12 34 56 78, '.repeat(NODE_LIMITS.maxParses))).toHaveLength(NODE_LIMITS.maxParses);
  });
});

const digits = (count: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: count, maxLength: count });
const separator = fc.constantFrom(' ', ' ', '.', '-', '\u00a0', '\u202f', '');
/** Ten digits in pairs, as French numbers are written, often but not always valid. */
const frenchNumber = fc
  .tuple(fc.constantFrom('01', '02', '04', '06', '07', '09', '08', '00', '33'), fc.array(digits(2), { minLength: 4, maxLength: 4 }), separator)
  .map(([first, pairs, sep]) => [first, ...pairs].join(sep));
const internationalNumber = fc
  .tuple(fc.constantFrom('+33 6', '+33 (0)6', '+44 20', '+1 (415)', '0033 6', '+32 2', '+'), digits(3), digits(4), separator)
  .map(([prefix, a, b, sep]) => `${prefix} ${a}${sep}${b}`);
const junk = fc.oneof(
  digits(1),
  digits(7),
  fc.constantFrom(' ', ', ', '\n', ' poste 12', ' x', 'abc', '/', '€', '.5', '(0)', '(12)', '+', '-', ':', '@', '%'),
  fc.string({ maxLength: 6 }),
);
const numberLikeText = fc.array(fc.oneof(frenchNumber, internationalNumber, junk, separator), { maxLength: 60 }).map((parts) => parts.join(''));

describe('findNumbers, for any text', () => {
  it('never throws, and reports whole digit runs only, in order, inside the text', () => {
    fc.assert(
      fc.property(numberLikeText, fc.constantFrom('FR', 'BE', 'US', 'GB') as fc.Arbitrary<'FR' | 'BE' | 'US' | 'GB'>, (text, country) => {
        const found = findNumbers(text, country);
        let previousEnd = 0;
        for (const { start, end, e164 } of found) {
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          expect(end).toBeGreaterThan(start);
          expect(end).toBeLessThanOrEqual(text.length);
          expect(e164).toMatch(/^\+\d{8,15}$/);
          expect(text[start - 1] ?? '').not.toMatch(/\d/);
          expect(text[end] ?? '').not.toMatch(/\d/);
          previousEnd = end;
        }
      }),
      // A fixed seed: the same 2,000 texts on every run, so CI never fails at random.
      { numRuns: 2_000, seed: 20261128 },
    );
  });

  it('reports no number shorter than 8 digits once written in E.164 (found by the property above)', () => {
    expect(findNumbers('00 49 03 00 00', 'FR')).toEqual([]);
  });

  it('takes time in proportion to the text: no more per character at 64 KB than at 1 KB', () => {
    // Number-like text at its most costly: runs of valid numbers cut by junk, so that every
    // way of splitting them is worth trying.
    const chunks = fc.sample(fc.oneof(frenchNumber, internationalNumber, digits(1), fc.constantFrom(' ', ' 1 ', '.')), {
      numRuns: 20_000,
      seed: 42,
    });
    const textOf = (length: number, from: number) => {
      let text = '';
      for (let i = from; text.length < length; i++) text += `${chunks[i % chunks.length]} `;
      return text.slice(0, length);
    };
    const small = Array.from({ length: 16 }, (_, i) => textOf(1_024, i * 40));
    const large = textOf(65_536, 0);
    const perChar = (texts: string[]) => {
      const started = performance.now();
      for (const text of texts) findNumbers(text, 'FR', UNLIMITED);
      return (performance.now() - started) / texts.reduce((sum, text) => sum + text.length, 0);
    };
    const median = (runs: number[]) => runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
    perChar(small);
    perChar([large]);
    const smallPerChar = median(Array.from({ length: 5 }, () => perChar(small)));
    const largePerChar = median(Array.from({ length: 3 }, () => perChar([large])));
    // Generous: a loaded machine is noisy, and quadratic growth would be 64 times, not 4.
    expect(largePerChar / smallPerChar).toBeLessThan(4);
  }, 30_000);
});
