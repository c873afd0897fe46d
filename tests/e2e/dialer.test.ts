import type { BrowserContext, CDPSession, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../servers/sandbox';
import { launchExtension, openLinkedPage, openPopup, setMicrophone, type LoadedExtension } from './extension';
import { shootChecked } from './axe';

/** Screenshots of the side panel's states, in both languages (git-ignored; README shows copies). */

const MARIE_LANDLINE = '+33123456789';
// Marie Dupont's mobile is also Paul Dupont's: two records, both listed.
const SHARED_MOBILE = '+33612345678';
const UNKNOWN = '+33698765400';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true, contacts: 40 });
  sandbox.sellsy.crm.addContact({ civility: 'mr', first_name: 'Paul', last_name: 'Dupont', mobile_number: '06 12 34 56 78' });
});

afterAll(async () => {
  await sandbox?.close();
});

async function connectSellsy(extension: LoadedExtension, lastSync: RegExp): Promise<void> {
  const popup = await openPopup(extension);
  await popup.getByRole('button', { name: /Connect(er)? Sellsy/ }).click();
  await popup.getByText(lastSync).waitFor({ timeout: 30_000 });
  await popup.close();
}

/** The side panel's page opened as a tab (headless Chromium shows the real panel, but Playwright cannot drive it). */
async function openPanelTab(extension: LoadedExtension): Promise<Page> {
  const panel = await extension.context.newPage();
  await panel.setViewportSize({ width: 400, height: 900 });
  await panel.goto(`chrome-extension://${extension.extensionId}/sidepanel.html`);
  await panel.getByRole('heading', { level: 1 }).waitFor();
  return panel;
}

/** The dialer double's frame inside the panel. */
async function dialerFrame(panel: Page): Promise<Frame> {
  await expect.poll(() => panel.frames().some((f) => f.url().startsWith(sandbox.dialer.url))).toBe(true);
  return panel.frames().find((f) => f.url().startsWith(sandbox.dialer.url))!;
}

async function signInAndRing(panel: Page, number: string): Promise<void> {
  const dialer = await dialerFrame(panel);
  const signIn = dialer.getByRole('button', { name: 'Sign in as Camille Martin' });
  await dialer.locator('#keypad:not([hidden]), #sign-in:not([hidden])').first().waitFor();
  if (await signIn.isVisible()) await signIn.click();
  await dialer.getByLabel('Simulate an incoming call from').fill(number);
  await dialer.getByRole('button', { name: 'Incoming call' }).click();
}

const shoot = (page: Page, name: string) => shootChecked(page, name);

const TEXT = {
  'en-US': {
    lastSync: /Last sync/,
    incoming: 'Incoming call',
    notInSellsy: 'Not in Sellsy',
    notReady: /did not answer in time/,
    tellAdmin: /Tell your administrator/,
    forAdmin: 'For your administrator',
    clickToCall: /Click a number in Sellsy/,
    copy: 'Copy',
    dialerOption: 'Allo’s dialer in the side panel',
  },
  'fr-FR': {
    lastSync: /Dernière synchronisation/,
    incoming: 'Appel entrant',
    notInSellsy: 'Absent de Sellsy',
    notReady: /n’a pas répondu à temps/,
    tellAdmin: /Prévenez votre administrateur/,
    forAdmin: 'Pour votre administrateur',
    clickToCall: /Cliquez sur un numéro dans Sellsy/,
    copy: 'Copier',
    dialerOption: 'Le composeur Allo dans le panneau latéral',
  },
} as const;

describe.each(['en-US', 'fr-FR'] as const)('the side panel in %s', (lang) => {
  let extension: LoadedExtension;
  const text = TEXT[lang];

  beforeAll(async () => {
    sandbox.dialer.mode = 'normal';
    extension = await launchExtension({ lang });
    // As after the grant page: these shots show the panel, not its microphone step.
    await setMicrophone(extension, 'granted');
    await connectSellsy(extension, text.lastSync);
  });

  afterAll(async () => {
    await extension?.close();
  });

  it('shows who an incoming call is from, as the cache has it, and says "not in Sellsy" otherwise', async () => {
    const panel = await openPanelTab(extension);
    await signInAndRing(panel, MARIE_LANDLINE);
    await panel.getByRole('heading', { name: text.incoming }).waitFor();
    await panel.getByText('01 23 45 67 89').waitFor();
    await panel.locator('.records').getByRole('link', { name: 'Marie Dupont' }).waitFor();
    expect(await panel.locator('.records li').allTextContents()).toEqual([expect.stringMatching(/^Marie Dupont · Acme SAS · /)]);
    await shoot(panel, `${lang}-panel-1-known`);

    await signInAndRing(panel, SHARED_MOBILE);
    await expect.poll(() => panel.locator('.records li').count()).toBe(2);
    expect(await panel.locator('.records a').allTextContents()).toEqual(['Marie Dupont', 'Paul Dupont']);
    await shoot(panel, `${lang}-panel-2-several`);

    await signInAndRing(panel, UNKNOWN);
    await panel.getByText(text.notInSellsy).waitFor();
    await panel.getByText('06 98 76 54 00').waitFor();
    await shoot(panel, `${lang}-panel-3-unknown`);
    await panel.close();
  });

  it('makes the dialer the default once it was seen ready, but never over the user’s choice', async () => {
    const target = async () => ((await extension.worker.evaluate(`chrome.storage.sync.get('callTarget')`)) as { callTarget?: string }).callTarget;
    // The panel of the test above saw the dialer ready.
    await expect.poll(target).toBe('allo-dialer');
    const options = await extension.context.newPage();
    await options.goto(`chrome-extension://${extension.extensionId}/options.html`);
    const select = options.locator('select#target');
    await expect.poll(() => select.inputValue()).toBe('allo-dialer');
    expect(await select.locator('option').first().textContent()).toBe(text.dialerOption);
    await select.selectOption('tel');
    await expect.poll(target).toBe('tel');
    const panel = await openPanelTab(extension);
    await (await dialerFrame(panel)).locator('#keypad:not([hidden]), #sign-in:not([hidden])').first().waitFor();
    await panel.waitForTimeout(500);
    expect(await target()).toBe('tel');
    await panel.close();
    await options.close();
  });

  it('explains a dialer that never gets ready, with the extension id to give Allo', async () => {
    sandbox.dialer.mode = 'not-activated';
    try {
      const panel = await openPanelTab(extension);
      await panel.getByText(text.notReady).waitFor({ timeout: 10_000 });
      // A salesperson is told to alert their administrator; nothing invites a click under it.
      await panel.getByText(text.tellAdmin).waitFor();
      expect(await panel.getByText(text.clickToCall).count()).toBe(0);
      // In a short side panel the whole notice is on screen: the top area does not cut it.
      await panel.setViewportSize({ width: 360, height: 600 });
      const cut = await panel.evaluate(() => {
        const top = document.querySelector('.top')!;
        const notice = top.querySelector('[role="alert"]')!.getBoundingClientRect();
        return { scrolls: top.scrollHeight > top.clientHeight, below: notice.bottom > window.innerHeight };
      });
      expect(cut).toEqual({ scrolls: false, below: false });
      await shoot(panel, `${lang}-panel-4-not-activated`);
      // The extension id waits for the administrator, folded.
      expect(await panel.getByText(extension.extensionId).isVisible()).toBe(false);
      await panel.getByText(text.forAdmin, { exact: true }).click();
      await panel.getByText(extension.extensionId).waitFor();
      await panel.getByRole('button', { name: text.copy }).waitFor();
      await shoot(panel, `${lang}-panel-4b-not-activated-admin`);
      await panel.close();
    } finally {
      sandbox.dialer.mode = 'normal';
    }
  });
});

describe('clicking a number with the dialer as the target', () => {
  let extension: LoadedExtension;
  let context: BrowserContext;

  beforeAll(async () => {
    extension = await launchExtension();
    context = extension.context;
    await connectSellsy(extension, /Last sync/);
    // The dialer becomes the target once seen ready; here the test sets it.
    await extension.worker.evaluate(`chrome.storage.sync.set({ callTarget: 'allo-dialer' })`);
    // Which tabs the background opened the side panel on.
    await extension.worker.evaluate(`(() => {
      self.__panelOpenedOn = [];
      const open = chrome.sidePanel.open.bind(chrome.sidePanel);
      chrome.sidePanel.open = (options) => { self.__panelOpenedOn.push(options.tabId); return open(options); };
    })()`);
  });

  afterAll(async () => {
    await extension?.close();
  });

  async function watchCallLinks(page: Page): Promise<{ urls: string[]; cdp: CDPSession }> {
    const cdp = await context.newCDPSession(page);
    const urls: string[] = [];
    await cdp.send('Page.enable');
    cdp.on('Page.frameRequestedNavigation', (event) => {
      if (/^(tel|callto):/.test(event.url)) urls.push(event.url);
    });
    return { urls, cdp };
  }

  async function tabIdOf(page: Page): Promise<number> {
    const url = page.url();
    return (await extension.worker.evaluate(`chrome.tabs.query({}).then((tabs) => tabs.filter((t) => t.url === ${JSON.stringify(url)}).at(-1).id)`)) as number;
  }

  async function panelTargets(page: Page): Promise<string[]> {
    const cdp = await context.newCDPSession(page);
    const { targetInfos } = await cdp.send('Target.getTargets');
    await cdp.detach();
    return targetInfos.filter((t) => t.url.endsWith('/sidepanel.html')).map((t) => t.type);
  }

  const panelOpenedOn = async () => (await extension.worker.evaluate('self.__panelOpenedOn')) as number[];

  it('"not activated": the click still calls, through tel:, and the panel says why', async () => {
    sandbox.dialer.mode = 'not-activated';
    const page = await openLinkedPage(context, `${sandbox.pages.url}/contact.html`);
    const { urls } = await watchCallLinks(page);
    await page.locator(`span[data-allo-number="${MARIE_LANDLINE}"]`).first().click();
    // Within the click's user activation (5 s), exactly once.
    await expect.poll(() => urls, { timeout: 6_000 }).toEqual([`tel:${MARIE_LANDLINE}`]);
    expect(await panelOpenedOn()).toEqual([await tabIdOf(page)]);
    expect(await page.locator('allo-for-sellsy-notice').count()).toBe(1);
    const request = (await extension.worker.evaluate(`chrome.storage.session.get('dialerRequest')`)) as { dialerRequest: unknown };
    expect(request.dialerRequest).toMatchObject({ e164: MARIE_LANDLINE, state: 'fell-back', reason: 'not-ready' });
    await page.waitForTimeout(1_000);
    expect(urls).toHaveLength(1);
    expect(sandbox.dialer.dialed).toEqual([]);
    // The side panel that opened stays out of the next test: it starts again with a working dialer.
    await extension.worker.evaluate(
      `chrome.windows.getAll().then((ws) => Promise.all(ws.map((w) => chrome.sidePanel.close({ windowId: w.id }).catch(() => undefined))))`,
    );
    await page.close();
    sandbox.dialer.mode = 'normal';
  });

  it('a dialer slow to load, but ready within the wait, still gets the number and nothing else calls', async () => {
    sandbox.dialer.mode = 'slow';
    sandbox.dialer.slowMs = 1_500;
    try {
      const page = await openLinkedPage(context, `${sandbox.pages.url}/contact.html`);
      const { urls } = await watchCallLinks(page);
      await page.locator(`span[data-allo-number="${MARIE_LANDLINE}"]`).first().click();
      await expect.poll(() => sandbox.dialer.dialed, { timeout: 6_000 }).toEqual([MARIE_LANDLINE]);
      await page.waitForTimeout(4_000);
      expect(urls).toEqual([]);
      await extension.worker.evaluate(
        `chrome.windows.getAll().then((ws) => Promise.all(ws.map((w) => chrome.sidePanel.close({ windowId: w.id }).catch(() => undefined))))`,
      );
      await page.close();
    } finally {
      sandbox.dialer.mode = 'normal';
    }
  });

  it('a click opens the side panel on its tab with the number in the dialer, and nothing else calls', async () => {
    const page = await openLinkedPage(context, `${sandbox.pages.url}/contact.html`);
    const tabId = await tabIdOf(page);
    const { urls } = await watchCallLinks(page);
    const before = (await panelOpenedOn()).length;
    const dialedBefore = sandbox.dialer.dialed.length;
    await page.locator(`span[data-allo-number="${MARIE_LANDLINE}"]`).first().click();
    await expect.poll(() => sandbox.dialer.dialed.slice(dialedBefore), { timeout: 6_000 }).toEqual([MARIE_LANDLINE]);
    expect((await panelOpenedOn()).slice(before)).toEqual([tabId]);
    expect(await panelTargets(page)).toContain('page');
    await page.waitForTimeout(5_000);
    expect(urls).toEqual([]);
    expect(await page.locator('allo-for-sellsy-notice').count()).toBe(0);
    await page.close();
  });

  it('a double-click on the call button beside a Sellsy link hands the number to the dialer once, and nothing else calls', async () => {
    const page = await openLinkedPage(context, `${sandbox.pages.url}/sellsy-app.html`);
    const { urls } = await watchCallLinks(page);
    const dialedBefore = sandbox.dialer.dialed.length;
    await page.locator('div[format="phone"] > span.data-value > a.black-link[href="#"] + button[data-allo-number]').dblclick();
    await expect.poll(() => sandbox.dialer.dialed.slice(dialedBefore), { timeout: 6_000 }).toEqual(['+33546849999']);
    await page.waitForTimeout(5_000);
    expect(urls).toEqual([]);
    expect(sandbox.dialer.dialed.slice(dialedBefore)).toEqual(['+33546849999']);
    await page.close();
  });

  it('Enter on a number reached with Tab does the same', async () => {
    const page = await openLinkedPage(context, `${sandbox.pages.url}/contact.html`);
    const { urls } = await watchCallLinks(page);
    const target = page.locator(`span[data-allo-number="${SHARED_MOBILE}"]`).first();
    for (let i = 0; i < 40 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    const dialedBefore = sandbox.dialer.dialed.length;
    await page.keyboard.press('Enter');
    await expect.poll(() => sandbox.dialer.dialed.slice(dialedBefore), { timeout: 6_000 }).toEqual([SHARED_MOBILE]);
    expect(urls).toEqual([]);
    await page.close();
  });

  it('the panel lists every record with the number, and a link opens the record in the Sellsy tab', async () => {
    const page = await openLinkedPage(context, `${sandbox.pages.url}/contact.html`);
    const panel = await openPanelTab(extension);
    await (await dialerFrame(panel)).locator('#keypad:not([hidden]), #sign-in:not([hidden])').first().waitFor();
    await page.bringToFront();
    await page.locator(`span[data-allo-number="${SHARED_MOBILE}"]`).first().click();
    await panel.getByRole('heading', { name: 'Number to call' }).waitFor();
    await expect.poll(() => panel.locator('.records a').allTextContents()).toEqual(['Marie Dupont', 'Paul Dupont']);
    await panel.locator('.records').getByRole('link', { name: 'Marie Dupont' }).click();
    await page.waitForURL(`${sandbox.pages.url}/peoples/${sandbox.people.marie.id}`);
    await panel.close();
    await page.close();
  });

  it('ignores messages from another origin or with another source', async () => {
    sandbox.dialer.mode = 'not-activated';
    try {
      const panel = await openPanelTab(extension);
      const dialer = await dialerFrame(panel);
      await dialer.locator('#not-activated').waitFor();
      const ring = (source: string) => `parent.postMessage({ source: '${source}', type: 'incoming_call', payload: { phoneNumber: '${MARIE_LANDLINE}' } }, '*')`;
      // The panel's own page, and a frame of the dialer that does not say it is the dialer.
      await panel.evaluate(ring('allo-dialer').replace('parent.', 'window.'));
      await dialer.evaluate(ring('allo-host'));
      await dialer.evaluate(ring('Allo-Dialer'));
      await panel.waitForTimeout(500);
      expect(await panel.getByRole('heading', { name: 'Incoming call' }).count()).toBe(0);
      // The same message from the dialer itself is heard: the refusals above are not vacuous.
      await dialer.evaluate(ring('allo-dialer'));
      await panel.getByRole('heading', { name: 'Incoming call' }).waitFor();
      await panel.close();
    } finally {
      sandbox.dialer.mode = 'normal';
    }
  });
});
