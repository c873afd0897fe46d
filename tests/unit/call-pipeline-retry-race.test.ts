// @vitest-environment node
/**
 * Retry pressed while a pass is working on that very call: the pass's saves must not write the
 * call back as it was before the press. What the user asked for (try again now, match the number
 * again) is kept and done by the pass that follows.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CachedRecord } from '@/lib/cache/schema';
import type { CallRecord } from '@/lib/calls/call-record';
import { CallStore } from '@/lib/calls/call-store';
import { hasOwnBlock } from '@/lib/calls/description-block';
import { CallPipeline } from '@/lib/calls/pipeline';
import { SellsyError } from '@/lib/sellsy/errors';
import type { PhoneCall, PhoneCallCreate } from '@/lib/sellsy/phone-calls';
import { FakeSellsyForCalls } from '../support/fake-sellsy-for-calls';

const NUMBER = '+33144556600';
let db = 0;
let now: number;
let sellsy: FakeSellsyForCalls;
let calls: CallStore;
let cache: RecordCache;
let pipeline: CallPipeline;

function record(kind: CachedRecord['kind'], sellsyId: number): CachedRecord {
  sellsy.addRecord(kind, sellsyId);
  return { key: `${kind}:${sellsyId}`, kind, sellsyId, name: `${kind} ${sellsyId}`, phones: [NUMBER], rawPhones: [], updated: '' };
}

function call(alloId: string, change: Partial<CallRecord> = {}): CallRecord {
  return {
    alloId,
    direction: 'OUTBOUND',
    alloNumber: '+33159000000',
    counterpart: NUMBER,
    date: new Date(now - 3600_000).toISOString(),
    durationS: 60,
    result: 'ANSWERED',
    summary: 'Devis demandé.',
    recordingUrl: null,
    userId: 'usr-1',
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    firstSeenAt: now,
    targets: [],
    ...change,
  };
}

const copiesOf = (alloId: string) => [...sellsy.phoneCalls.values()].filter((p) => hasOwnBlock(p.description, alloId));

/** Presses Retry on `alloId` while the first POST is under way; returns the press's promise. */
function retryDuringFirstPost(alloId: string, outcome: 'fails' | 'succeeds', beforePress?: () => Promise<void>): () => Promise<void> | undefined {
  const post = sellsy.createPhoneCall.bind(sellsy);
  let pressed: Promise<void> | undefined;
  sellsy.createPhoneCall = async (body: PhoneCallCreate): Promise<PhoneCall | null> => {
    if (!pressed) {
      await beforePress?.();
      pressed = pipeline.retry(alloId);
      // Let the press write before the POST answers.
      await new Promise((resolve) => setTimeout(resolve, 20));
      // A 429 is a refusal: nothing was stored, and the call waits for its backoff.
      if (outcome === 'fails') throw new SellsyError('rate-limited', 'Sellsy answered 429.', 429);
    }
    return post(body);
  };
  return () => pressed;
}

beforeEach(() => {
  now = Date.parse('2026-11-28T10:00:00Z');
  sellsy = new FakeSellsyForCalls();
  const database = openCacheDb(`pipeline-retry-race-${++db}`);
  calls = new CallStore(database);
  cache = new RecordCache(database);
  pipeline = new CallPipeline({ calls, cache, sellsy, ownerId: async () => 42, settings: async () => ({ createLeads: false }), now: () => now });
});

describe('Retry pressed during a pass on the same call', () => {
  it('is not undone by the failure the pass saves: the call is tried again at once', async () => {
    await cache.put(record('contact', 1));
    await calls.addIfNew(call('cll-a', { waitingFor: 'retry', attempts: 3, error: { code: 'rate-limited', message: 'Sellsy answered 429.' } }));
    const pressed = retryDuringFirstPost('cll-a', 'fails');
    await pipeline.run();
    await pressed();
    // Without the press the call would wait for its backoff; with it, the next pass posted it.
    expect(await calls.get('cll-a')).toMatchObject({ state: 'synced', targets: [{ state: 'posted' }] });
    expect(copiesOf('cll-a')).toHaveLength(1);
  });

  it('matches the number again after the pass that was under way, and logs no record twice', async () => {
    await cache.put(record('contact', 1));
    await calls.addIfNew(call('cll-b'));
    // The user added the number to a second record, then pressed Retry.
    const pressed = retryDuringFirstPost('cll-b', 'succeeds', async () => void (await cache.put(record('individual', 7))));
    await pipeline.run();
    await pressed();
    const stored = await calls.get('cll-b');
    expect(stored?.state).toBe('synced');
    expect(stored?.targets.map((t) => t.key).sort()).toEqual(['contact:1', 'individual:7']);
    expect(copiesOf('cll-b')).toHaveLength(2);
  });
});
