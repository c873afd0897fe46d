/**
 * The calls of the local Allo (allo-api.md §3): an in-memory store of conversation items, a
 * deterministic generator for bulk and fault tests, and the three item routes the extension
 * polls — search, get one, batch — with the contract's shapes, codes and validation.
 *
 * Choices where the contract is silent (the report to the team lists them too):
 * - `date.to` is inclusive, and the whole-day filter compares the item's `date` in UTC;
 * - no maximum date span unless a test sets `maxDateRangeDays` (the code DATE_RANGE_TOO_WIDE
 *   exists, its limit is not stated);
 * - search pages are computed per request, offset-style, so a call arriving between two page
 *   requests shifts later pages by one, as offset paging does: clients dedupe on `id`.
 */
import type { ErrorSpec, Reply, RouteHandler, Router, ServiceRequest } from './faults';
import { json } from './faults';
import type { AlloUser, KeyContext } from './allo';

// ---------------------------------------------------------------------------------------------
// Item shape (allo-api.md §3b, spec `ConversationItem`)

export type ItemType = 'CALL' | 'SMS';
export type Direction = 'INBOUND' | 'OUTBOUND';
/** No "missed" value in v2: a missed call has `result: null`. */
export type CallResult = 'ANSWERED' | 'VOICEMAIL' | 'TRANSFERRED';

/** `UserRef`. */
export interface AlloUserRef {
  id: string;
  name: string;
  email: string;
}

/** An address-book match (spec `Contact`). */
export interface AlloContactRef {
  id: string;
  name: string;
  company?: { id: string; name: string } | null;
  deals?: Array<{ id: string; name: string; status: 'OPEN' | 'WON' | 'LOST' }>;
}

export interface TranscriptEntry {
  source: 'USER' | 'EXTERNAL';
  time: string;
  text: string;
}

export interface CallItem {
  /** `cll-…` for calls, `msg-…` for messages. */
  id: string;
  type: ItemType;
  direction: Direction;
  /** Our line. */
  allo_number: string;
  /** The other party. */
  contact_number: string;
  /** May be empty. */
  contacts: AlloContactRef[];
  user: AlloUserRef;
  /** ISO 8601 in UTC, to the second, like the docs' `2026-04-21T14:30:00Z`. */
  date: string;
  /** Seconds (the docs give no unit); null for SMS, null or 0 for a missed call. */
  duration: number | null;
  result: CallResult | null;
  recording_url: string | null;
  /** Null until Allo's AI summary is ready, and for SMS. */
  summary: string | null;
  /** Null for SMS. */
  tags: string[] | null;
  /** Answered only with `extend=transcript`; `null` otherwise. */
  transcript: TranscriptEntry[] | null;
  /** SMS only. */
  content?: string | null;
  status?: 'PENDING' | 'SENT' | 'DELIVERED' | 'FAILED' | null;
  message_type?: 'SMS' | 'MMS' | 'WHATSAPP' | null;
}

/** What `add` takes: any item field, a `user_id` to pick a teammate, and a `Date` for `date`. */
export type NewCallItem = Omit<Partial<CallItem>, 'date'> & { user_id?: string; date?: string | Date };

export interface GenerateOptions {
  count: number;
  /** User ids to spread the calls over; default: every ACTIVE user. */
  users?: string[];
  /** Contact numbers to pick from (shared with Sellsy or unknown); default: 20 generated ones. */
  numbers?: string[];
  /** Our lines to pick from; default: `DEFAULT_ALLO_NUMBER`. */
  alloNumbers?: string[];
  from: Date;
  to: Date;
  /** Same seed, same calls (ids too, in a fresh store). Default 1. */
  seed?: number;
}

export const DEFAULT_ALLO_NUMBER = '+33159000000';
export const DEFAULT_CALL_USER_ID = 'usr-camille4242';
export const MAX_PAGE_SIZE = 100;
export const MAX_BATCH_IDS = 100;
const DEFAULT_PAGE_SIZE = 20;
const DEFAULT_CONTACT_NUMBER = '+33612345678';

// ---------------------------------------------------------------------------------------------
// Store

export class AlloCalls {
  /** By id; tests may read or edit items directly. */
  readonly items = new Map<string, CallItem>();
  /** How many fresh recording links were handed out (`GET …/items/{id}/recording`). */
  recordingLinks = 0;
  now: () => Date;
  /** Days (inclusive) a search's `date` may span before DATE_RANGE_TOO_WIDE; none by default. */
  maxDateRangeDays: number | undefined = undefined;
  private counter = 0;
  /** Insertion order, the tie-break between items of the same second. */
  private readonly order = new Map<string, number>();

  constructor(
    private readonly users: () => AlloUser[],
    now: () => Date = () => new Date(),
  ) {
    this.now = now;
  }

  /** Stores one item with sensible defaults: an answered inbound call to Camille, now. */
  add(fields: NewCallItem = {}): CallItem {
    const { user_id, date, ...rest } = fields;
    const type = rest.type ?? 'CALL';
    const id = rest.id ?? this.nextId(type);
    const user = rest.user ?? this.userRef(user_id);
    const isCall = type === 'CALL';
    const result = isCall ? (rest.result === undefined ? 'ANSWERED' : rest.result) : null;
    const item: CallItem = {
      id,
      type,
      direction: rest.direction ?? 'INBOUND',
      allo_number: rest.allo_number ?? DEFAULT_ALLO_NUMBER,
      contact_number: rest.contact_number ?? DEFAULT_CONTACT_NUMBER,
      contacts: rest.contacts ?? [],
      user,
      date: isoSeconds(date ?? this.now()),
      duration: rest.duration !== undefined ? rest.duration : !isCall ? null : result === null ? 0 : 60,
      result,
      recording_url:
        rest.recording_url !== undefined ? rest.recording_url : isCall && (result === 'ANSWERED' || result === 'TRANSFERRED') ? recordingUrl(id) : null,
      summary: rest.summary ?? null,
      tags: rest.tags !== undefined ? rest.tags : isCall ? [] : null,
      transcript: rest.transcript ?? null,
      ...(!isCall && {
        content: rest.content ?? '',
        status: rest.status ?? 'DELIVERED',
        message_type: rest.message_type ?? 'SMS',
      }),
    };
    this.items.set(id, item);
    if (!this.order.has(id)) this.order.set(id, this.order.size);
    return item;
  }

  /** Allo's AI finished (or a test takes the summary back): the next read shows it. */
  setSummary(id: string, summary: string | null): CallItem {
    const item = this.items.get(id);
    if (!item) throw new Error(`No Allo item ${id}`);
    const updated = { ...item, summary };
    this.items.set(id, updated);
    return updated;
  }

  /**
   * `count` calls spread at random over [from, to], stored oldest first (ids grow with dates):
   * both directions, ~55 % answered, ~15 % voicemail, ~5 % transferred, ~25 % missed
   * (`result: null`, duration null or 0, no recording, no summary ever); of the others ~30 %
   * have no summary yet. The same options give the same calls.
   */
  generate(options: GenerateOptions): CallItem[] {
    const { count, from, to } = options;
    if (from.getTime() > to.getTime()) throw new Error('generate: from is after to');
    const random = mulberry32(options.seed ?? 1);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const userIds =
      options.users ??
      this.users()
        .filter((user) => user.status === 'ACTIVE')
        .map((user) => user.id);
    if (userIds.length === 0) throw new Error('generate: no users');
    const numbers = options.numbers ?? Array.from({ length: 20 }, () => `+336${String(Math.floor(random() * 1e8)).padStart(8, '0')}`);
    const alloNumbers = options.alloNumbers ?? [DEFAULT_ALLO_NUMBER];
    const span = to.getTime() - from.getTime();
    const dates = Array.from({ length: count }, () => from.getTime() + Math.floor(random() * (span + 1))).sort((a, b) => a - b);

    return dates.map((ms) => {
      const roll = random();
      const result: CallResult | null = roll < 0.55 ? 'ANSWERED' : roll < 0.7 ? 'VOICEMAIL' : roll < 0.75 ? 'TRANSFERRED' : null;
      const contactNumber = pick(numbers);
      const direction: Direction = random() < 0.5 ? 'INBOUND' : 'OUTBOUND';
      const duration =
        result === null ? (random() < 0.5 ? null : 0) : result === 'VOICEMAIL' ? 5 + Math.floor(random() * 85) : 10 + Math.floor(random() * 1190);
      const pendingSummary = result === null || random() < 0.3;
      const tagRoll = random();
      const id = this.nextId('CALL');
      return this.add({
        id,
        type: 'CALL',
        direction,
        allo_number: pick(alloNumbers),
        contact_number: contactNumber,
        user_id: pick(userIds),
        date: new Date(ms),
        duration,
        result,
        // Recording disabled on some lines: 1 answered call in 10 has none.
        recording_url: result === 'ANSWERED' || result === 'TRANSFERRED' ? (random() < 0.1 ? null : recordingUrl(id)) : null,
        summary: pendingSummary ? null : pick(SUMMARIES).replace('{number}', contactNumber),
        tags: tagRoll < 0.2 ? ['prospect'] : tagRoll < 0.3 ? ['support'] : [],
      });
    });
  }

  /** Forgets every item (ids keep counting, so none is ever reused). */
  clear(): void {
    this.items.clear();
    this.order.clear();
  }

  /** Insertion rank of an item, for stable ordering of same-second items. */
  rank(id: string): number {
    return this.order.get(id) ?? Number.MAX_SAFE_INTEGER;
  }

  private nextId(type: ItemType): string {
    this.counter += 1;
    // An odd multiplier permutes 32-bit values: ids look random, never repeat, and follow the counter.
    const hex = (Math.imul(this.counter, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
    return `${type === 'CALL' ? 'cll' : 'msg'}-${hex}`;
  }

  private userRef(userId: string | undefined): AlloUserRef {
    const users = this.users();
    const user = userId ? users.find((candidate) => candidate.id === userId) : (users.find((candidate) => candidate.id === DEFAULT_CALL_USER_ID) ?? users[0]);
    if (!user) throw new Error(`No Allo user ${userId ?? DEFAULT_CALL_USER_ID}`);
    return { id: user.id, name: user.name, email: user.email };
  }
}

const SUMMARIES = [
  'Le client ({number}) demande un devis pour 20 licences ; rappel prévu jeudi.',
  'Appel de suivi : la facture de mars est réglée, aucun point ouvert.',
  'Prospect intéressé par l’offre Pro, souhaite une démonstration la semaine prochaine.',
  'Question sur la livraison en retard ; numéro de suivi envoyé par e-mail.',
  'Échange sur le renouvellement du contrat, décision attendue fin du mois.',
];

function recordingUrl(id: string): string {
  return `https://storage.withallo.com/recordings/${id}.mp3`;
}

/** `2026-04-21T14:30:00Z`: the docs' form, to the second. */
function isoSeconds(date: string | Date): string {
  const ms = (typeof date === 'string' ? new Date(date) : date).getTime();
  if (Number.isNaN(ms)) throw new Error(`Invalid item date ${String(date)}`);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// Routes

/** One entry of the envelope's `errors[]`: `{field, code, message}` (error-handling guide). */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export type AlloErrorSpec = ErrorSpec & { param?: string; errors?: FieldError[] };

export interface CallRouteHelpers {
  needs: (scope: string, handler: RouteHandler<KeyContext>) => RouteHandler<KeyContext>;
  alloError: (error: AlloErrorSpec, req: ServiceRequest) => Reply;
}

const ITEM_TYPES = ['CALL', 'SMS', 'ALL'] as const;
const DIRECTIONS = ['INBOUND', 'OUTBOUND'] as const;
const RESULTS = ['ANSWERED', 'VOICEMAIL', 'TRANSFERRED'] as const;
const SORTS = ['DATE_DESC', 'DATE_ASC', 'RELEVANCE'] as const;
const E164 = /^\+[1-9]\d{6,14}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface SearchQuery {
  type: (typeof ITEM_TYPES)[number];
  direction?: Direction;
  result?: CallResult;
  date?: { from: string; to: string };
  allo_number?: string;
  contact_number?: string;
  user_id?: string;
  tags?: string[];
  terms: string[];
  sort: (typeof SORTS)[number];
  transcript: boolean;
  page: number;
  size: number;
}

/** Registers search, get and batch on Allo's router, each behind CONVERSATIONS_READ. */
export function registerCallRoutes(api: Router<KeyContext>, calls: AlloCalls, helpers: CallRouteHelpers): void {
  const { needs, alloError } = helpers;

  function invalid(req: ServiceRequest, errors: FieldError[]): Reply {
    const [first] = errors as [FieldError, ...FieldError[]];
    const message = errors.length === 1 ? first.message : `${errors.length} invalid fields: ${errors.map((e) => e.field).join(', ')}.`;
    return alloError({ status: 400, code: first.code, message, param: first.field, errors }, req);
  }

  /** The JSON object body, or the reply refusing it (415 when not sent as JSON, 400 when not an object). */
  function jsonBody(req: ServiceRequest, required: boolean): { body: Record<string, unknown> } | { reply: Reply } {
    if (req.body === undefined && !required) return { body: {} };
    const type = req.headers['content-type'] ?? '';
    if (req.body !== undefined && !type.includes('application/json')) {
      return { reply: alloError({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json.' }, req) };
    }
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      return { reply: alloError({ status: 400, code: 'INVALID_REQUEST_BODY', message: 'The request body must be a JSON object.' }, req) };
    }
    return { body: req.body as Record<string, unknown> };
  }

  api
    .add(
      'POST',
      '/v2/api/conversations/items/search',
      needs('CONVERSATIONS_READ', (req) => {
        const sent = jsonBody(req, false);
        if ('reply' in sent) return sent.reply;
        const parsed = parseSearch(sent.body, calls.maxDateRangeDays);
        if (!('page' in parsed)) return invalid(req, parsed.errors);
        const matching = [...calls.items.values()].filter((item) => matchesSearch(item, parsed));
        const descending = parsed.sort !== 'DATE_ASC'; // RELEVANCE: no scoring here, newest first
        matching.sort((a, b) => {
          const byDate = Date.parse(a.date) - Date.parse(b.date) || calls.rank(a.id) - calls.rank(b.id);
          return descending ? -byDate : byDate;
        });
        const start = (parsed.page - 1) * parsed.size;
        const totalPages = Math.ceil(matching.length / parsed.size);
        return json(200, {
          data: matching.slice(start, start + parsed.size).map((item) => wire(item, parsed.transcript)),
          pagination: {
            page: parsed.page,
            size: parsed.size,
            total_count: matching.length,
            total_pages: totalPages,
            has_more: parsed.page < totalPages,
          },
        });
      }),
    )
    .add(
      'POST',
      '/v2/api/conversations/items/batch',
      needs('CONVERSATIONS_READ', (req) => {
        const sent = jsonBody(req, true);
        if ('reply' in sent) return sent.reply;
        const ids = sent.body.ids;
        if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) {
          return invalid(req, [{ field: 'ids', code: 'INVALID_REQUEST_BODY', message: '`ids` must be an array of item ids.' }]);
        }
        if (ids.length > MAX_BATCH_IDS) {
          return invalid(req, [{ field: 'ids', code: 'BATCH_TOO_LARGE', message: `At most ${MAX_BATCH_IDS} ids per batch; got ${ids.length}.` }]);
        }
        const wrong = ids.find((id) => !validItemId(id));
        if (wrong !== undefined) {
          return invalid(req, [{ field: 'ids', code: 'INVALID_ITEM_ID', message: `Item id '${wrong}' has an unrecognized prefix; use cll- or msg-.` }]);
        }
        // Unknown ids are silently dropped (batch-get page); repeated ids answer once, in request order.
        const found = [...new Set(ids)].flatMap((id) => {
          const item = calls.items.get(id);
          return item ? [wire(item, false)] : [];
        });
        return json(200, { data: found });
      }),
    )
    .add(
      'GET',
      '/v2/api/conversations/items/:id/recording',
      needs('CONVERSATIONS_READ', (req) => {
        const { id = '' } = req.params;
        if (!id.startsWith('cll-')) {
          return invalid(req, [{ field: 'id', code: 'INVALID_ITEM_ID', message: `Item id '${id}' is not a call id; use cll-.` }]);
        }
        const item = calls.items.get(id);
        if (!item?.recording_url) {
          return alloError({ status: 404, code: 'RECORDING_NOT_FOUND', message: `No recording for '${id}'.`, param: 'id' }, req);
        }
        // A fresh signed link each time, valid 60 minutes, as the API reference says.
        calls.recordingLinks++;
        const expires = new Date(calls.now().getTime() + 60 * 60_000);
        return json(200, { data: { url: `${item.recording_url}?expires=${expires.getTime()}&signature=local`, expires_at: expires.toISOString() } });
      }),
    )
    .add(
      'GET',
      '/v2/api/conversations/items/:id',
      needs('CONVERSATIONS_READ', (req) => {
        const { id = '' } = req.params;
        const extend = req.query.get('extend');
        if (extend !== null && extend !== '' && extend !== 'transcript') {
          return invalid(req, [{ field: 'extend', code: 'UNSUPPORTED_EXTEND_VALUE', message: `Unsupported extend value '${extend}'; supported: transcript.` }]);
        }
        const transcript = extend === 'transcript';
        if (!validItemId(id)) {
          return invalid(req, [{ field: 'id', code: 'INVALID_ITEM_ID', message: `Item id '${id}' has an unrecognized prefix; use cll- or msg-.` }]);
        }
        const item = calls.items.get(id);
        return item
          ? json(200, { data: wire(item, transcript) })
          : alloError({ status: 404, code: 'CONVERSATION_ITEM_NOT_FOUND', message: `No call or message found with ID '${id}'.`, param: 'id' }, req);
      }),
    );

  function parseSearch(body: Record<string, unknown>, maxDays: number | undefined): SearchQuery | { errors: FieldError[] } {
    const errors: FieldError[] = [];
    const bad = (field: string, message: string, code = 'INVALID_REQUEST_BODY') => errors.push({ field, code, message });
    // Null is taken as "not sent", as for an absent optional field.
    const get = (name: string) => (body[name] === null ? undefined : body[name]);

    const oneOf = <T extends string>(name: string, values: readonly T[]): T | undefined => {
      const value = get(name);
      if (value === undefined) return undefined;
      if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
      bad(name, `\`${name}\` must be one of ${values.join(', ')}.`);
      return undefined;
    };
    const phone = (name: string): string | undefined => {
      const value = get(name);
      if (value === undefined) return undefined;
      if (typeof value === 'string' && E164.test(value)) return value;
      bad(name, `\`${name}\` must be an E.164 number such as +33612345678.`, 'INVALID_PHONE_FORMAT');
      return undefined;
    };
    const bool = (name: string): void => {
      const value = get(name);
      if (value !== undefined && typeof value !== 'boolean') bad(name, `\`${name}\` must be a boolean.`);
    };

    const type = oneOf('type', ITEM_TYPES) ?? 'ALL';
    const direction = oneOf('direction', DIRECTIONS);
    const result = oneOf('result', RESULTS);
    const sort = oneOf('sort', SORTS) ?? 'DATE_DESC';
    const allo_number = phone('allo_number');
    const contact_number = phone('contact_number');
    // The store does not model read/replied state: these are checked, then ignored.
    bool('unread');
    bool('unresponded');

    const userId = get('user_id');
    if (userId !== undefined && typeof userId !== 'string') bad('user_id', '`user_id` must be a string.');

    const tags = get('tags');
    if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string'))) {
      bad('tags', '`tags` must be an array of strings.');
    }

    let terms: string[] = [];
    const search = get('search');
    if (search !== undefined) {
      if (typeof search !== 'string') bad('search', '`search` must be a string.');
      else {
        terms = search
          .toLowerCase()
          .split(/[^\p{L}\p{N}]+/u)
          .filter(Boolean);
        if (terms.length === 0) bad('search', '`search` must contain at least one letter or digit.', 'INVALID_SEARCH_QUERY');
      }
    }

    let transcript = false;
    const extend = get('extend');
    if (extend !== undefined) {
      if (extend === 'transcript') transcript = true;
      else bad('extend', `Unsupported extend value '${String(extend)}'; supported: transcript.`, 'UNSUPPORTED_EXTEND_VALUE');
    }

    let page = 1;
    const pageValue = get('page');
    if (pageValue !== undefined) {
      if (Number.isInteger(pageValue) && (pageValue as number) >= 1) page = pageValue as number;
      else bad('page', '`page` must be an integer of 1 or more (pages start at 1).');
    }
    let size = DEFAULT_PAGE_SIZE;
    const sizeValue = get('size');
    if (sizeValue !== undefined) {
      if (Number.isInteger(sizeValue) && (sizeValue as number) >= 1 && (sizeValue as number) <= MAX_PAGE_SIZE) size = sizeValue as number;
      else bad('size', `\`size\` must be an integer between 1 and ${MAX_PAGE_SIZE}.`, 'INVALID_PAGE_SIZE');
    }

    let date: SearchQuery['date'];
    const dateValue = get('date');
    if (dateValue !== undefined) {
      const range = typeof dateValue === 'object' && !Array.isArray(dateValue) ? (dateValue as Record<string, unknown>) : undefined;
      const from = range?.from;
      const to = range?.to;
      if (!range || !isDay(from) || !isDay(to)) {
        bad('date', '`date` must be {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}, both required.', 'INVALID_DATE_RANGE');
      } else if (from > to) {
        bad('date', `\`date.from\` (${from}) must not be after \`date.to\` (${to}).`, 'INVALID_DATE_RANGE');
      } else if (maxDays !== undefined && (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > maxDays) {
        bad('date', `The date range may span at most ${maxDays} days.`, 'DATE_RANGE_TOO_WIDE');
      } else {
        date = { from, to };
      }
    }

    if (errors.length) return { errors };
    return {
      type,
      direction,
      result,
      date,
      allo_number,
      contact_number,
      user_id: userId as string | undefined,
      tags: tags as string[] | undefined,
      terms,
      sort,
      transcript,
      page,
      size,
    };
  }
}

function matchesSearch(item: CallItem, query: SearchQuery): boolean {
  if (query.type !== 'ALL' && item.type !== query.type) return false;
  if (query.direction && item.direction !== query.direction) return false;
  if (query.result && item.result !== query.result) return false;
  if (query.allo_number && item.allo_number !== query.allo_number) return false;
  if (query.contact_number && item.contact_number !== query.contact_number) return false;
  if (query.user_id !== undefined && item.user.id !== query.user_id) return false;
  // Any of the tags (the docs do not say any or all).
  if (query.tags?.length && !query.tags.some((tag) => item.tags?.includes(tag))) return false;
  if (query.date) {
    const day = new Date(item.date).toISOString().slice(0, 10); // the item's UTC day
    if (day < query.date.from || day > query.date.to) return false;
  }
  if (query.terms.length) {
    const text = [item.summary, item.content, ...(item.transcript ?? []).map((entry) => entry.text)].filter(Boolean).join(' ');
    const words = text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    if (!query.terms.every((term) => words.some((word) => word.startsWith(term)))) return false;
  }
  return true;
}

/** The item as the API sends it: the docs' field order, `transcript` null unless extended. */
function wire(item: CallItem, transcript: boolean): Record<string, unknown> {
  return {
    id: item.id,
    type: item.type,
    direction: item.direction,
    allo_number: item.allo_number,
    contact_number: item.contact_number,
    contacts: item.contacts,
    user: item.user,
    date: item.date,
    duration: item.duration,
    result: item.result,
    recording_url: item.recording_url,
    summary: item.summary,
    tags: item.tags,
    transcript: transcript ? (item.transcript ?? []) : null,
    ...(item.type === 'SMS' && { content: item.content ?? null, status: item.status ?? null, message_type: item.message_type ?? null }),
  };
}

function validItemId(id: string): boolean {
  return /^(cll|msg)-[\w-]+$/.test(id);
}

/** A real calendar day written YYYY-MM-DD. */
function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
