import { browser } from '#imports';

/**
 * Chrome's settings page for the extension's own site permissions, where a blocked microphone is
 * allowed again (Edge has the same page under `edge://`). Only the extension can open it: a web
 * page cannot link to `chrome://` URLs.
 */
export function siteSettingsUrl(extensionId: string, userAgent = globalThis.navigator?.userAgent ?? ''): string {
  const scheme = /\bEdg\//.test(userAgent) ? 'edge' : 'chrome';
  return `${scheme}://settings/content/siteDetails?site=${encodeURIComponent(`chrome-extension://${extensionId}`)}`;
}

export function openSiteSettings(extensionId: string = browser.runtime.id): Promise<unknown> {
  return browser.tabs.create({ url: siteSettingsUrl(extensionId) });
}

/**
 * The grant page in a small window of its own: a top-level extension page, where Chrome can show
 * its prompt (it cannot in the side panel).
 */
export function openMicrophonePage(): Promise<unknown> {
  return browser.windows.create({ url: browser.runtime.getURL('/microphone.html'), type: 'popup', width: 460, height: 420, focused: true });
}

/**
 * The same dialer page in a popup window, for a browser whose side panel cannot have the
 * microphone (a policy, a missing device seen only there): there it is a top-level page, and
 * Chrome can prompt.
 */
export function openDialerWindow(): Promise<unknown> {
  return browser.windows.create({ url: browser.runtime.getURL('/sidepanel.html?window'), type: 'popup', width: 400, height: 760, focused: true });
}
