/**
 * A team of 10, 50 and 200 browsers on one Allo key for an hour (issue 22): the key's writes a
 * second (goal ≤ 0.5, 10 % of Allo's 5), the delay from a call's end to its Phone Call, the
 * 429s (goal 0), and calls lost or logged twice (must be 0). Each browser has the real
 * AlloClient, poll budget (poll-schedule.ts), CallPoller, CallPipeline and CallStore (on
 * fake-indexeddb), against the local Allo server (its per-second limits on the simulated
 * clock) and an in-memory Sellsy. Simulated time: events (alarms, the dialer's calls, Allo's
 * summaries) run one after the other in time order, nothing waits on the wall clock.
 * Prints figures; asserts nothing (tests/unit/poll-budget.test.ts holds the budget).
 */
import 'fake-indexeddb/auto';
import { afterAll, it } from 'vitest';
import { AlloClient } from '@/lib/allo/api-client';
import { openCacheDb } from '@/lib/cache/open';
import { RecordCache } from '@/lib/cache/records';
import { CallPoller, type PollState } from '@/lib/calls/call-poller';
import { CallStore } from '@/lib/calls/call-store';
import { hasOwnBlock } from '@/lib/calls/description-block';
import { CallPipeline } from '@/lib/calls/pipeline';
import type { BudgetState } from '@/lib/calls/poll-budget';
import { createPollSchedule, type Kept, type StoredKeyFacts } from '@/lib/calls/poll-schedule';
import { startAlloServer, type AlloServer, type AlloUser } from '../servers/allo';
import { FakeSellsyForCalls } from '../support/fake-sellsy-for-calls';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
// Calls start during the hour; the run goes on until the last summaries and polls are in.
const DRAIN = 60 * MINUTE;
// Each request to Allo takes this long: a poll's pages and batch do not all fall in one instant.
const LATENCY_MS = 150;
const START = Date.parse('2026-12-01T08:00:00Z');

/** A seeded generator: the same team makes the same calls at every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function kept<T>(value: T): Kept<T> {
  let held = value;
  return {
    getValue: async () => held,
    setValue: async (next) => {
      held = next;
    },
  };
}

interface Call {
  alloId?: string;
  user: string;
  endAt: number;
  loggedAt?: number;
}

async function simulate(size: number, seed: number, usersScope = true) {
  const clock = { now: START };
  const rand = random(seed);
  const users: AlloUser[] = Array.from({ length: size }, (_, i) => ({
    id: `usr-bench${i}`,
    name: `Commercial ${i}`,
    email: `c${i}@example.fr`,
    role: 'MEMBER',
    status: 'ACTIVE',
    image_url: null,
  }));
  // Without USERS_READ Allo does not list the team: each browser assumes a large one.
  const scopes = usersScope ? ['CONVERSATIONS_READ', 'USERS_READ'] : ['CONVERSATIONS_READ'];
  const allo: AlloServer = await startAlloServer({ users, keys: { 'allo-sandbox-key': { scopes } }, now: () => clock.now });
  const sellsy = new FakeSellsyForCalls(() => clock.now);
  const calls: Call[] = [];
  let tooMany = 0;
  const writeTimes: number[] = [];

  // Time-ordered events; each runs to its end before the next (the clock stands still meanwhile).
  const events: Array<{ at: number; run: () => Promise<void> }> = [];
  const at = (when: number, run: () => Promise<void>) => {
    let i = events.length;
    while (i > 0 && events[i - 1]!.at > when) i--;
    events.splice(i, 0, { at: when, run });
  };

  const browsers = users.map((user, index) => {
    const db = openCacheDb(`bench-${seed}-${index}`);
    const store = new CallStore(db);
    const cache = new RecordCache(db);
    const countingFetch: typeof fetch = async (input, init) => {
      clock.now += LATENCY_MS;
      const response = await fetch(input, init);
      if (response.status === 429) tooMany++;
      if (init?.method !== undefined && init.method !== 'GET') writeTimes.push(clock.now);
      return response;
    };
    const client = new AlloClient({
      apiUrl: allo.apiUrl,
      apiKey: async () => 'allo-sandbox-key',
      fetch: countingFetch,
      now: () => clock.now,
      sleep: async () => undefined,
    });
    let pollState: PollState | null = null;
    const poller = new CallPoller({
      allo: client,
      calls: store,
      loadState: async () => pollState,
      saveState: async (state) => {
        pollState = state;
      },
      now: () => clock.now,
    });
    const pipeline = new CallPipeline({
      calls: store,
      cache,
      sellsy,
      ownerId: async () => 42,
      settings: async () => ({ createLeads: false }),
      now: () => clock.now,
    });
    const schedule = createPollSchedule({
      allo: client,
      sellsyTabOpen: async () => true,
      kept: { budget: kept<BudgetState | null>(null), facts: kept<StoredKeyFacts | null>(null) },
      now: () => clock.now,
      random: rand,
    });
    let open = 0;
    // One wake-up of the worker: the minute alarm, or the 30 s burst alarm after a call.
    const wake = async () => {
      if (await schedule.begin(false)) {
        try {
          await poller.poll(user.id, START - MINUTE).catch(() => 0);
        } finally {
          await schedule.end();
        }
        await pipeline.run();
      } else if (open > 0) await pipeline.run();
    };
    return { user, cache, schedule, wake, opened: () => open++, closed: () => open-- };
  });

  for (const [index, browser] of browsers.entries()) {
    // Each customer is a Sellsy contact this browser's cache knows.
    const number = `+3361${String(index).padStart(7, '0')}`;
    sellsy.addRecord('contact', 1000 + index);
    await browser.cache.put({
      key: `contact:${1000 + index}`,
      kind: 'contact',
      sellsyId: 1000 + index,
      name: `Client ${index}`,
      phones: [number],
      rawPhones: [],
      updated: '',
    });
    // The minute alarm, at this browser's own second.
    const second = Math.floor(rand() * MINUTE);
    for (let t = START + second; t < START + HOUR + DRAIN; t += MINUTE) at(t, browser.wake);
    // 6 to 10 calls in the hour, 1 to 6 minutes each; one in five is not answered.
    const count = 6 + Math.floor(rand() * 5);
    for (let c = 0; c < count; c++) {
      const startAt = START + Math.floor(((c + rand()) / count) * (HOUR - 8 * MINUTE));
      const missed = rand() < 0.2;
      const durationS = missed ? 0 : 60 + Math.floor(rand() * 300);
      const call: Call = { user: browser.user.id, endAt: startAt + (missed ? 30 * SECOND : durationS * SECOND) };
      calls.push(call);
      at(startAt, async () => {
        // The dialer shows the call: polls soon after, and the burst alarm's wake-ups for 10 min.
        browser.opened();
        await browser.schedule.callSeen();
        for (let t = startAt + 30 * SECOND; t <= startAt + 10 * MINUTE; t += MINUTE) at(t, browser.wake);
      });
      at(call.endAt, async () => {
        // Allo lists the call once it has ended; its summary comes 1 to 5 minutes later.
        const item = allo.calls.add({
          user_id: browser.user.id,
          contact_number: number,
          date: new Date(startAt),
          duration: durationS,
          result: missed ? null : 'ANSWERED',
          summary: null,
          direction: 'OUTBOUND',
        });
        call.alloId = item.id;
        byAlloId.set(item.id, call);
        if (!missed)
          at(call.endAt + MINUTE + Math.floor(rand() * 4 * MINUTE), async () => void allo.calls.setSummary(item.id, 'Rappeler la semaine prochaine.'));
      });
    }
  }

  // A Phone Call written: its call is logged now (the first copy; a second would be counted below).
  const byAlloId = new Map<string, Call>();
  const create = sellsy.createPhoneCall.bind(sellsy);
  sellsy.createPhoneCall = async (body) => {
    const written = await create(body);
    const call = byAlloId.get(/\[Allo call ([\w-]+)\]/.exec(body.description)?.[1] ?? '');
    if (written && call && call.loggedAt === undefined) {
      call.loggedAt = clock.now;
      browsers.find((b) => b.user.id === call.user)?.closed();
    }
    return written;
  };

  const started = performance.now();
  while (events.length > 0) {
    const next = events.shift()!;
    // An event due while the previous one still ran starts when it ends.
    clock.now = Math.max(clock.now, next.at);
    await next.run();
  }
  const writes = writeTimes.length;
  const inHour = writeTimes.filter((time) => time < START + HOUR).length;
  const perMinute = new Map<number, number>();
  for (const time of writeTimes) perMinute.set(Math.floor(time / MINUTE), (perMinute.get(Math.floor(time / MINUTE)) ?? 0) + 1);
  const copies = new Map<string, number>();
  for (const phoneCall of sellsy.phoneCalls.values()) {
    for (const alloId of byAlloId.keys()) if (hasOwnBlock(phoneCall.description, alloId)) copies.set(alloId, (copies.get(alloId) ?? 0) + 1);
  }
  const delays = calls
    .filter((call) => call.loggedAt !== undefined)
    .map((call) => call.loggedAt! - call.endAt)
    .sort((a, b) => a - b);
  const quantile = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? Number.NaN;
  await allo.close();
  return {
    size,
    usersScope,
    calls: calls.length,
    writesPerSecond: inHour / (HOUR / SECOND),
    overall: writes / ((HOUR + DRAIN) / SECOND),
    peakMinute: Math.max(0, ...perMinute.values()) / 60,
    p50: quantile(0.5),
    p95: quantile(0.95),
    tooMany,
    lost: calls.filter((call) => call.loggedAt === undefined).length,
    twice: calls.filter((call) => call.alloId && (copies.get(call.alloId) ?? 0) > 1).length,
    seconds: (performance.now() - started) / 1000,
  };
}

const rows: string[] = [];
afterAll(() => {
  console.log(`Allo write budget (simulated hour + ${DRAIN / MINUTE} min, one key, goal ≤ 0.5 writes/s and no 429):\n${rows.join('\n')}`);
});

it('shares one Allo key among a team of any size', async () => {
  // Each run has its own seed: the browsers' databases are named after it.
  const teams: Array<[number, number, boolean]> = [
    [10, 1, true],
    [50, 2, true],
    [200, 3, true],
    [10, 4, false],
    [200, 5, false],
  ];
  for (const [size, seed, usersScope] of teams) {
    const r = await simulate(size, seed, usersScope);
    const min = (ms: number) => `${(ms / MINUTE).toFixed(1)} min`;
    rows.push(
      `  ${String(r.size).padStart(3)} browsers${r.usersScope ? '' : ' (key without USERS_READ)'}: ${r.writesPerSecond.toFixed(3)} writes/s in the hour of calls (${r.overall.toFixed(3)} with the drain, busiest minute ${r.peakMinute.toFixed(2)}), end of call to Phone Call p50 ${min(r.p50)} p95 ${min(r.p95)}, ` +
        `${r.tooMany} × 429, ${r.lost} lost and ${r.twice} logged twice of ${r.calls} calls (${r.seconds.toFixed(0)} s)`,
    );
  }
});
