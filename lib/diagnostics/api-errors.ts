import { storage } from '#imports';
import * as v from 'valibot';
import { oneWriteAtATime } from '../one-write-at-a-time';
import { OTHER, safeToken } from './safe-text';

/**
 * The last refusal or failure each service gave us, for "Copy diagnostics": the method, the path
 * with every id taken out, the status and the error code. Never a body, a query string or a
 * message, which may carry names, numbers or a token. The code is the service's own text, so it
 * is kept only as a plain token (`safeToken`); the path's segments only as plain words.
 */

export type ApiService = 'sellsy' | 'allo';

export interface ApiFailure {
  at: number;
  method: string;
  /** `/v2/contacts/:id/phone-calls`: segments that may be ids (see `pathWithoutIds`) become `:id`. */
  path: string;
  /** Absent when no answer came (network, timeout). */
  status?: number;
  code: string;
}

const FailureSchema = v.object({
  // A time `Date` can show: the report writes it as an ISO date, which throws beyond this range.
  at: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8.64e15)),
  method: v.string(),
  path: v.string(),
  status: v.optional(v.number()),
  code: v.string(),
});
const Stored = v.partial(v.object({ sellsy: FailureSchema, allo: FailureSchema }));

export const lastApiErrors = storage.defineItem<Partial<Record<ApiService, ApiFailure>>>('local:lastApiErrors', { fallback: {}, version: 1 });
const oneWrite = oneWriteAtATime();

/** The last failures, held to today's rules whoever stored them; a stored value that does not parse counts as none. */
export async function readLastApiErrors(): Promise<Partial<Record<ApiService, ApiFailure>>> {
  const parsed = v.safeParse(Stored, await lastApiErrors.getValue());
  if (!parsed.success) return {};
  const { sellsy, allo } = parsed.output;
  return { ...(sellsy ? { sellsy: safeFailure(sellsy) } : {}), ...(allo ? { allo: safeFailure(allo) } : {}) };
}

/** Keeps this failure as the service's last; failures recorded together all land. */
export function recordApiFailure(service: ApiService, failure: Omit<ApiFailure, 'at'>, now = Date.now()): Promise<void> {
  const entry = safeFailure({ ...failure, at: now });
  return oneWrite(async () => {
    await lastApiErrors.setValue({ ...(await readLastApiErrors()), [service]: entry });
  });
}

const METHOD = /^[A-Z]{3,7}$/;

/** A failure as the report may show it: a known-looking method, a path without ids, an HTTP status, a plain code. */
export function safeFailure(failure: ApiFailure): ApiFailure {
  const { at, method, path, status, code } = failure;
  const httpStatus = status !== undefined && Number.isInteger(status) && status >= 100 && status <= 599;
  return {
    at,
    method: METHOD.test(method) ? method : OTHER,
    path: pathWithoutIds(path),
    ...(httpStatus ? { status } : {}),
    code: safeToken(code),
  };
}

const VERSION = /^v\d{1,2}$/;
// A path segment shown as it is: a plain word. Allo's ids (`cll-…`, `usr-…`), and anything with
// a digit, are ids even when they look like words.
const WORD = /^[a-z][a-z_-]{0,40}$/i;
const ID_LIKE = /^[a-z]{3}-/i;
const MAX_SEGMENTS = 12;

/** A request path as it may be shown: no query, and no segment that could be an id or is not a plain word. */
export function pathWithoutIds(path: string): string {
  const [bare = ''] = path.split(/[?#]/, 1);
  const segments = bare.split('/');
  const shown = segments
    .slice(0, MAX_SEGMENTS)
    .map((segment) => (segment === '' || VERSION.test(segment) || (WORD.test(segment) && !ID_LIKE.test(segment)) ? segment : ':id'));
  return [...shown, ...(segments.length > MAX_SEGMENTS ? ['…'] : [])].join('/');
}
