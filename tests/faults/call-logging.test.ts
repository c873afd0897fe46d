/**
 * `npm run test:faults`: 1,000 calls through servers that misbehave, with the pipeline killed
 * and restarted at random points, then with two browsers of one user at once. Every call must
 * end synced or in the right named error, and Sellsy must hold exactly one Phone Call per
 * (call, matched record).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CallRecord } from '@/lib/cache/schema';
import { NOT_FOUND_AFTER_MS } from '@/lib/calls/pipeline';
import { phonesOf } from '@/lib/sellsy/crm-records';
import type { Fault } from '../servers/faults';
import { createBrowser, issue, startServers, type Browser, type Clock, type Servers } from '../support/call-harness';

const CALLS = 1000;
const USER = 'usr-camille4242';
let servers: Servers;
let clock: Clock;

/** A small deterministic PRNG: the same faults on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

beforeEach(async () => {
  servers = await startServers({ contacts: 220, companies: 50, individuals: 30 });
  clock = { now: Date.now() };
});

afterEach(async () => {
  await servers.close();
});

/** 429, 500, slow answers, and commit-then-drop on 5 % of Phone Call writes, from the servers. */
function misbehave(random: () => number): void {
  const faults = servers.sellsy.faults;
  const injected = faults.take.bind(faults);
  faults.take = (method: string, path: string): Fault | undefined => {
    const planned = injected(method, path);
    if (planned) return planned;
    if (!path.startsWith('/v2/')) return undefined;
    const roll = random();
    if (method === 'POST' && path === '/v2/phone-calls' && roll < 0.05) return { drop: 'after' };
    if (roll < 0.07) return { status: 429, retryAfterS: 1 };
    if (roll < 0.09) return { status: 500 };
    if (roll < 0.11) return { delayMs: 30 };
    return undefined;
  };
}

/** Numbers for the calls: shared ones (several records), single ones, and unknown ones. */
function callNumbers(random: () => number): string[] {
  const owners = new Map<string, number>();
  const { crm } = servers.sellsy;
  for (const record of [...crm.contacts.values(), ...crm.companies.values(), ...crm.individuals.values()]) {
    for (const raw of [record.phone_number, record.mobile_number]) {
      for (const e164 of phonesOf(raw, 'FR')) owners.set(e164, (owners.get(e164) ?? 0) + 1);
    }
  }
  const shared = [...owners].filter(([, n]) => n > 1).map(([e164]) => e164);
  const single = [...owners].filter(([, n]) => n === 1).map(([e164]) => e164);
  const unknown = Array.from({ length: 25 }, (_, i) => `+3361999${String(i).padStart(4, '0')}`);
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? pick(shared.length ? shared : single) : i % 10 === 1 ? pick(unknown) : pick(single)));
}

/** Deletes in Sellsy (after the browsers' last sync) a few contacts that some calls will match. */
function deleteCalledContacts(numbers: string[], count: number): number[] {
  const called = new Set(numbers);
  const victims = [...servers.sellsy.crm.contacts.values()]
    .filter((c) => [c.phone_number, c.mobile_number].some((raw) => phonesOf(raw, 'FR').some((e164) => called.has(e164))))
    .slice(0, count);
  for (const contact of victims) servers.sellsy.crm.deleteContact(contact.id);
  return victims.map((c) => c.id);
}

/** The Phone Calls on the server that carry a call's marker, by the record they relate to first. */
function postedByRecord(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const phoneCall of servers.sellsy.phoneCalls.items.values()) {
    const alloId = /\[Allo call (cll-[^\]]+)\]/.exec(phoneCall.description ?? '')?.[1];
    if (!alloId) continue;
    const first = phoneCall.related[0]!;
    const key = `${alloId}|${first.type}:${first.id}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Runs one browser (or several) until every call is settled, killing workers at random. */
async function drive(browsers: Browser[], random: () => number, { kills }: { kills: boolean }): Promise<Browser[]> {
  let revokedAt = -1;
  for (let round = 0; round < 400; round++) {
    // Time passes: backoffs end, summaries stop being awaited, and at the end the 24 h rule.
    clock.now += round < 300 ? 60_000 : NOT_FOUND_AFTER_MS / 20;
    if (round === 20) servers.sellsy.expireAccessTokens();
    if (round === 40) {
      servers.sellsy.revokeAll();
      revokedAt = round;
    }
    if (revokedAt >= 0 && round === revokedAt + 5) {
      // The user reconnects Sellsy: one new token set, shared by this user's browsers' code paths.
      const tokens = issue(servers, clock);
      for (const browser of browsers) {
        browser.tokens.value = tokens;
        browser.options.connected = true;
      }
      revokedAt = -1;
    }
    browsers = await Promise.all(
      browsers.map(async (browser) => {
        await browser.poller.poll(USER, clock.now - 2 * 24 * 3600_000).catch(() => undefined);
        if (round % 25 === 0) await browser.sync.run();
        const run = browser.pipeline.run();
        if (kills && random() < 0.3) {
          // Killed at a random point of the pass, then started again on the same database.
          await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 15)));
          browser.kill();
          await run.catch(() => undefined);
          return browser.restart();
        }
        await run;
        return browser;
      }),
    );
    const settled = await Promise.all(
      browsers.map(async (b) => (await b.calls.withState('pending')).length + (await b.calls.withState('integration_disconnected')).length + (await b.calls.settleDue(Infinity)).length),
    );
    if (round > 300 && settled.every((n) => n === 0)) break;
  }
  return browsers;
}

async function report(browsers: Browser[], label: string): Promise<void> {
  const posted = postedByRecord();
  const all = new Map<string, CallRecord>();
  for (const browser of browsers) for (const call of await browser.calls.recent(CALLS * 2)) all.set(call.alloId, call);
  const expected = new Set<string>();
  let lost = 0;
  for (const item of servers.allo.calls.items.values()) {
    const call = all.get(item.id);
    if (!call || !['synced', 'contact_not_found', 'contact_deleted'].includes(call.state)) {
      lost++;
      continue;
    }
    for (const target of call.targets) if (target.state === 'done') expected.add(`${call.alloId}|${target.kind}:${target.sellsyId}`);
  }
  const created = [...posted.values()].reduce((sum, n) => sum + n, 0);
  const duplicated = [...posted.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const orphans = [...posted.keys()].filter((key) => !expected.has(key)).length;
  const missing = [...expected].filter((key) => !posted.has(key)).length;
  const states = [...all.values()].reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.state]: (acc[c.state] ?? 0) + 1 }), {});
  console.log(`[${label}] calls: ${servers.allo.calls.items.size}, expected phone calls: ${expected.size}, created: ${created}, lost: ${lost}, duplicated: ${duplicated}`);
  console.log(`  states: ${JSON.stringify(states)}; phone calls without a logged target: ${orphans}; logged targets without a phone call: ${missing}`);
  expect({ lost, duplicated, orphans, missing, created }).toEqual({ lost: 0, duplicated: 0, orphans: 0, missing: 0, created: expected.size });
  expect(states.synced).toBeGreaterThan(CALLS / 2);
  expect(states.contact_not_found).toBeGreaterThan(0);
  expect(states.contact_deleted).toBeGreaterThan(0);
}

/** The calls, and records deleted in Sellsy after the browsers synced but before the calls are logged. */
function generateCalls(random: () => number): void {
  const numbers = callNumbers(random);
  servers.allo.calls.generate({
    count: CALLS,
    users: [USER],
    numbers,
    from: new Date(clock.now - 20 * 3600_000),
    to: new Date(clock.now - 60_000),
    seed: 11,
  });
  deleteCalledContacts(numbers, 3);
}

it('1,000 calls through 429s, 500s, slow answers, commit-then-drop, expiry, revocation and killed workers', async () => {
  const random = prng(42);
  const browser = createBrowser(servers, clock);
  await browser.sync.run();
  generateCalls(random);
  misbehave(random);
  await report(await drive([browser], random, { kills: true }), 'one browser');
});

it('two browsers of the same user logging the same calls at once converge on one Phone Call each', async () => {
  const random = prng(7);
  const browsers = [createBrowser(servers, clock), createBrowser(servers, clock)];
  await Promise.all(browsers.map((b) => b.sync.run()));
  generateCalls(random);
  misbehave(random);
  await report(await drive(browsers, random, { kills: true }), 'two browsers');
});
