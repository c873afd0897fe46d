import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { SECOND_SANDBOX } from '../servers/sandbox-ports';

/** The sandbox build made for the ports of tests/servers/sandbox-ports.ts (the second group's, if so). */
export const SANDBOX_BUILD = resolve(fileURLToPath(new URL(`../../.output/chrome-mv3-${SECOND_SANDBOX ? 'sandbox2' : 'sandbox'}`, import.meta.url)));
/** The default (production) build: real endpoints, and no Sellsy client id unless one was given. */
export const PRODUCTION_BUILD = resolve(fileURLToPath(new URL('../../.output/chrome-mv3', import.meta.url)));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LoadedExtension {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  lang?: string;
  build?: string;
  /**
   * A profile to start from (a browser restart): kept on close, for the caller to remove. The
   * first-run guide opened with the install, not now.
   */
  profile?: string;
}

/**
 * The built sandbox extension in Debian's Chromium, headless, with a throwaway profile
 * (docs/testing.md). Flags keep Chromium off the network it cannot reach.
 */
export async function launchExtension({
  lang = 'en-US',
  build = SANDBOX_BUILD,
  profile: given,
}: LaunchOptions = {}): Promise<LoadedExtension & { profile: string }> {
  const profile = given ?? (await mkdtemp(join(tmpdir(), 'allo-e2e-')));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: lang,
    args: [
      `--disable-extensions-except=${build}`,
      `--load-extension=${build}`,
      // Chromium ships "fr", not "fr-FR": given fr-FR, chrome.i18n falls back to English.
      `--lang=${lang.startsWith('en') ? lang : lang.split('-')[0]}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A fake microphone: the test machine has none. Never --use-fake-ui-for-media-stream, which
      // would answer Chrome's permission prompt and hide what the side panel cannot do.
      '--use-fake-device-for-media-stream',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  // The first-run guide opens on install: wait for it, so that a test waiting for the next new
  // tab (a sign-in window, Allo's web app) never gets the guide instead.
  if (!given) await guidePage(context, extensionId);
  return {
    context,
    worker,
    extensionId,
    profile,
    close: async () => {
      await context.close();
      if (!given) await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Chrome's permission prompt cannot be answered from a test (no DevTools command or flag reaches
 * it), so a host is granted the way Chrome stores a "yes": in the closed profile's preferences,
 * among the extension's granted and active host permissions. `permissions.request` for it then
 * resolves at once with no prompt, as after a person allowed it; `permissions.remove` works as usual.
 */
export async function grantHostInProfile(profile: string, extensionId: string, pattern: string): Promise<void> {
  const file = join(profile, 'Default', 'Preferences');
  const preferences = JSON.parse(await readFile(file, 'utf8')) as {
    extensions: { settings: Record<string, Record<'granted_permissions' | 'active_permissions', { explicit_host?: string[] }>> };
  };
  const settings = preferences.extensions.settings[extensionId];
  if (!settings) throw new Error(`The profile has no extension ${extensionId}`);
  for (const which of ['granted_permissions', 'active_permissions'] as const) {
    const hosts = settings[which].explicit_host ?? [];
    if (!hosts.includes(pattern)) settings[which].explicit_host = [...hosts, pattern];
  }
  await writeFile(file, JSON.stringify(preferences));
}

/**
 * Sets the extension origin's microphone permission as a person would leave it: `granted` is
 * what "Allow on every visit" in the grant page's prompt stores (CDP `Browser.setPermission`).
 */
export async function setMicrophone(extension: LoadedExtension, setting: 'granted' | 'denied' | 'prompt'): Promise<void> {
  // The session stays attached: Chromium drops a DevTools permission setting when the session
  // that made it detaches. It is on the guide's page, which stays open in every test.
  const origin = `chrome-extension://${extension.extensionId}`;
  const cdp = await extension.context.newCDPSession(await guidePage(extension.context, extension.extensionId));
  await cdp.send('Browser.setPermission', { permission: { name: 'microphone' }, setting, origin });
}

/** The first-run guide's tab, once the background has opened it. */
export async function guidePage(context: BrowserContext, extensionId: string, timeoutMs = 10_000): Promise<Page> {
  const url = `chrome-extension://${extensionId}/guide.html`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = context.pages().find((p) => p.url().startsWith(url));
    if (page) return page;
    if (Date.now() > deadline) throw new Error('The first-run guide did not open on install');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens a page and waits until the content script has linked what it will link. */
export async function openLinkedPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await waitForQuiet(page);
  return page;
}

/**
 * Waits until the set of linked numbers stops changing: the content script scans in slices
 * per frame, so "done" is observable only as a DOM that stays the same for a while.
 */
export async function waitForQuiet(page: Page, quietMs = 300, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    const now = JSON.stringify(await linkedNumbers(page));
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) return;
    await page.waitForTimeout(50);
  }
}

// A string, not a function: tools that transpile the tests (tsx, vitest) may wrap named
// functions in helpers that do not exist in the page.
const COLLECT_LINKED = `(() => {
  const found = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('[data-allo-number]')) found.push(el.getAttribute('data-allo-number'));
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
  };
  visit(document);
  return found;
})()`;

/** Every `data-allo-number` on the page, its open shadow roots and its same-origin frames. */
export async function linkedNumbers(page: Page): Promise<string[]> {
  const all: string[] = [];
  for (const frame of page.frames()) all.push(...((await frame.evaluate(COLLECT_LINKED)) as string[]));
  return all.sort();
}

/**
 * Runs an expression inside the content script's isolated world of a page (over CDP), to see
 * exactly what our content script could see.
 */
export async function evaluateInContentScript(context: BrowserContext, page: Page, expression: string): Promise<unknown> {
  const cdp = await context.newCDPSession(page);
  const contexts: Array<{ id: number; name: string; auxData?: { type?: string; isDefault?: boolean } }> = [];
  cdp.on('Runtime.executionContextCreated', (event) => contexts.push(event.context));
  await cdp.send('Runtime.enable');
  const isolated = contexts.find((c) => c.auxData?.type === 'isolated' && /Allo/.test(c.name));
  if (!isolated) throw new Error(`No content-script world in this page (worlds: ${contexts.map((c) => c.name).join(', ')})`);
  const result = await cdp.send('Runtime.evaluate', { expression, contextId: isolated.id, awaitPromise: true, returnByValue: true });
  await cdp.detach();
  if (result.exceptionDetails) throw new Error(result.exceptionDetails.exception?.description ?? result.exceptionDetails.text);
  return result.result.value;
}

/** The popup, opened as a tab (docs/testing.md), once it has drawn its first card. */
export async function openPopup(extension: LoadedExtension): Promise<Page> {
  const popup = await extension.context.newPage();
  await popup.goto(`chrome-extension://${extension.extensionId}/popup.html`);
  await popup.getByRole('heading', { level: 2 }).first().waitFor();
  return popup;
}

const CONNECT_TEXT = {
  'en-US': {
    connect: 'Connect Sellsy',
    lastSync: /Last sync/,
    keyLabel: 'Allo API key',
    saveKey: 'Save Allo key',
    logged: 'Camille Martin’s Allo calls are logged in Sellsy.',
  },
  'fr-FR': {
    connect: 'Connecter Sellsy',
    lastSync: /Dernière synchronisation/,
    keyLabel: 'Clé API Allo',
    saveKey: 'Enregistrer la clé Allo',
    logged: 'Les appels Allo de Camille Martin sont ajoutés à Sellsy.',
  },
} as const;

/**
 * From the popup, as a person does: Sellsy connected (the sandbox approves the sign-in), its first
 * sync done, and the sandbox's Allo key saved until Camille Martin's calls are logged.
 */
export async function connectSandboxServices(extension: LoadedExtension, lang: keyof typeof CONNECT_TEXT = 'en-US'): Promise<void> {
  const text = CONNECT_TEXT[lang];
  const popup = await openPopup(extension);
  await popup.getByRole('button', { name: text.connect, exact: true }).click();
  await popup.getByText(text.lastSync).waitFor({ timeout: 30_000 });
  await popup.getByLabel(text.keyLabel).fill('allo-sandbox-key');
  await popup.getByRole('button', { name: text.saveKey, exact: true }).click();
  await popup.getByText(text.logged).waitFor({ timeout: 15_000 });
  await popup.close();
}
