import { storage } from '#imports';

/** The Sellsy staff (id) the poll position and "whose calls" belong to. */
export const callsAccount = storage.defineItem<string | null>('local:callsAccount', { fallback: null, version: 1 });

/**
 * Calls are found and logged for one Sellsy account at a time. When another person connects,
 * whose Allo calls start afresh (`forget`; the poll position is per account already); the calls found for the
 * previous account stay in the history, stamped with it, and are left for it. Returns whether
 * the account changed.
 */
export async function followSellsyAccount(account: string, forget: ReadonlyArray<{ removeValue(): Promise<void> }>): Promise<boolean> {
  const previous = await callsAccount.getValue();
  if (previous === account) return false;
  // The first time (an install from before accounts were tracked) there is nothing to forget.
  if (previous !== null) await Promise.all(forget.map((item) => item.removeValue()));
  await callsAccount.setValue(account);
  return true;
}
