import type { browser as Browser } from '#imports';

/**
 * Where a record link clicked in the side panel opens: in the Sellsy tab in front in the panel's
 * window, or else in a new tab there. Never in the tab of the last click: hours later it may
 * show another site, or have moved to another window, and would be navigated away under the user.
 */
export interface RecordTabs {
  /** The tab in front in this window, if any. */
  activeTabIn(windowId: number): Promise<number | undefined>;
  /** Whether this tab's page is Sellsy's app now (our content script answers there). */
  showsSellsy(tabId: number): Promise<boolean>;
  navigate(tabId: number, url: string): Promise<void>;
  open(windowId: number, url: string): Promise<void>;
}

/** Opens `url` from the side panel of window `windowId`. */
export async function openRecord(url: string, windowId: number, tabs: RecordTabs): Promise<void> {
  const tabId = await tabs.activeTabIn(windowId).catch(() => undefined);
  if (tabId !== undefined && (await tabs.showsSellsy(tabId).catch(() => false))) {
    try {
      await tabs.navigate(tabId, url);
      return;
    } catch {
      // Closed in the meantime: a new tab, below.
    }
  }
  await tabs.open(windowId, url);
}

/**
 * Asked of a tab's top frame. Only this extension can send it, and only our content script,
 * which runs on Sellsy's app pages alone, answers: without the `tabs` permission the extension
 * cannot read a Sellsy tab's URL, and it need not.
 */
const SELLSY_PAGE_QUESTION = { type: 'allo-for-sellsy:shows-sellsy-app' } as const;

export function chromeRecordTabs(api: Pick<typeof Browser, 'tabs'>): RecordTabs {
  return {
    activeTabIn: async (windowId) => (await api.tabs.query({ windowId, active: true }))[0]?.id,
    showsSellsy: async (tabId) => (await api.tabs.sendMessage(tabId, SELLSY_PAGE_QUESTION, { frameId: 0 })) === true,
    navigate: async (tabId, url) => void (await api.tabs.update(tabId, { url, active: true })),
    open: async (windowId, url) => void (await api.tabs.create({ windowId, url, active: true })),
  };
}

/** The content script's side: says "Sellsy's app" to that one question, and to nothing else. */
export function answerSellsyPageQuestion(runtime: Pick<(typeof Browser)['runtime'], 'onMessage'>): () => void {
  const listener = (message: unknown, _sender: unknown, sendResponse: (answer: true) => void): undefined => {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === SELLSY_PAGE_QUESTION.type) sendResponse(true);
    return undefined;
  };
  runtime.onMessage.addListener(listener);
  return () => runtime.onMessage.removeListener(listener);
}
