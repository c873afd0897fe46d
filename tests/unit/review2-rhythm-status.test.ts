/**
 * Review 2 (issue 22, item 4): the popup's rhythm line must not say this browser looks for calls
 * when it does not. With Sellsy disconnected (the person disconnected it, or it was never
 * reconnected after a change of API access), call-logging.ts stops at `if (!sellsy) return`: no
 * poll at all. But getStatus (create-app.ts) adds the rhythm from the facts Allo gave earlier,
 * and the Allo card says "This browser looks for new calls every minute: your team has 10 users"
 * while no call is looked for, nor added to Sellsy.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { noAppHosts } from '../support/no-app-hosts';
import { createBackgroundApp } from '@/lib/background/create-app';
import { alloKeyFactsItem } from '@/lib/calls/poll-schedule';
import { alloConnection } from '@/lib/connection/connection-state';
import { alloApiKey } from '@/lib/connection/stores';
import { readConfig } from '@/lib/config';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

beforeEach(async () => {
  fakeBrowser.reset();
  await alloApiKey.setValue('allo-key');
  await alloConnection.setValue({ scopes: ['CONVERSATIONS_READ', 'USERS_READ'], teamName: 'Ventes' });
  // What Allo said of the key while Sellsy was still connected.
  await alloKeyFactsItem.setValue({ activeUsers: 10, writePerSecond: 5, usersAssumed: false, readAt: Date.now() });
});

it('Sellsy disconnected: no rhythm is shown, since no call is looked for', async () => {
  const requests: string[] = [];
  globalThis.fetch = (async (input: RequestInfo | URL) => {
    requests.push(String(input));
    return new Response('{}', { status: 500 });
  }) as typeof fetch;
  const background = createBackgroundApp({
    config: readConfig({ WXT_SELLSY_CLIENT_ID: 'client-id' }),
    identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
    storageClosed: Promise.resolve(true),
    action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined },
    i18n: { getMessage: (key) => key },
    ...noAppHosts(),
  });
  const status = await background.getStatus({});
  expect(status.sellsy.state).toBe('disconnected');
  expect(status.allo.state).toBe('connected');
  // Indeed nothing is looked for.
  await background.logCalls();
  expect(requests.filter((url) => url.includes('/items/search'))).toEqual([]);
  expect(status.allo.state === 'connected' ? status.allo.rhythm : undefined).toBeUndefined();
});
