/**
 * The poll budget when Allo does not say the team's size (issue 22, review 3): Allo unreachable
 * at the daily read, a poll that never reached Allo, and a key without USERS_READ shared by a
 * team of 200 (the guess was 50: 1 write a second). Each failed on the code as reviewed.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { rhythmText } from '@/components/PollRhythmNote';
import { AlloClient, AlloError } from '@/lib/allo/api-client';
import { ASSUMED_TEAM, type BudgetState, idleIntervalMs, initialBudget, type KeyFacts, spent, type WriteTally } from '@/lib/calls/poll-budget';
import { explainRhythm } from '@/lib/calls/poll-rhythm';
import { createPollSchedule, pollBudgetItem } from '@/lib/calls/poll-schedule';
import { speakLocale } from '../support/locale-messages';

const MIN = 60_000;
const NOW = Date.parse('2026-12-01T09:00:00Z');

beforeEach(() => {
  fakeBrowser.reset();
});

const tally = (over: Partial<WriteTally>): WriteTally => ({ writes: 1, busy: false, answers: 1, ...over });
const assumed: KeyFacts = { activeUsers: ASSUMED_TEAM, writePerSecond: 5, usersAssumed: true, assumedBecause: 'no-scope' };

describe('Allo unreachable when the key’s facts are read', () => {
  it('does not blame a missing USERS_READ scope: the popup says Allo could not be asked', async () => {
    speakLocale('en');
    const unreachable = async () => {
      throw new AlloError('network', 'Allo could not be reached.');
    };
    const schedule = createPollSchedule({
      allo: { me: unreachable, users: unreachable, takeTally: () => tally({ writes: 0, answers: 0 }) },
      sellsyTabOpen: async () => true,
      now: () => NOW,
      random: () => 0.5,
    });
    await schedule.begin(false);
    const rhythm = await schedule.rhythm();
    expect(rhythm).toMatchObject({ activeUsers: ASSUMED_TEAM, usersAssumed: true, assumedBecause: 'unreachable' });
    const explanation = explainRhythm(rhythm, 'extension');
    expect(explanation).toMatchObject({ why: 'unreached-team' });
    expect(rhythmText(explanation)).not.toMatch(/does not list/);
    expect(rhythmText(explanation)).toMatch(/could not be reached/);
  });

  it('facts stored by an earlier version (no reason) still read as a missing scope', () => {
    const { assumedBecause: _, ...older } = assumed;
    expect(
      explainRhythm({ intervalMs: 4 * MIN, activeUsers: 50, usersAssumed: older.usersAssumed, slowed: false, idleBrowser: false }, 'extension'),
    ).toMatchObject({
      why: 'assumed-team',
    });
  });
});

describe('a poll that never reached Allo', () => {
  const facts: KeyFacts = { activeUsers: 10, writePerSecond: 5, usersAssumed: false };
  const slowed: BudgetState = { ...initialBudget(NOW, 0.5), slowdown: 4 };

  it('keeps the slowdown a 429 asked for: waiting out Retry-After is no sign the key is healthy', () => {
    expect(spent(slowed, facts, NOW + MIN, tally({ writes: 0, answers: 0 })).slowdown).toBe(4);
  });

  it('halves it once Allo answered without saying busy, and doubles it on a busy answer', () => {
    expect(spent(slowed, facts, NOW + MIN, tally({})).slowdown).toBe(2);
    expect(spent(slowed, facts, NOW + MIN, tally({ busy: true })).slowdown).toBe(8);
  });

  it('the client counts no answer while it waits out a Retry-After', async () => {
    let now = NOW;
    const fetch = (async () =>
      new Response(JSON.stringify({ error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests.' } }), {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '30' },
      })) as typeof globalThis.fetch;
    const allo = new AlloClient({ apiUrl: 'https://allo.test', apiKey: async () => 'key', fetch, now: () => now });
    await allo.batch(['cll-1']).catch(() => undefined);
    expect(allo.takeTally()).toMatchObject({ writes: 1, answers: 1, busy: true });
    now += 10_000;
    await expect(allo.batch(['cll-1'])).rejects.toMatchObject({ code: 'rate-limited' });
    expect(allo.takeTally()).toMatchObject({ writes: 0, answers: 0, busy: false });
  });
});

describe('a key without USERS_READ', () => {
  it('a team of 200 on it stays within its share: the guess is a large team', () => {
    // 200 browsers at the guessed team's idle pace, each poll one write.
    const perBrowser = 1000 / idleIntervalMs(assumed, { slowdown: 1, lastCost: 1 }, false);
    expect(200 * perBrowser).toBeLessThanOrEqual(0.25);
  });

  it('the popup says what the administrator can do about it, in both languages', () => {
    const guessed = { intervalMs: 17 * MIN, activeUsers: ASSUMED_TEAM, usersAssumed: true, slowed: false, idleBrowser: false };
    speakLocale('en');
    expect(rhythmText(explainRhythm(guessed, 'extension'))).toMatch(/administrator can give the key the right to list users/);
    speakLocale('fr');
    expect(rhythmText(explainRhythm(guessed, 'extension'))).toMatch(/administrateur Allo peut donner à la clé le droit/);
  });

  it('what was sent since the last poll (the options listing users) is paid from the budget', async () => {
    let writes = 5;
    const schedule = createPollSchedule({
      allo: { me: async () => ({ scopes: [] }), users: async () => [], takeTally: () => tally({ writes, answers: writes }) },
      sellsyTabOpen: async () => true,
      now: () => NOW,
      random: () => 0.5,
    });
    await schedule.begin(true);
    writes = 0;
    expect((await pollBudgetItem.getValue())?.tokens).toBe(-3);
  });

  it('a 429 to a write sent between polls slows the polls too', async () => {
    let between = tally({ writes: 1, answers: 1, busy: true });
    const schedule = createPollSchedule({
      allo: {
        me: async () => ({ scopes: [] }),
        users: async () => [],
        takeTally: () => {
          const taken = between;
          between = tally({ writes: 0, answers: 0 });
          return taken;
        },
      },
      sellsyTabOpen: async () => true,
      now: () => NOW,
      random: () => 0.5,
    });
    await schedule.begin(true);
    expect((await pollBudgetItem.getValue())?.slowdown).toBe(2);
  });
});
