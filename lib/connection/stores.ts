import { storage } from '#imports';
import * as v from 'valibot';
import type { TokenSet } from '../sellsy/oauth';
import type { TokenStore } from '../sellsy/session';
import { readValid } from './connection-state';

// The secrets: Sellsy's tokens and the Allo key, in `local`, which the background closes to
// content scripts at start-up (storage.local.setAccessLevel TRUSTED_CONTEXTS). Only the
// background reads them; the popup and options never import this file.

const TokenSetSchema = v.object({ accessToken: v.string(), refreshToken: v.string(), expiresAt: v.number() });

const sellsyTokens = storage.defineItem<TokenSet | null>('local:sellsyTokens', { fallback: null });
export const alloApiKey = storage.defineItem<string | null>('local:alloApiKey', { fallback: null });

/** The company's own Sellsy API client, typed in the options (its secret, when it has one, is a secret). */
export interface StoredSellsyClient {
  clientId: string;
  clientSecret?: string;
}
const StoredSellsyClientSchema = v.object({ clientId: v.string(), clientSecret: v.optional(v.string()) });
const sellsyClientItem = storage.defineItem<StoredSellsyClient | null>('local:sellsyClient', { fallback: null });

export const userSellsyClient = {
  get: () => readValid(sellsyClientItem, StoredSellsyClientSchema),
  set: (client: StoredSellsyClient | null) => (client ? sellsyClientItem.setValue(client) : sellsyClientItem.removeValue()),
};

export const tokenStore: TokenStore = {
  get: () => readValid(sellsyTokens, TokenSetSchema),
  set: (tokens) => sellsyTokens.setValue(tokens),
  clear: () => sellsyTokens.removeValue(),
};
