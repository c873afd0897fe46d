import * as v from 'valibot';
import type { SellsyClient } from './api-client';
import { SellsyError } from './errors';
import { SELLSY_KINDS } from './kinds';
import type { RelatedRecord } from './phone-calls';

/**
 * Sellsy's tasks (API v2, `/tasks`) as the follow-up needs them: the labels (a task needs one),
 * creating one, and finding ours again by its marker. Answers validated here; the contract and
 * what is assumed of it are in docs/sellsy-and-allo.md ("Tasks").
 */

export interface TaskLabel {
  id: number;
  name: string;
}

export interface TaskCreate {
  title: string;
  description: string;
  /** ISO 8601 with the offset (the user's local time). */
  due_date: string;
  label_id: number;
  owner_id: number;
  assigned_staff_ids: number[];
  related: RelatedRecord[];
  is_private: boolean;
}

export interface Task {
  id: number;
  description: string | null;
}

// The reference's `Label` is {id, name, color, is_active, rank}; `label` (the CRM metas' word) is read too.
const LabelItem = v.object({
  id: v.pipe(v.number(), v.integer()),
  label: v.nullish(v.string()),
  name: v.nullish(v.string()),
  is_active: v.nullish(v.boolean()),
});
const TaskItem = v.object({ id: v.pipe(v.number(), v.integer()), description: v.nullish(v.string()) });
const Page = v.object({
  pagination: v.optional(v.object({ offset: v.nullish(v.union([v.string(), v.number()])) })),
  data: v.array(v.unknown()),
});

const PAGE_SIZE = 100;
/** Labels are a short list an administrator keeps; more pages than this are not read. */
const MAX_LABEL_PAGES = 5;
/** Tasks of one record created since the request: a few; more pages than this are not read. */
const MAX_TASK_PAGES = 10;

/** The account's task labels in use; a row that cannot be read, or one turned off, is skipped. */
export async function listTaskLabels(client: SellsyClient): Promise<TaskLabel[]> {
  const labels: TaskLabel[] = [];
  let offset: string | undefined;
  for (let page = 0; page < MAX_LABEL_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(offset ? { offset } : {}) });
    const reply = await client.request('GET', `/tasks/labels?${query}`, Page, undefined, { attempts: 3 });
    for (const row of reply.data) {
      const parsed = v.safeParse(LabelItem, row);
      if (parsed.success && parsed.output.is_active !== false)
        labels.push({ id: parsed.output.id, name: (parsed.output.name ?? parsed.output.label ?? '').slice(0, 200) });
    }
    const next = reply.pagination?.offset;
    if (reply.data.length < PAGE_SIZE || next === null || next === undefined || next === '') break;
    offset = String(next);
  }
  return labels;
}

/** One POST, never retried here: a second try is the caller's, after it looked for the first. */
export async function createTask(client: SellsyClient, body: TaskCreate): Promise<Task> {
  const task = await client.request('POST', '/tasks', TaskItem, body);
  return { id: task.id, description: task.description ?? null };
}

/** Deletes a task; false when it was already gone. */
export async function deleteTask(client: SellsyClient, id: number): Promise<boolean> {
  try {
    await client.request('DELETE', `/tasks/${id}`, v.unknown(), undefined, { attempts: 3 });
    return true;
  } catch (error) {
    if (error instanceof SellsyError && error.code === 'not-found') return false;
    throw error;
  }
}

/** When the tasks looked for were created (ISO 8601): from `start`, up to `end` when given. */
export interface CreatedBetween {
  start: string;
  end?: string;
}

/** The tasks related to one record and created in `created`; unreadable rows skipped. */
export async function searchTasks(client: SellsyClient, record: RelatedRecord, created: CreatedBetween): Promise<Task[]> {
  const filters = { [SELLSY_KINDS[record.type].phoneCallFilter]: [record.id], created };
  const found: Task[] = [];
  let offset: string | undefined;
  for (let page = 0; page < MAX_TASK_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(offset ? { offset } : {}) });
    const reply = await client.request('POST', `/tasks/search?${query}`, Page, { filters }, { attempts: 3 });
    for (const row of reply.data) {
      const parsed = v.safeParse(TaskItem, row);
      if (parsed.success) found.push({ id: parsed.output.id, description: parsed.output.description ?? null });
    }
    const next = reply.pagination?.offset;
    if (reply.data.length < PAGE_SIZE || next === null || next === undefined || next === '') break;
    offset = String(next);
  }
  return found;
}

/** What the follow-up asks of Sellsy's tasks, as one object: tests pass a fake, the worker this. */
export interface SellsyTasks {
  listTaskLabels(): Promise<TaskLabel[]>;
  createTask(body: TaskCreate): Promise<Task>;
  searchTasks(record: RelatedRecord, created: CreatedBetween): Promise<Task[]>;
  deleteTask(id: number): Promise<boolean>;
}

export function sellsyTasks(client: SellsyClient): SellsyTasks {
  return {
    listTaskLabels: () => listTaskLabels(client),
    createTask: (body) => createTask(client, body),
    searchTasks: (record, created) => searchTasks(client, record, created),
    deleteTask: (id) => deleteTask(client, id),
  };
}
