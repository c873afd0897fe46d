import { storage } from '#imports';
import * as v from 'valibot';
import type { AlloErrorCode } from '../allo/api-client';
import type { Staff } from '../sellsy/staff';

// What the popup may watch of both connections: who is connected and what went wrong, never a
// secret (those are in stores.ts). In `local`, closed to content scripts at start-up. Values are
// validated when read: a value written by another version must not crash the worker.

const StaffSchema = v.object({ id: v.number(), name: v.string(), email: v.optional(v.string()) });
const SellsyConnectionSchema = v.object({
  state: v.picklist(['connected', 'revoked']),
  staff: v.optional(StaffSchema),
});
const AlloConnectionSchema = v.object({ scopes: v.array(v.string()), teamName: v.optional(v.string()) });

export type SellsyConnection = v.InferOutput<typeof SellsyConnectionSchema>;
export type AlloConnection = v.InferOutput<typeof AlloConnectionSchema>;

export const sellsyConnection = storage.defineItem<SellsyConnection | null>('local:sellsyConnection', {
  fallback: null,
  version: 1,
});
/** Why the last look for new calls failed (cleared by the next one that works). */
export const alloProblem = storage.defineItem<AlloErrorCode | null>('local:alloProblem', { fallback: null, version: 1 });
export const alloConnection = storage.defineItem<AlloConnection | null>('local:alloConnection', {
  fallback: null,
  version: 1,
});

/** A stored value checked against its schema; null when absent or unreadable. */
export async function readValid<T>(item: { getValue(): Promise<unknown> }, schema: v.GenericSchema<unknown, T>): Promise<T | null> {
  const value = await item.getValue();
  if (value === null) return null;
  const parsed = v.safeParse(schema, value);
  return parsed.success ? parsed.output : null;
}

export const readSellsyConnection = () => readValid(sellsyConnection, SellsyConnectionSchema);
export const readAlloConnection = () => readValid(alloConnection, AlloConnectionSchema);

export async function saveStaff(staff: Staff): Promise<void> {
  await sellsyConnection.setValue({ state: 'connected', staff });
}

/** When Chrome first said what the policy is, after a status that had to assume none (the popup then asks again). */
export const policyAnsweredAt = storage.defineItem<number>('session:policyAnsweredAt', { fallback: 0, version: 1 });
