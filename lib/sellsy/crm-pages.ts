import * as v from 'valibot';
import type { RecordKind } from '../cache/schema';
import type { SellsyClient } from './api-client';
import { latestDateOf, readRows, type RowsRead } from './crm-records';
import { SELLSY_KINDS } from './kinds';

/**
 * The contact sync's requests: pages of contacts, companies and individuals (API v2 list and
 * search), each row read on its own (readRows) so one odd row costs only itself.
 */

const Pagination = v.object({
  limit: v.number(),
  count: v.number(),
  total: v.number(),
  // An opaque seek cursor, or a number in numeric mode: passed back as is. Null (or absent)
  // means there is no next page.
  offset: v.nullish(v.union([v.string(), v.number()])),
});
const PageEnvelope = v.object({ pagination: Pagination, data: v.array(v.unknown()) });

// A sync has time: it rides out a longer outage than a call being logged.
const ATTEMPTS = 6;

/** The most ids one search asks for: they must fit in one page (Sellsy's largest is 100). */
export const ID_SEARCH_MAX = 100;

export interface CrmPage<K extends RecordKind> extends RowsRead<K> {
  /** Rows Sellsy sent, readable or not: a short page is the last one. */
  received: number;
  total: number;
  /** The page size Sellsy says it applied (`pagination.limit`): a page that holds as many is full. */
  limit: number;
  /** The next page's cursor; null when Sellsy says there is none. */
  next: string | null;
}

export interface PageRequest {
  /** The cursor a previous page gave; null for the first page. */
  cursor: string | null;
  limit: number;
}

/**
 * How many records of this kind Sellsy has, and the date of the latest-dated one (undefined when
 * there is none, or it is unreadable), in one tiny request.
 */
export async function countRecords(client: SellsyClient, kind: RecordKind): Promise<{ total: number; latest: number | undefined }> {
  const query = new URLSearchParams({ limit: '1', order: SELLSY_KINDS[kind].latestOrder, direction: 'desc' });
  const reply = await requestPage(client, kind, 'GET', `${SELLSY_KINDS[kind].apiPath}?${query}`);
  const row = reply.rows[0];
  return { total: reply.total, latest: row ? latestDateOf(kind, row) : undefined };
}

/** One page of every record of this kind, by ascending id. */
export function listRecordsPage<K extends RecordKind>(client: SellsyClient, kind: K, page: PageRequest): Promise<CrmPage<K>> {
  return requestPage(client, kind, 'GET', `${SELLSY_KINDS[kind].apiPath}?${byId(page)}`);
}

/** One page of the records of this kind updated since `since` (epoch ms), by ascending id. */
export function searchUpdatedSince<K extends RecordKind>(client: SellsyClient, kind: K, since: number, page: PageRequest): Promise<CrmPage<K>> {
  const { apiPath, updatedFilter } = SELLSY_KINDS[kind];
  const body = { filters: { [updatedFilter]: { start: new Date(since).toISOString() } } };
  return requestPage(client, kind, 'POST', `${apiPath}/search?${byId(page)}`, body);
}

/**
 * One page of the records of this kind among `ids` (at most ID_SEARCH_MAX) that Sellsy still has.
 * Sellsy may page the answer more finely than asked: `total` and `next` say when more follows.
 */
export function searchByIds<K extends RecordKind>(client: SellsyClient, kind: K, ids: readonly number[], cursor: string | null): Promise<CrmPage<K>> {
  const query = byId({ cursor, limit: ID_SEARCH_MAX });
  return requestPage(client, kind, 'POST', `${SELLSY_KINDS[kind].apiPath}/search?${query}`, { filters: { id: ids } });
}

function byId({ cursor, limit }: PageRequest): URLSearchParams {
  const query = new URLSearchParams({ limit: String(limit), order: 'id', direction: 'asc' });
  if (cursor !== null) query.set('offset', cursor);
  return query;
}

async function requestPage<K extends RecordKind>(client: SellsyClient, kind: K, method: string, path: string, body?: unknown): Promise<CrmPage<K>> {
  const reply = await client.request(method, path, PageEnvelope, body, { attempts: ATTEMPTS });
  const { offset } = reply.pagination;
  return {
    ...readRows(kind, reply.data),
    received: reply.data.length,
    total: reply.pagination.total,
    limit: reply.pagination.limit,
    next: offset === null || offset === undefined ? null : String(offset),
  };
}
