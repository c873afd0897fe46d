import type { browser as Browser } from '#imports';

export const GUIDE_PATH = '/guide.html' as const;

export interface GuideTabs {
  /** The extension's own tabs showing this URL (runtime.getContexts: no `tabs` permission needed). */
  findTabs(url: string): Promise<Array<{ tabId: number; windowId: number }>>;
  focus(tabId: number, windowId: number): Promise<void>;
  create(url: string): Promise<void>;
}

/** Shows the first-run guide: an open guide tab is focused rather than a second one stacked. */
export async function openGuide(tabs: GuideTabs, url: string): Promise<void> {
  const [open] = await tabs.findTabs(url);
  if (open) {
    try {
      await tabs.focus(open.tabId, open.windowId);
      return;
    } catch {
      // Closed between the look and the focus: open a new one.
    }
  }
  await tabs.create(url);
}

/** The guide opens on a fresh install only, never on an update or a browser update. */
export function openGuideOnInstall(onInstalled: { addListener(listener: (details: { reason: string }) => void): void }, open: () => Promise<void>): void {
  onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void open();
  });
}

/** The guide's tabs through Chrome's APIs, for the background and the popup. */
export function chromeGuideTabs(browser: typeof Browser): GuideTabs {
  return {
    findTabs: async (url) =>
      (await browser.runtime.getContexts({ contextTypes: ['TAB'], documentUrls: [url] }))
        .filter((context) => context.tabId >= 0)
        .map((context) => ({ tabId: context.tabId, windowId: context.windowId })),
    focus: async (tabId, windowId) => {
      await browser.tabs.update(tabId, { active: true });
      await browser.windows.update(windowId, { focused: true });
    },
    create: async (url) => {
      await browser.tabs.create({ url });
    },
  };
}
