/**
 * The options' Sellsy app addresses: a Sellsy host is asked for at once, in the click; another
 * domain only after a warning and a second click; a refused address says why and asks nothing;
 * the policy's hosts cannot be removed.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SellsyAppHosts } from '@/components/SellsyAppHosts';
import type { AppHostsView } from '@/lib/app-hosts/app-hosts';
import { onMessage } from '@/lib/messaging';

let asked: string[][];
let added: string[];
let stops: Array<() => void> = [];

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  asked = [];
  added = [];
  fakeBrowser.permissions.request = (async ({ origins }: { origins: string[] }) => {
    asked.push(origins);
    return true;
  }) as typeof fakeBrowser.permissions.request;
});

afterEach(() => {
  for (const stop of stops) stop();
});

function mount(view: AppHostsView): HTMLElement {
  stops = [
    // A copy, as Chrome's messages are: never the object the page already shows.
    onMessage('listAppHosts', () => structuredClone(view)),
    onMessage('addAppHost', ({ data }) => {
      added.push(data.host);
      // Chrome allowed it in the click: the host (the user's, or the policy's) now runs.
      const source = view.hosts.find((known) => known.host === data.host)?.source ?? 'user';
      return { ok: true, view: { ...view, hosts: [...view.hosts.filter((known) => known.host !== data.host), { host: data.host, source, granted: true }] } };
    }),
  ];
  const root = document.createElement('div');
  document.body.append(root);
  render(h(SellsyAppHosts, {}), root);
  return root;
}

/** Types into the field and submits, once Preact has rendered what was typed. */
async function type(root: HTMLElement, text: string): Promise<void> {
  const input = root.querySelector<HTMLInputElement>('#app-host')!;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

const button = (root: HTMLElement, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === text);

it('asks Chrome for a Sellsy host at once, that host only, and lists it', async () => {
  const root = mount({ builtIn: ['www.sellsy.com'], hosts: [] });
  await expect.poll(() => root.textContent).toContain('appHostsHelp www.sellsy.com');
  await type(root, 'https://eu.sellsy.com/peoples/12');
  await expect.poll(() => added).toEqual(['eu.sellsy.com']);
  expect(asked).toEqual([['https://eu.sellsy.com/*']]);
  await expect.poll(() => button(root, 'appHostRemove eu.sellsy.com')).toBeDefined();
  render(null, root);
});

it('adds another domain only after the warning and a second click', async () => {
  const root = mount({ builtIn: ['www.sellsy.com'], hosts: [] });
  await type(root, 'crm.acme-gestion.fr');
  await expect.poll(() => root.querySelector('[role="alert"]')?.textContent).toContain('appHostNotSellsy crm.acme-gestion.fr');
  expect(asked).toEqual([]);
  button(root, 'appHostAddAnyway crm.acme-gestion.fr')?.click();
  await expect.poll(() => added).toEqual(['crm.acme-gestion.fr']);
  expect(asked).toEqual([['https://crm.acme-gestion.fr/*']]);
  render(null, root);
});

it.each([
  ['http://eu.sellsy.com', 'appHostErrNotHttps'],
  ['help.sellsy.com', 'appHostErrNotTheApp'],
  ['not an address', 'appHostErrInvalid'],
])('refuses %s, says why and asks Chrome nothing', async (input, message) => {
  const root = mount({ builtIn: ['www.sellsy.com'], hosts: [] });
  await type(root, input);
  await expect.poll(() => root.querySelector('[role="alert"]')?.textContent).toBe(message);
  expect(asked).toEqual([]);
  expect(added).toEqual([]);
  render(null, root);
});

it('shows the policy’s hosts locked, with Allow where Chrome has not allowed them yet', async () => {
  const root = mount({ builtIn: ['www.sellsy.com'], hosts: [{ host: 'eu.sellsy.com', source: 'policy', granted: false }] });
  await expect.poll(() => root.textContent).toContain('managedBadge');
  expect(button(root, 'appHostRemove eu.sellsy.com')).toBeUndefined();
  button(root, 'appHostAllow eu.sellsy.com')?.click();
  await expect.poll(() => asked).toEqual([['https://eu.sellsy.com/*']]);
  render(null, root);
});

// Review 3: "Chrome did not allow the extension there. The address is kept: allow it from here"
// — but only the policy's hosts had an Allow button; the user's own had only Remove, and the
// way back was to remove it and type it again.
it('offers Allow beside the user’s own host that Chrome has not allowed (prompt refused, or taken back in Chrome)', async () => {
  const root = mount({ builtIn: ['www.sellsy.com'], hosts: [{ host: 'eu.sellsy.com', source: 'user', granted: false }] });
  await expect.poll(() => button(root, 'appHostRemove eu.sellsy.com')).toBeDefined();
  button(root, 'appHostAllow eu.sellsy.com')?.click();
  await expect.poll(() => asked).toEqual([['https://eu.sellsy.com/*']]);
  await expect.poll(() => button(root, 'appHostAllow eu.sellsy.com')).toBeUndefined();
  render(null, root);
});

// Review 3: two windows of the options (or the options beside the guide, or the popup's offer
// while the options are open): a host added or removed in one stayed as it was in the other, and
// a permission taken back in Chrome's extension details still showed as allowed.
it('follows a host added or removed elsewhere, and Chrome’s permission when the page comes back to the front', async () => {
  const view: AppHostsView = { builtIn: ['www.sellsy.com'], hosts: [] };
  const root = mount(view);
  await expect.poll(() => root.textContent).toContain('appHostsHelp www.sellsy.com');

  // The popup's offer adds a host: the background keeps it in the user's list.
  view.hosts = [{ host: 'eu.sellsy.com', source: 'user', granted: true }];
  await fakeBrowser.storage.local.set({ sellsyAppHosts: ['eu.sellsy.com'] });
  await expect.poll(() => button(root, 'appHostRemove eu.sellsy.com')).toBeDefined();

  // Taken back in chrome://extensions, another tab: seen when the options come back to the front.
  view.hosts = [{ host: 'eu.sellsy.com', source: 'user', granted: false }];
  window.dispatchEvent(new Event('focus'));
  await expect.poll(() => button(root, 'appHostAllow eu.sellsy.com')).toBeDefined();
  render(null, root);
});
