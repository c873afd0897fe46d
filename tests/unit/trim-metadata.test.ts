// @vitest-environment node
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { type CountryCode, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import full from 'libphonenumber-js/metadata.min.json';
import { describe, expect, it } from 'vitest';
import { type CompressedMetadata, trimMetadata, trimMetadataModule } from '@/lib/phone/trim-metadata';

// The build bundles libphonenumber's metadata trimmed (wxt.config.ts): every number must parse,
// validate and format with it exactly as with the metadata the library ships.

const trimmed = trimMetadata(full as unknown as CompressedMetadata) as unknown as MetadataJson;
const callingCodes = Object.keys(full.country_calling_codes);
const countries = Object.keys(full.countries) as CountryCode[];
const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 4, maxLength: 14 });

/** Everything the extension reads of a parsed number. */
function reading(text: string, metadata: MetadataJson, country?: CountryCode) {
  const number = country ? parsePhoneNumberFromString(text, country, metadata) : parsePhoneNumberFromString(text, metadata);
  if (!number) return undefined;
  return {
    number: number.number,
    country: number.country,
    valid: number.isValid(),
    type: number.getType(),
    national: number.formatNational(),
    international: number.formatInternational(),
  };
}

describe('the trimmed phone metadata', () => {
  it('is smaller by several kilobytes', () => {
    expect(JSON.stringify(full).length - JSON.stringify(trimmed).length).toBeGreaterThan(6_000);
  });

  it('reads, validates and formats international numbers of every calling code as the full metadata does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...callingCodes), digits, (code, national) => {
        const text = `+${code}${national}`;
        expect(reading(text, trimmed), text).toEqual(reading(text, full as unknown as MetadataJson));
      }),
      { numRuns: 20_000, seed: 21 },
    );
  });

  it('reads national numbers in every default country as the full metadata does', () => {
    fc.assert(
      fc.property(fc.constantFrom(...countries), fc.constantFrom('', '0', '1', '8', '9'), digits, (country, lead, national) => {
        const text = `${lead}${national}`;
        expect(reading(text, trimmed, country), `${text} in ${country}`).toEqual(reading(text, full as unknown as MetadataJson, country));
      }),
      { numRuns: 20_000, seed: 21 },
    );
  });

  it('is what the build makes of the module libphonenumber-js/min imports', () => {
    const json = createRequire(import.meta.url).resolve('libphonenumber-js/metadata.min.json');
    const file = join(dirname(json), 'metadata.min.json.js');
    const module = trimMetadataModule(readFileSync(file, 'utf8'));
    expect(module.startsWith('export default {')).toBe(true);
    expect(JSON.parse(module.slice('export default '.length))).toEqual(trimmed);
    expect(JSON.parse(trimMetadataModule(JSON.stringify(full)))).toEqual(trimmed);
  });
});
