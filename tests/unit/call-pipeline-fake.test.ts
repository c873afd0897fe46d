// @vitest-environment node
/**
 * The pipeline's decisions against a small in-memory Sellsy (tests/support/fake-sellsy-for-calls):
 * fast, and each rule of exactly-once in isolation. The same rules run against the local
 * servers in call-pipeline*.test.ts and the fault test.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CachedRecord } from '@/lib/cache/schema';
import type { CallRecord } from '@/lib/calls/call-record';
import { CallStore } from '@/lib/calls/call-store';
import { hasOwnBlock } from '@/lib/calls/description-block';
import { CallPipeline, SEARCH_SETTLE_MS } from '@/lib/calls/pipeline';
import { describeCall } from '@/lib/calls/phone-call-mapping';
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

function call(alloId: string): CallRecord {
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
  };
}

const copiesOf = (alloId: string) => [...sellsy.phoneCalls.values()].filter((p) => hasOwnBlock(p.description, alloId));

beforeEach(() => {
  now = Date.parse('2026-11-28T10:00:00Z');
  sellsy = new FakeSellsyForCalls();
  const database = openCacheDb(`pipeline-fake-${++db}`);
  calls = new CallStore(database);
  cache = new RecordCache(database);
  pipeline = new CallPipeline({ calls, cache, sellsy, ownerId: async () => 42, settings: async () => ({ createLeads: false }), now: () => now });
});

async function settle(): Promise<void> {
  await pipeline.run();
  now += SEARCH_SETTLE_MS;
  await pipeline.run();
}

describe('the pipeline against a fake Sellsy', () => {
  it('posts one Phone Call per record, then settles it as done', async () => {
    await cache.put(record('contact', 1));
    await calls.addIfNew(call('cll-a'));
    await pipeline.run();
    expect(await calls.get('cll-a')).toMatchObject({ state: 'synced', targets: [{ state: 'posted' }] });
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    expect(await calls.get('cll-a')).toMatchObject({ state: 'synced', targets: [{ state: 'done', sellsyPhoneCallId: copiesOf('cll-a')[0]!.id }] });
    expect(copiesOf('cll-a').map((p) => p.ownerId)).toEqual([42]);
  });

  it('keeps the widest copy and deletes an untouched narrower one another browser wrote', async () => {
    await cache.put(record('company', 7));
    const first = call('cll-b');
    // Another browser, which knew the contact too, logged [contact, company].
    sellsy.addRecord('contact', 3);
    const wide = sellsy.seed(
      [
        { type: 'contact', id: 3 },
        { type: 'company', id: 7 },
      ],
      describeCall(first),
    );
    await calls.addIfNew(first);
    await settle();
    expect(copiesOf('cll-b').map((p) => p.id)).toEqual([wide.id]);
    expect(await calls.get('cll-b')).toMatchObject({ targets: [{ state: 'done', sellsyPhoneCallId: wide.id }] });
  });

  it('never deletes a copy a person edited, even a redundant one', async () => {
    await cache.put(record('contact', 4));
    const logged = call('cll-c');
    const edited = sellsy.seed([{ type: 'contact', id: 4 }], `Rappeler lundi.\n${describeCall(logged)}`);
    const untouched = sellsy.seed([{ type: 'contact', id: 4 }], describeCall(logged));
    await calls.addIfNew(logged);
    await settle();
    // The edited copy is the oldest: ours and the untouched one were redundant with it and went.
    expect(copiesOf('cll-c').map((p) => p.id)).toContain(edited.id);
    expect(copiesOf('cll-c').map((p) => p.id)).not.toContain(untouched.id);
    expect(sellsy.phoneCalls.get(edited.id)?.description).toContain('Rappeler lundi.');
  });

  it('logs the call when Sellsy refuses to delete a redundant copy', async () => {
    await cache.put(record('contact', 5));
    const logged = call('cll-d');
    sellsy.seed([{ type: 'contact', id: 5 }], describeCall(logged));
    sellsy.deleteForbidden = true;
    await calls.addIfNew(logged);
    await settle();
    expect(await calls.get('cll-d')).toMatchObject({ state: 'synced', targets: [{ state: 'done' }] });
  });

  it('logs on the contact alone when only its company is gone', async () => {
    await cache.put(record('contact', 6));
    await cache.put(record('company', 8));
    await cache.writePage(
      { kind: 'company', put: [], remove: [], companies: [{ companyId: 8, links: [{ contactId: 6, companyId: 8, companyName: 'Partie SA' }] }] },
      () => undefined,
    );
    sellsy.records.delete('company:8');
    await calls.addIfNew(call('cll-e'));
    await pipeline.run();
    expect(copiesOf('cll-e').map((p) => p.related)).toEqual([[{ type: 'contact', id: 6 }]]);
    expect((await cache.findByNumber(NUMBER)).map((r) => r.key)).toEqual(['contact:6']);
  });

  describe('next to Allo’s own Sellsy integration', () => {
    /** The integration's log: `link` adds the recording link that names the call (proof it is that call's). */
    const integration = (
      alloCall: CallRecord,
      id: number,
      shift: { s?: number; duration?: number; link?: boolean; ownerId?: number; related?: Array<{ type: 'contact' | 'company'; id: number }> } = {},
    ) =>
      sellsy.seed(
        shift.related ?? [{ type: 'contact', id }],
        `Appel sortant (Allo) — Devis demandé.${shift.link ? `\nhttps://storage.withallo.com/recordings/${alloCall.alloId}.mp3` : ''}`,
        {
          date: new Date(Date.parse(alloCall.date) + (shift.s ?? 0) * 1000).toISOString(),
          source: 'outcoming',
          duration: shift.duration ?? alloCall.durationS ?? 0,
          ownerId: shift.ownerId ?? 42,
        },
      );

    it('adopts the Phone Call the integration wrote and posts nothing', async () => {
      await cache.put(record('contact', 1));
      const c = call('cll-i1');
      const theirs = integration(c, 1, { s: 59, duration: 62 });
      await calls.addIfNew(c);
      await settle();
      expect(await calls.get('cll-i1')).toMatchObject({ state: 'synced', targets: [{ state: 'adopted', sellsyPhoneCallId: theirs.id }] });
      expect(sellsy.phoneCalls.size).toBe(1);
      expect(copiesOf('cll-i1')).toEqual([]);
    });

    it('posts its own when the integration’s is 61 s off, 3 s longer, or carries our block', async () => {
      await cache.put(record('contact', 1));
      const a = call('cll-i2');
      integration(a, 1, { s: 61 });
      const b = { ...call('cll-i3'), date: new Date(now - 7200_000).toISOString() };
      integration(b, 1, { duration: 63 });
      await calls.addIfNew(a);
      await calls.addIfNew(b);
      await settle();
      expect(copiesOf('cll-i2')).toHaveLength(1);
      expect(copiesOf('cll-i3')).toHaveLength(1);
      expect((await calls.get('cll-i2'))?.targets[0]?.state).toBe('done');
    });

    it('never writes a late summary into the adopted Phone Call', async () => {
      await cache.put(record('contact', 1));
      const c = { ...call('cll-i4'), summary: null };
      const theirs = integration(c, 1);
      await calls.addIfNew(c);
      now += 20 * 60_000;
      await settle();
      await calls.update('cll-i4', (stored) => ({ ...stored, summary: 'Résumé tardif.' }));
      await settle();
      expect(sellsy.phoneCalls.get(theirs.id)?.description).toBe(theirs.description);
      expect(sellsy.phoneCalls.size).toBe(1);
    });

    it('two browsers adopt the same one and neither posts', async () => {
      await cache.put(record('contact', 1));
      const c = call('cll-i5');
      const theirs = integration(c, 1);
      const other = openCacheDb(`pipeline-fake-${++db}`);
      const otherCalls = new CallStore(other);
      const otherCache = new RecordCache(other);
      await otherCache.put(record('contact', 1));
      const second = new CallPipeline({
        calls: otherCalls,
        cache: otherCache,
        sellsy,
        ownerId: async () => 42,
        settings: async () => ({ createLeads: false }),
        now: () => now,
      });
      await calls.addIfNew(c);
      await otherCalls.addIfNew(c);
      await Promise.all([pipeline.run(), second.run()]);
      for (const store of [calls, otherCalls])
        expect((await store.get('cll-i5'))?.targets[0]).toMatchObject({ state: 'adopted', sellsyPhoneCallId: theirs.id });
      expect(sellsy.phoneCalls.size).toBe(1);
    });

    it('when the integration’s log naming the call appears after we posted, settles on theirs: our untouched copy goes, theirs is left alone', async () => {
      await cache.put(record('contact', 1));
      const c = call('cll-i6');
      await calls.addIfNew(c);
      await pipeline.run();
      expect(copiesOf('cll-i6')).toHaveLength(1);
      const theirs = integration(c, 1, { link: true });
      now += SEARCH_SETTLE_MS;
      await pipeline.run();
      expect((await calls.get('cll-i6'))?.targets[0]).toMatchObject({ state: 'adopted', sellsyPhoneCallId: theirs.id });
      expect(sellsy.phoneCalls.get(theirs.id)?.description).toBe(theirs.description);
      expect(sellsy.phoneCalls.size).toBe(1);
    });

    it('keeps our copy when a person wrote in it before the integration’s appeared', async () => {
      await cache.put(record('contact', 1));
      const c = call('cll-i8');
      await calls.addIfNew(c);
      await pipeline.run();
      const ours = copiesOf('cll-i8')[0]!;
      sellsy.phoneCalls.set(ours.id, { ...ours, description: `Rappeler lundi.\n${ours.description}` });
      integration(c, 1);
      now += SEARCH_SETTLE_MS;
      await pipeline.run();
      expect((await calls.get('cll-i8'))?.targets[0]).toMatchObject({ state: 'done', sellsyPhoneCallId: ours.id });
      expect(sellsy.phoneCalls.size).toBe(2);
    });

    it('adopts on one record and posts on another the integration left out', async () => {
      await cache.put(record('contact', 1));
      await cache.put(record('contact', 2));
      const c = call('cll-i7');
      const theirs = integration(c, 1);
      await calls.addIfNew(c);
      await settle();
      const stored = await calls.get('cll-i7');
      expect(stored?.targets.map((t) => [t.sellsyId, t.state])).toEqual([
        [1, 'adopted'],
        [2, 'done'],
      ]);
      expect(stored?.targets[0]?.sellsyPhoneCallId).toBe(theirs.id);
      expect(copiesOf('cll-i7').map((p) => p.related)).toEqual([[{ type: 'contact', id: 2 }]]);
    });

    it('says the integration logs the user’s calls only on proof: a log naming the call, not a guess', async () => {
      const seen: string[] = [];
      const watched = new CallPipeline({
        calls,
        cache,
        sellsy,
        ownerId: async () => 42,
        settings: async () => ({ createLeads: false }),
        onIntegrationLog: async () => void seen.push('seen'),
        now: () => now,
      });
      await cache.put(record('contact', 1));
      const guessed = call('cll-s1');
      integration(guessed, 1);
      await calls.addIfNew(guessed);
      await watched.run();
      expect(seen).toEqual([]);
      const named = { ...call('cll-s2'), date: new Date(now - 7200_000).toISOString() };
      integration(named, 1, { link: true });
      await calls.addIfNew(named);
      await watched.run();
      expect(seen).toEqual(['seen']);
    });

    it('a guess that appears after we posted never deletes ours', async () => {
      await cache.put(record('contact', 1));
      const c = call('cll-g1');
      await calls.addIfNew(c);
      await pipeline.run();
      const ours = copiesOf('cll-g1')[0]!;
      integration(c, 1);
      now += SEARCH_SETTLE_MS;
      await pipeline.run();
      expect(sellsy.phoneCalls.has(ours.id)).toBe(true);
      expect((await calls.get('cll-g1'))?.targets[0]).toMatchObject({ state: 'done', sellsyPhoneCallId: ours.id });
    });

    // The review's four adoption defects (issue "Exactly once…", 1–4).
    it('a missed call and its redial 30 s later do not share the integration’s one log: the redial posts its own', async () => {
      await cache.put(record('contact', 1));
      const missed = { ...call('cll-r1'), durationS: 0, result: null, summary: null };
      const redial = { ...call('cll-r2'), durationS: 0, result: null, summary: null, date: new Date(Date.parse(missed.date) + 30_000).toISOString() };
      const theirs = integration(missed, 1);
      await calls.addIfNew(missed);
      await calls.addIfNew(redial);
      await settle();
      expect((await calls.get('cll-r1'))?.targets[0]).toMatchObject({ state: 'adopted', sellsyPhoneCallId: theirs.id });
      expect((await calls.get('cll-r2'))?.targets[0]).toMatchObject({ state: 'done' });
      expect(copiesOf('cll-r2')).toHaveLength(1);
    });

    it('the integration’s log of the first call showing up late does not delete the redial’s only Phone Call', async () => {
      await cache.put(record('contact', 1));
      const missed = { ...call('cll-r3'), durationS: 0, result: null, summary: null };
      const redial = { ...call('cll-r4'), durationS: 0, result: null, summary: null, date: new Date(Date.parse(missed.date) + 30_000).toISOString() };
      await calls.addIfNew(redial);
      await pipeline.run();
      const ours = copiesOf('cll-r4')[0]!;
      integration(missed, 1);
      await calls.addIfNew(missed);
      now += SEARCH_SETTLE_MS;
      await pipeline.run();
      now += SEARCH_SETTLE_MS;
      await pipeline.run();
      expect(sellsy.phoneCalls.has(ours.id)).toBe(true);
      expect((await calls.get('cll-r4'))?.targets[0]).toMatchObject({ state: 'done', sellsyPhoneCallId: ours.id });
    });

    it('a colleague’s call logged by the integration under the colleague is not adopted as ours', async () => {
      await cache.put(record('contact', 1));
      const c = call('cll-col');
      const theirs = integration(c, 1, { ownerId: 77 });
      await calls.addIfNew(c);
      await settle();
      expect((await calls.get('cll-col'))?.targets[0]).toMatchObject({ state: 'done' });
      expect(copiesOf('cll-col')).toHaveLength(1);
      expect(sellsy.phoneCalls.get(theirs.id)?.description).toBe(theirs.description);
    });

    it('adopting the integration’s log of the contact still logs the call on the company folded into it', async () => {
      await cache.put(record('contact', 6));
      await cache.put(record('company', 8));
      await cache.writePage(
        { kind: 'company', put: [], remove: [], companies: [{ companyId: 8, links: [{ contactId: 6, companyId: 8, companyName: 'Partie SA' }] }] },
        () => undefined,
      );
      const c = call('cll-fold');
      const theirs = integration(c, 6);
      await calls.addIfNew(c);
      await settle();
      const stored = await calls.get('cll-fold');
      expect(stored?.targets.find((t) => t.state === 'adopted')?.sellsyPhoneCallId).toBe(theirs.id);
      expect(copiesOf('cll-fold').map((p) => p.related)).toEqual([[{ type: 'company', id: 8 }]]);
      expect(stored?.state).toBe('synced');
    });

    it('a late log naming the call, on the contact only, narrows our [contact, company] copy to the company', async () => {
      await cache.put(record('contact', 6));
      await cache.put(record('company', 8));
      await cache.writePage(
        { kind: 'company', put: [], remove: [], companies: [{ companyId: 8, links: [{ contactId: 6, companyId: 8, companyName: 'Partie SA' }] }] },
        () => undefined,
      );
      const c = call('cll-narrow');
      await calls.addIfNew(c);
      await pipeline.run();
      const ours = copiesOf('cll-narrow')[0]!;
      expect(ours.related).toHaveLength(2);
      const theirs = integration(c, 6, { link: true });
      now += SEARCH_SETTLE_MS;
      await pipeline.run();
      expect(sellsy.phoneCalls.get(ours.id)?.related).toEqual([{ type: 'company', id: 8 }]);
      expect(sellsy.phoneCalls.get(theirs.id)?.related).toEqual([{ type: 'contact', id: 6 }]);
    });
  });

  it('a deleted record sharing the number does not stop the call for the live one', async () => {
    await cache.put(record('contact', 2));
    await cache.put(record('contact', 9));
    sellsy.records.delete('contact:2');
    const c = call('cll-del');
    await calls.addIfNew(c);
    await settle();
    const stored = await calls.get('cll-del');
    expect(copiesOf('cll-del').map((p) => p.related)).toEqual([[{ type: 'contact', id: 9 }]]);
    expect(stored?.state).toBe('synced');
    expect(stored?.targets.map((t) => [t.sellsyId, t.state])).toEqual([
      [2, 'gone'],
      [9, 'done'],
    ]);
  });
});
