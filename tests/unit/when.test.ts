/**
 * Times as the popup says them, in both languages: « il y a 3 min », « demain, 20 h 44 »; and
 * counts in the form their language wants (French: 0 and 1 singular; English: 1 only).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { plural } from '@/components/i18n';
import { formatDuration, formatWhen } from '@/components/when';

// Intl separates some words with no-break spaces; the sentence is what is checked.
const spaced = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const NOW = new Date(2026, 11, 5, 14, 30).getTime();
const at = (...parts: [number, number, number, number, number]) => new Date(...parts).getTime();

describe('formatDuration', () => {
  it('says how long a call lasted in each language, seconds dropped past an hour', () => {
    expect(spaced(formatDuration(45, 'fr'))).toBe('45 s');
    expect(spaced(formatDuration(252, 'fr'))).toBe('4 min 12 s');
    expect(spaced(formatDuration(120, 'fr'))).toBe('2 min');
    expect(spaced(formatDuration(3_845, 'fr'))).toBe('1 h 4 min');
    expect(spaced(formatDuration(252, 'en'))).toBe('4 min 12 sec');
    expect(spaced(formatDuration(0, 'en'))).toBe('0 sec');
    expect(spaced(formatDuration(-3, 'en'))).toBe('0 sec');
  });
});

describe('formatWhen', () => {
  it('says minutes ago or to come', () => {
    expect(spaced(formatWhen(NOW - 3 * 60_000, NOW, 'fr'))).toBe('il y a 3 min');
    expect(spaced(formatWhen(NOW + 5 * 60_000, NOW, 'fr'))).toBe('dans 5 min');
    expect(spaced(formatWhen(NOW - 3 * 60_000, NOW, 'en'))).toMatch(/^3 min\.? ago$/);
    expect(formatWhen(NOW - 10_000, NOW, 'fr')).toBe('maintenant');
    expect(formatWhen(NOW + 10_000, NOW, 'en')).toBe('now');
  });

  it('names today, yesterday and tomorrow, with the time as each language writes it', () => {
    expect(spaced(formatWhen(at(2026, 11, 6, 20, 44), NOW, 'fr'))).toBe('demain, 20 h 44');
    expect(spaced(formatWhen(at(2026, 11, 4, 9, 5), NOW, 'fr'))).toBe('hier, 9 h 05');
    expect(spaced(formatWhen(at(2026, 11, 5, 8, 0), NOW, 'fr'))).toBe('aujourd’hui, 8 h 00');
    expect(spaced(formatWhen(at(2026, 11, 6, 20, 44), NOW, 'en'))).toBe('tomorrow, 8:44 PM');
    expect(spaced(formatWhen(at(2026, 11, 4, 9, 5), NOW, 'en'))).toBe('yesterday, 9:05 AM');
  });

  it('gives the date further away, and the year only when it is not this one', () => {
    expect(spaced(formatWhen(at(2026, 2, 12, 20, 44), NOW, 'fr'))).toBe('12 mars, 20 h 44');
    expect(spaced(formatWhen(at(2025, 2, 12, 20, 44), NOW, 'fr'))).toBe('12 mars 2025, 20 h 44');
    expect(spaced(formatWhen(at(2026, 11, 12, 8, 0), NOW, 'en'))).toBe('December 12, 8:00 AM');
  });

  it('shows "—" for a date that does not parse instead of throwing', () => {
    expect(formatWhen('not a date', NOW, 'fr')).toBe('—');
    expect(formatWhen(Number.NaN, NOW, 'en')).toBe('—');
  });
});

describe('plural', () => {
  const messages: Record<string, Record<string, string>> = {
    fr: { messagesLocale: 'fr', syncCached_one: '$1 contact', syncCached_other: '$1 contacts' },
    en: { messagesLocale: 'en', syncCached_one: '$1 contact', syncCached_other: '$1 contacts' },
  };
  const speak = (language: 'fr' | 'en') => {
    fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) =>
      (messages[language]![key] ?? '').replace(/\$(\d)/g, (_, n: string) => substitutions?.[Number(n) - 1] ?? '')) as typeof fakeBrowser.i18n.getMessage;
  };
  beforeEach(() => fakeBrowser.reset());

  it('takes the singular for 0 and 1 in French, for 1 only in English', () => {
    speak('fr');
    expect([0, 1, 2].map((count) => plural('syncCached', count))).toEqual(['0 contact', '1 contact', '2 contacts']);
    speak('en');
    expect([0, 1, 2].map((count) => plural('syncCached', count))).toEqual(['0 contacts', '1 contact', '2 contacts']);
  });

  it('writes the count as the messages’ language writes numbers', () => {
    speak('fr');
    expect(spaced(plural('syncCached', 12345))).toBe('12 345 contacts');
    speak('en');
    expect(plural('syncCached', 12345)).toBe('12,345 contacts');
  });

  it('falls back to English rules when the messages name no language', () => {
    fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
    expect(plural('syncCached', 0)).toBe('syncCached_other');
  });
});
