/**
 * Calls seen in Allo's dialer: the time from a call's end (hang-up in the dialer) to its Phone
 * Call in Sellsy, with the built sandbox extension in headless Chromium, the local dialer double
 * and the local Allo and Sellsy. The dialer says when a call starts; the background then polls
 * Allo every 30 s for a while instead of every minute. Prints figures; asserts nothing.
 *   calls: first argument, default 4 (about a minute and a half in all).
 */
import type { Frame } from 'playwright-core';
import { launchExtension, openPopup } from '../e2e/extension';
import { startSandbox } from '../servers/sandbox';

const CALLS = Number(process.argv[2] ?? 4);
const MARIE_LANDLINE = '+33123456789';

const sandbox = await startSandbox({ autoApprove: true, contacts: 50 });
const extension = await launchExtension();
try {
  const popup = await openPopup(extension);
  await popup.getByRole('button', { name: 'Connect Sellsy', exact: true }).click();
  await popup.getByText(/Last sync:/).waitFor({ timeout: 30_000 });
  await popup.getByLabel('Allo API key').fill('allo-sandbox-key');
  await popup.getByRole('button', { name: 'Save Allo key', exact: true }).click();
  await popup.getByText('Camille Martin’s Allo calls are logged in Sellsy.').waitFor({ timeout: 15_000 });
  await popup.close();

  const panel = await extension.context.newPage();
  await panel.goto(`chrome-extension://${extension.extensionId}/sidepanel.html`);
  let dialer: Frame | undefined;
  while (!dialer) {
    dialer = panel.frames().find((f) => f.url().startsWith(sandbox.dialer.url));
    await panel.waitForTimeout(50);
  }
  await dialer.getByRole('button', { name: 'Sign in as Camille Martin' }).click();

  const ended: Array<{ alloId: string; at: number }> = [];
  const loggedAt = new Map<string, number>();
  const isLogged = (alloId: string) => [...sandbox.sellsy.phoneCalls.items.values()].some((p) => p.description?.includes(`[Allo call ${alloId}]`));
  // Calls of a few seconds, a few seconds apart, so their ends fall anywhere between two polls.
  for (let i = 0; i < CALLS; i++) {
    await dialer.getByLabel('Simulate an incoming call from').fill(MARIE_LANDLINE);
    await dialer.getByRole('button', { name: 'Incoming call' }).click();
    await panel.waitForTimeout(2_000 + i * 3_700);
    const known = sandbox.allo.calls.items.size;
    await dialer.getByRole('button', { name: 'Hang up' }).click();
    const at = Date.now();
    // The double tells the local Allo at hang-up: that new item is this call.
    while (sandbox.allo.calls.items.size === known) await panel.waitForTimeout(20);
    ended.push({ alloId: [...sandbox.allo.calls.items.keys()].at(-1)!, at });
  }
  const deadline = Date.now() + 120_000;
  while (loggedAt.size < CALLS && Date.now() < deadline) {
    for (const { alloId } of ended) if (!loggedAt.has(alloId) && isLogged(alloId)) loggedAt.set(alloId, Date.now());
    await panel.waitForTimeout(200);
  }
  const latencies = ended
    .map(({ alloId, at }) => (loggedAt.get(alloId) ?? Number.NaN) - at)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const p50 = latencies[Math.floor((latencies.length - 1) / 2)];
  console.log(
    `Dialer calls: end of call to Phone Call in Sellsy, p50 ${p50 === undefined ? 'n/a' : `${(p50 / 1000).toFixed(1)} s`} ` +
      `(${latencies.length} of ${CALLS} calls logged; each ${latencies.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s). ` +
      'Polls every 30 s after a call seen in the dialer; without it, the minute alarm alone.',
  );
} finally {
  await extension.close();
  await sandbox.close();
}
