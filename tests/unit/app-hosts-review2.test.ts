import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Browser } from '#imports';
import { AppHosts, EXTRA_HOSTS_SCRIPT_ID } from '@/lib/app-hosts/app-hosts';
import { checkAppHost, looksLikeUnknownSellsyApp } from '@/lib/app-hosts/host-rules';
import { parseManagedSettings } from '@/lib/policy/managed-settings';

/** Chrome's registered scripts and granted origins, each call answering after a turn of the event loop, as Chrome's do. */
function fakeChrome() {
  const scripts = new Map<string, Browser.scripting.RegisteredContentScript>();
  const granted = new Set<string>();
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  const scripting = {
    getRegisteredContentScripts: async ({ ids }: { ids: string[] }) => {
      await tick();
      return [...scripts.values()].filter((script) => ids.includes(script.id));
    },
    registerContentScripts: async (list: Browser.scripting.RegisteredContentScript[]) => {
      await tick();
      for (const script of list) {
        if (scripts.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
        scripts.set(script.id, script);
      }
    },
    updateContentScripts: async (list: Browser.scripting.RegisteredContentScript[]) => {
      await tick();
      for (const script of list) scripts.set(script.id, { ...scripts.get(script.id), ...script });
    },
    unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
      await tick();
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

describe('app hosts under a hostile review (issue 24)', () => {
  it('keeps both hosts when two are added at once (options and the popup offer, or two quick clicks)', async () => {
    const chrome = fakeChrome();
    chrome.granted.add('https://eu.sellsy.com/*');
    chrome.granted.add('https://us.sellsy.com/*');
    const hosts = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => [] });
    await Promise.all([hosts.add('eu.sellsy.com'), hosts.add('us.sellsy.com')]);
    expect((await hosts.view()).hosts.map((host) => host.host).sort()).toEqual(['eu.sellsy.com', 'us.sellsy.com']);
    expect(chrome.scripts.get(EXTRA_HOSTS_SCRIPT_ID)?.matches?.sort()).toEqual(['https://eu.sellsy.com/*', 'https://us.sellsy.com/*']);
  });

  it('keeps a host added while another is being removed', async () => {
    const chrome = fakeChrome();
    chrome.granted.add('https://eu.sellsy.com/*');
    chrome.granted.add('https://us.sellsy.com/*');
    const hosts = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => [] });
    await hosts.add('eu.sellsy.com');
    await Promise.all([hosts.remove('eu.sellsy.com'), hosts.add('us.sellsy.com')]);
    expect((await hosts.view()).hosts.map((host) => host.host)).toEqual(['us.sellsy.com']);
  });
});

describe('host rules under a hostile review (issue 24)', () => {
  it.each([
    // The API and sign-in pages in their .fr spelling, as the help and marketing sites already are.
    'api.sellsy.fr',
    'login.sellsy.fr',
    // Sub-hosts of the sites that are not the app (a localised help centre, a www. in front).
    'fr.help.sellsy.com',
    'www.help.sellsy.fr',
    'www.go.sellsy.com',
    'www.api.sellsy.com',
    'www.login.sellsy.com',
    // Any spelling URL maps onto them.
    'HELP.SELLSY.COM',
    'https://Login.Sellsy.FR/oauth',
  ])('refuses %s, which is not the app', (input) => {
    expect(checkAppHost(input)).toEqual({ ok: false, reason: 'not-the-app' });
  });

  it.each([
    ['a trailing dot', 'eu.sellsy.com.'],
    ['a Cyrillic е (IDN lookalike)', 'eu.sеllsy.com'],
    ['sellsy.com as a sub-domain of another', 'sellsy.com.evil.fr'],
    ['a name ending in sellsy.com', 'evilsellsy.com'],
  ])('never takes %s for Sellsy', (_, input) => {
    const check = checkAppHost(input);
    expect(check.ok ? check.sellsy : false).toBe(false);
  });

  it('offers nothing on a sub-host of the help centre', () => {
    expect(looksLikeUnknownSellsyApp('https://fr.help.sellsy.com/articles/1', ['www.sellsy.com'])).toBeUndefined();
  });
});

describe('policy app hosts under a hostile review (issue 24)', () => {
  it('keeps the usable hosts of a list holding junk (a number, null, an object)', () => {
    expect(parseManagedSettings({ sellsyAppHosts: ['eu.sellsy.com', 42, null, { host: 'x' }, 'help.sellsy.com', 'us.sellsy.com'] }).sellsyAppHosts).toEqual([
      'eu.sellsy.com',
      'us.sellsy.com',
    ]);
  });
});

describe('a removed host under a hostile review (issue 24)', () => {
  it('is no longer trusted, and its permission goes, even when Chrome fails to update the registration', async () => {
    const chrome = fakeChrome();
    chrome.granted.add('https://eu.sellsy.com/*');
    chrome.granted.add('https://us.sellsy.com/*');
    const hosts = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => [] });
    await hosts.add('eu.sellsy.com');
    await hosts.add('us.sellsy.com');
    expect(hosts.patterns()).toEqual(['https://eu.sellsy.com/*', 'https://us.sellsy.com/*']);
    chrome.scripting.updateContentScripts = async () => {
      throw new Error('Extension context invalidated.');
    };
    await hosts.remove('eu.sellsy.com').catch(() => undefined);
    expect(await hosts.patterns()).toEqual(['https://us.sellsy.com/*']);
    expect(chrome.granted.has('https://eu.sellsy.com/*')).toBe(false);
  });
});

describe('a host whose permission is taken back in Chrome’s settings (hostile review of issue 24)', () => {
  it('stops being trusted and registered at the next refresh (permissions.onRemoved, or the next start), and stays listed as waiting', async () => {
    const chrome = fakeChrome();
    chrome.granted.add('https://eu.sellsy.com/*');
    const hosts = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => [] });
    await hosts.add('eu.sellsy.com');
    expect(hosts.patterns()).toEqual(['https://eu.sellsy.com/*']);
    chrome.granted.delete('https://eu.sellsy.com/*');
    await hosts.refresh();
    expect(hosts.patterns()).toEqual([]);
    expect(chrome.scripts.has(EXTRA_HOSTS_SCRIPT_ID)).toBe(false);
    expect((await hosts.view()).hosts).toEqual([{ host: 'eu.sellsy.com', source: 'user', granted: false }]);
    // A worker started afterwards reads the same.
    const restarted = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => [] });
    expect(await restarted.patterns()).toEqual([]);
  });
});

describe('an added host that a later build runs on by itself (hostile review of issue 24)', () => {
  it('is not registered a second time: the page would run the content script twice', async () => {
    const chrome = fakeChrome();
    chrome.granted.add('https://eu.sellsy.com/*');
    chrome.granted.add('https://us.sellsy.com/*');
    // Added by the user under a build that did not know it…
    await new AppHosts({ ...chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => [] }).add('eu.sellsy.com');
    // …then an update whose build runs there (WXT_SELLSY_APP_HOSTS), and another host added since.
    const updated = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com', 'eu.sellsy.com'], managedHosts: async () => [] });
    await updated.add('us.sellsy.com');
    expect(chrome.scripts.get(EXTRA_HOSTS_SCRIPT_ID)?.matches).toEqual(['https://us.sellsy.com/*']);
    expect((await updated.view()).hosts.map((host) => host.host)).toEqual(['us.sellsy.com']);
  });
});
