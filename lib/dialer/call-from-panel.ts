import { storage } from '#imports';
import type { CallTarget } from '../allo/call-link';
import { type LaunchDeps, launchCall } from '../allo/launch-call';

/**
 * A number chosen in the side panel (the name search) goes where a click in Sellsy would: to the
 * dialer beside it when that is the call target, else to `tel:`, `callto:` or Allo's web app.
 * A dialer that is, or turns out, unavailable sends it to `tel:`, as a click's fallback does.
 */
export function callFromPanel(
  e164: string,
  callTarget: CallTarget,
  deps: Pick<LaunchDeps, 'doc' | 'openWebApp'> & { dialHere(e164: string, fallBack: () => void): void },
): void {
  const elsewhere = (target: CallTarget) => launchCall({ e164 }, target, { doc: deps.doc, openWebApp: deps.openWebApp });
  if (callTarget === 'allo-dialer') deps.dialHere(e164, () => elsewhere('tel'));
  else elsewhere(callTarget);
}

/** When the keyboard shortcut last asked for the search box: the panel focuses it then. */
export const searchFocusItem = storage.defineItem<number>('session:searchFocusAt', { fallback: 0, version: 1 });
/** A request older than this, found when the panel opens, was for another opening. */
export const SEARCH_FOCUS_FRESH_MS = 10_000;
