import { storage } from '#imports';
import type { SyncStatus } from './status';

// Not secret: progress and counts, watched by the popup while it is open.
export const syncStatus = storage.defineItem<SyncStatus>('local:syncStatus', {
  fallback: { running: false },
  version: 1,
});

/** Merges a change into the saved status (an `undefined` value clears that field). */
export async function reportSyncStatus(change: Partial<SyncStatus>): Promise<void> {
  const merged: Record<string, unknown> = { ...(await syncStatus.getValue()), ...change };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  await syncStatus.setValue(merged as unknown as SyncStatus);
}
