import { browser, storage } from '#imports';
import { oneWriteAtATime } from '../one-write-at-a-time';

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
 * A small window of ours that exists at most once: a double click, or the same button in two
 * panels, brings the open one to the front instead of opening another. Its id is kept in
 * storage.session (shared by every page of the extension, gone with the browser); the opens of
 * one page run one after another, so a double click cannot read "none" twice.
 */
type WindowIdItem = ReturnType<typeof storage.defineItem<number | null>>;

function singleWindow(windowId: WindowIdItem, path: '/microphone.html' | '/sidepanel.html?window', size: { width: number; height: number }) {
  const oneAtATime = oneWriteAtATime();
  return () =>
    oneAtATime(async () => {
      const open = await windowId.getValue();
      // Chrome rejects an update of a window that was closed.
      const focused = open !== null && (await browser.windows.update(open, { focused: true }).catch(() => undefined)) !== undefined;
      if (focused) return;
      const created = await browser.windows.create({ url: browser.runtime.getURL(path), type: 'popup', ...size, focused: true });
      await windowId.setValue(created?.id ?? null);
    });
}

/**
 * The grant page in a small window of its own: a top-level extension page, where Chrome can show
 * its prompt (it cannot in the side panel).
 */
export const openMicrophonePage: () => Promise<void> = singleWindow(
  storage.defineItem<number | null>('session:microphoneWindow', { fallback: null, version: 1 }),
  '/microphone.html',
  { width: 460, height: 420 },
);

/**
 * The same dialer page in a popup window, for a browser whose side panel cannot have the
 * microphone (a policy, a missing device seen only there): there it is a top-level page, and
 * Chrome can prompt.
 */
export const openDialerWindow: () => Promise<void> = singleWindow(
  storage.defineItem<number | null>('session:dialerWindow', { fallback: null, version: 1 }),
  '/sidepanel.html?window',
  { width: 400, height: 760 },
);
