/**
 * How long any request to Sellsy or Allo may take. A request that hangs would hold up every
 * call behind it; past this its outcome is treated as unknown (and reconciled where it matters).
 */
export const REQUEST_TIMEOUT_MS = 30_000;

export function requestTimeout(): AbortSignal {
  return AbortSignal.timeout(REQUEST_TIMEOUT_MS);
}
