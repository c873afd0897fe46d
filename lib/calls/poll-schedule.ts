import { storage } from '#imports';
import { AlloError, type AlloClient } from '../allo/api-client';
import {
  ASSUMED_TEAM,
  type BudgetState,
  MAX_DEBT,
  MAX_SLOWDOWN,
  callSeen,
  IDLE_AFTER_MS,
  initialBudget,
  type KeyFacts,
  pollRhythm,
  type PollRhythm,
  refill,
  scheduledPoll,
  spent,
  started,
  userPollAllowed,
} from './poll-budget';

/** What Allo said of the key, and when (read at most daily: two GETs). */
export interface StoredKeyFacts extends KeyFacts {
  readAt: number;
}

export const alloKeyFactsItem = storage.defineItem<StoredKeyFacts | null>('local:alloKeyFacts', { fallback: null, version: 1 });
/** The bucket and rhythm of this browser's polls; its phase is drawn once, at install. */
export const pollBudgetItem = storage.defineItem<BudgetState | null>('local:pollBudget', { fallback: null, version: 1 });

const DAY_MS = 24 * 60 * 60_000;
// Allo could not be asked (network, server): the guess holds for an hour, then it is asked again.
const RETRY_FACTS_MS = 60 * 60_000;
// Allo's documented write limit, until /me says otherwise.
const DOCUMENTED_WRITES_PER_SECOND = 5;

/** Where a value is kept: a storage item, or plain memory (the bench's many browsers in one process). */
export interface Kept<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
}

export interface PollScheduleDeps {
  allo: Pick<AlloClient, 'me' | 'users' | 'takeTally'>;
  /** Default: the storage items above. */
  kept?: { budget: Kept<BudgetState | null>; facts: Kept<StoredKeyFacts | null> };
  /** Whether a Sellsy page is open in this browser: without one, and nothing done for an hour, the browser is idle. */
  sellsyTabOpen: () => Promise<boolean>;
  now?: () => number;
  random?: () => number;
}

/** Whether this browser may look for calls now, and what that poll cost (poll-budget.ts keeps the rules). */
export interface PollSchedule {
  /** Starts a poll if one is due (scheduled) or allowed (`byUser`); false: not now. */
  begin(byUser: boolean): Promise<boolean>;
  /** The poll begun ended: its writes are paid, and the key's health noted. */
  end(): Promise<void>;
  /** The dialer showed a call: polls soon after, as the budget allows. */
  callSeen(): Promise<void>;
  /** What the popup shows; undefined until Allo has said what the key allows. */
  rhythm(): Promise<PollRhythm | undefined>;
}

export function createPollSchedule({
  allo,
  sellsyTabOpen,
  kept: { budget: pollBudget, facts: alloKeyFacts } = { budget: pollBudgetItem, facts: alloKeyFactsItem },
  now = Date.now,
  random = Math.random,
}: PollScheduleDeps): PollSchedule {
  // One change of the stored state at a time: the dialer's calls arrive while a poll runs.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };
  const load = async (at: number): Promise<BudgetState> => {
    const saved = await pollBudget.getValue();
    if (!saved) return initialBudget(at, random());
    // A clock put back must not hold polls off until it catches up again.
    return saved.lastPollAt > at || saved.at > at ? { ...saved, lastPollAt: Math.min(saved.lastPollAt, at), at } : saved;
  };
  // Idle: no call seen in the dialer and no poll the user asked for (popup, Retry) for an hour, and no Sellsy tab open.
  const idleBrowser = async (state: BudgetState, at: number) =>
    at - Math.max(state.callSeenAt, state.lastUserPollAt) >= IDLE_AFTER_MS && !(await sellsyTabOpen().catch(() => true));
  const facts = async (at: number): Promise<StoredKeyFacts> => {
    const stored = await alloKeyFacts.getValue();
    const saved = stored && asToday(stored);
    if (saved && at - saved.readAt < DAY_MS && at >= saved.readAt) return saved;
    const read = await readKeyFacts(allo).catch(() => null);
    // Allo could not say: the last facts, or the cautious guess, for an hour.
    const fresh = read ? { ...read, readAt: at } : { ...(saved ?? assumedFacts('unreachable')), readAt: at - DAY_MS + RETRY_FACTS_MS };
    await alloKeyFacts.setValue(fresh);
    return fresh;
  };

  return {
    begin: (byUser) =>
      serially(async () => {
        const at = now();
        const state = await load(at);
        const key = await facts(at);
        // Whatever was sent since the last poll (the options listing Allo's users) is paid too.
        const before = allo.takeTally();
        const refilled = refill(state, key, at);
        // A 429 (or a busy answer) to one of them slows the polls as one to a poll would.
        const current = {
          ...refilled,
          tokens: Math.max(-MAX_DEBT, refilled.tokens - before.writes),
          slowdown: before.busy ? Math.min(MAX_SLOWDOWN, refilled.slowdown * 2) : refilled.slowdown,
        };
        const go = byUser ? userPollAllowed(current, at) : scheduledPoll(current, key, at, await idleBrowser(current, at)) !== null;
        // Saved either way: the first state holds the install's phase and an empty bucket.
        await pollBudget.setValue(go ? started(current, at, byUser) : current);
        return go;
      }),
    end: () =>
      serially(async () => {
        const at = now();
        const tally = allo.takeTally();
        await pollBudget.setValue(spent(await load(at), await facts(at), at, tally));
      }),
    callSeen: () => serially(async () => pollBudget.setValue(callSeen(await load(now()), now()))),
    rhythm: async () => {
      const [saved, key] = await Promise.all([pollBudget.getValue(), alloKeyFacts.getValue()]);
      if (!key) return undefined;
      const at = now();
      const state = saved ?? initialBudget(at, 0);
      return pollRhythm(state, asToday(key), await idleBrowser(state, at));
    },
  };
}

/**
 * Stored facts as today's rules read them: a team Allo did not list is today's `ASSUMED_TEAM`,
 * whatever guess was stored with it. The release before cfbb5d1 stored 50, and facts live a day:
 * updated at once, a team of 200 without USERS_READ would poll at five times its share until then.
 */
function asToday<T extends KeyFacts>(facts: T): T {
  return facts.usersAssumed && facts.activeUsers !== ASSUMED_TEAM ? { ...facts, activeUsers: ASSUMED_TEAM } : facts;
}

function assumedFacts(because: NonNullable<KeyFacts['assumedBecause']>): KeyFacts {
  return { activeUsers: ASSUMED_TEAM, writePerSecond: DOCUMENTED_WRITES_PER_SECOND, usersAssumed: true, assumedBecause: because };
}

/**
 * The key's write limit (`/me`) and its active users (`/users`): two GETs. Without USERS_READ
 * (403) a team of `ASSUMED_TEAM` is assumed, and the popup says so.
 */
export async function readKeyFacts(allo: Pick<AlloClient, 'me' | 'users'>): Promise<KeyFacts> {
  const me = await allo.me();
  const writePerSecond = me.rate_limits?.write_per_second ?? DOCUMENTED_WRITES_PER_SECOND;
  try {
    const users = await allo.users();
    const active = users.filter((user) => !user.status || user.status === 'ACTIVE').length;
    return { activeUsers: Math.max(1, active), writePerSecond, usersAssumed: false };
  } catch (error) {
    if (error instanceof AlloError && error.code === 'forbidden') return { ...assumedFacts('no-scope'), writePerSecond };
    throw error;
  }
}
