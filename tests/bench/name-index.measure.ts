/**
 * The name search's index alone (lib/search/name-index.ts), on 100,000 made-up records with a
 * realistic spread of words (the local Sellsy's generated names use under 200 distinct words, so
 * tests/bench/sync.ts, in Chromium, sees longer runs per word than a real address book). Build,
 * load (the index from a saved snapshot) and query times, in Node. Prints figures; asserts nothing.
 */
import { it } from 'vitest';
import { NameIndex } from '@/lib/search/name-index';
import { buildNameSnapshot } from '@/lib/search/name-snapshot';
import { nameWords, queryWords } from '@/lib/search/name-words';

const FIRST = [
  'Marie',
  'Jean',
  'Pierre',
  'Michel',
  'Nathalie',
  'Isabelle',
  'Sophie',
  'Camille',
  'Lucas',
  'Léa',
  'Hugo',
  'Chloé',
  'Éloïse',
  'Karim',
  'Mohamed',
  'Nicolas',
  'Julien',
  'Thomas',
];
const LAST = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'David',
  'Bertrand',
  'Roux',
  'Vincent',
  'Fournier',
  'Morel',
  'Girard',
  'Lefèvre',
  'Mercier',
  'Dupont',
  'Lambert',
  'Bonnet',
  'François',
  'Martinez',
];
const QUERIES = ['m', 'mar', 'mar ka', 'j', 'dup mar', 'so', 'marie', 'marie dupont', 'a b', 'mo ni', 'lef jul', 'societe'];

it('times the name index on 100,000 records', async () => {
  let seed = 1;
  const random = () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const pick = (list: string[]) => list[Math.floor(random() * list.length)] as string;
  const records = Array.from({ length: 100_000 }, (_, i) => {
    // A number after the surname stands for the spread of real surnames: about 15,000 words.
    const name = `${pick(FIRST)} ${pick(LAST)}${Math.floor(random() * 500)}`;
    const company = random() < 0.5 ? `Société ${pick(LAST)} ${i % 3000}` : undefined;
    return { key: `contact:${i}`, name, ...(random() < 0.1 ? { archived: true as const } : {}), words: nameWords(name, company) };
  });
  let t0 = performance.now();
  const snapshot = await buildNameSnapshot(records, 0, async () => undefined);
  const build = performance.now() - t0;
  t0 = performance.now();
  const index = new NameIndex(structuredClone(snapshot));
  const load = performance.now() - t0;
  const times = QUERIES.map((query) => {
    const words = queryWords(query);
    const start = performance.now();
    for (let i = 0; i < 100; i++) index.search(words, 25);
    return `${query} ${((performance.now() - start) / 100).toFixed(2)}`;
  });
  console.log(
    `Name index, 100,000 records, ${snapshot.wordEnds.length} words, ${snapshot.postings.length} postings (Node): build ${build.toFixed(0)} ms, ` +
      `load from a cloned snapshot ${load.toFixed(0)} ms; ms a query: ${times.join(', ')}`,
  );
});
