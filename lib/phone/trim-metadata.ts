/**
 * The build's copy of libphonenumber's metadata, less what the extension never reads. It keeps
 * the content script under its 150 KiB budget (the metadata is most of it).
 *
 * In the compressed metadata, a country is an array whose fifth item lists its formats, and a
 * format's third item lists its leading-digits patterns, from the shortest to the most detailed.
 * Formatting a number reads only the last one ("the most detailed", libphonenumber's
 * `chooseFormatForNumber`); the others serve only to format as a person types (`AsYouType`),
 * which the extension does not use. Parsing and validating read none. So each format keeps its
 * last pattern, and every number parses, validates and formats as before
 * (`tests/unit/trim-metadata.test.ts` checks it on random numbers of every country).
 */

const FORMATS = 4;
const LEADING_DIGITS = 2;

type Country = unknown[];
export interface CompressedMetadata {
  countries: Record<string, Country>;
  nonGeographic?: Record<string, Country>;
  [key: string]: unknown;
}

export function trimMetadata<M extends CompressedMetadata>(metadata: M): M {
  const trimCountry = (country: Country): Country => {
    const formats = country[FORMATS];
    if (!Array.isArray(formats)) return country;
    const trimmed = [...country];
    trimmed[FORMATS] = formats.map((format: unknown[]) => {
      const patterns = format[LEADING_DIGITS];
      if (!Array.isArray(patterns) || patterns.length <= 1) return format;
      const kept = [...format];
      kept[LEADING_DIGITS] = patterns.slice(-1);
      return kept;
    });
    return trimmed;
  };
  const trimAll = (countries: Record<string, Country>) => Object.fromEntries(Object.entries(countries).map(([key, country]) => [key, trimCountry(country)]));
  return {
    ...metadata,
    countries: trimAll(metadata.countries),
    ...(metadata.nonGeographic ? { nonGeographic: trimAll(metadata.nonGeographic) } : {}),
  };
}

const EXPORT_DEFAULT = 'export default ';

/**
 * The same for the module the build bundles: `metadata.min.json.js` (`export default {…}`) or
 * the JSON file itself.
 */
export function trimMetadataModule(code: string): string {
  const at = code.indexOf(EXPORT_DEFAULT);
  if (at === -1) return JSON.stringify(trimMetadata(JSON.parse(code) as CompressedMetadata));
  const json = code
    .slice(at + EXPORT_DEFAULT.length)
    .trim()
    .replace(/;$/, '');
  return `${EXPORT_DEFAULT}${JSON.stringify(trimMetadata(JSON.parse(json) as CompressedMetadata))}`;
}
