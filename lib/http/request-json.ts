import { requestTimeout } from '../request-timeout';
import { parseRetryAfter } from '../retry-after';

/**
 * The plumbing every client (Sellsy's API and sign-in, Allo's API) shares: a JSON request with
 * the request timeout, its answer read as JSON whatever the status. What a status means, and
 * the words of each error, stay with each client.
 */

export interface JsonRequest {
  method: string;
  /** Besides `accept` (and `content-type` when there is a body), which are always sent. */
  headers?: Record<string, string>;
  /** Sent as JSON when defined. */
  body?: unknown;
  fetch?: typeof fetch;
  /** The clock an HTTP-date Retry-After is read against. */
  now?: () => number;
  /** The caller's own error when no answer came; `timedOut` once the request timeout fired. */
  unreachable: (timedOut: boolean) => Error;
}

export interface JsonReply {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The body as JSON; undefined when it is empty or not JSON (an error page, a proxy's HTML). */
  json: unknown;
  /** The Retry-After header in seconds; undefined when absent or unreadable. */
  retryAfterS: number | undefined;
}

export async function requestJson(
  url: string,
  { method, headers = {}, body, fetch: doFetch = fetch, now = Date.now, unreachable }: JsonRequest,
): Promise<JsonReply> {
  let response: Response;
  try {
    response = await doFetch(url, {
      method,
      headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: requestTimeout(),
    });
  } catch (error) {
    throw unreachable(error instanceof Error && error.name === 'TimeoutError');
  }
  const json: unknown = await response.json().catch(() => undefined);
  return {
    status: response.status,
    ok: response.ok,
    headers: response.headers,
    json,
    retryAfterS: parseRetryAfter(response.headers.get('retry-after'), now()),
  };
}
