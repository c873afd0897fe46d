/**
 * The poll budget as the background uses it: the minute alarm asks whether a poll is due, the
 * popup and Retry poll at once, and Allo is asked what the key allows at most daily.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AlloError, type AlloClient } from '@/lib/allo/api-client';
import { createCallLogging } from '@/lib/calls/call-logging';
import { IDLE_BROWSER_INTERVAL_MS } from '@/lib/calls/poll-budget';
import { alloKeyFactsItem, createPollSchedule, pollBudgetItem } from '@/lib/calls/poll-schedule';
import { alloUserChoice } from '@/lib/calls/whose-calls';
import { sellsyConnection } from '@/lib/connection/connection-state';
import { alloApiKey } from '@/lib/connection/stores';

const MIN = 60_000;

beforeEach(async () => {
  fakeBrowser.reset();
  await sellsyConnection.setValue({ state: 'connected', staff: { id: 42, name: 'Camille', email: 'camille@example.fr' } });
  await alloApiKey.setValue('key');
  await alloUserChoice.setValue({ id: 'usr-1', name: 'Camille', how: 'picked' });
});

/** A browser of a team of `users` on a key allowing 5 writes a second; each poll sends one search. */
function browserOf(users: number, { tabOpen = true, usersScope = true } = {}) {
  const clock = { now: Date.parse('2026-12-01T09:00:00Z') };
  const me = vi.fn(async () => ({ scopes: [], rate_limits: { write_per_second: 5 } }));
  const listUsers = vi.fn(async () => {
    if (!usersScope) throw new AlloError('forbidden', 'This API key lacks the USERS_READ scope.');
    return Array.from({ length: users }, (_, i) => ({ id: `usr-${i}`, status: 'ACTIVE' }));
  });
  const allo = { me, users: listUsers, takeTally: vi.fn(() => ({ writes: 0, busy: false, answers: 0 })) };
  const tabOpen$ = { value: tabOpen };
  const schedule = createPollSchedule({ allo, sellsyTabOpen: async () => tabOpen$.value, now: () => clock.now, random: () => 0.5 });
  const poll = vi.fn(async () => {
    allo.takeTally.mockReturnValueOnce({ writes: 1, busy: false, answers: 1 });
    return 0;
  });
  const logging = createCallLogging({
    allo: allo as unknown as AlloClient,
    poller: { poll },
    pipeline: { run: vi.fn(async () => undefined), retry: vi.fn(async () => undefined), contactAdded: vi.fn(async () => undefined) },
    schedule,
    sellsyAvailable: async () => true,
    afterPass: async () => undefined,
    now: () => clock.now,
  });
  /** Minute alarms for `minutes`; the times (minutes from the start) a poll went out. */
  const alarms = async (minutes: number) => {
    const start = clock.now;
    const at: number[] = [];
    for (let i = 0; i < minutes; i++) {
      clock.now += MIN;
      const before = poll.mock.calls.length;
      await logging.logCalls();
      if (poll.mock.calls.length > before) at.push(Math.round((clock.now - start) / MIN));
    }
    return at;
  };
  return { clock, me, listUsers, poll, logging, schedule, alarms, tabOpen: tabOpen$ };
}

describe('the poll schedule', () => {
  it('polls a small team’s browser every minute, and asks Allo what the key allows once a day', async () => {
    const browser = browserOf(3);
    // The first alarm starts an empty bucket; from the next one, a poll each minute.
    expect(await browser.alarms(10)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(browser.me).toHaveBeenCalledOnce();
    expect(browser.listUsers).toHaveBeenCalledOnce();
    await browser.alarms(24 * 60);
    expect(browser.me).toHaveBeenCalledTimes(2);
  });

  it('spaces a big team’s polls: 90 users, one every 6 minutes', async () => {
    const browser = browserOf(90);
    const at = await browser.alarms(60);
    expect(at.length).toBeGreaterThanOrEqual(9);
    expect(at.length).toBeLessThanOrEqual(11);
    expect(await browser.schedule.rhythm()).toMatchObject({ intervalMs: 6 * MIN, activeUsers: 90, usersAssumed: false, slowed: false });
  });

  it('slows an idle browser (no Sellsy tab, no call for an hour) to one poll in 15 minutes', async () => {
    const browser = browserOf(3, { tabOpen: false });
    await browser.alarms(61);
    const at = await browser.alarms(60);
    expect(at.length).toBeGreaterThanOrEqual(3);
    expect(at.length).toBeLessThanOrEqual(5);
    expect((await browser.schedule.rhythm())?.intervalMs).toBe(IDLE_BROWSER_INTERVAL_MS);
    // A Sellsy tab opened: every minute again.
    browser.tabOpen.value = true;
    expect((await browser.alarms(5)).length).toBeGreaterThanOrEqual(4);
  });

  it('polls at once when the popup opens, however far the next scheduled poll is', async () => {
    const browser = browserOf(200);
    await browser.alarms(3);
    const before = browser.poll.mock.calls.length;
    await browser.logging.refreshCalls();
    await vi.waitFor(() => expect(browser.poll.mock.calls.length).toBe(before + 1));
    // A second opening within 15 s waits for them.
    await browser.logging.refreshCalls();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(browser.poll.mock.calls.length).toBe(before + 1);
    // The popup's poll was paid for: the budget is in debt.
    expect((await pollBudgetItem.getValue())?.tokens).toBeLessThan(0);
  });

  it('assumes a large team without USERS_READ, and says so', async () => {
    const browser = browserOf(3, { usersScope: false });
    await browser.alarms(2);
    expect(await alloKeyFactsItem.getValue()).toMatchObject({ activeUsers: 250, usersAssumed: true, writePerSecond: 5 });
    expect(await browser.schedule.rhythm()).toMatchObject({ activeUsers: 250, usersAssumed: true });
  });

  it('follows a call seen in the dialer with polls soon after', async () => {
    const browser = browserOf(90);
    await browser.alarms(30);
    const before = browser.poll.mock.calls.length;
    await browser.schedule.callSeen();
    browser.clock.now += 30_000;
    await browser.logging.logCalls();
    expect(browser.poll.mock.calls.length).toBe(before + 1);
  });
});
