import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { shootChecked } from './axe';
import { launchExtension, setMicrophone, type LoadedExtension } from './extension';

/**
 * The microphone and Allo's sign-in, in Debian's Chromium. Chrome shows no permission prompt in a
 * side panel: the grant must be the extension origin's, asked once from a page of its own, and
 * the dialer's frame (`allow="microphone"`) then uses it. The dialer double asks for the
 * microphone when Call is pressed, as Allo does; Chromium runs with a fake microphone.
 */

const MARIE_LANDLINE = '+33123456789';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true, contacts: 20 });
});

afterAll(async () => {
  await sandbox?.close();
});

const TEXT = {
  'en-US': {
    promptTitle: 'Allow the microphone',
    deniedTitle: 'The microphone is blocked',
    allow: 'Allow the microphone',
    settings: 'Open Chrome’s settings',
    window: 'Use the dialer in a window',
    signIn: /First time\? Sign in to Allo/,
    pageTitle: 'Allow the microphone for Allo',
  },
  'fr-FR': {
    promptTitle: 'Autoriser le micro',
    deniedTitle: 'Le micro est bloqué',
    allow: 'Autoriser le micro',
    settings: 'Ouvrir les paramètres de Chrome',
    window: 'Utiliser le composeur dans une fenêtre',
    signIn: /Première fois/,
    pageTitle: 'Autoriser le micro pour Allo',
  },
} as const;

async function openPanelTab(extension: LoadedExtension): Promise<Page> {
  const panel = await extension.context.newPage();
  await panel.setViewportSize({ width: 400, height: 900 });
  await panel.goto(`chrome-extension://${extension.extensionId}/sidepanel.html`);
  await panel.getByRole('heading', { level: 1 }).waitFor();
  return panel;
}

async function dialerFrame(panel: Page): Promise<Frame> {
  await expect.poll(() => panel.frames().some((f) => f.url().startsWith(sandbox.dialer.url))).toBe(true);
  const frame = panel.frames().find((f) => f.url().startsWith(sandbox.dialer.url))!;
  await frame.locator('#keypad:not([hidden]), #sign-in:not([hidden])').first().waitFor();
  return frame;
}

/** Signed in to the double, with a number on its keypad, Call pressed: what did getUserMedia give? */
async function pressCall(frame: Frame): Promise<string> {
  const signIn = frame.getByRole('button', { name: 'Sign in as Camille Martin' });
  if (await signIn.isVisible()) await signIn.click();
  await frame.evaluate(`document.getElementById('dialed').textContent = ${JSON.stringify(MARIE_LANDLINE)}`);
  const before = sandbox.dialer.microphone.length;
  await frame.getByRole('button', { name: 'Call', exact: true }).click();
  await expect.poll(() => sandbox.dialer.microphone.length).toBe(before + 1);
  return sandbox.dialer.microphone.at(-1)!;
}

describe.each(['en-US', 'fr-FR'] as const)('the microphone and Allo’s sign-in in %s', (lang) => {
  let extension: LoadedExtension;
  const text = TEXT[lang];

  beforeAll(async () => {
    extension = await launchExtension({ lang });
  });

  afterAll(async () => {
    await extension?.close();
  });

  it('one sign-in on Allo’s own site, in a normal tab, is the sign-in of the dialer in the panel', async () => {
    const allo = await extension.context.newPage();
    await allo.goto(sandbox.dialer.url);
    await allo.getByRole('button', { name: 'Sign in as Camille Martin' }).click();
    await allo.locator('#keypad:not([hidden])').waitFor();
    const panel = await openPanelTab(extension);
    const frame = await dialerFrame(panel);
    expect(await frame.locator('#keypad').isVisible()).toBe(true);
    // The double said `login`: the panel no longer asks to sign in.
    await expect.poll(() => panel.getByText(text.signIn).count()).toBe(0);
    await panel.close();
    await allo.close();
  });

  it('nothing granted: the panel shows the microphone step, the grant page asks once, and an allow reaches the panel live', async () => {
    // A fresh profile: nothing granted, nothing refused.
    const panel = await openPanelTab(extension);
    await panel.getByRole('heading', { name: text.promptTitle }).waitFor();
    await panel.getByRole('button', { name: text.window }).waitFor();
    await shootChecked(panel, `${lang}-panel-5-microphone-prompt`);

    // The grant page opens in a small popup window. Headless Chromium answers its one prompt
    // with a refusal (a person would choose "Allow on every visit"), and the page says so.
    const opened = extension.context.waitForEvent('page');
    await panel.getByRole('button', { name: text.allow }).click();
    const grant = await opened;
    expect(grant.url()).toBe(`chrome-extension://${extension.extensionId}/microphone.html`);
    expect(await grant.evaluate('chrome.windows.getCurrent().then((w) => w.type)')).toBe('popup');
    await grant.getByRole('heading', { name: text.pageTitle }).waitFor();
    await grant.getByRole('button', { name: text.settings }).waitFor();
    await shootChecked(grant, `${lang}-microphone-page-denied`);

    // The panel follows the permission as it changes: now blocked, with Chrome's settings.
    await panel.getByRole('heading', { name: text.deniedTitle }).waitFor();
    await shootChecked(panel, `${lang}-panel-6-microphone-denied`);

    // Blocked, the dialer's Call gets no microphone, as in a real side panel.
    const frame = await dialerFrame(panel);
    expect(await pressCall(frame)).toBe('NotAllowedError');

    // The person allows it: the grant page closes itself, the step goes, and the dialer inside
    // the panel gets a live audio track through its frame's `allow="microphone"`.
    await setMicrophone(extension, 'granted');
    await expect.poll(() => grant.isClosed(), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => panel.locator('.microphone').count()).toBe(0);
    expect(await pressCall(frame)).toBe('live');
    await panel.close();
  });

  it('blocked: the panel opens Chrome’s site settings for the extension', async () => {
    await setMicrophone(extension, 'denied');
    const panel = await openPanelTab(extension);
    await panel.getByRole('heading', { name: text.deniedTitle }).waitFor();
    const settingsOpened = extension.context.waitForEvent('page');
    await panel.getByRole('button', { name: text.settings }).click();
    const settings = await settingsOpened;
    const site = encodeURIComponent(`chrome-extension://${extension.extensionId}`);
    await expect.poll(() => settings.url()).toBe(`chrome://settings/content/siteDetails?site=${site}`);
    await settings.close();
    await panel.close();
  });
});

describe('what the dialer sent, in "Copy diagnostics"', () => {
  let extension: LoadedExtension;

  beforeAll(async () => {
    extension = await launchExtension();
    await setMicrophone(extension, 'granted');
  });

  afterAll(async () => {
    await extension?.close();
  });

  it('keeps the shapes of the dialer’s messages, unknown ones too, without names or whole numbers', async () => {
    const panel = await openPanelTab(extension);
    const frame = await dialerFrame(panel);
    await frame.getByRole('button', { name: 'Sign in as Camille Martin' }).click();
    // A type the panel does not know: recorded, never acted on.
    await frame.evaluate(
      `parent.postMessage({ source: 'allo-dialer', type: 'call_ended', payload: { phoneNumber: '${MARIE_LANDLINE}', contact: { name: 'Marie Dupont' } } }, '*')`,
    );
    await panel.waitForTimeout(500);
    expect(await panel.locator('.number').count()).toBe(0);

    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
    const report = options.locator('pre.diagnostics');
    await options.getByText('What is copied').click();
    // The report waits for Chrome's managed storage, which answers a few seconds after start-up.
    await expect.poll(() => report.textContent(), { timeout: 15_000 }).toContain('call_ended (unknown, ignored)');
    const text = (await report.textContent()) ?? '';
    expect(text).toMatch(/Extension: \d+\.\d+\.\d+/);
    expect(text).toMatch(/Browser: (Chrome|Chromium) \d+\.\d+\.\d+/);
    expect(text).toContain('Microphone: granted');
    expect(text).toContain(' ready {source: string(11)');
    expect(text).toContain('login {source: string(11); payload.user.name: string(14)}');
    expect(text).toContain('payload.phoneNumber: number …89');
    expect(text).not.toContain('Camille');
    expect(text).not.toContain('Marie');
    expect(text).not.toContain('123456789');
    expect(await options.getByRole('button', { name: 'Copy diagnostics' }).count()).toBe(1);
    await options.close();
    await panel.close();
  });
});
