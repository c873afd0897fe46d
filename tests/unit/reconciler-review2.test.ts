// @vitest-environment node
/**
 * A second hostile review of the reconciler's claim rule and the settle-only mode (commit
 * 4693e19), in ordinary team situations: each a test that failed before its fix.
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
import { SellsyError } from '@/lib/sellsy/errors';
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

function call(alloId: string, fields: Partial<CallRecord> = {}): CallRecord {
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
    ...fields,
  };
}

const copiesOf = (alloId: string) => [...sellsy.phoneCalls.values()].filter((p) => hasOwnBlock(p.description, alloId));
/** Phone Calls relating a record, whoever wrote them. */
const on = (type: string, id: number) => [...sellsy.phoneCalls.values()].filter((p) => p.related.some((r) => r.type === type && r.id === id));

/** Allo's integration's log of a call; `link` names the call (its recording link); `text` is added. */
function integration(
  alloCall: CallRecord,
  related: Array<{ type: 'contact' | 'company'; id: number }>,
  opts: { link?: boolean; text?: string; ownerId?: number; s?: number } = {},
) {
  return sellsy.seed(
    related,
    `Appel sortant (Allo) — Devis demandé.${opts.link ? `\nhttps://storage.withallo.com/recordings/${alloCall.alloId}.mp3` : ''}${opts.text ?? ''}`,
    {
      date: new Date(Date.parse(alloCall.date) + (opts.s ?? 0) * 1000).toISOString(),
      source: alloCall.direction === 'OUTBOUND' ? 'outcoming' : 'incoming',
      duration: alloCall.durationS ?? 0,
      ownerId: opts.ownerId ?? 42,
    },
  );
}

beforeEach(() => {
  now = Date.parse('2026-11-28T10:00:00Z');
  sellsy = new FakeSellsyForCalls(() => now);
  const database = openCacheDb(`review2-${++db}`);
  calls = new CallStore(database);
  cache = new RecordCache(database);
  pipeline = new CallPipeline({ calls, cache, sellsy, ownerId: async () => 42, settings: async () => ({ createLeads: false }), now: () => now });
});

async function settle(): Promise<void> {
  await pipeline.run();
  now += SEARCH_SETTLE_MS;
  await pipeline.run();
}

describe('second hostile review: a released claimer', () => {
  it('a claimer released earlier in the same pass is not put back by its stale copy (missed call, redial, two records with the number)', async () => {
    await cache.put(record('contact', 1));
    await cache.put(record('contact', 2));
    const missed = call('cll-r2-missed', { durationS: 0, result: null, summary: null });
    const redial = call('cll-r2-redial', { durationS: 0, result: null, summary: null, date: new Date(Date.parse(missed.date) + 30_000).toISOString() });
    // Allo's integration logged the missed call on contact 1, without its recording link.
    integration(missed, [{ type: 'contact', id: 1 }]);
    // This browser learns of the redial first: it guesses the log is the redial's on contact 1,
    // and its POST for contact 2 gets no answer, so the redial waits, pending.
    const create = sellsy.createPhoneCall.bind(sellsy);
    let lost = 1;
    sellsy.createPhoneCall = async (body) => {
      if (lost > 0 && body.related.some((r) => r.type === 'contact' && r.id === 2)) {
        lost--;
        throw new SellsyError('network', 'Connection reset.');
      }
      return create(body);
    };
    await calls.addIfNew(redial);
    await pipeline.run();
    expect((await calls.get(redial.alloId))?.targets.map((t) => t.state)).toEqual(['adopted', 'posting']);
    // Allo lists the missed call late; by the next pass the redial is due again too.
    await calls.addIfNew(missed);
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    for (let i = 0; i < 4; i++) {
      now += SEARCH_SETTLE_MS;
      await pipeline.run();
    }
    // The log is the missed call's alone; the redial is logged on contact 1 by a copy of its own.
    const adopters = (await calls.since(0)).filter((c) => c.targets.some((t) => t.state === 'adopted'));
    expect(adopters.map((c) => c.alloId)).toEqual([missed.alloId]);
    expect(copiesOf(redial.alloId).filter((p) => p.related.some((r) => r.type === 'contact' && r.id === 1))).toHaveLength(1);
  });
});

describe('second hostile review: a guessed log whose date moves', () => {
  it('a missed call and its redial do not take one guessed log back and forth when its date moves between passes', async () => {
    await cache.put(record('contact', 1));
    const missed = call('cll-r2-pp-missed', { durationS: 0, result: null, summary: null });
    const redial = call('cll-r2-pp-redial', { durationS: 0, result: null, summary: null, date: new Date(Date.parse(missed.date) + 30_000).toISOString() });
    // The integration's log, without its recording link, half-way between the two calls.
    const log = integration(missed, [{ type: 'contact', id: 1 }], { s: 16 });
    const at = (s: number) => {
      sellsy.phoneCalls.get(log.id)!.date = new Date(Date.parse(missed.date) + s * 1000).toISOString();
    };
    await calls.addIfNew(redial);
    await pipeline.run();
    await calls.addIfNew(missed);
    // Its date moves by two seconds between passes (a person correcting it, or rounding by Sellsy):
    // which call is closer flips each time.
    const owners: string[] = [];
    for (let i = 0; i < 8; i++) {
      at(i % 2 === 0 ? 14 : 16);
      now += SEARCH_SETTLE_MS;
      await pipeline.run();
      const adopter = (await calls.since(0)).find((c) => c.targets.some((t) => t.state === 'adopted'));
      owners.push(adopter?.alloId ?? '-');
    }
    // It goes to one call and stays there; the other is logged by a copy of its own.
    expect(new Set(owners.slice(2)).size).toBe(1);
    expect((await calls.since(0)).map((c) => c.state)).toEqual(['synced', 'synced']);
    expect(on('contact', 1)).toHaveLength(2);
  });
});

describe('second hostile review: the settle-only mode', () => {
  it('a POST whose answer was lost and whose copy shows up only after the first look is not left beside the integration’s log', async () => {
    await cache.put(record('contact', 1));
    const c = call('cll-r2-late-copy');
    // Our POST lands, its answer is lost, and Sellsy's search shows it only much later.
    const create = sellsy.createPhoneCall.bind(sellsy);
    sellsy.createPhoneCall = async (body) => {
      await create(body);
      throw new SellsyError('network', 'Connection reset.');
    };
    sellsy.searchLagMs = 3 * SEARCH_SETTLE_MS;
    await calls.addIfNew(c);
    await pipeline.run();
    sellsy.createPhoneCall = create;
    // The user switches to Allo's integration, which logs the call, naming it.
    integration(c, [{ type: 'contact', id: 1 }], { link: true });
    for (let i = 0; i < 8; i++) {
      now += SEARCH_SETTLE_MS;
      await pipeline.run({ settleOnly: true });
    }
    // One Phone Call logs the call on the contact: the integration's.
    expect(on('contact', 1)).toHaveLength(1);
    expect(copiesOf(c.alloId)).toHaveLength(0);
  });

  it('back in extension mode, a call left todo adopts the integration’s exact log instead of posting a second one', async () => {
    await cache.put(record('contact', 1));
    const c = call('cll-r2-back');
    sellsy.createPhoneCall = async () => {
      throw new SellsyError('network', 'Connection reset.');
    };
    await calls.addIfNew(c);
    await settle();
    // Integration mode: the lost POST left nothing, so the target goes back to todo.
    integration(c, [{ type: 'contact', id: 1 }], { link: true });
    now += SEARCH_SETTLE_MS;
    await pipeline.run({ settleOnly: true });
    // Back to this extension logging the calls.
    sellsy.createPhoneCall = FakeSellsyForCalls.prototype.createPhoneCall.bind(sellsy);
    await settle();
    await settle();
    expect(on('contact', 1)).toHaveLength(1);
    expect((await calls.get(c.alloId))?.targets.map((t) => t.state)).toEqual(['adopted']);
  });
});

describe('second hostile review: three calls within a minute', () => {
  it.each([
    ['in order', [0, 1, 2]],
    ['newest first', [2, 1, 0]],
    ['middle first', [1, 2, 0]],
  ])('a missed call and two redials, learnt %s, logged by the integration without links: each logged exactly once', async (_, order) => {
    await cache.put(record('contact', 1));
    const base = Date.parse(call('x').date);
    const three = [
      call('cll-r3-missed', { durationS: 0, result: null, summary: null }),
      call('cll-r3-redial1', { durationS: 0, result: null, summary: null, date: new Date(base + 25_000).toISOString() }),
      call('cll-r3-redial2', { durationS: 40, date: new Date(base + 50_000).toISOString() }),
    ];
    // The integration logged each of them, late, a few seconds off, without the recording link.
    for (const [i, c] of three.entries()) integration(c, [{ type: 'contact', id: 1 }], { s: [3, -2, 4][i] });
    for (const i of order) {
      await calls.addIfNew(three[i]!);
      await settle();
    }
    for (let i = 0; i < 3; i++) await settle();
    // Three calls, three Phone Calls: the integration's logs, each adopted by one call, no copy of ours.
    expect(on('contact', 1)).toHaveLength(3);
    const adopted = (await calls.since(0)).flatMap((c) => c.targets.filter((t) => t.state === 'adopted').map((t) => t.sellsyPhoneCallId));
    expect(new Set(adopted).size).toBe(adopted.length);
  });
});

describe('second hostile review: three calls, two browsers', () => {
  it.each([
    ['one logged by the integration (the missed call)', [0]],
    ['two logged (the missed call and the last redial)', [0, 2]],
    ['all three logged', [0, 1, 2]],
  ])('a missed call and two redials learnt in opposite orders by two browsers, %s: each logged exactly once', async (_, logged) => {
    await cache.put(record('contact', 1));
    const base = Date.parse(call('x').date);
    const three = [
      call('cll-r4-missed', { durationS: 0, result: null, summary: null }),
      call('cll-r4-redial1', { durationS: 0, result: null, summary: null, date: new Date(base + 25_000).toISOString() }),
      call('cll-r4-redial2', { durationS: 0, result: null, summary: null, date: new Date(base + 50_000).toISOString() }),
    ];
    for (const i of logged) integration(three[i]!, [{ type: 'contact', id: 1 }], { s: 5 });
    const other = openCacheDb(`review2-${++db}`);
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
    for (let step = 0; step < 3; step++) {
      await calls.addIfNew(three[step]!);
      await otherCalls.addIfNew(three[2 - step]!);
      await pipeline.run();
      await second.run();
      now += SEARCH_SETTLE_MS;
    }
    for (let i = 0; i < 6; i++) {
      await pipeline.run();
      await second.run();
      now += SEARCH_SETTLE_MS;
    }
    now += 30 * 60_000;
    for (let i = 0; i < 3; i++) {
      await pipeline.run();
      await second.run();
      now += SEARCH_SETTLE_MS;
    }
    // Each call related to the contact by exactly one Phone Call: a copy of ours or one integration log.
    const logs = on('contact', 1);
    expect(logs).toHaveLength(3);
    for (const c of three) {
      const mine = copiesOf(c.alloId).length;
      const adoptedHere = (await calls.get(c.alloId))?.targets.filter((t) => t.state === 'adopted').map((t) => t.sellsyPhoneCallId) ?? [];
      const adoptedThere = (await otherCalls.get(c.alloId))?.targets.filter((t) => t.state === 'adopted').map((t) => t.sellsyPhoneCallId) ?? [];
      expect({ call: c.alloId, logs: mine + new Set([...adoptedHere, ...adoptedThere]).size }).toEqual({ call: c.alloId, logs: 1 });
    }
  });
});
