// @vitest-environment node
/**
 * "Test the connection" (options, Administration) makes a real request to Sellsy with the API
 * access in use: played here by the local Sellsy, which knows one client only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSellsyAccess } from '@/lib/connection/sellsy-access-test';
import { SellsyError } from '@/lib/sellsy/errors';
import { startSellsyServer, type SellsyServer } from '../servers/sellsy';

let sellsy: SellsyServer;

beforeAll(async () => {
  sellsy = await startSellsyServer({ clientId: 'acme-private-7f3a' });
});

afterAll(async () => {
  await sellsy?.close();
});

const endpoints = (clientId: string) => async () => ({ tokenUrl: sellsy.tokenUrl, clientId, redirectUri: 'https://id.chromiumapp.org/' });
const tokenRequests = () => sellsy.requests.filter((request) => request.path === '/oauth2/access-tokens').length;
const notCalled = async (): Promise<{ name: string }> => {
  throw new Error('no API read expected');
};

describe('testSellsyAccess', () => {
  it('not connected yet: a client Sellsy knows is said to be known, after one token request', async () => {
    const before = tokenRequests();
    const result = await testSellsyAccess({ endpoints: endpoints('acme-private-7f3a'), connected: async () => false, whoAmI: notCalled });
    expect(result).toEqual({ outcome: 'client-known' });
    expect(tokenRequests()).toBe(before + 1);
  });

  it('a client id Sellsy does not know is reported as such, so the page can say what to check', async () => {
    const result = await testSellsyAccess({ endpoints: endpoints('acme-typo-0000'), connected: async () => false, whoAmI: notCalled });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'unknown-client' } });
  });

  it('connected: one API read as the person, named in the answer', async () => {
    const result = await testSellsyAccess({
      endpoints: endpoints('acme-private-7f3a'),
      connected: async () => true,
      whoAmI: async () => ({ name: 'Camille Martin' }),
    });
    expect(result).toEqual({ outcome: 'connected', name: 'Camille Martin' });
  });

  it('connected but the tokens are refused: revoked, not mistaken for a known client', async () => {
    const result = await testSellsyAccess({
      endpoints: endpoints('acme-private-7f3a'),
      connected: async () => true,
      whoAmI: async () => {
        throw new SellsyError('revoked', 'revoked', 401);
      },
    });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'revoked' } });
  });

  it('Sellsy unreachable: a network failure, not a verdict on the client', async () => {
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const result = await testSellsyAccess({ endpoints: endpoints('acme-private-7f3a'), connected: async () => false, whoAmI: notCalled, fetch: offline });
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'network' } });
  });

  it('no API access set: says so without any request', async () => {
    const before = sellsy.requests.length;
    expect(await testSellsyAccess({ endpoints: async () => undefined, connected: async () => false, whoAmI: notCalled })).toEqual({ outcome: 'no-client' });
    expect(sellsy.requests.length).toBe(before);
  });
});
