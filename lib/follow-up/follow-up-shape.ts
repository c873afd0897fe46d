/** What the side panel's "Call back" sends and shows (no code: the panel bundles it). */

/** What the panel sends: checked and bounded at the message's edge (register-handlers.ts). */
export interface FollowUpInput {
  e164: string;
  /** The record as the panel lists it: `contact:12`, `company:7`, `individual:3`, and its name. */
  record: { key: string; name: string };
  /** When it is due, ISO 8601 with the user's offset (due-time.ts). */
  dueAt: string;
  /** The note's first line, when the panel has a note (optional: the title is the name alone). */
  noteFirstLine?: string;
}

/**
 * Why a follow-up could not be created, in the terms the panel words for the person:
 * `no-scope` the Sellsy access lacks `tasks.write`/`tasks.read`; `no-label` Sellsy has no task
 * label; `gone` the record was deleted; `disconnected` Sellsy is not connected (or another account
 * is); `refused` Sellsy refused the task; `unreachable` no clear answer after many tries.
 */
export type FollowUpProblem = 'no-scope' | 'no-label' | 'gone' | 'disconnected' | 'refused' | 'unreachable';

/** One follow-up as the panel shows it; a transient failure stays `creating` (it is retried). */
export interface FollowUpView {
  id: string;
  e164: string;
  recordName: string;
  dueAt: string;
  state: 'creating' | 'created' | 'failed';
  problem?: FollowUpProblem;
  /** Sellsy was slow or unreachable at the last try: another follows by itself. */
  delayed?: boolean;
}
