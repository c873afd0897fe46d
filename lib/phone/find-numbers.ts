import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { nationalPlanOf, withOverseasCode } from './french-overseas';
import { frenchPlanE164, type PlanVerdict } from './french-plan';

export interface FoundNumber {
  /** Offsets in the text, extension included. */
  start: number;
  end: number;
  e164: string;
  extension?: string;
}

// Digit groups joined by one separator (space, no-break spaces, dot, hyphen) or by a
// parenthesised group such as "+33 (0)6" or "+1 (415)". Newlines never join groups.
const CANDIDATE = /\+?[ \u00a0]?(?:\(\d{1,4}\)[ \u00a0]?)?\d(?:\d|[ \u00a0\u202f.-](?=\d|\(\d{1,4}\))|[ \u00a0]?\(\d{1,4}\)[ \u00a0]?(?=\d))*/g;
const PREFILTER = /\d[\d \u00a0\u202f.\-()+]{6,}\d/;
// Sticky, read at a number's end: no copy of the rest of the text per number.
const EXTENSION = /[ \u00a0]*,?[ \u00a0]*(?:poste|p\.|ext\.?|extension|x)[ \u00a0]*(\d{1,6})(?!\d)/iy;
// A digit run glued to these is part of something else: a reference, a URL, an e-mail, a word.
const GLUED_BEFORE = /[\p{L}\p{N}_@#/\\=&-]/u;
const GLUED_AFTER = /[\p{L}\p{N}_@]/u;
// Decimal parts, dates and times, currency and percent signs.
const CONTINUES_AFTER = /^(?:[,.:/]\d|[ \u00a0\u202f]?[€$£%])/;
const NON_DIGITS = /\D/g;
// Digits with at most one separator between two of them, a digit first (after a "+") and last.
const DIGITS_ONLY = /^\+?\d(?:[ \u00a0\u202f.-]?\d)*$/;
const TRUNK_PREFIXES = new Map<CountryCode, string | undefined>();
const MIN_DIGITS = 8;
/** A text shorter than this holds no number: callers may skip it without reading it. */
export const MIN_NUMBER_LENGTH = MIN_DIGITS;
const MAX_DIGITS = 15;
// Digits as written: a "00" international prefix or a "(0)" trunk adds up to two.
const MAX_WRITTEN_DIGITS = MAX_DIGITS + 2;
// What may separate two numbers written back to back.
const SEPARATORS = ' \u00a0\u202f.-';
// Where a cut of a run from one piece ends: at a separator (its index), with the run, or nowhere.
const REST = -1;
const NO_CUT = -2;

/**
 * How much one text may cost. Page text is untrusted (anyone can put text in a CRM record that
 * others open), so a text over either limit is skipped whole rather than parsed on.
 */
export interface TextLimits {
  maxLength: number;
  /** Candidate numbers handed to libphonenumber, the costly step (some 10 to 40 µs each). */
  maxParses: number;
}

/** Limits for one text node of a page: a few milliseconds of work at most. */
export const NODE_LIMITS: TextLimits = { maxLength: 16_384, maxParses: 256 };

type Parse = (written: string) => string | undefined;

/**
 * Cheap test that lets most text through untouched before any real parsing: most text nodes
 * of a page (names, cities, dates, amounts) hold fewer digits than any number has, and
 * counting them is cheaper than any regular expression.
 */
export function mayContainNumber(text: string): boolean {
  if (text.length < MIN_DIGITS) return false;
  let digits = 0;
  for (let i = 0; i < text.length && digits < MIN_DIGITS; i++) if (isDigit(text, i)) digits++;
  return digits >= MIN_DIGITS && PREFILTER.test(text);
}

/**
 * Finds the phone numbers in a text as a person reads them on a CRM page: French national
 * numbers need their leading 0, international ones a "+" or "00"; dates, amounts, company
 * ids, references and anything glued to letters are not numbers.
 */
export function findNumbers(text: string, defaultCountry: CountryCode = 'FR', limits: TextLimits = NODE_LIMITS): FoundNumber[] {
  if (text.length > limits.maxLength) return [];
  // Most of a list's numbers are a cell's whole text: read at once, as the general way would
  // (and without libphonenumber, so no parse is counted).
  const whole = wholeFrenchNumber(text, defaultCountry);
  return whole ? [{ start: 0, end: text.length, e164: whole }] : findNumbersInText(text, defaultCountry, limits);
}

/**
 * The E.164 of a text that is one French number and nothing else, as a list's cell shows it
 * ("01 23 45 67 89", "06.12.34.56.78", "+33 1 23 45 67 89"), read by the French plan without
 * the candidate search. Any other text is left (undefined) to the general way, which finds the
 * very same number in these (tests/unit/whole-french-number.test.ts checks that both, and
 * libphonenumber, agree).
 */
export function wholeFrenchNumber(text: string, defaultCountry: string): string | undefined {
  if (text.length > 22 || !DIGITS_ONLY.test(text)) return undefined;
  const international = text[0] === '+';
  const digits = text.replace(NON_DIGITS, '');
  // Nationally, "00" starts an international number: the general way reads it.
  if (international ? digits.length !== 11 : digits.length !== 10 || digits[1] === '0') return undefined;
  const e164 = frenchPlanE164(digits, international, defaultCountry);
  return e164 ?? undefined;
}

/** findNumbers' general way: every candidate in the text, cut and parsed. */
export function findNumbersInText(text: string, defaultCountry: CountryCode = 'FR', limits: TextLimits = NODE_LIMITS): FoundNumber[] {
  if (text.length > limits.maxLength || !mayContainNumber(text)) return [];
  let parses = limits.maxParses;
  const parse: Parse = (written) => (parses-- > 0 ? toE164(written, defaultCountry) : undefined);
  const found: FoundNumber[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    let start = match.index;
    let candidate = match[0];
    // The regex may start on a separator-less "+ " or leading space; trim to the first sign.
    const lead = candidate.search(/[+(\d]/);
    start += lead;
    candidate = candidate.slice(lead);
    const end = start + candidate.length;
    if (start > 0 && GLUED_BEFORE.test(text[start - 1]!)) continue;
    const numbers = parseCandidate(candidate, start, parse);
    if (parses < 0) return [];
    if (numbers.length === 0) continue;
    const last = numbers[numbers.length - 1]!;
    EXTENSION.lastIndex = end;
    const extension = EXTENSION.exec(text);
    if (extension) {
      last.end = end + extension[0].length;
      last.extension = extension[1];
    }
    const after = text.slice(last.end, last.end + 3);
    if (after !== '' && (GLUED_AFTER.test(after[0]!) || CONTINUES_AFTER.test(after))) continue;
    for (const number of numbers) found.push(number);
  }
  return found;
}

/**
 * One candidate is either one valid number or several written back to back ("06 12 34 56 78
 * 01 23 45 67 89"); anything only partly valid is rejected as a whole.
 */
function parseCandidate(candidate: string, offset: number, parse: Parse): FoundNumber[] {
  const digits = digitCount(candidate);
  const whole = digits >= MIN_DIGITS && digits <= MAX_WRITTEN_DIGITS ? parse(candidate) : undefined;
  if (whole) return [{ start: offset, end: offset + candidate.length, e164: whole }];
  if (digits <= MAX_DIGITS) return [];
  return splitIntoNumbers(candidate, offset, parse);
}

/**
 * Cuts a run of digit groups at separators into valid numbers. Of the ways to cut it, the one
 * kept prefers, from each number's start, the rest of the run as one number, then the shortest
 * first number. A number holds at most MAX_WRITTEN_DIGITS digits and every piece between two
 * separators holds one, so each start tries a bounded number of ends: the work is linear in
 * the run, and nothing recurses on it (page text is untrusted; a run can be megabytes long).
 */
function splitIntoNumbers(candidate: string, offset: number, parse: Parse): FoundNumber[] {
  // Piece k starts at starts[k]; a number starting there ends at boundaries[j] (j >= k), and
  // the next one then starts at piece j + 1, or it ends with the run (REST). One plain loop
  // finds them: the run can be long, and this code runs cold in a content script.
  const boundaries: number[] = [];
  const starts = [0];
  const digitsBefore = new Uint32Array(candidate.length + 1);
  for (let i = 0; i < candidate.length; i++) {
    digitsBefore[i + 1] = digitsBefore[i]! + (isDigit(candidate, i) ? 1 : 0);
    if (SEPARATORS.includes(candidate[i]!) && /[+\d(]/.test(candidate[i + 1] ?? '')) {
      boundaries.push(i);
      starts.push(i + 1);
    }
  }
  if (boundaries.length === 0) return [];
  const digitsIn = (from: number, to: number) => digitsBefore[to]! - digitsBefore[from]!;
  const tryNumber = (from: number, to: number) => {
    const digits = digitsIn(from, to);
    return digits >= MIN_DIGITS && digits <= MAX_WRITTEN_DIGITS ? parse(candidate.slice(from, to)) : undefined;
  };

  // From the last piece back to the first: where the preferred cut from each piece ends, if the
  // rest of the run can be cut at all. A number is only parsed when what follows it can be cut,
  // so a run that ends in junk costs next to nothing.
  const cutEnd = new Int32Array(starts.length).fill(NO_CUT);
  const e164s: string[] = new Array(starts.length);
  for (let k = starts.length - 1; k >= 0; k--) {
    const from = starts[k]!;
    const whole = tryNumber(from, candidate.length);
    if (whole) {
      cutEnd[k] = REST;
      e164s[k] = whole;
      continue;
    }
    for (let j = k; j < boundaries.length && digitsIn(from, boundaries[j]!) <= MAX_WRITTEN_DIGITS; j++) {
      if (cutEnd[j + 1] === NO_CUT) continue;
      const e164 = tryNumber(from, boundaries[j]!);
      if (!e164) continue;
      cutEnd[k] = j;
      e164s[k] = e164;
      break;
    }
  }
  if (cutEnd[0] === NO_CUT) return [];

  const numbers: FoundNumber[] = [];
  let k = 0;
  for (let end = cutEnd[k]!; end !== REST; k = end + 1, end = cutEnd[k]!) {
    numbers.push({ start: offset + starts[k]!, end: offset + boundaries[end]!, e164: e164s[k]! });
  }
  numbers.push({ start: offset + starts[k]!, end: offset + candidate.length, e164: e164s[k]! });
  return numbers;
}

function isDigit(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
}

function digitCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (isDigit(text, i)) count++;
  return count;
}

/** E.164 form of one written number, or undefined when it is not a valid number. */
export function toE164(written: string, defaultCountry: CountryCode = 'FR'): string | undefined {
  const dialled = dialledDigits(written);
  if (!dialled) return undefined;
  const fast = frenchPlanE164(dialled.digits, dialled.international, defaultCountry);
  return fast !== undefined ? (fast ?? undefined) : libraryE164(dialled, defaultCountry);
}

/** What the fast path alone says of a written number (tests compare it with libphonenumber's). */
export function fastE164(written: string, defaultCountry: CountryCode = 'FR'): PlanVerdict {
  const dialled = dialledDigits(written);
  return dialled ? frenchPlanE164(dialled.digits, dialled.international, defaultCountry) : null;
}

/** What libphonenumber alone says of a written number, without the fast path. */
export function toE164ByLibrary(written: string, defaultCountry: CountryCode = 'FR'): string | undefined {
  const dialled = dialledDigits(written);
  return dialled ? libraryE164(dialled, defaultCountry) : undefined;
}

interface Dialled {
  digits: string;
  /** Written with "+" or "00", which `digits` leaves out. */
  international: boolean;
}

/** The digits a written number dials, or undefined when there are too few or too many. */
function dialledDigits(written: string): Dialled | undefined {
  const trimmed = written.trim();
  let international = trimmed.startsWith('+');
  // "+33 (0)6…": the bracketed trunk prefix is not dialled from abroad.
  let digits = (international && trimmed.includes('(0)') ? trimmed.replace('(0)', '') : trimmed).replace(NON_DIGITS, '');
  if (!international && digits.startsWith('00')) {
    international = true;
    digits = digits.slice(2);
  }
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return undefined;
  return { digits, international };
}

function libraryE164({ digits, international }: Dialled, defaultCountry: CountryCode): string | undefined {
  const country = nationalPlanOf(defaultCountry);
  if (!international) {
    const trunk = trunkPrefix(country);
    // Without its trunk prefix a French "national" number is more likely a SIREN or an id.
    if (trunk === '0' && !digits.startsWith('0')) return undefined;
  }
  const parsed = parsePhoneNumberFromString(international ? `+${digits}` : digits, country);
  // "00 49 03 00 00" drops its trunk 0 to +4930000: as short as that, it is more likely a code.
  return parsed?.isValid() && parsed.number.length > MIN_DIGITS ? withOverseasCode(parsed.number) : undefined;
}

function trunkPrefix(country: CountryCode): string | undefined {
  if (!TRUNK_PREFIXES.has(country)) {
    const metadata = new Metadata();
    metadata.selectNumberingPlan(country);
    // `nationalPrefix()` exists at run time but is missing from the published types (1.13).
    const plan = metadata.numberingPlan as unknown as { nationalPrefix(): string | undefined } | undefined;
    TRUNK_PREFIXES.set(country, plan?.nationalPrefix());
  }
  return TRUNK_PREFIXES.get(country);
}
