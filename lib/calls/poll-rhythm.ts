import type { CallLogger } from './call-logger-choice';
import { IDLE_BROWSER_INTERVAL_MS, MIN_INTERVAL_MS, type PollRhythm } from './poll-budget';

/**
 * Why this browser looks for calls as often as it does, in the terms the popup shows (issue 22):
 * a person who sees "every 6 min" wonders why not every minute, and the answer is one of a few.
 * Pure: the popup turns it into words.
 */
export type RhythmReason =
  /** The team's browsers share the key's budget: the team's size sets the pace. */
  | 'team'
  /** Allo did not list the key's users (no USERS_READ): a team of `ASSUMED_TEAM` is assumed. */
  | 'assumed-team'
  /** Allo could not be reached to say the team's size: `ASSUMED_TEAM` until it answers. */
  | 'unreached-team'
  /** Allo said the key is busy (few requests left, or a 429): every poll waits longer. */
  | 'key-busy'
  /** No Sellsy tab open and no call for an hour: the slowest pace. */
  | 'idle-browser';

export type RhythmExplanation =
  /** Allo's own Sellsy integration logs the calls: this browser does not look for them at all. */
  { polls: false } | { polls: true; every: { unit: 'minute' | 'hour'; count: number }; why: RhythmReason; users: number };

// Past this, minutes read worse than hours ("every 120 min").
const HOURS_FROM_MS = 90 * 60_000;

/** What the popup says of the rhythm; undefined while Allo has not yet said what the key allows. */
export function explainRhythm(rhythm: PollRhythm | undefined, logger: CallLogger): RhythmExplanation | undefined {
  if (logger === 'allo-integration') return { polls: false };
  if (!rhythm || !Number.isFinite(rhythm.intervalMs) || rhythm.intervalMs <= 0) return undefined;
  return { polls: true, every: roundedInterval(rhythm.intervalMs), why: reasonOf(rhythm), users: rhythm.activeUsers };
}

// The reason that sets the interval: an idle browser's floor, a busy key's slowdown, then the team.
function reasonOf(rhythm: PollRhythm): RhythmReason {
  // The idle floor explains the interval only where the team's pace alone is quicker.
  if (rhythm.idleBrowser && rhythm.intervalMs <= IDLE_BROWSER_INTERVAL_MS) return 'idle-browser';
  if (rhythm.slowed) return 'key-busy';
  if (!rhythm.usersAssumed) return 'team';
  return rhythm.assumedBecause === 'unreachable' ? 'unreached-team' : 'assumed-team';
}

function roundedInterval(ms: number): { unit: 'minute' | 'hour'; count: number } {
  if (ms >= HOURS_FROM_MS) return { unit: 'hour', count: Math.max(2, Math.round(ms / 3_600_000)) };
  return { unit: 'minute', count: Math.max(1, Math.round(ms / MIN_INTERVAL_MS)) };
}
