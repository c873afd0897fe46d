import type { CountryCode } from 'libphonenumber-js/min';
import { findNumbers, toE164, type TextLimits } from './find-numbers';

/**
 * Reading a field that Sellsy declares as a phone number (`phone_number`, `mobile_number`), as
 * opposed to page text: whatever is in it is meant as one or more numbers, so the page rules
 * against dates, URLs and ids ("01/02" is a date on a page) do not apply here.
 */

// What people put between two numbers in one field: "/", ";", ",", "|", a new line, a spaced
// dash, "ou", "et"… (a dash between digits is a separator inside one number).
const BETWEEN_NUMBERS = /[/;,|\n\r]|\s(?:[-–]|ou|or|et|and|&)\s/i;
// An extension at the end of a piece: it is dialled after the call connects, not indexed.
const EXTENSION = /[\s,]*(?:poste|p\.|ext\.?|extension|x)\s*\d{1,6}\s*$/i;
// A field is short; this bounds the work a hostile one can cause, as for page text.
const FIELD_LIMITS: TextLimits = { maxLength: 1_000, maxParses: 64 };
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/** Every callable number in a phone field, as E.164, in the order written. */
export function numbersInPhoneField(raw: string, country: CountryCode): string[] {
  if (raw.length > FIELD_LIMITS.maxLength) return [];
  const found = raw.split(BETWEEN_NUMBERS).flatMap((piece) => numbersInPiece(piece.replace(EXTENSION, ''), country));
  return [...new Set(found)];
}

function numbersInPiece(piece: string, country: CountryCode): string[] {
  if (!/\d/.test(piece)) return [];
  // The whole piece as one number first ("06 12 34 56 78", "+33 (0)1 …"), then the numbers found
  // in it as on a page, and what is left between them read as international numbers.
  const whole = toE164(piece, country);
  if (whole) return [whole];
  const found: string[] = [];
  let from = 0;
  for (const number of findNumbers(piece, country, FIELD_LIMITS)) {
    found.push(...internationalReading(piece.slice(from, number.start), country), number.e164);
    from = number.end;
  }
  found.push(...internationalReading(piece.slice(from), country));
  return found;
}

/**
 * "33612345678", "41 22 123 45 67": a number stored with its country code but without "+" or
 * "00". Tried only once the national reading failed, and never for a piece that starts with the
 * trunk 0 or holds letters (a label, a note), so a national number is never read as a foreign one.
 */
function internationalReading(piece: string, country: CountryCode): string[] {
  const trimmed = piece.replace(/^[\s.\-–]+|[\s.\-–]+$/g, '');
  if (!/^\d[\d \u00a0\u202f.\-()]*$/.test(trimmed) || trimmed.startsWith('0')) return [];
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return [];
  const e164 = toE164(`+${digits}`, country);
  return e164 ? [e164] : [];
}
