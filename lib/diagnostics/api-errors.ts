import { storage } from '#imports';
import * as v from 'valibot';

/**
 * The last refusal or failure each service gave us, for "Copy diagnostics": the method, the path
 * with every id taken out, the status and the error code. Never a body, a query string or a
 * message, which may carry names, numbers or a token.
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

const FailureSchema = v.object({ at: v.number(), method: v.string(), path: v.string(), status: v.optional(v.number()), code: v.string() });
const Stored = v.partial(v.object({ sellsy: FailureSchema, allo: FailureSchema }));

export const lastApiErrors = storage.defineItem<Partial<Record<ApiService, ApiFailure>>>('local:lastApiErrors', { fallback: {}, version: 1 });

export async function readLastApiErrors(): Promise<Partial<Record<ApiService, ApiFailure>>> {
  const parsed = v.safeParse(Stored, await lastApiErrors.getValue());
  return parsed.success ? parsed.output : {};
}

export async function recordApiFailure(service: ApiService, failure: Omit<ApiFailure, 'at' | 'path'> & { path: string }, now = Date.now()): Promise<void> {
  const entry: ApiFailure = { ...failure, path: pathWithoutIds(failure.path), at: now };
  await lastApiErrors.setValue({ ...(await readLastApiErrors()), [service]: entry });
}

const VERSION = /^v\d+$/;
// Allo's ids (`cll-…`, `usr-…`), and anything percent-encoded, are ids even without a digit.
const ID_LIKE = /\d|^[a-z]{3}-|%/i;

/** A request path as it may be shown: no query, and no segment that could be an id. */
export function pathWithoutIds(path: string): string {
  const [bare = ''] = path.split(/[?#]/);
  return bare
    .split('/')
    .map((segment) => (ID_LIKE.test(segment) && !VERSION.test(segment) ? ':id' : segment))
    .join('/');
}
