import * as v from 'valibot';
import type { SellsyClient } from './api-client';
import { SellsyError } from './errors';
import { SELLSY_KINDS } from './kinds';
import type { RelatedRecord } from './phone-calls';

/**
 * Sellsy's comments (API v2, `/comments`; scopes `comments.read`, `comments.write`): where a call
 * note goes when no Phone Call of the call is known for sure (docs/sellsy-and-allo.md). A comment
 * relates exactly one record (`CommentCreateItem.related`, minItems = maxItems = 1).
 */

export interface Comment {
  id: number;
  description: string | null;
}

const CommentItem = v.object({ id: v.number(), description: v.nullish(v.string()) });
const SearchPage = v.object({
  pagination: v.optional(v.object({ offset: v.nullish(v.union([v.string(), v.number()])) })),
  data: v.array(v.unknown()),
});

const PAGE_SIZE = 100;
/** A record's comments are read up to this many pages: a marker further back is not looked for. */
const MAX_PAGES = 10;

const toComment = (item: v.InferOutput<typeof CommentItem>): Comment => ({ id: item.id, description: item.description ?? null });

/** The comments on one record created since `createdSince` (ISO 8601); an unreadable row is skipped. */
export async function searchComments(client: SellsyClient, record: RelatedRecord, createdSince: string): Promise<Comment[]> {
  const filters = { [SELLSY_KINDS[record.type].phoneCallFilter]: [record.id], created: { start: createdSince } };
  const found: Comment[] = [];
  let offset: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(offset ? { offset } : {}) });
    const reply = await client.request('POST', `/comments/search?${query}`, SearchPage, { filters }, { attempts: 3 });
    for (const item of reply.data) {
      const parsed = v.safeParse(CommentItem, item);
      if (parsed.success) found.push(toComment(parsed.output));
    }
    const next = reply.pagination?.offset;
    if (reply.data.length < PAGE_SIZE || next === null || next === undefined) break;
    offset = String(next);
  }
  return found;
}

/** The comment created on the record, or null when Sellsy answers 404 (the record is gone). */
export async function createComment(client: SellsyClient, record: RelatedRecord, description: string): Promise<Comment | null> {
  return orNull(client.request('POST', '/comments', CommentItem, { description, related: [{ type: record.type, id: record.id }] }).then(toComment));
}

/** The comment, or null when Sellsy no longer has it. */
export async function getComment(client: SellsyClient, id: number): Promise<Comment | null> {
  return orNull(client.request('GET', `/comments/${id}`, CommentItem, undefined, { attempts: 3 }).then(toComment));
}

/** Rewrites the comment's text; false when Sellsy no longer has it. */
export async function updateComment(client: SellsyClient, id: number, description: string): Promise<boolean> {
  return (await orNull(client.request('PUT', `/comments/${id}`, CommentItem, { description }))) !== null;
}

/** False when it was already gone. */
export async function deleteComment(client: SellsyClient, id: number): Promise<boolean> {
  return (await orNull(client.request('DELETE', `/comments/${id}`, v.unknown(), undefined, { attempts: 3 }).then(() => true))) !== null;
}

async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof SellsyError && error.code === 'not-found') return null;
    throw error;
  }
}
