/**
 * Review 3: a Sellsy address the administrator's policy adds, which the salesperson allowed by
 * a click (7c08e13 gives that permission back when the policy drops the address). Chrome may
 * answer an empty policy for a while after it starts, before it has loaded it
 * (w3c/webextensions#547): a policy not loaded yet must not take the permission, nor the
 * content script, from the salesperson's Sellsy.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { EXTRA_HOSTS_SCRIPT_ID, policyAppHostsSeen } from '@/lib/app-hosts/app-hosts';
import { createBackgroundApp } from '@/lib/background/create-app';
import { readConfig } from '@/lib/config';
import { fakeChromeHosts } from '../support/fake-chrome-hosts';

const EU = 'https://eu.sellsy.com/*';
const MINUTE = 60_000;
const START = Date.parse('2026-12-08T08:55:00Z');

function background(chrome: ReturnType<typeof fakeChromeHosts>) {
  return createBackgroundApp({
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
}

/** Yesterday: the policy listed eu.sellsy.com, she allowed it, the script ran there. */
async function allowedYesterday(chrome: ReturnType<typeof fakeChromeHosts>) {
  chrome.granted.add(EU);
  chrome.scripts.set(EXTRA_HOSTS_SCRIPT_ID, { id: EXTRA_HOSTS_SCRIPT_ID, matches: [EU], js: ['content-scripts/sellsy.js'] });
  await policyAppHostsSeen.setValue(['eu.sellsy.com']);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
  return () => vi.useRealTimers();
});

describe('review 3: Chrome starts before it has loaded the policy', () => {
  it('the permission she gave, and the script, stay; the policy then loads with the address', async () => {
    const chrome = fakeChromeHosts();
    await allowedYesterday(chrome);
    // Chrome starts: the policy reads empty for now.
    const app = background(chrome);
    await settle();
    expect(chrome.granted.has(EU)).toBe(true);
    expect(await app.appHostPatterns()).toEqual([EU]);
    expect(chrome.scripts.get(EXTRA_HOSTS_SCRIPT_ID)?.matches).toEqual([EU]);
    await fakeBrowser.storage.managed.set({ sellsyAppHosts: ['eu.sellsy.com'] });
    await settle();
    expect(chrome.granted.has(EU)).toBe(true);
    expect(chrome.scripts.get(EXTRA_HOSTS_SCRIPT_ID)?.matches).toEqual([EU]);
  });
});

describe('review 3: what 7c08e13 keeps (the administrator really dropped the address)', () => {
  it('dropped while Chrome runs: the permission goes at once', async () => {
    const chrome = fakeChromeHosts();
    await allowedYesterday(chrome);
    await fakeBrowser.storage.managed.set({ sellsyAppHosts: ['eu.sellsy.com'] });
    background(chrome);
    await settle();
    expect(chrome.granted.has(EU)).toBe(true);
    await fakeBrowser.storage.managed.clear();
    await expect.poll(() => chrome.granted.has(EU)).toBe(false);
    expect(chrome.scripts.has(EXTRA_HOSTS_SCRIPT_ID)).toBe(false);
  });

  it('dropped while Chrome was closed: still empty minutes after the start, the permission goes', async () => {
    const chrome = fakeChromeHosts();
    await allowedYesterday(chrome);
    background(chrome);
    await settle();
    // The worker starts again later (Chrome stops it when idle): the policy still reads empty.
    vi.setSystemTime(START + 6 * MINUTE);
    background(chrome);
    await expect.poll(() => chrome.granted.has(EU)).toBe(false);
  });
});
