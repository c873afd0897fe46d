import { nationalPlanOf, withOverseasCode } from './french-overseas';

/**
 * The French numbering plan read from digits alone, without libphonenumber: most numbers Sellsy
 * shows are French, and handing each to libphonenumber costs some 10 to 40 µs, the bulk of
 * linking a long list. libphonenumber's metadata (the reduced set the extension bundles) holds
 * France's whole plan as "[1-9]\d{8}", nine digits after the trunk 0 or +33, so this decides
 * exactly what it would. `tests/unit/french-plan.test.ts` checks the two agree on every number
 * decided here.
 */

/**
 * `string`: the number's E.164 (France's overseas blocks under their own codes);
 * `null`: surely not a number; `undefined`: not decided here (libphonenumber decides).
 */
export type PlanVerdict = string | null | undefined;

/**
 * Decides a number from the digits dialled: `international` when written with "+" or "00"
 * (then without them), else as written in the national plan of `defaultCountry`.
 */
export function frenchPlanE164(digits: string, international: boolean, defaultCountry: string): PlanVerdict {
  if (international) {
    // +33 and nine digits, the first not 0 ("+33 0 6…" is left to libphonenumber's trunk rules).
    return digits.length === 11 && digits.charCodeAt(0) === THREE && digits.charCodeAt(1) === THREE && digits.charCodeAt(2) !== ZERO
      ? withOverseasCode(`+${digits}`)
      : undefined;
  }
  if (nationalPlanOf(defaultCountry) !== 'FR') return undefined;
  // Written nationally, a French number is its trunk 0 and nine digits, the first not 0 ("00"
  // was read as the international prefix before this). Anything else is no French number:
  // without the 0 it is more likely a SIREN or an id.
  if (digits.charCodeAt(0) !== ZERO) return null;
  return digits.length === 10 ? withOverseasCode(`+33${digits.slice(1)}`) : null;
}

const ZERO = 48;
const THREE = 51;
