/**
 * Hostile review of "a Sellsy address the administrator drops from the policy gives its
 * permission back" (AppHosts.giveBackDroppedPolicyHosts). A permission given back is a click the
 * salesperson must make again, and until then click-to-call is gone from her Sellsy: it must go
 * only when the administrator really dropped the host.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AppHosts, EXTRA_HOSTS_SCRIPT_ID, policyAppHostsSeen } from '@/lib/app-hosts/app-hosts';
import { createBackgroundApp } from '@/lib/background/create-app';
import { readConfig } from '@/lib/config';
import { fakeChromeHosts } from '../support/fake-chrome-hosts';

const EU = 'https://eu.sellsy.com/*';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('review 1: a policy host’s permission', () => {
  it('is not given back when reading the policy fails for a moment (the background as built)', async () => {
    const chrome = fakeChromeHosts();
    chrome.granted.add(EU);
    let policyReadable = true;
    fakeBrowser.storage.managed.get = (async () => {
      if (!policyReadable) throw new Error('Managed storage is temporarily unavailable');
      return { sellsyAppHosts: ['eu.sellsy.com'] };
    }) as typeof fakeBrowser.storage.managed.get;
    const app = createBackgroundApp({
      config: readConfig({}),
      identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
      storageClosed: Promise.resolve(true),
      action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined },
      i18n: { getMessage: (key) => key },
      sidePanel: { open: async () => undefined },
      sidePanelOpenIn: async () => false,
      scripting: chrome.scripting,
      permissions: chrome.permissions,
    });
    // The policy's host runs, and is remembered as the policy's.
    await expect.poll(async () => await app.appHostPatterns()).toEqual([EU]);
    await expect.poll(() => policyAppHostsSeen.getValue()).toEqual(['eu.sellsy.com']);

    // Chrome cannot read the policy for a moment; some permission event makes the hosts apply again.
    policyReadable = false;
    for (const listener of chrome.onAdded) listener();
    await new Promise((resolve) => setTimeout(resolve, 50));
    policyReadable = true;

    // The commit says: "a failed policy read is not taken for an empty policy".
    expect(chrome.granted.has(EU)).toBe(true);
  });

  it('is not taken from a host the user adds while the hosts are being applied after the policy dropped it', async () => {
    const chrome = fakeChromeHosts();
    chrome.granted.add(EU);
    const managed = { hosts: ['eu.sellsy.com'] };
    const hosts = new AppHosts({ ...chrome, builtIn: ['www.sellsy.com'], managedHosts: async () => managed.hosts });
    await hosts.refresh();
    expect(chrome.scripts.get(EXTRA_HOSTS_SCRIPT_ID)?.matches).toEqual([EU]);

    // The administrator drops the host (the policy's change applies the hosts again) and, at that
    // moment, the salesperson adds it herself in the options: Chrome still allows it, so her
    // click's permissions.request answers yes at once.
    managed.hosts = [];
    const applying = hosts.refresh();
    const added = hosts.add('eu.sellsy.com');
    await Promise.all([applying, added]);

    // Her host stays allowed and runs.
    expect(chrome.granted.has(EU)).toBe(true);
    expect((await hosts.view()).hosts).toEqual([{ host: 'eu.sellsy.com', source: 'user', granted: true }]);
  });
});
