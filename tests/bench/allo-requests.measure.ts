/**
 * Allo requests per minute from one browser with nothing new: idle (the poll alarm each
 * minute) and with the popup open. Node-side simulation: the real background wiring and popup
 * component with WXT's fake browser against the local Allo and Sellsy, in simulated minutes
 * (tests/support/allo-traffic.ts). Prints figures; asserts nothing (the unit test holds the budget).
 */
import { afterAll, it } from 'vitest';
import { startTraffic, type Traffic } from '../support/allo-traffic';

const MINUTES = 10;
let traffic: Traffic | undefined;

afterAll(() => traffic?.close());

it('counts Allo requests per minute', async () => {
  traffic = await startTraffic();
  const idle = (await traffic.minutes(MINUTES)) / MINUTES;
  const before = traffic.allo.requests.length;
  await traffic.openPopup();
  const open = (traffic.allo.requests.length - before + (await traffic.minutes(MINUTES))) / MINUTES;
  console.log(
    `Allo requests per minute: idle ${idle.toFixed(1)}, popup open ${open.toFixed(1)} ` +
      `(budget 2 and 6; node-side simulation of ${MINUTES} minutes each: real background and popup, fake browser, local Allo)`,
  );
});
