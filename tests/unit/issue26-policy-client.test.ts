import 'fake-indexeddb/auto';
/**
 * Issue 26, Administration: the administrator's policy changes the Sellsy API client (a typo
 * fixed, a new private access). The tokens were issued to the old client and Sellsy refuses
 * them at the next refresh; "Test the connection" must not vouch for the new client with them.
 * A changed policy client is a user's change of the client: Sellsy is disconnected, what came
 * through the old client is cleared, and the person connects again.
 */
import { h, render } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SellsyApiAccess } from '@/components/SellsyApiAccess';
import { createBackgroundApp } from '@/lib/background/create-app';
import { readConfig } from '@/lib/config';
import { Connections } from '@/lib/connection/connections';
import type { SellsyClientView } from '@/lib/connection/sellsy-client';
import { onMessage } from '@/lib/messaging';
import { noAppHosts } from '../support/no-app-hosts';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const KNOWN = 'acme-private-7f3a';

beforeEach(() => {
  fakeBrowser.reset();
});

/** A build without a client of its own, against a Sellsy that knows one private client; the policy's client can change. */
function setup() {
  const policy: { client: { clientId: string } | undefined } = { client: { clientId: KNOWN } };
  const onSellsyDisconnected = vi.fn(async () => undefined);
  const tokenBodies: Array<Record<string, string>> = [];
  const connections = new Connections({
    config: readConfig({ WXT_SELLSY_API_URL: 'https://api', WXT_SELLSY_TOKEN_URL: 'https://login/token' }),
    identity: {
      getRedirectURL: () => 'https://id.chromiumapp.org/',
      launchWebAuthFlow: async ({ url }) => `https://id.chromiumapp.org/?code=c&state=${new URL(url).searchParams.get('state')}`,
    },
    fetch: async (input, init) => {
      // The API answers whoever holds a token: the old client's tokens still read /staffs/me.
      if (String(input) !== 'https://login/token') return json({ id: 1, firstname: 'Camille', lastname: 'Martin', email: 'camille@example.fr' });
      const body = JSON.parse(String(init?.body)) as Record<string, string>;
      tokenBodies.push(body);
      if (body.client_id !== KNOWN) return json({ error: 'invalid_client' }, 401);
      if (body.grant_type === 'authorization_code' && body.code !== 'c') return json({ error: 'invalid_grant' }, 400);
      return json({ token_type: 'Bearer', expires_in: 3600, access_token: 'a', refresh_token: 'r' });
    },
    onSellsyDisconnected,
    managedSellsyClient: async () => policy.client,
  });
  return { policy, connections, onSellsyDisconnected, tokenBodies };
}

describe('the policy changes the Sellsy API client after people connected', () => {
  it('Test the connection tests the client in force, not the old client’s tokens', async () => {
    const { policy, connections } = setup();
    expect(await connections.connectSellsy()).toMatchObject({ ok: true });
    expect(await connections.testSellsyAccess()).toEqual({ outcome: 'connected', name: 'Camille Martin' });
    policy.client = { clientId: 'acme-typo-0000' };
    expect(await connections.testSellsyAccess()).toMatchObject({ outcome: 'failed', error: { code: 'unknown-client' } });
  });

  it('disconnects Sellsy and clears what came through the old client, as a change in the options does', async () => {
    const { policy, connections, onSellsyDisconnected } = setup();
    await connections.connectSellsy();
    // The same client again (a policy rewritten with the same values): nothing happens.
    expect(await connections.followApiClient()).toBe(false);
    expect(onSellsyDisconnected).not.toHaveBeenCalled();
    policy.client = { clientId: 'acme-private-new1' };
    expect(await connections.followApiClient()).toBe(true);
    expect(onSellsyDisconnected).toHaveBeenCalledOnce();
    expect((await connections.status()).sellsy).toEqual({ state: 'disconnected' });
    expect(await fakeBrowser.storage.local.get('sellsyTokens')).toEqual({});
    // Once disconnected there is nothing more to follow.
    expect(await connections.followApiClient()).toBe(false);
    expect(onSellsyDisconnected).toHaveBeenCalledOnce();
  });

  it('a client id the policy drops counts too: the tokens were not issued to the one in force then', async () => {
    const { policy, connections, onSellsyDisconnected } = setup();
    await connections.connectSellsy();
    // The user's own client, saved before the policy came, applies again once the policy drops its own.
    await fakeBrowser.storage.local.set({ sellsyClient: { clientId: 'user-own-client' } });
    policy.client = undefined;
    expect((await connections.sellsyClientView()).source).toBe('user');
    expect(await connections.followApiClient()).toBe(true);
    expect(onSellsyDisconnected).toHaveBeenCalled();
    expect((await connections.status()).sellsy.state).toBe('disconnected');
  });

  it('a user’s own client the policy then sets to the same id: the tokens stay good, nothing is disconnected', async () => {
    const { policy, connections, onSellsyDisconnected } = setup();
    policy.client = undefined;
    await connections.setSellsyClient({ clientId: KNOWN });
    await connections.connectSellsy();
    policy.client = { clientId: KNOWN };
    expect(await connections.followApiClient()).toBe(false);
    expect(onSellsyDisconnected).not.toHaveBeenCalled();
    expect((await connections.status()).sellsy.state).toBe('connected');
  });
});

describe('the background, when the administrator’s policy changes', () => {
  it('disconnects Sellsy (a browser connected by an earlier version included) and the popup asks to connect again', async () => {
    // As an earlier version left it: connected through the policy's client, no record of which client issued the tokens.
    await fakeBrowser.storage.managed.set({ sellsyClientId: KNOWN });
    await fakeBrowser.storage.local.set({
      sellsyTokens: { accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 3600_000 },
      sellsyConnection: { state: 'connected', staff: { id: 1, name: 'Camille Martin', email: 'camille@example.fr' } },
    });
    const app = createBackgroundApp({
      config: readConfig({}),
      identity: { getRedirectURL: () => 'https://id.chromiumapp.org/', launchWebAuthFlow: async () => undefined },
      storageClosed: Promise.resolve(true),
      action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined },
      i18n: { getMessage: (key) => key },
      ...noAppHosts(),
    });
    expect((await app.getStatus({})).sellsy.state).toBe('connected');
    // The start-up's look at the policy settles before the administrator changes it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await app.getStatus({})).sellsy.state).toBe('connected');
    await fakeBrowser.storage.managed.set({ sellsyClientId: 'acme-typo-0000' });
    await expect.poll(async () => (await app.getStatus({})).sellsy.state).toBe('disconnected');
    expect(await fakeBrowser.storage.local.get('sellsyTokens')).toEqual({});
  });
});

describe('the options, open while the policy changes the client', () => {
  it('show the client in force, the one Test the connection tests', async () => {
    fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string | string[]) =>
      [key, ...(Array.isArray(substitutions) ? substitutions : substitutions ? [substitutions] : [])].join(' ')) as typeof fakeBrowser.i18n.getMessage;
    let clientId = KNOWN;
    const view = (): SellsyClientView => ({ source: 'managed', clientId, hasSecret: false, buildHasClient: false, redirectUrl: 'https://id.chromiumapp.org/' });
    const stop = onMessage('getSellsyClient', view);
    const root = document.createElement('div');
    document.body.append(root);
    try {
      render(h(SellsyApiAccess, { onSaved: () => undefined }), root);
      await expect.poll(() => root.querySelector('.managed')?.textContent).toBe(`apiAccessManaged ${KNOWN}`);
      clientId = 'acme-typo-0000';
      await fakeBrowser.storage.managed.set({ sellsyClientId: clientId });
      await expect.poll(() => root.querySelector('.managed')?.textContent).toBe('apiAccessManaged acme-typo-0000');
    } finally {
      render(null, root);
      root.remove();
      stop();
    }
  });
});
