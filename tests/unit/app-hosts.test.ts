import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AppHosts, CONTENT_SCRIPT_FILE, EXTRA_HOSTS_SCRIPT_ID } from '@/lib/app-hosts/app-hosts';
import { fakeChromeHosts } from '../support/fake-chrome-hosts';

function setup(policy: string[] = []) {
  const chrome = fakeChromeHosts();
  const managed = { hosts: policy };
  const hosts = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com', 'www.sellsy.fr'], managedHosts: async () => managed.hosts });
  const matches = () => chrome.scripts.get(EXTRA_HOSTS_SCRIPT_ID)?.matches ?? [];
  return { chrome, managed, hosts, matches };
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('Sellsy app hosts added at run time', () => {
  it('registers the content script on an added host once Chrome allows it, and the sender check follows', async () => {
    const { chrome, hosts, matches } = setup();
    expect(await hosts.add('https://eu.sellsy.com/peoples/12')).toMatchObject({
      ok: true,
      view: { hosts: [{ host: 'eu.sellsy.com', source: 'user', granted: false }] },
    });
    // Not allowed yet (the prompt is still open, or was refused): nothing runs there.
    expect(matches()).toEqual([]);
    expect(hosts.patterns()).toEqual([]);

    chrome.granted.add('https://eu.sellsy.com/*');
    await hosts.refresh();
    expect(chrome.scripts.get(EXTRA_HOSTS_SCRIPT_ID)).toMatchObject({
      matches: ['https://eu.sellsy.com/*'],
      js: [CONTENT_SCRIPT_FILE],
      allFrames: true,
      persistAcrossSessions: true,
    });
    expect(hosts.patterns()).toEqual(['https://eu.sellsy.com/*']);

    chrome.granted.add('https://crm.acme-gestion.fr/*');
    await hosts.add('crm.acme-gestion.fr');
    expect(matches()).toEqual(['https://eu.sellsy.com/*', 'https://crm.acme-gestion.fr/*']);
  });

  it('removing a host unregisters it and gives its permission back', async () => {
    const { chrome, hosts, matches } = setup();
    chrome.granted.add('https://eu.sellsy.com/*');
    await hosts.add('eu.sellsy.com');
    expect(matches()).toEqual(['https://eu.sellsy.com/*']);
    expect((await hosts.remove('eu.sellsy.com')).hosts).toEqual([]);
    expect(chrome.scripts.has(EXTRA_HOSTS_SCRIPT_ID)).toBe(false);
    expect(chrome.granted.has('https://eu.sellsy.com/*')).toBe(false);
    expect(hosts.patterns()).toEqual([]);
  });

  it('refuses what the host rules refuse, and the build’s own hosts', async () => {
    const { hosts } = setup();
    expect(await hosts.add('http://eu.sellsy.com')).toMatchObject({ ok: false, reason: 'not-https' });
    expect(await hosts.add('help.sellsy.com')).toMatchObject({ ok: false, reason: 'not-the-app' });
    expect(await hosts.add('www.sellsy.com')).toMatchObject({ ok: false, reason: 'built-in' });
    expect((await hosts.view()).hosts).toEqual([]);
  });

  it('runs on the policy’s hosts Chrome allows, which the user cannot remove, and follows a policy change', async () => {
    const { chrome, managed, hosts, matches } = setup(['eu.sellsy.com', 'www.sellsy.com']);
    chrome.granted.add('https://eu.sellsy.com/*');
    await hosts.refresh();
    expect(await hosts.view()).toEqual({ builtIn: ['www.sellsy.com', 'www.sellsy.fr'], hosts: [{ host: 'eu.sellsy.com', source: 'policy', granted: true }] });
    expect(matches()).toEqual(['https://eu.sellsy.com/*']);
    await hosts.remove('eu.sellsy.com');
    expect(matches()).toEqual(['https://eu.sellsy.com/*']);
    expect(chrome.granted.has('https://eu.sellsy.com/*')).toBe(true);

    managed.hosts = [];
    await hosts.refresh();
    expect(chrome.scripts.has(EXTRA_HOSTS_SCRIPT_ID)).toBe(false);
    // The user may have granted it by a click: the permission goes with the policy's host.
    expect(chrome.granted.has('https://eu.sellsy.com/*')).toBe(false);
  });

  it('gives back a dropped policy host’s permission after a restart, keeps one the user added too, and not on a failed policy read', async () => {
    const first = setup(['eu.sellsy.com']);
    first.chrome.granted.add('https://eu.sellsy.com/*');
    first.chrome.granted.add('https://crm.sellsy.fr/*');
    // The user added crm.sellsy.fr herself before the policy listed it too.
    await first.hosts.add('crm.sellsy.fr');
    first.managed.hosts = ['eu.sellsy.com', 'crm.sellsy.fr'];
    await first.hosts.refresh();

    // Chrome closed; the administrator dropped both hosts; a new worker starts.
    const hosts = new AppHosts({
      ...first.chrome,
      builtIn: ['www.sellsy.com'],
      managedHosts: async () => Promise.reject(new Error('managed storage unavailable')),
    });
    // A policy that cannot be read changes nothing: no permission taken, the script left as it was.
    await expect(hosts.refresh()).rejects.toThrow('managed storage unavailable');
    expect([...first.chrome.granted].sort()).toEqual(['https://crm.sellsy.fr/*', 'https://eu.sellsy.com/*']);
    expect(first.chrome.scripts.get(EXTRA_HOSTS_SCRIPT_ID)?.matches?.slice().sort()).toEqual(['https://crm.sellsy.fr/*', 'https://eu.sellsy.com/*']);

    const restarted = new AppHosts({ ...first.chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => [] });
    await restarted.refresh();
    expect([...first.chrome.granted]).toEqual(['https://crm.sellsy.fr/*']);
    expect(first.chrome.scripts.get(EXTRA_HOSTS_SCRIPT_ID)?.matches).toEqual(['https://crm.sellsy.fr/*']);
  });

  it('checks again what was stored: a hand-edited list keeps only allowed hosts', async () => {
    const { chrome, hosts, matches } = setup();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await fakeBrowser.storage.local.set({ sellsyAppHosts: ['eu.sellsy.com', 'go.sellsy.com', 'http://x.sellsy.com', 42] });
    chrome.granted.add('https://eu.sellsy.com/*');
    chrome.granted.add('https://go.sellsy.com/*');
    await hosts.refresh();
    expect(warn).toHaveBeenCalledWith('Allo for Sellsy: 3 stored app host(s) skipped.');
    expect(matches()).toEqual(['https://eu.sellsy.com/*']);
  });

  it('registers once when asked twice at the same time (start-up and a permission grant)', async () => {
    const { chrome, hosts, matches } = setup(['eu.sellsy.com']);
    chrome.granted.add('https://eu.sellsy.com/*');
    await Promise.all([hosts.refresh(), hosts.refresh(), hosts.refresh()]);
    expect(matches()).toEqual(['https://eu.sellsy.com/*']);
  });
});

describe('Chrome refusing to register the script on an added host', () => {
  it('keeps the host, says it is not started, and clears that once a later registration works', async () => {
    const { chrome, hosts, matches } = setup();
    const register = chrome.scripting.registerContentScripts;
    chrome.scripting.registerContentScripts = async () => {
      throw new Error('Could not load javascript content-scripts/sellsy.js');
    };
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    chrome.granted.add('https://eu.sellsy.com/*');
    expect(await hosts.add('eu.sellsy.com')).toEqual({
      ok: true,
      view: { builtIn: ['www.sellsy.com', 'www.sellsy.fr'], hosts: [{ host: 'eu.sellsy.com', source: 'user', granted: true, notStarted: true }] },
    });
    expect(await hosts.patterns()).toEqual([]);
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();

    chrome.scripting.registerContentScripts = register;
    await hosts.refresh();
    expect(matches()).toEqual(['https://eu.sellsy.com/*']);
    expect((await hosts.view()).hosts).toEqual([{ host: 'eu.sellsy.com', source: 'user', granted: true }]);
  });
});
