/**
 * Hostile review 3 of "Sellsy at another address" (issue 24): what goes wrong in ordinary use
 * when a policy host is allowed by a click and later dropped by the administrator.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Browser } from '#imports';
import { AppHosts, EXTRA_HOSTS_SCRIPT_ID } from '@/lib/app-hosts/app-hosts';

const EU = 'https://eu.sellsy.com/*';

/** Chrome's registered scripts and granted origins, as far as AppHosts can see them. */
function fakeChrome() {
  const scripts = new Map<string, Browser.scripting.RegisteredContentScript>();
  const granted = new Set<string>();
  const scripting = {
    getRegisteredContentScripts: async ({ ids }: { ids: string[] }) => [...scripts.values()].filter((script) => ids.includes(script.id)),
    registerContentScripts: async (list: Browser.scripting.RegisteredContentScript[]) => {
      for (const script of list) {
        if (scripts.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
        scripts.set(script.id, script);
      }
    },
    updateContentScripts: async (list: Browser.scripting.RegisteredContentScript[]) => {
      for (const script of list) scripts.set(script.id, { ...scripts.get(script.id), ...script });
    },
    unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
      for (const id of ids) scripts.delete(id);
    },
  };
  const permissions = {
    contains: async ({ origins }: { origins: string[] }) => origins.every((origin) => granted.has(origin)),
    remove: async ({ origins }: { origins: string[] }) => {
      for (const origin of origins) granted.delete(origin);
      return true;
    },
  };
  return { scripts, granted, scripting, permissions };
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('review 3: a policy host allowed by a click, then dropped by the administrator', () => {
  // The options' Allow button (and the popup's offer) on a policy host sends addAppHost: the host
  // was then kept as the user's own too, so when the administrator dropped it, it stayed allowed
  // and running: the give-back of 5da59c1 never applied to a host allowed from our own pages.
  it('gives the permission back and stops running there', async () => {
    const chrome = fakeChrome();
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
    const chrome = fakeChrome();
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
