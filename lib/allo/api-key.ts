import { AlloClient, AlloError } from './api-client';

/**
 * Why an Allo key cannot be used, as codes the UI words for a person (docs/sellsy-and-allo.md):
 * - `invalid`: Allo does not know the key (401 API_KEY_INVALID, or any other 401).
 * - `revoked`: the key was revoked (401 API_KEY_REVOKED).
 * - `trial`: the workspace is on a trial plan, which has no API (403 API_KEY_TRIAL_NOT_ALLOWED).
 * - `missing-calls-scope`: the key cannot read calls (no CONVERSATIONS_READ).
 * - `network`, `server`, `rate-limited`, `invalid-response`: try again later.
 */
export type AlloKeyErrorCode = 'empty' | 'invalid' | 'revoked' | 'trial' | 'missing-calls-scope' | 'network' | 'server' | 'rate-limited' | 'invalid-response';

export class AlloKeyError extends Error {
  override readonly name = 'AlloKeyError';

  constructor(
    readonly code: AlloKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const CALLS_SCOPE = 'CONVERSATIONS_READ';
export const USERS_SCOPE = 'USERS_READ';

export interface AlloKeyInfo {
  scopes: string[];
  teamName?: string;
}

/** Checks a key with `GET /v2/api/me` and says in plain words what is wrong with it. */
export async function validateAlloKey(key: string, { apiUrl, fetch }: { apiUrl: string; fetch?: typeof globalThis.fetch }): Promise<AlloKeyInfo> {
  const trimmed = key.trim();
  if (trimmed === '') throw new AlloKeyError('empty', 'Paste an Allo API key first.');
  let me: Awaited<ReturnType<AlloClient['me']>>;
  try {
    me = await new AlloClient({ apiUrl, apiKey: async () => trimmed, ...(fetch ? { fetch } : {}) }).me();
  } catch (error) {
    throw error instanceof AlloError ? keyError(error) : error;
  }
  if (!me.scopes.includes(CALLS_SCOPE)) {
    throw new AlloKeyError('missing-calls-scope', 'This key cannot read calls (no CONVERSATIONS_READ scope).');
  }
  const teamName = me.team?.name ?? undefined;
  return { scopes: me.scopes, ...(teamName ? { teamName } : {}) };
}

function keyError(error: AlloError): AlloKeyError {
  if (error.alloCode === 'API_KEY_REVOKED') return new AlloKeyError('revoked', 'This Allo API key was revoked.');
  if (error.alloCode === 'API_KEY_TRIAL_NOT_ALLOWED') return new AlloKeyError('trial', 'Allo’s API is not available on trial plans.');
  switch (error.code) {
    case 'network':
      return new AlloKeyError('network', 'Allo could not be reached. Check your connection and try again.');
    case 'rate-limited':
      return new AlloKeyError('rate-limited', 'Allo asks us to slow down; try again in a minute.');
    case 'server':
      return new AlloKeyError('server', 'Allo is failing right now.');
    case 'invalid-response':
      return new AlloKeyError('invalid-response', 'Allo sent an unreadable answer.');
    default:
      return new AlloKeyError('invalid', 'Allo does not recognise this API key.');
  }
}
