import { storage } from '#imports';
import * as v from 'valibot';
import type { TokenSet } from '../sellsy/oauth';
import type { TokenStore } from '../sellsy/session';
import type { ActionError } from './status';
import { readValid } from './connection-state';

// The secrets: Sellsy's tokens and the Allo key, in `local`, which the background closes to
// content scripts at start-up (storage.local.setAccessLevel TRUSTED_CONTEXTS). Only the
// background reads them; the popup and options never import this file.

const TokenSetSchema = v.object({ accessToken: v.string(), refreshToken: v.string(), expiresAt: v.number() });

const sellsyTokens = storage.defineItem<TokenSet | null>('local:sellsyTokens', { fallback: null, version: 1 });
export const alloApiKey = storage.defineItem<string | null>('local:alloApiKey', { fallback: null, version: 1 });

/** The company's own Sellsy API client, typed in the options (its secret, when it has one, is a secret). */
export interface StoredSellsyClient {
  clientId: string;
  clientSecret?: string;
}
const StoredSellsyClientSchema = v.object({ clientId: v.string(), clientSecret: v.optional(v.string()) });
const sellsyClientItem = storage.defineItem<StoredSellsyClient | null>('local:sellsyClient', { fallback: null, version: 1 });

export const userSellsyClient = {
  get: () => readValid(sellsyClientItem, StoredSellsyClientSchema),
  set: (client: StoredSellsyClient | null) => (client ? sellsyClientItem.setValue(client) : sellsyClientItem.removeValue()),
};

/**
 * The client id Sellsy issued the tokens to: the tokens are good with that client only, so a
 * change of the client in force (the administrator's policy) is seen here. Absent on a browser
 * connected by an earlier version: the client in force then is taken as theirs.
 */
const sellsyTokensClientItem = storage.defineItem<string | null>('local:sellsyTokensClient', { fallback: null, version: 1 });

export const sellsyTokensClient = {
  get: async (): Promise<string | null> => {
    const value = await sellsyTokensClientItem.getValue();
    return typeof value === 'string' && value !== '' ? value : null;
  },
  set: (clientId: string) => sellsyTokensClientItem.setValue(clientId),
  clear: () => sellsyTokensClientItem.removeValue(),
};

export const tokenStore: TokenStore = {
  get: () => readValid(sellsyTokens, TokenSetSchema),
  set: (tokens) => sellsyTokens.setValue(tokens),
  clear: () => sellsyTokens.removeValue(),
};

/**
 * The administrator's Allo key that Allo refused, and why: the popup names it, and a refused
 * key is not sent to Allo again until the policy changes (one it could not check is).
 */
export interface ManagedAlloKeyRefusal {
  key: string;
  error: ActionError;
}
const ManagedAlloKeyRefusalSchema = v.object({
  key: v.string(),
  // A code this version does not know is still shown, through the fallback with its message.
  error: v.object({
    code: v.pipe(
      v.string(),
      v.transform((code) => code as ActionError['code']),
    ),
    message: v.string(),
  }),
});
const managedAlloKeyRefusalItem = storage.defineItem<ManagedAlloKeyRefusal | null>('local:managedAlloKeyRefusal', { fallback: null, version: 1 });

export const managedAlloKeyRefusal = {
  get: () => readValid(managedAlloKeyRefusalItem, ManagedAlloKeyRefusalSchema),
  set: (refusal: ManagedAlloKeyRefusal) => managedAlloKeyRefusalItem.setValue(refusal),
  clear: () => managedAlloKeyRefusalItem.removeValue(),
};
