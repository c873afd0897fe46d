import { browser, storage } from '#imports';
import { ALLO_WEB_APP_URL } from './call-link';

// The tab we opened, so that every click reuses it instead of piling up tabs.
const webAppTab = storage.defineItem<number | null>('session:alloWebAppTabId', { fallback: null, version: 1 });

export async function openAlloWebApp(): Promise<void> {
  const tabId = await webAppTab.getValue();
  if (tabId !== null) {
    try {
      const tab = await browser.tabs.update(tabId, { active: true });
      if (tab?.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
      return;
    } catch {
      // The user closed it: open a new one.
    }
  }
  const tab = await browser.tabs.create({ url: ALLO_WEB_APP_URL });
  await webAppTab.setValue(tab.id ?? null);
}
