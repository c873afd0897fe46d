import { storage } from '#imports';
import * as v from 'valibot';
import type { AlloErrorCode } from '../allo/api-client';
import type { TokenSet } from '../sellsy/oauth';
import type { TokenStore } from '../sellsy/session';
import type { Staff } from '../sellsy/staff';

// Everything here is in `local`, which the background closes to content scripts at start-up
// (storage.local.setAccessLevel TRUSTED_CONTEXTS). Values are validated when read: a value
// written by another version must not crash the worker.

const TokenSetSchema = v.object({ accessToken: v.string(), refreshToken: v.string(), expiresAt: v.number() });
const StaffSchema = v.object({ id: v.number(), name: v.string(), email: v.optional(v.string()) });
const SellsyConnectionSchema = v.object({
  state: v.picklist(['connected', 'revoked']),
  staff: v.optional(StaffSchema),
});
const AlloConnectionSchema = v.object({ scopes: v.array(v.string()), teamName: v.optional(v.string()) });

export type SellsyConnection = v.InferOutput<typeof SellsyConnectionSchema>;
export type AlloConnection = v.InferOutput<typeof AlloConnectionSchema>;

const sellsyTokens = storage.defineItem<TokenSet | null>('local:sellsyTokens', { fallback: null });
export const sellsyConnection = storage.defineItem<SellsyConnection | null>('local:sellsyConnection', {
  fallback: null,
  version: 1,
});
export const alloApiKey = storage.defineItem<string | null>('local:alloApiKey', { fallback: null });
/** Why the last look for new calls failed (cleared by the next one that works). */
export const alloProblem = storage.defineItem<AlloErrorCode | null>('local:alloProblem', { fallback: null });
export const alloConnection = storage.defineItem<AlloConnection | null>('local:alloConnection', {
  fallback: null,
  version: 1,
});

async function read<T>(item: { getValue(): Promise<unknown> }, schema: v.GenericSchema<unknown, T>): Promise<T | null> {
  const value = await item.getValue();
  if (value === null) return null;
  const parsed = v.safeParse(schema, value);
  return parsed.success ? parsed.output : null;
}

export const tokenStore: TokenStore = {
  get: () => read(sellsyTokens, TokenSetSchema),
  set: (tokens) => sellsyTokens.setValue(tokens),
  clear: () => sellsyTokens.removeValue(),
};

export const readSellsyConnection = () => read(sellsyConnection, SellsyConnectionSchema);
export const readAlloConnection = () => read(alloConnection, AlloConnectionSchema);

export async function saveStaff(staff: Staff): Promise<void> {
  await sellsyConnection.setValue({ state: 'connected', staff });
}
