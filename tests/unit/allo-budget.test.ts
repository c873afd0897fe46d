// @vitest-environment node
/**
 * The team shares one Allo key: one browser may send Allo at most 2 requests a minute when
 * idle, and at most 6 with the popup open and nothing new. One browser goes through the
 * steps in order (the messaging library allows one background per test file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTraffic, type Traffic } from '../support/allo-traffic';

const MINUTES = 4;
let traffic: Traffic;

beforeAll(async () => {
  traffic = await startTraffic();
}, 60_000);

afterAll(() => traffic?.close());

describe('Allo requests per minute', { timeout: 90_000 }, () => {
  it('stay at 2 or fewer for an idle browser', async () => {
    expect((await traffic.minutes(MINUTES)) / MINUTES).toBeLessThanOrEqual(2);
  });

  it('stay at 6 or fewer with the popup open and nothing new', async () => {
    const before = traffic.allo.requests.length;
    await traffic.openPopup();
    const requests = traffic.allo.requests.length - before + (await traffic.minutes(MINUTES));
    expect(requests / MINUTES).toBeLessThanOrEqual(6);
  });

  it('still bring a new call to the open popup within a minute', async () => {
    traffic.allo.calls.add({ contact_number: '+33612345678', summary: 'Rappel demain.', date: new Date(Date.now() - 60_000), duration: 45 });
    await traffic.minutes(1);
    const popup = traffic.popup()!;
    expect(popup.querySelectorAll('li.call')).toHaveLength(5);
    expect(popup.querySelector('li.call')?.textContent).toContain('callLoggedOn');
  });
});
