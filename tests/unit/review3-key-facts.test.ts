// @vitest-environment node
import 'fake-indexeddb/auto';
/**
 * Review 3: what Allo said of the key (`alloKeyFacts`: the team's size and the write limit),
 * which sizes every browser's share of the team's write budget (issue 22). Read at most daily,
 * so a value stored by an earlier release, or by another key, lives up to a day unless today's
 * code reads it for what it is.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AlloError } from '@/lib/allo/api-client';
import { createBackgroundApp } from '@/lib/background/create-app';
import { readConfig } from '@/lib/config';
import { ASSUMED_TEAM } from '@/lib/calls/poll-budget';
import { createPollSchedule } from '@/lib/calls/poll-schedule';
import { noAppHosts } from '../support/no-app-hosts';
import { startAlloServer, type AlloServer } from '../servers/allo';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.parse('2026-12-08T09:00:00Z');

let allo: AlloServer;

beforeAll(async () => {
  allo = await startAlloServer({
    rateLimits: undefined,
    keys: {
      // The key a salesperson typed: created without USERS_READ.
      'allo-own-key': { scopes: ['CONVERSATIONS_READ'] },
      // The administrator's key, pushed by policy: it may list the team.
      'allo-admin-key': { scopes: ['CONVERSATIONS_READ', 'USERS_READ'] },
    },
  });
});

afterAll(async () => {
  await allo?.close();
});

beforeEach(() => {
  fakeBrowser.reset();
});

/** Allo cannot be reached: the stored facts are all there is. */
const unreachable = {
  me: async () => {
    throw new AlloError('network', 'Allo could not be reached.');
  },
  users: async () => {
    throw new AlloError('network', 'Allo could not be reached.');
  },
  takeTally: () => ({ writes: 0, busy: false, answers: 0 }),
};

describe('review 3: facts the previous release stored', () => {
  // Before cfbb5d1 a key without USERS_READ was taken for a team of 50.
  const previousRelease = { activeUsers: 50, writePerSecond: 5, usersAssumed: true, readAt: NOW - HOUR };

  it('a team assumed by the previous release is today’s assumed team, not 50 until the day is over', async () => {
    await fakeBrowser.storage.local.set({ alloKeyFacts: previousRelease });
    const schedule = createPollSchedule({ allo: unreachable, sellsyTabOpen: async () => true, now: () => NOW, random: () => 0 });
    expect(await schedule.rhythm()).toMatchObject({ activeUsers: ASSUMED_TEAM, usersAssumed: true });
  });

  it('and the polls follow it: a browser started at nine does not poll on a team of 50’s rhythm', async () => {
    await fakeBrowser.storage.local.set({ alloKeyFacts: previousRelease });
    let now = NOW;
    const schedule = createPollSchedule({ allo: unreachable, sellsyTabOpen: async () => true, now: () => now, random: () => 0 });
    // The minute's alarm, five times. A team of 50 would poll every 3 min 20 s; a team of 250, about every 17 min.
    const polled: boolean[] = [];
    for (let minute = 0; minute <= 5; minute++) {
      now = NOW + minute * MINUTE;
      polled.push(await schedule.begin(false));
    }
    expect(polled).toEqual([false, false, false, false, false, false]);
  });
});

describe('review 3: the administrator’s key replaces the person’s own', () => {
  it('what Allo said of the old key does not size the new one’s budget', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    try {
      await fakeBrowser.storage.local.set({
        sellsyConnection: { state: 'connected', staff: { id: 42, name: 'Camille Martin', email: 'camille.martin@example.fr' } },
        sellsyTokens: { accessToken: 'a', refreshToken: 'r', expiresAt: NOW + HOUR },
        alloApiKey: 'allo-own-key',
        alloConnection: { scopes: ['CONVERSATIONS_READ'] },
        // Read an hour ago with the person's own key: no USERS_READ, a team assumed.
        alloKeyFacts: { activeUsers: ASSUMED_TEAM, writePerSecond: 5, usersAssumed: true, assumedBecause: 'no-scope', readAt: NOW - HOUR },
      });
      const app = createBackgroundApp({
        config: readConfig({ WXT_SELLSY_CLIENT_ID: 'client', WXT_ALLO_API_URL: allo.apiUrl, WXT_SELLSY_API_URL: 'http://127.0.0.1:9/v2' }),
        identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
        storageClosed: Promise.resolve(true),
        action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined },
        i18n: { getMessage: (key) => key },
        ...noAppHosts(),
      });
      await fakeBrowser.storage.managed.set({ alloApiKey: 'allo-admin-key' });
      await expect.poll(async () => (await fakeBrowser.storage.local.get('alloApiKey')).alloApiKey).toBe('allo-admin-key');
      // The team Allo lists for the administrator's key: three active users.
      await expect.poll(async () => (await app.getStatus({})).allo).toMatchObject({ rhythm: { usersAssumed: false, activeUsers: 3 } });
    } finally {
      vi.useRealTimers();
    }
  });
});
