/**
 * How often this browser may look for calls on the team's one Allo key (issue 22). Allo counts
 * every POST against the key's write limit (5 a second), and the poller's searches and batches
 * are POSTs: the browsers of a team together keep under 10 % of that limit, whatever the team's
 * size. Pure: the caller stores the state and reads the clock (poll-schedule.ts).
 *
 * A token bucket per browser, refilled at its share of the 10 %: `0.1 × limit / active users`
 * writes a second. Scheduled polls (the idle rhythm, the polls after a call seen in the dialer)
 * wait until a token is there; polls the user asks for (popup opened, Retry) go at once, at most
 * every 15 s, and run the bucket into debt that the next scheduled polls repay. Idle polls come
 * only every `2 × cost / share`, so half the share is left to fill the bucket for the polls
 * after a call. docs/architecture.md, "Allo's write budget".
 */

/** What Allo says of the key: its active users and its write limit (read at most daily). */
export interface KeyFacts {
  activeUsers: number;
  writePerSecond: number;
  /** Allo did not list the users: a team of `ASSUMED_TEAM` is assumed. */
  usersAssumed: boolean;
  /** Why: the key lacks USERS_READ, or Allo could not be asked. Facts stored before this field: the scope. */
  assumedBecause?: 'no-scope' | 'unreachable';
}

/** What a poll's answers said of the key (AlloClient.takeTally): its cost and the key's health. */
export interface WriteTally {
  /** POSTs sent (Allo counts them against the write limit). */
  writes: number;
  /** A 429, or an answer with less than half of `X-RateLimit-Limit` left. */
  busy: boolean;
  /** Answers Allo sent to those POSTs: none means the poll never reached Allo (a pause, the network). */
  answers: number;
}

export interface BudgetState {
  /** Writes this browser may still send; below 0 after polls the user asked for (debt). */
  tokens: number;
  /** When `tokens` was counted (epoch ms). */
  at: number;
  /** When the last poll of any kind started (or the budget began). */
  lastPollAt: number;
  /** When the last poll the user asked for started; 0: never. */
  lastUserPollAt: number;
  /** The writes the last poll sent: the next idle interval is sized on it. */
  lastCost: number;
  /** Allo's key is busy (few requests left, or a 429): every scheduled poll waits this many times longer. */
  slowdown: number;
  /** The dialer showed a call starting; 0: none. */
  callSeenAt: number;
  /** Idle polls of a team fall on a grid shifted by this fraction of the interval (drawn once per install). */
  phase: number;
}

/** The team's browsers together: this fraction of the key's write limit. */
export const TEAM_SHARE = 0.1;
/**
 * Without USERS_READ the team's size is unknown, and a guess too small would let a large team
 * take more than its share of the key (Allo's users on one key are rarely more): an idle poll
 * about every 17 min. The popup says so, and how to do better (give the key USERS_READ).
 */
export const ASSUMED_TEAM = 250;
/** Never more than one idle poll a minute, however small the team. */
export const MIN_INTERVAL_MS = 60_000;
/** A browser with no Sellsy tab and no call for an hour: at least this long between idle polls. */
export const IDLE_BROWSER_INTERVAL_MS = 15 * 60_000;
export const IDLE_AFTER_MS = 60 * 60_000;
/** The popup or Retry polls at once, but at most this often. */
export const USER_POLL_GAP_MS = 15_000;
/** Writes the bucket holds: two or three polls soon after a call. */
export const CAPACITY = 3;
/** The most debt the user's own polls leave: scheduled polls resume after `CAPACITY / rate`. */
export const MAX_DEBT = CAPACITY;
export const MAX_SLOWDOWN = 8;
/**
 * After a call seen in the dialer: polls this long after it starts, while tokens allow. The
 * dialer does not say when the call ends, and Allo lists a call once it has ended.
 */
export const BURST_OFFSETS_MS = [30_000, 60_000, 2 * 60_000, 4 * 60_000, 8 * 60_000];
/** No wake-up for this long (the minute alarm missed): the browser was closed or asleep. */
export const ASLEEP_AFTER_MS = 3 * 60_000;
/** The alarm wakes the worker about every 30 s to a minute: a grid point this close counts as reached. */
export const WAKE_SLACK_MS = 30_000;
/** Under this fraction of `X-RateLimit-Limit` left, the key counts as busy. */
export const BUSY_REMAINING = 0.5;

/**
 * A new install (or an update to the budget): an empty bucket, and the first idle poll at this
 * browser's own slot, as if it had just polled: a team updated at once does not poll at once.
 */
export function initialBudget(now: number, phase: number): BudgetState {
  return { tokens: 0, at: now, lastPollAt: now, lastUserPollAt: 0, lastCost: 1, slowdown: 1, callSeenAt: 0, phase: clampPhase(phase) };
}

/** This browser's share of the key: writes a second (before any slowdown). */
export function writeRate(facts: KeyFacts): number {
  return (TEAM_SHARE * Math.max(0, facts.writePerSecond)) / Math.max(1, Math.floor(facts.activeUsers));
}

/** The idle rhythm: `2 × cost / rate` (half the share), at least a minute, slowed when the key is busy or the browser idle. */
export function idleIntervalMs(facts: KeyFacts, state: Pick<BudgetState, 'slowdown' | 'lastCost'>, idleBrowser: boolean): number {
  const rate = writeRate(facts);
  const cost = Math.max(1, state.lastCost);
  const budget = rate > 0 ? (2 * cost * 1000) / rate : Number.POSITIVE_INFINITY;
  const interval = Math.max(MIN_INTERVAL_MS, budget) * state.slowdown;
  return idleBrowser ? Math.max(interval, IDLE_BROWSER_INTERVAL_MS) : interval;
}

/**
 * The bucket as of `now`: refilled at the (slowed) rate, up to its capacity. A browser that was
 * not awake (closed, computer asleep) waits for its own slot on the idle grid: a team that
 * starts its computers at nine does not poll all at once.
 */
export function refill(state: BudgetState, facts: KeyFacts, now: number): BudgetState {
  const elapsedS = Math.max(0, now - state.at) / 1000;
  const tokens = Math.min(CAPACITY, state.tokens + (elapsedS * writeRate(facts)) / state.slowdown);
  const woke = now - state.at > ASLEEP_AFTER_MS;
  const lastPollAt = woke ? Math.max(state.lastPollAt, now - idleIntervalMs(facts, state, false) / 2) : state.lastPollAt;
  return { ...state, tokens: Math.max(state.tokens, tokens), at: now, lastPollAt };
}

/** Why a scheduled poll is due now: the idle rhythm, or a call seen in the dialer; null: not yet. */
export type ScheduledReason = 'idle' | 'call';

/**
 * Whether a scheduled poll is due at `now` (the state refilled to `now`). `idleBrowser`: no
 * Sellsy tab open and no call seen for an hour.
 */
export function scheduledPoll(state: BudgetState, facts: KeyFacts, now: number, idleBrowser: boolean): ScheduledReason | null {
  // A poll needs a token, and then some by its phase: browsers short of tokens (after calls)
  // would otherwise all poll at the instant their buckets, started together, reach one.
  if (state.tokens < 1 + state.phase) return null;
  const burstDue = BURST_OFFSETS_MS.map((offset) => state.callSeenAt + offset).filter((at) => at <= now && at > state.lastPollAt);
  if (state.callSeenAt > 0 && burstDue.length > 0) return 'call';
  return now >= nextIdlePoll(state, facts, idleBrowser) ? 'idle' : null;
}

/**
 * The next idle poll: on this browser's grid (interval × (k + phase)), at least half an interval
 * after the last poll, taken at the wake-up before it (`WAKE_SLACK_MS`), and never within a
 * minute of the last. The grids of a team's browsers are shifted by their phases, so browsers
 * opened at the same minute do not poll in step.
 */
export function nextIdlePoll(state: BudgetState, facts: KeyFacts, idleBrowser: boolean): number {
  const interval = idleIntervalMs(facts, state, idleBrowser);
  if (!Number.isFinite(interval)) return Number.POSITIVE_INFINITY;
  const offset = state.phase * interval;
  const grid = Math.ceil((state.lastPollAt + interval / 2 - offset) / interval) * interval + offset;
  return Math.max(state.lastPollAt + MIN_INTERVAL_MS, grid - WAKE_SLACK_MS);
}

/** The user asked (popup opened, Retry): a poll now unless one they asked for started less than 15 s ago. */
export function userPollAllowed(state: BudgetState, now: number): boolean {
  return state.lastUserPollAt === 0 || now < state.lastUserPollAt || now - state.lastUserPollAt >= USER_POLL_GAP_MS;
}

/** A poll started at `now`: what it costs is counted once it is known (`spent`). */
export function started(state: BudgetState, now: number, byUser: boolean): BudgetState {
  return { ...state, lastPollAt: now, ...(byUser ? { lastUserPollAt: now } : {}) };
}

/**
 * A poll ended; `tally`: what its answers said. A busy key (a 429, or less than half its
 * per-second limit left) doubles the slowdown (up to ×8); a healthy answer halves it; a poll that
 * got no answer (waiting out Retry-After, no network) says nothing of the key and keeps it.
 */
export function spent(state: BudgetState, facts: KeyFacts, now: number, tally: WriteTally): BudgetState {
  const refilled = refill(state, facts, now);
  const cost = Math.max(0, tally.writes);
  const slowdown = tally.busy ? Math.min(MAX_SLOWDOWN, state.slowdown * 2) : tally.answers > 0 ? Math.max(1, state.slowdown / 2) : state.slowdown;
  return {
    ...refilled,
    tokens: Math.max(-MAX_DEBT, refilled.tokens - cost),
    lastCost: Math.max(1, cost),
    slowdown,
  };
}

/** The dialer showed a call starting: polls at `BURST_OFFSETS_MS` after it, as tokens allow. */
export function callSeen(state: BudgetState, now: number): BudgetState {
  return { ...state, callSeenAt: now };
}

/** Whether the answer's `X-RateLimit-*` says the key is busy. */
export function keyBusy(limit: number, remaining: number): boolean {
  return limit > 0 && remaining < limit * BUSY_REMAINING;
}

/** What the popup shows: how often this browser looks for calls when nothing happens, and why. */
export interface PollRhythm {
  intervalMs: number;
  activeUsers: number;
  usersAssumed: boolean;
  assumedBecause?: KeyFacts['assumedBecause'];
  slowed: boolean;
  idleBrowser: boolean;
}

export function pollRhythm(state: BudgetState, facts: KeyFacts, idleBrowser: boolean): PollRhythm {
  return {
    intervalMs: idleIntervalMs(facts, state, idleBrowser),
    activeUsers: Math.max(1, Math.floor(facts.activeUsers)),
    usersAssumed: facts.usersAssumed,
    ...(facts.assumedBecause ? { assumedBecause: facts.assumedBecause } : {}),
    slowed: state.slowdown > 1,
    idleBrowser,
  };
}

function clampPhase(phase: number): number {
  return Number.isFinite(phase) ? Math.min(Math.max(phase, 0), 0.999) : 0;
}
