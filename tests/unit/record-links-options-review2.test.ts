/**
 * The options' record links under a hostile review of issue 24: an app address outside Sellsy's
 * domains is saved only after a clear warning, as an added app host is.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SellsyRecordLinks } from '@/components/SellsyRecordLinks';
import type { RecordLinksView } from '@/lib/app-hosts/record-links';
import { onMessage } from '@/lib/messaging';
import { DEFAULT_RECORD_PATHS } from '@/lib/sellsy/record-url';

let stops: Array<() => void> = [];
let saved: unknown[];

const VIEW: RecordLinksView = {
  effective: { appUrl: 'https://www.sellsy.com', paths: { ...DEFAULT_RECORD_PATHS } },
  user: {},
  defaults: { appUrl: 'https://www.sellsy.com', paths: { ...DEFAULT_RECORD_PATHS } },
  managed: { appUrl: false, paths: [] },
};

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string[]) => [key, ...(substitutions ?? [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
  saved = [];
});

afterEach(() => {
  for (const stop of stops) stop();
});

function mount(view: RecordLinksView, refuse?: 'app-url' | 'contact'): HTMLElement {
  stops = [
    onMessage('getRecordLinks', () => view),
    onMessage('setRecordLinks', ({ data }) => {
      saved.push(data);
      if (refuse) return { ok: false, reason: refuse };
      const next = { ...view, user: { appUrl: data.appUrl || undefined, paths: { contact: data.paths.contact } } };
      return { ok: true, view: next };
    }),
    onMessage('testRecordLink', ({ data }) => (data.path === 'individual' ? { none: true } : { url: 'https://eu.sellsy.com/contacts/12' })),
  ];
  const root = document.createElement('div');
  document.body.append(root);
  render(h(SellsyRecordLinks, {}), root);
  return root;
}

async function fill(root: HTMLElement, id: string, text: string): Promise<void> {
  await expect.poll(() => root.querySelector(`#${id}`)).not.toBeNull();
  const input = root.querySelector<HTMLInputElement>(`#${id}`)!;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const submit = (root: HTMLElement) => root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
const button = (root: HTMLElement, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === text);

it('warns before saving an app address outside Sellsy’s domains, and saves it on a second click', async () => {
  const root = mount(VIEW);
  await fill(root, 'record-app-url', 'https://crm.example.fr');
  submit(root);
  await expect.poll(() => root.querySelector('[role="alert"]')?.textContent).toContain('recordLinksNotSellsy crm.example.fr');
  expect(saved).toHaveLength(0);
  button(root, 'recordLinksSaveAnyway crm.example.fr')!.click();
  await expect.poll(() => saved).toHaveLength(1);
  expect(saved[0]).toMatchObject({ appUrl: 'https://crm.example.fr' });
  render(null, root);
});

it('saves a Sellsy app address at once, without a warning', async () => {
  const root = mount(VIEW);
  await fill(root, 'record-app-url', 'https://eu.sellsy.com');
  submit(root);
  await expect.poll(() => saved).toHaveLength(1);
  expect(root.querySelector('[role="alert"]')).toBeNull();
  render(null, root);
});
