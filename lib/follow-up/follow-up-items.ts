import { storage } from '#imports';
import * as v from 'valibot';
import type { FollowUpView } from './follow-up-shape';

/**
 * The follow-ups asked for, stored before anything is sent to Sellsy: a request survives the
 * panel or the worker closing, and is carried out exactly once (follow-ups.ts).
 */

const Problem = v.picklist(['no-scope', 'no-label', 'gone', 'disconnected', 'refused', 'unreachable']);

export const StoredFollowUpSchema = v.object({
  /** Also the marker in the task's description. */
  id: v.pipe(v.string(), v.regex(/^[\w-]{8,64}$/)),
  /** The Sellsy staff it was asked by: never created in an account connected since. */
  account: v.number(),
  e164: v.string(),
  record: v.object({ type: v.picklist(['contact', 'company', 'individual']), id: v.number(), name: v.string() }),
  title: v.string(),
  description: v.string(),
  dueAt: v.string(),
  requestedAt: v.number(),
  state: v.picklist(['pending', 'done', 'failed']),
  /** A POST went out whose answer is not known: Sellsy is searched for the marker before another. */
  sent: v.boolean(),
  /**
   * When the last POST went out: a second task the browser made of it was created around then, so
   * only tasks created by then (with a margin) are looked at, and only once the search has caught up.
   * Missing in follow-ups stored before it was kept: their request time stands in.
   */
  sentAt: v.optional(v.number()),
  tries: v.number(),
  taskId: v.optional(v.number()),
  /**
   * Looks for a second task with the marker once created (a POST the browser's network stack
   * sent again by itself, unseen by us): 1 right after, 2 once Sellsy's search has caught up.
   */
  checks: v.optional(v.number()),
  problem: v.optional(Problem),
  /** The last try failed for a passing reason (network, 5xx, 429): tried again by itself. */
  delayed: v.optional(v.boolean()),
});

export type StoredFollowUp = v.InferOutput<typeof StoredFollowUpSchema>;

export const followUpsItem = storage.defineItem<unknown[]>('local:followUps', { fallback: [], version: 1 });

/** The chosen task label of one Sellsy account, read once (the labels change rarely). */
export const followUpLabelItem = storage.defineItem<{ account: number; id: number; name: string } | null>('local:followUpLabel', {
  fallback: null,
  version: 1,
});

/** The stored follow-ups; a row another version wrote that cannot be read is left out, not fatal. */
export function readFollowUps(value: unknown): StoredFollowUp[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((row) => {
    const parsed = v.safeParse(StoredFollowUpSchema, row);
    return parsed.success ? [parsed.output] : [];
  });
}

export function viewOf(followUp: StoredFollowUp): FollowUpView {
  return {
    id: followUp.id,
    e164: followUp.e164,
    recordName: followUp.record.name,
    dueAt: followUp.dueAt,
    state: followUp.state === 'done' ? 'created' : followUp.state === 'failed' ? 'failed' : 'creating',
    ...(followUp.problem ? { problem: followUp.problem } : {}),
    ...(followUp.delayed ? { delayed: true } : {}),
  };
}

/** The latest follow-up asked for this number, as the panel shows it. */
export function latestFor(stored: StoredFollowUp[], e164: string): FollowUpView | undefined {
  const mine = stored.filter((followUp) => followUp.e164 === e164);
  const latest = mine.reduce<StoredFollowUp | undefined>((a, b) => (!a || b.requestedAt >= a.requestedAt ? b : a), undefined);
  return latest ? viewOf(latest) : undefined;
}
