import { SellsyError } from '../sellsy/errors';
import { exchangeCode, type OAuthEndpoints } from '../sellsy/oauth';
import type { ActionError } from './status';

/**
 * What "Test the connection" found (options, Administration). Types here, the probe below: the
 * options page bundles the types only.
 * - `connected`: Sellsy answered a real API read as this person.
 * - `client-known`: not connected yet, and Sellsy's token endpoint knows the API access.
 * - `no-client`: no API access is set at all.
 * - `failed`: Sellsy refused or could not be reached; `error.code` says which.
 */
export type SellsyAccessTest =
  | { outcome: 'connected'; name: string }
  | { outcome: 'client-known' }
  | { outcome: 'no-client' }
  | { outcome: 'failed'; error: ActionError };

// A code Sellsy never issued: the token endpoint judges the client before the code (RFC 6749
// §5.2), so `invalid_client` means the API access is unknown, `invalid_grant` that it is known.
const PROBE_CODE = 'allo-for-sellsy-connection-test';

export interface AccessTestDeps {
  /** The API client in use, if any. */
  endpoints: () => Promise<Omit<OAuthEndpoints, 'authorizeUrl'> | undefined>;
  /** Whether this person is connected to Sellsy (tokens held, not revoked). */
  connected: () => Promise<boolean>;
  /** A cheap read with the person's tokens: GET /staffs/me. */
  whoAmI: () => Promise<{ name: string }>;
  fetch?: typeof fetch;
}

/**
 * A real request to Sellsy with the configured API access. Connected: one API read as the person.
 * Not connected: a token request with a code that does not exist, which tells a known client
 * from an unknown one without anyone signing in.
 */
export async function testSellsyAccess({ endpoints, connected, whoAmI, fetch }: AccessTestDeps): Promise<SellsyAccessTest> {
  const client = await endpoints();
  if (!client) return { outcome: 'no-client' };
  const asPerson = await connected();
  try {
    if (asPerson) return { outcome: 'connected', name: (await whoAmI()).name };
    await exchangeCode({ ...client, authorizeUrl: '' }, PROBE_CODE, PROBE_CODE.padEnd(43, '0'), { fetch });
    // Sellsy would never accept a code it did not issue; if it did, it surely knows the client.
    return { outcome: 'client-known' };
  } catch (error) {
    if (!(error instanceof SellsyError)) throw error;
    // Only the probe's code was refused: the client is known.
    if (error.code === 'revoked' && !asPerson) return { outcome: 'client-known' };
    return { outcome: 'failed', error: { code: error.code, message: error.message } };
  }
}
