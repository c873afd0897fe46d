/**
 * The popup's offer: on a tab whose address looks like Sellsy's app where the extension does
 * not run, it offers to add it, asks Chrome for that host in the click, and reloads the tab so
 * its numbers are linked at once. Elsewhere it says nothing.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AppHostOffer } from '@/components/AppHostOffer';
import { onMessage } from '@/lib/messaging';

let stops: Array<() => void> = [];
let asked: string[][];
let reloaded: number[];

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  asked = [];
  reloaded = [];
  fakeBrowser.permissions.request = (async ({ origins }: { origins: string[] }) => {
    asked.push(origins);
    return true;
  }) as typeof fakeBrowser.permissions.request;
  fakeBrowser.tabs.reload = (async (tabId: number) => void reloaded.push(tabId)) as typeof fakeBrowser.tabs.reload;
  stops = [
    onMessage('listAppHosts', () => ({ builtIn: ['www.sellsy.com'], hosts: [{ host: 'old.sellsy.fr', source: 'user' as const, granted: true }] })),
    onMessage('addAppHost', ({ data }) => ({
      ok: true,
      view: { builtIn: ['www.sellsy.com'], hosts: [{ host: data.host, source: 'user' as const, granted: true }] },
    })),
  ];
});

afterEach(() => {
  for (const stop of stops) stop();
});

async function popupOn(url: string): Promise<{ root: HTMLElement; tabId: number }> {
  // The tab the popup was opened on (WXT's fake browser has no current window to query).
  const tabId = 7;
  fakeBrowser.tabs.query = (async () => [{ id: tabId, url }]) as unknown as typeof fakeBrowser.tabs.query;
  const root = document.createElement('div');
  document.body.append(root);
  render(h(AppHostOffer, {}), root);
  return { root, tabId };
}

it('offers a Sellsy-looking address the extension does not run on, and reloads the tab once added', async () => {
  const { root, tabId } = await popupOn('https://eu.sellsy.com/peoples/12');
  await expect.poll(() => root.textContent).toContain('appHostOffer eu.sellsy.com');
  [...root.querySelectorAll('button')].find((b) => b.textContent === 'appHostOfferAdd eu.sellsy.com')?.click();
  await expect.poll(() => reloaded).toEqual([tabId]);
  expect(asked).toEqual([['https://eu.sellsy.com/*']]);
  await expect.poll(() => root.textContent).toBe('');
  render(null, root);
});

it.each(['https://www.sellsy.com/peoples/12', 'https://old.sellsy.fr/', 'https://go.sellsy.com/', 'https://example.org/'])(
  'offers nothing on %s',
  async (url) => {
    const { root } = await popupOn(url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(root.textContent).toBe('');
    render(null, root);
  },
);
