/**
 * France's overseas departments and collectivities share the French ten-digit plan (dialled
 * "0692…" from Paris or Saint-Denis alike) but have country codes of their own, and the carriers
 * (so Allo) report their numbers under those codes: +262 692…, not +33 692…. libphonenumber's
 * reduced metadata accepts any nine digits after +33, so the blocks are mapped here, after the
 * ARCEP plan as libphonenumber's full metadata lists it. The longest block that matches wins.
 *
 * Left under +33, because the full metadata gives them to several territories at once: the
 * shared overseas free-phone blocks (0806 to 0809) and the VoIP blocks 09 39 6, 09 39 70 to
 * 09 39 73 and 09 76 2 / 09 76 3 outside the blocks named below.
 */
const BLOCKS: ReadonlyArray<readonly [code: string, blocks: readonly string[]]> = [
  // La Réunion and Mayotte: fixed, mobile, extended-length mobile, VoIP.
  ['262', ['262', '263', '2688', '2689', '269', '639', '692', '693', '7092', '70935', '70936', '70937', '9398', '9399', '9478', '9479', '9769']],
  // Guadeloupe, Saint-Barthélemy and Saint-Martin.
  ['590', ['590', '5987', '690', '691', '7090', '9395', '93974', '93975', '93976', '93977', '93978', '93979', '9475', '9760', '9761', '9768']],
  // French Guiana.
  ['594', ['594', '5988', '694', '70930', '70931', '70932', '70933', '9476', '9764', '9765']],
  // Martinique.
  ['596', ['596', '5989', '696', '697', '7091', '9477', '9766', '9767']],
  // Saint-Pierre-and-Miquelon's nine-digit mobiles (its six-digit numbers are not French ones).
  ['508', ['7084', '7085']],
];

/**
 * Countries whose numbers are dialled in the French ten-digit plan. A team there that picks its
 * own country as the default still reads "06 12 34 56 78" (Paris) and "0690 …" (Guadeloupe): a
 * national number is read under France's plan, then given its territory's code.
 */
const FRENCH_PLAN = new Set<string>(['FR', 'RE', 'YT', 'GP', 'BL', 'MF', 'GF', 'MQ']);

/** The country whose plan reads a national number written with this default country. */
export function nationalPlanOf<C extends string>(country: C): C | 'FR' {
  return FRENCH_PLAN.has(country) ? 'FR' : country;
}

const CODE_OF_BLOCK = new Map<string, string>(BLOCKS.flatMap(([code, blocks]) => blocks.map((block) => [block, code] as const)));
const LONGEST_BLOCK = Math.max(...[...CODE_OF_BLOCK.keys()].map((block) => block.length));
// Every block's first three digits: a mainland number is told apart with one look-up.
const BLOCK_STARTS = new Set(BLOCKS.flatMap(([, blocks]) => blocks.map((block) => block.slice(0, 3))));

/** The E.164 that the network (and Allo) uses for a number parsed under +33; others unchanged. */
export function withOverseasCode(e164: string): string {
  if (!e164.startsWith('+33')) return e164;
  const national = e164.slice(3);
  if (!BLOCK_STARTS.has(national.slice(0, 3))) return e164;
  for (let length = LONGEST_BLOCK; length >= 3; length--) {
    const code = CODE_OF_BLOCK.get(national.slice(0, length));
    if (code) return `+${code}${national}`;
  }
  return e164;
}
