import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export interface FoundNumber {
  /** Offsets in the text, extension included. */
  start: number;
  end: number;
  e164: string;
  extension?: string;
}

// Digit groups joined by one separator (space, no-break spaces, dot, hyphen) or by a
// parenthesised group such as "+33 (0)6" or "+1 (415)". Newlines never join groups.
const CANDIDATE =
  /\+?[ \u00a0]?(?:\(\d{1,4}\)[ \u00a0]?)?\d(?:\d|[ \u00a0\u202f.\-](?=\d|\(\d{1,4}\))|[ \u00a0]?\(\d{1,4}\)[ \u00a0]?(?=\d))*/g;
const PREFILTER = /\d[\d \u00a0\u202f.\-()+]{6,}\d/;
const EXTENSION = /^[ \u00a0]*,?[ \u00a0]*(?:poste|p\.|ext\.?|extension|x)[ \u00a0]*(\d{1,6})(?!\d)/i;
// A digit run glued to these is part of something else: a reference, a URL, an e-mail, a word.
const GLUED_BEFORE = /[\p{L}\p{N}_@#/\\=&\-]/u;
const GLUED_AFTER = /[\p{L}\p{N}_@]/u;
// Decimal parts, dates and times, currency and percent signs.
const CONTINUES_AFTER = /^(?:[,.:/]\d|[ \u00a0\u202f]?[€$£%])/;
const TRUNK_PREFIXES = new Map<CountryCode, string | undefined>();
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/** Cheap test that lets most text through untouched before any real parsing. */
export function mayContainNumber(text: string): boolean {
  return text.length >= MIN_DIGITS && PREFILTER.test(text);
}

/**
 * Finds the phone numbers in a text as a person reads them on a CRM page: French national
 * numbers need their leading 0, international ones a "+" or "00"; dates, amounts, company
 * ids, references and anything glued to letters are not numbers.
 */
export function findNumbers(text: string, defaultCountry: CountryCode = 'FR'): FoundNumber[] {
  if (!mayContainNumber(text)) return [];
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
    const numbers = parseCandidate(candidate, start, defaultCountry);
    if (numbers.length === 0) continue;
    const last = numbers[numbers.length - 1]!;
    const extension = EXTENSION.exec(text.slice(end));
    if (extension) {
      last.end = end + extension[0].length;
      last.extension = extension[1];
    }
    const after = text.slice(last.end, last.end + 3);
    if (after !== '' && (GLUED_AFTER.test(after[0]!) || CONTINUES_AFTER.test(after))) continue;
    found.push(...numbers);
  }
  return found;
}

/**
 * One candidate is either one valid number or several written back to back ("06 12 34 56 78
 * 01 23 45 67 89"); anything only partly valid is rejected as a whole.
 */
function parseCandidate(candidate: string, offset: number, country: CountryCode): FoundNumber[] {
  const whole = toE164(candidate, country);
  if (whole) return [{ start: offset, end: offset + candidate.length, e164: whole }];
  const boundaries = [...candidate.matchAll(/[ \u00a0\u202f.\-](?=[+\d(])/g)].map((m) => m.index);
  if (boundaries.length === 0 || digitCount(candidate) <= MAX_DIGITS) return [];
  return splitIntoNumbers(candidate, 0, boundaries, offset, country) ?? [];
}

function splitIntoNumbers(
  candidate: string,
  from: number,
  boundaries: number[],
  offset: number,
  country: CountryCode,
): FoundNumber[] | undefined {
  const rest = candidate.slice(from);
  const whole = toE164(rest, country);
  if (whole) return [{ start: offset + from, end: offset + candidate.length, e164: whole }];
  for (const boundary of boundaries) {
    if (boundary <= from) continue;
    const e164 = toE164(candidate.slice(from, boundary), country);
    if (!e164) continue;
    const tail = splitIntoNumbers(candidate, boundary + 1, boundaries, offset, country);
    if (tail) return [{ start: offset + from, end: offset + boundary, e164 }, ...tail];
  }
  return undefined;
}

function digitCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

/** E.164 form of one written number, or undefined when it is not a valid number. */
export function toE164(written: string, defaultCountry: CountryCode = 'FR'): string | undefined {
  const trimmed = written.trim();
  let international = trimmed.startsWith('+');
  // "+33 (0)6…": the bracketed trunk prefix is not dialled from abroad.
  let digits = (international ? trimmed.replace(/\(0\)/, '') : trimmed).replace(/\D/g, '');
  if (!international && digits.startsWith('00')) {
    international = true;
    digits = digits.slice(2);
  }
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return undefined;
  if (!international) {
    const trunk = trunkPrefix(defaultCountry);
    // Without its trunk prefix a French "national" number is more likely a SIREN or an id.
    if (trunk === '0' && !digits.startsWith('0')) return undefined;
  }
  const parsed = parsePhoneNumberFromString(international ? `+${digits}` : digits, defaultCountry);
  return parsed?.isValid() ? parsed.number : undefined;
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
