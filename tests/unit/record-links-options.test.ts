/**
 * The options' record links: what the user types is saved and shown again, a refused part says
 * which, the policy's parts are locked, and "Test a link" says what it opened or why nothing.
 * From a hostile review of issue 24: an app address outside Sellsy's domains is saved only after
 * a clear warning, as an added app host is.
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

it('saves what was typed, and shows the defaults as placeholders', async () => {
  const root = mount(VIEW);
  await fill(root, 'record-app-url', 'https://eu.sellsy.com');
  await fill(root, 'record-path-contact', 'contacts/{id}');
  expect(root.querySelector<HTMLInputElement>('#record-path-client')?.placeholder).toBe('thirds/client/{id}');
  submit(root);
  await expect.poll(() => saved).toHaveLength(1);
  expect(saved[0]).toEqual({ appUrl: 'https://eu.sellsy.com', paths: { contact: 'contacts/{id}', client: '', prospect: '', individual: '' } });
  await expect.poll(() => root.querySelector('[role="status"]')?.textContent).toBe('recordLinksSaved');
  render(null, root);
});

it('says a refused address or path, and what was typed stays in the field', async () => {
  const root = mount(VIEW, 'contact');
  await fill(root, 'record-path-contact', '//evil.example/{id}');
  submit(root);
  await expect.poll(() => root.querySelector('[role="alert"]')?.textContent).toBe('recordLinksErrPath');
  expect(root.querySelector<HTMLInputElement>('#record-path-contact')?.value).toBe('//evil.example/{id}');
  render(null, root);
});

it('locks the parts the policy sets', async () => {
  const root = mount({ ...VIEW, effective: { ...VIEW.effective, appUrl: 'https://crm.sellsy.fr' }, managed: { appUrl: true, paths: ['prospect'] } });
  await expect.poll(() => root.querySelector<HTMLInputElement>('#record-app-url')?.disabled).toBe(true);
  expect(root.querySelector<HTMLInputElement>('#record-app-url')?.value).toBe('https://crm.sellsy.fr');
  expect(root.querySelector<HTMLInputElement>('#record-path-prospect')?.disabled).toBe(true);
  expect(root.querySelector<HTMLInputElement>('#record-path-contact')?.disabled).toBe(false);
  render(null, root);
});

it('“Test a link” says what it opened, or that no record of that kind is here yet', async () => {
  const root = mount(VIEW);
  await expect.poll(() => button(root, 'recordLinksTest recordPathContact')).toBeDefined();
  button(root, 'recordLinksTest recordPathContact')!.click();
  await expect.poll(() => root.querySelector('[role="status"]')?.textContent).toBe('recordLinksOpened https://eu.sellsy.com/contacts/12');
  button(root, 'recordLinksTest recordPathIndividual')!.click();
  await expect.poll(() => root.querySelector('[role="status"]')?.textContent).toBe('recordLinksNone');
  render(null, root);
});

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
