import { DEFAULT_RECORD_PATHS } from '@/lib/sellsy/record-url';
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from '#imports';
import { readCallList } from '@/lib/background/call-list';
import { openCacheDb } from '@/lib/cache/open';
import type { CallRecord } from '@/lib/calls/call-record';
import { CallStore } from '@/lib/calls/call-store';
import { callsAccount, followSellsyAccount } from '@/lib/calls/calls-account';
import { alloUserChoice } from '@/lib/calls/whose-calls';

const pollState = storage.defineItem<{ watermark: number } | null>('local:callPoll', { fallback: null });

describe('followSellsyAccount', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps whose calls and the poll position for the same account, and forgets them for another', async () => {
    await alloUserChoice.setValue({ id: 'usr-1', name: 'Camille', how: 'email' });
    await pollState.setValue({ watermark: 1 });
    // The first account seen (an existing install): nothing is forgotten.
    expect(await followSellsyAccount('4242', [alloUserChoice, pollState])).toBe(true);
    expect(await alloUserChoice.getValue()).not.toBeNull();
    expect(await followSellsyAccount('4242', [alloUserChoice, pollState])).toBe(false);
    expect(await pollState.getValue()).toEqual({ watermark: 1 });

    expect(await followSellsyAccount('5150', [alloUserChoice, pollState])).toBe(true);
    expect(await alloUserChoice.getValue()).toBeNull();
    expect(await pollState.getValue()).toBeNull();
    expect(await callsAccount.getValue()).toBe('5150');
  });
});

describe('the popup list after an account switch', () => {
  beforeEach(() => fakeBrowser.reset());

  it('marks calls found under the previous account, which stay in the history', async () => {
    const calls = new CallStore(openCacheDb('calls-account-list'));
    const call = (alloId: string, account: string): CallRecord => ({
      alloId,
      account,
      direction: 'INBOUND',
      alloNumber: '+33159000000',
      counterpart: '+33612345678',
      date: `2026-11-28T09:0${alloId.at(-1)}:00Z`,
      durationS: 30,
      result: 'ANSWERED',
      summary: null,
      recordingUrl: null,
      userId: 'usr-1',
      state: 'synced',
      attempts: 0,
      nextAttemptAt: 0,
      firstSeenAt: 0,
      targets: [],
    });
    await calls.put(call('cll-1', '4242'));
    await calls.put(call('cll-2', '5150'));
    await followSellsyAccount('5150', []);
    const list = await readCallList(calls, { appUrl: 'https://www.sellsy.com', paths: DEFAULT_RECORD_PATHS }, 10);
    expect(list.calls.map((c) => [c.alloId, c.otherAccount ?? false])).toEqual([
      ['cll-2', false],
      ['cll-1', true],
    ]);
  });
});
