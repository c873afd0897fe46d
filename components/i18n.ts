import { browser } from '#imports';

type Messages = typeof import('../public/_locales/en/messages.json');
export type MessageKey = keyof Messages;

/** A UI string in the browser's language (public/_locales), falling back to the key. */
export function t(key: MessageKey, ...substitutions: string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}
