import * as v from 'valibot';
import { requestTimeout } from '../request-timeout';

/**
 * Why an Allo key cannot be used, as codes the UI words for a person (contracts/allo.md):
 * - `invalid`: Allo does not know the key (401 API_KEY_INVALID, or any other 401).
 * - `revoked`: the key was revoked (401 API_KEY_REVOKED).
 * - `trial`: the workspace is on a trial plan, which has no API (403 API_KEY_TRIAL_NOT_ALLOWED).
 * - `missing-calls-scope`: the key cannot read calls (no CONVERSATIONS_READ).
 * - `network`, `server`, `rate-limited`, `invalid-response`: try again later.
 */
export type AlloKeyErrorCode =
  | 'empty'
  | 'invalid'
  | 'revoked'
  | 'trial'
  | 'missing-calls-scope'
  | 'network'
  | 'server'
  | 'rate-limited'
  | 'invalid-response';

export class AlloKeyError extends Error {
  override readonly name = 'AlloKeyError';

  constructor(readonly code: AlloKeyErrorCode, message: string) {
    super(message);
  }
}

export const CALLS_SCOPE = 'CONVERSATIONS_READ';
export const USERS_SCOPE = 'USERS_READ';

const MeReply = v.object({
  data: v.object({
    scopes: v.array(v.string()),
    team: v.nullish(v.object({ name: v.nullish(v.string()) })),
  }),
});

const ErrorReply = v.object({ error: v.object({ code: v.optional(v.string()) }) });

export interface AlloKeyInfo {
  scopes: string[];
  teamName?: string;
}

export function alloAuthHeader(key: string): string {
  return `Api-Key ${key}`;
}

/** Checks a key with `GET /v2/api/me` and says in plain words what is wrong with it. */
export async function validateAlloKey(
  key: string,
  { apiUrl, fetch: doFetch = fetch }: { apiUrl: string; fetch?: typeof fetch },
): Promise<AlloKeyInfo> {
  const trimmed = key.trim();
  if (trimmed === '') throw new AlloKeyError('empty', 'Paste an Allo API key first.');
  let response: Response;
  try {
    response = await doFetch(`${apiUrl}/v2/api/me`, {
      headers: { authorization: alloAuthHeader(trimmed), accept: 'application/json' },
      signal: requestTimeout(),
    });
  } catch {
    throw new AlloKeyError('network', 'Allo could not be reached. Check your connection and try again.');
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = v.safeParse(ErrorReply, json);
    const code = parsed.success ? parsed.output.error.code : undefined;
    if (response.status === 401 && code === 'API_KEY_REVOKED') throw new AlloKeyError('revoked', 'This Allo API key was revoked.');
    if (response.status === 401) throw new AlloKeyError('invalid', 'Allo does not recognise this API key.');
    if (code === 'API_KEY_TRIAL_NOT_ALLOWED') throw new AlloKeyError('trial', 'Allo’s API is not available on trial plans.');
    if (response.status === 429) throw new AlloKeyError('rate-limited', 'Allo asks us to slow down; try again in a minute.');
    if (response.status >= 500) throw new AlloKeyError('server', `Allo is failing (HTTP ${response.status}).`);
    throw new AlloKeyError('invalid', `Allo refused this API key (HTTP ${response.status}).`);
  }
  const me = v.safeParse(MeReply, json);
  if (!me.success) throw new AlloKeyError('invalid-response', 'Allo sent an unreadable answer.');
  if (!me.output.data.scopes.includes(CALLS_SCOPE)) {
    throw new AlloKeyError('missing-calls-scope', 'This key cannot read calls (no CONVERSATIONS_READ scope).');
  }
  const teamName = me.output.data.team?.name ?? undefined;
  return { scopes: me.output.data.scopes, ...(teamName ? { teamName } : {}) };
}
