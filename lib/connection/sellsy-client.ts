import type { StoredSellsyClient } from './stores';

/**
 * Which Sellsy API client signs the user in. Sellsy validates "public" clients for its partners
 * only; any company admin can create a "private" one for the company's own account. So the
 * client comes, in this order, from the administrator's policy, from the user's options, or from
 * the build (`WXT_SELLSY_CLIENT_ID`). Types and pure functions: the options page bundles this file.
 */
export type SellsyClientSource = 'managed' | 'user' | 'build';

export interface SellsyApiClient {
  clientId: string;
  clientSecret?: string;
  source: SellsyClientSource;
}

/** What the options page may know: never the secret, only whether there is one. */
export interface SellsyClientView {
  source: SellsyClientSource | 'none';
  clientId?: string;
  hasSecret: boolean;
  /** The build has a client of its own to fall back on. */
  buildHasClient: boolean;
  /** The URL to register on the API client in Sellsy (fixed by the extension's id). */
  redirectUrl: string;
}

// Sellsy does not publish the form of a client id: this refuses what is surely not one (spaces,
// a URL, a pasted sentence) and lets any plausible identifier through.
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{3,127}$/;
const MAX_SECRET_LENGTH = 512;

export function isClientIdShape(value: string): boolean {
  return CLIENT_ID.test(value);
}

/** A client as typed, trimmed and checked; undefined when it cannot be a Sellsy client. */
export function cleanSellsyClient(input: { clientId: string; clientSecret?: string }): StoredSellsyClient | undefined {
  const clientId = input.clientId.trim();
  const clientSecret = input.clientSecret?.trim() ?? '';
  if (!isClientIdShape(clientId) || clientSecret.length > MAX_SECRET_LENGTH || /\s/.test(clientSecret)) return undefined;
  return clientSecret ? { clientId, clientSecret } : { clientId };
}

export function resolveSellsyClient(parts: {
  managed?: StoredSellsyClient;
  user: StoredSellsyClient | null;
  buildClientId: string | undefined;
}): SellsyApiClient | undefined {
  if (parts.managed) return { ...parts.managed, source: 'managed' };
  if (parts.user) return { ...parts.user, source: 'user' };
  if (parts.buildClientId) return { clientId: parts.buildClientId, source: 'build' };
  return undefined;
}
