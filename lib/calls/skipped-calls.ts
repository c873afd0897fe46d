import { storage } from '#imports';
import type { SkippedCallItem } from '../allo/api-client';

/** A call Allo listed that could not be logged, kept so the popup can say so. */
export interface SkippedCall {
  /** Allo's id, or the reason when the item had none. */
  key: string;
  reason: string;
  firstSeenAt: number;
}

/** What the popup says about skipped calls. */
export interface SkippedCallsSummary {
  count: number;
  lastReason: string;
}

// A skipped call is seen again at every poll while it is recent: counted once. After a week it
// is out of every poll's range, and out of the count.
const KEEP_MS = 7 * 24 * 60 * 60_000;
const MAX_KEPT = 50;

export const skippedCalls = storage.defineItem<SkippedCall[]>('local:skippedCalls', { fallback: [], version: 1 });

/** Adds the calls not counted yet and forgets old ones; writes only when that changes something. */
export async function noteSkippedCalls(items: SkippedCallItem[], now = Date.now()): Promise<void> {
  const kept = await skippedCalls.getValue();
  const fresh = kept.filter((call) => now - call.firstSeenAt < KEEP_MS);
  const known = new Set(fresh.map((call) => call.key));
  for (const item of items) {
    const key = item.id ?? item.reason;
    if (known.has(key)) continue;
    known.add(key);
    fresh.push({ key, reason: item.reason, firstSeenAt: now });
  }
  if (fresh.length === kept.length && fresh.every((call, i) => call === kept[i])) return;
  await skippedCalls.setValue(fresh.slice(-MAX_KEPT));
}

export async function summarizeSkippedCalls(now = Date.now()): Promise<SkippedCallsSummary | null> {
  const fresh = (await skippedCalls.getValue()).filter((call) => now - call.firstSeenAt < KEEP_MS);
  const last = fresh.at(-1);
  return last ? { count: fresh.length, lastReason: last.reason } : null;
}
