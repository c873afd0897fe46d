import type { SellsyErrorCode } from '../sellsy/errors';

/** What the popup shows of the contact sync. Types only: the popup bundles this file. */
export interface SyncStatus {
  running: boolean;
  phase?: 'full' | 'incremental' | 'reconcile';
  /** Records read so far in the first (full) sync, and how many Sellsy has. */
  done?: number;
  total?: number;
  /** Records in the cache (with at least one callable number). */
  cached?: number;
  lastSuccessAt?: number;
  /** Records the last pass could not read (an odd row Sellsy sent), skipped rather than stalling. */
  skipped?: number;
  lastError?: { code: SellsyErrorCode; message: string; at: number };
}
