// @vitest-environment node
/**
 * "Call back" (lib/follow-up/follow-ups.ts) against the local Sellsy: one task on the record,
 * due when asked, assigned to the user, with a "Call back"-like label, exactly once through a
 * dropped answer, a 500, a worker stopped between storing the request and its POST or while the
 * POST was out; each refusal told apart (missing scope, no label, record gone).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFollowUps, followUpMarker, type FollowUpDeps } from '@/lib/follow-up/follow-ups';
import { readFollowUps } from '@/lib/follow-up/follow-up-items';
import type { FollowUpInput } from '@/lib/follow-up/follow-up-shape';
import { SellsyClient } from '@/lib/sellsy/api-client';
import { SellsySession } from '@/lib/sellsy/session';
import { sellsyTasks } from '@/lib/sellsy/tasks';
import { startSellsyServer, type SellsyServer, EXTENSION_SCOPES } from '../servers/sellsy';

let sellsy: SellsyServer;
let contactId: number;

beforeEach(async () => {
  sellsy = await startSellsyServer({ seed: { contacts: 5, companies: 1, individuals: 1, seed: 3 } });
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

/** One worker: its own Sellsy client; `alive.value = false` stops it dead (no request leaves). */
function worker(
  shared: { items: ReturnType<typeof memory<unknown[]>>; label: ReturnType<typeof memory<{ account: number; id: number; name: string } | null>> },
  scopes = EXTENSION_SCOPES,
  now = Date.now,
) {
  const reply = sellsy.issueTokens(scopes);
  let tokens: { accessToken: string; refreshToken: string; expiresAt: number } | null = {
    accessToken: reply.access_token,
    refreshToken: reply.refresh_token,
    expiresAt: Date.now() + 3_600_000,
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
  const alive = { value: true };
  // Chromium sends a request again by itself when a reused connection closes before any answer.
  const resendNextTaskPost = { value: false };
  const fetchWhileAlive: typeof fetch = async (input, init) => {
    if (!alive.value) throw new Error('worker stopped');
    if (resendNextTaskPost.value && init?.method === 'POST' && String(input).endsWith('/v2/tasks')) {
      resendNextTaskPost.value = false;
      await fetch(input, init);
    }
    return fetch(input, init);
  };
  const client = new SellsyClient({ apiUrl: sellsy.apiUrl, session, fetch: fetchWhileAlive, sleep: async () => undefined });
  const deps: FollowUpDeps = {
    sellsy: sellsyTasks(client),
    staffId: async () => sellsy.staff.id,
    titlePrefix: 'Call back',
    items: shared.items,
    labelItem: shared.label,
    sleep: async () => undefined,
    now,
  };
  return { followUps: createFollowUps(deps), alive, resendNextTaskPost };
}

const shared = () => ({ items: memory<unknown[]>([]), label: memory<{ account: number; id: number; name: string } | null>(null) });
const input = (fields: Partial<FollowUpInput> = {}): FollowUpInput => ({
  e164: '+33612345678',
  record: { key: `contact:${contactId}`, name: 'Marie Dupont' },
  dueAt: '2026-12-07T09:00:00+01:00',
  ...fields,
});
const tasksPosted = () => sellsy.requests.filter((r) => r.method === 'POST' && r.path === '/v2/tasks').length;

describe('Call back creates one Sellsy task', () => {
  it('on the record, due when asked, assigned to the user, labelled "Rappel", titled with the name and the note', async () => {
    const { followUps } = worker(shared());
    const result = await followUps.request(input({ noteFirstLine: 'Wants a quote' }));
    expect(result).toMatchObject({ ok: true, followUp: { state: 'created', recordName: 'Marie Dupont' } });
    expect(sellsy.tasks.created).toEqual([
      expect.objectContaining({
        title: 'Call back Marie Dupont — Wants a quote',
        due_date: '2026-12-07T09:00:00+01:00',
        label: expect.objectContaining({ name: 'Rappel' }),
        owner: { id: sellsy.staff.id, type: 'staff' },
        assigned_staffs: [{ id: sellsy.staff.id, type: 'staff' }],
        related: [{ type: 'contact', id: contactId }],
      }),
    ]);
    expect(sellsy.tasks.created[0]!.description).toContain(followUpMarker(result.ok ? result.followUp.id : ''));
  });

  it('exactly once when the answer is dropped after Sellsy stored the task', async () => {
    sellsy.faults.inject({ method: 'POST', path: '/v2/tasks' }, { drop: 'after' });
    const { followUps } = worker(shared());
    const result = await followUps.request(input());
    expect(result).toMatchObject({ ok: true, followUp: { state: 'created' } });
    expect(sellsy.tasks.created).toHaveLength(1);
    expect(tasksPosted()).toBe(1);
    // The second try looked for the marker and found it.
    expect(sellsy.requests.some((r) => r.path === '/v2/tasks/search')).toBe(true);
  });

  it('exactly once through a 500: searched, not found, posted again', async () => {
    sellsy.faults.inject({ method: 'POST', path: '/v2/tasks' }, { status: 500 });
    const { followUps } = worker(shared());
    expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'created' } });
    expect(sellsy.tasks.created).toHaveLength(1);
    expect(tasksPosted()).toBe(2);
  });

  it('Sellsy down for longer than one request: still creating, then created once by the next pass', async () => {
    sellsy.faults.inject({ method: 'POST', path: '/v2/tasks' }, { drop: 'after', times: 1 });
    sellsy.faults.inject({ method: 'POST', path: '/v2/tasks/search' }, { status: 503, times: 6 });
    const store = shared();
    const { followUps } = worker(store);
    expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'creating', delayed: true } });
    await followUps.resume();
    expect(sellsy.tasks.created).toHaveLength(1);
    expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ state: 'done', taskId: sellsy.tasks.created[0]!.id })]);
  });

  it('a worker stopped between storing the request and its POST: the next one creates the task, once', async () => {
    const store = shared();
    const first = worker(store);
    first.alive.value = false;
    const result = await first.followUps.request(input());
    expect(result).toMatchObject({ ok: true, followUp: { state: 'creating' } });
    expect(sellsy.tasks.created).toHaveLength(0);
    const second = worker(store);
    await second.followUps.resume();
    await second.followUps.resume();
    expect(sellsy.tasks.created).toHaveLength(1);
  });

  it('a worker stopped while its POST was out (the task stored, nothing heard): the next one finds it and posts nothing', async () => {
    const store = shared();
    sellsy.faults.inject({ method: 'POST', path: '/v2/tasks' }, { drop: 'after' });
    const first = worker(store);
    // The drop is heard as a network failure; then the worker dies before trying again.
    sellsy.faults.inject({ method: 'POST', path: '/v2/tasks/search' }, { drop: 'before', times: 3 });
    await first.followUps.request(input());
    first.alive.value = false;
    expect(sellsy.tasks.created).toHaveLength(1);
    const second = worker(store);
    await second.followUps.resume();
    expect(sellsy.tasks.created).toHaveLength(1);
    expect(tasksPosted()).toBe(1);
    expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ state: 'done' })]);
  });

  it('a POST the browser sent twice by itself: the second task is deleted, the first kept', async () => {
    const store = shared();
    const { followUps, resendNextTaskPost } = worker(store);
    resendNextTaskPost.value = true;
    expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'created' } });
    expect(sellsy.tasks.created).toHaveLength(2);
    const [first] = sellsy.tasks.created;
    expect([...sellsy.tasks.items.keys()]).toEqual([first!.id]);
    expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ state: 'done', taskId: first!.id, checks: 1 })]);
    // Looked at once more once Sellsy's search has caught up, then never again.
    const searches = () => sellsy.requests.filter((r) => r.path === '/v2/tasks/search').length;
    const before = searches();
    const later = worker(store, EXTENSION_SCOPES, () => Date.now() + 3 * 60_000);
    await later.followUps.resume();
    await later.followUps.resume();
    expect(searches()).toBe(before + 1);
    expect(readFollowUps(await store.items.getValue())).toEqual([expect.objectContaining({ checks: 2 })]);
  });

  it('a second press for the same record while the first is under way shares it', async () => {
    const { followUps } = worker(shared());
    const [a, b] = await Promise.all([followUps.request(input()), followUps.request(input())]);
    expect(a.ok && b.ok && a.followUp.id === b.followUp.id).toBe(true);
    expect(sellsy.tasks.created).toHaveLength(1);
  });

  it('reads the labels once per account, and picks the first when none says "call back"', async () => {
    sellsy.tasks.labels = [
      { id: 31, name: 'Divers', color: '#000', is_active: true, rank: 1 },
      { id: 32, name: 'Devis', color: '#000', is_active: true, rank: 2 },
    ];
    const store = shared();
    const { followUps } = worker(store);
    await followUps.request(input());
    await followUps.request(input({ record: { key: `contact:${[...sellsy.crm.contacts.keys()][1]}`, name: 'Paul' } }));
    expect(sellsy.tasks.created.map((task) => task.label.id)).toEqual([31, 31]);
    expect(sellsy.requests.filter((r) => r.path === '/v2/tasks/labels')).toHaveLength(1);
  });
});

describe('Call back refused', () => {
  it('without tasks.write: no task, "no-scope", and Retry after a reconnection with the scope creates it', async () => {
    const store = shared();
    const limited = worker(
      store,
      EXTENSION_SCOPES.filter((scope) => scope !== 'tasks.write'),
    );
    const result = await limited.followUps.request(input());
    expect(result).toMatchObject({ ok: true, followUp: { state: 'failed', problem: 'no-scope' } });
    expect(sellsy.tasks.created).toHaveLength(0);
    const reconnected = worker(store);
    const id = result.ok ? result.followUp.id : '';
    expect(await reconnected.followUps.retry(id)).toMatchObject({ state: 'created' });
    expect(sellsy.tasks.created).toHaveLength(1);
  });

  it('without tasks.read: "no-scope" too (the labels cannot be read)', async () => {
    const { followUps } = worker(
      shared(),
      EXTENSION_SCOPES.filter((scope) => scope !== 'tasks.read'),
    );
    expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'failed', problem: 'no-scope' } });
  });

  it('an account with no task label: "no-label", nothing posted', async () => {
    sellsy.tasks.labels = [];
    const { followUps } = worker(shared());
    expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'failed', problem: 'no-label' } });
    expect(tasksPosted()).toBe(0);
  });

  it('a record deleted in Sellsy: "gone"', async () => {
    sellsy.crm.contacts.delete(contactId);
    const { followUps } = worker(shared());
    expect(await followUps.request(input())).toMatchObject({ ok: true, followUp: { state: 'failed', problem: 'gone' } });
  });

  it('a label deleted since it was read: refused, then Retry reads the labels again and creates the task', async () => {
    const store = shared();
    await store.label.setValue({ account: sellsy.staff.id, id: 999, name: 'Old' });
    const { followUps } = worker(store);
    const result = await followUps.request(input());
    expect(result).toMatchObject({ ok: true, followUp: { state: 'failed', problem: 'refused' } });
    expect(await followUps.retry(result.ok ? result.followUp.id : '')).toMatchObject({ state: 'created' });
    expect(sellsy.tasks.created).toHaveLength(1);
  });

  it('not connected: nothing stored, nothing asked of Sellsy', async () => {
    const store = shared();
    const disconnected = createFollowUps({
      sellsy: {
        listTaskLabels: async () => expect.unreachable(),
        createTask: async () => expect.unreachable(),
        searchTasks: async () => expect.unreachable(),
        deleteTask: async () => expect.unreachable(),
      },
      staffId: async () => undefined,
      titlePrefix: 'Call back',
      items: store.items,
      labelItem: store.label,
    });
    expect(await disconnected.request(input())).toEqual({ ok: false, problem: 'disconnected' });
    expect(await store.items.getValue()).toEqual([]);
  });
});
