import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { storage } from '#imports';
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
