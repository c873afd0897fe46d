import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAPACITY,
  callSeen,
  IDLE_BROWSER_INTERVAL_MS,
  idleIntervalMs,
  initialBudget,
  type KeyFacts,
  MAX_DEBT,
  MIN_INTERVAL_MS,
  nextIdlePoll,
  pollRhythm,
  refill,
  scheduledPoll,
  spent,
  started,
  userPollAllowed,
  WAKE_SLACK_MS,
  type WriteTally,
  writeRate,
} from '@/lib/calls/poll-budget';

const HOUR = 3_600_000;
const MIN = 60_000;
const facts = (activeUsers: number, writePerSecond = 5): KeyFacts => ({ activeUsers, writePerSecond, usersAssumed: false });
/** A poll's tally: `writes` POSTs, each answered, the key busy or not. */
const answered = (writes: number, busy: boolean): WriteTally => ({ writes, busy, answers: writes });

/** Runs scheduled polls at each tick while due; each costs `cost` writes. Returns the polls' times. */
function runTicks(team: KeyFacts, from: number, to: number, step: number, cost = 1, phase = 0.5) {
  let state = initialBudget(from, phase);
  const polls: number[] = [];
  for (let now = from; now <= to; now += step) {
    state = refill(state, team, now);
    if (scheduledPoll(state, team, now, false)) {
      state = spent(started(state, now, false), team, now, answered(cost, false));
      polls.push(now);
    }
  }
  return { polls, state };
}

describe('the poll budget', () => {
  it('gives each browser its share of 10 % of the write limit', () => {
    expect(writeRate(facts(1))).toBeCloseTo(0.5);
    expect(writeRate(facts(50))).toBeCloseTo(0.01);
    expect(writeRate(facts(0))).toBeCloseTo(0.5);
  });

  it('polls an idle browser of a small team every minute, never faster', () => {
    const { polls } = runTicks(facts(3), 0, HOUR, 30_000);
    const gaps = polls.slice(1).map((at, i) => at - (polls[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_INTERVAL_MS);
    expect(polls.length).toBeGreaterThanOrEqual(55);
  });

  it('spaces a big team’s idle polls so that they use half the share', () => {
    // 90 users: 0.1 × 5 / 90 writes a second each, idle polls every 2 / rate = 6 min.
    expect(idleIntervalMs(facts(90), { slowdown: 1, lastCost: 1 }, false)).toBe(360_000);
    const { polls } = runTicks(facts(90), 0, 10 * HOUR, 30_000);
    expect(polls.length).toBeGreaterThanOrEqual(95);
    expect(polls.length).toBeLessThanOrEqual(101);
  });

  it('shifts the idle grids of two browsers by their phases', () => {
    const a = runTicks(facts(90), 0, 2 * HOUR, 1_000, 1, 0.1).polls;
    const b = runTicks(facts(90), 0, 2 * HOUR, 1_000, 1, 0.6).polls;
    const nearest = a.slice(2).map((at) => Math.min(...b.map((other) => Math.abs(other - at))));
    expect(Math.min(...nearest)).toBeGreaterThanOrEqual(150_000);
  });

  it('spreads a team whose computers all wake at nine over their slots', () => {
    const team = facts(90);
    const firstPollAfterNight = (phase: number) => {
      const evening = { ...initialBudget(0, phase), lastPollAt: 1_000, tokens: CAPACITY };
      for (let now = 12 * HOUR; ; now += 30_000) {
        if (scheduledPoll(refill(evening, team, now), team, now, false)) return now;
      }
    };
    const polls = [0.1, 0.4, 0.7].map(firstPollAfterNight);
    expect(Math.max(...polls) - Math.min(...polls)).toBeGreaterThanOrEqual(3 * MIN);
  });

  it('slows an idle browser to one poll in 15 minutes', () => {
    expect(idleIntervalMs(facts(3), { slowdown: 1, lastCost: 1 }, true)).toBe(IDLE_BROWSER_INTERVAL_MS);
    expect(idleIntervalMs(facts(400), { slowdown: 1, lastCost: 1 }, true)).toBe(1_600_000);
  });

  it('polls soon after a call seen in the dialer, as tokens allow', () => {
    const team = facts(90);
    let state = { ...initialBudget(0, 0.5), tokens: CAPACITY, lastPollAt: 1_000 };
    state = callSeen(state, 2_000);
    expect(scheduledPoll(refill(state, team, 31_000), team, 31_000, false)).toBeNull();
    expect(scheduledPoll(refill(state, team, 32_000), team, 32_000, false)).toBe('call');
    state = spent(started(state, 32_000, false), team, 32_000, answered(1, false));
    expect(scheduledPoll(refill(state, team, 45_000), team, 45_000, false)).toBeNull();
    expect(scheduledPoll(refill(state, team, 62_000), team, 62_000, false)).toBe('call');
    // Out of tokens: the next burst poll waits for the bucket.
    state = { ...spent(started(state, 62_000, false), team, 62_000, answered(3, false)) };
    expect(state.tokens).toBeLessThan(1);
    expect(scheduledPoll(refill(state, team, 122_000), team, 122_000, false)).toBeNull();
  });

  it('lets the user poll at once but at most every 15 s, and makes them pay', () => {
    const team = facts(200);
    let state = initialBudget(0, 0);
    expect(userPollAllowed(state, 10)).toBe(true);
    state = spent(started(state, 10, true), team, 10, answered(2, false));
    expect(state.tokens).toBeLessThan(0);
    expect(userPollAllowed(state, 14_000)).toBe(false);
    expect(userPollAllowed(state, 25_010)).toBe(true);
    for (let i = 0; i < 20; i++) state = spent(started(state, 30_000 + i * 15_000, true), team, 30_000 + i * 15_000, answered(2, false));
    expect(state.tokens).toBe(-MAX_DEBT);
  });

  it('slows down when the key is busy and relaxes when it is healthy', () => {
    const team = facts(10);
    let state = initialBudget(0, 0);
    for (let i = 0; i < 5; i++) state = spent(state, team, 0, answered(1, true));
    expect(state.slowdown).toBe(8);
    expect(pollRhythm(state, team, false)).toMatchObject({ slowed: true, intervalMs: 8 * MIN_INTERVAL_MS });
    state = spent(state, team, 0, answered(1, false));
    expect(state.slowdown).toBe(4);
    for (let i = 0; i < 3; i++) state = spent(state, team, 0, answered(1, false));
    expect(pollRhythm(state, team, false).slowed).toBe(false);
  });

  it('places the next idle poll on the grid, half an interval after the last at the earliest', () => {
    const state = { ...initialBudget(0, 0.25), lastPollAt: 1_000_000 };
    const interval = idleIntervalMs(facts(90), state, false);
    const next = nextIdlePoll(state, facts(90), false);
    expect(next - 1_000_000).toBeGreaterThanOrEqual(interval / 2 - WAKE_SLACK_MS);
    expect(((next + WAKE_SLACK_MS) / interval) % 1).toBeCloseTo(0.25);
  });

  it('keeps any browser’s scheduled writes within its share over any hour', () => {
    const event = fc.record({
      // Mostly the alarm's 30 s wake-ups, some long sleeps.
      gapMs: fc.oneof(fc.integer({ min: 1_000, max: MIN }), fc.integer({ min: MIN, max: 30 * MIN })),
      kind: fc.constantFrom('tick', 'tick', 'tick', 'call', 'user', 'busy', 'healthy'),
      cost: fc.integer({ min: 1, max: 3 }),
      idleBrowser: fc.boolean(),
    });
    fc.assert(
      fc.property(
        // The edges often: a big team on a small limit leaves each browser a few writes an hour.
        fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom(1, 1000)),
        fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1, 5)),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(event, { minLength: 100, maxLength: 600, size: 'max' }),
        (users, limit, phase, events) => {
          const team = facts(users, limit);
          let state = initialBudget(0, phase);
          let now = 0;
          const scheduled: Array<{ at: number; cost: number }> = [];
          let busy = false;
          for (const { gapMs, kind, cost, idleBrowser } of events) {
            now += gapMs;
            state = refill(state, team, now);
            if (kind === 'call') state = callSeen(state, now);
            if (kind === 'busy' || kind === 'healthy') busy = kind === 'busy';
            if (kind === 'user' && userPollAllowed(state, now)) state = spent(started(state, now, true), team, now, answered(cost, busy));
            // Each event is also a wake-up (the alarm): a scheduled poll when due.
            if (scheduledPoll(state, team, now, idleBrowser)) {
              state = spent(started(state, now, false), team, now, answered(cost, busy));
              scheduled.push({ at: now, cost });
            }
          }
          const share = writeRate(team) * 3600;
          for (const { at } of scheduled) {
            const inHour = scheduled.filter((poll) => poll.at >= at && poll.at < at + HOUR).reduce((sum, poll) => sum + poll.cost, 0);
            // The bucket's capacity, the debt the user's polls may be forgiven, and one poll's overshoot.
            expect(inHour).toBeLessThanOrEqual(share + CAPACITY + MAX_DEBT + 3);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
