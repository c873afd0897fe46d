import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

/** A number as people write it: national for the default country's numbers, international otherwise. */
export function formatNumber(e164: string, defaultCountry: CountryCode = 'FR'): string {
  const number = parsePhoneNumberFromString(e164);
  if (!number) return e164;
  return number.country === defaultCountry ? number.formatNational() : number.formatInternational();
}
