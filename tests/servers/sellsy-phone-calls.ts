/**
 * The phone calls of the local Sellsy: an in-memory store and the `/v2/phone-calls` routes
 * (create, read, update, delete, list, search), as docs/sellsy-and-allo.md describes them.
 *
 * A call's `related` records must exist in the CRM store: relating a deleted contact, company or
 * individual answers 404, which is how the extension learns "contact deleted". `created` keeps
 * every phone call ever stored, so tests can assert exactly-once across commit-then-drop faults.
 */
import { json, type Reply, type Router } from './faults';
import {
  RecordMap,
  byDate,
  compare,
  dateRange,
  formatSellsyDate,
  intArray,
  newCompiled,
  parseSellsyDate,
  sellsyReplies,
  type CompiledFilters,
  type OrderSpec,
  type Ordered,
  type Owner,
  type RouteHelpers,
  type SellsyCrm,
} from './sellsy-crm';

// ---------------------------------------------------------------------------------------------
// Shapes (Sellsy API v2, see docs/sellsy-and-allo.md)

export const PHONE_CALL_RESULTS = ['noanswer', 'busy', 'wrongnumber', 'msgdirect', 'msgvocal', 'connected', 'transfer', 'interrupt', 'scheduled'] as const;
export type PhoneCallResult = (typeof PHONE_CALL_RESULTS)[number];

export const PHONE_CALL_SOURCES = ['incoming', 'outcoming'] as const;
/** The call's direction, spelled as Sellsy spells it. */
export type PhoneCallSource = (typeof PHONE_CALL_SOURCES)[number];

export const RELATED_TYPES = ['opportunity', 'company', 'individual', 'contact'] as const;
export type RelatedType = (typeof RELATED_TYPES)[number];

export interface RelatedObject {
  id: number;
  type: RelatedType;
}

/** The `name` of each `result` object in responses (the spec gives no labels: these are ours). */
export const PHONE_CALL_RESULT_NAMES: Readonly<Record<PhoneCallResult, string>> = {
  noanswer: 'Pas de réponse',
  busy: 'Occupé',
  wrongnumber: 'Faux numéro',
  msgdirect: 'Message laissé à un tiers',
  msgvocal: 'Message vocal',
  connected: 'Appel abouti',
  transfer: 'Transféré',
  interrupt: 'Interrompu',
  scheduled: 'Planifié',
};

/** The account's phone-call topics (the spec has no endpoint listing them); other ids answer 400. */
export const PHONE_CALL_TOPICS: Readonly<Record<number, string>> = {
  1: 'Prospection',
  2: 'Relance',
  3: 'Support',
  4: 'Rendez-vous',
};

/** `PhoneCallItem.allOf[0]`: what create, get, update, list and search answer (no `_embed`). */
export interface PhoneCall {
  id: number;
  description: string | null;
  source: PhoneCallSource;
  /** Seconds; 0 when `result` is `scheduled`. */
  duration: number;
  /** As Sellsy writes dates: Paris time, whole seconds, offset (not necessarily the text posted). */
  date: string;
  created: string;
  updated: string;
  company_id: number | null;
  individual_id: number | null;
  contact_id: number | null;
  related: RelatedObject[];
  priority: number;
  owner: Owner;
  /** An object in responses (an integer in requests); null when the call has none. */
  topic: { id: number; name: string } | null;
  /** An object in responses (the enum value in requests). */
  result: { id: PhoneCallResult; name: string };
}

/** `PhoneCallCreateItem`: the request body of `POST /phone-calls`. */
export interface PhoneCallCreateItem {
  owner_id: number;
  /** date-time with an offset or `Z`, e.g. `2024-05-02T10:15:00+02:00`. */
  date: string;
  result: PhoneCallResult;
  source: PhoneCallSource;
  related: RelatedObject[];
  duration?: number;
  description?: string | null;
  topic?: number | null;
  priority?: number;
}

/** `PhoneCallUpdateItem`: the same fields, none required. */
export type PhoneCallUpdateItem = Partial<PhoneCallCreateItem>;

/** A body that passed validation: the fields it gives, `date` as an instant. */
export interface ValidPhoneCallFields {
  owner_id?: number;
  dateMs?: number;
  result?: PhoneCallResult;
  source?: PhoneCallSource;
  related?: RelatedObject[];
  duration?: number;
  description?: string | null;
  topic?: number | null;
  priority?: number;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** RFC 3339 `date-time` (OpenAPI `format: date-time`): a time and an offset are required. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

const REQUIRED_ON_CREATE = ['owner_id', 'date', 'result', 'source', 'related'] as const;

/**
 * Checks a create or update body the way `PhoneCallCreateItem` / `PhoneCallUpdateItem` define it.
 * Unknown and read-only fields are ignored. `details` keys are the body's field paths
 * (`owner_id`, `related`, `related[1].type`, …), as Sellsy's validation errors list them.
 */
export function validatePhoneCall(
  body: unknown,
  mode: 'create' | 'update',
  staffId: number,
  otherStaff: ReadonlySet<number> = new Set(),
): { fields: ValidPhoneCallFields } | { errors: Record<string, string> } {
  const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const errors: Record<string, string> = {};
  const fields: ValidPhoneCallFields = {};
  const given = (name: string) => input[name] !== undefined;

  if (mode === 'create') for (const name of REQUIRED_ON_CREATE) if (!given(name)) errors[name] = 'This field is missing.';

  if (given('owner_id')) {
    const value = input.owner_id;
    if (!Number.isSafeInteger(value) || (value as number) < 1) errors.owner_id = 'This value should be an integer greater than or equal to 1.';
    else if (value !== staffId && !otherStaff.has(value as number)) errors.owner_id = `Staff ${String(value)} not found.`;
    else fields.owner_id = value as number;
  }
  if (given('date')) {
    const value = input.date;
    const ms = typeof value === 'string' && DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) errors.date = 'This value is not a valid datetime.';
    else fields.dateMs = ms;
  }
  if (given('result')) {
    if (!(PHONE_CALL_RESULTS as readonly unknown[]).includes(input.result)) errors.result = `The value should be one of ${PHONE_CALL_RESULTS.join(', ')}.`;
    else fields.result = input.result as PhoneCallResult;
  }
  if (given('source')) {
    if (!(PHONE_CALL_SOURCES as readonly unknown[]).includes(input.source)) errors.source = `The value should be one of ${PHONE_CALL_SOURCES.join(', ')}.`;
    else fields.source = input.source as PhoneCallSource;
  }
  if (given('related')) {
    const related = validateRelated(input.related, errors);
    if (related) fields.related = related;
  }
  if (given('duration')) {
    const value = input.duration;
    if (!Number.isSafeInteger(value) || (value as number) < 0) errors.duration = 'This value should be an integer greater than or equal to 0.';
    else fields.duration = value as number;
  }
  if (given('description')) {
    const value = input.description;
    if (value !== null && typeof value !== 'string') errors.description = 'This value should be of type string or null.';
    else fields.description = value;
  }
  if (given('topic')) {
    const value = input.topic;
    if (value === null) fields.topic = null;
    else if (!Number.isSafeInteger(value)) errors.topic = 'This value should be of type integer.';
    else if (PHONE_CALL_TOPICS[value as number] === undefined) errors.topic = `Topic ${String(value)} not found.`;
    else fields.topic = value as number;
  }
  if (given('priority')) {
    const value = input.priority;
    if (value !== 0 && value !== 1) errors.priority = 'This value should be between 0 and 1.';
    else fields.priority = value;
  }
  return Object.keys(errors).length ? { errors } : { fields };
}

function validateRelated(value: unknown, errors: Record<string, string>): RelatedObject[] | undefined {
  if (value === null || !Array.isArray(value)) {
    errors.related = 'This value should be of type array.';
    return undefined;
  }
  if (value.length < 1) {
    errors.related = 'This collection should contain 1 element or more.';
    return undefined;
  }
  if (value.length > 3) {
    errors.related = 'This collection should contain 3 elements or less.';
    return undefined;
  }
  const related: RelatedObject[] = [];
  const before = Object.keys(errors).length;
  value.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      errors[`related[${i}]`] = 'This value should be an object {id, type}.';
      return;
    }
    const { id, type } = item as Record<string, unknown>;
    let ok = true;
    if (!(RELATED_TYPES as readonly unknown[]).includes(type)) {
      errors[`related[${i}].type`] = type === undefined ? 'This field is missing.' : `The value should be one of ${RELATED_TYPES.join(', ')}.`;
      ok = false;
    }
    if (!Number.isSafeInteger(id) || (id as number) < 1) {
      errors[`related[${i}].id`] = id === undefined ? 'This field is missing.' : 'This value should be an integer greater than or equal to 1.';
      ok = false;
    }
    if (ok) related.push({ id: id as number, type: type as RelatedType });
  });
  if (Object.keys(errors).length > before) return undefined;
  const types = related.map((r) => r.type);
  const repeated = types.find((type, i) => types.indexOf(type) !== i);
  if (repeated) {
    errors.related = `Only one related object of each type is allowed (${repeated} appears more than once).`;
    return undefined;
  }
  return related;
}

// ---------------------------------------------------------------------------------------------
// The store

/** A staff as `/staffs/{id}` answers it, and as `embed[]=owner` adds it to a phone call. */
export interface StaffSummary {
  id: number;
  firstname: string;
  lastname: string;
  email: string;
  status: 'ok' | 'blocked' | 'deleted';
}

/** `phoneCallEmbed`: what `embed[]` may ask for on phone-call endpoints. */
export const PHONE_CALL_EMBEDS = ['company', 'individual', 'contact', 'related', 'owner', 'acl'] as const;
export type PhoneCallEmbed = (typeof PHONE_CALL_EMBEDS)[number];

export interface SellsyPhoneCallsOptions {
  /** Where related contacts, companies and individuals must exist. */
  crm: SellsyCrm;
  /** The connected staff, for `embed[]=owner`; default a staff named after `staffId`. */
  staff?: () => StaffSummary;
  /** The clock for `created`/`updated`; default real time. */
  now?: () => Date;
  /** The one staff that may own phone calls (`owner_id`); default 4242. */
  staffId?: () => number;
  /** The first id given out; default 5001 (apart from CRM ids, so a mixed-up id shows). */
  firstId?: number;
}

export class SellsyPhoneCalls {
  /** The phone calls that exist now (frozen; replaced on update). */
  readonly items: Map<number, PhoneCall> = new RecordMap<PhoneCall>();
  /** Every phone call ever created (by the API or `create()`), deletions included, in order, as created. */
  readonly created: PhoneCall[] = [];
  /** Ids deleted (by the API or `delete()`), in order. */
  readonly deleted: number[] = [];
  /** Opportunity ids that exist (this server has no opportunity endpoints); empty by default. */
  readonly opportunities = new Set<number>();
  readonly crm: SellsyCrm;
  now: () => Date;
  staffId: () => number;
  /** Other staff of the account who may own phone calls (a second Sellsy user). */
  readonly otherStaff = new Set<number>();
  /** Colleagues with a name (`addColleague`): `embed[]=owner` names them; an id only in `otherStaff` embeds as null. */
  readonly colleagues = new Map<number, StaffSummary>();
  private readonly staff: () => StaffSummary;
  /**
   * Search lags behind writes (a search index): a phone call is searchable only `ms` after it
   * was created, and a deleted one is still found for `ms`. Off unless a test sets it.
   */
  searchLag: { ms: number; now: () => number } | undefined;
  /** Phone Calls written by `logAsAlloIntegration`: id → the Allo call's id. */
  readonly byAlloIntegration = new Map<number, string>();
  private readonly createdAtMs = new Map<number, number>();
  private readonly ghosts = new Map<number, { call: PhoneCall; until: number }>();
  private nextId: number;

  constructor(options: SellsyPhoneCallsOptions) {
    this.crm = options.crm;
    this.now = options.now ?? (() => new Date());
    this.staffId = options.staffId ?? (() => 4242);
    this.staff = options.staff ?? (() => ({ id: this.staffId(), firstname: 'Staff', lastname: String(this.staffId()), email: '', status: 'ok' }));
    this.nextId = options.firstId ?? 5001;
  }

  /** A colleague who may own phone calls, with the name `embed[]=owner` gives. */
  addColleague(staff: StaffSummary): void {
    this.colleagues.set(staff.id, staff);
    this.otherStaff.add(staff.id);
  }

  /** The staff a phone call's owner id names, as `embed[]=owner` gives it; undefined when unknown. */
  staffById(id: number): StaffSummary | undefined {
    const staff = this.staff();
    return staff.id === id ? staff : this.colleagues.get(id);
  }

  /** The related objects that do not exist (deleted, or never did). */
  missingRelated(related: readonly RelatedObject[]): RelatedObject[] {
    return related.filter(({ type, id }) => {
      switch (type) {
        case 'contact':
          return !this.crm.contacts.has(id);
        case 'company':
          return !this.crm.companies.has(id);
        case 'individual':
          return !this.crm.individuals.has(id);
        default:
          return !this.opportunities.has(id);
      }
    });
  }

  /** Stores a phone call as `POST /phone-calls` would; throws when the API would answer 400 or 404. */
  create(body: PhoneCallCreateItem): PhoneCall {
    return this.insert(this.mustValidate(body, 'create'));
  }

  /**
   * Plays Allo's own server-side Sellsy integration: logs an Allo call on a record the way it
   * does (the call's start, direction and length, its summary and recording link, no marker of
   * the extension's), as the connected staff or `ownerId` (a colleague's call). The search lag
   * applies as to any write.
   */
  logAsAlloIntegration(
    call: { id: string; direction: 'INBOUND' | 'OUTBOUND'; date: string; duration: number | null; summary: string | null; recording_url: string | null },
    record: RelatedObject,
    { durationOffsetS = 0, ownerId }: { durationOffsetS?: number; ownerId?: number } = {},
  ): PhoneCall {
    const lines = [`Appel Allo ${call.direction === 'INBOUND' ? 'entrant' : 'sortant'}`, call.summary ?? '', call.recording_url ?? ''];
    const created = this.create({
      owner_id: ownerId ?? this.staffId(),
      date: call.date,
      result: (call.duration ?? 0) > 0 ? 'connected' : 'noanswer',
      source: call.direction === 'INBOUND' ? 'incoming' : 'outcoming',
      duration: Math.max(0, (call.duration ?? 0) + durationOffsetS),
      description: lines.filter(Boolean).join('\n'),
      related: [record],
    });
    this.byAlloIntegration.set(created.id, call.id);
    return created;
  }

  /** Changes a phone call as `PUT /phone-calls/{id}` would; throws for an unknown id or a 400/404 body. */
  update(id: number, body: PhoneCallUpdateItem): PhoneCall {
    return this.apply(id, this.mustValidate(body, 'update'));
  }

  /** Removes a phone call; false when there was none. */
  delete(id: number): boolean {
    const call = this.items.get(id);
    if (!call || !this.items.delete(id)) return false;
    if (this.searchLag) this.ghosts.set(id, { call, until: this.searchLag.now() + this.searchLag.ms });
    this.deleted.push(id);
    return true;
  }

  /** The existing phone calls whose `related` names this record, by ascending id. */
  byRelated(type: RelatedType, id: number): PhoneCall[] {
    return this.sorted().filter((call) => call.related.some((r) => r.type === type && r.id === id));
  }

  /** Existing phone calls by ascending id. */
  sorted(): PhoneCall[] {
    return [...this.items.values()].sort((a, b) => a.id - b.id);
  }

  /** @internal A validated create body (the route checks `related` first, for its 404). */
  insert(fields: ValidPhoneCallFields): PhoneCall {
    const id = this.nextId++;
    const stamp = formatSellsyDate(this.now());
    const result = fields.result as PhoneCallResult;
    const call = build({
      id,
      description: fields.description ?? null,
      source: fields.source as PhoneCallSource,
      duration: fields.duration ?? 0,
      dateMs: fields.dateMs as number,
      created: stamp,
      updated: stamp,
      related: fields.related as RelatedObject[],
      priority: fields.priority ?? 0,
      ownerId: fields.owner_id as number,
      topic: fields.topic ?? null,
      result,
    });
    this.items.set(id, call);
    this.createdAtMs.set(id, this.searchLag?.now() ?? 0);
    this.created.push(this.items.get(id) as PhoneCall);
    return call;
  }

  /** @internal A validated update body applied to an existing call. */
  apply(id: number, fields: ValidPhoneCallFields): PhoneCall {
    const old = this.items.get(id);
    if (!old) throw new Error(`No phone call with id ${id}.`);
    const call = build({
      id,
      description: fields.description !== undefined ? fields.description : old.description,
      source: fields.source ?? old.source,
      duration: fields.duration ?? old.duration,
      dateMs: fields.dateMs ?? parseSellsyDate(old.date),
      created: old.created,
      updated: formatSellsyDate(this.now()),
      related: fields.related ?? old.related,
      priority: fields.priority ?? old.priority,
      ownerId: fields.owner_id ?? old.owner.id,
      topic: fields.topic !== undefined ? fields.topic : (old.topic?.id ?? null),
      result: fields.result ?? old.result.id,
    });
    this.items.set(id, call);
    return call;
  }

  /** What a search sees now: with a lag, recent writes are missing and recent deletions still there. */
  searchable(): { items: ReadonlyMap<number, PhoneCall>; sorted: PhoneCall[] } {
    const lag = this.searchLag;
    if (!lag) return { items: this.items, sorted: this.sorted() };
    const now = lag.now();
    const items = new Map<number, PhoneCall>();
    for (const call of this.items.values()) if ((this.createdAtMs.get(call.id) ?? 0) + lag.ms <= now) items.set(call.id, call);
    for (const [id, ghost] of this.ghosts) {
      if (ghost.until > now) items.set(id, ghost.call);
      else this.ghosts.delete(id);
    }
    return { items, sorted: [...items.values()].sort((a, b) => a.id - b.id) };
  }

  private mustValidate(body: unknown, mode: 'create' | 'update'): ValidPhoneCallFields {
    const checked = validatePhoneCall(body, mode, this.staffId(), this.otherStaff);
    if ('errors' in checked) throw new Error(`Invalid phone call: ${JSON.stringify(checked.errors)}`);
    const missing = this.missingRelated(checked.fields.related ?? []);
    if (missing.length) throw new Error(`Related objects not found: ${JSON.stringify(missing)}`);
    return checked.fields;
  }
}

function build(parts: {
  id: number;
  description: string | null;
  source: PhoneCallSource;
  duration: number;
  dateMs: number;
  created: string;
  updated: string;
  related: RelatedObject[];
  priority: number;
  ownerId: number;
  topic: number | null;
  result: PhoneCallResult;
}): PhoneCall {
  const idOf = (type: RelatedType) => parts.related.find((r) => r.type === type)?.id ?? null;
  return {
    id: parts.id,
    description: parts.description,
    source: parts.source,
    // "Forced to 0 when result = scheduled" (PhoneCallCreateItem.duration).
    duration: parts.result === 'scheduled' ? 0 : parts.duration,
    date: formatSellsyDate(parts.dateMs),
    created: parts.created,
    updated: parts.updated,
    company_id: idOf('company'),
    individual_id: idOf('individual'),
    contact_id: idOf('contact'),
    related: parts.related.map(({ id, type }) => ({ id, type })),
    priority: parts.priority,
    owner: { id: parts.ownerId, type: 'staff' },
    topic: parts.topic === null ? null : { id: parts.topic, name: PHONE_CALL_TOPICS[parts.topic] ?? '' },
    result: { id: parts.result, name: PHONE_CALL_RESULT_NAMES[parts.result] },
  };
}

// ---------------------------------------------------------------------------------------------
// Search filters (`PhoneCallFilter`) and ordering

/** `order` is a free string in the spec; these are the ones this server knows. */
const ORDERS: Record<string, OrderSpec<PhoneCall> | null> = {
  id: null,
  date: byDate((c) => c.date),
  created: byDate((c) => c.created),
  updated: byDate((c) => c.updated),
};

function relatedIn(type: RelatedType, ids: number[]): (call: PhoneCall) => boolean {
  const wanted = new Set(ids);
  return (call) => call.related.some((r) => r.type === type && wanted.has(r.id));
}

/** Compiles `filters`; keys are ANDed, the ids inside one key ORed; unknown keys are ignored. */
function compileFilters(filters: Record<string, unknown>): CompiledFilters<PhoneCall> | { errors: Record<string, string> } {
  const out = newCompiled<PhoneCall>();
  const errors: Record<string, string> = {};
  dateRange(filters, 'created', (c) => c.created, out, errors);
  // The spec's "due date in that time frame": a phone call's only other date is `date`.
  dateRange(filters, 'due_date', (c) => c.date, out, errors);
  const owners = intArray(filters, 'owners', errors);
  if (owners) out.predicates.push((c) => owners.includes(c.owner.id));
  for (const [name, type] of [
    ['companies', 'company'],
    ['individuals', 'individual'],
    ['contacts', 'contact'],
  ] as const) {
    const ids = intArray(filters, name, errors);
    if (ids) out.predicates.push(relatedIn(type, ids));
  }
  const objects = filters.related_objects;
  if (objects !== undefined && objects !== null) {
    const valid =
      Array.isArray(objects) &&
      objects.every(
        (o: unknown) =>
          typeof o === 'object' &&
          o !== null &&
          (RELATED_TYPES as readonly unknown[]).includes((o as Record<string, unknown>).type) &&
          Number.isSafeInteger((o as Record<string, unknown>).id),
      );
    if (!valid) errors['filters.related_objects'] = `This value should be an array of {type, id} with type one of ${RELATED_TYPES.join(', ')}.`;
    else {
      const keys = new Set((objects as RelatedObject[]).map((o) => `${o.type}:${o.id}`));
      out.predicates.push((c) => c.related.some((r) => keys.has(`${r.type}:${r.id}`)));
    }
  }
  if (filters.topic !== undefined && filters.topic !== null) {
    if (!Number.isSafeInteger(filters.topic)) errors['filters.topic'] = 'This value should be of type integer.';
    else out.predicates.push((c) => c.topic?.id === filters.topic);
  }
  for (const [name, values] of [
    ['result', PHONE_CALL_RESULTS],
    ['source', PHONE_CALL_SOURCES],
  ] as const) {
    const value = filters[name];
    if (value === undefined || value === null) continue;
    if (!(values as readonly unknown[]).includes(value)) errors[`filters.${name}`] = `The value should be one of ${values.join(', ')}.`;
    else out.predicates.push(name === 'result' ? (c) => c.result.id === value : (c) => c.source === value);
  }
  const priority = filters.priority;
  if (priority !== undefined && priority !== null) {
    const { min, max } = (typeof priority === 'object' && !Array.isArray(priority) ? priority : {}) as Record<string, unknown>;
    const bad = (v: unknown) => v !== undefined && v !== null && v !== 0 && v !== 1;
    if (typeof priority !== 'object' || Array.isArray(priority) || bad(min) || bad(max)) {
      errors['filters.priority'] = 'This value should be an object {min, max}, each 0 or 1.';
    } else {
      if (typeof min === 'number') out.predicates.push((c) => c.priority >= min);
      if (typeof max === 'number') out.predicates.push((c) => c.priority <= max);
    }
  }
  return Object.keys(errors).length ? { errors } : out;
}

function orderCalls(calls: PhoneCall[], filters: CompiledFilters<PhoneCall> | undefined, order: string, direction: 'asc' | 'desc'): Ordered {
  const records = filters ? calls.filter((call) => filters.predicates.every((p) => p(call))) : calls;
  const orderSpec = ORDERS[order];
  let result: Ordered;
  if (!orderSpec)
    result = { ids: records.map((r) => r.id), keys: undefined }; // `calls` come sorted by id
  else {
    const keyed = records.map((record) => ({ key: orderSpec.key(record), id: record.id }));
    keyed.sort((a, b) => compare(a.key, a.id, b.key, b.id));
    result = { ids: keyed.map((k) => k.id), keys: keyed.map((k) => k.key) };
  }
  if (direction === 'desc') {
    result.ids.reverse();
    result.keys?.reverse();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Routes

/**
 * Registers `/phone-calls` routes on the server's `/v2` router (helpers from sellsy.ts, as for
 * the CRM routes).
 */
export function registerPhoneCallRoutes<Ctx>(api: Router<Ctx>, store: SellsyPhoneCalls, helpers: RouteHelpers<Ctx>): void {
  const { needs, sellsyError, granted = () => true } = helpers;
  const { invalid, malformed, searchFilters, pageParams, page } = sellsyReplies(sellsyError);
  const notFound = (message: string, details: Record<string, string> = {}) => sellsyError({ status: 404, code: 'not_found', message }, details);
  const label: Record<RelatedType, string> = { contact: 'Contact', company: 'Company', individual: 'Individual', opportunity: 'Opportunity' };

  /** 404 naming each related object that does not exist, or undefined when all do. */
  function relatedNotFound(related: RelatedObject[]): Reply | undefined {
    const missing = store.missingRelated(related);
    if (missing.length === 0) return undefined;
    const details: Record<string, string> = {};
    for (const object of missing) details[`related[${related.indexOf(object)}]`] = `${label[object.type]} ${object.id} not found.`;
    return notFound(Object.values(details).join(' '), details);
  }

  /** The `embed[]` values asked, or the 400 naming a value `phoneCallEmbed` does not have. */
  function embedsOf(query: URLSearchParams): PhoneCallEmbed[] | Reply {
    const asked = [...query.getAll('embed[]'), ...query.getAll('embed')];
    const unknown = asked.find((value) => !(PHONE_CALL_EMBEDS as readonly string[]).includes(value));
    if (unknown !== undefined) return invalid({ embed: `The value should be one of ${PHONE_CALL_EMBEDS.join(', ')}.` });
    return [...new Set(asked)] as PhoneCallEmbed[];
  }

  /**
   * A phone call with `_embed` as asked. `owner` is the staff (it needs `staffs.read`; without it,
   * null, as Sellsy says of an embed whose scope is missing) and `acl` what the staff may do; the
   * records (`company`, `individual`, `contact`, `related`) are not given by this server: null.
   */
  function embedded(call: PhoneCall, embeds: PhoneCallEmbed[], ctx: Ctx): PhoneCall | (PhoneCall & { _embed: Record<string, unknown> }) {
    if (embeds.length === 0) return call;
    const embed: Record<string, unknown> = {};
    for (const name of embeds) {
      if (name === 'owner') embed.owner = granted(ctx, 'staffs.read') ? (store.staffById(call.owner.id) ?? null) : null;
      else if (name === 'acl') embed.acl = { can_be_updated: true, can_be_deleted: true };
      else embed[name] = null;
    }
    return { ...call, _embed: embed };
  }

  /** A page's rows with `_embed` as asked. */
  function pageEmbedded(reply: Reply, embeds: PhoneCallEmbed[], ctx: Ctx): Reply {
    if (embeds.length === 0 || reply.status !== 200) return reply;
    const body = reply.body as { pagination: unknown; data: PhoneCall[] };
    return { ...reply, body: { ...body, data: body.data.map((call) => embedded(call, embeds, ctx)) } };
  }

  function existing(idText: string): PhoneCall | undefined {
    return /^\d{1,15}$/.test(idText) ? store.items.get(Number(idText)) : undefined;
  }

  api.add(
    'GET',
    '/phone-calls',
    needs('phonecalls.read', (req, ctx) => {
      const params = pageParams(req.query, ORDERS);
      if (!('limit' in params)) return params;
      const embeds = embedsOf(req.query);
      if (!Array.isArray(embeds)) return embeds;
      return pageEmbedded(page(store.items, orderCalls(store.sorted(), undefined, params.order, params.direction), params), embeds, ctx);
    }),
  );

  api.add(
    'POST',
    '/phone-calls/search',
    needs('phonecalls.read', (req, ctx) => {
      const search = searchFilters(req.body);
      if (!('filters' in search)) return search;
      const compiled = compileFilters(search.filters);
      if ('errors' in compiled) return invalid(compiled.errors);
      const params = pageParams(req.query, ORDERS);
      if (!('limit' in params)) return params;
      const embeds = embedsOf(req.query);
      if (!Array.isArray(embeds)) return embeds;
      const { items, sorted } = store.searchable();
      return pageEmbedded(page(items, orderCalls(sorted, compiled, params.order, params.direction), params), embeds, ctx);
    }),
  );

  api.add(
    'POST',
    '/phone-calls',
    needs('phonecalls.write', (req) => {
      if (typeof req.body === 'string') return malformed();
      const checked = validatePhoneCall(req.body, 'create', store.staffId(), store.otherStaff);
      if ('errors' in checked) return invalid(checked.errors);
      const gone = relatedNotFound(checked.fields.related ?? []);
      if (gone) return gone;
      return json(201, store.insert(checked.fields));
    }),
  );

  api.add(
    'GET',
    '/phone-calls/:id',
    needs('phonecalls.read', (req, ctx) => {
      const call = existing(req.params.id ?? '');
      if (!call) return notFound(`Phone call ${req.params.id ?? ''} not found.`);
      const embeds = embedsOf(req.query);
      return Array.isArray(embeds) ? json(200, embedded(call, embeds, ctx)) : embeds;
    }),
  );

  api.add(
    'PUT',
    '/phone-calls/:id',
    needs('phonecalls.write', (req) => {
      const call = existing(req.params.id ?? '');
      if (!call) return notFound(`Phone call ${req.params.id ?? ''} not found.`);
      if (typeof req.body === 'string') return malformed();
      const checked = validatePhoneCall(req.body, 'update', store.staffId(), store.otherStaff);
      if ('errors' in checked) return invalid(checked.errors);
      const gone = checked.fields.related ? relatedNotFound(checked.fields.related) : undefined;
      if (gone) return gone;
      return json(200, store.apply(call.id, checked.fields));
    }),
  );

  api.add(
    'DELETE',
    '/phone-calls/:id',
    needs('phonecalls.write', (req) => {
      const call = existing(req.params.id ?? '');
      if (!call) return notFound(`Phone call ${req.params.id ?? ''} not found.`);
      store.delete(call.id);
      return { status: 204 };
    }),
  );
}
