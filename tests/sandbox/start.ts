/**
 * `npm start`: the sandbox. Serves the Sellsy-like pages and opens Chromium with the sandbox
 * build loaded; without a Chromium or a display it says how to load the build by hand.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { SANDBOX_BUILD } from '../e2e/extension';
import { startSandbox } from '../servers/sandbox';
import { ALLO_PORT, DIALER_PORT, SELLSY_PORT } from '../servers/sandbox-ports';

// Branded Google Chrome ignores --load-extension since version 137, so only Chromium will do.
const CHROMIUM_CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
].filter((path): path is string => !!path);

function findChromium(): string | undefined {
  return CHROMIUM_CANDIDATES.find((path) => existsSync(path));
}

function hasDisplay(): boolean {
  if (process.platform !== 'linux') return true;
  return !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

const sandbox = await startSandbox();
const { pages, allo } = sandbox;
// Allo calls to watch being logged: Marie Dupont calls a minute after start, then every 5 minutes.
const demoCall = () => allo.calls.add({ contact_number: '+33612345678', summary: 'Demande de devis pour 12 licences ; rappeler jeudi.' });
setTimeout(() => {
  demoCall();
  setInterval(demoCall, 5 * 60_000);
}, 60_000);
// A Sellsy-like contact list with numbers to click, beside the guide the extension opens on install.
const home = `${pages.url}/contacts.html`;
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

console.log(`Sandbox contact list: ${home}`);
console.log(`Local Sellsy (sign-in and API): http://127.0.0.1:${SELLSY_PORT}; local Allo API: http://127.0.0.1:${ALLO_PORT}`);
console.log('In the popup, "Connect Sellsy" signs in as Camille Martin; the Allo key "allo-sandbox-key" works.');
console.log('A call from Marie Dupont reaches Allo a minute after start, then every 5 minutes: watch it land in Sellsy.');
console.log(
  `Allo's dialer (a local double on http://127.0.0.1:${DIALER_PORT}) opens in the side panel when you click a number, once "Allo dialer in the side panel" is the call target in the options. ` +
    'Sign in there with one click; "Incoming call" rings it, and "Hang up" sends the call to the local Allo, which logs it in Sellsy.',
);
const executablePath = findChromium();
if (!executablePath || !hasDisplay()) {
  console.log(
    [
      '',
      !executablePath
        ? 'No Chromium found (set CHROMIUM_PATH to use another one; Google Chrome no longer loads extensions from the command line).'
        : 'No display found (DISPLAY is not set), so no browser window can open here.',
      'To try the sandbox by hand:',
      '  1. Open chrome://extensions in Chromium or Chrome and turn on Developer mode.',
      `  2. Click "Load unpacked" and choose ${SANDBOX_BUILD}`,
      `  3. Open ${home}`,
      '',
      'The local servers run until you press Ctrl+C.',
    ].join('\n'),
  );
} else {
  const context = await chromium.launchPersistentContext(join(SANDBOX_BUILD, '..', 'sandbox-profile'), {
    executablePath,
    headless: false,
    viewport: null,
    args: [`--disable-extensions-except=${SANDBOX_BUILD}`, `--load-extension=${SANDBOX_BUILD}`, '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(home);
  // The guide opens by itself on the first run; on a later start (same profile) open it here.
  // The id is fixed by the manifest's key.
  const guide = 'chrome-extension://mmckljamldhefiejejlhbcojnndnfpon/guide.html';
  if (!context.pages().some((p) => p.url() === guide)) await (await context.newPage()).goto(guide);
  console.log('Chromium is open with the sandbox extension. Close it, or press Ctrl+C, to stop.');
  context.on('close', () => void stop());
}
