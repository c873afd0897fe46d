// @vitest-environment node
/**
 * The words the extension shows, read as files: French typography (a narrow no-break space
 * before « : ; ? ! » and inside « », one apostrophe ’), the same keys and placeholders in both
 * languages, and every count shown through a plural pair (`plural()` in components/i18n.ts),
 * never pasted into one fixed form (« 1 étapes », « 0 contacts »).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CallRecord } from '@/lib/calls/call-record';
import { describeCall, ENGLISH_LABELS } from '@/lib/calls/phone-call-mapping';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const read = (locale: string): Messages => JSON.parse(readFileSync(join(ROOT, `public/_locales/${locale}/messages.json`), 'utf8'));
const fr = read('fr');
const en = read('en');

const NNBSP = '\u202f';
// A URL's scheme and a clock time are the only places a colon may follow a character directly.
const COLON_EXEMPT = /https?:\/\/|\d:\d/g;

/** What breaks French typography in one message, each as a short reason. */
function frenchFaults(text: string): string[] {
  const faults: string[] = [];
  if (text.includes("'")) faults.push('straight apostrophe');
  if (/["“”]/.test(text)) faults.push('quotes other than « »');
  if (/\s\s|^\s|\s$/.test(text)) faults.push('doubled or dangling space');
  const bare = text.replace(COLON_EXEMPT, '');
  for (const match of bare.matchAll(/(.)([:;?!])/g)) {
    if (match[1] !== NNBSP) faults.push(`no narrow no-break space before ${match[2]}`);
  }
  for (const match of text.matchAll(/«(.)/g)) if (match[1] !== NNBSP) faults.push('no narrow no-break space after «');
  for (const match of text.matchAll(/(.)»/g)) if (match[1] !== NNBSP) faults.push('no narrow no-break space before »');
  return faults;
}

function englishFaults(text: string): string[] {
  const faults: string[] = [];
  if (text.includes("'")) faults.push('straight apostrophe');
  if (text.includes('"')) faults.push('straight quotes');
  if (/[«»]/.test(text)) faults.push('French quotes');
  return faults;
}

const faultsOf = (messages: Messages, check: (text: string) => string[]) =>
  Object.entries(messages).flatMap(([key, { message }]) => check(message).map((fault) => `${key}: ${fault}`));

// A placeholder that holds a number of things; such a message must come as a plural pair.
const COUNT_PLACEHOLDER = /^(count|total|done|days|minutes|steps)$/i;
const pluralKey = (key: string) => /_(one|other)$/.test(key);

describe('the typography checks', () => {
  it('recognise what they forbid', () => {
    expect(frenchFaults('Enregistré : ok')).toEqual(['no narrow no-break space before :']);
    expect(frenchFaults('Prêt ?')).toEqual(['no narrow no-break space before ?']);
    expect(frenchFaults('Prêt?')).toEqual(['no narrow no-break space before ?']);
    expect(frenchFaults("l'appel")).toEqual(['straight apostrophe']);
    expect(frenchFaults(`«${NNBSP}${NNBSP}Privé${NNBSP}»`)).toEqual(['doubled or dangling space']);
    expect(frenchFaults('« Privé »')).toEqual(['no narrow no-break space after «', 'no narrow no-break space before »']);
    expect(frenchFaults('“Privé”')).toContain('quotes other than « »');
    expect(frenchFaults(`Ajouté à${NNBSP}: « Privé${NNBSP}» l’appel, https://a.b/ à 20:44`)).toEqual(['no narrow no-break space after «']);
    expect(frenchFaults(`Ajouté à${NNBSP}: «${NNBSP}Privé${NNBSP}» l’appel${NNBSP}; https://web.withallo.com/`)).toEqual([]);
    expect(englishFaults('company\'s "API"')).toEqual(['straight apostrophe', 'straight quotes']);
    expect(englishFaults('company’s “API”')).toEqual([]);
  });
});

describe('the French messages', () => {
  it('follow French typography', () => {
    expect(faultsOf(fr, frenchFaults)).toEqual([]);
  });
});

// One word per thing, and no word a salesperson reads wrong: logging a call is « ajouter à
// Sellsy » (« enregistrer » is Save, « enregistrement » the audio), the extension's settings
// are « paramètres », Sellsy's API client is an « accès API » (a CRM user reads « client » as a
// customer), and no code name or protocol shows through.
const FRENCH_GLOSSARY: Array<[RegExp, string]> = [
  [/\bappels?\b[^.]*\benregistr/i, 'a logged call is « ajouté à Sellsy »'],
  [/enregistrement des appels/i, 'a logged call is « ajouté à Sellsy »'],
  [/clé d’API/i, '« clé API »'],
  [/\boptions\b/i, '« paramètres »'],
  [/\bclient API\b|\bclient de l’extension/i, '« accès API »'],
  [/\bportées?\b/i, '« droits »'],
  [/intégration déconnectée|demande de ralentir|illisible|USERS_READ|\b(tel|callto):/i, 'jargon'],
];
const glossaryFaults = (text: string) => FRENCH_GLOSSARY.filter(([pattern]) => pattern.test(text)).map(([, use]) => `use ${use}`);

describe('the French words', () => {
  it('recognise what they forbid', () => {
    expect(glossaryFaults('Enregistrement des appels Allo de Camille')).toContain('use a logged call is « ajouté à Sellsy »');
    expect(glossaryFaults('L’appel sera alors enregistré.')).toEqual(['use a logged call is « ajouté à Sellsy »']);
    expect(glossaryFaults('Dans les options, saisissez le client API')).toEqual(['use « paramètres »', 'use « accès API »']);
    expect(glossaryFaults('Enregistrer la clé Allo')).toEqual([]);
    expect(glossaryFaults('Allo n’a plus l’enregistrement de cet appel.')).toEqual([]);
  });

  it('keep one word per thing, and none a salesperson reads wrong', () => {
    expect(faultsOf(fr, glossaryFaults)).toEqual([]);
  });
});

describe('the English messages', () => {
  it('use one quote style', () => {
    expect(faultsOf(en, englishFaults)).toEqual([]);
  });
});

describe('both languages', () => {
  it('have the same keys', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it('have the same placeholders in each message', () => {
    const placeholders = (messages: Messages) =>
      Object.fromEntries(Object.entries(messages).map(([key, { placeholders }]) => [key, Object.keys(placeholders ?? {}).sort()]));
    expect(placeholders(fr)).toEqual(placeholders(en));
  });

  it('pair every plural form with the other', () => {
    for (const messages of [fr, en]) {
      const bases = Object.keys(messages)
        .filter(pluralKey)
        .map((key) => key.replace(/_(one|other)$/, ''));
      expect(bases.filter((base) => !(`${base}_one` in messages && `${base}_other` in messages))).toEqual([]);
    }
  });

  it('show a count only in a plural pair', () => {
    const counted = Object.entries(en)
      .filter(([, { placeholders }]) => Object.keys(placeholders ?? {}).some((name) => COUNT_PLACEHOLDER.test(name)))
      .map(([key]) => key);
    expect(counted.length).toBeGreaterThan(0);
    expect(counted.filter((key) => !pluralKey(key))).toEqual([]);
  });
});

describe('the code that shows messages', () => {
  const files = ['components', 'entrypoints']
    .flatMap((dir) => readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true }).map((entry) => join(entry.parentPath, entry.name)))
    .filter((file) => /\.tsx?$/.test(file) && !file.endsWith(join('components', 'i18n.ts')));
  // A message asked for with a number turned into text: the count escapes the plural rules.
  const COUNT_SUBSTITUTION = /\b(?:t|getMessage)\(\s*'(\w+)',[^;\n]*?(?:String\(|NumberFormat|count\(|\.length\b)/g;
  const PLURAL_FORM = /\b(?:t|getMessage)\(\s*[`'"]\w+_(?:one|other)\b/g;

  it('finds the files it checks, and recognises what it forbids', () => {
    expect(files.length).toBeGreaterThan(10);
    expect("t('guideProgress', String(count))").toMatch(COUNT_SUBSTITUTION);
    expect("browser.i18n.getMessage('andMoreOwners', [String(count)])").toMatch(COUNT_SUBSTITUTION);
    expect("t('syncCached', count(status.cached))").toMatch(COUNT_SUBSTITUTION);
    expect("t('syncCached_other', n)").toMatch(PLURAL_FORM);
    expect("plural('syncCached', status.cached)").not.toMatch(COUNT_SUBSTITUTION);
  });

  it('passes every count through plural()', () => {
    const found = files.flatMap((file) => {
      const source = readFileSync(file, 'utf8');
      return [...source.matchAll(COUNT_SUBSTITUTION), ...source.matchAll(PLURAL_FORM)].map((match) => `${relative(ROOT, file)}: ${match[0]}`);
    });
    expect(found).toEqual([]);
  });

  it('asks plural() only for keys that have both forms', () => {
    const bases = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bplural\(\s*'(\w+)'/g)].map((match) => match[1]!));
    expect(bases.length).toBeGreaterThan(0);
    for (const messages of [fr, en]) expect(bases.filter((base) => !(`${base}_one` in messages && `${base}_other` in messages))).toEqual([]);
  });
});

describe('the pages', () => {
  // An HTML page cannot use __MSG_…__: its <title> is English until its script names it.
  const pages = readdirSync(join(ROOT, 'entrypoints'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(join(ROOT, 'entrypoints', entry.name)).includes('index.html'))
    .map((entry) => entry.name);

  it('each take their title from the messages', () => {
    expect(pages.length).toBeGreaterThanOrEqual(5);
    const titles = pages.map((page) => {
      const key = /localizePage\('(\w+)'\)/.exec(readFileSync(join(ROOT, 'entrypoints', page, 'main.tsx'), 'utf8'))?.[1];
      return [page, key !== undefined && key in fr && key in en];
    });
    expect(titles).toEqual(pages.map((page) => [page, true]));
  });
});

describe('the call notes written in Sellsy', () => {
  const labels = (messages: Messages) => ({
    summary: messages.descSummary!.message,
    noSummary: messages.descNoSummary!.message,
    recording: messages.descRecording!.message,
    recordingInAllo: messages.descRecordingInAllo!.message,
    openInAllo: messages.descOpenInAllo!.message,
  });
  const call = { alloId: 'cll-1', summary: 'Rappeler demain', recordingUrl: 'https://allo.example/r.mp3' } as CallRecord;

  it('follow French typography, the colons written by the code included', () => {
    const lines = describeCall(call, labels(fr)).split('\n').slice(1, -1);
    expect(lines).toEqual([
      `Résumé${NNBSP}: Rappeler demain`,
      expect.stringMatching(/^Enregistrement\u202f: /),
      `Dans Allo${NNBSP}: https://web.withallo.com/`,
    ]);
    expect(lines.flatMap(frenchFaults)).toEqual([]);
  });

  it('in English are the words of the English messages', () => {
    expect(ENGLISH_LABELS).toEqual(labels(en));
  });
});
