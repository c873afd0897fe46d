// @vitest-environment node
/**
 * Review of "Call back" (lib/follow-up/follow-ups.ts). The look for a second task of ours (a POST
 * Chromium sent again by itself) must wait for Sellsy's search to catch up after the POST that
 * made it, however late that POST was; and it must never delete a task a person made later by
 * copying ours in Sellsy (the copy carries our marker line); and it is made in the account the
 * task was created in, never counted as made while another account is connected.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createFollowUps, followUpMarker } from '@/lib/follow-up/follow-ups';
import { readFollowUps } from '@/lib/follow-up/follow-up-items';
import { SellsyClient } from '@/lib/sellsy/api-client';
import { SellsySession } from '@/lib/sellsy/session';
import { type SellsyTasks, sellsyTasks } from '@/lib/sellsy/tasks';
import { startSellsyServer, type SellsyServer, EXTENSION_SCOPES } from '../servers/sellsy';

const T0 = Date.parse('2026-12-07T10:00:00Z');
/** One clock for the extension and the local Sellsy. */
const clock = { at: T0 };
/** How long a task takes to show in Sellsy's search after it is written. */
const SEARCH_LAG_MS = 60_000;

let sellsy: SellsyServer;
let contactId: number;

beforeEach(async () => {
  clock.at = T0;
  sellsy = await startSellsyServer({ seed: { contacts: 3, companies: 1, individuals: 1, seed: 5 }, now: () => clock.at });
  contactId = [...sellsy.crm.contacts.keys()][0]!;
});

afterEach(async () => {
  await sellsy.close();
});

function memory<T>(initial: T) {
  let value = initial;
  return {
    getValue: async () => value,
    setValue: async (next: T) => {
      value = next;
    },
  };
}

const store = {
  items: memory<unknown[]>([]),
  label: memory<{ account: number; id: number; name: string } | null>(null),
};

function worker(staffId = () => sellsy.staff.id, own = store) {
  const reply = sellsy.issueTokens(EXTENSION_SCOPES);
  let tokens: { accessToken: string; refreshToken: string; expiresAt: number } | null = {
    accessToken: reply.access_token,
    refreshToken: reply.refresh_token,
    expiresAt: Number.MAX_SAFE_INTEGER,
  };
  const session = new SellsySession({
    endpoints: { tokenUrl: sellsy.tokenUrl, clientId: sellsy.clientId },
    tokens: {
      get: async () => tokens,
      set: async (value) => {
        tokens = value;
      },
      clear: async () => {
        tokens = null;
      },
    },
    onRevoked: async () => undefined,
  });
  const resendNextTaskPost = { value: false };
  const browserFetch: typeof fetch = async (input, init) => {
    if (resendNextTaskPost.value && init?.method === 'POST' && String(input).endsWith('/v2/tasks')) {
      resendNextTaskPost.value = false;
      await fetch(input, init);
    }
    return fetch(input, init);
  };
  const client = new SellsyClient({ apiUrl: sellsy.apiUrl, session, fetch: browserFetch, sleep: async () => undefined });
  const real = sellsyTasks(client);
  // Sellsy's search lags behind its writes: a task written less than SEARCH_LAG_MS ago is not found yet.
  const lagging: SellsyTasks = {
    ...real,
    searchTasks: async (record, created) =>
      (await real.searchTasks(record, created)).filter((task) => {
        const stored = sellsy.tasks.items.get(task.id);
        return stored !== undefined && clock.at - Date.parse(stored.created) >= SEARCH_LAG_MS;
      }),
  };
  const followUps = createFollowUps({
    sellsy: lagging,
    staffId: async () => staffId(),
    titlePrefix: 'Call back',
    items: own.items,
    labelItem: own.label,
    sleep: async () => undefined,
    now: () => clock.at,
  });
  return { followUps, resendNextTaskPost };
}

const input = () => ({ e164: '+33612345678', record: { key: `contact:${contactId}`, name: 'Marie Dupont' }, dueAt: '2026-12-08T09:00:00+01:00' });

beforeEach(() => {
  store.items = memory<unknown[]>([]);
  store.label = memory<{ account: number; id: number; name: string } | null>(null);
});

it('a task posted twice long after the request is still cleaned up once the search has caught up with that POST', async () => {
  // Sellsy is down for the whole request: the follow-up waits for the minute alarm.
  sellsy.faults.inject({ method: 'POST', path: '/v2/tasks' }, { status: 503, times: 3 });
  const { followUps, resendNextTaskPost } = worker();
  expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'creating', delayed: true } });
  // Ten minutes on, the alarm posts it; Chromium sends the POST twice by itself.
  clock.at = T0 + 10 * 60_000;
  resendNextTaskPost.value = true;
  await followUps.resume();
  expect(sellsy.tasks.created).toHaveLength(2);
  // The next alarms: 30 s on, Sellsy's search has not caught up yet; three minutes on it has.
  clock.at += 30_000;
  await followUps.resume();
  clock.at += 3 * 60_000;
  await followUps.resume();
  expect([...sellsy.tasks.items.keys()]).toEqual([sellsy.tasks.created[0]!.id]);
  expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ state: 'done', checks: 2, taskId: sellsy.tasks.created[0]!.id })]);
});

it("a person's copy of our task, made in Sellsy after ours, is never deleted, however late the last look comes", async () => {
  const { followUps } = worker();
  const result = await followUps.request(input());
  expect(result).toMatchObject({ ok: true, followUp: { state: 'created' } });
  const ours = sellsy.tasks.created[0]!;
  // The browser is closed before the look once the search has caught up; an hour later someone
  // duplicates the task in Sellsy (its description, our marker line, comes with it).
  clock.at = T0 + 60 * 60_000;
  const copy = sellsy.tasks.create(
    {
      title: ours.title,
      description: followUpMarker(result.ok ? result.followUp.id : ''),
      due_date: '2026-12-09T09:00:00+01:00',
      label_id: ours.label.id,
      related: [{ type: 'contact', id: contactId }],
    },
    sellsy.staff.id,
  );
  expect('task' in copy).toBe(true);
  // The browser opens again the next day.
  clock.at = T0 + 26 * 3_600_000;
  await worker().followUps.resume();
  expect([...sellsy.tasks.items.keys()].sort()).toEqual([ours.id, 'task' in copy ? copy.task.id : -1].sort());
  expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ state: 'done', checks: 2, taskId: ours.id })]);
});

it('the last look waits while another Sellsy account is connected, and is made once the first is back', async () => {
  const { followUps, resendNextTaskPost } = worker();
  resendNextTaskPost.value = true;
  expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'created' } });
  // Both copies are too new for the search at the first look.
  expect(sellsy.tasks.items.size).toBe(2);
  const searches = () => sellsy.requests.filter((r) => r.path === '/v2/tasks/search').length;
  const before = searches();
  // The person connects another company's Sellsy for a while: the record's id means nothing there.
  const account = { id: sellsy.staff.id + 1 };
  const elsewhere = worker(() => account.id);
  clock.at += 3 * 60_000;
  await elsewhere.followUps.resume();
  expect(searches()).toBe(before);
  account.id = sellsy.staff.id;
  clock.at += 60_000;
  await elsewhere.followUps.resume();
  expect([...sellsy.tasks.items.keys()]).toEqual([sellsy.tasks.created[0]!.id]);
  expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ checks: 2, taskId: sellsy.tasks.created[0]!.id })]);
});

it('labels Sellsy cannot find (their address is assumed) are not taken for a deleted record', async () => {
  sellsy.faults.inject({ method: 'GET', path: '/v2/tasks/labels' }, { status: 404 });
  const { followUps } = worker();
  const result = await followUps.request(input());
  expect(result).toMatchObject({ ok: true, followUp: { state: 'failed', problem: 'refused' } });
  expect(sellsy.tasks.created).toHaveLength(0);
});

it('a search or a label list that never answers still ends in "unreachable" with Retry, not "creating" for ever', async () => {
  // The POST lands but its answer is dropped; from then on Sellsy's task search only answers 503.
  sellsy.faults.inject({ method: 'POST', path: '/v2/tasks' }, { drop: 'after', times: 1 });
  sellsy.faults.inject({ method: 'POST', path: '/v2/tasks/search' }, { status: 503, times: 10_000 });
  const { followUps } = worker();
  expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'creating', delayed: true } });
  // An hour of the minute alarm.
  for (let minute = 1; minute <= 60; minute++) {
    clock.at = T0 + minute * 60_000;
    await followUps.resume();
  }
  expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ state: 'failed', problem: 'unreachable' })]);
  expect(sellsy.tasks.created).toHaveLength(1);
});

it('two browsers of one person pressing at once make one task each, and neither deletes the other’s', async () => {
  // Each browser has its own storage, so its own request and marker: two asks, two tasks.
  const other = { items: memory<unknown[]>([]), label: memory<{ account: number; id: number; name: string } | null>(null) };
  const a = worker();
  const b = worker(undefined, other);
  a.resendNextTaskPost.value = true;
  b.resendNextTaskPost.value = true;
  await Promise.all([a.followUps.request(input()), b.followUps.request(input())]);
  expect(sellsy.tasks.created).toHaveLength(4);
  clock.at += 3 * 60_000;
  await Promise.all([a.followUps.resume(), b.followUps.resume()]);
  const kept = [...sellsy.tasks.items.values()];
  expect(kept).toHaveLength(2);
  expect(new Set(kept.map((task) => task.description)).size).toBe(2);
  const [first, second] = [readFollowUps(await store.items.getValue())[0]!, readFollowUps(await other.items.getValue())[0]!];
  expect(kept.map((task) => task.id).sort()).toEqual([first.taskId, second.taskId].sort());
});

it('a follow-up that failed only because Sellsy was disconnected is carried out once that account is connected again', async () => {
  sellsy.faults.inject({ method: 'POST', path: '/v2/tasks' }, { status: 503, times: 3 });
  const connection = { staff: sellsy.staff.id as number | undefined };
  const { followUps } = worker(() => connection.staff as number);
  expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'creating', delayed: true } });
  // The person disconnects Sellsy to reconnect it (as the panel advises for a missing scope); the alarm comes between.
  connection.staff = undefined;
  clock.at += 60_000;
  await followUps.resume();
  expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ state: 'failed', problem: 'disconnected' })]);
  connection.staff = sellsy.staff.id;
  clock.at += 60_000;
  await followUps.resume();
  expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ state: 'done' })]);
  expect(sellsy.tasks.created).toHaveLength(1);
});

it('one failed for another account is left alone while that other account is connected', async () => {
  const connection = { staff: sellsy.staff.id + 1 };
  await store.items.setValue([
    {
      id: 'f0000003-cccc',
      account: sellsy.staff.id,
      e164: '+33612345678',
      record: { type: 'contact', id: contactId, name: 'Marie Dupont' },
      title: 'Call back Marie Dupont',
      description: followUpMarker('f0000003-cccc'),
      dueAt: '2026-12-08T09:00:00+01:00',
      requestedAt: T0,
      state: 'failed',
      problem: 'disconnected',
      sent: false,
      tries: 0,
    },
  ]);
  await worker(() => connection.staff).followUps.resume();
  expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ state: 'failed', problem: 'disconnected' })]);
  expect(sellsy.tasks.created).toHaveLength(0);
});

it('a refusal Sellsy words as a lost connection is not tried again each minute while the account stays connected', async () => {
  // Every try is refused as if the token were revoked (Sellsy's 401 invalid_token); the account still reads as connected.
  sellsy.faults.inject({ method: 'GET', path: '/v2/tasks/labels' }, { status: 401, times: 10_000 });
  const { followUps } = worker();
  expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'failed', problem: 'disconnected' } });
  const asked = () => sellsy.requests.filter((r) => r.path.startsWith('/v2/tasks')).length;
  await followUps.resume();
  const after = asked();
  for (let minute = 1; minute <= 5; minute++) {
    clock.at += 60_000;
    await followUps.resume();
  }
  expect(asked()).toBe(after);
});

it('a label an administrator turned off (is_active false) is never chosen, however well its name fits', async () => {
  sellsy.tasks.labels = [
    { id: 21, name: 'Rappel', color: null, is_active: false, rank: 1 },
    { id: 22, name: 'Tâche', color: null, is_active: true, rank: 2 },
  ];
  const { followUps } = worker();
  expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'created' } });
  expect(sellsy.tasks.created.map((task) => task.label.id)).toEqual([22]);
});

it('a follow-up left failed by a lost connection is not revived once a newer one was asked for that record', async () => {
  const row = (id: string, requestedAt: number, fields: Record<string, unknown>) => ({
    id,
    account: sellsy.staff.id,
    e164: '+33612345678',
    record: { type: 'contact', id: contactId, name: 'Marie Dupont' },
    title: 'Call back Marie Dupont',
    description: followUpMarker(id),
    dueAt: '2026-12-08T09:00:00+01:00',
    requestedAt,
    sent: false,
    tries: 0,
    ...fields,
  });
  // The person saw the failure, reconnected, and asked again with another moment instead of Retry.
  await store.items.setValue([
    row('f0000004-dddd', T0, { state: 'failed', problem: 'disconnected' }),
    row('f0000005-eeee', T0 + 60_000, { state: 'done', taskId: 4242, checks: 2, sent: true, tries: 1 }),
  ]);
  await worker().followUps.resume();
  expect(sellsy.tasks.created).toHaveLength(0);
  expect(readFollowUps(await store.items.getValue())[0]).toMatchObject({ id: 'f0000004-dddd', state: 'failed' });
});
