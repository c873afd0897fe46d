// @vitest-environment node
/**
 * Review of the side panel's history (issue 20 item 2), Sellsy's budget: 5 requests a second per
 * account, shared with the contact sync and the call log. A person going through numbers
 * quickly (clicking down a list in Sellsy) must not queue the history's requests ahead of them.
 */
import { describe, expect, it } from 'vitest';
import type { CachedRecord } from '@/lib/cache/schema';
import { createCallHistory, HISTORY_RECORDS, TEAM_CALLS_IN_FLIGHT } from '@/lib/dialer/call-history';
import type { RelatedRecord, TeamPhoneCall } from '@/lib/sellsy/phone-calls';
import { DEFAULT_RECORD_PATHS } from '@/lib/sellsy/record-url';

const records = (n: number): CachedRecord[] =>
  Array.from({ length: HISTORY_RECORDS }, (_, i) => ({
    key: `contact:${n * 100 + i}`,
    kind: 'contact',
    sellsyId: n * 100 + i,
    name: `Contact ${n} ${i}`,
    phones: [`+3312345670${n}`],
    rawPhones: [],
    updated: '2026-01-01T00:00:00Z',
  }));

function slowSellsy() {
  const asked: string[] = [];
  const waiting: Array<() => void> = [];
  const history = createCallHistory({
    calls: { recentWith: async () => [] },
    cache: { findByNumber: async (e164) => records(Number(e164.slice(-1))) },
    links: async () => ({ appUrl: 'https://www.sellsy.com', paths: { ...DEFAULT_RECORD_PATHS } }),
    staffId: async () => 4242,
    latestPhoneCalls: (record: RelatedRecord) => {
      asked.push(`${record.type}:${record.id}`);
      return new Promise<{ calls: TeamPhoneCall[]; skipped: number }>((resolve) => waiting.push(() => resolve({ calls: [], skipped: 0 })));
    },
  });
  const releaseAll = async () => {
    while (waiting.length > 0) {
      for (const release of waiting.splice(0)) release();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  return { history, asked, releaseAll };
}

describe('review: the history’s share of Sellsy’s rate is bounded', () => {
  it('ten numbers shown one after another while Sellsy is slow: the first’s and the last’s records are asked, not fifty', async () => {
    const { history, asked, releaseAll } = slowSellsy();
    const shown: Array<Promise<unknown>> = [];
    for (let n = 0; n < 10; n++) {
      shown.push(history.forNumber(`+3312345670${n}`));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    // Never more in Sellsy's queue than one second of its rate.
    expect(asked.length).toBeLessThanOrEqual(TEAM_CALLS_IN_FLIGHT);
    await releaseAll();
    const answers = (await Promise.all(shown)) as Array<{ team: string }>;
    expect(asked).toHaveLength(2 * HISTORY_RECORDS);
    expect(asked.slice(-HISTORY_RECORDS)).toEqual(records(9).map((record) => record.key));
    // The number still shown has the team's calls; the ones left meanwhile were not asked.
    expect(answers.at(-1)?.team).toBe('ok');
    expect(answers.slice(1, -1).every((answer) => answer.team === 'unavailable')).toBe(true);
  });

  it('a number left before its turn, shown again, is asked then (nothing was kept for it)', async () => {
    const { history, asked, releaseAll } = slowSellsy();
    const first = history.forNumber('+33123456700');
    await new Promise((resolve) => setTimeout(resolve, 0));
    const left = history.forNumber('+33123456701');
    await new Promise((resolve) => setTimeout(resolve, 0));
    const last = history.forNumber('+33123456702');
    await releaseAll();
    await Promise.all([first, left, last]);
    const leftKeys = records(1).map((record) => record.key);
    expect(asked.filter((key) => leftKeys.includes(key))).toEqual([]);
    const again = history.forNumber('+33123456701');
    await new Promise((resolve) => setTimeout(resolve, 0));
    await releaseAll();
    expect(await again).toMatchObject({ team: 'ok' });
    expect(asked.filter((key) => leftKeys.includes(key))).toEqual(leftKeys);
  });

  it('two panels showing a number each, with room in the queue, both get the team’s calls', async () => {
    const { history, releaseAll } = slowSellsy();
    const one = history.forNumber('+33123456701');
    const two = history.forNumber('+33123456702');
    await new Promise((resolve) => setTimeout(resolve, 0));
    await releaseAll();
    // Ten records at once: the second panel's wait for the first's, they are not dropped.
    expect((await one).team).toBe('ok');
    expect((await two).team).toBe('ok');
  });
});
