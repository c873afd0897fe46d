import * as v from 'valibot';
import type { RecordKind } from '../cache/schema';
import type { SellsyClient } from './api-client';
import { SellsyError } from './errors';
import { SELLSY_KINDS } from './kinds';

/**
 * Sellsy's Phone Calls (API v2, `/phone-calls`) as the call log needs them: typed functions,
 * answers validated here, a 404 on an existing id turned into a value.
 */

export interface RelatedRecord {
  type: RecordKind;
  id: number;
}

/** A Phone Call as the call log reads it back. */
export interface PhoneCall {
  id: number;
  description: string | null;
  /** What it relates to (Sellsy also allows opportunities, which we never write). */
  related: Array<{ type: string; id: number }>;
  /** When the call took place (ISO 8601), its direction and length: how another tool's log of it is recognised. */
  date?: string;
  source?: string;
  duration?: number;
  /** The staff it is logged as: a colleague's log of a call is not the user's. */
  ownerId?: number;
}

export interface PhoneCallCreate {
  owner_id: number;
  date: string;
  result: 'connected' | 'msgvocal' | 'transfer' | 'noanswer';
  source: 'incoming' | 'outcoming';
  duration: number;
  description: string;
  related: RelatedRecord[];
}

const PhoneCallItem = v.object({
  id: v.number(),
  description: v.nullish(v.string()),
  related: v.optional(v.array(v.object({ type: v.string(), id: v.number() })), []),
  date: v.nullish(v.string()),
  source: v.nullish(v.string()),
  duration: v.nullish(v.number()),
  owner: v.nullish(v.object({ id: v.number() })),
});
const SearchPage = v.object({
  pagination: v.optional(v.object({ offset: v.nullish(v.union([v.string(), v.number()])) })),
  data: v.array(v.unknown()),
});

const PAGE_SIZE = 100;
const MAX_PAGES = 20;

function toPhoneCall(item: v.InferOutput<typeof PhoneCallItem>): PhoneCall {
  return {
    id: item.id,
    description: item.description ?? null,
    related: item.related,
    ...(item.date ? { date: item.date } : {}),
    ...(item.source ? { source: item.source } : {}),
    ...(typeof item.duration === 'number' ? { duration: item.duration } : {}),
    ...(item.owner ? { ownerId: item.owner.id } : {}),
  };
}

/**
 * The Phone Calls related to one record and created since `createdSince` (ISO 8601). An item
 * that cannot be read is skipped: one odd row must not hide the others.
 */
export async function searchPhoneCalls(client: SellsyClient, record: RelatedRecord, createdSince: string): Promise<PhoneCall[]> {
  const filters = { [SELLSY_KINDS[record.type].phoneCallFilter]: [record.id], created: { start: createdSince } };
  const found: PhoneCall[] = [];
  let offset: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(offset ? { offset } : {}) });
    const reply = await client.request('POST', `/phone-calls/search?${query}`, SearchPage, { filters }, { attempts: 3 });
    for (const item of reply.data) {
      const parsed = v.safeParse(PhoneCallItem, item);
      if (parsed.success) found.push(toPhoneCall(parsed.output));
    }
    const next = reply.pagination?.offset;
    if (reply.data.length < PAGE_SIZE || next === null || next === undefined) break;
    offset = String(next);
  }
  return found;
}

/** A Phone Call as the side panel's history shows it: anyone's on the team, not only ours. */
export interface TeamPhoneCall {
  id: number;
  /** When the call took place (ISO 8601). */
  date: string;
  source?: 'incoming' | 'outcoming';
  duration?: number;
  /** Sellsy's result (`noanswer`, `connected`, …), when it gave one. */
  result?: string;
  description: string | null;
  related: Array<{ type: string; id: number }>;
  ownerId?: number;
  /** The owner's name, from `embed[]=owner` (null without `staffs.read`, or for another reason). */
  ownerName?: string;
}

/** Which order asks for the latest first: the call's `date`, or `id` (the creation order) where Sellsy refuses `date`. */
export type LatestOrder = 'date' | 'id';

// The staff `embed[]=owner` adds. Its schema is not spelled out in the reference (docs/sellsy-and-allo.md):
// `/staffs/{id}` spells the names `firstname`/`lastname`, the staff search `first_name`/`last_name`.
const EmbeddedStaff = v.object({
  id: v.optional(v.number()),
  firstname: v.nullish(v.string()),
  lastname: v.nullish(v.string()),
  first_name: v.nullish(v.string()),
  last_name: v.nullish(v.string()),
});
const TeamPhoneCallItem = v.object({
  id: v.pipe(v.number(), v.integer()),
  date: v.pipe(
    v.string(),
    v.check((date) => !Number.isNaN(Date.parse(date))),
  ),
  description: v.nullish(v.string()),
  // Unknown values of an enum Sellsy may extend, and fields of an unknown shape (an owner without
  // an id, say a deleted staff; a related item without one), are read as absent, not as an
  // unreadable call: only the id and the date are needed to list it.
  related: v.nullish(v.unknown()),
  source: v.nullish(v.unknown()),
  duration: v.nullish(v.unknown()),
  result: v.nullish(v.unknown()),
  owner: v.nullish(v.unknown()),
  _embed: v.nullish(v.unknown()),
});
const ResultObject = v.object({ id: v.string() });
const Related = v.object({ type: v.string(), id: v.number() });
const Owner = v.object({ id: v.number() });
const Embedded = v.object({ owner: v.nullish(v.unknown()) });

function staffName(value: unknown): string | undefined {
  const staff = v.safeParse(EmbeddedStaff, value);
  if (!staff.success) return undefined;
  const { firstname, lastname, first_name, last_name } = staff.output;
  const name = [firstname ?? first_name, lastname ?? last_name].filter(Boolean).join(' ').trim();
  return name ? name.slice(0, 120) : undefined;
}

function toTeamPhoneCall(item: v.InferOutput<typeof TeamPhoneCallItem>): TeamPhoneCall {
  const source = item.source === 'incoming' || item.source === 'outcoming' ? item.source : undefined;
  const duration = typeof item.duration === 'number' && Number.isFinite(item.duration) && item.duration >= 0 ? item.duration : undefined;
  // A result is an object in answers (`{id, name}`); a bare value is read too.
  const result = typeof item.result === 'string' ? item.result : v.is(ResultObject, item.result) ? item.result.id : undefined;
  const ownerName = v.is(Embedded, item._embed) ? staffName(item._embed.owner) : undefined;
  const related = Array.isArray(item.related) ? item.related.filter((entry) => v.is(Related, entry)) : [];
  const ownerId = v.is(Owner, item.owner) ? item.owner.id : undefined;
  return {
    id: item.id,
    date: item.date,
    description: item.description ?? null,
    related,
    ...(source ? { source } : {}),
    ...(duration !== undefined ? { duration } : {}),
    ...(result ? { result } : {}),
    ...(ownerId !== undefined ? { ownerId } : {}),
    ...(ownerName ? { ownerName } : {}),
  };
}

/**
 * The latest Phone Calls related to one record, whoever logged them, with their owner's name:
 * one request (`limit` at most 100). An item that cannot be read is skipped and counted, so one
 * odd row neither hides the others nor goes unnoticed.
 */
export async function latestPhoneCalls(
  client: SellsyClient,
  record: RelatedRecord,
  limit: number,
  order: LatestOrder = 'date',
): Promise<{ calls: TeamPhoneCall[]; skipped: number }> {
  const query = new URLSearchParams({ limit: String(Math.min(100, Math.max(1, limit))), order, direction: 'desc' });
  query.append('embed[]', 'owner');
  const filters = { [SELLSY_KINDS[record.type].phoneCallFilter]: [record.id] };
  const reply = await client.request('POST', `/phone-calls/search?${query}`, SearchPage, { filters });
  const calls: TeamPhoneCall[] = [];
  let skipped = 0;
  for (const item of reply.data) {
    const parsed = v.safeParse(TeamPhoneCallItem, item);
    if (parsed.success) calls.push(toTeamPhoneCall(parsed.output));
    else skipped += 1;
  }
  return { calls, skipped };
}

/** The Phone Call created, or null when Sellsy answers 404: a record it relates is gone. */
export async function createPhoneCall(client: SellsyClient, body: PhoneCallCreate): Promise<PhoneCall | null> {
  return orNull(client.request('POST', '/phone-calls', PhoneCallItem, body).then(toPhoneCall));
}

/** The Phone Call, or null when Sellsy no longer has it. */
export async function getPhoneCall(client: SellsyClient, id: number): Promise<PhoneCall | null> {
  return orNull(client.request('GET', `/phone-calls/${id}`, PhoneCallItem, undefined, { attempts: 3 }).then(toPhoneCall));
}

/** Rewrites the description; false when Sellsy no longer has the Phone Call. */
export async function updatePhoneCallDescription(client: SellsyClient, id: number, description: string): Promise<boolean> {
  return (await orNull(client.request('PUT', `/phone-calls/${id}`, PhoneCallItem, { description }))) !== null;
}

/** Changes which records it relates; false when Sellsy no longer has the Phone Call. */
export async function updatePhoneCallRelated(client: SellsyClient, id: number, related: ReadonlyArray<{ type: string; id: number }>): Promise<boolean> {
  return (await orNull(client.request('PUT', `/phone-calls/${id}`, PhoneCallItem, { related }))) !== null;
}

/** False when it was already gone. */
export async function deletePhoneCall(client: SellsyClient, id: number): Promise<boolean> {
  return (await orNull(client.request('DELETE', `/phone-calls/${id}`, v.unknown(), undefined, { attempts: 3 }).then(() => true))) !== null;
}

async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof SellsyError && error.code === 'not-found') return null;
    throw error;
  }
}

/** Rewrites the description and, when given, the result; false when Sellsy no longer has the Phone Call. */
export async function updatePhoneCallNote(client: SellsyClient, id: number, description: string, result?: string): Promise<boolean> {
  return (await orNull(client.request('PUT', `/phone-calls/${id}`, PhoneCallItem, { description, ...(result ? { result } : {}) }))) !== null;
}
