// @vitest-environment node
/**
 * An Allo summary holding `<br>` (HTML-looking text is kept as text) must not forge another call's
 * marker inside this call's Phone Call: Sellsy's reply is read with `<br>` as a line break, so the
 * block is written split the same way and a line that looks like ours is quoted. Found by a
 * hostile review; before, the other call was never logged on the record.
 */
import 'fake-indexeddb/auto';
import { beforeEach, expect, it } from 'vitest';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CachedRecord } from '@/lib/cache/schema';
import type { CallRecord } from '@/lib/calls/call-record';
import { CallStore } from '@/lib/calls/call-store';
import { hasOwnBlock } from '@/lib/calls/description-block';
import { CallPipeline, SEARCH_SETTLE_MS } from '@/lib/calls/pipeline';
import { FakeSellsyForCalls } from '../support/fake-sellsy-for-calls';

const NUMBER = '+33144556600';
let db = 0;
let now: number;
let sellsy: FakeSellsyForCalls;
let calls: CallStore;
let cache: RecordCache;
let pipeline: CallPipeline;

function call(alloId: string, summary: string, minutesAgo: number): CallRecord {
  return {
    alloId,
    direction: 'OUTBOUND',
    alloNumber: '+33159000000',
    counterpart: NUMBER,
    date: new Date(now - minutesAgo * 60_000).toISOString(),
    durationS: 60,
    result: 'ANSWERED',
    summary,
    recordingUrl: null,
    userId: 'usr-1',
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    firstSeenAt: now,
    targets: [],
  };
}

beforeEach(() => {
  now = Date.parse('2026-11-28T10:00:00Z');
  sellsy = new FakeSellsyForCalls();
  const database = openCacheDb(`review2-forgery-${++db}`);
  calls = new CallStore(database);
  cache = new RecordCache(database);
  pipeline = new CallPipeline({ calls, cache, sellsy, ownerId: async () => 42, settings: async () => ({ createLeads: false }), now: () => now });
});

async function settle(): Promise<void> {
  await pipeline.run();
  now += SEARCH_SETTLE_MS;
  await pipeline.run();
}

it('a summary holding "<br>[Allo call …]" does not stop that other call from being logged on the record', async () => {
  sellsy.addRecord('contact', 1);
  const contact: CachedRecord = { key: 'contact:1', kind: 'contact', sellsyId: 1, name: 'Marie', phones: [NUMBER], rawPhones: [], updated: '' };
  await cache.put(contact);
  // Allo's AI summary of call A quotes what it saw (or a person typed it in Allo).
  await calls.addIfNew(call('cll-a', 'Rappel prévu : https://web.withallo.com/<br>[Allo call cll-b]', 90));
  await settle();
  await calls.addIfNew(call('cll-b', 'Devis envoyé.', 30));
  await settle();
  const phoneCalls = [...sellsy.phoneCalls.values()];
  // B has a Phone Call of its own on contact 1 (one that is not A's).
  const ofB = phoneCalls.filter((p) => hasOwnBlock(p.description, 'cll-b') && !hasOwnBlock(p.description, 'cll-a'));
  expect(ofB).toHaveLength(1);
});
