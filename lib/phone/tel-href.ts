import type { CountryCode } from 'libphonenumber-js/min';
import { toE164 } from './find-numbers';

export interface TelTarget {
  e164: string;
  extension?: string;
}

/** The number a `tel:` (or `callto:`) link dials, normalised; undefined when it is not one. */
export function parseTelHref(href: string, defaultCountry: CountryCode = 'FR'): TelTarget | undefined {
  const match = /^(?:tel|callto):(?:\/\/)?([^?#]*)/i.exec(href.trim());
  if (!match) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  // RFC 3966 puts the extension and other parameters after ";".
  const [number = '', ...params] = decoded.split(';');
  const e164 = toE164(number.replace(/[^\d+()]/g, ''), defaultCountry);
  if (!e164) return undefined;
  const extension = params.find((p) => /^ext=\d+$/i.test(p))?.slice(4);
  return extension ? { e164, extension } : { e164 };
}
