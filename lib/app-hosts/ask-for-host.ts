import { browser } from '#imports';
import { sendMessage } from '../messaging';
import type { AddAppHostResult } from './app-hosts';
import { appHostPattern } from './host-rules';

/**
 * Adds a Sellsy app host from a page, in the click that asks for it: Chrome shows its prompt
 * only for a request made during a user gesture, so the request starts before anything is
 * awaited. The background keeps the host either way and registers it as soon as Chrome allows
 * it (`permissions.onAdded`), which also covers a popup that closed while the prompt was open.
 */
export async function askForAppHost(host: string): Promise<{ granted: boolean; result: AddAppHostResult }> {
  const asked = browser.permissions.request({ origins: [appHostPattern(host)] }).catch(() => false);
  const [granted, first] = await Promise.all([asked, sendMessage('addAppHost', { host })]);
  // The background answered while the person was still reading Chrome's prompt: it registered
  // nothing then, and its view says "not allowed". Once allowed, it is asked again, so that the
  // script runs there before the popup reloads the tab and the list shows the host allowed
  // (permissions.onAdded would do it too, but on its own time).
  const stale = granted && first.ok && !first.view.hosts.some((known) => known.host === host && known.granted);
  return { granted, result: stale ? await sendMessage('addAppHost', { host }) : first };
}
