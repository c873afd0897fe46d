import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Browser } from '#imports';

// The real background entrypoint on WXT's fake browser, as a worker Chrome stopped and a click on
// an added Sellsy host starts again.

type Response = { res?: unknown; err?: { message?: string } };

const ID = fakeBrowser.runtime.id;
const tab = {
  id: 7,
  index: 0,
  pinned: false,
  highlighted: false,
  windowId: 0,
  active: true,
  incognito: false,
  selected: false,
  discarded: false,
  autoDiscardable: true,
  groupId: -1,
  frozen: false,
  lastAccessed: 0,
};
const ON_ADDED_HOST = { id: ID, url: 'https://eu.sellsy.com/peoples/958', tab } satisfies Browser.runtime.MessageSender;
const ON_UNKNOWN_HOST = { id: ID, url: 'https://other.sellsy.com/peoples/958', tab } satisfies Browser.runtime.MessageSender;

async function send(type: string, data: unknown, sender: Browser.runtime.MessageSender): Promise<Response> {
  let respond: (response: Response) => void = () => undefined;
  const response = new Promise<Response>((resolve) => (respond = resolve));
  await fakeBrowser.runtime.onMessage.trigger({ id: 1, type, data, timestamp: Date.now() }, sender, respond);
  return response;
}

let sidePanelOpened: ReturnType<typeof vi.fn>;

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string) => key) as typeof fakeBrowser.i18n.getMessage;
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const registered: Array<{ id: string }> = [];
  Object.assign(fakeBrowser.scripting, {
    getRegisteredContentScripts: async () => registered,
    registerContentScripts: async (scripts: Array<{ id: string }>) => void registered.push(...scripts),
    updateContentScripts: async () => undefined,
    unregisterContentScripts: async () => void registered.splice(0),
  });
  Object.assign(fakeBrowser.permissions, {
    contains: async ({ origins }: { origins: string[] }) => origins.every((origin) => origin === 'https://eu.sellsy.com/*'),
    remove: async () => true,
    onAdded: { addListener: () => undefined },
    onRemoved: { addListener: () => undefined },
  });
  fakeBrowser.storage.managed.setAccessLevel = (async () => undefined) as typeof fakeBrowser.storage.managed.setAccessLevel;
  sidePanelOpened = vi.fn(async () => undefined);
  (fakeBrowser as unknown as { sidePanel: unknown }).sidePanel = {
    open: sidePanelOpened,
    setOptions: async () => undefined,
    setPanelBehavior: async () => undefined,
  };
  await fakeBrowser.storage.local.set({ sellsyAppHosts: ['eu.sellsy.com'] });
  vi.resetModules();
  const { default: background } = await import('@/entrypoints/background');
  background.main();
});

describe('a click on an added Sellsy host that wakes the worker (hostile review of issue 24)', () => {
  it('opens the dialer in the click’s gesture instead of refusing it while the added hosts are read', async () => {
    // The click is the worker's first message: nothing has been read yet.
    const response = send('openDialer', { e164: '+33612345678' }, ON_ADDED_HOST);
    // sidePanel.open must be called synchronously, within the gesture.
    expect(sidePanelOpened).toHaveBeenCalledTimes(1);
    expect((await Promise.race([response, new Promise<Response>((resolve) => setTimeout(() => resolve({}), 50))])).err).toBeUndefined();
  });

  it('still refuses a host nobody added, whether or not the added hosts are read yet', async () => {
    const response = await send('openDialer', { e164: '+33612345678' }, ON_UNKNOWN_HOST);
    expect(response.err?.message).toBe('Refused openDialer: untrusted sender');
  });
});
