/**
 * The tasks of the local Sellsy: an in-memory store, the account's task labels, and the
 * `/v2/tasks` routes the follow-up uses (labels, create, search, read), in the shapes
 * docs/sellsy-and-allo.md ("Tasks") gives, with what it assumes marked there.
 *
 * `created` keeps every task ever stored, so tests can assert exactly-once across a POST whose
 * answer was dropped after the task was stored (faults.ts, `drop: 'after'`).
 */
import { json, type Reply, type Router } from './faults';
import { dateRange, formatSellsyDate, intArray, newCompiled, type Owner, type RouteHelpers, sellsyReplies, type SellsyCrm } from './sellsy-crm';

/** A task label as Sellsy's reference gives it (`Label`: id, name, color, is_active, rank). */
export interface TaskLabel {
  id: number;
  name: string;
  color: string | null;
  is_active: boolean;
  rank: number;
}

export interface TaskRelated {
  type: 'contact' | 'company' | 'individual' | 'opportunity';
  id: number;
}

/** A task as create, get and search answer it. */
export interface Task {
  id: number;
  title: string;
  description: string | null;
  due_date: string;
  status: 'todo' | 'done';
  is_private: boolean;
  priority: number;
  label: TaskLabel;
  owner: Owner;
  assigned_staffs: Array<{ id: number; type: 'staff' }>;
  related: TaskRelated[];
  created: string;
  updated: string;
}

/** The sandbox account's labels (the reference has no fixed list: these are ours). */
export const DEFAULT_TASK_LABELS: readonly TaskLabel[] = [
  { id: 11, name: 'Tâche', color: '#7f8c8d', is_active: true, rank: 1 },
  { id: 12, name: 'Rappel', color: '#e67e22', is_active: true, rank: 2 },
  { id: 13, name: 'Rendez-vous', color: '#2980b9', is_active: true, rank: 3 },
];

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const RELATED_TYPES = ['contact', 'company', 'individual', 'opportunity'] as const;

export class SellsyTasks {
  readonly items = new Map<number, Task>();
  /** Every task ever stored, deleted or not: what exactly-once tests count. */
  readonly created: Task[] = [];
  labels: TaskLabel[] = DEFAULT_TASK_LABELS.map((label) => ({ ...label }));
  private nextId = 9001;

  constructor(private readonly deps: { crm: SellsyCrm; now: () => Date; staffIds: () => ReadonlySet<number> }) {}

  missingRelated(related: readonly TaskRelated[]): TaskRelated[] {
    const { crm } = this.deps;
    return related.filter(({ type, id }) =>
      type === 'contact' ? !crm.contacts.has(id) : type === 'company' ? !crm.companies.has(id) : type === 'individual' ? !crm.individuals.has(id) : false,
    );
  }

  /** Checks a create body as the reference describes it; the task, or the 400's details. */
  create(body: unknown, ownerDefault: number): { task: Task } | { errors: Record<string, string> } {
    const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const errors: Record<string, string> = {};
    const title = input.title;
    if (typeof title !== 'string' || title.trim() === '') errors.title = 'This value should not be blank.';
    else if (title.length > 250) errors.title = 'This value is too long.';
    const dueDate = input.due_date;
    if (typeof dueDate !== 'string' || !DATE_TIME.test(dueDate) || Number.isNaN(Date.parse(dueDate))) errors.due_date = 'This value is not a valid datetime.';
    const label = this.labels.find((l) => l.id === input.label_id);
    if (input.label_id === undefined) errors.label_id = 'This field is missing.';
    else if (!label) errors.label_id = 'This label does not exist.';
    const description = input.description;
    if (description !== undefined && description !== null && typeof description !== 'string') errors.description = 'This value should be of type string.';
    const staff = this.deps.staffIds();
    const ownerId = input.owner_id ?? ownerDefault;
    if (typeof ownerId !== 'number' || !staff.has(ownerId)) errors.owner_id = 'This staff does not exist.';
    const assigned = input.assigned_staff_ids ?? [];
    if (!Array.isArray(assigned) || assigned.some((id) => typeof id !== 'number' || !staff.has(id))) errors.assigned_staff_ids = 'Unknown staff.';
    const related = input.related ?? [];
    if (!Array.isArray(related) || related.some((r) => !isRelated(r))) errors.related = 'Each item needs a known type and an integer id.';
    if (Object.keys(errors).length) return { errors };
    const at = formatSellsyDate(this.deps.now());
    const task: Task = {
      id: this.nextId++,
      title: title as string,
      description: (description as string | null | undefined) ?? null,
      // Sellsy writes dates back in its own zone: the instant is what counts.
      due_date: formatSellsyDate(Date.parse(dueDate as string)),
      status: 'todo',
      is_private: input.is_private === true,
      priority: input.priority === 1 ? 1 : 0,
      label: { ...(label as TaskLabel) },
      owner: { id: ownerId as number, type: 'staff' },
      assigned_staffs: (assigned as number[]).map((id) => ({ id, type: 'staff' as const })),
      related: related as TaskRelated[],
      created: at,
      updated: at,
    };
    this.items.set(task.id, task);
    this.created.push(task);
    return { task };
  }
}

function isRelated(value: unknown): value is TaskRelated {
  if (typeof value !== 'object' || value === null) return false;
  const { type, id } = value as Record<string, unknown>;
  return (RELATED_TYPES as readonly unknown[]).includes(type) && Number.isInteger(id);
}

/** Registers `/tasks/labels`, `/tasks`, `/tasks/search`, `GET` and `DELETE /tasks/:id` (scopes `tasks.read`, `tasks.write`). */
export function registerTaskRoutes<Ctx>(api: Router<Ctx>, store: SellsyTasks, ownerId: () => number, helpers: RouteHelpers<Ctx>): void {
  const { needs, sellsyError } = helpers;
  const { invalid, malformed, searchFilters } = sellsyReplies(sellsyError);

  /** One page of rows, numeric offset (the labels and tasks lists are short). */
  function listPage<T>(rows: T[], query: URLSearchParams): Reply {
    const limitText = query.get('limit') ?? '25';
    const offsetText = query.get('offset') ?? '0';
    if (!/^\d+$/.test(limitText) || Number(limitText) > 100) return invalid({ limit: 'This value should be between 0 and 100.' });
    if (!/^\d+$/.test(offsetText)) return invalid({ offset: 'This value is not a valid pagination cursor.' });
    const limit = Number(limitText);
    const from = Number(offsetText);
    const data = rows.slice(from, from + limit);
    return json(200, { pagination: { limit, count: data.length, total: rows.length, offset: from + data.length }, data });
  }

  api.add(
    'GET',
    '/tasks/labels',
    needs('tasks.read', (req) => listPage(store.labels, req.query)),
  );

  api.add(
    'POST',
    '/tasks',
    needs('tasks.write', (req) => {
      if (typeof req.body === 'string') return malformed();
      const related = (req.body as { related?: unknown } | undefined)?.related;
      if (Array.isArray(related) && related.every(isRelated)) {
        const missing = store.missingRelated(related);
        if (missing.length) return sellsyError({ status: 404, code: 'not_found', message: `Related ${missing[0]!.type} ${missing[0]!.id} not found.` });
      }
      const result = store.create(req.body, ownerId());
      if ('errors' in result) return invalid(result.errors);
      return json(201, result.task);
    }),
  );

  api.add(
    'POST',
    '/tasks/search',
    needs('tasks.read', (req) => {
      const search = searchFilters(req.body);
      if (!('filters' in search)) return search;
      const { filters } = search;
      const errors: Record<string, string> = {};
      const compiled = newCompiled<Task>();
      for (const [key, type] of [
        ['contacts', 'contact'],
        ['companies', 'company'],
        ['individuals', 'individual'],
      ] as const) {
        const ids = intArray(filters, key, errors);
        if (ids) compiled.predicates.push((task) => task.related.some((r) => r.type === type && ids.includes(r.id)));
      }
      dateRange<Task>(filters, 'created', (task) => task.created, compiled, errors);
      if (Object.keys(errors).length) return invalid(errors);
      const predicates = compiled.predicates;
      const rows = [...store.items.values()].filter((task) => predicates.every((p) => p(task)));
      if (req.query.get('direction') === 'desc') rows.reverse();
      return listPage(rows, req.query);
    }),
  );

  api.add(
    'DELETE',
    '/tasks/:id',
    needs('tasks.write', (req) => {
      const id = /^\d{1,15}$/.test(req.params.id ?? '') ? Number(req.params.id) : Number.NaN;
      if (!store.items.delete(id)) return sellsyError({ status: 404, code: 'not_found', message: `Task ${req.params.id} not found.` });
      return { status: 204 };
    }),
  );

  api.add(
    'GET',
    '/tasks/:id',
    needs('tasks.read', (req) => {
      const task = /^\d{1,15}$/.test(req.params.id ?? '') ? store.items.get(Number(req.params.id)) : undefined;
      return task ? json(200, task) : sellsyError({ status: 404, code: 'not_found', message: `Task ${req.params.id} not found.` });
    }),
  );
}
