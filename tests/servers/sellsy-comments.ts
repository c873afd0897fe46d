/**
 * The comments of the local Sellsy: an in-memory store and the `/v2/comments` routes (create,
 * read, update, delete, search), in the shape docs/sellsy-and-allo.md gives (`CommentCreateItem`:
 * `description` required, `related` exactly one object). Faults are injected by the server as on
 * any route. `created` keeps every comment ever stored, so tests can assert exactly-once.
 */
import { json, type Router } from './faults';
import { type CompiledFilters, dateRange, formatSellsyDate, intArray, type RouteHelpers, sellsyReplies, type SellsyCrm } from './sellsy-crm';

export const COMMENT_RELATED_TYPES = ['contact', 'company', 'individual', 'opportunity'] as const;
type CommentRelatedType = (typeof COMMENT_RELATED_TYPES)[number];

export interface SellsyComment {
  id: number;
  description: string;
  created: string;
  updated: string;
  owner: { id: number; type: 'staff' };
  related: Array<{ type: CommentRelatedType; id: number }>;
  parent_id: number | null;
}

export class SellsyComments {
  readonly items = new Map<number, SellsyComment>();
  /** Every comment ever created, in order (deleted ones too). */
  readonly created: SellsyComment[] = [];
  private nextId = 5001;

  constructor(private readonly deps: { crm: SellsyCrm; now: () => Date; staffId: () => number }) {}

  /** Which related record is missing (opportunities are not kept: any id is taken). */
  missing(related: { type: CommentRelatedType; id: number }): boolean {
    const { crm } = this.deps;
    if (related.type === 'contact') return !crm.contacts.has(related.id);
    if (related.type === 'company') return !crm.companies.has(related.id);
    if (related.type === 'individual') return !crm.individuals.has(related.id);
    return false;
  }

  insert(description: string, related: SellsyComment['related'][number]): SellsyComment {
    const at = formatSellsyDate(this.deps.now());
    const comment: SellsyComment = {
      id: this.nextId++,
      description,
      created: at,
      updated: at,
      owner: { id: this.deps.staffId(), type: 'staff' },
      related: [related],
      parent_id: null,
    };
    this.items.set(comment.id, comment);
    this.created.push(comment);
    return comment;
  }

  /** The comments relating this record, oldest first. */
  on(type: CommentRelatedType, id: number): SellsyComment[] {
    return [...this.items.values()].filter((c) => c.related.some((r) => r.type === type && r.id === id)).sort((a, b) => a.id - b.id);
  }
}

export function registerCommentRoutes<Ctx>(api: Router<Ctx>, store: SellsyComments, helpers: RouteHelpers<Ctx>): void {
  const { needs, sellsyError } = helpers;
  const { invalid, malformed, searchFilters, pageParams, page } = sellsyReplies(sellsyError);
  const notFound = (message: string) => sellsyError({ status: 404, code: 'not_found', message });
  const existing = (idText: string) => (/^\d{1,15}$/.test(idText) ? store.items.get(Number(idText)) : undefined);

  /** `description` (a non-empty string) and, on create, `related` with exactly one known object. */
  function validate(
    body: unknown,
    mode: 'create' | 'update',
  ): { description?: string; related?: SellsyComment['related'][number] } | { errors: Record<string, string> } {
    const errors: Record<string, string> = {};
    const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const out: { description?: string; related?: SellsyComment['related'][number] } = {};
    if (fields.description !== undefined || mode === 'create') {
      if (typeof fields.description !== 'string' || fields.description.trim() === '') errors.description = 'This value should not be blank.';
      else out.description = fields.description;
    }
    if (mode === 'create') {
      const related = fields.related;
      if (!Array.isArray(related) || related.length !== 1) errors.related = 'This collection should contain exactly 1 element.';
      else {
        const [one] = related as Array<{ type?: unknown; id?: unknown }>;
        if (!COMMENT_RELATED_TYPES.includes(one?.type as CommentRelatedType) || !Number.isSafeInteger(one?.id))
          errors['related[0]'] = 'This value is not valid.';
        else out.related = { type: one!.type as CommentRelatedType, id: one!.id as number };
      }
    }
    return Object.keys(errors).length ? { errors } : out;
  }

  function compile(filters: Record<string, unknown>): CompiledFilters<SellsyComment> | { errors: Record<string, string> } {
    const errors: Record<string, string> = {};
    const out: CompiledFilters<SellsyComment> = { predicates: [], ids: undefined };
    for (const [name, type] of [
      ['contacts', 'contact'],
      ['companies', 'company'],
      ['individuals', 'individual'],
    ] as const) {
      const ids = intArray(filters, name, errors);
      if (ids) out.predicates.push((c) => c.related.some((r) => r.type === type && ids.includes(r.id)));
    }
    dateRange<SellsyComment>(filters, 'created', (c) => c.created, out, errors);
    for (const name of Object.keys(filters)) {
      if (!['contacts', 'companies', 'individuals', 'created', 'updated', 'owners', 'parent_id', 'related_objects'].includes(name))
        errors[`filters.${name}`] = 'This field was not expected.';
    }
    return Object.keys(errors).length ? { errors } : out;
  }

  api.add(
    'POST',
    '/comments/search',
    needs('comments.read', (req) => {
      const search = searchFilters(req.body);
      if (!('filters' in search)) return search;
      const compiled = compile(search.filters);
      if ('errors' in compiled) return invalid(compiled.errors);
      const params = pageParams<SellsyComment>(req.query, { id: null, created: null, updated: null });
      if (!('limit' in params)) return params;
      const list = [...store.items.values()]
        .filter((c) => compiled.predicates.every((p) => p(c)))
        .sort((a, b) => (params.direction === 'asc' ? a.id - b.id : b.id - a.id));
      return page(store.items, { ids: list.map((c) => c.id), keys: undefined }, params);
    }),
  );

  api.add(
    'POST',
    '/comments',
    needs('comments.write', (req) => {
      if (typeof req.body === 'string') return malformed();
      const checked = validate(req.body, 'create');
      if ('errors' in checked) return invalid(checked.errors);
      if (store.missing(checked.related!)) return notFound(`${checked.related!.type} ${checked.related!.id} not found.`);
      return json(201, store.insert(checked.description!, checked.related!));
    }),
  );

  api.add(
    'GET',
    '/comments/:id',
    needs('comments.read', (req) => {
      const comment = existing(req.params.id ?? '');
      return comment ? json(200, comment) : notFound(`Comment ${req.params.id ?? ''} not found.`);
    }),
  );

  api.add(
    'PUT',
    '/comments/:id',
    needs('comments.write', (req) => {
      const comment = existing(req.params.id ?? '');
      if (!comment) return notFound(`Comment ${req.params.id ?? ''} not found.`);
      if (typeof req.body === 'string') return malformed();
      const checked = validate(req.body, 'update');
      if ('errors' in checked) return invalid(checked.errors);
      const updated = { ...comment, ...(checked.description !== undefined ? { description: checked.description } : {}), updated: formatSellsyDate(new Date()) };
      store.items.set(comment.id, updated);
      return json(200, updated);
    }),
  );

  api.add(
    'DELETE',
    '/comments/:id',
    needs('comments.write', (req) => {
      const comment = existing(req.params.id ?? '');
      if (!comment) return notFound(`Comment ${req.params.id ?? ''} not found.`);
      store.items.delete(comment.id);
      return { status: 204 };
    }),
  );
}
