import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../public/_locales/en/messages.json';
import fr from '../../public/_locales/fr/messages.json';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/**
 * Makes WXT's fake browser speak one of the real locales (public/_locales), placeholders
 * resolved as Chrome does: `$NAME$` → its content (`$1`) → the substitution.
 */
export function speakLocale(locale: 'en' | 'fr'): void {
  const messages: Messages = locale === 'en' ? en : fr;
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string | string[]) => {
    const entry = messages[key];
    if (!entry) return '';
    const subs = typeof substitutions === 'string' ? [substitutions] : (substitutions ?? []);
    const fill = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
    return entry.message.replace(/\$(\w+)\$/g, (_, name: string) => fill(entry.placeholders?.[name.toLowerCase()]?.content ?? ''));
  }) as typeof fakeBrowser.i18n.getMessage;
}
