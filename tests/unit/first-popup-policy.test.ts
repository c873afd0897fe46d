/**
 * The first popup after install (issue 21, goal 3): at Chrome's start, storage.managed answers
 * only after seconds (3 s measured in headless Chromium), and the popup's status waited for it.
 * The status now answers at once without the policy, says so, and the popup asks again when
 * Chrome has answered.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBackgroundApp } from '@/lib/background/create-app';
import { readConfig } from '@/lib/config';
import { alloKeyFactsItem } from '@/lib/calls/poll-schedule';
import { alloConnection, policyAnsweredAt, sellsyConnection } from '@/lib/connection/connection-state';
import { alloApiKey, tokenStore } from '@/lib/connection/stores';
import { noAppHosts } from '../support/no-app-hosts';

const app = () =>
  createBackgroundApp({
    config: readConfig({}),
    identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
    storageClosed: Promise.resolve(true),
    action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined },
    i18n: { getMessage: (key) => key },
    ...noAppHosts(),
  });

describe('the popup’s first status while Chrome has not said what the policy is', () => {
  let answer: (() => void) | undefined;

  beforeEach(async () => {
    fakeBrowser.reset();
    await fakeBrowser.storage.managed.set({ sellsyClientId: 'acme-policy-client' });
    const get = fakeBrowser.storage.managed.get.bind(fakeBrowser.storage.managed);
    // Chrome holds every answer until its policy is loaded (seconds at its start), then answers at once.
    const loaded = new Promise<void>((resolve) => {
      answer = resolve;
    });
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockImplementation(async (keys?: unknown) => {
      await loaded;
      return get(keys as null);
    });
  });

  afterEach(() => {
    answer?.();
    vi.restoreAllMocks();
  });

  it('answers within half a second, assuming no policy and saying so, then the popup asks again', async () => {
    const background = app();
    const started = Date.now();
    const status = await background.getStatus({ verify: true });
    expect(Date.now() - started).toBeLessThan(500);
    // The sandbox-less test build has no Sellsy client of its own: without the policy, none.
    expect(status).toMatchObject({ policyPending: true, sellsy: { state: 'unavailable' } });
    expect(await policyAnsweredAt.getValue()).toBe(0);

    answer?.();
    await vi.waitFor(async () => expect(await policyAnsweredAt.getValue()).toBeGreaterThan(0));
    const known = await background.getStatus({ verify: false });
    expect(known.policyPending).toBeUndefined();
    // The administrator's client is in force: Sellsy can be connected.
    expect(known.sellsy.state).toBe('disconnected');
  });

  it('with no policy, nothing the status showed changes: the popup is not made to ask again', async () => {
    await fakeBrowser.storage.managed.clear();
    const background = app();
    expect(await background.getStatus({ verify: false })).toMatchObject({ policyPending: true });
    answer?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await policyAnsweredAt.getValue()).toBe(0);
    expect((await background.getStatus({ verify: false })).policyPending).toBeUndefined();
  });

  it('the quick status is followed by the rhythm, which needs the policy', async () => {
    await fakeBrowser.storage.managed.clear();
    await tokenStore.set({ accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 3_600_000 });
    await sellsyConnection.setValue({ state: 'connected', staff: { id: 42, name: 'Camille', email: 'camille@example.fr' } });
    await alloApiKey.setValue('allo-key');
    await alloConnection.setValue({ scopes: ['CONVERSATIONS_READ', 'USERS_READ'], teamName: 'Ventes' });
    await alloKeyFactsItem.setValue({ activeUsers: 10, writePerSecond: 5, usersAssumed: false, readAt: Date.now() });
    const background = createBackgroundApp({
      config: readConfig({ WXT_SELLSY_CLIENT_ID: 'client-id' }),
      identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
      storageClosed: Promise.resolve(true),
      action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined },
      i18n: { getMessage: (key) => key },
      ...noAppHosts(),
    });
    const status = await background.getStatus({ verify: false });
    expect(status).toMatchObject({ policyPending: true, sellsy: { state: 'connected' }, allo: { state: 'connected' } });
    // The rhythm needs the policy's hosts (is a Sellsy tab open?): the popup asks again for it.
    answer?.();
    await vi.waitFor(async () => expect(await policyAnsweredAt.getValue()).toBeGreaterThan(0));
    expect(await background.getStatus({ verify: false })).toMatchObject({ allo: { state: 'connected', rhythm: { activeUsers: 10 } } });
  });

  it('a policy Chrome has answered for is never assumed away', async () => {
    answer = undefined;
    vi.restoreAllMocks();
    const status = await app().getStatus({ verify: false });
    expect(status.policyPending).toBeUndefined();
    expect(status.sellsy.state).toBe('disconnected');
  });
});
