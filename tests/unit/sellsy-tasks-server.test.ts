// @vitest-environment node
/**
 * The local Sellsy's tasks (tests/servers/sellsy-tasks.ts) keep the shapes docs/sellsy-and-allo.md
 * ("Tasks") gives: each route's scope, a create body checked field by field, a related record
 * that is gone answering 404, the search by record and creation date, and DELETE.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXTENSION_SCOPES, startSellsyServer, type SellsyServer } from '../servers/sellsy';

let sellsy: SellsyServer;
let contactId: number;

beforeEach(async () => {
  sellsy = await startSellsyServer({ seed: { contacts: 3, companies: 1, individuals: 1, seed: 5 } });
  contactId = [...sellsy.crm.contacts.keys()][0]!;
});

afterEach(async () => {
  await sellsy.close();
});

async function call(method: string, path: string, body?: unknown, scopes = EXTENSION_SCOPES) {
  const token = sellsy.issueTokens(scopes).access_token;
  const reply = await fetch(`${sellsy.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: reply.status, json: reply.status === 204 ? undefined : ((await reply.json()) as Record<string, unknown>) };
}

const task = (fields: Record<string, unknown> = {}) => ({
  title: 'Call back Marie',
  description: '[Allo follow-up x]',
  due_date: '2026-12-07T09:00:00+01:00',
  label_id: 12,
  owner_id: sellsy.staff.id,
  assigned_staff_ids: [sellsy.staff.id],
  related: [{ type: 'contact', id: contactId }],
  ...fields,
});

describe('the local Sellsy’s tasks', () => {
  it('lists the labels with tasks.read, and refuses without it', async () => {
    expect((await call('GET', '/tasks/labels?limit=100')).json).toMatchObject({
      data: expect.arrayContaining([{ id: 12, name: 'Rappel', color: expect.any(String), is_active: true, rank: 2 }]),
    });
    expect(
      (
        await call(
          'GET',
          '/tasks/labels',
          undefined,
          EXTENSION_SCOPES.filter((s) => s !== 'tasks.read'),
        )
      ).status,
    ).toBe(403);
  });

  it('creates a task with tasks.write (201), and refuses without it (403)', async () => {
    const created = await call('POST', '/tasks', task());
    expect(created).toMatchObject({
      status: 201,
      json: { title: 'Call back Marie', label: { id: 12 }, related: [{ type: 'contact', id: contactId }], status: 'todo' },
    });
    expect(
      (
        await call(
          'POST',
          '/tasks',
          task(),
          EXTENSION_SCOPES.filter((s) => s !== 'tasks.write'),
        )
      ).status,
    ).toBe(403);
    expect(sellsy.tasks.created).toHaveLength(1);
  });

  it.each([
    ['no label', { label_id: undefined }, 'label_id'],
    ['an unknown label', { label_id: 999 }, 'label_id'],
    ['a due date without an offset', { due_date: '2026-12-07 09:00' }, 'due_date'],
    ['an unknown staff', { assigned_staff_ids: [1] }, 'assigned_staff_ids'],
    ['a blank title', { title: ' ' }, 'title'],
  ])('answers 400 naming the field for %s', async (_what, fields, field) => {
    const reply = await call('POST', '/tasks', task(fields));
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: { details: { [field]: expect.any(String) } } });
  });

  it('answers 404 for a related record that is gone', async () => {
    sellsy.crm.contacts.delete(contactId);
    expect((await call('POST', '/tasks', task())).status).toBe(404);
  });

  it('finds tasks by record and creation date, and deletes one (204, then 404)', async () => {
    const id = (await call('POST', '/tasks', task())).json?.id as number;
    const since = new Date(Date.now() - 60_000).toISOString();
    expect((await call('POST', '/tasks/search', { filters: { contacts: [contactId], created: { start: since } } })).json).toMatchObject({ data: [{ id }] });
    expect((await call('POST', '/tasks/search', { filters: { contacts: [contactId + 1000] } })).json).toMatchObject({ data: [] });
    expect((await call('DELETE', `/tasks/${id}`)).status).toBe(204);
    expect((await call('DELETE', `/tasks/${id}`)).status).toBe(404);
  });
});
