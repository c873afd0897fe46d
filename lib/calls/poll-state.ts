import { storage } from '#imports';

/**
 * Allo dates a call when it starts but may list it only once it ends, after calls that started
 * later: each poll looks this far back before its watermark. Calls already known are skipped.
 */
export const POLL_LOOKBACK_MS = 4 * 60 * 60_000;

export interface PollState {
  userId: string;
  /** The Sellsy account the calls are logged as: another account starts afresh. */
  account?: string;
  /** Where logging starts: calls dated before it are never logged (no back-fill). */
  since: number;
  /**
   * Calls dated before `watermark - POLL_LOOKBACK_MS` are all known: when the last complete
   * poll started, or, while catching up, how far the catch-up got plus the lookback.
   */
  watermark: number;
  /** A poll hit its page cap before the watermark: the next ones catch up oldest first. */
  behind?: boolean;
}

/**
 * Today's shape of a stored poll position, from any shape this repository wrote: `{userId,
 * watermark}` (first release), then `since`, `behind` and `account` were added. A position is
 * never thrown away for its shape; null only when it cannot be read at all.
 */
export function upgradePollState(value: unknown): PollState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { userId, account, since, watermark, behind } = value as Record<string, unknown>;
  if (typeof userId !== 'string' || !Number.isFinite(watermark)) return null;
  const mark = watermark as number;
  return {
    userId,
    ...(typeof account === 'string' && account ? { account } : {}),
    // Before `since` existed the watermark alone said where reading stood.
    since: Number.isFinite(since) ? (since as number) : mark - POLL_LOOKBACK_MS,
    watermark: mark,
    ...(behind === true ? { behind } : {}),
  };
}

/**
 * Where polling stands; it belongs to one Allo user and Sellsy account (see calls-account.ts).
 * Version 2: stored shapes are upgraded on start-up, and again on every read.
 */
export const callPollState = storage.defineItem<PollState | null>('local:callPoll', {
  fallback: null,
  version: 2,
  migrations: { 2: (old: unknown) => upgradePollState(old) },
});

export async function readPollState(): Promise<PollState | null> {
  return upgradePollState(await callPollState.getValue());
}
