/**
 * Hostile review 3 of "Sellsy at another address" (issue 24): what goes wrong in ordinary use
 * when Chrome's prompt takes a person's time to answer, and when a policy host is allowed by a
 * click and later dropped by the administrator.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AppHosts, EXTRA_HOSTS_SCRIPT_ID } from '@/lib/app-hosts/app-hosts';
import { askForAppHost } from '@/lib/app-hosts/ask-for-host';
import { onMessage } from '@/lib/messaging';
import { fakeChromeHosts } from '../support/fake-chrome-hosts';

const EU = 'https://eu.sellsy.com/*';

/** The background's side of the messages a page sends, on a real AppHosts. */
function background(hosts: AppHosts) {
  let answered = 0;
  const stops = [
    onMessage('addAppHost', async ({ data }) => {
      const result = await hosts.add(data.host);
      answered += 1;
      return result;
    }),
    onMessage('listAppHosts', () => hosts.view()),
  ];
  return {
    answered: () => answered,
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}

/** Chrome's permission prompt, open until the test answers it as the person would. */
function promptOpen(chrome: ReturnType<typeof fakeChromeHosts>) {
  let answer: (granted: boolean) => void = () => undefined;
  fakeBrowser.permissions.request = (({ origins }: { origins: string[] }) =>
    new Promise<boolean>((resolve) => {
      answer = (granted) => {
        if (granted) for (const origin of origins) chrome.granted.add(origin);
        resolve(granted);
      };
    })) as typeof fakeBrowser.permissions.request;
  return { allow: () => answer(true) };
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('review 3: a host allowed in Chrome’s prompt', () => {
  // The page sends addAppHost in the click, beside permissions.request, so that the host is kept
  // even if the popup closes. The background answers at once, while the prompt is still open, and
  // registers nothing (not allowed yet). Chrome's permissions.onAdded registers it later, on its
  // own time: the popup reloaded the tab before that, and the options said "not allowed by
  // Chrome yet" right after the person allowed it.
  it('is registered, and shown allowed, by the time the page’s click ends', async () => {
    const chrome = fakeChromeHosts();
    const hosts = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => [] });
    const bg = background(hosts);
    const prompt = promptOpen(chrome);

    const asking = askForAppHost('eu.sellsy.com');
    // The background has kept the host and answered while the person reads the prompt.
    await expect.poll(() => bg.answered()).toBe(1);
    prompt.allow();
    const { granted, result } = await asking;

    expect(granted).toBe(true);
    expect(result).toMatchObject({ ok: true, view: { hosts: [{ host: 'eu.sellsy.com', source: 'user', granted: true }] } });
    // The popup reloads the tab now: the script must already be there.
    expect(chrome.scripts.get(EXTRA_HOSTS_SCRIPT_ID)?.matches).toEqual([EU]);
    expect(hosts.patterns()).toEqual([EU]);
    bg.stop();
  });
});

describe('review 3: a policy host allowed by a click, then dropped by the administrator', () => {
  // The options' Allow button (and the popup's offer) on a policy host sends addAppHost: the host
  // was then kept as the user's own too, so when the administrator dropped it, it stayed allowed
  // and running: the give-back of 5da59c1 never applied to a host allowed from our own pages.
  it('gives the permission back and stops running there', async () => {
    const chrome = fakeChromeHosts();
    const managed = { hosts: ['eu.sellsy.com'] };
    const hosts = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => managed.hosts });
    await hosts.refresh();
    expect((await hosts.view()).hosts).toEqual([{ host: 'eu.sellsy.com', source: 'policy', granted: false }]);

    // Allow, in the options: Chrome grants it in the click, and the background is told.
    chrome.granted.add(EU);
    expect(await hosts.add('eu.sellsy.com')).toMatchObject({ ok: true, view: { hosts: [{ host: 'eu.sellsy.com', source: 'policy', granted: true }] } });
    expect(hosts.patterns()).toEqual([EU]);

    managed.hosts = [];
    await hosts.refresh();
    expect(chrome.granted.has(EU)).toBe(false);
    expect(chrome.scripts.has(EXTRA_HOSTS_SCRIPT_ID)).toBe(false);
    expect((await hosts.view()).hosts).toEqual([]);
  });

  it('still keeps a host the user had added herself before the policy listed it', async () => {
    const chrome = fakeChromeHosts();
    chrome.granted.add(EU);
    const managed = { hosts: [] as string[] };
    const hosts = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => managed.hosts });
    await hosts.add('eu.sellsy.com');
    managed.hosts = ['eu.sellsy.com'];
    await hosts.refresh();
    managed.hosts = [];
    await hosts.refresh();
    expect(chrome.granted.has(EU)).toBe(true);
    expect((await hosts.view()).hosts).toEqual([{ host: 'eu.sellsy.com', source: 'user', granted: true }]);
  });
});
