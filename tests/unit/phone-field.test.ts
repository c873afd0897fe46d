import fc from 'fast-check';
import { parsePhoneNumberFromString as parseMax } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { findNumbers, toE164 } from '@/lib/phone/find-numbers';
import { phonesOf } from '@/lib/sellsy/crm-records';

describe('French overseas numbers', () => {
  // What Allo reports for a call from these numbers: the territory's own country code.
  it.each([
    ['0692 12 34 56', '+262692123456'],
    ['06 93 00 12 34', '+262693001234'],
    ['02 62 12 34 56', '+262262123456'],
    ['0269 61 23 45', '+262269612345'],
    ['06 39 12 34 56', '+262639123456'],
    ['0690 12 34 56', '+590690123456'],
    ['0691 30 12 34', '+590691301234'],
    ['0590 12 34 56', '+590590123456'],
    ['0694 12 34 56', '+594694123456'],
    ['0594 12 34 56', '+594594123456'],
    ['0696 12 34 56', '+596696123456'],
    ['0697 12 34 56', '+596697123456'],
    ['0596 12 34 56', '+596596123456'],
    ['+33 6 92 12 34 56', '+262692123456'],
    ['+262 692 12 34 56', '+262692123456'],
    ['0033 596 12 34 56', '+596596123456'],
  ])('%s → %s', (written, e164) => {
    expect(toE164(written, 'FR')).toBe(e164);
    // Page text (click-to-call dials it) and a Sellsy phone field read it the same way.
    expect(findNumbers(`Appeler le ${written} demain`, 'FR').map((n) => n.e164)).toEqual([e164]);
    expect(phonesOf(written, 'FR')).toEqual([e164]);
  });

  it('leaves metropolitan numbers under +33', () => {
    expect(toE164('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(toE164('05 56 12 34 56', 'FR')).toBe('+33556123456');
    expect(toE164('06 95 12 34 56', 'FR')).toBe('+33695123456');
  });

  // A team in La Réunion or Guadeloupe sets its default country to RE or GP, yet its customers,
  // suppliers and head office dial from the whole French plan: each number keeps its own code.
  it.each(['RE', 'YT', 'GP', 'MQ', 'GF', 'BL', 'MF'] as const)('reads the whole French plan with %s as the default country', (country) => {
    const plan: Array<[string, string]> = [
      ['06 12 34 56 78', '+33612345678'],
      ['01 23 45 67 89', '+33123456789'],
      ['0692 12 34 56', '+262692123456'],
      ['0269 61 23 45', '+262269612345'],
      ['0690 12 34 56', '+590690123456'],
      ['0594 12 34 56', '+594594123456'],
      ['0696 12 34 56', '+596696123456'],
    ];
    for (const [written, e164] of plan) {
      expect(toE164(written, country), `${written} (${country})`).toBe(e164);
      expect(findNumbers(`Appeler le ${written}`, country).map((n) => n.e164)).toEqual([e164]);
      expect(phonesOf(written, country)).toEqual([e164]);
    }
    // International numbers are read as before.
    expect(toE164('+41 22 123 45 67', country)).toBe('+41221234567');
  });

  it('agrees with libphonenumber’s full metadata on every overseas block it names', () => {
    // Each 5-digit block of a fixed, mobile or VoIP range that the full metadata gives to exactly
    // one overseas country code must be read under that code.
    const examples: Array<[string, string]> = [
      ['262', '262123456'],
      ['262', '263001234'],
      ['262', '268812345'],
      ['262', '269012345'],
      ['262', '639012345'],
      ['262', '692123456'],
      ['262', '693001234'],
      ['262', '709201234'],
      ['262', '709351234'],
      ['262', '939901234'],
      ['262', '947801234'],
      ['262', '976901234'],
      ['590', '590012345'],
      ['590', '598712345'],
      ['590', '690012345'],
      ['590', '691221234'],
      ['590', '709001234'],
      ['590', '939501234'],
      ['590', '947501234'],
      ['590', '976001234'],
      ['594', '594012345'],
      ['594', '598812345'],
      ['594', '694012345'],
      ['594', '709301234'],
      ['594', '947601234'],
      ['594', '976401234'],
      ['596', '596012345'],
      ['596', '598912345'],
      ['596', '696012345'],
      ['596', '697012345'],
      ['596', '709101234'],
      ['596', '947701234'],
      ['596', '976601234'],
      ['508', '708401234'],
    ];
    for (const [code, national] of examples) {
      expect(parseMax(`+${code}${national}`)?.isValid(), `+${code} ${national}`).toBe(true);
      expect(toE164(`0${national}`, 'FR'), `0${national}`).toBe(`+${code}${national}`);
    }
  });
});

describe('phone fields', () => {
  it.each([
    ['01 23 45 67 89/06 12 34 56 78', ['+33123456789', '+33612345678']],
    ['0123456789/0612345678', ['+33123456789', '+33612345678']],
    ['01 23 45 67 89 ; 06 12 34 56 78', ['+33123456789', '+33612345678']],
    ['01 23 45 67 89, 06 12 34 56 78', ['+33123456789', '+33612345678']],
    ['01 23 45 67 89 ou 06 12 34 56 78', ['+33123456789', '+33612345678']],
    ['0123456789 | 0612345678', ['+33123456789', '+33612345678']],
  ])('two numbers: %s', (raw, expected) => {
    expect(phonesOf(raw, 'FR')).toEqual(expected);
  });

  it.each([
    ['33612345678', '+33612345678'],
    ['41 22 123 45 67', '+41221234567'],
    ['32 2 511 12 34', '+3225111234'],
    ['262692123456', '+262692123456'],
    ['33 6 92 12 34 56', '+262692123456'],
  ])('international without + or 00: %s', (raw, e164) => {
    expect(phonesOf(raw, 'FR')).toEqual([e164]);
  });

  it('keeps the national reading when it is valid', () => {
    expect(phonesOf('0412345678', 'FR')).toEqual(['+33412345678']);
  });

  it('drops an extension « poste 12 »', () => {
    expect(phonesOf('01 23 45 67 89 poste 12', 'FR')).toEqual(['+33123456789']);
    expect(phonesOf('01 23 45 67 89, poste 12 / 06 12 34 56 78', 'FR')).toEqual(['+33123456789', '+33612345678']);
  });
});

// ----------------------------------------------------------------------------------------------
// Property: a phone field as Sellsy users type it indexes to the E.164 Allo would report.

const digits = (count: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: count, maxLength: count });

/** A number as Allo reports it: its country code and national significant number. */
interface Dialled {
  code: string;
  national: string;
}

const metropolitan: fc.Arbitrary<Dialled> = fc
  .tuple(fc.constantFrom('1', '2', '3', '4', '5', '6', '7', '9'), digits(8))
  .map(([first, rest]) => ({ code: '33', national: first + rest }))
  // Overseas blocks inside the French plan are the other arbitrary's.
  .filter(({ national }) => !/^(?:26[2389]|639|69[0-7]|59[046]|598[789]|709|708[45]|939|947|976)/.test(national))
  .filter(({ national }) => parseMax(`+33${national}`)?.isValid() === true);

const overseas: fc.Arbitrary<Dialled> = fc
  .tuple(
    fc.constantFrom(
      ['262', '692'],
      ['262', '693'],
      ['262', '262'],
      ['262', '269'],
      ['262', '639'],
      ['590', '690'],
      ['590', '590'],
      ['594', '694'],
      ['594', '594'],
      ['596', '696'],
      ['596', '697'],
      ['596', '596'],
    ),
    digits(6),
  )
  .map(([[code, block], rest]) => ({ code: code!, national: block! + rest }))
  .filter(({ code, national }) => parseMax(`+${code}${national}`)?.isValid() === true);

const foreign: fc.Arbitrary<Dialled> = fc.constantFrom(
  { code: '41', national: '221234567' },
  { code: '32', national: '25111234' },
  { code: '44', national: '2079460000' },
  { code: '49', national: '30901820' },
  { code: '1', national: '4155552671' },
  { code: '34', national: '912345678' },
  // Saint-Pierre-and-Miquelon's six-digit numbers: under +508 only, never in the French plan.
  { code: '508', national: '412345' },
  { code: '508', national: '551234' },
);

// Saint-Pierre-and-Miquelon's nine-digit mobiles are dialled in the French plan (07 08 4…).
const saintPierreMobile: fc.Arbitrary<Dialled> = fc
  .tuple(fc.constantFrom('7084', '7085'), digits(5))
  .map(([block, rest]) => ({ code: '508', national: block + rest }))
  .filter(({ national }) => parseMax(`+508${national}`)?.isValid() === true);

const separator = fc.constantFrom(' ', '.', '-', '\u00a0', '');

/** Digits in pairs (or as typed, glued), joined by one separator. */
function grouped(text: string, sep: string): string {
  return (text.match(/.{1,2}/g) ?? []).join(sep);
}

/** Numbers of the French plan: written « 0… » nationally, or under +33 by a colleague in Paris. */
const inFrenchPlan = (code: string) => ['33', '262', '590', '594', '596'].includes(code);

/** One way to write a number in a phone field, and the E.164 it stands for. */
const written: fc.Arbitrary<{ text: string; e164: string }> = fc
  .tuple(
    fc.oneof(metropolitan, overseas, saintPierreMobile, foreign),
    separator,
    fc.constantFrom('national', 'plus', '00', 'bare'),
    // An international prefix followed by a space (« 00 262 … », « + 33 … »), or glued.
    fc.boolean(),
    // Under +33 with the trunk in brackets (« +33 (0)6 … »), as French signatures often have it.
    fc.boolean(),
    // An overseas number under +33 rather than its own code.
    fc.boolean(),
  )
  .filter(([number, , style]) => style !== 'national' || inFrenchPlan(number.code) || number.national.startsWith('708'))
  .map(([{ code, national }, sep, style, spaced, bracketed, asFrench]) => {
    const e164 = `+${code}${national}`;
    if (style === 'national') return { text: grouped(`0${national}`, sep), e164 };
    const frenchPlan = inFrenchPlan(code) || national.startsWith('708');
    const writtenCode = frenchPlan && asFrench ? '33' : code;
    const prefix = style === 'plus' ? '+' : style === '00' ? '00' : '';
    const trunk = writtenCode === '33' && bracketed && style !== 'bare' ? '(0)' : '';
    const gap = sep === '' ? '' : ' ';
    return { text: `${prefix}${prefix && spaced ? ' ' : ''}${writtenCode}${gap}${trunk}${trunk && gap}${grouped(national, sep)}`, e164 };
  })
  // A bare number (no + nor 00) is read internationally only when its national reading fails.
  .filter(({ text, e164 }) => !/^\d/.test(text) || text.startsWith('0') || toE164(text, 'FR') === undefined || toE164(text, 'FR') === e164);

const between = fc.constantFrom('/', ' / ', ';', ' ; ', ', ', ' ', '  ', ' - ', ' ou ', ' et ', '\n', ' | ', ' – ', ' or ', '\r\n');
const extension = fc.constantFrom('', ' poste 12', ', poste 4', ' ext. 203', ' p. 7', ' ext 12', ' Poste 12', ' x12', ' ext.12', ' extension 5');
// Teams in the overseas departments may pick their own country: the French plan reads the same.
const country = fc.constantFrom<CountryCode>('FR', 'RE', 'GP', 'MQ', 'GF', 'YT');

describe('phone fields, every way Sellsy users type them (property)', () => {
  it('index to the E.164 Allo would report', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(written, extension), { minLength: 1, maxLength: 2 }), between, country, (numbers, join, defaultCountry) => {
        // Joined by spaces alone, "poste 12 01 23 …" cannot say where the extension ends, nor
        // "06 92 00 00 00 41 22 …" where a number without "+" starts: no one writes them so.
        const bare = join.trim() === '';
        fc.pre(!bare || numbers.every(([number]) => !/^[1-9]/.test(number.text)) || numbers.length === 1);
        const text = numbers.map(([number, ext], i) => number.text + (bare && i < numbers.length - 1 ? '' : ext)).join(join);
        expect(phonesOf(text, defaultCountry)).toEqual([...new Set(numbers.map(([number]) => number.e164))]);
      }),
      { numRuns: 2000 },
    );
  });
});
