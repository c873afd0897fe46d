/**
 * A `Retry-After` header in seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Absent or unreadable: undefined, so the caller backs off instead of retrying at once
 * (`Number(null)` is 0).
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const at = Date.parse(value);
  // A date needs a letter (a weekday or month): a bare "-1" or "5s" is not one.
  if (Number.isNaN(at) || !/[a-z]/i.test(value)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
