import { SellsyClient } from '@/lib/sellsy/api-client';
import { SellsySession } from '@/lib/sellsy/session';
import type { SellsyServer } from '../servers/sellsy';

/**
 * A client of the local Sellsy, signed in with tokens the server issued (with `scopes`, or every
 * scope the extension asks for) and kept in memory: what the tests that speak to the server over
 * real HTTP share.
 */
export function localSellsyClient(server: SellsyServer, scopes?: string[]): SellsyClient {
  const reply = server.issueTokens(scopes);
  let tokens = { accessToken: reply.access_token, refreshToken: reply.refresh_token, expiresAt: Date.now() + reply.expires_in * 1000 };
  const session = new SellsySession({
    endpoints: { tokenUrl: server.tokenUrl, clientId: server.clientId },
    tokens: {
      get: async () => tokens,
      set: async (value) => {
        tokens = value;
      },
      clear: async () => undefined,
    },
    onRevoked: async () => undefined,
  });
  return new SellsyClient({ apiUrl: server.apiUrl, session });
}
