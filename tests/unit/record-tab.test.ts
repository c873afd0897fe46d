import { describe, expect, it } from 'vitest';
import { answerSellsyPageQuestion, openRecord, type RecordTabs } from '@/lib/dialer/record-tab';

const URL = 'https://www.sellsy.com/peoples/958';

/** Windows of tabs: each tab's page, and the one in front. */
function browserWith(windows: Record<number, { active: number; tabs: Record<number, 'sellsy' | 'other'> }>) {
  const done: string[] = [];
  const tabs: RecordTabs = {
    activeTabIn: async (windowId) => windows[windowId]?.active,
    showsSellsy: async (tabId) => Object.values(windows).some((w) => w.tabs[tabId] === 'sellsy'),
    navigate: async (tabId, url) => {
      if (!Object.values(windows).some((w) => tabId in w.tabs)) throw new Error('No tab with id');
      done.push(`navigate ${tabId} ${url}`);
    },
    open: async (windowId, url) => void done.push(`open in window ${windowId} ${url}`),
  };
  return { tabs, done };
}

describe('a record link clicked in the side panel', () => {
  it('opens in the Sellsy tab in front in the panel’s window', async () => {
    const { tabs, done } = browserWith({ 1: { active: 3, tabs: { 3: 'sellsy', 4: 'other' } } });
    await openRecord(URL, 1, tabs);
    expect(done).toEqual([`navigate 3 ${URL}`]);
  });

  it('never takes over the tab of an hours-old click, now on another site or in another window: a new tab opens in the panel’s window', async () => {
    const { tabs, done } = browserWith({
      1: { active: 3, tabs: { 3: 'other' } },
      2: { active: 5, tabs: { 5: 'other', 6: 'sellsy' } },
    });
    // The last click came from tab 5 (window 2, another site now) or tab 6 (window 2, Sellsy).
    await openRecord(URL, 1, tabs);
    expect(done).toEqual([`open in window 1 ${URL}`]);
  });

  it('opens a new tab when the window has none in front, or the tab in front is gone or cannot be asked', async () => {
    const { tabs, done } = browserWith({ 1: { active: 9, tabs: {} } });
    await openRecord(URL, 1, tabs);
    const failing: RecordTabs = { ...tabs, activeTabIn: async () => Promise.reject(new Error('No window')) };
    await openRecord(URL, 1, failing);
    const asked: RecordTabs = { ...tabs, activeTabIn: async () => 9, showsSellsy: async () => Promise.reject(new Error('Receiving end does not exist')) };
    await openRecord(URL, 1, asked);
    expect(done).toEqual([`open in window 1 ${URL}`, `open in window 1 ${URL}`, `open in window 1 ${URL}`]);
  });
});

describe('the content script’s answer', () => {
  it('says "Sellsy’s app" to the panel’s question only, and stops when the script goes away', () => {
    let listener: ((message: unknown, sender: unknown, respond: (answer: unknown) => void) => unknown) | undefined;
    const runtime = {
      onMessage: {
        addListener: (l: typeof listener) => {
          listener = l;
        },
        removeListener: () => {
          listener = undefined;
        },
      },
    };
    const stop = answerSellsyPageQuestion(runtime as never);
    const answers: unknown[] = [];
    for (const message of [{ type: 'allo-for-sellsy:shows-sellsy-app' }, { type: 'other' }, 'allo-for-sellsy:shows-sellsy-app', null]) {
      listener?.(message, {}, (answer) => answers.push(answer));
    }
    expect(answers).toEqual([true]);
    stop();
    expect(listener).toBeUndefined();
  });
});
