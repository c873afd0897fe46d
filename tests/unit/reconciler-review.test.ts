// @vitest-environment node
/**
 * Defects a hostile review of the reconciler found in ordinary team situations, each a test that
 * failed before its fix.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import type { CachedRecord } from '@/lib/cache/schema';
import type { CallRecord } from '@/lib/calls/call-record';
import { CallStore } from '@/lib/calls/call-store';
import { hasOwnBlock } from '@/lib/calls/description-block';
import { CallPipeline, SEARCH_SETTLE_MS, SETTLE_RECHECK_MS } from '@/lib/calls/pipeline';
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

async function foldCompany(contactId: number, companyId: number): Promise<void> {
  await cache.put(record('contact', contactId));
  await cache.put(record('company', companyId));
  await cache.writePage(
    { kind: 'company', put: [], remove: [], companies: [{ companyId, links: [{ contactId, companyId, companyName: 'Partie SA' }] }] },
    () => undefined,
  );
}

beforeEach(() => {
  now = Date.parse('2026-11-28T10:00:00Z');
  sellsy = new FakeSellsyForCalls(() => now);
  const database = openCacheDb(`review-${++db}`);
  calls = new CallStore(database);
  cache = new RecordCache(database);
  pipeline = new CallPipeline({ calls, cache, sellsy, ownerId: async () => 42, settings: async () => ({ createLeads: false }), now: () => now });
});

async function settle(): Promise<void> {
  await pipeline.run();
  now += SEARCH_SETTLE_MS;
  await pipeline.run();
}

describe('hostile review of the reconciler', () => {
  it('Retry after a partial adoption whose rest target (the folded company) failed still logs the call on the company', async () => {
    await foldCompany(6, 8);
    const c = call('cll-rest');
    integration(c, [{ type: 'contact', id: 6 }], { link: true });
    // Sellsy refuses the first POST for the company (a 4xx: nothing stored): the call fails.
    const create = sellsy.createPhoneCall.bind(sellsy);
    let refusals = 1;
    sellsy.createPhoneCall = async (body) => {
      if (refusals > 0 && body.related.some((r) => r.type === 'company')) {
        refusals--;
        throw new SellsyError('request', 'Refused for now.', 422);
      }
      return create(body);
    };
    await calls.addIfNew(c);
    await pipeline.run();
    const failed = await calls.get('cll-rest');
    expect(failed?.state).toBe('failed');
    expect(failed?.targets.map((t) => [t.key, t.state])).toEqual([
      ['contact:6', 'adopted'],
      ['company:8', 'todo'],
    ]);
    // The user presses Retry: the company must still get the call.
    await pipeline.retry('cll-rest');
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    expect((await calls.get('cll-rest'))?.state).toBe('synced');
    expect(copiesOf('cll-rest').map((p) => p.related)).toEqual([[{ type: 'company', id: 8 }]]);
  });

  it('an integration Phone Call of a later call that also names an earlier call does not delete the earlier call’s only Phone Call', async () => {
    await cache.put(record('contact', 1));
    const first = call('cll-first', { date: new Date(now - 3 * 3600_000).toISOString() });
    await calls.addIfNew(first);
    await pipeline.run();
    const ours = copiesOf('cll-first')[0]!;
    expect(ours).toBeDefined();
    // An hour later, the callback; Allo's integration logs it with its own recording link, and
    // mentions the call it follows up (a transfer, a callback: two call ids in one description).
    const callback = call('cll-callback', { date: new Date(now - 3600_000).toISOString() });
    integration(callback, [{ type: 'contact', id: 1 }], { link: true, text: `\nRappel suite à l'appel cll-first.` });
    await calls.addIfNew(callback);
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    // The first call, two hours before, is not the one that Phone Call logs: its own copy stays.
    expect(sellsy.phoneCalls.has(ours.id)).toBe(true);
    expect((await calls.get('cll-first'))?.targets[0]).toMatchObject({ state: 'done', sellsyPhoneCallId: ours.id });
  });

  it('a colleague’s note quoting the call’s recording link is not taken as the integration’s log (our copy stays)', async () => {
    await cache.put(record('contact', 1));
    const c = call('cll-quoted');
    await calls.addIfNew(c);
    await pipeline.run();
    const ours = copiesOf('cll-quoted')[0]!;
    // A colleague logs their own follow-up call a day later and pastes the recording link of ours.
    sellsy.seed([{ type: 'contact', id: 1 }], `Relance. Voir l'enregistrement https://storage.withallo.com/recordings/cll-quoted.mp3`, {
      date: new Date(Date.parse(c.date) + 2 * 3600_000).toISOString(),
      source: 'incoming',
      duration: 300,
      ownerId: 77,
    });
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    expect(sellsy.phoneCalls.has(ours.id)).toBe(true);
    expect((await calls.get('cll-quoted'))?.targets[0]).toMatchObject({ state: 'done', sellsyPhoneCallId: ours.id });
  });

  it('narrowing our copy when the integration’s exact log appears keeps the opportunity a person linked it to', async () => {
    await foldCompany(6, 8);
    sellsy.records.add('opportunity:5');
    const c = call('cll-opp');
    await calls.addIfNew(c);
    await pipeline.run();
    const ours = copiesOf('cll-opp')[0]!;
    // A salesperson links our Phone Call to their opportunity in Sellsy.
    sellsy.phoneCalls.set(ours.id, { ...sellsy.phoneCalls.get(ours.id)!, related: [...ours.related, { type: 'opportunity', id: 5 }] as never });
    integration(c, [{ type: 'contact', id: 6 }], { link: true });
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    const after = sellsy.phoneCalls.get(ours.id);
    expect(after?.related).toContainEqual({ type: 'opportunity', id: 5 });
  });

  it('narrowing our copy that a person linked to an opportunity only never leaves it relating no record (Sellsy answers 400 to an empty related)', async () => {
    await cache.put(record('contact', 6));
    sellsy.records.add('opportunity:5');
    const c = call('cll-opp2');
    await calls.addIfNew(c);
    await pipeline.run();
    const ours = copiesOf('cll-opp2')[0]!;
    sellsy.phoneCalls.set(ours.id, { ...sellsy.phoneCalls.get(ours.id)!, related: [...ours.related, { type: 'opportunity', id: 5 }] as never });
    integration(c, [{ type: 'contact', id: 6 }], { link: true });
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    expect(sellsy.phoneCalls.get(ours.id)?.related).toContainEqual({ type: 'opportunity', id: 5 });
  });

  it('Allo dates with a UTC offset: a missed call and its redial 30 s later still do not share the integration’s one log', async () => {
    await cache.put(record('contact', 1));
    const missed = call('cll-off1', { durationS: 0, result: null, summary: null, date: '2026-11-28T10:00:00+01:00' });
    const redial = call('cll-off2', { durationS: 0, result: null, summary: null, date: '2026-11-28T10:00:30+01:00' });
    integration(missed, [{ type: 'contact', id: 1 }]);
    await calls.addIfNew(missed);
    await calls.addIfNew(redial);
    await settle();
    expect(copiesOf('cll-off2')).toHaveLength(1);
  });

  // A guess adopted by one browser before it knew of the closer call is given back when it learns of it.
  it('two browsers that learn of a missed call and its redial in different orders do not log one of them twice', async () => {
    await cache.put(record('contact', 1));
    const missed = call('cll-m1', { durationS: 0, result: null, summary: null });
    const redial = call('cll-m2', { durationS: 0, result: null, summary: null, date: new Date(Date.parse(missed.date) + 30_000).toISOString() });
    integration(missed, [{ type: 'contact', id: 1 }]);
    // A second browser of the same user, whose poll listed the redial before the missed call.
    const other = openCacheDb(`review-${++db}`);
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
    await otherCalls.addIfNew(redial);
    await second.run();
    await calls.addIfNew(missed);
    await calls.addIfNew(redial);
    await pipeline.run();
    await otherCalls.addIfNew(missed);
    await second.run();
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    await second.run();
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    await second.run();
    // Two calls, one Phone Call each: the integration's log and one copy of ours.
    expect(on('contact', 1)).toHaveLength(2);
  });

  it('a narrowing Sellsy refuses (403) keeps our copy whole and settles the target, instead of asking again every minute', async () => {
    await foldCompany(6, 8);
    const c = call('cll-nonarrow');
    await calls.addIfNew(c);
    await pipeline.run();
    integration(c, [{ type: 'company', id: 8 }], { link: true });
    sellsy.updateForbidden = true;
    for (let i = 0; i < 10; i++) {
      now += SEARCH_SETTLE_MS;
      await pipeline.run();
    }
    expect(sellsy.relatedUpdates).toBeLessThanOrEqual(2);
    expect((await calls.get('cll-nonarrow'))?.targets.map((t) => t.state)).toEqual(['done']);
    // Nothing a person or the integration wrote is lost: ours still relates the contact.
    expect(on('contact', 6)).toHaveLength(1);
  });

  it('a late log naming the call on the folded company (not the contact) narrows our [contact, company] copy to the contact', async () => {
    // Contact and company share the number, so Allo's integration may log the call on the company.
    await foldCompany(6, 8);
    const c = call('cll-onco');
    await calls.addIfNew(c);
    await pipeline.run();
    const ours = copiesOf('cll-onco')[0]!;
    expect(ours.related).toHaveLength(2);
    integration(c, [{ type: 'company', id: 8 }], { link: true });
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    // Before the POST the same log would have been adopted for the company; after it, the company keeps two.
    expect(on('company', 8)).toHaveLength(1);
    expect(on('contact', 6)).toHaveLength(1);
  });

  it('Retry matches the number again: a company that now matches too, folded into an already logged contact, gets the call', async () => {
    await cache.put(record('contact', 6));
    await cache.put(record('contact', 9));
    const c = call('cll-refold');
    const create = sellsy.createPhoneCall.bind(sellsy);
    let refusals = 1;
    sellsy.createPhoneCall = async (body) => {
      if (refusals > 0 && body.related.some((r) => r.type === 'contact' && r.id === 9)) {
        refusals--;
        throw new SellsyError('request', 'Refused for now.', 422);
      }
      return create(body);
    };
    await calls.addIfNew(c);
    await pipeline.run();
    expect((await calls.get('cll-refold'))?.state).toBe('failed');
    // The contact sync meanwhile brought the company with the number, whose main contact is 6.
    await foldCompany(6, 8);
    await pipeline.retry('cll-refold');
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    expect((await calls.get('cll-refold'))?.state).toBe('synced');
    expect(on('contact', 9)).toHaveLength(1);
    expect(on('company', 8)).toHaveLength(1);
  });

  it('a 404 to the POST when Sellsy says no record is missing does not silently drop the record (the call is not shown logged)', async () => {
    await cache.put(record('contact', 2));
    await cache.put(record('contact', 9));
    const c = call('cll-404');
    const create = sellsy.createPhoneCall.bind(sellsy);
    let answers404 = 1;
    // A transient 404 (Sellsy's write side not caught up with a record it has): nothing stored.
    sellsy.createPhoneCall = async (body) => {
      if (answers404 > 0 && body.related.some((r) => r.type === 'contact' && r.id === 9)) {
        answers404--;
        return null;
      }
      return create(body);
    };
    await calls.addIfNew(c);
    await settle();
    now += SEARCH_SETTLE_MS;
    await pipeline.run();
    const stored = await calls.get('cll-404');
    // Contact 9 exists (missingRecords names nothing): it must get the call, or the call must not read "logged".
    const logged = on('contact', 9).length === 1;
    expect(logged || stored?.state !== 'synced').toBe(true);
  });
});

describe('switching to Allo’s integration as the call logger', () => {
  it('copies of ours already written are still settled: the integration’s log of the call stays alone', async () => {
    await cache.put(record('contact', 1));
    const c = call('cll-switch');
    await calls.addIfNew(c);
    await pipeline.run();
    expect(copiesOf('cll-switch')).toHaveLength(1);
    // The user lets Allo's integration log the calls; it logs this one too, naming it.
    integration(c, [{ type: 'contact', id: 1 }], { link: true });
    now += SEARCH_SETTLE_MS;
    await pipeline.run({ settleOnly: true });
    expect(copiesOf('cll-switch')).toHaveLength(0);
    expect(on('contact', 1)).toHaveLength(1);
    expect((await calls.get('cll-switch'))?.targets[0]?.state).toBe('adopted');
  });

  it('a POST whose answer was lost is looked for, taken as ours if it landed, and never made again', async () => {
    await cache.put(record('contact', 1));
    await cache.put(record('contact', 2));
    const landed = call('cll-lost-landed');
    const nothing = call('cll-lost-nothing', { counterpart: '+33600000002', date: new Date(now - 1800_000).toISOString() });
    await cache.put({ ...record('contact', 2), phones: ['+33600000002'] });
    const create = sellsy.createPhoneCall.bind(sellsy);
    sellsy.createPhoneCall = async (body) => {
      // The first lands but its answer is lost; the second never reaches Sellsy.
      if (body.related.some((r) => r.id === 1)) await create(body);
      throw new SellsyError('network', 'Connection reset.');
    };
    await calls.addIfNew(landed);
    await calls.addIfNew(nothing);
    await pipeline.run();
    sellsy.createPhoneCall = create;
    const posts = sellsy.phoneCalls.size;
    now += SEARCH_SETTLE_MS;
    await pipeline.run({ settleOnly: true });
    expect(sellsy.phoneCalls.size).toBe(posts);
    expect((await calls.get('cll-lost-landed'))?.targets[0]).toMatchObject({ state: 'posted' });
    // Sellsy's search may show a copy late: the POST that left nothing is looked for a while longer.
    expect((await calls.get('cll-lost-nothing'))?.targets[0]).toMatchObject({ state: 'posting' });
    now += SETTLE_RECHECK_MS;
    await pipeline.run({ settleOnly: true });
    expect(sellsy.phoneCalls.size).toBe(posts);
    expect((await calls.get('cll-lost-nothing'))?.targets[0]).toMatchObject({ state: 'todo' });
    // The landed copy is settled like any other once the integration's log of it appears.
    integration(landed, [{ type: 'contact', id: 1 }], { link: true });
    now += SEARCH_SETTLE_MS;
    await pipeline.run({ settleOnly: true });
    expect(copiesOf('cll-lost-landed')).toHaveLength(0);
    expect(on('contact', 1)).toHaveLength(1);
  });
});
