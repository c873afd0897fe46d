import { browser } from '#imports';

type Messages = typeof import('../public/_locales/en/messages.json');
export type MessageKey = keyof Messages;
type PluralForm = 'one' | 'other';
/** A message written in two forms, `<key>_one` and `<key>_other`, chosen by a count. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}_one` ? (`${Base}_other` extends MessageKey ? Base : never) : never;
}[MessageKey];

/** A UI string in the browser's language (public/_locales), falling back to the key. */
export function t(key: MessageKey, ...substitutions: string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}

/**
 * The language the messages are written in. Chrome falls back to English for a language we do
 * not have, so plurals, numbers and dates follow the messages, not the browser: a sentence never
 * mixes two languages.
 */
export function messagesLocale(): string {
  try {
    return Intl.getCanonicalLocales(browser.i18n.getMessage('messagesLocale'))[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/**
 * A message that shows a count, in the form the language wants for it (French: 0 and 1 take the
 * singular; English: 1 only). The count, written as the language writes numbers, is `$1`.
 */
export function plural(key: PluralKey, count: number, ...substitutions: string[]): string {
  const locale = messagesLocale();
  const form: PluralForm = new Intl.PluralRules(locale).select(count) === 'one' ? 'one' : 'other';
  return t(`${key}_${form}` as `${PluralKey}_${PluralForm}`, new Intl.NumberFormat(locale).format(count), ...substitutions);
}

/**
 * Names a page in the messages' language: its `lang` (for screen readers and hyphenation) and
 * the title of its tab or window. An HTML page cannot use `__MSG_…__`, so both are set here.
 */
export function localizePage(titleKey: MessageKey): void {
  document.documentElement.lang = messagesLocale();
  document.title = t(titleKey);
}
