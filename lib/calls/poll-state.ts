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
  /** Where logging starts: calls dated before it are never logged (when Allo was connected, minus the back-fill). */
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

/**
 * When Allo was connected in this browser: a first poll position starts there (minus the
 * back-fill), however long it takes to know whose calls to read (no Allo user with the Sellsy
 * e-mail until the person picks their name). Set when Allo connects; forgotten with Allo's
 * disconnection, and while Allo's own integration logs the calls (its calls are not this
 * extension's to log).
 */
const loggingStartItem = storage.defineItem<number | null>('local:callLoggingStart', { fallback: null, version: 1 });

export const loggingStart = {
  get: async (): Promise<number | null> => {
    const value = await loggingStartItem.getValue();
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  },
  /** Allo was connected at `at`; an earlier time already noted stays (the same connection). */
  note: async (at: number): Promise<void> => {
    if ((await loggingStart.get()) === null) await loggingStartItem.setValue(at);
  },
  forget: async (): Promise<void> => {
    if ((await loggingStartItem.getValue()) !== null) await loggingStartItem.removeValue();
  },
};

/**
 * Where a new poll position starts, before the back-fill: when Allo was connected, for the first
 * position of this connection; now, when a position exists already (another person picked, another
 * Sellsy account), as before.
 */
export async function newPositionFrom(now: number): Promise<number> {
  if (await readPollState()) return now;
  return Math.min(now, (await loggingStart.get()) ?? now);
}
